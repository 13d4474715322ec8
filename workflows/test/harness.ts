import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { v4 as uuidv4 } from 'uuid';
import { type CalendarOverrides, type CampaignPhase, type CampaignPolicyOverrides } from '@duban/domain';
import { actors } from '@duban/domain/testing';
import { createWriteSide, type WriteSide } from '@duban/application';
import { PostgresEventStore } from '@duban/event-store';
import { DirectoryRepository } from '../../apps/api/src/directory/directory.repository';
import { FINDING_TASK_QUEUE } from '@duban/contracts';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { createTimeSkippingEnv } from '../../tests/support/temporal';
import { workflowBundle } from '../../tests/support/workflow-bundle';

export const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** '2027-02-05 10:00' in Asia/Shanghai → UTC ISO. */
export const sh = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString();

export const sleepMs = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** What a test's activities are built over: the real write path on the file's own database. */
export interface HarnessServices {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  store: PostgresEventStore;
  /** The write side every entry point uses, over the file's database and its directory tables. */
  write: WriteSide;
}

/**
 * One real PostgreSQL database (cloned from the migrated template), one time-skipping Temporal server, and a real
 * worker running the one workflow bundle with the activities the test builds over the real write path. Temporal time
 * only moves forward (from the real now), so each test in a file starts after the previous one ended.
 */
export class TimeSkippingHarness implements HarnessServices {
  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: TestDatabase,
    readonly store: PostgresEventStore,
    readonly write: WriteSide,
    private readonly activities: object,
    private worker: Worker,
    private running: Promise<void>,
  ) {}

  static async start(makeActivities: (services: HarnessServices) => object): Promise<TimeSkippingHarness> {
    const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    const clock = { now: () => new Date() };
    const store = new PostgresEventStore(db.appPool, clock);
    const write = createWriteSide({ store, clock, units: new DirectoryRepository(db.appPool) });
    const activities = makeActivities({ env, db, store, write });
    const worker = await TimeSkippingHarness.createWorker(env, activities);
    return new TimeSkippingHarness(env, db, store, write, activities, worker, worker.run());
  }

  private static async createWorker(env: TestWorkflowEnvironment, activities: object) {
    return Worker.create({
      connection: env.nativeConnection,
      // No sticky cache: every workflow task is replayed from history, so each test also checks determinism, and a
      // stopped worker leaves no task parked on its sticky queue (the test server's clock would wait for it forever).
      maxCachedWorkflows: 0,
      taskQueue: FINDING_TASK_QUEUE,
      workflowBundle: await workflowBundle(),
      activities,
    });
  }

  /** Stops the worker as SIGTERM would (in-flight tasks drain) — timers keep running on the server meanwhile. */
  async stopWorker(): Promise<void> {
    this.worker.shutdown();
    await this.running;
  }

  async startWorker(): Promise<void> {
    this.worker = await TimeSkippingHarness.createWorker(this.env, this.activities);
    this.running = this.worker.run();
  }

  async teardown(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') await this.stopWorker();
    await this.env.teardown();
    await this.db.drop();
  }

  /** A campaign created by the admin, through the write side, at the real now. */
  async createCampaign(
    campaignId: string,
    options: { phases: CampaignPhase[]; calendarOverrides?: CalendarOverrides; policy?: CampaignPolicyOverrides; name?: string },
  ): Promise<void> {
    const { name = '计时测试专项行动', ...rest } = options;
    await this.write.campaigns.handle({ type: 'CreateCampaign', data: { campaignId, name, noticePrefix: '测督', ...rest } }, actors.admin, {
      idempotencyKey: uuidv4(),
      correlationId: 'test',
      at: new Date().toISOString(),
    });
  }

  async now(): Promise<number> {
    return this.env.currentTimeMs();
  }

  /** Moves Temporal's clock to the instant (never back). */
  async advanceTo(iso: string): Promise<void> {
    const ms = Date.parse(iso) - (await this.env.currentTimeMs());
    if (ms > 0) await this.env.sleep(ms);
  }

  handle(workflowId: string) {
    return this.env.client.workflow.getHandle(workflowId);
  }

  /**
   * Polls describe() until the execution's status satisfies the condition. Never `await handle.result()` here: the
   * time-skipping client lets the clock run free while it waits for a result.
   */
  async untilWorkflow(workflowId: string, condition: (status: string) => boolean, timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.handle(workflowId).describe()).status.name;
      if (condition(status)) return status;
      if (Date.now() > deadline) throw new Error(`workflow ${workflowId} is ${status}`);
      await sleepMs(25);
    }
  }
}
