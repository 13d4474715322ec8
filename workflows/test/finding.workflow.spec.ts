import { recordHistoriesIfAsked } from './histories';
import type { GlobalPosition, RecordedEvent } from '@duban/event-store';
import { TemporalForwarder } from '../../apps/worker/src/forwarder/temporal-forwarder';
import { actors, FindingTimeline, ofType, sh } from './finding-timeline';

const { inspector, supervisor, supervisor2, officialA, officialA2, officialB } = actors;

/**
 * Every timer path of the finding workflow on a real time-skipping Temporal server and a real PostgreSQL.
 *
 * Temporal's test clock starts at today's real time and only moves forward, and the official holiday notice for 2027
 * is not in the calendar data yet, so the campaign adds its own days, as DESIGN allows: a Spring Festival break
 * (Mon 02-08 … Fri 02-12, 2027, with the weekends around it) and a make-up Saturday 02-20. The tests run in order,
 * each after the last one's dates.
 */
describe('finding workflow (time-skipping Temporal)', () => {
  let t: FindingTimeline;
  let n = 0;
  const newFinding = () => `tf-${++n}`;

  const recordAndDispatch = async (id: string, recordedAt: string, dispatchedAt: string, extra: { deadlineWorkdays?: number; severity?: 'red' | 'yellow' | 'blue' } = {}) => {
    await t.advanceTo(recordedAt);
    await t.act(
      id,
      'RecordFinding',
      {
        findingId: id,
        campaignId: 'c-timers',
        source: 'household_inspection',
        categoryCode: '2.3',
        severity: extra.severity ?? 'red',
        townUnitId: 'town-a',
        description: '危房未改造',
        evidence: ['file-1'],
      },
      inspector,
      recordedAt,
    );
    await t.advanceTo(dispatchedAt);
    await t.act(id, 'DispatchFinding', { unitId: 'town-a', noticeNo: `测督〔2027〕${n}号`, deadlineWorkdays: extra.deadlineWorkdays }, supervisor, dispatchedAt);
  };

  beforeAll(async () => {
    t = await FindingTimeline.start();
    await t.createCampaign({
      phases: [{ code: 'rectification', name: '集中整改', startDate: '2026-11-01', endDate: '2027-12-31' }],
      calendarOverrides: {
        restDays: ['2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'],
        workDays: ['2027-02-20'],
      },
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
  const recorded: Record<string, string> = {};
  afterAll(async () => {
    try {
      if (t) await recordHistoriesIfAsked(recorded, (id) => t.handle(id).fetchHistory());
    } finally {
      await t?.teardown();
    }
  });

  it('claimed on the Friday before the holiday: reports are owed on workdays and the make-up Saturday, never in the break', async () => {
    const id = newFinding();
    // Red: 3 workdays after Thursday 02-04 are Friday 02-05, Monday 02-15 and Tuesday 02-16.
    await recordAndDispatch(id, sh('2027-02-04 09:00'), sh('2027-02-04 10:00'));
    await t.advanceTo(sh('2027-02-05 10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-02-05 10:00'));

    await t.advanceTo(sh('2027-02-20 18:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').some((d) => d.workday === '2027-02-20'));

    expect(ofType(events, 'DailyReportMissed').map((d) => [d.workday, d.cutoffAt, d.accountable.person.userId])).toEqual([
      ['2027-02-15', sh('2027-02-15 17:30'), officialA.userId],
      ['2027-02-16', sh('2027-02-16 17:30'), officialA.userId],
      ['2027-02-17', sh('2027-02-17 17:30'), officialA.userId],
      ['2027-02-18', sh('2027-02-18 17:30'), officialA.userId],
      ['2027-02-19', sh('2027-02-19 17:30'), officialA.userId],
      ['2027-02-20', sh('2027-02-20 17:30'), officialA.userId],
    ]);
    expect(ofType(events, 'FindingOverdue')).toEqual([
      expect.objectContaining({ dueDate: '2027-02-16', at: sh('2027-02-17 00:00'), accountable: expect.objectContaining({ step: 'FindingClaimed' }) }),
    ]);
    // Notice at once; the interview after three more workdays (02-17, 02-18, 02-19).
    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.at])).toEqual([
      ['notice', sh('2027-02-17 00:00')],
      ['interview', sh('2027-02-20 00:00')],
    ]);
    // Nothing was dispatched late or claimed late.
    expect(ofType(events, 'DispatchOverdue')).toEqual([]);
    expect(ofType(events, 'ClaimOverdue')).toEqual([]);
    await closeOut(id, officialA, sh('2027-02-20 18:30'));
  });

  it('climbs the ladder on the right workdays, each rung exactly once across a worker restart; the supervisor acknowledges', async () => {
    const id = newFinding();
    recorded['ladder-with-restart'] = id;
    // Red: due Thursday 03-04. Reports filed in time on 03-02 … 03-04 owe nothing.
    await recordAndDispatch(id, sh('2027-03-01 09:00'), sh('2027-03-01 10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-03-01 11:00'));
    for (const day of ['2027-03-02', '2027-03-03', '2027-03-04']) {
      await t.advanceTo(sh(`${day} 10:00`));
      await t.act(id, 'ReportProgress', { summary: '正在整改', evidence: [] }, officialA, sh(`${day} 10:00`));
    }
    await t.advanceTo(sh('2027-03-05 01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 1);
    await t.settled(id);

    // The worker goes away mid-ladder (as on SIGTERM: in-flight tasks drain) and a new one takes over from the history;
    // it must not climb a rung twice. (The test server holds its clock while a workflow task waits for a worker, so the
    // clock moves after the restart.)
    await t.stopWorker();
    await t.startWorker();
    // The interview: 24:00 of the third workday after 03-04, Tuesday 03-09.
    await t.advanceTo(sh('2027-03-10 01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 2);

    await t.advanceTo(sh('2027-03-10 09:00'));
    await t.act(id, 'AcknowledgeEscalation', { level: 'interview', note: '3月11日约谈赵镇长' }, supervisor, sh('2027-03-10 09:00'));
    // Accountability: 24:00 of the fifth workday after 03-09, Tuesday 03-16.
    await t.advanceTo(sh('2027-03-17 01:00'));
    const events = await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 3);
    await t.settled(id);

    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.at, d.accountable.person.name])).toEqual([
      ['notice', sh('2027-03-05 00:00'), officialA.name],
      ['interview', sh('2027-03-10 00:00'), officialA.name],
      ['accountability', sh('2027-03-17 00:00'), officialA.name],
    ]);
    expect(ofType(events, 'EscalationAcknowledged')).toEqual([
      expect.objectContaining({ level: 'interview', signedBy: supervisor, note: '3月11日约谈赵镇长' }),
    ]);
    expect(ofType(events, 'DailyReportMissed').map((d) => d.workday)).toEqual([
      '2027-03-05',
      '2027-03-08',
      '2027-03-09',
      '2027-03-10',
      '2027-03-11',
      '2027-03-12',
      '2027-03-15',
      '2027-03-16',
    ]);
    // Each consequence once, whatever the restart did to the activities in flight.
    const ids = events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    await closeOut(id, officialA, sh('2027-03-17 09:00'));
  });

  it('a granted extension moves the deadline and cancels the pending interview', async () => {
    const id = newFinding();
    recorded['extension-cancels-ladder'] = id;
    // Red: due Thursday 03-25; overdue at 24:00; the interview would fall at 24:00 on Tuesday 03-30.
    await recordAndDispatch(id, sh('2027-03-22 09:00'), sh('2027-03-22 10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-03-22 11:00'));
    await t.advanceTo(sh('2027-03-26 01:00'));
    await t.until(id, (es) => ofType(es, 'FindingEscalated').length === 1);
    await t.advanceTo(sh('2027-03-26 09:00'));
    await t.act(id, 'RequestExtension', { workdays: 5, reason: '建材未到货' }, officialA, sh('2027-03-26 09:00'));
    await t.act(id, 'GrantExtension', { reason: '同意' }, supervisor, sh('2027-03-26 10:00'));
    // Five workdays after 03-25: due Thursday 04-01, overdue at 24:00.
    await t.advanceTo(sh('2027-04-02 01:00'));
    const events = await t.until(id, (es) => ofType(es, 'FindingOverdue').length === 2);
    await t.settled(id);
    expect(ofType(events, 'FindingOverdue').map((d) => [d.dueDate, d.at])).toEqual([
      ['2027-03-25', sh('2027-03-26 00:00')],
      ['2027-04-01', sh('2027-04-02 00:00')],
    ]);
    expect(ofType(events, 'FindingEscalated').map((d) => [d.level, d.dueDate])).toEqual([
      ['notice', '2027-03-25'],
      ['notice', '2027-04-01'],
    ]);
    await closeOut(id, officialA, sh('2027-04-02 09:00'));
  });

  it('a reassignment moves future consequences to the new owner and leaves past ones on the old', async () => {
    const id = newFinding();
    recorded['reassignment'] = id;
    await recordAndDispatch(id, sh('2027-04-05 09:00'), sh('2027-04-05 10:00'), { severity: 'yellow' });
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-04-05 11:00'));
    await t.advanceTo(sh('2027-04-06 18:00'));
    await t.until(id, (es) => ofType(es, 'DailyReportMissed').length === 1);
    await t.advanceTo(sh('2027-04-07 09:00'));
    await t.act(id, 'ReassignFinding', { toUnitId: 'dept-b', reason: '职责调整，改由住建局整改' }, supervisor, sh('2027-04-07 09:00'));
    await t.act(id, 'ClaimFinding', {}, officialB, sh('2027-04-07 10:00'));
    await t.advanceTo(sh('2027-04-08 18:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').length === 2);
    expect(ofType(events, 'DailyReportMissed').map((d) => [d.workday, d.accountable.person.userId, d.accountable.unitId])).toEqual([
      ['2027-04-06', officialA.userId, 'town-a'],
      ['2027-04-08', officialB.userId, 'dept-b'],
    ]);
    await closeOut(id, officialB, sh('2027-04-09 09:00'));
    expect(officialA2.unitId).toBe('town-a');
  });

  it('closing cancels every pending timer; the look-back falls due 30 days on, and then the workflow ends', async () => {
    const id = newFinding();
    recorded['close-and-look-back'] = id;
    await recordAndDispatch(id, sh('2027-04-12 09:00'), sh('2027-04-12 10:00'));
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-04-12 11:00'));
    await t.advanceTo(sh('2027-04-13 10:00'));
    await t.act(id, 'ReportProgress', { summary: '已完成', percent: 100, evidence: ['photo-2'] }, officialA, sh('2027-04-13 10:00'));
    await closeOut(id, officialA, sh('2027-04-13 15:00'));
    await t.advanceTo(sh('2027-05-13 01:00'));
    const events = await t.until(id, (es) => ofType(es, 'LookBackDue').length === 1);
    expect(ofType(events, 'LookBackDue')).toEqual([
      expect.objectContaining({ at: sh('2027-05-13 00:00'), owner: officialA, verifiedBy: supervisor2 }),
    ]);
    // Red was due 04-15: after closing, neither that deadline nor any daily report produced anything.
    expect(ofType(events, 'FindingOverdue')).toEqual([]);
    expect(ofType(events, 'DailyReportMissed')).toEqual([]);
    // It lingers a day for stragglers, then ends. (Not awaited with result(): in time-skipping mode that lets the
    // server skip freely, and the clock must stay where the tests put it.)
    await t.advanceTo(sh('2027-05-15 01:00'));
    await t.untilWorkflow(id, (status) => status === 'COMPLETED');
  });

  it('a forwarder that dies between signal and checkpoint re-sends; the workflow ignores what it has seen', async () => {
    const id = newFinding();
    recorded['forwarder-redelivery'] = id;
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
    await t.advanceTo(sh('2027-05-17 09:00'));
    await t.act(
      id,
      'RecordFinding',
      { findingId: id, campaignId: 'c-timers', source: 'covert_visit', categoryCode: '1.2', severity: 'blue', townUnitId: 'town-a', description: '帮扶责任人不清楚帮扶对象情况', evidence: [] },
      inspector,
      sh('2027-05-17 09:00'),
      { forward: false },
    );
    await t.act(id, 'DispatchFinding', { unitId: 'town-a', noticeNo: '测督〔2027〕99号' }, supervisor, sh('2027-05-17 10:00'), { forward: false });
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
    // The dispatch (version 2) arrived twice, the recording once or twice.
    expect(after.events!.filter((e) => e.workflowExecutionSignaledEventAttributes).length).toBeGreaterThanOrEqual(3);
    // …and the duplicates woke nothing: no new plan was asked for.
    expect(after.events!.filter((e) => e.activityTaskScheduledEventAttributes).length).toBe(plansBefore);

    // One claim SLA consequence, not two: 24:00 of the next workday after Monday 05-17.
    await t.advanceTo(sh('2027-05-19 01:00'));
    const events = await t.until(id, (es) => ofType(es, 'ClaimOverdue').length === 1);
    await t.settled(id);
    expect(ofType(await t.events(id), 'ClaimOverdue')).toHaveLength(1);
    expect(ofType(events, 'ClaimOverdue')[0]).toMatchObject({ at: sh('2027-05-19 00:00'), accountable: { person: null, unitId: 'town-a' } });
  });

  it('continues as new when the history grows, carrying what it has seen; nothing is missed or recorded twice', async () => {
    const id = newFinding();
    // Started as the forwarder would, but with a small history limit so a fortnight of daily reports crosses it.
    await t.env.client.workflow.signalWithStart('findingWorkflow', {
      workflowId: `finding-${id}`,
      taskQueue: 'duban-findings',
      args: [{ findingId: id, historyLimit: 40 }],
      signal: 'findingEvent',
      signalArgs: [{ version: 0, type: 'none', at: sh('2027-05-24 08:00') }],
    });
    const firstRun = (await t.handle(id).describe()).runId;
    await recordAndDispatch(id, sh('2027-05-24 09:00'), sh('2027-05-24 10:00'), { severity: 'blue' });
    await t.act(id, 'ClaimFinding', {}, officialA, sh('2027-05-24 11:00'));
    await t.advanceTo(sh('2027-06-05 01:00'));
    const events = await t.until(id, (es) => ofType(es, 'DailyReportMissed').some((d) => d.workday === '2027-06-04'));
    const status = await t.settled(id);
    expect((await t.handle(id).describe()).runId).not.toBe(firstRun);
    expect(ofType(events, 'DailyReportMissed').map((d) => d.workday)).toEqual([
      '2027-05-25', '2027-05-26', '2027-05-27', '2027-05-28', '2027-05-31',
      '2027-06-01', '2027-06-02', '2027-06-03', '2027-06-04',
    ]);
    expect(status.seenVersion).toBe(events[events.length - 1].version);
    await closeOut(id, officialA, sh('2027-06-07 09:00'));
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
