import { InvalidInputError } from '../shared/errors';

/**
 * 月考评: the published, versioned formula every town and department is scored by. A published review records the
 * version and the weights it used, so a later formula never rescores a past month.
 */
export type ScoringFormula = {
  version: string;
  /**
   * The first month (YYYY-MM) scored by this version; a month is scored by the latest version in force for it. v1,
   * in force from the start, has none (so a review published under it records the very formula it always did).
   */
  effectiveFrom?: string;
  /** Points for the on-time closure rate (rate × weight); a unit with nothing due this month gets them in full. */
  onTimeClosureWeight: number;
  /**
   * Points for 举一反三 completeness (self-checks attested on time / self-checks due in the month); a unit asked
   * nothing gets them in full. Absent in formulas published before the term.
   */
  selfCheckCompletenessWeight?: number;
  /** Points every unit starts with besides the closure rate; penalties come off the total. */
  basePoints: number;
  penalties: {
    perOverdueFindingDay: number;
    perMissedDailyReport: number;
    perReopenAfterLookBack: number;
    perInterview: number;
    perAccountabilityReferral: number;
  };
  /** Ranked units at or above this rank are commended (ties share a rank, so more may be). */
  commendTopRanks: number;
  description: string;
};

export const SCORING_FORMULAS: Readonly<Record<string, ScoringFormula>> = Object.freeze({
  v1: Object.freeze({
    version: 'v1',
    onTimeClosureWeight: 60,
    basePoints: 40,
    penalties: Object.freeze({
      perOverdueFindingDay: 0.5,
      perMissedDailyReport: 2,
      perReopenAfterLookBack: 5,
      perInterview: 3,
      perAccountabilityReferral: 6,
    }),
    commendTopRanks: 3,
    description:
      '得分 = 60 × 按期销号率（本月无到期问题按 100% 计）+ 40 − 0.5 × 逾期问题天数 − 2 × 漏报整改进度次数 − 5 × 回头看重新打开次数 − 3 × 约谈次数 − 6 × 问责移交次数，最低 0 分，保留两位小数。' +
      '同分同名次（并列），并列名次后顺延；名次在前三（含并列）的单位通报表扬；得分最低且不在前三的单位（含并列）点名并作表态发言；本月无问题、无扣分事项的单位不参与排名。',
  }) as ScoringFormula,
  v2: Object.freeze({
    version: 'v2',
    effectiveFrom: '2027-01',
    onTimeClosureWeight: 50,
    selfCheckCompletenessWeight: 10,
    basePoints: 40,
    penalties: Object.freeze({
      perOverdueFindingDay: 0.5,
      perMissedDailyReport: 2,
      perReopenAfterLookBack: 5,
      perInterview: 3,
      perAccountabilityReferral: 6,
    }),
    commendTopRanks: 3,
    description:
      '自 2027 年 1 月起：得分 = 50 × 按期销号率（本月无到期问题按 100% 计）+ 10 × 举一反三完成率（本月到期的自查任务中按期签字的比例；本月无到期自查任务按 100% 计）+ 40 − 0.5 × 逾期问题天数 − 2 × 漏报整改进度次数 − 5 × 回头看重新打开次数 − 3 × 约谈次数 − 6 × 问责移交次数，最低 0 分，保留两位小数。' +
      '同分同名次（并列），并列名次后顺延；名次在前三（含并列）的单位通报表扬；得分最低且不在前三的单位（含并列）点名并作表态发言；本月无问题、无到期自查任务、无扣分事项的单位不参与排名。',
  }) as ScoringFormula,
});

/** The latest published version (listed as current); a month is scored by `scoringFormulaForMonth`. */
export const CURRENT_SCORING_FORMULA = 'v2';

/**
 * The version in force for a month: the latest whose `effectiveFrom` is not after it. A month already published keeps
 * the version recorded in its review; this decides only for a month being published.
 */
export const scoringFormulaForMonth = (month: string): ScoringFormula => {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new InvalidInputError('INVALID_MONTH', 'month', `月份格式应为 YYYY-MM：${month}`);
  const inForce = Object.values(SCORING_FORMULAS)
    .filter((f) => (f.effectiveFrom ?? '') <= month)
    .sort((a, b) => ((a.effectiveFrom ?? '') < (b.effectiveFrom ?? '') ? 1 : -1));
  return inForce[0] ?? SCORING_FORMULAS.v1;
};

