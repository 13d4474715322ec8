import { addDays, compareLocalDates, type LocalDate, shanghaiDateOf, shanghaiInstant } from '@duban/domain';
import { actors, CadenceTimeline } from './cadence-timeline';
import { cadenceScenario, cadenceScenarioProblems } from './scenarios';

const { inspector, supervisor, officialA } = actors;
const CAMPAIGN_ID = 'c-cutoff';

/**
 * The daily report cutoff (issue 15 item 6): one run of the campaign's `report_cutoff` schedule at policy.progressCutoff
 * records each finding's missed progress report, instead of a timer per finding. The month is cadence.workflow.spec's
 * (built from today, checked by scenarios.spec.ts): a weekday rest day on the first Monday, a make-up Saturday (调休)
 * the same week, ordinary weekends at rest. The schedule fires every calendar day; the campaign calendar decides.
 */
const scenario = cadenceScenario(shanghaiDateOf(new Date().toISOString()));

describe(`the daily report cutoff through ${scenario.month} (time-skipping Temporal, real PostgreSQL and read models)`, () => {
  let t: CadenceTimeline;
  const { seedDay, makeUpSaturday, workdays } = scenario;
  // From the day after the claims to the Monday after the make-up Saturday: workdays, the make-up day and rest days.
  const days: LocalDate[] = [];
  for (let d = addDays(seedDay, 1); compareLocalDates(d, addDays(makeUpSaturday, 2)) <= 0; d = addDays(d, 1)) days.push(d);
  const owed = days.filter((d) => workdays.includes(d));
  const lateDay = owed[0];
  const cutoff = (d: LocalDate) => new Date(shanghaiInstant(d, '17:30')).toISOString();
  const results = new Map<LocalDate, unknown>();
  let rerun: { result: unknown; before: number; after: number };

  beforeAll(async () => {
    t = await CadenceTimeline.start(CAMPAIGN_ID);
    await t.seedDirectory([{ id: 'town-a', name: '宁平镇', kind: 'town' }], [officialA]);
    await t.h.createCampaign(CAMPAIGN_ID, {
      name: '日报截止测试专项行动',
      phases: [{ code: 'rectification', name: '集中整改', ...scenario.phase }],
      calendarOverrides: scenario.calendarOverrides,
    });
    await t.h.advanceTo(shanghaiInstant(seedDay, '10:00'));
    for (const id of ['f-silent', 'f-reports', 'f-late']) {
      const at = shanghaiInstant(seedDay, '10:00');
      const data = { findingId: id, campaignId: CAMPAIGN_ID, source: 'household_inspection' as const, categoryCode: '2.3', severity: 'blue' as const, townUnitId: 'town-a', description: '危房未改造', evidence: ['photo-1'] };
      await t.act(id, 'RecordFinding', data, inspector, at);
      await t.act(id, 'DispatchFinding', { unitId: 'town-a' }, supervisor, at);
      await t.act(id, 'ClaimFinding', {}, officialA, at);
    }
    for (const day of days) {
      if (owed.includes(day)) {
        await t.h.advanceTo(shanghaiInstant(day, '10:00'));
        await t.act('f-reports', 'ReportProgress', { summary: '正在整改', evidence: [] }, officialA, shanghaiInstant(day, '10:00'));
      }
      if (day === lateDay) {
        // Filed half an hour after the cutoff, before the day's run gets to it (the run is late): the day was missed.
        await t.h.advanceTo(shanghaiInstant(day, '18:00'));
        await t.act('f-late', 'ReportProgress', { summary: '补报', evidence: [] }, officialA, shanghaiInstant(day, '18:00'));
        await t.h.advanceTo(shanghaiInstant(day, '18:30'));
      } else {
        await t.h.advanceTo(shanghaiInstant(day, '17:30'));
      }
      const firing = await t.fire('report_cutoff', new Date(await t.h.now()).toISOString());
      results.set(day, (await t.settle(firing, { completed: true })).result);
      if (day === lateDay) {
        const before = await t.eventCount();
        const again = await t.settle(await t.fire('report_cutoff', firing.firedAt, '-again'), { completed: true });
        rerun = { result: again.result, before, after: await t.eventCount() };
      }
    }
  }, 180_000);
  afterAll(async () => t?.teardown());

  const missed = async (id: string) =>
    (await t.eventsOf(`finding-${id}`))
      .filter((e) => e.type === 'DailyReportMissed')
      .map((e) => {
        const d = e.data as { workday: string; cutoffAt: string; at: string; accountable: { person: { userId: string } | null; step: string } };
        return [d.workday, d.cutoffAt, d.at, d.accountable.person?.userId, d.accountable.step];
      });

  it('the scenario has workdays, the make-up Saturday and rest days after the claims', () => {
    expect(cadenceScenarioProblems(scenario)).toEqual([]);
    expect(owed).toContain(makeUpSaturday);
    expect(days.length - owed.length).toBeGreaterThanOrEqual(1);
  });

  it('records exactly one missed report per owing finding and workday, at the cutoff, answered for by the owner', async () => {
    const each = owed.map((d) => [d, cutoff(d), cutoff(d), officialA.userId, 'FindingClaimed']);
    expect(await missed('f-silent')).toEqual(each);
    // The report filed after the day's cutoff does not settle it, though the run came after the report.
    expect(await missed('f-late')).toEqual(each);
    expect(await missed('f-reports')).toEqual([]);
  });

  it('runs on workdays (the make-up Saturday too) and skips rest days', () => {
    for (const d of days) {
      if (owed.includes(d)) expect(results.get(d)).toEqual({ status: 'swept', runDate: d, findings: 3, missedDailyReports: 2 });
      else expect(results.get(d)).toEqual({ status: 'skipped', firedDate: d, reason: 'REST_DAY' });
    }
  });

  it('a second run of the same day appends nothing', () => {
    expect(rerun.result).toEqual({ status: 'swept', runDate: lateDay, findings: 3, missedDailyReports: 0 });
    expect(rerun.after).toBe(rerun.before);
  });
});
