import type { Pool, PoolClient } from 'pg';
import { START, type GlobalPosition, type RecordedEvent } from '../event-store.port';
import { Poller, type PollingLogger, type PollingLoopState } from '../polling-loop';
import { compareGlobalPositions } from '../global-position';
import { endOfBatch, type LogBatch, type LogSource, type LogSubscription } from '../subscription.port';
import { readAllWith } from './postgres-event-store';
import {
  advanceSubscriptionCheckpoint,
  lockSubscriptionCheckpoint,
  readSubscriptionCheckpoint,
  storeSubscriptionCheckpoint,
} from './subscription-checkpoints';
import { withTransaction } from './transaction';

export interface SubscriptionOptions {
  /** The checkpoint row's name: one per consumer (and per version of it that must start over). */
  name: string;
  batchSize: number;
  /** Used by `start`: names the loop in its log lines (default: the checkpoint name) and where they go. */
  loopName?: string;
  logger?: PollingLogger;
  /** The log when it is not this pool's `events` table (another event store); absent, read in the batch's transaction. */
  source?: LogSource;
  /** Shared with other subscriptions of this log: one read serves every one standing at the same checkpoint. */
  sharedRead?: SharedLogRead;
}

/**
 * One read of this database's log for several transactional subscriptions (the projections): the first to read
 * after a checkpoint reads in its own transaction (after locking its checkpoint row), the others standing at that
 * checkpoint get the same events. They are all below the snapshot's xmin when read, so they are final and a prefix
 * of what a later read returns: another subscription's transaction may take them as if it had read them itself. The
 * owner clears it every round, so a poll never serves an old short batch in place of what was committed since.
 */
export class SharedLogRead {
  private last: { after: GlobalPosition; limit: number; events: RecordedEvent[] } | null = null;

  async read(db: PoolClient, after: GlobalPosition, limit: number): Promise<RecordedEvent[]> {
    const last = this.last;
    if (last && compareGlobalPositions(last.after, after) === 0 && last.limit >= limit) {
      return last.events.length > limit ? last.events.slice(0, limit) : last.events;
    }
    const events = await readAllWith(db, after, limit);
    this.last = { after, limit, events };
    return events;
  }

  clear(): void {
    this.last = null;
  }
}

const SILENT: PollingLogger = { info: () => undefined, warn: () => undefined };

/** What both kinds share: the checkpoint row, draining, and the one polling loop. */
abstract class PostgresLogSubscription implements LogSubscription {
  readonly name: string;
  readonly batchSize: number;
  protected readonly source: LogSource | undefined;
  protected readonly sharedRead: SharedLogRead | undefined;
  private readonly poller = new Poller(async () => (await this.runOnce()) >= this.batchSize);

  constructor(
    protected readonly pool: Pool,
    private readonly options: SubscriptionOptions,
  ) {
    this.name = options.name;
    this.batchSize = options.batchSize;
    this.source = options.source;
    this.sharedRead = options.sharedRead;
  }

  abstract runOnce(): Promise<number>;

  async catchUp(): Promise<number> {
    let total = 0;
    for (let n = await this.runOnce(); n > 0; n = await this.runOnce()) total += n;
    return total;
  }

  position(): Promise<GlobalPosition> {
    return readSubscriptionCheckpoint(this.pool, this.name);
  }

  /**
   * Catches up until the checkpoint has passed `target` (e.g. the log's head after an append). `catchUp` alone may
   * stop short: it never reads past a transaction still in flight anywhere in the cluster. False on timeout.
   */
  async catchUpTo(target: GlobalPosition, options: { timeoutMs?: number; pollMs?: number } = {}): Promise<boolean> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    for (;;) {
      await this.catchUp();
      if (compareGlobalPositions(await this.position(), target) >= 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 10));
    }
  }

  /**
   * Polls until stopped. A failed batch (database or the outside system away) is retried from the checkpoint with a
   * growing pause; a full batch means more is waiting, so the next one goes at once.
   */
  start(intervalMs: number): void {
    void this.poller.start({ name: this.options.loopName ?? this.name, intervalMs, logger: this.options.logger ?? SILENT });
  }

  /** Stops polling and waits for the batch in flight. */
  stop(): Promise<void> {
    return this.poller.stop();
  }

  get loopState(): PollingLoopState | null {
    return this.poller.state;
  }
}