export const scoringFormula = (version: string): ScoringFormula => {
  const formula = SCORING_FORMULAS[version];
  if (!formula) throw new InvalidInputError('UNKNOWN_SCORING_FORMULA', 'formulaVersion', `未知考评公式版本：${version}`);
  return formula;
};

/** One unit's month, as the read models saw it at the review. */
export type UnitMonthMetrics = {
  unitId: string;
  unitName: string;
  /** Findings assigned to the unit that were open at some time in the month. */
  activeFindings: number;
  /** Findings whose deadline fell in the month. */
  dueFindings: number;
  /** Of those, closed with the completion signed by the deadline. */
  closedOnTime: number;
  /** Σ over findings of the days in the month past their deadline before the completion was signed. */
  overdueFindingDays: number;
  missedDailyReports: number;
  reopensAfterLookBack: number;
  interviews: number;
  accountabilityReferrals: number;
  /** 举一反三 self-check tasks of the unit due in the month, and of those, attested by their deadline (formula v2 on). */
  selfChecksDue?: number;
  selfChecksAttestedOnTime?: number;
};

export type UnitScore = UnitMonthMetrics & {
  /** null when nothing fell due this month. */
  onTimeClosureRate: number | null;
  /** Only under a formula with the term: attested on time / due; null when no self-check fell due this month. */
  selfCheckCompleteness?: number | null;
  score: number;
  /** Unranked units (no findings and nothing to deduct) carry null. */
  rank: number | null;
  ranked: boolean;
  commended: boolean;
  namedLast: boolean;
  note: string | null;
};

const METRIC_FIELDS = [
  'activeFindings',
  'dueFindings',
  'closedOnTime',
  'overdueFindingDays',
  'missedDailyReports',
  'reopensAfterLookBack',
  'interviews',
  'accountabilityReferrals',
] as const;

const validateMetrics = (m: UnitMonthMetrics, i: number): void => {
  for (const f of METRIC_FIELDS) {
    const v = m[f];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new InvalidInputError('INVALID_METRIC', `units[${i}].${f}`, `考评指标 ${f} 应为非负整数`);
    }
  }
  if (m.closedOnTime > m.dueFindings) {
    throw new InvalidInputError('INVALID_METRIC', `units[${i}].closedOnTime`, '按期销号数不能多于到期问题数');
  }
  for (const f of ['selfChecksDue', 'selfChecksAttestedOnTime'] as const) {
    const v = m[f];
    if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
      throw new InvalidInputError('INVALID_METRIC', `units[${i}].${f}`, `考评指标 ${f} 应为非负整数`);
    }
  }
  if ((m.selfChecksAttestedOnTime ?? 0) > (m.selfChecksDue ?? 0)) {
    throw new InvalidInputError('INVALID_METRIC', `units[${i}].selfChecksAttestedOnTime`, '按期签字的自查任务数不能多于到期自查任务数');
  }
};

// Scores are kept in hundredths as integers so that equal scores compare equal (ties are a rule, not a float accident).
const toHundredths = (x: number): number => Math.round(x * 100);

export const scoreUnit = (
  m: UnitMonthMetrics,
  formula: ScoringFormula,
): { onTimeClosureRate: number | null; selfCheckCompleteness?: number | null; score: number } => {
  const rate = m.dueFindings > 0 ? m.closedOnTime / m.dueFindings : null;
  const p = formula.penalties;
  const completenessWeight = formula.selfCheckCompletenessWeight;
  const due = m.selfChecksDue ?? 0;
  const completeness = due > 0 ? (m.selfChecksAttestedOnTime ?? 0) / due : null;
  const raw =
    formula.onTimeClosureWeight * (rate ?? 1) +
    (completenessWeight ?? 0) * (completeness ?? 1) +
    formula.basePoints -
    p.perOverdueFindingDay * m.overdueFindingDays -
    p.perMissedDailyReport * m.missedDailyReports -
    p.perReopenAfterLookBack * m.reopensAfterLookBack -
    p.perInterview * m.interviews -
    p.perAccountabilityReferral * m.accountabilityReferrals;
  const fraction = (x: number | null) => (x === null ? null : toHundredths(x * 100) / 10_000);
  return {
    onTimeClosureRate: fraction(rate),
    // A formula without the term says nothing about it: a month published under v1 reads exactly as it always did.
    ...(completenessWeight === undefined ? {} : { selfCheckCompleteness: fraction(completeness) }),
    score: Math.max(0, toHundredths(raw)) / 100,
  };
};

