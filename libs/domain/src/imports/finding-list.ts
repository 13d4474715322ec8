import { isSeverity, type Severity } from '../campaigns/policy';
import type { ImportFinding } from '../findings/commands';
import { type FindingSource, SOURCES } from '../findings/sources';
import { CHECKLIST_AREAS, CHECKLIST_ITEMS, checklistItem, checklistItemsOfArea } from '../reference/checklist';
import type { LocalDate } from '../shared/local-date';
import { columnSpec, findDateInText, type FindingListColumn } from './finding-list-columns';
import { type NameIndex, type NamedUnit, normaliseText, villageKey } from './names';

// The import's decisions, row by row, over what the reader found in the sheet and what the directory knows. Pure:
// the directory, today's date, the finding ids and the rows already in the store are passed in.

/** One data row as the reader hands it over: text cells trimmed, date cells already checked dates. */
export interface SheetRow {
  /** 1-based row number in the sheet, as Excel shows it. */
  row: number;
  values: Partial<Record<FindingListColumn, string>>;
}

/** What the importer decided for a row that needed a choice, sent with the commit. */
export interface RowChoice {
  townUnitId?: string;
  villageUnitId?: string;
  unitId?: string;
  categoryCode?: string;
}

export interface Suggestion {
  /** What to send back as the choice (a unit id or a checklist code). */
  value: string;
  label: string;
}

export interface RowProblem {
  column: string;
  code: string;
  message: string;
  /** What to choose from; empty when the row cannot be imported as it stands. */
  suggestions: Suggestion[];
  /** A choice can settle it (sent in the commit); otherwise the row is refused. */
  choosable: boolean;
}

export type RowVerdictKind = 'ok' | 'needs_choice' | 'refused' | 'already_imported';

export type ImportFindingData = ImportFinding['data'];

export interface RowVerdict {
  row: number;
  verdict: RowVerdictKind;
  /** open: comes in recorded, to be dispatched; closed: comes in as history. Null when refused. */
  kind: 'open' | 'closed' | null;
  problems: RowProblem[];
  findingId: string | null;
  command: ImportFindingData | null;
}

export interface ImportDirectory {
  towns: NameIndex;
  /** Villages by their town's unit id; a town without any keeps the sheet's village name as written. */
  villagesOf: (townUnitId: string) => NameIndex | null;
  /** Units a finding may be dispatched to (towns and departments), for 责任单位. */
  assignees: NameIndex;
}

export interface ImportContext {
  campaignId: string;
  sha256: string;
  /** Today in Asia/Shanghai: a closing date after it is refused. */
  today: LocalDate;
  directory: ImportDirectory;
  /** The finding's id from what makes it the same finding (campaign, town, village, household, description). */
  findingIdOf: (contentKey: string) => string;
  /** Ids already in the store: their rows are reported, not imported again. */
  existing: ReadonlySet<string>;
  choices: Readonly<Record<number, RowChoice>>;
}

/** A severity column may be absent: the middle of the ladder, so neither the red 3-day clock nor the blue 20. */
export const DEFAULT_IMPORT_SEVERITY: Severity = 'yellow';

const SOURCE_WORDS: ReadonlyArray<readonly [FindingSource, readonly string[]]> = [
  ['household_inspection', ['入户排查', '入户']],
  ['sector_inspection', ['行业排查', '行业']],
  ['assessment_feedback', ['考核评估', '后评估', '第三方评估', '评估反馈', '考核']],
  ['supervision_patrol', ['督查巡查', '巡视反馈', '巡视', '巡察', '巡查', '督查']],
  ['special_audit', ['专项审计', '审计']],
  ['covert_visit', ['暗访']],
  ['petition', ['信访', '举报']],
  ['media', ['媒体舆情', '媒体', '舆情']],
  ['self_inspection', ['自查']],
];

const SEVERITY_WORDS: Record<string, Severity> = { 红: 'red', 红色: 'red', 黄: 'yellow', 黄色: 'yellow', 蓝: 'blue', 蓝色: 'blue' };

const CLOSED_WORDS = /(销号|已完成|已整改|整改完成|完成整改|已办结|已清零)/u;
const NOT_CLOSED_WORDS = /(未完成|未整改|未销号|尚未|正在|整改中)/u;

const label = (key: FindingListColumn) => columnSpec(key).label;

/** Decides every row: the verdicts in sheet order. Duplicates within the sheet keep the first row. */
export function decideFindingList(rows: readonly SheetRow[], ctx: ImportContext): RowVerdict[] {
  const firstRowOf = new Map<string, number>();
  return rows.map((r) => {
    const v = decideRow(r, ctx);
    if (!v.command || !v.findingId) return v;
    const first = firstRowOf.get(v.findingId);
    if (first !== undefined) {
      return refuse(v, { column: label('description'), code: 'DUPLICATE_ROW', message: `与第 ${first} 行是同一问题（乡镇、村、户主与问题描述相同）`, suggestions: [], choosable: false });
    }
    firstRowOf.set(v.findingId, r.row);
    if (ctx.existing.has(v.findingId)) return { ...v, verdict: 'already_imported' };
    return v;
  });
}

