import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleNotFoundError, type ScheduleDescription } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  addDays,
  type CampaignCommand,
  type CampaignEvent,
  type CampaignState,
  campaignStreamId,
  CADENCES,
  SCHEDULED_CADENCES,
  cadenceFirings,
  decideCampaign,
  DEFAULT_POLICY,
  dayOfWeek,
  evolveCampaign,
  initialCampaignState,
  isoWeekOf,
  shanghaiDateOf,
  shanghaiInstant,
  WorkdayCalendar,
} from '@duban/domain';
import { actors } from '@duban/domain/testing';
import { CommandRunner, loadAggregate, PostgresEventStore } from '@duban/event-store';
import {
  CADENCE_STATUS_QUERY,
  CADENCE_TASK_QUEUE,
  type CadenceName,
  type CadenceWorkflowResult,
  type CadenceWorkflowStatus,
  cadenceScheduleId,
  cadenceWorkflowId,
} from '@duban/contracts';
import { TemporalLifecycle } from '../../apps/worker/src/temporal/temporal.lifecycle';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { createDevServerEnv } from '../support/temporal';

const CAMPAIGN_ID = 'c-sched';
const clock = { now: () => new Date() };

/**
 * The cadence Schedules on a real Temporal dev server (the time-skipping test server has none): the worker keeps four
 * schedules per campaign in line with the campaign — created once at start, untouched by a second worker, paused with
 * the campaign, resumed with it, deleted when it ends — and a schedule's action starts a cadence run that plans its day.
 */
