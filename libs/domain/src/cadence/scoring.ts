import { InvalidInputError } from '../shared/errors';

/**
 * 月考评: the published, versioned formula every town and department is scored by. A published review records the
 * version and the weights it used, so a later formula never rescores a past month.
 */
export type ScoringFormula = {
  version: string;
  /** Points for the on-time closure rate (rate × weight); a unit with nothing due this month gets them in full. */
  onTimeClosureWeight: number;
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
});

export const CURRENT_SCORING_FORMULA = 'v1';

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
};

export type UnitScore = UnitMonthMetrics & {
  /** null when nothing fell due this month. */
  onTimeClosureRate: number | null;
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
};

// Scores are kept in hundredths as integers so that equal scores compare equal (ties are a rule, not a float accident).
const toHundredths = (x: number): number => Math.round(x * 100);

export const scoreUnit = (m: UnitMonthMetrics, formula: ScoringFormula): { onTimeClosureRate: number | null; score: number } => {
  const rate = m.dueFindings > 0 ? m.closedOnTime / m.dueFindings : null;
  const p = formula.penalties;
  const raw =
    formula.onTimeClosureWeight * (rate ?? 1) +
    formula.basePoints -
    p.perOverdueFindingDay * m.overdueFindingDays -
    p.perMissedDailyReport * m.missedDailyReports -
    p.perReopenAfterLookBack * m.reopensAfterLookBack -
    p.perInterview * m.interviews -
    p.perAccountabilityReferral * m.accountabilityReferrals;
  return {
    onTimeClosureRate: rate === null ? null : toHundredths(rate * 100) / 10_000,
    score: Math.max(0, toHundredths(raw)) / 100,
  };
};

const hasAnythingToScore = (m: UnitMonthMetrics): boolean =>
  m.activeFindings > 0 ||
  m.dueFindings > 0 ||
  m.overdueFindingDays > 0 ||
  m.missedDailyReports > 0 ||
  m.reopensAfterLookBack > 0 ||
  m.interviews > 0 ||
  m.accountabilityReferrals > 0;

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
  const rankable = scored.filter(hasAnythingToScore);
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
    .filter((u) => !hasAnythingToScore(u))
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
