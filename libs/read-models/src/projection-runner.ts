import type { Pool } from 'pg';
import {
  compareGlobalPositions,
  type EventStore,
  GlobalPosition,
  type LogSource,
  Poller,
  type PollingLoopState,
  PostgresEventStore,
  readSubscriptionCheckpoints,
  SharedLogRead,
  START,
  TransactionalSubscription,
} from '@duban/event-store';
import { checkpointName, Projection, ProjectionLogger, type ProjectionStatus } from './projection';

export type { ProjectionStatus } from './projection';
import { clearProjectionFailure, ProjectionApplyError, recordProjectionFailure } from './projection-health';
import { applyBatch } from './batch/apply-batch';

export { hasBatchPath, isTransient } from './batch/apply-batch';

const SILENT: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface ProjectionRunnerOptions {
  /** How long a projection that failed on an event waits before the polling loop tries that event again. */
  retryFailedAfterMs?: number;
  /** Where `waitForHead` reads the log's head; default: the PostgreSQL event store over the runner's pool. */
  log?: Pick<EventStore, 'head'>;
  /** The log when it is not in this pool's database (EVENT_STORE=kurrentdb); checkpoints and rows stay here. */
  source?: LogSource;
}

/** Rebuild progress: events read so far (handled or not). */
export type RebuildProgress = (eventsRead: number) => void;

/**
 * Feeds projections from the event store in commit order. Each projection is a transactional subscription of the
 * log, advancing in its own transaction: its checkpoint row is locked, a batch is read, applied and the checkpoint
 * stored, all committed together —
 * so a crash anywhere replays at most the uncommitted batch, and two runners (API and worker) never interleave
 * on the same projection. One projection failing never holds the others back.
 *
 * A projection that cannot apply an event stops loudly, and never skips it: the failure (projection, event, error)
 * is logged at error level and recorded in `projection_failures`, which /health and /operations/projections read;
 * the polling loop tries the event again every `retryFailedAfterMs` (a transient error heals itself), and the
 * record is cleared in the batch that gets past it — after a mended deployment, or `npm run rebuild`.
 */
export class ProjectionRunner {
  private readonly poller: Poller;
  private batchSize = 500;
  /** Projection name → when the polling loop may try its failing event again. */
  private readonly retryAt = new Map<string, number>();
  private readonly retryFailedAfterMs: number;
  /** Projection name → its subscription of the log. */
  private readonly subscriptions = new Map<string, TransactionalSubscription>();
  private readonly log: Pick<EventStore, 'head'>;
  private readonly sharedRead = new SharedLogRead();