describe('cadence schedules (Temporal dev server, worker module, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: CommandRunner;
  const workers: INestApplicationContext[] = [];
  const today = shanghaiDateOf(new Date().toISOString());

  const startWorker = async (): Promise<INestApplicationContext> => {
    const worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        appDatabaseUrl: db.appUrl,
        pollIntervalMs: 50,
        logLevel: 'silent',
        temporal: {
          address: env.address,
          namespace: 'default',
          forwarderPollMs: 100,
          schedulePollMs: 100,
          workflowBundlePath: process.env.DUBAN_WORKFLOW_BUNDLE,
        },
      }),
      { logger: false },
    );
    await worker.init();
    workers.push(worker);
    return worker;
  };

  /** A campaign command signed by the admin through the event store's write path (as the API's would be). */
  const campaignCommand = async (type: CampaignCommand['type'], data: object): Promise<void> => {
    const streamId = campaignStreamId(CAMPAIGN_ID);
    await runner.run(
      { commandType: type, actor: actors.admin, idempotencyKey: randomUUID(), correlationId: 'test', body: data },
      async ({ now, toNewEvents }) => {
        const { state, version } = await loadAggregate<CampaignState, CampaignEvent>(store, streamId, evolveCampaign, initialCampaignState());
        const events = decideCampaign({ type, data, metadata: { now, actor: actors.admin } } as CampaignCommand, state);
        return { appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }], result: () => null };
      },
    );
  };

  const schedule = (cadence: CadenceName) => env.client.schedule.getHandle(cadenceScheduleId(CAMPAIGN_ID, cadence));
  const describeAll = () => Promise.all(CADENCES.map((c) => schedule(c).describe()));

  beforeAll(async () => {
    [env, db] = await Promise.all([createDevServerEnv(), createTestDatabase()]);
    store = new PostgresEventStore(db.appPool, clock);
    runner = new CommandRunner(store, clock);
    await db.adminPool.query(`INSERT INTO directory_units (unit_id, name, kind) VALUES ('team-1', '第一督查组', 'supervision_team')`);
    await campaignCommand('CreateCampaign', {
      campaignId: CAMPAIGN_ID,
      name: '排程测试专项行动',
      noticePrefix: '排督',
      phases: [{ code: 'rectification', name: '集中整改', startDate: addDays(today, -60), endDate: addDays(today, 60) }],
    });
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.close();
    await env?.teardown();
    await db?.drop();
  });

  it('creates the five schedules at worker start: calendars in Asia/Shanghai from the campaign cutoff, the cadence workflow as action', async () => {
    const described = await until(async () => (await describeAll().catch(() => null)) ?? null);
    const firings = cadenceFirings(DEFAULT_POLICY.inspectionCutoff);
    for (const [i, cadence] of CADENCES.entries()) {
      const d = described[i];
      const firing = firings.find((f) => f.cadence === cadence)!;
      const [hour, minute] = firing.time.split(':').map(Number);
      expect(d.spec.timezone).toBe('Asia/Shanghai');
      expect(d.raw.schedule?.spec?.timezoneName).toBe('Asia/Shanghai');
      expect(d.spec.calendars).toHaveLength(1);
      expect(d.spec.calendars![0]).toMatchObject({
        second: [{ start: 0, end: 0, step: 1 }],
        minute: [{ start: minute, end: minute, step: 1 }],
        hour: [{ start: hour, end: hour, step: 1 }],
        dayOfMonth: [cadence === 'monthly_review' ? { start: 1, end: 1, step: 1 } : { start: 1, end: 31, step: 1 }],
        month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }],
        dayOfWeek: [
          cadence === 'weekly_dispatch' ? { start: 'MONDAY', end: 'MONDAY', step: 1 } : { start: 'SUNDAY', end: 'SATURDAY', step: 1 },
        ],
      });
      expect(d.spec.calendars![0].comment).toContain(firing.time);
      expect(d.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'cadenceWorkflow',
        workflowId: cadenceWorkflowId(CAMPAIGN_ID, cadence),
        taskQueue: CADENCE_TASK_QUEUE,
        args: [{ campaignId: CAMPAIGN_ID, cadence }],
      });
      expect(d.policies).toEqual({ overlap: 'BUFFER_ALL', catchupWindow: 3 * 24 * 3600 * 1000, pauseOnFailure: false });
      expect(d.state.paused).toBe(false);
      expect(d.memo).toMatchObject({ campaignId: CAMPAIGN_ID, cadence, campaignName: '排程测试专项行动' });
      // Shanghai wall time: the next firing is at the cadence's time, UTC+8.
      const next = d.info.nextActionTimes[0].toISOString();
      expect(next).toBe(shanghaiInstant(shanghaiDateOf(next), firing.time));
    }
    expect(described[2].info.nextActionTimes.every((t) => dayOfWeek(shanghaiDateOf(t.toISOString())) === 1)).toBe(true);
    expect(described[3].info.nextActionTimes.every((t) => shanghaiDateOf(t.toISOString()).endsWith('-01'))).toBe(true);

    // The fifth: the daily report cutoff, every day at the campaign's progress cutoff (the calendar decides workdays).
    const cutoff = await schedule('report_cutoff').describe();
    const [hour, minute] = DEFAULT_POLICY.progressCutoff.split(':').map(Number);
    expect(cutoff.spec.calendars![0]).toMatchObject({
      minute: [{ start: minute, end: minute, step: 1 }],
      hour: [{ start: hour, end: hour, step: 1 }],
      dayOfMonth: [{ start: 1, end: 31, step: 1 }],
      dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }],
    });
    expect(cutoff.action).toMatchObject({ workflowType: 'cadenceWorkflow', args: [{ campaignId: CAMPAIGN_ID, cadence: 'report_cutoff' }] });
    expect(cutoff.state.paused).toBe(false);
    const next = cutoff.info.nextActionTimes[0].toISOString();
    expect(next).toBe(shanghaiInstant(shanghaiDateOf(next), DEFAULT_POLICY.progressCutoff));
  });

  it('a second worker and a restart create nothing twice and change nothing', async () => {
    const before = await describeAll();
    // An operator pauses one schedule by hand: the worker that starts next puts it back (so it did reconcile), and
    // leaves the other three exactly as they were.
    await schedule('daily_dispatch').pause('手工暂停');
    await startWorker(); // side by side with the first; its first reconcile runs before init() returns
    const second = await describeAll();
    expect(second[1].state).toMatchObject({ paused: false });
    for (const i of [0, 2, 3]) expect(fingerprint(second[i])).toEqual(fingerprint(before[i]));

    await workers.shift()!.close(); // the first goes away…
    await startWorker(); // …and comes back
    // Two more polling passes of both, then a full pass of each by hand: every one finds nothing to do.
    const reconcilers = workers.map((w) => w.get(TemporalLifecycle).scheduleReconciler!);
    const marks = reconcilers.map((r) => r.completedPasses);
    await until(async () => (reconcilers.every((r, i) => r.completedPasses >= marks[i] + 2) ? true : null));
    for (const r of reconcilers) {
      expect([...(await r.reconcile({ full: true })).values()]).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    }
    const after = await describeAll();
    for (const [i, d] of after.entries()) expect(fingerprint(d)).toEqual(fingerprint(second[i]));
    const listed = await until(async () => {
      const ids: string[] = [];
      for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
      const ours = ids.filter((id) => id.startsWith(`duban-${CAMPAIGN_ID}-`)).sort();
      return ours.length === 5 ? ours : null;
    });
    expect(listed).toEqual(SCHEDULED_CADENCES.map((c) => cadenceScheduleId(CAMPAIGN_ID, c)).sort());
  });

  it("a schedule's action starts a cadence run that plans the firing's day", async () => {
    const handle = schedule('daily_dispatch');
    await handle.trigger();
    const action = await until(async () => (await handle.describe()).info.recentActions[0] ?? null);
    expect(action.action.workflow.workflowId.startsWith(`${cadenceWorkflowId(CAMPAIGN_ID, 'daily_dispatch')}-`)).toBe(true);
    const run = env.client.workflow.getHandle(action.action.workflow.workflowId);
    const result = await run.result();
    const status = await run.query<CadenceWorkflowStatus>(CADENCE_STATUS_QUERY);
    // The run read its firing from the schedule's TemporalScheduledStartTime (which the server keeps to the second),
    // not from its own start time, which comes later.
    expect(status.firedAt).toBe(new Date(Math.floor(action.scheduledAt.getTime() / 1000) * 1000).toISOString());
    expect(status.plan).not.toBeNull();
    const day = shanghaiDateOf(status.firedAt);
    expect(result).toEqual(
      status.plan!.action === 'run'
        ? { status: 'published', periodKey: day, runDate: day, appended: true, eventType: 'DailyDispatchListPublished' }
        : { status: 'skipped', firedDate: day, reason: 'REST_DAY' },
    );
  });

  it('a backfilled firing of a past Monday plans that week from its scheduled time', async () => {
    // Last week's Monday, or an earlier one if that was a holiday (the official calendar; the campaign adds no days).
    let monday = addDays(today, -(((dayOfWeek(today) + 6) % 7) + 7));
    while (!new WorkdayCalendar().isWorkday(monday)) monday = addDays(monday, -7);
    const at = new Date(shanghaiInstant(monday, '09:00'));
    const handle = schedule('weekly_dispatch');
    await handle.backfill({ start: new Date(at.getTime() - 1000), end: new Date(at.getTime() + 1000), overlap: 'ALLOW_ALL' });
    const action = await until(async () => (await handle.describe()).info.recentActions.find((a) => a.scheduledAt.getTime() === at.getTime()) ?? null);
    const result = await env.client.workflow.getHandle(action.action.workflow.workflowId).result();
    expect(result).toEqual({
      status: 'published',
      periodKey: isoWeekOf(monday).key,
      runDate: monday,
      appended: true,
      eventType: 'WeeklyDispatchPublished',
    } satisfies CadenceWorkflowResult);
  });

  it('pauses the schedules with the campaign (the note says why), unpauses them on resume, deletes them when it ends', async () => {
    await campaignCommand('PauseCampaign', { reason: '防汛抢险，督查组抽调' });
    const paused = await until(async () => {
      const all = await describeAll();
      return all.every((d) => d.state.paused) ? all : null;
    });
    for (const d of paused) expect(d.state.note).toContain('防汛抢险，督查组抽调');
    // The findings' daily reports are owed through a pause, as their timers were: the report cutoff keeps running.
    expect((await schedule('report_cutoff').describe()).state.paused).toBe(false);

    await campaignCommand('ResumeCampaign', { reason: '汛期结束' });
    const resumed = await until(async () => {
      const all = await describeAll();
      return all.every((d) => !d.state.paused) ? all : null;
    });
    for (const d of resumed) expect(d.state.note).toContain('汛期结束');

    await campaignCommand('EndCampaign', { reason: '专项行动圆满结束' });
    await until(async () => {
      const gone = await Promise.all(CADENCES.map((c) => schedule(c).describe().then(() => false, (err) => err instanceof ScheduleNotFoundError)));
      return gone.every(Boolean) ? true : null;
    });
    // …all but the report cutoff: open findings of an ended campaign still owe their reports (their timers never stopped).
    expect((await schedule('report_cutoff').describe()).state.paused).toBe(false);
  });
});

/** What must not change when nothing changed: the server's conflict token, creation and update times, the definition. */
const fingerprint = (d: ScheduleDescription) => ({
  conflictToken: Buffer.from(d.raw.conflictToken ?? []).toString('hex'),
  createdAt: d.info.createdAt.toISOString(),
  lastUpdatedAt: d.info.lastUpdatedAt?.toISOString() ?? null,
  spec: d.spec,
  action: d.action,
  state: d.state,
});

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
