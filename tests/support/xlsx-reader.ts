import * as XLSX from '@e965/xlsx';

// Reads exported workbooks with SheetJS (@e965/xlsx), a reader independent of the exceljs writer.

export interface Sheet {
  name: string;
  ws: XLSX.WorkSheet;
  rows: unknown[][];
  header: string[];
  /** Data rows as objects keyed by header. */
  data: Array<Record<string, unknown>>;
  cell(row: number, header: string): XLSX.CellObject | undefined;
}

export interface Opened {
  wb: XLSX.WorkBook;
  buf: Buffer;
  sheets: Record<string, Sheet>;
  /** 导出说明 as label → value. */
  notes: Map<string, unknown>;
  disposition: string;
}

export function open(buf: Buffer, disposition = ''): Opened {
  const wb = XLSX.read(buf, { type: 'buffer', cellNF: true, cellDates: false, cellStyles: true });
  const sheets: Record<string, Sheet> = {};
  for (const name of wb.SheetNames) {
    const ws = wb.Sheets[name];
    const rows = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null });
    const header = (rows[0] ?? []) as string[];
    const data = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
    sheets[name] = {
      name,
      ws,
      rows,
      header,
      data,
      cell: (row, h) => ws[XLSX.utils.encode_cell({ r: row, c: header.indexOf(h) })] as XLSX.CellObject | undefined,
    };
  }
  const notes = new Map((sheets['导出说明']?.rows ?? []).slice(1).map((r) => [String(r[0]), r[1]]));
  return { wb, buf, sheets, notes, disposition };
}

/** The wall-clock fields of an Excel serial date, as SheetJS decodes it. */
export function excelWallTime(cell: XLSX.CellObject | undefined): string {
  expect(cell).toBeDefined();
  expect(cell!.t).toBe('n');
  expect(XLSX.SSF.is_date(String(cell!.z))).toBe(true);
  const d = XLSX.SSF.parse_date_code(cell!.v as number);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.y}-${p(d.m)}-${p(d.d)} ${p(d.H)}:${p(d.M)}`;
}

/** A supertest parser that keeps the body as one Buffer (`.buffer(true).parse(binary)`). */
export function binary(
  res: { on(event: 'data' | 'end', listener: (chunk: Buffer) => void): unknown },
  cb: (err: Error | null, body: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
