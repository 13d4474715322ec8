import {
  type Actor,
  addDays,
  type Cadence,
  type CadenceFiring,
  type ScheduledCadence,
  cadenceFirings,
  dayOfWeek,
  DEFAULT_POLICY,
  isoWeekOf,
  isWeekend,
  type LocalDate,
  monthRange,
  previousMonth,
  scoringFormulaForMonth,
  shanghaiDateOf,
  shanghaiInstant,
  yearOf,
} from '@duban/domain';
import type { CadenceWorkflowResult } from '@duban/contracts';
import { actors, CadenceTimeline, type Firing } from './cadence-timeline';
import { recordHistoriesIfAsked } from './histories';
import { cadenceScenario, cadenceScenarioProblems, firstWorkdayFrom } from './scenarios';

const { inspector, supervisor } = actors;
const CAMPAIGN_ID = 'c-cadence';
const leader2: Actor = { userId: 'u-insp2', name: '陈督查', unitId: 'team-2', role: 'inspector' };

/**
 * The month the scenario runs through, built from today (./scenarios.ts, checked for years of future todays by
 * scenarios.spec.ts): Temporal's test clock starts at the real now and only moves forward, so it is the first whole
 * month that starts at least two days from now, and the campaign brings its own days, as DESIGN allows — a weekday rest
 * day on the 1st and on the first Monday (standing in for a holiday that moves the monthly review and the weekly
 * dispatch), a make-up Saturday (调休) that same week, and every other weekday a workday whatever the official data.
 */
const scenario = cadenceScenario(shanghaiDateOf(new Date().toISOString()));

/** The firings the schedules make on a date: the same cadenceFirings the schedules are built from, expanded. */
const firingsOn = (date: LocalDate, firings: CadenceFiring[]): Array<{ cadence: ScheduledCadence; at: string }> =>
  firings
    .filter((f) => (f.dayOfWeek === 'MONDAY' ? dayOfWeek(date) === 1 : f.dayOfMonth === 1 ? date.endsWith('-01') : true))
    .map((f) => ({ cadence: f.cadence, at: shanghaiInstant(date, f.time) }));

/**
 * A run that is not deferred happens at its firing. On the test server that is the run's start time (it has no
 * scheduled-time attribute), which the test sets by moving the clock there first: a moment after the instant.
 */
const expectFiredAt = (actual: string, firing: string) => {
  expect(Date.parse(actual)).toBeGreaterThanOrEqual(Date.parse(firing));
  expect(Date.parse(actual)).toBeLessThan(Date.parse(firing) + 60_000);
};

