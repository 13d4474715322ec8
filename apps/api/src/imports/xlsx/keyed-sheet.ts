import type * as ExcelJS from 'exceljs';
import { ImportFileRefused } from './import-file-refused';
import { cellText, mergesOf, normaliseHeader } from './xlsx-reader';

// A sheet whose columns are named by a template (the roster's): the header row is matched as people type it and each
// data row comes out keyed by column.

const where = (w: { sheet?: string; row?: number; column?: string }): string =>
  [w.sheet ? `工作表「${w.sheet}」` : '', w.row ? `第 ${w.row} 行` : '', w.column ? `「${w.column}」列` : ''].join('');

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

export interface KeyedSheet<K extends string> {
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
export function readSheet<K extends string>(wb: ExcelJS.Workbook, sheetName: string, columns: ColumnSpec<K>[], options: { maxRows?: number; allowEmpty?: boolean } = {}): KeyedSheet<K> {
  const ws = wb.worksheets.find((w) => normaliseHeader(w.name) === normaliseHeader(sheetName));
  if (!ws) throw new ImportFileRefused('MISSING_SHEET', `缺少工作表「${sheetName}」`, { sheet: sheetName });
  const merges = mergesOf(ws);
  if (merges.length) {
    throw new ImportFileRefused('MERGED_CELLS', `${where({ sheet: ws.name })}有合并单元格 ${merges[0].range}：请取消合并后每行填写完整`, {
      sheet: ws.name,
      column: merges[0].range,
    });
  }
  let headerRow = 0;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (!headerRow && (row.values as ExcelJS.CellValue[]).some((v) => cellText(v) !== '')) headerRow = n;
  });
  if (!headerRow && options.allowEmpty) return { sheet: ws.name, letters: {} as Record<K, string | null>, rows: [] };
  if (!headerRow) throw new ImportFileRefused('EMPTY_SHEET', `${where({ sheet: ws.name })}是空的`, { sheet: ws.name });
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
      throw new ImportFileRefused('MISSING_COLUMN', `${where({ sheet: ws.name, row: headerRow })}缺少必需的列「${c.header}」`, {
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
      throw new ImportFileRefused('TOO_MANY_ROWS', `${where({ sheet: ws.name, row: n })}超过 ${maxRows} 行上限`, { sheet: ws.name, row: n });
    }
    rows.push({ row: n, values });
  });
  if (rows.length === 0 && !options.allowEmpty) {
    throw new ImportFileRefused('EMPTY_SHEET', `${where({ sheet: ws.name })}只有表头，没有数据行`, { sheet: ws.name });
  }
  return { sheet: ws.name, letters, rows };
}
