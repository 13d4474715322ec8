import { SYSTEM_ACTOR } from '../shared/actor';
import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, utc } from '../testing/fixtures';
import { cadenceReportStreamId } from './cadence';
import {
  CADENCE_REPORT_EVENT,
  type CadenceReportCommand,
  cadenceReportDecider,
  type DailyBulletinContent,
  weeklyRows,
  type WeeklyUnitInput,
} from './reports';
import type { UnitMonthMetrics } from './scoring';

const spec = deciderSpec(
  { decide: (c: CadenceReportCommand, s, _ctx: undefined) => cadenceReportDecider.decide(c, s), evolve: cadenceReportDecider.evolve, initialState: cadenceReportDecider.initialState },
  undefined,
);
const provenance = { asOf: utc('2026-10-12 18:00'), checkpoint: '812:3' };
const bulletin: DailyBulletinContent = {
  date: '2026-10-12',
  totals: { newFindings: 1, dispatched: 0, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 0, escalations: 0 },
  byUnit: [],
  items: [{ kind: 'new', findingId: 'f1', noticeNo: null, unitId: 'town-a', unitName: '甲镇', person: { userId: 'u-insp', name: '张督查' }, detail: '新发现问题' }],
};
const publishBulletin = (actor = SYSTEM_ACTOR): CadenceReportCommand => ({
  type: 'PublishDailyBulletin',
  data: { campaignId: 'c1', periodKey: '2026-10-12', provenance, content: bulletin },
  metadata: { now: sh('2026-10-12 18:00'), actor },
});

describe('published reports', () => {
  it('a bulletin is published once and then frozen', () => {
    const [event] = spec.given([]).when(publishBulletin()).thenEvents();
    expect(event).toEqual({
      type: 'DailyBulletinPublished',
      data: { campaignId: 'c1', periodKey: '2026-10-12', provenance, ...bulletin, signedBy: SYSTEM_ACTOR, at: utc('2026-10-12 18:00') },
    });
    spec.given([event]).when(publishBulletin()).then([]);
  });

  it('only the system publishes', () => {
    spec.given([]).when(publishBulletin(actors.supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
  });

  it('one stream per campaign, cadence and period; each cadence has its event', () => {
    expect(cadenceReportStreamId('c1', 'weekly_dispatch', '2026-W41')).toBe('cadence-c1-weekly_dispatch-2026-W41');
    expect(CADENCE_REPORT_EVENT).toEqual({
      daily_inspection: 'DailyBulletinPublished',
      daily_dispatch: 'DailyDispatchListPublished',
      weekly_dispatch: 'WeeklyDispatchPublished',
      monthly_review: 'MonthlyReviewPublished',
    });
  });
});

describe('周调度: chronic overdue', () => {
  const row = (unitId: string, overdue: number, previousOverdueWeeks: number): WeeklyUnitInput => ({
    unitId, unitName: unitId, open: 5, dueThisWeek: 1, overdue, escalated: 0, previousOverdueWeeks,
  });

  it('a unit overdue three weekly dispatches in a row is listed for interview; a clean week resets the count', () => {
    expect(weeklyRows([row('a', 2, 2), row('b', 1, 1), row('c', 0, 5)]).map((r) => [r.unitId, r.overdueWeeks, r.chronicOverdue])).toEqual([
      ['a', 3, true],
      ['b', 2, false],
      ['c', 0, false],
    ]);
  });

  it('the published weekly dispatch carries the interview list', () => {
    const [event] = spec
      .given([])
      .when({
        type: 'PublishWeeklyDispatch',
        data: { campaignId: 'c1', periodKey: '2026-W41', provenance, content: { week: '2026-W41', periodStart: '2026-10-05', periodEnd: '2026-10-11', units: [row('a', 2, 2), row('b', 0, 0)] } },
        metadata: { now: sh('2026-10-08 09:00'), actor: SYSTEM_ACTOR },
      })
      .thenEvents();
    expect(event.type).toBe('WeeklyDispatchPublished');
    expect(event.data).toMatchObject({ week: '2026-W41', interviewList: [{ unitId: 'a', unitName: 'a', overdue: 2, overdueWeeks: 3 }] });
  });
});

describe('月讲评: MonthlyReviewPublished freezes the scores under the formula version', () => {
  const m = (unitId: string, missedDailyReports: number, activeFindings = 1): UnitMonthMetrics => ({
    unitId, unitName: unitId, activeFindings, dueFindings: 0, closedOnTime: 0, overdueFindingDays: 0, missedDailyReports, reopensAfterLookBack: 0, interviews: 0, accountabilityReferrals: 0,
  });
  const review = (formulaVersion = 'v1'): CadenceReportCommand => ({
    type: 'PublishMonthlyReview',
    data: {
      campaignId: 'c1', periodKey: '2026-09', provenance,
      content: { month: '2026-09', formulaVersion, units: [m('a', 0), m('b', 1), m('c', 2), m('d', 3), m('e', 4), m('z', 0, 0)] },
    },
    metadata: { now: sh('2026-10-08 09:00'), actor: SYSTEM_ACTOR },
  });

  it('top three commended, the last named, the empty unit unranked; the formula is recorded with it', () => {
    const [event] = spec.given([]).when(review()).thenEvents();
    expect(event.type).toBe('MonthlyReviewPublished');
    const data = event.data as Extract<typeof event, { type: 'MonthlyReviewPublished' }>['data'];
    expect(data.commended).toEqual(['a', 'b', 'c']);
    expect(data.namedLast).toEqual(['e']);
    expect(data.formulaVersion).toBe('v1');
    expect(data.formula.penalties.perMissedDailyReport).toBe(2);
    expect(data.units.find((u) => u.unitId === 'z')).toMatchObject({ ranked: false, rank: null });
    spec.given([event]).when(review()).then([]);
  });

  it('an unknown formula version is refused', () => {
    spec.given([]).when(review('v9')).thenThrows({ kind: 'invalid_input', code: 'UNKNOWN_SCORING_FORMULA' });
  });
});
