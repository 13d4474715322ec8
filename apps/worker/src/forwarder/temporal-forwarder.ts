import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { wakesFindingTimers } from '@duban/domain';
import { AtLeastOnceSubscription, type LogBatch, type LogSource, type RecordedEvent } from '@duban/event-store';
import {
  FINDING_EVENT_SIGNAL,
  FINDING_TASK_QUEUE,
  findingWorkflowId,
  type FindingEventSignal,
  type FindingTimerPlan,
  type FindingWorkflowInput,
  SELF_CHECK_EVENT_SIGNAL,
  SELF_CHECK_WORKFLOW_TYPE,
  selfCheckWorkflowId,
  type SelfCheckWorkflowInput,
} from '@duban/contracts';

export interface ForwarderLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface ForwarderOptions {
  taskQueue?: string;
  batchSize?: number;
  /** Checkpoint row name; one per deployment of the forwarder. */
  name?: string;
  /** Findings signalled side by side; each finding's own events always go in stream order. */
  concurrency?: number;
  /** The log when it is not in PostgreSQL (EVENT_STORE=kurrentdb). */
  source?: LogSource;
  /**
   * The write side's planner (FindingTimers): with it, each finding gets one signal per batch carrying the plan read
   * after its last event, and its workflow runs no plan activity. Without it, one bare signal per event.
   */
  planner?: FindingTimerPlanner;
}

export interface FindingTimerPlanner {
  plan(findingId: string): Promise<FindingTimerPlan>;
}

export const FORWARDER_CHECKPOINT = 'forwarder:temporal:v1';
/**
 * Findings signalled side by side, and how often the log is polled: each signal waits on a Temporal round trip, and
 * a batch's checkpoint on its slowest signal (bench/forwarder.bench.ts: lag from commit to accepted signal against
 * both). An idle poll is two indexed reads.
 */
export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_FORWARDER_POLL_MS = 50;
const FINDING_STREAM = /^finding-(.+)$/;
const SELF_CHECK_STREAM = /^selfcheck-/;

/**
 * The event log is the outbox. The forwarder is a subscription with an outside effect: it reads the log in commit
 * order from its checkpoint and `signalWithStart`s the finding's workflow with each event a person signed; the
 * checkpoint moves only past events Temporal has accepted. A crash between a signal and the checkpoint re-sends that
 * signal on restart: the workflow ignores stream versions it has seen, so nothing happens twice. Timer-established
 * events are not forwarded: the workflow that fired them has already re-planned from the stream.
 *
 * No database transaction is held while Temporal is called (an open transaction would hold back every reader of the
 * log); two forwarders racing only send some signals twice, which the same rule absorbs.
 */
export class TemporalForwarder extends AtLeastOnceSubscription {
  private readonly taskQueue: string;
  private readonly concurrency: number;
  private readonly planner: FindingTimerPlanner | undefined;

  constructor(
    pool: Pool,
    private readonly temporal: Client,
    logger: ForwarderLogger,
    options: ForwarderOptions = {},
  ) {
    super(pool, { name: options.name ?? FORWARDER_CHECKPOINT, batchSize: options.batchSize ?? 200, loopName: 'forwarder', logger, source: options.source });
    this.taskQueue = options.taskQueue ?? FINDING_TASK_QUEUE;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    this.planner = options.planner;
  }

  /**
   * Findings are signalled side by side, each one's events in stream order. The checkpoint moves past the batch only
   * when Temporal accepted all of it; after a failure the whole batch goes again, and the workflows ignore the versions
   * they already have.
   */
  protected async handle({ events }: LogBatch): Promise<void> {
    const byFinding = new Map<string, RecordedEvent[]>();
    for (const e of events) {
      if (!this.forwards(e)) continue;
      const queue = byFinding.get(e.streamId);
      if (queue) queue.push(e);
      else byFinding.set(e.streamId, [e]);
    }
    const queues = [...byFinding.values()];
    let failed = false;
    const worker = async () => {
      for (let queue = queues.shift(); queue && !failed; queue = queues.shift()) {
        try {
          // With a planner the last event's plan covers the whole queue: one signal for the finding's events.
          if (this.planner && FINDING_STREAM.test(queue[0].streamId)) await this.forward(queue[queue.length - 1]);
          else for (const e of queue) await this.forward(e);
        } catch (err) {
          failed = true;
          throw err;
        }
      }
    };
    // Every worker settles before the batch ends, so no signal of this batch is still in flight when the next starts.
    const settled = await Promise.allSettled(Array.from({ length: Math.min(this.concurrency, queues.length) }, worker));
    const failure = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }

  private forwards(e: RecordedEvent): boolean {
    return forwardsToWorkflow(e);
  }

  protected async forward(e: RecordedEvent): Promise<void> {
    const signal: FindingEventSignal = { version: e.version, type: e.type, at: String((e.data as { at?: unknown }).at ?? e.recordedAt) };
    if (SELF_CHECK_STREAM.test(e.streamId)) {
      // Every self-check event names its task: the stream id's unit part is not parsed back out of it.
      const { propagationId, unitId } = e.data as { propagationId: string; unitId: string };
      const input: SelfCheckWorkflowInput = { propagationId, unitId };
      await this.temporal.workflow.signalWithStart(SELF_CHECK_WORKFLOW_TYPE, {
        workflowId: selfCheckWorkflowId(propagationId, unitId),
        taskQueue: this.taskQueue,
        args: [input],
        signal: SELF_CHECK_EVENT_SIGNAL,
        signalArgs: [signal],
      });
      return;
    }
    const findingId = FINDING_STREAM.exec(e.streamId)![1];
    // Read after the event committed, so the plan covers it (and whatever followed it on the stream).
    const plan = await this.planner?.plan(findingId);
    if (plan) signal.plan = plan;
    const input: FindingWorkflowInput = plan ? { findingId, plan } : { findingId };
    await this.temporal.workflow.signalWithStart('findingWorkflow', {
      workflowId: findingWorkflowId(findingId),
      taskQueue: this.taskQueue,
      args: [input],
      signal: FINDING_EVENT_SIGNAL,
      signalArgs: [signal],
    });
  }
}

/**
 * Events that can move a workflow's timers. Which finding events those are is the domain's to say
 * (`wakesFindingTimers`): person-signed steps that change the plan — not a timer's own consequence, not closed history
 * imported from a county's sheet (no workflow is started for it: no look-back, no ladder), not a step that touches no
 * timer (a plan of measures, an extension requested or refused, an acknowledged escalation).
 */
export function forwardsToWorkflow(e: Pick<RecordedEvent, 'streamId' | 'type'>): boolean {
  // A 举一反三 task's person-signed events (requested, claimed, attested) move its deadline timer; its own overdue record does not.
  if (SELF_CHECK_STREAM.test(e.streamId)) return e.type !== 'SelfCheckOverdue';
  return FINDING_STREAM.test(e.streamId) && wakesFindingTimers(e.type);
}
