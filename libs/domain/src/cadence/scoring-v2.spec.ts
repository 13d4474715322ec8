import { SYSTEM_ACTOR } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { sh, unitMetrics } from '../testing/fixtures';
import { type CadenceReportCommand, cadenceReportDecider, type MonthlyReviewPublished } from './reports';
import { CURRENT_SCORING_FORMULA, scoreAndRank, scoreUnit, scoringFormula, scoringFormulaForMonth, type UnitMonthMetrics } from './scoring';

/**
 * 月考评 v2: the v1 formula with a 举一反三 completeness term (self-checks attested on time / due in the month),
 * published from 2027-01. Months before keep v1, and a review under v1 is exactly what it always was.
 */
const v1 = scoringFormula('v1');
const v2 = scoringFormula('v2');
const unit = (unitId: string, over: Partial<UnitMonthMetrics> = {}): UnitMonthMetrics => unitMetrics(unitId, `单位${unitId}`, over);

describe('the scoring formula in force for a month', () => {
  it('v1 up to 2026-12, v2 from 2027-01; v2 is the current one', () => {
    expect(scoringFormulaForMonth('2026-11').version).toBe('v1');
    expect(scoringFormulaForMonth('2026-12').version).toBe('v1');
    expect(scoringFormulaForMonth('2027-01').version).toBe('v2');
    expect(scoringFormulaForMonth('2028-07').version).toBe('v2');
    expect(CURRENT_SCORING_FORMULA).toBe('v2');
    expect(v2).toMatchObject({ effectiveFrom: '2027-01', onTimeClosureWeight: 50, selfCheckCompletenessWeight: 10, basePoints: 40 });
    expect(v2.penalties).toEqual(v1.penalties);
    expect(v2.description).toContain('举一反三完成率');
  });

  it('a malformed month names the field', () => {
    expect(() => scoringFormulaForMonth('2027-13')).toThrow(expect.objectContaining({ kind: 'invalid_input', field: 'month' }));
  });
});

describe('v2: 50 × on-time closure + 10 × 举一反三 completeness + 40 − penalties', () => {
  it('scores the completeness term: 3 of 4 self-checks attested on time', () => {
    const m = unit('a', { activeFindings: 2, dueFindings: 2, closedOnTime: 1, selfChecksDue: 4, selfChecksAttestedOnTime: 3, interviews: 1 });
    // 50 × 0.5 + 10 × 0.75 + 40 − 3 = 69.5
    expect(scoreUnit(m, v2)).toEqual({ onTimeClosureRate: 0.5, selfCheckCompleteness: 0.75, score: 69.5 });
    // v1 ignores the term and says nothing of it: 60 × 0.5 + 40 − 3 = 67
    expect(scoreUnit(m, v1)).toEqual({ onTimeClosureRate: 0.5, score: 67 });
  });

  it('a unit asked nothing gets the term in full; a unit that signed none gets none of it', () => {
    expect(scoreUnit(unit('a', { activeFindings: 1 }), v2)).toEqual({ onTimeClosureRate: null, selfCheckCompleteness: null, score: 100 });
    expect(scoreUnit(unit('b', { activeFindings: 1, selfChecksDue: 2, selfChecksAttestedOnTime: 0 }), v2).score).toBe(90);
  });

  it('a unit whose only business was a self-check is ranked under v2, unranked under v1', () => {
    const units = [unit('a', { activeFindings: 1 }), unit('b', { selfChecksDue: 1, selfChecksAttestedOnTime: 0 })];
    expect(scoreAndRank(units, v2).map((u) => [u.unitId, u.ranked, u.score])).toEqual([['a', true, 100], ['b', true, 90]]);
    expect(scoreAndRank(units, v1).find((u) => u.unitId === 'b')).toMatchObject({ ranked: false, rank: null });
  });

  it('bad self-check metrics name the field', () => {
    expect(() => scoreAndRank([unit('a', { selfChecksDue: 1, selfChecksAttestedOnTime: 2 })], v2)).toThrow(
      expect.objectContaining({ kind: 'invalid_input', field: 'units[0].selfChecksAttestedOnTime' }),
    );
    expect(() => scoreAndRank([unit('a', { selfChecksDue: -1 })], v2)).toThrow(expect.objectContaining({ field: 'units[0].selfChecksDue' }));
  });
});

describe('月讲评 published under each version', () => {
  const spec = deciderSpec(cadenceReportDecider, undefined);
  const provenance = { asOf: '2026-12-01T01:00:00.000Z', checkpoint: '0:0' } as never;
  const review = (month: string, formulaVersion: string, units: UnitMonthMetrics[]): CadenceReportCommand => ({
    type: 'PublishMonthlyReview',
    data: { campaignId: 'c1', periodKey: month, provenance, content: { month, formulaVersion, units } },
    metadata: { now: sh('2026-12-01 09:00'), actor: SYSTEM_ACTOR },
  });

  it('a month under v1 reads exactly as before: the same formula record, scores and ranks, no completeness key', () => {
    const units = [unit('a', { activeFindings: 1, dueFindings: 1, closedOnTime: 1 }), unit('b', { activeFindings: 1, missedDailyReports: 2 })];
    const [e] = spec.given([]).when(review('2026-11', 'v1', units)).thenEvents() as MonthlyReviewPublished[];
    // What v1 recorded before v2 existed, literally.
    expect(e.data.formula).toEqual({
      version: 'v1',
      onTimeClosureWeight: 60,
      basePoints: 40,
      penalties: { perOverdueFindingDay: 0.5, perMissedDailyReport: 2, perReopenAfterLookBack: 5, perInterview: 3, perAccountabilityReferral: 6 },
      commendTopRanks: 3,
      description: v1.description,
    });
    expect(e.data.units.map((u) => Object.keys(u).sort())).toEqual(
      [0, 1].map(() =>
        [
          'unitId', 'unitName', 'activeFindings', 'dueFindings', 'closedOnTime', 'overdueFindingDays', 'missedDailyReports', 'reopensAfterLookBack',
          'interviews', 'accountabilityReferrals', 'onTimeClosureRate', 'score', 'rank', 'ranked', 'commended', 'namedLast', 'note',
        ].sort(),
      ),
    );
    expect(e.data.units.map((u) => [u.unitId, u.score, u.rank])).toEqual([['a', 100, 1], ['b', 96, 2]]);
    // Published once: the same month again appends nothing, whatever formula is current now.
    spec.given([e]).when(review('2026-11', 'v2', units)).then([]);
  });

  it('a month under v2 records v2 and each unit\'s completeness', () => {
    const units = [unit('a', { activeFindings: 1, selfChecksDue: 2, selfChecksAttestedOnTime: 1 })];
    const [e] = spec.given([]).when(review('2027-01', 'v2', units)).thenEvents() as MonthlyReviewPublished[];
    expect(e.data).toMatchObject({ month: '2027-01', formulaVersion: 'v2', formula: { version: 'v2', selfCheckCompletenessWeight: 10 } });
    expect(e.data.units[0]).toMatchObject({ selfChecksDue: 2, selfChecksAttestedOnTime: 1, selfCheckCompleteness: 0.5, score: 95 });
  });
});
