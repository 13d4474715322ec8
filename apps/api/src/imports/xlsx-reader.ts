import * as ExcelJS from 'exceljs';

// Reading a workbook a person uploaded (a county's roster, its 问题清单): the file guards (size, a real XLSX, no zip
// bomb), header matching that forgives what people type (stray spaces, full-width letters, a '*' marking a required
// column), cell-to-text for every kind of cell exceljs returns, and one error type that names the sheet, row and
// column. Shared by every import; nothing here knows what a roster or a finding is.

/** A refused file: the API answers 400 naming the sheet, row and column where it can (errors/http-errors.ts). */
export class XlsxFileError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly where: { sheet?: string; row?: number; column?: string } = {},
  ) {
    super(message);
    this.name = 'XlsxFileError';
  }
}

export interface XlsxLimits {
  /** Bytes of the upload itself. */
  maxBytes: number;
  /** Bytes of every part once unzipped, as the zip's directory declares them: the zip-bomb guard. */
  maxUncompressedBytes: number;
  /** Parts in the zip; a workbook has a few dozen. */
  maxEntries?: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = { maxBytes: 5 * 1024 * 1024, maxUncompressedBytes: 100 * 1024 * 1024, maxEntries: 2000 };

const where = (w: { sheet?: string; row?: number; column?: string }): string =>
  [w.sheet ? `工作表「${w.sheet}」` : '', w.row ? `第 ${w.row} 行` : '', w.column ? `「${w.column}」列` : ''].join('');

/** Refuses what is not a small, honest XLSX before any parser sees it: size, the zip signature, the unzipped total. */
export function guardXlsx(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): void {
  if (buf.length === 0) throw new XlsxFileError('EMPTY_FILE', '上传的文件是空的 (EMPTY_FILE)');
  if (buf.length > limits.maxBytes) {
    throw new XlsxFileError('FILE_TOO_LARGE', `文件超过 ${Math.round(limits.maxBytes / 1024 / 1024)} MB 上限 (FILE_TOO_LARGE)`);
  }
  if (buf.readUInt32LE(0) !== 0x04034b50) {
    throw new XlsxFileError('NOT_XLSX', '文件不是 Excel 工作簿（.xlsx）；.xls、.csv、.et 请先另存为 .xlsx (NOT_XLSX)');
  }
  const { entries, uncompressed } = zipDirectory(buf);
  if (entries > (limits.maxEntries ?? 2000) || uncompressed > limits.maxUncompressedBytes) {
    throw new XlsxFileError(
      'ZIP_BOMB',
      `文件解压后过大（${entries} 个部件，共 ${uncompressed} 字节，上限 ${limits.maxUncompressedBytes} 字节），已拒绝 (ZIP_BOMB)`,
    );
  }
}

/**
 * Sums the uncompressed sizes the zip's central directory declares, without inflating anything. A zip64 archive
 * (sizes 0xFFFFFFFF) is refused outright: no honest workbook of the allowed size needs one.
 */
function zipDirectory(buf: Buffer): { entries: number; uncompressed: number } {
  const EOCD = 0x06054b50;
  const CDH = 0x02014b50;
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new XlsxFileError('NOT_XLSX', '文件已损坏或不是 .xlsx（找不到压缩目录） (NOT_XLSX)');
  const count = buf.readUInt16LE(eocd + 10);
  const offset = buf.readUInt32LE(eocd + 16);
  let p = offset;
  let uncompressed = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CDH) {
      throw new XlsxFileError('NOT_XLSX', '文件已损坏或不是 .xlsx（压缩目录不完整） (NOT_XLSX)');
    }
    const size = buf.readUInt32LE(p + 24);
    if (size === 0xffffffff) throw new XlsxFileError('ZIP_BOMB', '文件声明的解压大小超出上限 (ZIP_BOMB)');
    uncompressed += size;
    p += 46 + buf.readUInt16LE(p + 28) + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { entries: count, uncompressed };
}

/** Guards, then loads the workbook; a file exceljs cannot read is a 400, never a 500. */
export async function loadXlsx(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<ExcelJS.Workbook> {
  guardXlsx(buf, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf);
  } catch (err) {
    throw new XlsxFileError('NOT_XLSX', `无法读取工作簿：${(err as Error).message} (NOT_XLSX)`);
  }
  return wb;
}