/** Applies a batch inside the subscription's transaction; a throw rolls the whole batch back, checkpoint included. */
export type TransactionalHandler<T> = (batch: LogBatch, tx: PoolClient) => Promise<T>;

/**
 * For an effect in the database (a projection, the Merkle log): the checkpoint row is locked, the batch read, handled
 * and the checkpoint stored, all in one transaction. A crash anywhere leaves nothing of the batch behind and it is
 * handled again; two instances never handle the same events, the second waits on the row. The handler sees every
 * batch, an empty one too (a consumer that acts once caught up, like the sealer signing, needs it).
 */
export class TransactionalSubscription<T = void> extends PostgresLogSubscription {
  constructor(
    pool: Pool,
    options: SubscriptionOptions,
    private readonly handler: TransactionalHandler<T>,
  ) {
    super(pool, options);
  }

  /** One batch of at most `limit` events in one transaction: the batch and what the handler returned. */
  async next(limit = this.batchSize): Promise<{ batch: LogBatch; result: T }> {
    return withTransaction(this.pool, async (tx) => {
      const after = await lockSubscriptionCheckpoint(tx, this.name);
      // Another store's log is read outside this transaction: the locked checkpoint row still keeps a second instance
      // from handling the same events, and the checkpoint still commits with the effects.
      const events = this.source
        ? await this.source.readAll(after, limit)
        : this.sharedRead
          ? await this.sharedRead.read(tx, after, limit)
          : await readAllWith(tx, after, limit);
      const batch: LogBatch = { after, events, full: events.length >= limit };
      const result = await this.handler(batch, tx);
      if (events.length) await storeSubscriptionCheckpoint(tx, this.name, endOfBatch(batch));
      return { batch, result };
    });
  }

  async runOnce(limit = this.batchSize): Promise<number> {
    return (await this.next(limit)).batch.events.length;
  }

  /**
   * Back to the start of the log in one transaction with `prepare` (emptying what the handler built); the checkpoint
   * is locked first, in the order a batch locks it, so a concurrent batch waits and then starts from zero.
   */
  async rewind(prepare: (tx: PoolClient) => Promise<void>): Promise<void> {
    await withTransaction(this.pool, async (tx) => {
      await lockSubscriptionCheckpoint(tx, this.name);
      await prepare(tx);
      await storeSubscriptionCheckpoint(tx, this.name, START);
    });
  }
}

/**
 * For an effect outside the database (Temporal signals, later notifications and webhooks): the batch is read, handed
 * to `handle`, and only then is the checkpoint stored. No transaction is held while the outside system is called (an
 * open transaction would hold back every reader of the log). A crash between the effect and the checkpoint delivers
 * the batch again, so the effect must absorb repeats; two instances racing only repeat some effects, and the
 * checkpoint only ever moves forward.
 */
export abstract class AtLeastOnceSubscription extends PostgresLogSubscription {
  /** Performs the batch's effect; a throw leaves the checkpoint where it was, and the whole batch goes again. */
  protected abstract handle(batch: LogBatch): Promise<void>;

  async runOnce(): Promise<number> {
    const after = await this.readCheckpoint();
    const events = this.source ? await this.source.readAll(after, this.batchSize) : await readAllWith(this.pool, after, this.batchSize);
    const batch: LogBatch = { after, events, full: events.length >= this.batchSize };
    await this.handle(batch);
    if (events.length === 0) return 0;
    await this.storeCheckpoint(after, endOfBatch(batch));
    return events.length;
  }

  protected readCheckpoint(): Promise<GlobalPosition> {
    return readSubscriptionCheckpoint(this.pool, this.name);
  }

  /** Moves the checkpoint forward only: a slower twin must not move it back. */
  protected async storeCheckpoint(_from: GlobalPosition, to: GlobalPosition): Promise<void> {
    await advanceSubscriptionCheckpoint(this.pool, this.name, to);
  }
}
