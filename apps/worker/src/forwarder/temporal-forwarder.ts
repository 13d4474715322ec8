import type { Pool } from 'pg';
import type { Client } from '@temporalio/client';
import { isSystemEventType } from '@duban/domain';
import {
  PollingLoop,
  readAllWith,
  readSubscriptionCheckpoint,
  type GlobalPosition,
  type PollingLoopState,
  type RecordedEvent,
} from '@duban/event-store';
import {
  FINDING_EVENT_SIGNAL,
  FINDING_TASK_QUEUE,
  findingWorkflowId,
  type FindingEventSignal,
  type FindingWorkflowInput,
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
}

export const FORWARDER_CHECKPOINT = 'forwarder:temporal:v1';
const FINDING_STREAM = /^finding-(.+)$/;

/**
 * The event log is the outbox. The forwarder reads it in commit order from its checkpoint and `signalWithStart`s the
 * finding's workflow with each event a person signed; the checkpoint moves only past events Temporal has accepted.
 * A crash between a signal and the checkpoint re-sends that signal on restart: the workflow ignores stream versions it
 * has seen, so nothing happens twice. Timer-established events are not forwarded: the workflow that fired them has
 * already re-planned from the stream.
 *
 * No database transaction is held while Temporal is called (an open transaction would hold back every reader of the
 * log); two forwarders racing only send some signals twice, which the same rule absorbs.
 */
export class TemporalForwarder {
  private readonly taskQueue: string;
  private readonly batchSize: number;
  private readonly name: string;
  private readonly concurrency: number;
  private loop: PollingLoop | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly temporal: Client,
    private readonly logger: ForwarderLogger,
    options: ForwarderOptions = {},
  ) {
    this.taskQueue = options.taskQueue ?? FINDING_TASK_QUEUE;
    this.batchSize = options.batchSize ?? 200;
    this.name = options.name ?? FORWARDER_CHECKPOINT;
    this.concurrency = options.concurrency ?? 8;
  }

  /**
   * Forwards one batch; returns how many log events it moved past. Findings are signalled side by side, each one's
   * events in stream order. The checkpoint moves past the batch only when Temporal accepted all of it; after a failure
   * the whole batch goes again, and the workflows ignore the versions they already have.
   */
  async runOnce(): Promise<number> {
    const after = await this.readCheckpoint();
    const events = await readAllWith(this.pool, after, this.batchSize);
    if (events.length === 0) return 0;
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
          for (const e of queue) await this.forward(e);
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
    const last = events[events.length - 1];
    await this.storeCheckpoint(after, { transactionId: last.transactionId, position: last.position });
    return events.length;
  }

  /** Forwards until the log is drained (as far as the read horizon shows it). */
  async catchUp(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
  }

  /**
   * Polls until stopped. A failed batch (database or Temporal away) is retried from the checkpoint with a growing
   * pause; a full batch means more is waiting, so the next one goes at once.
   */
  start(pollIntervalMs: number): void {
    if (this.loop) return;
    this.loop = new PollingLoop(async () => (await this.runOnce()) >= this.batchSize, {
      name: 'forwarder',
      intervalMs: pollIntervalMs,
      logger: this.logger,
    });
    void this.loop.start();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    await loop?.stop();
  }

  /** Whether the loop runs and how many passes failed in a row (a database or Temporal outage). */
  get loopState(): PollingLoopState | null {
    return this.loop?.state ?? null;
  }

  /** Person-signed events of finding streams: the only ones that can change a finding's timers. */
  private forwards(e: RecordedEvent): boolean {
    return FINDING_STREAM.test(e.streamId) && !isSystemEventType(e.type);
  }

  protected async forward(e: RecordedEvent): Promise<void> {
    const findingId = FINDING_STREAM.exec(e.streamId)![1];
    const signal: FindingEventSignal = { version: e.version, type: e.type, at: String((e.data as { at?: unknown }).at ?? e.recordedAt) };
    const input: FindingWorkflowInput = { findingId };
    await this.temporal.workflow.signalWithStart('findingWorkflow', {
      workflowId: findingWorkflowId(findingId),
      taskQueue: this.taskQueue,
      args: [input],
      signal: FINDING_EVENT_SIGNAL,
      signalArgs: [signal],
    });
  }

  protected readCheckpoint(): Promise<GlobalPosition> {
    return readSubscriptionCheckpoint(this.pool, this.name);
  }

  /** Moves the checkpoint forward only: a slower twin must not move it back. */
  protected async storeCheckpoint(_from: GlobalPosition, to: GlobalPosition): Promise<void> {
    await this.pool.query(
      `UPDATE subscription_checkpoints SET transaction_id = $2::text::xid8, position = $3, updated_at = now()
        WHERE name = $1 AND (transaction_id, position) < ($2::text::xid8, $3::bigint)`,
      [this.name, to.transactionId, to.position],
    );
  }
}