const hasAnythingToScore = (m: UnitMonthMetrics, formula: ScoringFormula): boolean =>
  m.activeFindings > 0 ||
  m.dueFindings > 0 ||
  m.overdueFindingDays > 0 ||
  m.missedDailyReports > 0 ||
  m.reopensAfterLookBack > 0 ||
  m.interviews > 0 ||
  m.accountabilityReferrals > 0 ||
  (formula.selfCheckCompletenessWeight !== undefined && (m.selfChecksDue ?? 0) > 0);

export type Ranked<T> = T & { rank: number };

/** Standard competition ranking (1, 2, 2, 4): equal values share a rank; order within a tie is by unit id. */
export const rankByValue = <T extends { unitId: string }>(items: readonly T[], value: (t: T) => number): Ranked<T>[] => {
  const sorted = [...items].sort((a, b) => value(b) - value(a) || (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0));
  let rank = 0;
  return sorted.map((item, i) => {
    if (i === 0 || value(item) !== value(sorted[i - 1])) rank = i + 1;
    return { ...item, rank };
  });
};

/**
 * Scores and ranks every unit. Ties share a rank; every unit ranked within the top `commendTopRanks` is commended;
 * the lowest score is named only if it is outside the commended ranks (with one or all-tied units nobody is named).
 */
export const scoreAndRank = (units: readonly UnitMonthMetrics[], formula: ScoringFormula): UnitScore[] => {
  units.forEach(validateMetrics);
  const seen = new Set<string>();
  units.forEach((u, i) => {
    if (seen.has(u.unitId)) throw new InvalidInputError('DUPLICATE_UNIT', `units[${i}].unitId`, `单位重复：${u.unitId}`);
    seen.add(u.unitId);
  });
  const scored = units.map((u) => ({ ...u, ...scoreUnit(u, formula) }));
  const rankable = scored.filter((u) => hasAnythingToScore(u, formula));
  const ranked = rankByValue(rankable, (u) => toHundredths(u.score));
  const lowest = ranked.length > 0 ? ranked[ranked.length - 1].rank : null;
  const results: UnitScore[] = ranked.map((u) => {
    const commended = u.rank <= formula.commendTopRanks;
    const namedLast = !commended && u.rank === lowest;
    return {
      ...u,
      ranked: true,
      commended,
      namedLast,
      note: commended ? '通报表扬' : namedLast ? '点名，作表态发言' : null,
    };
  });
  const unranked = scored
    .filter((u) => !hasAnythingToScore(u, formula))
    .sort((a, b) => (a.unitId < b.unitId ? -1 : 1))
    .map((u) => ({ ...u, rank: null, ranked: false, commended: false, namedLast: false, note: '本月无问题，不参与排名' }));
  return [...results, ...unranked];
};

// ---------- 季排序 / 年总评 ----------

export type MonthlyUnitResult = { month: string; unitId: string; unitName: string; score: number; ranked: boolean };

export type AccumulatedScore = {
  unitId: string;
  unitName: string;
  /** Months in the period in which the unit was ranked. */
  months: number;
  total: number;
  average: number;
  rank: number;
  monthly: { month: string; score: number }[];
};

/**
 * Quarterly ranking and annual total accumulate the published monthly results: each unit's scores in months it was
 * ranked are summed and averaged, and units are ranked by the average (a unit with fewer scored months is not
 * punished for the months it had nothing to fix). Units never ranked in the period are left out.
 */
export const accumulateScores = (results: readonly MonthlyUnitResult[]): AccumulatedScore[] => {
  const byUnit = new Map<string, { unitName: string; monthly: { month: string; score: number }[] }>();
  const sorted = [...results].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
  for (const r of sorted) {
    if (!r.ranked) continue;
    const entry = byUnit.get(r.unitId) ?? { unitName: r.unitName, monthly: [] };
    entry.unitName = r.unitName;
    entry.monthly.push({ month: r.month, score: r.score });
    byUnit.set(r.unitId, entry);
  }
  const rows = [...byUnit.entries()].map(([unitId, e]) => {
    const totalH = e.monthly.reduce((s, m) => s + toHundredths(m.score), 0);
    return {
      unitId,
      unitName: e.unitName,
      months: e.monthly.length,
      total: totalH / 100,
      average: Math.round(totalH / e.monthly.length) / 100,
      monthly: e.monthly,
    };
  });
  return rankByValue(rows, (r) => toHundredths(r.average));
};
