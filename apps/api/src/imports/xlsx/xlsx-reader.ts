import * as ExcelJS from 'exceljs';
import { columnLetter, ImportFileRefused } from './import-file-refused';
import { DEFAULT_XLSX_LIMITS, guardXlsx, type XlsxLimits } from './zip-guard';

// The one reader of uploaded XLSX workbooks (a county's roster, its 问题清单): the zip is checked before anything
// inflates it, exceljs parses it, and cells come out as the text a person sees — or, for an import that needs a
// cell's kind (a date column), as plain cells (text, number, date, or empty) with the sheet's merged ranges.
// Nothing here knows what a sheet means; the import that uses it decides that.

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

export interface ReadLimits extends XlsxLimits {
  maxRows: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { ...DEFAULT_XLSX_LIMITS, maxRows: 20_000 };

/** Guards, then loads the workbook; a file exceljs cannot read is a 400, never a 500. */
export async function loadXlsx(buf: Buffer, limits: XlsxLimits = DEFAULT_XLSX_LIMITS): Promise<ExcelJS.Workbook> {
  guardXlsx(buf, limits);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
  } catch (err) {
    throw new ImportFileRefused('NOT_XLSX', `文件不是有效的 XLSX 工作簿：${(err as Error).message?.slice(0, 120) ?? '无法解析'}`);
  }
  return wb;
}

/** Every visible sheet as rows of plain cells. */
export async function readXlsx(buf: Buffer, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<ReadSheet[]> {
  const wb = await loadXlsx(buf, limits);
  return wb.worksheets.filter((ws) => ws.state !== 'hidden' && ws.state !== 'veryHidden').map((ws) => cellsOf(ws, limits));
}

function cellsOf(ws: ExcelJS.Worksheet, limits: ReadLimits): ReadSheet {
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
  return { name: ws.name, rows, lastRow, merges: mergesOf(ws) };
}

/** The sheet's merged ranges, top-left first. */
export function mergesOf(ws: ExcelJS.Worksheet): MergedRange[] {
  return Object.values((ws as unknown as { _merges: Record<string, { model: Omit<MergedRange, 'range'> }> })._merges ?? {})
    .map(({ model: m }) => ({ ...m, range: `${columnLetter(m.left)}${m.top}:${columnLetter(m.right)}${m.bottom}` }))
    .sort((a, b) => a.top - b.top || a.left - b.left);
}

/** A cell's kind where an import needs it (dates, numbers); anything else is its text as a person sees it. */
function cellOf(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (value instanceof Date) return { kind: 'date', date: value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'object' && ('formula' in value || 'sharedFormula' in value)) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    if (result instanceof Date || typeof result === 'number') return cellOf(result);
  }
  const text = cellText(value);
  return text === '' ? { kind: 'empty' } : { kind: 'text', text };
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
    if ('formula' in value || 'sharedFormula' in value || 'result' in value) {
      return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    }
    if ('text' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

/** A plain cell's text, as `cellText` gives it. */
export function textOf(cell: Cell | undefined): string {
  if (!cell) return '';
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text;
    case 'number':
      return cellText(cell.value);
    case 'date':
      return cellText(cell.date);
    default: {
      const unreachable: never = cell;
      return String(unreachable);
    }
  }
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

/** Whether the workbook has the sheet at all (an optional sheet may be left out). */
export const hasSheet = (wb: ExcelJS.Workbook, name: string): boolean =>
  wb.worksheets.some((w) => normaliseHeader(w.name) === normaliseHeader(name));
