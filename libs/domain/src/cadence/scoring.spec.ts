import fc from 'fast-check';
import { unitMetrics } from '../testing/fixtures';
import {
  accumulateScores,
  CURRENT_SCORING_FORMULA,
  rankByValue,
  scoreAndRank,
  scoreUnit,
  scoringFormula,
  type UnitMonthMetrics,
} from './scoring';

const v1 = scoringFormula('v1');

const unit = (unitId: string, over: Partial<UnitMonthMetrics> = {}): UnitMonthMetrics =>
  unitMetrics(unitId, `单位${unitId}`, { activeFindings: 1, ...over });

describe('the v1 scoring formula', () => {
  it('is published (v2, with 举一反三 completeness, is the current one: scoring-v2.spec)', () => {
    expect(CURRENT_SCORING_FORMULA).toBe('v2');
    expect(v1.description).toContain('按期销号率');
    expect(() => scoringFormula('v0')).toThrow(expect.objectContaining({ code: 'UNKNOWN_SCORING_FORMULA', kind: 'invalid_input' }));
  });

  it('60 × on-time closure rate + 40, less each penalty', () => {
    expect(scoreUnit(unit('a', { dueFindings: 4, closedOnTime: 3 }), v1)).toEqual({ onTimeClosureRate: 0.75, score: 85 });
    expect(
      scoreUnit(
        unit('b', {
          dueFindings: 2,
          closedOnTime: 1,
          overdueFindingDays: 7,
          missedDailyReports: 2,
          reopensAfterLookBack: 1,
          interviews: 1,
          accountabilityReferrals: 1,
        }),
        v1,
      ),
      // 30 + 40 − 3.5 − 4 − 5 − 3 − 6
    ).toEqual({ onTimeClosureRate: 0.5, score: 48.5 });
  });

  it('nothing due this month counts as full on-time marks; the rate is reported as null, not 100%', () => {
    expect(scoreUnit(unit('a', { dueFindings: 0 }), v1)).toEqual({ onTimeClosureRate: null, score: 100 });
  });

  it('never goes below zero', () => {
    expect(scoreUnit(unit('a', { dueFindings: 1, overdueFindingDays: 400 }), v1).score).toBe(0);
  });

  it('thirds round to hundredths and equal scores compare equal', () => {
    const a = scoreUnit(unit('a', { dueFindings: 3, closedOnTime: 1 }), v1);
    const b = scoreUnit(unit('b', { dueFindings: 6, closedOnTime: 2 }), v1);
    expect(a).toEqual({ onTimeClosureRate: 0.3333, score: 60 });
    expect(b.score).toBe(a.score);
  });

  it('refuses impossible metrics, naming the field', () => {
    expect(() => scoreAndRank([unit('a', { dueFindings: 1, closedOnTime: 2 })], v1)).toThrow(
      expect.objectContaining({ code: 'INVALID_METRIC', field: 'units[0].closedOnTime' }),
    );
    expect(() => scoreAndRank([unit('a', { missedDailyReports: -1 })], v1)).toThrow(
      expect.objectContaining({ field: 'units[0].missedDailyReports' }),
    );
    expect(() => scoreAndRank([unit('a'), unit('a')], v1)).toThrow(expect.objectContaining({ code: 'DUPLICATE_UNIT' }));
  });
});