/** Header text as people type it, made comparable: NFKC (full-width → half-width), no spaces, no '*' or '（必填）'. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000]/g, '')
    .replace(/[*＊]/g, '')
    .replace(/\((必填|选填|可选)\)$/, '')
    .toLowerCase();
}

/** Any cell as the text a person sees: rich text joined, a formula's result, a whole number without exponent. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

export interface ColumnSpec<K extends string> {
  key: K;
  /** The template's header. */
  header: string;
  required: boolean;
  /** Other headers people use for the same column. */
  aliases?: string[];
}

export interface SheetRow<K extends string> {
  /** 1-based, as Excel numbers it. */
  row: number;
  values: Record<K, string>;
}

export interface ReadSheet<K extends string> {
  sheet: string;
  /** Column key → the column's letter, for messages. */
  letters: Record<K, string | null>;
  rows: SheetRow<K>[];
}

/**
 * A sheet's data rows keyed by column: the header row is the first non-empty one; a required column that is missing,
 * a merged range anywhere, or no data row at all is refused naming the sheet (and the column or range). Blank rows are
 * skipped; cells are trimmed text.
 */
export function readSheet<K extends string>(wb: ExcelJS.Workbook, sheetName: string, columns: ColumnSpec<K>[], options: { maxRows?: number; allowEmpty?: boolean } = {}): ReadSheet<K> {
  const ws = wb.worksheets.find((w) => normaliseHeader(w.name) === normaliseHeader(sheetName));
  if (!ws) throw new XlsxFileError('MISSING_SHEET', `缺少工作表「${sheetName}」 (MISSING_SHEET)`, { sheet: sheetName });
  const merges: string[] = (ws.model as unknown as { merges?: string[] }).merges ?? [];
  if (merges.length) {
    throw new XlsxFileError('MERGED_CELLS', `${where({ sheet: ws.name })}有合并单元格 ${merges[0]}：请取消合并后每行填写完整 (MERGED_CELLS)`, {
      sheet: ws.name,
      column: merges[0],
    });
  }
  let headerRow = 0;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (!headerRow && (row.values as ExcelJS.CellValue[]).some((v) => cellText(v) !== '')) headerRow = n;
  });
  if (!headerRow && options.allowEmpty) return { sheet: ws.name, letters: {} as Record<K, string | null>, rows: [] };
  if (!headerRow) throw new XlsxFileError('EMPTY_SHEET', `${where({ sheet: ws.name })}是空的 (EMPTY_SHEET)`, { sheet: ws.name });
  const headers = new Map<string, number>();
  ws.getRow(headerRow).eachCell({ includeEmpty: false }, (cell, col) => {
    const h = normaliseHeader(cellText(cell.value));
    if (h && !headers.has(h)) headers.set(h, col);
  });
  const index = {} as Record<K, number | null>;
  const letters = {} as Record<K, string | null>;
  for (const c of columns) {
    const col = [c.header, ...(c.aliases ?? [])].map(normaliseHeader).map((h) => headers.get(h)).find((x) => x !== undefined) ?? null;
    if (col === null && c.required) {
      throw new XlsxFileError('MISSING_COLUMN', `${where({ sheet: ws.name, row: headerRow })}缺少必需的列「${c.header}」 (MISSING_COLUMN)`, {
        sheet: ws.name,
        row: headerRow,
        column: c.header,
      });
    }
    index[c.key] = col;
    letters[c.key] = col === null ? null : ws.getColumn(col).letter;
  }
  const rows: SheetRow<K>[] = [];
  const maxRows = options.maxRows ?? 20_000;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n <= headerRow) return;
    const values = {} as Record<K, string>;
    let any = false;
    for (const c of columns) {
      const col = index[c.key];
      values[c.key] = col === null ? '' : cellText(row.getCell(col).value);
      if (values[c.key] !== '') any = true;
    }
    if (!any) return;
    if (rows.length >= maxRows) {
      throw new XlsxFileError('TOO_MANY_ROWS', `${where({ sheet: ws.name, row: n })}超过 ${maxRows} 行上限 (TOO_MANY_ROWS)`, { sheet: ws.name, row: n });
    }
    rows.push({ row: n, values });
  });
  if (rows.length === 0 && !options.allowEmpty) {
    throw new XlsxFileError('EMPTY_SHEET', `${where({ sheet: ws.name })}只有表头，没有数据行 (EMPTY_SHEET)`, { sheet: ws.name });
  }
  return { sheet: ws.name, letters, rows };
}

/** Whether the workbook has the sheet at all (an optional sheet may be left out). */
export const hasSheet = (wb: ExcelJS.Workbook, name: string): boolean =>
  wb.worksheets.some((w) => normaliseHeader(w.name) === normaliseHeader(name));
