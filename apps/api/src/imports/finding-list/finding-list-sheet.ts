import { type ColumnSpec, columnOfHeader, FINDING_LIST_COLUMNS, type FindingListColumn, parseSheetDate, type SheetRow } from '@duban/domain';
import { columnLetter, ImportFileRefused } from '../xlsx/import-file-refused';
import { type Cell, type ReadSheet, textOf } from '../xlsx/xlsx-reader';

// The 问题清单 inside a workbook: which sheet, which row holds the headers, which column is which, and every data row
// as the domain's SheetRow. Whatever makes the file unreadable as a whole is an ImportFileRefused naming the place.

export interface FindingListSheet {
  sheet: string;
  headerRow: number;
  /** The sheet's own headers in column order (for the report), with the column each one is. */
  headers: Array<{ col: number; text: string; key: FindingListColumn }>;
  rows: SheetRow[];
  /** The cells as the sheet had them, by row, for the report. */
  raw: Map<number, string[]>;
}

/** Headers are looked for in the first rows: a title row (often merged) above them is common. */
const HEADER_SEARCH_ROWS = 10;
const MIN_KNOWN_HEADERS = 3;

export function findingListOf(sheets: ReadSheet[]): FindingListSheet {
  const withData = sheets.filter((s) => s.rows.size > 0);
  const sheet = withData.find((s) => /问题(清单|台账)/u.test(s.name)) ?? withData[0];
  if (!sheet) {
    throw new ImportFileRefused('EMPTY_SHEET', `工作簿中没有内容：${sheets.map((s) => s.name).join('、') || '没有工作表'}`, { sheet: sheets[0]?.name });
  }
  const headerRow = findHeaderRow(sheet);
  const headers = headersOf(sheet, headerRow);
  refuseMerges(sheet, headerRow, headers);
  const rows: SheetRow[] = [];
  const raw = new Map<number, string[]>();
  for (const [n, cells] of [...sheet.rows.entries()].sort((a, b) => a[0] - b[0])) {
    if (n <= headerRow) continue;
    const values: SheetRow['values'] = {};
    for (const h of headers) {
      const spec = FINDING_LIST_COLUMNS.find((c) => c.key === h.key)!;
      const value = spec.date ? dateCell(sheet.name, n, h, cells[h.col]) : textOf(cells[h.col]);
      if (value) values[h.key] = value;
    }
    raw.set(n, headers.map((h) => textOf(cells[h.col])));
    rows.push({ row: n, values });
  }
  if (rows.length === 0) {
    throw new ImportFileRefused('EMPTY_SHEET', `工作表 ${sheet.name} 在表头（第 ${headerRow} 行）之下没有数据`, { sheet: sheet.name, row: headerRow + 1 });
  }
  return { sheet: sheet.name, headerRow, headers, rows, raw };
}

function findHeaderRow(sheet: ReadSheet): number {
  for (let n = 1; n <= HEADER_SEARCH_ROWS; n++) {
    const cells = sheet.rows.get(n);
    if (cells && cells.filter((c) => c?.kind === 'text' && columnOfHeader(c.text)).length >= MIN_KNOWN_HEADERS) return n;
  }
  throw new ImportFileRefused(
    'MISSING_COLUMNS',
    `工作表 ${sheet.name} 的前 ${HEADER_SEARCH_ROWS} 行中找不到问题清单的表头，需要列：${required().join('、')}`,
    { sheet: sheet.name, row: 1 },
  );
}

function headersOf(sheet: ReadSheet, headerRow: number): FindingListSheet['headers'] {
  const cells = sheet.rows.get(headerRow)!;
  const headers: FindingListSheet['headers'] = [];
  const seen = new Map<FindingListColumn, number>();
  cells.forEach((cell, col) => {
    const text = textOf(cell);
    if (!text) return;
    const spec: ColumnSpec | undefined = columnOfHeader(text);
    const where = { sheet: sheet.name, row: headerRow, column: `${columnLetter(col)}（${text}）` };
    if (!spec) {
      throw new ImportFileRefused(
        'UNKNOWN_COLUMN',
        `工作表 ${sheet.name} 第 ${headerRow} 行 ${columnLetter(col)} 列的表头“${text}”不是问题清单的列；可用的列：${FINDING_LIST_COLUMNS.map((c) => c.label).join('、')}`,
        where,
      );
    }
    const before = seen.get(spec.key);
    if (before !== undefined) {
      throw new ImportFileRefused('DUPLICATE_COLUMN', `工作表 ${sheet.name} 的 ${columnLetter(before)} 列与 ${columnLetter(col)} 列都是“${spec.label}”`, where);
    }
    seen.set(spec.key, col);
    headers.push({ col, text, key: spec.key });
  });
  const missing = FINDING_LIST_COLUMNS.filter((c) => c.required && !seen.has(c.key)).map((c) => c.label);
  if (missing.length) {
    throw new ImportFileRefused('MISSING_COLUMNS', `工作表 ${sheet.name} 第 ${headerRow} 行的表头缺少列：${missing.join('、')}`, {
      sheet: sheet.name,
      row: headerRow,
      column: missing.join('、'),
    });
  }
  return headers;
}

/** A merged range from the header down hides which row a value belongs to; a title merged above the header is fine. */
function refuseMerges(sheet: ReadSheet, headerRow: number, headers: FindingListSheet['headers']): void {
  const merge = sheet.merges.filter((m) => m.bottom >= headerRow).sort((a, b) => a.top - b.top || a.left - b.left)[0];
  if (!merge) return;
  const header = headers.find((h) => h.col === merge.left);
  throw new ImportFileRefused(
    'MERGED_CELLS',
    `工作表 ${sheet.name} 有合并单元格 ${merge.range}：请取消合并并在每一行填上各自的值后再导入`,
    { sheet: sheet.name, row: merge.top, column: `${columnLetter(merge.left)}${header ? `（${header.text}）` : ''}` },
  );
}

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function dateCell(sheet: string, row: number, h: { col: number; text: string }, cell: Cell | undefined): string {
  if (!cell || cell.kind === 'empty') return '';
  const where = { sheet, row, column: `${columnLetter(h.col)}（${h.text}）` };
  const at = `工作表 ${sheet} 第 ${row} 行 ${columnLetter(h.col)} 列（${h.text}）`;
  switch (cell.kind) {
    case 'date':
      return cell.date.toISOString().slice(0, 10);
    case 'number':
      // A date whose cell lost its date format is still its serial number.
      if (Number.isInteger(cell.value) && cell.value > 0 && cell.value < 2_958_466) {
        return new Date(EXCEL_EPOCH_MS + cell.value * DAY_MS).toISOString().slice(0, 10);
      }
      throw new ImportFileRefused('TEXT_IN_DATE_COLUMN', `${at}应为日期，填的是数字 ${cell.value}`, where);
    case 'text': {
      const parsed = parseSheetDate(cell.text);
      if (parsed.ok) return parsed.date;
      if (parsed.reason === 'impossible_date') {
        throw new ImportFileRefused('IMPOSSIBLE_DATE', `${at}的日期“${cell.text.trim()}”不存在`, where);
      }
      throw new ImportFileRefused('TEXT_IN_DATE_COLUMN', `${at}应为日期（如 2026-03-05），填的是“${cell.text.trim().slice(0, 40)}”`, where);
    }
    default: {
      const unreachable: never = cell;
      return String(unreachable);
    }
  }
}

const required = () => FINDING_LIST_COLUMNS.filter((c) => c.required).map((c) => c.label);