  constructor(
    private readonly pool: Pool,
    private readonly projections: Projection[],
    private readonly logger: ProjectionLogger = SILENT,
    options: ProjectionRunnerOptions = {},
  ) {
    this.retryFailedAfterMs = options.retryFailedAfterMs ?? 30_000;
    this.poller = new Poller(() => this.catchUp(this.batchSize).then(() => false));
    // Only read through: the clock would stamp appends, and this store appends nothing.
    this.log = options.log ?? new PostgresEventStore(pool, { now: () => new Date() });
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`duplicate projection ${p.name}`);
      names.add(p.name);
      this.subscriptions.set(
        p.name,
        new TransactionalSubscription(
          pool,
          { name: checkpointName(p), batchSize: 500, source: options.source, sharedRead: this.sharedRead },
          (batch, tx) => applyBatch(p, batch, tx, this.logger),
        ),
      );
    }
  }

  /**
   * One batch per projection; returns how many events were read (handled or not) across all of them. A projection
   * that fails on an event is recorded and left there (see the class comment) without failing the others' batches;
   * any other error (the database unreachable) is thrown after every projection had its turn.
   */
  async runOnce(batchSize = 500): Promise<number> {
    let processed = 0;
    const failures: unknown[] = [];
    // Projections standing at the same checkpoint read this round's batch once (see SharedLogRead).
    this.sharedRead.clear();
    for (const p of this.projections) {
      const retryAt = this.retryAt.get(p.name);
      if (retryAt !== undefined && Date.now() < retryAt) continue;
      try {
        processed += await this.runProjectionOnce(p, batchSize);
        this.retryAt.delete(p.name);
      } catch (err) {
        if (err instanceof ProjectionApplyError) {
          processed += await this.advanceTo(p, err);
          await this.failed(p, err);
          continue;
        }
        this.logger.warn({ err, projection: p.name }, 'projection batch failed; it will be retried');
        failures.push(err);
      }
    }
    if (failures.length) throw failures[0];
    return processed;
  }

  /** Until every projection has read everything committed below the oldest in-flight transaction. */
  async catchUp(batchSize = 500): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.runOnce(batchSize);
      if (n === 0) return total;
      total += n;
    }
  }

  /**
   * Catches up until every projection has passed `target` (e.g. the position of an event just appended, for
   * read-your-writes). `catchUp` alone may stop short: it never reads past a transaction still in flight anywhere
   * in the cluster (even an autovacuum's ANALYZE), which is what keeps it from skipping events. Returns false on timeout.
   */
  async catchUpTo(target: GlobalPosition, options: { timeoutMs?: number; pollMs?: number; batchSize?: number } = {}): Promise<boolean> {
    const deadline = Date.now() + (options.timeoutMs ?? 5000);
    for (;;) {
      await this.catchUp(options.batchSize);
      const status = await this.status();
      if (status.every((s) => !isBefore(s, target))) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 10));
    }
  }

  /** `catchUpTo` the log's head as the event-store port reads it (read-your-writes past the caller's own append). */
  async catchUpToHead(options: { timeoutMs?: number; pollMs?: number; batchSize?: number } = {}): Promise<boolean> {
    const head = await this.log.head();
    if (head.transactionId === START.transactionId && head.position === START.position) return true;
    return this.catchUpTo(head, options);
  }

  /**
   * Waits, applying nothing itself, until every projection has passed the newest event committed when called —
   * whoever runs them (this runner's loop, another process's). Unlike `catchUp`, the target is the log's head, not
   * what lies below the oldest in-flight transaction: an event committed after a still-running older transaction was
   * committed before the call too, and a report computed now must not miss it. Throws on timeout, naming the
   * projections that lag and where they stand.
   */
  async waitForHead(options: { timeoutMs?: number; pollMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const head = await this.log.head();
    if (head.transactionId === START.transactionId && head.position === START.position) return;
    for (;;) {
      const lagging = (await this.status()).filter((s) => isBefore(s, head));
      if (lagging.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `read models did not reach the log head ${head.transactionId}:${head.position} within ${timeoutMs} ms; ` +
            `lagging: ${lagging.map((s) => `${s.checkpoint} at ${s.transactionId}:${s.position}`).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 50));
    }
  }

  /**
   * Empties the projection's tables and resets its checkpoint in one transaction, then replays from zero up to
   * what is visible (see `catchUpTo`); the regular runner carries on from there.
   */
  async rebuild(name: string, batchSize = 500, onProgress?: RebuildProgress): Promise<number> {
    const p = this.byName(name);
    // The checkpoint is locked first, in the same order as a batch does, so a concurrent batch waits for us.
    await this.subscriptionOf(p).rewind(async (client) => {
      for (const table of p.tables) await client.query(`DELETE FROM ${quoteIdent(table)}`);
      // Whatever stopped it is retried below from zero; if it still fails, it is recorded again.
      await clearProjectionFailure(client, p);
    });
    this.retryAt.delete(p.name);
    this.logger.info({ projection: p.name, version: p.version }, 'projection reset; rebuilding from zero');
    let total = 0;
    for (;;) {
      let n: number;
      this.sharedRead.clear();
      try {
        n = await this.runProjectionOnce(p, batchSize);
      } catch (err) {
        if (err instanceof ProjectionApplyError) {
          total += await this.advanceTo(p, err);
          await this.failed(p, err);
        }
        throw err;
      }
      if (n === 0) break;
      total += n;
      onProgress?.(total);
    }
    this.logger.info({ projection: p.name, events: total }, 'projection rebuilt');
    return total;
  }

  /**
   * Rebuilds several projections side by side: each is reset as `rebuild` resets it, then they replay the log
   * together, batch by batch, so every batch is read once for all of them (a rebuild of every projection reads the
   * log once, not once per projection). A projection that stops on an event is recorded as `rebuild` records it and
   * left there while the others go on; its error is returned. `onProgress` gets the events the slowest of them has
   * read after each round.
   */
  async rebuildTogether(
    names: readonly string[],
    batchSize = 500,
    onProgress?: RebuildProgress,
  ): Promise<{ events: number; stopped: ProjectionApplyError[] }> {
    const ps = names.map((n) => this.byName(n));
    for (const p of ps) {
      await this.subscriptionOf(p).rewind(async (client) => {
        for (const table of p.tables) await client.query(`DELETE FROM ${quoteIdent(table)}`);
        await clearProjectionFailure(client, p);
      });
      this.retryAt.delete(p.name);
    }
    this.logger.info({ projections: names, batchSize }, 'projections reset; rebuilding from zero together');
    const read = new Map(ps.map((p) => [p.name, 0]));
    const running = new Set(ps);
    const stopped: ProjectionApplyError[] = [];
    while (running.size) {
      this.sharedRead.clear();
      for (const p of [...running]) {
        try {
          const n = await this.runProjectionOnce(p, batchSize);
          if (n === 0) running.delete(p);
          read.set(p.name, read.get(p.name)! + n);
        } catch (err) {
          if (!(err instanceof ProjectionApplyError)) throw err;
          read.set(p.name, read.get(p.name)! + (await this.advanceTo(p, err)));
          await this.failed(p, err);
          running.delete(p);
          stopped.push(err);
        }
      }
      const going = [...running].map((p) => read.get(p.name)!);
      onProgress?.(going.length ? Math.min(...going) : Math.max(0, ...read.values()));
    }
    const events = Math.max(0, ...read.values());
    this.logger.info({ projections: names, events, stopped: stopped.map((e) => e.projection.name) }, 'projections rebuilt');
    return { events, stopped };
  }

  async status(): Promise<ProjectionStatus[]> {
    const rows = await readSubscriptionCheckpoints(this.pool, this.projections.map(checkpointName));
    return this.projections.map((p) => {
      const row = rows.find((r) => r.name === checkpointName(p));
      return {
        name: p.name,
        version: p.version,
        checkpoint: checkpointName(p),
        transactionId: row?.transactionId ?? START.transactionId,
        position: row?.position ?? START.position,
        updatedAt: row ? row.updatedAt.toISOString() : null,
      };
    });
  }

  /**
   * Polls every `intervalMs`; a tick catches up fully before the next one is scheduled, so ticks never overlap. A
   * failed tick (the database away) is retried with a growing pause rather than every interval.
   */
  start(intervalMs = 1000, batchSize = 500): void {
    this.batchSize = batchSize;
    void this.poller.start({ name: 'projections', intervalMs, logger: this.logger });
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  get loopState(): PollingLoopState | null {
    return this.poller.state;
  }

  private byName(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`unknown projection ${name}`);
    return p;
  }

  private subscriptionOf(p: Projection): TransactionalSubscription {
    return this.subscriptions.get(p.name)!;
  }

  private runProjectionOnce(p: Projection, batchSize: number): Promise<number> {
    return this.subscriptionOf(p).runOnce(batchSize);
  }

  /**
   * The failed batch rolled back whole; the events before the failing one are applied again in a batch of their own,
   * so the projection stands right before the event it cannot apply (and its lag counts from there).
   */
  private async advanceTo(p: Projection, err: ProjectionApplyError): Promise<number> {
    if (err.applicableBefore === 0) return 0;
    try {
      return await this.runProjectionOnce(p, err.applicableBefore);
    } catch (again) {
      this.logger.warn({ err: again, projection: p.name }, 'projection could not apply the events before the failing one');
      return 0;
    }
  }

  /** Stops the projection loudly at the event: error log, durable record, and a pause before the next try. */
  private async failed(p: Projection, err: ProjectionApplyError): Promise<void> {
    const e = err.event;
    const first = !this.retryAt.has(p.name);
    this.retryAt.set(p.name, Date.now() + this.retryFailedAfterMs);
    this.logger.error(
      {
        err: err.cause,
        projection: p.name,
        version: p.version,
        event: { position: e.position, transactionId: e.transactionId, streamId: e.streamId, version: e.version, type: e.type, eventId: e.eventId },
        retryInMs: this.retryFailedAfterMs,
      },
      first
        ? `projection ${p.name} stopped: it cannot apply event ${e.type} (${e.streamId} v${e.version}); it will not skip it — mend and run npm run rebuild -- ${p.name}`
        : `projection ${p.name} still cannot apply event ${e.type} (${e.streamId} v${e.version})`,
    );
    try {
      await recordProjectionFailure(this.pool, p, e, err.cause, new Date());
    } catch (recordErr) {
      // The database itself is failing; the error log above is what is left, and the next try records it.
      this.logger.error({ err: recordErr, projection: p.name }, 'could not record the projection failure');
    }
  }
}

/** Commit order: by transaction id, then position; both are decimal strings of 64-bit integers. */
export function isBefore(a: GlobalPosition, b: GlobalPosition): boolean {
  return compareGlobalPositions(a, b) < 0;
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing table name ${name}`);
  return `"${name}"`;
}