const refuse = (v: RowVerdict, p: RowProblem): RowVerdict => ({ ...v, verdict: 'refused', kind: null, command: null, findingId: null, problems: [...v.problems, p] });

function decideRow(r: SheetRow, ctx: ImportContext): RowVerdict {
  const problems: RowProblem[] = [];
  const choice = ctx.choices[r.row] ?? {};
  const text = (key: FindingListColumn) => r.values[key]?.trim() ?? '';
  const missing = (key: FindingListColumn, what: string) =>
    problems.push({ column: label(key), code: 'EMPTY_CELL', message: `${what}为空`, suggestions: [], choosable: false });

  const description = text('description');
  if (!description) missing('description', '问题描述');

  const source = sourceOf(text('source'));
  if (!text('source')) missing('source', '问题来源');
  else if (!source) {
    problems.push({
      column: label('source'),
      code: 'UNKNOWN_SOURCE',
      message: `无法识别问题来源“${text('source')}”，应为：${SOURCES.map((s) => s.label).join('、')}`,
      suggestions: [],
      choosable: false,
    });
  }

  const severityText = normaliseText(text('severity'));
  const severity: Severity | null = !severityText
    ? DEFAULT_IMPORT_SEVERITY
    : (SEVERITY_WORDS[severityText] ?? (isSeverity(severityText) ? severityText : null));
  if (!severity) {
    problems.push({ column: label('severity'), code: 'UNKNOWN_SEVERITY', message: `问题等级应为 红/黄/蓝：“${text('severity')}”`, suggestions: [], choosable: false });
  }

  const categoryCode = resolveCategory(text('category'), choice.categoryCode, problems);
  const town = resolveUnit('town', text('town'), choice.townUnitId, ctx.directory.towns, '乡镇', problems);
  const village = town ? resolveVillage(text('village'), choice.villageUnitId, ctx.directory.villagesOf(town.unitId), problems) : text('village') || null;
  const unitText = text('unit');
  const unit = unitText ? resolveUnit('unit', unitText, choice.unitId, ctx.directory.assignees, '责任单位', problems) : null;

  const statusText = text('status');
  const closedWords = CLOSED_WORDS.test(statusText) && !NOT_CLOSED_WORDS.test(statusText);
  let closedOn: LocalDate | null = null;
  if (closedWords) {
    const inText = findDateInText(statusText);
    if (inText && !inText.ok) {
      problems.push({ column: label('status'), code: 'IMPOSSIBLE_DATE', message: `整改情况中的日期不存在：“${statusText}”`, suggestions: [], choosable: false });
    }
    closedOn = text('closedOn') || (inText?.ok ? inText.date : null);
    if (!closedOn && !(inText && !inText.ok)) {
      problems.push({
        column: label('closedOn'),
        code: 'MISSING_CLOSING_DATE',
        message: `整改情况为“${statusText}”，但没有销号时间：已销号的问题需要日期才能作为历史导入`,
        suggestions: [],
        choosable: false,
      });
    }
    if (closedOn && closedOn > ctx.today) {
      problems.push({ column: label('closedOn'), code: 'CLOSED_IN_THE_FUTURE', message: `销号时间 ${closedOn} 晚于今天`, suggestions: [], choosable: false });
    }
  }

  const refused = problems.some((p) => !p.choosable);
  const verdict: RowVerdictKind = refused ? 'refused' : problems.length ? 'needs_choice' : 'ok';
  if (verdict !== 'ok' || !town || !categoryCode || !source || !severity) {
    return { row: r.row, verdict: refused ? 'refused' : 'needs_choice', kind: null, problems, findingId: null, command: null };
  }
  const household = text('household') || null;
  const contentKey = [ctx.campaignId, town.unitId, village ? villageKey(village) : '', normaliseText(household ?? ''), normaliseText(description)].join('\n');
  const findingId = ctx.findingIdOf(contentKey);
  const dueDate = text('dueDate') || undefined;
  const command: ImportFindingData = {
    findingId,
    campaignId: ctx.campaignId,
    source,
    categoryCode,
    severity,
    townUnitId: town.unitId,
    ...(village ? { village } : {}),
    ...(household ? { household } : {}),
    description,
    importedFrom: { sha256: ctx.sha256, row: r.row },
    ...(unit ? { sheetUnitId: unit.unitId } : {}),
    ...(dueDate ? { sheetDueDate: dueDate } : {}),
    ...(closedOn ? { closed: { closedOn, statusText } } : {}),
  };
  return { row: r.row, verdict: 'ok', kind: closedOn ? 'closed' : 'open', problems, findingId, command };
}

const sourceOf = (typed: string): FindingSource | null => {
  const t = normaliseText(typed);
  if (!t) return null;
  const byLabel = SOURCES.find((s) => normaliseText(s.label) === t || s.code === t);
  if (byLabel) return byLabel.code;
  const hit = SOURCE_WORDS.find(([, words]) => words.some((w) => t.includes(w)));
  return hit ? hit[0] : null;
};