describe(`cadence workflow through ${scenario.month} (time-skipping Temporal, real PostgreSQL and read models)`, () => {
  let t: CadenceTimeline;
  const { month, days, first, firstMonday, restDays, makeUpSaturday, workdays, seedDay, earlyDay, seedTimes } = scenario;
  const results = new Map<string, CadenceWorkflowResult>();
  const key = (cadence: ScheduledCadence, date: LocalDate) => `${cadence}@${date}`;
  // Histories of these runs are checked in (workflows/histories) and replayed by finding.replay.spec.ts;
  // `RECORD_WORKFLOW_HISTORIES=1 npx jest workflows/test/cadence.workflow.spec.ts` refreshes them.
  const recorded: Record<string, string> = {};
  let rerun: { first: CadenceWorkflowResult; again: CadenceWorkflowResult; before: number; after: number };

  beforeAll(async () => {
    t = await CadenceTimeline.start(CAMPAIGN_ID);
    await t.seedDirectory(
      [
        { id: 'town-a', name: '宁平镇', kind: 'town' },
        { id: 'town-b', name: '张庄镇', kind: 'town' },
        { id: 'team-1', name: '第一督查组', kind: 'supervision_team', leader: inspector },
        { id: 'team-2', name: '第二督查组', kind: 'supervision_team', leader: leader2 },
      ],
      [inspector, leader2],
    );
    await t.h.createCampaign(CAMPAIGN_ID, {
      name: '节奏测试专项行动',
      // The month before is in the campaign too, so the 1st's monthly review has a month to review.
      phases: [{ code: 'rectification', name: '集中整改', ...scenario.phase }],
      calendarOverrides: scenario.calendarOverrides,
    });

    // The month, in time order: every schedule firing, and a little work on the first workday so the reports say something.
    const acts: Array<{ at: string; run: () => Promise<void> }> = [];
    for (const day of days) {
      for (const f of firingsOn(day, cadenceFirings(DEFAULT_POLICY.inspectionCutoff))) {
        acts.push({ at: f.at, run: () => fireAndSettle(f.cadence as Cadence, day, f.at) });
      }
    }
    const at = (time: string) => shanghaiInstant(seedDay, time);
    const finding = (findingId: string, townUnitId: string) => ({
      findingId,
      campaignId: CAMPAIGN_ID,
      source: 'household_inspection' as const,
      categoryCode: '2.3',
      severity: 'red' as const,
      townUnitId,
      description: '危房未改造',
      evidence: ['photo-1'],
    });
    const [recordF1, recordF2] = seedTimes.record.map(at);
    const dispatchF1 = at(seedTimes.dispatch);
    const reportTeam1 = at(seedTimes.inspectionReport);
    acts.push(
      { at: recordF1, run: () => t.act('f-1', 'RecordFinding', finding('f-1', 'town-a'), inspector, recordF1) },
      { at: recordF2, run: () => t.act('f-2', 'RecordFinding', finding('f-2', 'town-b'), inspector, recordF2) },
      {
        at: dispatchF1,
        run: () =>
          t.act('f-1', 'DispatchFinding', { unitId: 'town-a' }, supervisor, dispatchF1),
      },
      // The first team files in time that day; the second does not.
      { at: reportTeam1, run: () => t.fileInspectionReport('team-1', seedDay, inspector, reportTeam1) },
      // A manual trigger of the daily inspection in the morning of the next workday: it must wait for the cutoff.
      { at: shanghaiInstant(earlyDay, '08:00'), run: () => fireEarly() },
    );
    acts.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

    for (const act of acts) {
      await t.h.advanceTo(act.at);
      await settleDeferred(act.at);
      await act.run();
    }
    await t.h.advanceTo(addDays(monthRange(month).end, 1) + 'T00:00:00+08:00');
    await settleDeferred(new Date(await t.h.now()).toISOString());
    expect(waiting).toEqual([]);
  }, 120_000);

  /** Runs that sleep until a later workday of the week or month, woken when the clock gets there. */
  const waiting: Array<{ firing: Firing; date: LocalDate; runAt: string; label?: string }> = [];

  let earlyPlanRunAt: string | null = null;
  const fireEarly = async () => {
    const firing = await t.fire('daily_inspection', shanghaiInstant(earlyDay, '08:00'), '-early');
    const { result, status } = await t.settle(firing);
    expect(result).toBeNull();
    earlyPlanRunAt = (status!.plan as { runAt: string }).runAt;
    waiting.push({ firing, date: earlyDay, runAt: earlyPlanRunAt, label: 'early' });
  };

  const fireAndSettle = async (cadence: Cadence, date: LocalDate, at: string) => {
    const firing = await t.fire(cadence, at);
    if (cadence === 'daily_inspection' && date === seedDay) recorded['cadence-inspection'] = firing.workflowId;
    if (cadence === 'weekly_dispatch' && date === firstMonday) recorded['cadence-deferred'] = firing.workflowId;
    const { result, status } = await t.settle(firing);
    if (result?.status === 'skipped') recorded['cadence-skipped'] ??= firing.workflowId;
    if (result) results.set(key(cadence, date), result);
    else waiting.push({ firing, date, runAt: (status!.plan as { runAt: string }).runAt });

    if (cadence === 'daily_inspection' && date === seedDay) {
      // The same day's firing again (a catch-up, a manual trigger): the report is frozen, nothing is missed twice.
      const before = await t.eventCount();
      const again = await t.settle(await t.fire(cadence, at, '-again'));
      rerun = { first: result!, again: again.result!, before, after: await t.eventCount() };
    }
  };

  const settleDeferred = async (now: string) => {
    const due = waiting.filter((w) => Date.parse(w.runAt) <= Date.parse(now));
    if (!due.length) return;
    // A second past the wake-up time, so the timer has surely fired.
    await t.h.advanceTo(new Date(Date.parse(now) + 1000).toISOString());
    for (const w of due) {
      const { result } = await t.settle(w.firing, { completed: true });
      results.set(key(w.firing.cadence, w.date) + (w.label ? `:${w.label}` : ''), result!);
      waiting.splice(waiting.indexOf(w), 1);
    }
  };

  afterAll(async () => {
    try {
      if (t) await recordHistoriesIfAsked(recorded, (id) => t.h.handle(id).fetchHistory());
    } finally {
      await t?.teardown();
    }
  });

  it('uses a month with a weekday holiday, a make-up Saturday and ordinary weekends', () => {
    expect(cadenceScenarioProblems(scenario)).toEqual([]);
    expect(restDays).toContain(firstMonday);
    expect(workdays).toContain(makeUpSaturday);
    expect(dayOfWeek(makeUpSaturday)).toBe(6);
    expect(days.filter((d) => isWeekend(d) && d !== makeUpSaturday).length).toBeGreaterThanOrEqual(7);
  });

  it('publishes the daily inspection bulletin and the daily dispatch list on exactly the campaign workdays', () => {
    for (const cadence of ['daily_inspection', 'daily_dispatch'] as const) {
      const published = days.filter((d) => results.get(key(cadence, d))?.status === 'published');
      expect(published).toEqual(workdays);
      for (const d of days.filter((x) => !workdays.includes(x))) {
        expect(results.get(key(cadence, d))).toEqual({ status: 'skipped', firedDate: d, reason: 'REST_DAY' });
      }
    }
    // The make-up Saturday works; the holidays and the ordinary weekends do not.
    expect(results.get(key('daily_dispatch', makeUpSaturday))).toMatchObject({ status: 'published', runDate: makeUpSaturday, appended: true });
    for (const d of restDays) expect(results.get(key('daily_inspection', d))).toMatchObject({ status: 'skipped', reason: 'REST_DAY' });
  });

  it('records a missed inspection report against the team leader, on workdays only, unless the team filed', async () => {
    const missed = await t.eventsOf(`inspection-${CAMPAIGN_ID}-`);
    const byDay = new Map<string, string[]>();
    for (const e of missed.filter((x) => x.type === 'InspectionReportMissed')) {
      const d = e.data as any;
      expect(d.cutoffAt).toBe(shanghaiInstant(d.date, '18:00'));
      expect(d.at).toBe(d.cutoffAt);
      expect(d.signedBy.role).toBe('system');
      byDay.set(d.date, [...(byDay.get(d.date) ?? []), `${d.teamId}:${d.accountable.person?.userId}`]);
    }
    expect([...byDay.keys()].sort()).toEqual(workdays);
    for (const d of workdays) {
      expect(byDay.get(d)).toEqual(d === seedDay ? ['team-2:u-insp2'] : ['team-1:u-insp', 'team-2:u-insp2']);
      expect(results.get(key('daily_inspection', d))).toMatchObject({ missedInspectionReports: d === seedDay ? 1 : 2 });
    }
  });

  it('moves the weekly dispatch of the holiday week to its next workday, and runs the others on Monday', async () => {
    const weekly = (await t.eventsOf(`cadence-${CAMPAIGN_ID}-weekly_dispatch-`)).map((e) => e.data as any);
    const mondays = days.filter((d) => dayOfWeek(d) === 1);
    expect(weekly.map((w) => w.week)).toEqual(mondays.map((m) => isoWeekOf(m).key));
    for (const monday of mondays) {
      const runDate = firstWorkdayFrom(scenario, monday, isoWeekOf(monday).sunday)!;
      expect(results.get(key('weekly_dispatch', monday))).toMatchObject({ status: 'published', periodKey: isoWeekOf(monday).key, runDate });
      const published = weekly.find((w) => w.week === isoWeekOf(monday).key);
      expect(published).toMatchObject({ periodStart: monday, provenance: { asOf: published.at } });
      // A deferred run happens at the workday's firing time exactly; an on-time one at its firing.
      if (runDate !== monday) expect(published.at).toBe(shanghaiInstant(runDate, '09:00'));
      else expectFiredAt(published.at, shanghaiInstant(monday, '09:00'));
    }
    expect(results.get(key('weekly_dispatch', firstMonday))).toMatchObject({ runDate: addDays(firstMonday, 1) });
    // A weekly dispatch is the schedule as of its run, frozen once published. The finding dispatched on the first
    // workday is open at town-a in every one run after the dispatch; one run earlier that day (the holiday week's,
    // deferred to a seed day that is its Tuesday) cannot list it, and waits for next week's.
    const dispatchedAt = Date.parse(shanghaiInstant(seedDay, seedTimes.dispatch));
    const after = weekly.filter((w) => Date.parse(w.provenance.asOf) > dispatchedAt);
    expect(after.length).toBeGreaterThan(0);
    for (const w of after) expect(w.rows).toEqual(expect.arrayContaining([expect.objectContaining({ unitId: 'town-a', open: 1 })]));
    for (const w of weekly.filter((x) => !after.includes(x))) expect(w.rows.filter((r: any) => r.unitId === 'town-a' && r.open > 0)).toEqual([]);
  });

  it('defers the monthly review to the first workday when the 1st is a rest day, and reviews the month before', async () => {
    const runDate = firstWorkdayFrom(scenario, first, monthRange(month).end)!;
    expect(runDate).not.toBe(first);
    expect(results.get(key('monthly_review', first))).toMatchObject({
      status: 'published',
      periodKey: previousMonth(month),
      runDate,
      appended: true,
      eventType: 'MonthlyReviewPublished',
    });
    const [review] = (await t.eventsOf(`cadence-${CAMPAIGN_ID}-monthly_review-`)).map((e) => e.data as any);
    // Scored by the version in force for that month (v2, with 举一反三 completeness, from 2027-01): the month is a real
    // upcoming one, so which version applies follows the calendar, not the test.
    const inForce = scoringFormulaForMonth(previousMonth(month));
    expect(review).toMatchObject({ month: previousMonth(month), formulaVersion: inForce.version, formula: { version: inForce.version }, at: shanghaiInstant(runDate, '09:00') });
    if (inForce.selfCheckCompletenessWeight !== undefined) expect(review.units[0]).toMatchObject({ selfChecksDue: 0, selfChecksAttestedOnTime: 0 });
    expect(review.units.map((u: any) => u.unitId)).toEqual(['town-a', 'town-b']);
  });

  it('names the new findings of the day, the dispatch and the team that missed its report in the bulletin', async () => {
    const [bulletin] = (await t.eventsOf(`cadence-${CAMPAIGN_ID}-daily_inspection-${seedDay}`)).map((e) => e.data as any);
    expect(bulletin).toMatchObject({
      date: seedDay,
      totals: { newFindings: 2, dispatched: 1, missedInspectionReports: 1 },
      provenance: { asOf: bulletin.at },
    });
    expectFiredAt(bulletin.at, shanghaiInstant(seedDay, '18:00'));
    expect(bulletin.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'new', findingId: 'f-2', unitName: '张庄镇', person: { userId: inspector.userId, name: inspector.name } }),
        expect.objectContaining({ kind: 'dispatched', findingId: 'f-1', noticeNo: `测督〔${yearOf(seedDay)}〕1号` }),
        expect.objectContaining({ kind: 'missed_inspection_report', unitId: 'team-2', person: { userId: leader2.userId, name: leader2.name } }),
      ]),
    );
    // The next workday's dispatch list carries the notice once and keeps the undispatched finding in view.
    const lists = (await t.eventsOf(`cadence-${CAMPAIGN_ID}-daily_dispatch-`)).map((e) => e.data as any);
    const [next, afterNext] = lists.filter((l) => l.date > seedDay);
    expect(next.notices.map((n: any) => n.sequence)).toEqual([1]);
    expect([...next.pending, ...next.flagged].map((i: any) => i.findingId)).toEqual(['f-2']);
    expect(afterNext.notices).toEqual([]);
    expect(afterNext.flagged.map((i: any) => i.findingId)).toEqual(['f-2']);
  });

  it('a daily inspection triggered in the morning waits for the cutoff before it records anyone as missing', async () => {
    expect(earlyPlanRunAt).toBe(new Date(shanghaiInstant(earlyDay, DEFAULT_POLICY.inspectionCutoff)).toISOString());
    expect(results.get(key('daily_inspection', earlyDay) + ':early')).toMatchObject({ status: 'published', runDate: earlyDay, appended: true, missedInspectionReports: 2 });
    // The schedule's own firing at the cutoff then finds the day decided.
    expect(results.get(key('daily_inspection', earlyDay))).toMatchObject({ status: 'published', appended: false });
    const missed = (await t.eventsOf(`inspection-${CAMPAIGN_ID}-`)).filter((e) => (e.data as any).date === earlyDay);
    expect(missed.map((e) => [e.type, (e.data as any).at])).toEqual([
      ['InspectionReportMissed', earlyPlanRunAt],
      ['InspectionReportMissed', earlyPlanRunAt],
    ]);
  });

  it('a second run for the same day appends nothing: the report is frozen, the missed reports are on record', () => {
    expect(rerun.first).toMatchObject({ status: 'published', appended: true, missedInspectionReports: 1 });
    expect(rerun.again).toEqual({
      status: 'published',
      periodKey: seedDay,
      runDate: seedDay,
      appended: false,
      eventType: 'DailyBulletinPublished',
      // The day's misses as first decided: on record once, reported again, appended never twice.
      missedInspectionReports: 1,
    });
    expect(rerun.after).toBe(rerun.before);
  });
});
