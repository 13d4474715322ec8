import { v4 as uuidv4 } from 'uuid';
import type { FindingCommandRequest, FindingTimers } from '@duban/application';
import {
  type Actor,
  addDays,
  compareLocalDates,
  type LocalDate,
  shanghaiDateOf,
  type CalendarOverrides,
  type CampaignPhase,
  type FindingCommandType,
  type FindingEvent,
  isSystemEventType,
  wakesFindingTimers,
} from '@duban/domain';
import { actors } from '@duban/domain/testing';
import type { RecordedEvent } from '@duban/event-store';
import { findingWorkflowId, type FindingWorkflowStatus } from '@duban/contracts';
import { createFindingActivities } from '../../apps/worker/src/findings/finding.activities';
import { FORWARDER_CHECKPOINT, TemporalForwarder } from '../../apps/worker/src/forwarder/temporal-forwarder';
import { quiet, sh, TimeSkippingHarness } from './harness';

export { actors, sh };
export const CAMPAIGN_ID = 'c-timers';

type DataOf<T extends FindingCommandType> = Extract<FindingCommandRequest, { type: T }>['data'];

/**
 * The finding workflow on the shared time-skipping harness (./harness): the real forwarder, timer activities and
 * workflow bundle over a real PostgreSQL; a finding's life is acted out at chosen instants, and the clock is moved
 * between the acts.
 */
export class FindingTimeline {
  private constructor(
    private readonly h: TimeSkippingHarness,
    readonly timers: FindingTimers,
    readonly forwarder: TemporalForwarder,
  ) {}

  static async start(): Promise<FindingTimeline> {
    let timers!: FindingTimers;
    const h = await TimeSkippingHarness.start(({ write }) => {
      timers = write.timers;
      return createFindingActivities(timers);
    });
    // The units the scenarios record, dispatch and reassign to: the write side checks them against the directory.
    await h.db.adminPool.query(`INSERT INTO directory_units (unit_id, name, kind) VALUES ('town-a', '宁平镇', 'town'), ('dept-b', '住建局', 'department')`);
    return new FindingTimeline(h, timers, new TemporalForwarder(h.db.appPool, h.env.client, quiet, { planner: timers }));
  }

  get env() {
    return this.h.env;
  }

  get db() {
    return this.h.db;
  }

  get store() {
    return this.h.store;
  }

  /** The write side the timers and the acts go through (to publish an official notice, say). */
  get write() {
    return this.h.write;
  }

  stopWorker(): Promise<void> {
    return this.h.stopWorker();
  }

  startWorker(): Promise<void> {
    return this.h.startWorker();
  }

  teardown(): Promise<void> {
    return this.h.teardown();
  }

  createCampaign(options: { phases: CampaignPhase[]; calendarOverrides?: CalendarOverrides }): Promise<void> {
    return this.h.createCampaign(CAMPAIGN_ID, options);
  }

  /** A person's command at a given instant, through the write side the API and the timers use; then forwarded. */
  async act<T extends FindingCommandType>(
    findingId: string,
    type: T,
    data: DataOf<T>,
    actor: Actor,
    at: string,
    options: { forward?: boolean } = {},
  ): Promise<void> {
    const command = { type, findingId, data } as FindingCommandRequest;
    await this.h.write.findings.handle(command, actor, { idempotencyKey: uuidv4(), correlationId: 'test', at });
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

  now(): Promise<number> {
    return this.h.now();
  }

  /**
   * Moves Temporal's clock to the instant (never back), running the campaign's daily report cutoff on the way at each
   * workday's policy.progressCutoff, as its schedule would (report-cutoff.workflow.spec.ts runs the schedule's workflow
   * itself): the finding workflows leave that timer to the sweep.
   */
  async advanceTo(iso: string): Promise<void> {
    const now = await this.h.now();
    this.sweptThrough ??= addDays(shanghaiDateOf(new Date(now).toISOString()), -1);
    for (let day = addDays(this.sweptThrough, 1); compareLocalDates(day, shanghaiDateOf(iso)) <= 0; day = addDays(day, 1)) {
      const ctx = await this.write.campaignContexts.context(CAMPAIGN_ID);
      if (!ctx) break;
      const cutoff = ctx.calendar.cutoffInstant(day, ctx.campaign.policy.progressCutoff);
      if (Date.parse(cutoff) > Date.parse(iso)) break;
      this.sweptThrough = day;
      if (!ctx.calendar.isWorkday(day)) continue;
      await this.h.advanceTo(cutoff);
      await this.timers.sweepDailyReports(CAMPAIGN_ID, day, await this.findingIds(), `test-cutoff-${day}`);
    }
    return this.h.advanceTo(iso);
  }

  private sweptThrough: LocalDate | undefined;

  private async findingIds(): Promise<string[]> {
    const { rows } = await this.db.appPool.query<{ id: string }>(
      `SELECT DISTINCT substr(stream_id, 9) AS id FROM events WHERE stream_id LIKE 'finding-%' ORDER BY 1`,
    );
    return rows.map((r) => r.id);
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

  /**
   * Waits until the workflow holds a plan read after the stream's last event that wakes it (or that a timer of its own
   * established) and has nothing due at Temporal's now.
   */
  async settled(findingId: string, timeoutMs = 20_000): Promise<FindingWorkflowStatus> {
    const handle = this.env.client.workflow.getHandle(findingWorkflowId(findingId));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [status, events, now] = await Promise.all([
        handle.query<FindingWorkflowStatus>('findingTimers'),
        this.events(findingId),
        this.env.currentTimeMs(),
      ]);
      // The workflow hears of the events that can move a timer and of those its own timers established (the daily
      // report's are the cutoff sweep's: it does not hear of them).
      const known = events.filter((e) => wakesFindingTimers(e.type) || (isSystemEventType(e.type) && e.type !== 'DailyReportMissed'));
      const version = known.length ? known[known.length - 1].version : 0;
      // The daily report is the campaign's cutoff sweep's, not a timer the workflow holds.
      const next = status.plan?.timers.find((x) => x.kind !== 'daily_report');
      if (status.plan && status.plan.version >= version && (!next || Date.parse(next.dueAt) > now)) return status;
      if (Date.now() > deadline) throw new Error(`workflow ${findingId} did not settle: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  untilWorkflow(findingId: string, condition: (status: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return this.h.untilWorkflow(findingWorkflowId(findingId), condition, timeoutMs);
  }

  handle(findingId: string) {
    return this.h.handle(findingWorkflowId(findingId));
  }
}

/** Facts of a type, in order. */
export const ofType = (events: RecordedEvent[], type: FindingEvent['type']): Array<Record<string, any>> =>
  events.filter((e) => e.type === type).map((e) => e.data);
