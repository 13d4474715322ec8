import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { v4 as uuidv4 } from 'uuid';
import {
  type Actor,
  type CampaignEvent,
  type CalendarOverrides,
  type CampaignPhase,
  campaignStreamId,
  decideCampaign,
  type FindingCommand,
  type FindingCommandType,
  type FindingEvent,
} from '@duban/domain';
import { actors } from '@duban/domain/testing';
import { CommandRunner, PostgresEventStore, type RecordedEvent } from '@duban/event-store';
import { FINDING_TASK_QUEUE, findingWorkflowId, type FindingWorkflowStatus } from '@duban/contracts';
import { FindingTimerService } from '../../apps/worker/src/findings/finding-timers';
import { createFindingActivities } from '../../apps/worker/src/findings/finding.activities';
import { FORWARDER_CHECKPOINT, TemporalForwarder } from '../../apps/worker/src/forwarder/temporal-forwarder';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { createTimeSkippingEnv } from '../../tests/support/temporal';
import { workflowBundle } from '../../tests/support/workflow-bundle';

export { actors };
export const CAMPAIGN_ID = 'c-timers';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** '2027-02-05 10:00' in Asia/Shanghai → UTC ISO. */
export const sh = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString();

type DataOf<T extends FindingCommandType> = Extract<FindingCommand, { type: T }>['data'];

/**
 * One real PostgreSQL database, one time-skipping Temporal server, the real forwarder, activities and workflow
 * bundle: a finding's life is acted out at chosen instants, and the clock is moved between the acts.
 * Temporal time only moves forward, so each test in a file starts after the previous one ended.
 */
export class FindingTimeline {
  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: TestDatabase,
    readonly store: PostgresEventStore,
    readonly timers: FindingTimerService,
    readonly forwarder: TemporalForwarder,
    private worker: Worker,
    private running: Promise<void>,
  ) {}

  static async start(): Promise<FindingTimeline> {
    const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    const clock = { now: () => new Date() };
    const store = new PostgresEventStore(db.appPool, clock);
    const timers = new FindingTimerService(store, new CommandRunner(store, clock));
    const forwarder = new TemporalForwarder(db.appPool, env.client, quiet);
    const worker = await FindingTimeline.createWorker(env, timers);
    return new FindingTimeline(env, db, store, timers, forwarder, worker, worker.run());
  }

  private static async createWorker(env: TestWorkflowEnvironment, timers: FindingTimerService) {
    return Worker.create({
      connection: env.nativeConnection,
      // No sticky cache: every workflow task is replayed from history, so each test also checks determinism, and a
      // stopped worker leaves no task parked on its sticky queue (the test server's clock would wait for it forever).
      maxCachedWorkflows: 0,
      taskQueue: FINDING_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities: createFindingActivities(timers),
    });
  }

  /** Stops the worker as SIGTERM would (in-flight tasks drain) — timers keep running on the server meanwhile. */
  async stopWorker(): Promise<void> {
    this.worker.shutdown();
    await this.running;
  }

  async startWorker(): Promise<void> {
    this.worker = await FindingTimeline.createWorker(this.env, this.timers);
    this.running = this.worker.run();
  }

  async teardown(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') await this.stopWorker();
    await this.env.teardown();
    await this.db.drop();
  }

  async createCampaign(options: { phases: CampaignPhase[]; calendarOverrides?: CalendarOverrides }): Promise<void> {
    const events = decideCampaign(
      {
        type: 'CreateCampaign',
        data: { campaignId: CAMPAIGN_ID, name: '计时测试专项行动', noticePrefix: '测督', ...options },
        metadata: { now: new Date().toISOString(), actor: actors.admin },
      },
      { status: 'Empty' },
    );
    await this.store.append([
      {
        streamId: campaignStreamId(CAMPAIGN_ID),
        expectedVersion: 0,
        events: events.map((e: CampaignEvent) => ({ eventId: uuidv4(), type: e.type, data: e.data as never, metadata: { correlationId: 'test' } })),
      },
    ]);
  }

  /** A person's command at a given instant, through the same write path the timers use; then forwarded. */
  async act<T extends FindingCommandType>(
    findingId: string,
    type: T,
    data: DataOf<T>,
    actor: Actor,
    at: string,
    options: { forward?: boolean } = {},
  ): Promise<void> {
    await this.timers.decideAt(findingId, { type, data }, actor, at, uuidv4(), 'test');
    if (options.forward !== false) await this.forward(findingId);
  }

  /**
   * Forwards until the stream's last event is behind the forwarder's checkpoint. The log's read horizon is
   * cluster-wide: another test file's open transaction can hide a committed event for a moment, so one pass is not
   * enough.
   */
  async forward(findingId: string, timeoutMs = 20_000): Promise<void> {
    const events = await this.events(findingId);
    const last = events[events.length - 1];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.forwarder.catchUp();
      const { rows } = await this.db.appPool.query(
        `SELECT (transaction_id, position) >= ($2::text::xid8, $3::bigint) AS past
           FROM subscription_checkpoints WHERE name = $1`,
        [FORWARDER_CHECKPOINT, last.transactionId, last.position],
      );
      if (rows[0]?.past) return;
      if (Date.now() > deadline) throw new Error(`the forwarder did not reach ${findingId} v${last.version}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async now(): Promise<number> {
    return this.env.currentTimeMs();
  }

  /** Moves Temporal's clock to the instant (never back). */
  async advanceTo(iso: string): Promise<void> {
    const ms = Date.parse(iso) - (await this.env.currentTimeMs());
    if (ms > 0) await this.env.sleep(ms);
  }

  async events(findingId: string): Promise<RecordedEvent[]> {
    return (await this.store.readStream<Record<string, unknown>>(`finding-${findingId}`)).events;
  }

  /**
   * Waits until the stream satisfies the condition: the workflow's activities run in real time after Temporal's clock
   * jumps. Bounded; fails with what the stream held.
   */
  async until(findingId: string, condition: (events: RecordedEvent[]) => boolean, timeoutMs = 20_000): Promise<RecordedEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const events = await this.events(findingId);
      if (condition(events)) return events;
      if (Date.now() > deadline) {
        throw new Error(`condition not met for ${findingId}; stream: ${events.map((e) => e.type).join(', ')}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Waits until the workflow has planned from the stream's current version and has nothing due at Temporal's now. */
  async settled(findingId: string, timeoutMs = 20_000): Promise<FindingWorkflowStatus> {
    const handle = this.env.client.workflow.getHandle(findingWorkflowId(findingId));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [status, events, now] = await Promise.all([
        handle.query<FindingWorkflowStatus>('findingTimers'),
        this.events(findingId),
        this.env.currentTimeMs(),
      ]);
      const version = events.length ? events[events.length - 1].version : 0;
      const next = status.plan?.timers[0];
      if (status.plan && status.plan.version === version && (!next || Date.parse(next.dueAt) > now)) return status;
      if (Date.now() > deadline) throw new Error(`workflow ${findingId} did not settle: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async untilWorkflow(findingId: string, condition: (status: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.handle(findingId).describe()).status.name;
      if (condition(status)) return status;
      if (Date.now() > deadline) throw new Error(`workflow ${findingId} is ${status}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  handle(findingId: string) {
    return this.env.client.workflow.getHandle(findingWorkflowId(findingId));
  }
}

/** Facts of a type, in order. */
export const ofType = (events: RecordedEvent[], type: FindingEvent['type']): Array<Record<string, any>> =>
  events.filter((e) => e.type === type).map((e) => e.data);
