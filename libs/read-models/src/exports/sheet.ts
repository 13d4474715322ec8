import { checklistItem } from '@duban/domain';

// The printed ledgers' sheet layout, kept with each ledger (<ledger>/<ledger>.sheet.ts): which columns, their Chinese
// headers, widths and values. The XLSX writer (apps/api/src/exports/xlsx-stream.ts) lays them out; nothing here knows it.

export type CellKind =
  /** Short text. */
  | 'text'
  /** Long text, wrapped. */
  | 'wrap'
  | 'number'
  /** An ISO instant, shown as Asia/Shanghai wall time. */
  | 'instant'
  /** A 'YYYY-MM-DD' calendar date. */
  | 'date'
  /** A fraction (0.85), shown as a percentage (85.00%). */
  | 'percent';

export type CellValue = string | number | boolean | null | undefined;

export interface Column<R> {
  header: string;
  /** In characters (a CJK character counts about 2). */
  width: number;
  kind?: CellKind;
  value: (row: R, index: number) => CellValue;
}

/** Labels a person reads; unknown codes fall back to the code itself. */
export const labelOf = <K extends string>(labels: Record<K, string>, code: string | null | undefined): string | null =>
  code ? ((labels as Record<string, string>)[code] ?? code) : null;

export const categoryOf = (code: string | null): string | null => {
  if (!code) return null;
  const item = checklistItem(code);
  return item ? `${code} ${item.name}` : code;
};
