import type { EventStore, GlobalPosition, RecordedEvent } from './event-store.port';

/**
 * Where a subscription reads the log when the events are not in its PostgreSQL database (EVENT_STORE=kurrentdb): the
 * store's own commit-order read. Checkpoints and effects stay in PostgreSQL either way.
 */
export type LogSource = Pick<EventStore, 'readAll'>;

/** What a subscription hands its consumer: the next events of the log after its checkpoint, in commit order. */
export interface LogBatch {
  /** The checkpoint the batch was read after. */
  after: GlobalPosition;
  /** In commit order; empty when the consumer has caught up with what is visible. */
  events: RecordedEvent[];
  /** The batch filled its limit: more is probably waiting. */
  full: boolean;
}

/**
 * A checkpointed consumer of the log in commit order. Each pass reads a batch after the checkpoint, hands it to the
 * consumer and stores the checkpoint at its last event: in the same transaction when the effect is in the database
 * (exactly once), after the effect when it is outside (at least once: a crash in between delivers the batch again).
 * Every reader of the log is one; none reads the log by itself.
 */
export interface LogSubscription {
  /** The checkpoint row's name. */
  readonly name: string;
  /** One batch; how many events it moved past (0: caught up). */
  runOnce(): Promise<number>;
  /** Batches until caught up with what is visible; how many events in all. */
  catchUp(): Promise<number>;
  /** Where the checkpoint stands. */
  position(): Promise<GlobalPosition>;
}

/** The position a batch ends at: its last event, or where it started when it is empty. */
export function endOfBatch(batch: LogBatch): GlobalPosition {
  const last = batch.events[batch.events.length - 1];
  return last ? { transactionId: last.transactionId, position: last.position } : batch.after;
}
