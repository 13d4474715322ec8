import { isLocalDate, type LocalDate } from '../shared/local-date';
import { normaliseText } from './names';

// The columns of a county's 问题清单 as counties title them. Each column has one key; the headers people actually
// write for it are its aliases (compared after NFKC and without spaces or brackets).

export type FindingListColumn =
  | 'seq'
  | 'source'
  | 'town'
  | 'village'
  | 'household'
  | 'description'
  | 'category'
  | 'severity'
  | 'unit'
  | 'dueDate'
  | 'status'
  | 'closedOn'
  | 'remark';

export interface ColumnSpec {
  key: FindingListColumn;
  /** The header the template and every message use. */
  label: string;
  aliases: readonly string[];
  required: boolean;
  /** A date column: its cells must be dates (a 400 names the cell otherwise). */
  date: boolean;
}

export const FINDING_LIST_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  { key: 'seq', label: '序号', aliases: ['编号'], required: false, date: false },
  { key: 'source', label: '问题来源', aliases: ['来源', '发现途径'], required: true, date: false },
  { key: 'town', label: '乡镇', aliases: ['乡镇街道', '乡镇(街道)', '所属乡镇', '乡(镇)', '镇(街道)'], required: true, date: false },
  { key: 'village', label: '村', aliases: ['村(社区)', '行政村', '村社区', '所属村'], required: false, date: false },
  { key: 'household', label: '户主', aliases: ['户', '农户', '户主姓名'], required: false, date: false },
  { key: 'description', label: '问题描述', aliases: ['存在问题', '问题', '问题内容', '具体问题'], required: true, date: false },
  { key: 'category', label: '问题类别', aliases: ['问题类型', '类别', '问题分类'], required: true, date: false },
  { key: 'severity', label: '问题等级', aliases: ['严重程度', '等级'], required: false, date: false },
  { key: 'unit', label: '责任单位', aliases: ['整改责任单位', '牵头单位'], required: false, date: false },
  { key: 'dueDate', label: '整改时限', aliases: ['整改期限', '完成时限'], required: false, date: true },
  { key: 'status', label: '整改情况', aliases: ['整改进展', '整改状态', '整改进度'], required: false, date: false },
  { key: 'closedOn', label: '销号时间', aliases: ['销号日期', '完成时间', '整改完成时间'], required: false, date: true },
  { key: 'remark', label: '备注', aliases: [], required: false, date: false },
]);

const headerKey = (text: string): string => normaliseText(text).replace(/[()（）【】\[\]]/gu, '');

const BY_HEADER: ReadonlyMap<string, ColumnSpec> = new Map(
  FINDING_LIST_COLUMNS.flatMap((c) => [c.label, ...c.aliases].map((h) => [headerKey(h), c] as const)),
);

/** The column a header names, or undefined for a header this import does not know. */
export const columnOfHeader = (header: string): ColumnSpec | undefined => BY_HEADER.get(headerKey(header));

export const columnSpec = (key: FindingListColumn): ColumnSpec => FINDING_LIST_COLUMNS.find((c) => c.key === key)!;

export type SheetDate = { ok: true; date: LocalDate } | { ok: false; reason: 'not_a_date' | 'impossible_date' };

const DATE_IN_TEXT = /(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?/u;

/** A date as typed into a cell: 2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日. A date that does not exist is not a date. */
export const parseSheetDate = (text: string): SheetDate => {
  const t = normaliseText(text);
  const m = new RegExp(`^${DATE_IN_TEXT.source}$`, 'u').exec(t);
  if (!m) return { ok: false, reason: 'not_a_date' };
  return dateOf(m);
};

/** The first date written inside free text (整改情况: "已于2026年3月5日完成整改并销号"), if any. */
export const findDateInText = (text: string): SheetDate | null => {
  const m = DATE_IN_TEXT.exec(normaliseText(text));
  return m ? dateOf(m) : null;
};

const dateOf = (m: RegExpExecArray): SheetDate => {
  const date = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isLocalDate(date) ? { ok: true, date } : { ok: false, reason: 'impossible_date' };
};
