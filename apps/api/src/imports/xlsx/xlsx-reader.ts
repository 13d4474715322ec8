import * as ExcelJS from 'exceljs';
import { columnLetter, ImportFileRefused } from './import-file-refused';
import { DEFAULT_ZIP_LIMITS, guardXlsxZip, type ZipLimits } from './zip-guard';

// A small reader of uploaded XLSX workbooks for imports: the zip is checked before anything inflates it, exceljs
// parses it, and each sheet comes out as rows of plain cells (text, number, date, or empty) with its merged ranges.
// Nothing here knows what a sheet means; the import that uses it decides that (finding-list/finding-list-sheet.ts).

export type Cell = { kind: 'empty' } | { kind: 'text'; text: string } | { kind: 'number'; value: number } | { kind: 'date'; date: Date };

export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
  /** A1:C1 */
  range: string;
}

export interface ReadSheet {
  name: string;
  /** 1-based row number → cells by 1-based column. Empty rows are absent. */
  rows: Map<number, Cell[]>;
  lastRow: number;
  merges: MergedRange[];
}

export interface ReadLimits extends ZipLimits {
  maxRows: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { ...DEFAULT_ZIP_LIMITS, maxRows: 20_000 };

export async function readXlsx(buf: Buffer, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ReadSheet[]> {
  guardXlsxZip(buf, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportFileRefused('NOT_XLSX', `文件不是有效的 XLSX 工作簿：${(err as Error).message?.slice(0, 120) ?? '无法解析'}`);
  }
  return wb.worksheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden').map((ws) => readSheet(ws, limits));
}

function readSheet(ws: ExcelJS.Worksheet, limits: ReadLimits): ReadSheet {
  if (ws.rowCount > limits.maxRows) {
    throw new ImportFileRefused('TOO_MANY_ROWS', `工作表 ${ws.name} 有 ${ws.rowCount} 行，一次最多导入 ${limits.maxRows} 行，请分批导入`, {
      sheet: ws.name,
      row: limits.maxRows + 1,
    });
  }
  const rows = new Map<number, Cell[]>();
  let lastRow = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      cells[col] = cellOf(cell.value);
    });
    if (cells.some((c) => c && c.kind !== 'empty')) {
      rows.set(rowNumber, cells);
      lastRow = rowNumber;
    }
  });
  const merges = Object.values((ws as unknown as { _merges: Record<string, { model: Omit<MergedRange, 'range'> }> })._merges ?? {}).map(
    ({ model: m }) => ({ ...m, range: `${columnLetter(m.left)}${m.top}:${columnLetter(m.right)}${m.bottom}` }),
  );
  return { name: ws.name, rows, lastRow, merges };
}

function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (value instanceof Date) return { kind: 'date', date: value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'string') return textCell(value);
  if (typeof value === 'boolean') return textCell(value ? 'TRUE' : 'FALSE');
  if ('richText' in value) return textCell(value.richText.map((r) => r.text).join(''));
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || (typeof result === 'object' && result !== null && !(result instanceof Date)) ? { kind: 'empty' } : cellOf(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) return textCell(String(value.text ?? ''));
  if ('error' in value) return textCell(String(value.error));
  return { kind: 'empty' };
}

const textCell = (text: string): Cell => (text.trim() === '' ? { kind: 'empty' } : { kind: 'text', text });

/** A cell as text for a text column: numbers as written, dates as YYYY-MM-DD. */
export function cellText(cell: Cell | undefined): string {
  if (!cell) return '';
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text.trim();
    case 'number':
      return String(cell.value);
    case 'date':
      return cell.date.toISOString().slice(0, 10);
    default: {
      const unreachable: never = cell;
      return String(unreachable);
    }
  }
}