describe('ranking a month', () => {
  it('ties share a rank, the next rank is skipped; every unit within the top three ranks is commended', () => {
    const result = scoreAndRank(
      [
        unit('u1', { overdueFindingDays: 2 }), // 99
        unit('u2'), // 100
        unit('u3', { overdueFindingDays: 2 }), // 99
        unit('u4', { overdueFindingDays: 4 }), // 98
        unit('u5', { missedDailyReports: 5 }), // 90
        unit('u6', { missedDailyReports: 5 }), // 90
      ],
      v1,
    );
    expect(result.map((r) => [r.unitId, r.score, r.rank, r.commended, r.namedLast])).toEqual([
      ['u2', 100, 1, true, false],
      ['u1', 99, 2, true, false],
      ['u3', 99, 2, true, false],
      ['u4', 98, 4, false, false],
      ['u5', 90, 5, false, true],
      ['u6', 90, 5, false, true],
    ]);
  });

  it('a tie at third place commends all of it', () => {
    const result = scoreAndRank([unit('a'), unit('b', { missedDailyReports: 1 }), unit('c', { missedDailyReports: 2 }), unit('d', { missedDailyReports: 2 }), unit('e', { missedDailyReports: 9 })], v1);
    expect(result.filter((r) => r.commended).map((r) => r.unitId)).toEqual(['a', 'b', 'c', 'd']);
    expect(result.filter((r) => r.namedLast).map((r) => r.unitId)).toEqual(['e']);
  });

  it('units with no findings and nothing to deduct are listed, unranked, never commended or named', () => {
    const result = scoreAndRank([unit('busy', { missedDailyReports: 3 }), unit('empty', { activeFindings: 0 })], v1);
    expect(result[1]).toMatchObject({ unitId: 'empty', score: 100, rank: null, ranked: false, commended: false, namedLast: false, note: '本月无问题，不参与排名' });
    expect(result[0]).toMatchObject({ unitId: 'busy', rank: 1, commended: true, namedLast: false });
  });

  it('a unit with no open findings but a deduction (a reopen) is ranked', () => {
    const result = scoreAndRank([unit('a', { activeFindings: 0, reopensAfterLookBack: 1 })], v1);
    expect(result[0]).toMatchObject({ ranked: true, rank: 1, score: 95 });
  });

  it('nobody is named last when every ranked unit ties, or when there are three or fewer', () => {
    expect(scoreAndRank([unit('a'), unit('b'), unit('c'), unit('d'), unit('e')], v1).some((r) => r.namedLast)).toBe(false);
    expect(scoreAndRank([unit('a'), unit('b', { missedDailyReports: 9 })], v1).some((r) => r.namedLast)).toBe(false);
    expect(scoreAndRank([], v1)).toEqual([]);
  });

  it('property: ranks are competition ranks — equal score ⇔ equal rank, and rank = 1 + units strictly ahead', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }), (days) => {
        const ranked = scoreAndRank(days.map((d, i) => unit(`u${String(i).padStart(2, '0')}`, { overdueFindingDays: d })), v1);
        for (const r of ranked) {
          expect(r.rank).toBe(1 + ranked.filter((o) => o.score > r.score).length);
          expect(r.commended).toBe((r.rank ?? 99) <= 3);
        }
        const lowest = Math.min(...ranked.map((r) => r.score));
        for (const r of ranked) if (r.namedLast) expect(r.score).toBe(lowest);
      }),
    );
  });
});

describe('quarterly ranking and annual total', () => {
  it('accumulate the months a unit was ranked in, rank by the average, ties share a rank', () => {
    const results = [
      { month: '2026-10', unitId: 'a', unitName: '甲镇', score: 90, ranked: true },
      { month: '2026-11', unitId: 'a', unitName: '甲镇', score: 80, ranked: true },
      { month: '2026-10', unitId: 'b', unitName: '乙镇', score: 85, ranked: true },
      { month: '2026-11', unitId: 'b', unitName: '乙镇', score: 100, ranked: false }, // no findings that month
      { month: '2026-10', unitId: 'c', unitName: '丙局', score: 70, ranked: true },
      { month: '2026-11', unitId: 'c', unitName: '丙局', score: 99.99, ranked: true },
      { month: '2026-12', unitId: 'd', unitName: '丁局', score: 100, ranked: false },
    ];
    expect(accumulateScores(results)).toEqual([
      { unitId: 'a', unitName: '甲镇', months: 2, total: 170, average: 85, rank: 1, monthly: [{ month: '2026-10', score: 90 }, { month: '2026-11', score: 80 }] },
      { unitId: 'b', unitName: '乙镇', months: 1, total: 85, average: 85, rank: 1, monthly: [{ month: '2026-10', score: 85 }] },
      { unitId: 'c', unitName: '丙局', months: 2, total: 169.99, average: 85, rank: 1, monthly: [{ month: '2026-10', score: 70 }, { month: '2026-11', score: 99.99 }] },
    ]);
  });

  it('a lower average ranks below', () => {
    const ranked = rankByValue([{ unitId: 'x', v: 1 }, { unitId: 'y', v: 3 }, { unitId: 'z', v: 3 }], (r) => r.v);
    expect(ranked.map((r) => [r.unitId, r.rank])).toEqual([['y', 1], ['z', 1], ['x', 3]]);
  });
});
