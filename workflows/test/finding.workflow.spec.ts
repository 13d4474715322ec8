import { type LocalDate, shanghaiDateOf } from '@duban/domain';
import { recordHistoriesIfAsked } from './histories';
import type { GlobalPosition, RecordedEvent } from '@duban/event-store';
import { TemporalForwarder } from '../../apps/worker/src/forwarder/temporal-forwarder';
import type { FindingWorkflowStatus } from '@duban/contracts';
import { actors, FindingTimeline, ofType, sh } from './finding-timeline';
import { findingScenario, findingScenarioProblems } from './scenarios';

const { inspector, supervisor, supervisor2, officialA, officialA2, officialB } = actors;

/**
 * Every timer path of the finding workflow on a real time-skipping Temporal server and a real PostgreSQL.
 *
 * Temporal's test clock starts at today's real time and only moves forward, so the scenario is built from today
 * (./scenarios.ts, checked for years of future todays by scenarios.spec.ts): nineteen weeks from a Monday a few days
 * ahead, `w(n).thu` being Thursday of week n. The campaign brings its own calendar, as DESIGN allows: a Spring-Festival
 * -like break Monday … Friday of week 1 (with the weekends around it), a make-up Saturday in week 2, every other
 * weekday a workday and every other weekend day a rest day, whatever the official notice says. The tests run in
 * order, each after the last one's dates.
 */
const scenario = findingScenario(shanghaiDateOf(new Date().toISOString()));
const w = scenario.week;
const at = (day: LocalDate, time: string) => sh(`${day} ${time}`);