// Names end in 情况/政策 in the checklist and rarely in a sheet: compare what comes before.
const categoryCore = (name: string) => normaliseText(name).replace(/(相关)?(政策|情况)$/u, '');
const ITEM_CORES = CHECKLIST_ITEMS.map((item) => ({ item, core: categoryCore(item.name) }));

/** 问题类别: a checklist code ("2.3"), a code followed by the item's name, or the item's name. An area alone is a choice. */
function resolveCategory(typed: string, chosen: string | undefined, problems: RowProblem[]): string | null {
  const column = label('category');
  if (chosen !== undefined) {
    if (checklistItem(chosen)) return chosen;
    problems.push({ column, code: 'INVALID_CHOICE', message: `所选问题类别 ${chosen} 不在检查清单中`, suggestions: [], choosable: false });
    return null;
  }
  const t = normaliseText(typed);
  if (!t) {
    problems.push({ column, code: 'EMPTY_CELL', message: '问题类别为空', suggestions: [], choosable: false });
    return null;
  }
  const code = /^(\d\.\d{1,2})(?!\d)/u.exec(t)?.[1];
  if (code && checklistItem(code)) return code;
  const typedCore = categoryCore(t);
  const byName = ITEM_CORES.filter(({ core }) => typedCore.length >= 2 && (typedCore.includes(core) || core.includes(typedCore))).map(
    ({ item }) => item,
  );
  if (byName.length === 1) return byName[0].code;
  const area = CHECKLIST_AREAS.find((a) => normaliseText(a.name) === t);
  const candidates = byName.length > 1 ? byName : area ? checklistItemsOfArea(area.code) : [];
  problems.push({
    column,
    code: candidates.length ? 'AMBIGUOUS_CATEGORY' : 'UNKNOWN_CATEGORY',
    message: candidates.length ? `问题类别“${typed}”对应多个检查清单条目，请选择` : `检查清单中没有问题类别“${typed}”`,
    suggestions: candidates.map((i) => ({ value: i.code, label: `${i.code} ${i.name}` })),
    choosable: candidates.length > 0,
  });
  return null;
}

function resolveUnit(
  key: 'town' | 'unit',
  typed: string,
  chosen: string | undefined,
  index: NameIndex,
  what: string,
  problems: RowProblem[],
): NamedUnit | null {
  const column = label(key);
  if (chosen !== undefined) {
    const unit = index.byId(chosen);
    if (unit) return unit;
    problems.push({ column, code: 'INVALID_CHOICE', message: `所选${what} ${chosen} 不在单位名录中`, suggestions: [], choosable: false });
    return null;
  }
  if (!typed) {
    problems.push({ column, code: 'EMPTY_CELL', message: `${what}为空`, suggestions: [], choosable: false });
    return null;
  }
  const m = index.match(typed);
  if (m.kind === 'exact') return m.unit;
  const options = m.kind === 'ambiguous' ? m.candidates : m.suggestions;
  problems.push({
    column,
    code: m.kind === 'ambiguous' ? `AMBIGUOUS_${key.toUpperCase()}` : `UNKNOWN_${key.toUpperCase()}`,
    message:
      m.kind === 'ambiguous'
        ? `${what}“${typed}”与名录中多个单位相符，请选择`
        : options.length
          ? `名录中没有${what}“${typed}”，是否为：${options.map((u) => u.name).join('、')}？`
          : `名录中没有${what}“${typed}”，也没有相近的名称`,
    suggestions: options.map((u) => ({ value: u.unitId, label: u.name })),
    choosable: options.length > 0,
  });
  return null;
}

/** A village is matched when the directory lists the town's villages; otherwise the sheet's name is kept, tidied. */
function resolveVillage(typed: string, chosen: string | undefined, index: NameIndex | null, problems: RowProblem[]): string | null {
  if (!index || index.size === 0) return chosen ?? (typed ? normaliseText(typed) : null);
  if (!typed && chosen === undefined) return null;
  if (chosen !== undefined) {
    const unit = index.byId(chosen);
    if (unit) return unit.name;
    problems.push({ column: label('village'), code: 'INVALID_CHOICE', message: `所选村 ${chosen} 不在该乡镇的名录中`, suggestions: [], choosable: false });
    return null;
  }
  const m = index.match(typed);
  if (m.kind === 'exact') return m.unit.name;
  const options = m.kind === 'ambiguous' ? m.candidates : m.suggestions;
  problems.push({
    column: label('village'),
    code: m.kind === 'ambiguous' ? 'AMBIGUOUS_VILLAGE' : 'UNKNOWN_VILLAGE',
    message: options.length ? `村“${typed}”需确认，是否为：${options.map((u) => u.name).join('、')}？` : `该乡镇名录中没有村“${typed}”`,
    suggestions: options.map((u) => ({ value: u.unitId, label: u.name })),
    choosable: options.length > 0,
  });
  return null;
}