describe('finding workflow (time-skipping Temporal)', () => {
  let t: FindingTimeline;
  let n = 0;
  const newFinding = () => `tf-${++n}`;

  const record = (id: string, recordedAt: string, extra: { severity?: 'red' | 'yellow' | 'blue'; description?: string } = {}) =>
    t.act(
      id,
      'RecordFinding',
      {
        findingId: id,
        campaignId: 'c-timers',
        source: 'household_inspection',
        categoryCode: '2.3',
        severity: extra.severity ?? 'red',
        townUnitId: 'town-a',
        description: extra.description ?? '危房未改造',
        evidence: ['file-1'],
      },
      inspector,
      recordedAt,
    );

  const recordAndDispatch = async (id: string, recordedAt: string, dispatchedAt: string, extra: { deadlineWorkdays?: number; severity?: 'red' | 'yellow' | 'blue' } = {}) => {
    await t.advanceTo(recordedAt);
    await record(id, recordedAt, extra);
    await t.advanceTo(dispatchedAt);
    await t.act(id, 'DispatchFinding', { unitId: 'town-a', deadlineWorkdays: extra.deadlineWorkdays }, supervisor, dispatchedAt);
  };

  beforeAll(async () => {
    t = await FindingTimeline.start();
    await t.createCampaign({
      phases: [{ code: 'rectification', name: '集中整改', ...scenario.phase }],
      calendarOverrides: scenario.calendarOverrides,
    });
  }, 120_000);

  /** Submit and verify, so a finished test's finding stops owing daily reports while later tests move the clock. */
  const closeOut = async (id: string, owner = officialA, at: string) => {
    await t.advanceTo(at);
    await t.act(id, 'SubmitRectification', { summary: '整改完成', evidence: ['photo-1'] }, owner, at);
    await t.act(id, 'VerifyRectification', {}, supervisor2, at);
  };

  // Histories of these runs are checked in (workflows/histories) and replayed by finding.replay.spec.ts, so a change
  // that makes the workflow non-deterministic fails CI. `RECORD_WORKFLOW_HISTORIES=1 npm test -- workflows` refreshes them.
  // They are recorded as `swept-*` (the plan carried in signals and timer results, the daily report left to the
  // campaign's cutoff sweep); the same scenarios recorded before each change — `carried-plan-*` (own daily report
  // timers) and the unprefixed ones (plan activities after every signal and timer) — stay checked in and keep replaying.
  const recorded: Record<string, string> = {};
  afterAll(async () => {
    try {
      if (t) await recordHistoriesIfAsked(recorded, (id) => t.handle(id).fetchHistory());
    } finally {
      await t?.teardown();
    }
  });

  it('the weeks from today hold what the scenario needs', () => {
    expect(findingScenarioProblems(scenario)).toEqual([]);
    expect(scenario.breakDays).toEqual([w(1).mon, w(1).tue, w(1).wed, w(1).thu, w(1).fri]);
    expect(scenario.makeUpSaturday).toBe(w(2).sat);
  });

  it('claimed on the Friday before the holiday: reports are owed on workdays and the make-up Saturday, never in the break', async () => {
    const id = newFinding();
    // Red: 3 workdays after Thursday of week 0 are its Friday, then (after the break) Monday and Tuesday of week 2.
    await recordAndDispatch(id, at(w(0).thu, '09:00'), at(w(0).thu, '10:00'));
    await t.advanceTo(at(w(0).fri, '10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(0).fri, '10:00'));

    await t.advanceTo(at(w(2).sat, '18:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').some((d) => d.workday === w(2).sat));

    expect(ofType(events, 'DailyReportMissed').map((d) => [d.workday, d.cutoffAt, d.accountable.person.userId])).toEqual([
      [w(2).mon, at(w(2).mon, '17:30'), officialA.userId],
      [w(2).tue, at(w(2).tue, '17:30'), officialA.userId],
      [w(2).wed, at(w(2).wed, '17:30'), officialA.userId],
      [w(2).thu, at(w(2).thu, '17:30'), officialA.userId],
      [w(2).fri, at(w(2).fri, '17:30'), officialA.userId],
      [w(2).sat, at(w(2).sat, '17:30'), officialA.userId],
    ]);
    expect(ofType(events, 'FindingOverdue')).toEqual([
      expect.objectContaining({ dueDate: w(2).tue, at: at(w(2).wed, '00:00'), accountable: expect.objectContaining({ step: 'FindingClaimed' }) }),
    ]);
    // Notice at once; the interview after three more workdays (Wednesday, Thursday, Friday of week 2).
    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.at])).toEqual([
      ['notice', at(w(2).wed, '00:00')],
      ['interview', at(w(2).sat, '00:00')],
    ]);
    // Nothing was dispatched late or claimed late.
    expect(ofType(events, 'DispatchOverdue')).toEqual([]);
    expect(ofType(events, 'ClaimOverdue')).toEqual([]);
    await closeOut(id, officialA, at(w(2).sat, '18:30'));
  });

  it('climbs the ladder on the right workdays, each rung exactly once across a worker restart; the supervisor acknowledges', async () => {
    const id = newFinding();
    recorded['swept-ladder-with-restart'] = id;
    // Red, recorded Monday of week 4: due Thursday. Reports filed in time Tuesday … Thursday owe nothing.
    await recordAndDispatch(id, at(w(4).mon, '09:00'), at(w(4).mon, '10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(4).mon, '11:00'));
    for (const day of [w(4).tue, w(4).wed, w(4).thu]) {
      await t.advanceTo(at(day, '10:00'));
      await t.act(id, 'ReportProgress', { summary: '正在整改', evidence: [] }, officialA, at(day, '10:00'));
    }
    await t.advanceTo(at(w(4).fri, '01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 1);
    await t.settled(id);

    // The worker goes away mid-ladder (as on SIGTERM: in-flight tasks drain) and a new one takes over from the history;
    // it must not climb a rung twice. (The test server holds its clock while a workflow task waits for a worker, so the
    // clock moves after the restart.)
    await t.stopWorker();
    await t.startWorker();
    // The interview: 24:00 of the third workday after that Thursday, Tuesday of week 5.
    await t.advanceTo(at(w(5).wed, '01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 2);

    await t.advanceTo(at(w(5).wed, '09:00'));
    await t.act(id, 'AcknowledgeEscalation', { level: 'interview', note: '3月11日约谈赵镇长' }, supervisor, at(w(5).wed, '09:00'));
    // Accountability: 24:00 of the fifth workday after it, Tuesday of week 6.
    await t.advanceTo(at(w(6).wed, '01:00'));
    const events = await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 3);
    await t.settled(id);

    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.at, d.accountable.person.name])).toEqual([
      ['notice', at(w(4).fri, '00:00'), officialA.name],
      ['interview', at(w(5).wed, '00:00'), officialA.name],
      ['accountability', at(w(6).wed, '00:00'), officialA.name],
    ]);
    expect(ofType(events, 'EscalationAcknowledged')).toEqual([
      expect.objectContaining({ level: 'interview', signedBy: supervisor, note: '3月11日约谈赵镇长' }),
    ]);
    expect(ofType(events, 'DailyReportMissed').map((d) => d.workday)).toEqual([
      w(4).fri,
      w(5).mon,
      w(5).tue,
      w(5).wed,
      w(5).thu,
      w(5).fri,
      w(6).mon,
      w(6).tue,
    ]);
    // Each consequence once, whatever the restart did to the activities in flight.
    const ids = events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    await closeOut(id, officialA, at(w(6).wed, '09:00'));
  });

  it('a granted extension moves the deadline and cancels the pending interview', async () => {
    const id = newFinding();
    recorded['swept-extension-cancels-ladder'] = id;
    // Red, recorded Monday of week 7: due Thursday; overdue at 24:00; the interview would fall at 24:00 on Tuesday of week 8.
    await recordAndDispatch(id, at(w(7).mon, '09:00'), at(w(7).mon, '10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(7).mon, '11:00'));
    await t.advanceTo(at(w(7).fri, '01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 1);
    await t.advanceTo(at(w(7).fri, '09:00'));
    await t.act(id, 'RequestExtension', { workdays: 5, reason: '建材未到货' }, officialA, at(w(7).fri, '09:00'));
    await t.act(id, 'GrantExtension', { reason: '同意' }, supervisor, at(w(7).fri, '10:00'));
    // Five workdays after that Thursday: due Thursday of week 8, overdue at 24:00.
    await t.advanceTo(at(w(8).fri, '01:00'));
    const events = await t.until(id, (es) => ofType(es, 'FindingOverdue').length === 2);
    await t.settled(id);
    expect(ofType(events, 'FindingOverdue').map((d) => [d.dueDate, d.at])).toEqual([
      [w(7).thu, at(w(7).fri, '00:00')],
      [w(8).thu, at(w(8).fri, '00:00')],
    ]);
    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.dueDate])).toEqual([
      ['notice', w(7).thu],
      ['notice', w(8).thu],
    ]);
    await closeOut(id, officialA, at(w(8).fri, '09:00'));
  });

  it('a reassignment moves future consequences to the new owner and leaves past ones on the old', async () => {
    const id = newFinding();
    recorded['swept-reassignment'] = id;
    await recordAndDispatch(id, at(w(9).mon, '09:00'), at(w(9).mon, '10:00'), { severity: 'yellow' });
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(9).mon, '11:00'));
    await t.advanceTo(at(w(9).tue, '18:00'));
    await t.until(id, (es) => ofType(es, 'DailyReportMissed').length === 1);
    await t.advanceTo(at(w(9).wed, '09:00'));
    await t.act(id, 'ReassignFinding', { toUnitId: 'dept-b', reason: '职责调整，改由住建局整改' }, supervisor, at(w(9).wed, '09:00'));
    await t.act(id, 'ClaimFinding', {}, officialB, at(w(9).wed, '10:00'));
    await t.advanceTo(at(w(9).thu, '18:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').length === 2);
    expect(ofType(events, 'DailyReportMissed').map((d) => [d.workday, d.accountable.person.userId, d.accountable.unitId])).toEqual([
      [w(9).tue, officialA.userId, 'town-a'],
      [w(9).thu, officialB.userId, 'dept-b'],
    ]);
    await closeOut(id, officialB, at(w(9).fri, '09:00'));
    expect(officialA2.unitId).toBe('town-a');
  });

  it('closing cancels every pending timer; the look-back falls due 30 days on, and then the workflow ends', async () => {
    const id = newFinding();
    recorded['swept-close-and-look-back'] = id;
    await recordAndDispatch(id, at(w(10).mon, '09:00'), at(w(10).mon, '10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(10).mon, '11:00'));
    await t.advanceTo(at(w(10).tue, '10:00'));
    await t.act(id, 'ReportProgress', { summary: '已完成', percent: 100, evidence: ['photo-2'] }, officialA, at(w(10).tue, '10:00'));
    await closeOut(id, officialA, at(w(10).tue, '15:00'));
    await t.advanceTo(at(w(14).thu, '01:00'));
    const events = await t.until(id, (es) => ofType(es, 'LookBackDue').length === 1);
    expect(ofType(events, 'LookBackDue')).toEqual([
      expect.objectContaining({ at: at(w(14).thu, '00:00'), owner: officialA, verifiedBy: supervisor2 }),
    ]);
    // Red was due Thursday of week 10: after closing, neither that deadline nor any daily report produced anything.
    expect(ofType(events, 'FindingOverdue')).toEqual([]);
    expect(ofType(events, 'DailyReportMissed')).toEqual([]);
    // It lingers a day for stragglers, then ends. (Not awaited with result(): in time-skipping mode that lets the
    // server skip freely, and the clock must stay where the tests put it.)
    await t.advanceTo(at(w(14).sat, '01:00'));
    await t.untilWorkflow(id, (status) => status === 'COMPLETED');
  });

  it('a forwarder that dies between signal and checkpoint re-sends; the workflow ignores what it has seen', async () => {
    const id = newFinding();
    recorded['swept-forwarder-redelivery'] = id;
    // Dies right after Temporal accepted the finding's dispatch, before the checkpoint could move past it.
    class DiesBeforeCheckpoint extends TemporalForwarder {
      private sentDispatch = false;
      protected override async forward(e: RecordedEvent): Promise<void> {
        await super.forward(e);
        if (e.streamId === `finding-${id}` && e.type === 'FindingDispatched') this.sentDispatch = true;
      }
      protected override async storeCheckpoint(from: GlobalPosition, to: GlobalPosition): Promise<void> {
        if (this.sentDispatch) throw new Error('killed between signal and checkpoint');
        await super.storeCheckpoint(from, to);
      }
    }
    const dying = new DiesBeforeCheckpoint(t.db.appPool, t.env.client, { info() {}, warn() {}, error() {} });
    await t.advanceTo(at(w(15).mon, '09:00'));
    await t.act(
      id,
      'RecordFinding',
      { findingId: id, campaignId: 'c-timers', source: 'covert_visit', categoryCode: '1.2', severity: 'blue', townUnitId: 'town-a', description: '帮扶责任人不清楚帮扶对象情况', evidence: [] },
      inspector,
      at(w(15).mon, '09:00'),
      { forward: false },
    );
    await t.act(id, 'DispatchFinding', { unitId: 'town-a' }, supervisor, at(w(15).mon, '10:00'), { forward: false });
    // The log's read horizon may hide the new events for a moment: it runs until it dies.
    const died = async (): Promise<unknown> => {
      for (;;) {
        try {
          if ((await dying.runOnce()) === 0) await new Promise((r) => setTimeout(r, 25));
        } catch (err) {
          return err;
        }
      }
    };
    expect(await died()).toEqual(new Error('killed between signal and checkpoint'));
    const status = await t.settled(id);
    expect((await t.events(id)).map((e) => e.type)).toEqual(['FindingRecorded', 'FindingDispatched']);
    expect(status.seenVersion).toBe(2);
    const before = await t.handle(id).fetchHistory();
    const plansBefore = before.events!.filter((e) => e.activityTaskScheduledEventAttributes).length;

    // The restarted forwarder starts from the old checkpoint: both events go again.
    await t.forward(id);
    const signalsBefore = before.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    const after = await waitForSignals(t, id, signalsBefore + 1);
    // The plan read after the dispatch (version 2) arrived twice (the recording's events go in the same signal when
    // they share a batch).
    expect(after.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBeGreaterThanOrEqual(2);
    // …and the duplicates woke nothing: no new plan was asked for.
    expect(after.events!.filter((e) => e.activityTaskScheduledEventAttributes).length).toBe(plansBefore);

    // One claim SLA consequence, not two: 24:00 of the next workday after Monday of week 15.
    await t.advanceTo(at(w(15).wed, '01:00'));
    const events = await t.until(id, (es) => ofType(es, 'ClaimOverdue').length === 1);
    await t.settled(id);
    expect(ofType(await t.events(id), 'ClaimOverdue')).toHaveLength(1);
    expect(ofType(events, 'ClaimOverdue')[0]).toMatchObject({ at: at(w(15).wed, '00:00'), accountable: { person: null, unitId: 'town-a' } });
  });

  it('continues as new when the history grows, carrying what it has seen; nothing is missed or recorded twice', async () => {
    const id = newFinding();
    // Started as the forwarder would, but with a history limit so small that the signals of recording, dispatching
    // and claiming cross it (the fortnight of daily reports is the cutoff sweep's and adds nothing to the history).
    await t.env.client.workflow.signalWithStart('findingWorkflow', {
      workflowId: `finding-${id}`,
      taskQueue: 'duban-findings',
      args: [{ findingId: id, historyLimit: 12 }],
      signal: 'findingEvent',
      signalArgs: [{ version: 0, type: 'none', at: at(w(16).mon, '08:00') }],
    });
    const firstRun = (await t.handle(id).describe()).runId;
    await recordAndDispatch(id, at(w(16).mon, '09:00'), at(w(16).mon, '10:00'), { severity: 'blue' });
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(16).mon, '11:00'));
    await t.advanceTo(at(w(17).sat, '01:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').some((d) => d.workday === w(17).fri));
    const status = await t.settled(id);
    expect((await t.handle(id).describe()).runId).not.toBe(firstRun);
    expect(ofType(events, 'DailyReportMissed').map((d) => d.workday)).toEqual([
      w(16).tue, w(16).wed, w(16).thu, w(16).fri, w(17).mon,
      w(17).tue, w(17).wed, w(17).thu, w(17).fri,
    ]);
    // It has seen every event it hears of (the sweep's DailyReportMissed it does not).
    expect(status.seenVersion).toBe(events.filter((e) => e.type !== 'DailyReportMissed').at(-1)!.version);
    await closeOut(id, officialA, at(w(18).mon, '09:00'));
  });

  it('an annulled finding ends its workflow at once, with its pending dispatch timer, instead of lingering', async () => {
    const id = newFinding();
    await t.advanceTo(at(w(18).mon, '10:00'));
    await record(id, at(w(18).mon, '10:00'), { description: '重复登记' });
    const planned = await t.settled(id);
    expect(planned.plan?.timers.map((x) => x.kind)).toEqual(['dispatch_sla']);
    await t.advanceTo(at(w(18).mon, '11:00'));
    await t.act(id, 'AnnulFinding', { reason: '重复登记' }, supervisor, at(w(18).mon, '11:00'));
    // Temporal's clock stays at 11:00 (nothing here lets it skip): before, the run lingered a day for stragglers.
    expect(await t.untilWorkflow(id, (status) => status === 'COMPLETED')).toBe('COMPLETED');
    const closed = (await t.handle(id).describe()).closeTime!;
    expect(closed.getTime()).toBeLessThan(Date.parse(at(w(18).mon, '12:00')));
    const events = await t.events(id);
    expect(events.map((e) => e.type)).toEqual(['FindingRecorded', 'FindingAnnulled']);
  });

  it('a carried plan older than the one held is ignored; a bare signal (a forwarder without a planner) still has it ask the event store', async () => {
    const id = newFinding();
    await recordAndDispatch(id, at(w(18).tue, '09:00'), at(w(18).tue, '10:00'));
    const held = await t.settled(id);
    expect(held.plan).toMatchObject({ version: 2, status: 'Dispatched' });
    const history = await t.handle(id).fetchHistory();
    const scheduled = (h: typeof history) => h.events!.filter((e) => e.activityTaskScheduledEventAttributes).length;
    const signals = history.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    // The forwarder carried every plan: none was asked for.
    expect(scheduled(history)).toBe(0);

    // A stale plan arrives late (a redelivery from before the dispatch): the workflow keeps what it holds.
    const stale = { version: 1, status: 'Recorded', timers: [], finished: false };
    await t.handle(id).signal('findingEvent', { version: 1, type: 'FindingRecorded', at: at(w(18).tue, '09:00'), plan: stale });
    await waitForSignals(t, id, signals + 1);
    expect((await t.handle(id).query<FindingWorkflowStatus>('findingTimers')).plan).toEqual(held.plan);

    // An event signalled bare, as signals recorded before plans were carried: the plan comes from the event store.
    await t.advanceTo(at(w(18).tue, '11:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, at(w(18).tue, '11:00'), { forward: false });
    await t.handle(id).signal('findingEvent', { version: 3, type: 'FindingClaimed', at: at(w(18).tue, '11:00') });
    const claimed = await t.settled(id);
    expect(claimed.plan).toMatchObject({ version: 3, status: 'InRectification' });
    expect(claimed.plan!.timers.map((x) => x.key)).toContain(`daily-report:${w(18).wed}`);
    expect(scheduled(await t.handle(id).fetchHistory())).toBe(1);
    await closeOut(id, officialA, at(w(18).tue, '15:00'));
  });
});

/** The history once it holds n signals and the workflow task that took them has completed. */
async function waitForSignals(t: FindingTimeline, id: string, n: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const h = await t.handle(id).fetchHistory();
    const events = h.events ?? [];
    const signals = events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    if (signals >= n && events[events.length - 1]?.workflowTaskCompletedEventAttributes) return h;
    if (Date.now() > deadline) throw new Error(`expected ${n} signals, history has ${signals}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
