import type { Pool, PoolClient } from 'pg';
import {
  GlobalPosition,
  lockSubscriptionCheckpoint,
  PollingLoop,
  type PollingLoopState,
  readAllWith,
  START,
  storeSubscriptionCheckpoint,
  withTransaction,
} from '@duban/event-store';
import { checkpointName, Projection, ProjectionLogger } from './projection';

export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: string;
  transactionId: string;
  position: string;
  updatedAt: string | null;
}

const SILENT: ProjectionLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Feeds projections from the event store in commit order. Each projection advances in its own transaction:
 * its checkpoint row is locked, a batch is read, applied and the checkpoint stored, all committed together —
 * so a crash anywhere replays at most the uncommitted batch, and two runners (API and worker) never interleave
 * on the same projection. One projection failing never holds the others back.
 */
export class ProjectionRunner {
  private loop: PollingLoop | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly projections: Projection[],
    private readonly logger: ProjectionLogger = SILENT,
  ) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`duplicate projection ${p.name}`);
      names.add(p.name);
    }
  }

  /** One batch per projection; returns how many events were read (handled or not) across all of them. */
  async runOnce(batchSize = 500): Promise<number> {
    let processed = 0;
    const failures: unknown[] = [];
    for (const p of this.projections) {
      try {
        processed += await this.runProjectionOnce(p, batchSize);
      } catch (err) {
        this.logger.error({ err, projection: p.name }, 'projection batch failed; it will be retried');
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

  /**
   * Empties the projection's tables and resets its checkpoint in one transaction, then replays from zero up to
   * what is visible (see `catchUpTo`); the regular runner carries on from there.
   */
  async rebuild(name: string, batchSize = 500): Promise<number> {
    const p = this.byName(name);
    await withTransaction(this.pool, async (client) => {
      // Lock the checkpoint first, in the same order as a batch does, so a concurrent batch waits for us.
      await this.lockCheckpoint(client, p);
      for (const table of p.tables) await client.query(`DELETE FROM ${quoteIdent(table)}`);
      await this.storeCheckpoint(client, p, START);
    });
    this.logger.info({ projection: p.name, version: p.version }, 'projection reset; rebuilding from zero');
    let total = 0;
    for (;;) {
      const n = await this.runProjectionOnce(p, batchSize);
      if (n === 0) break;
      total += n;
    }
    this.logger.info({ projection: p.name, events: total }, 'projection rebuilt');
    return total;
  }

  async status(): Promise<ProjectionStatus[]> {
    const names = this.projections.map(checkpointName);
    const { rows } = await this.pool.query<{ name: string; transaction_id: string; position: string; updated_at: Date }>(
      `SELECT name, transaction_id::text AS transaction_id, position::text AS position, updated_at
         FROM subscription_checkpoints WHERE name = ANY($1)`,
      [names],
    );
    return this.projections.map((p) => {
      const row = rows.find((r) => r.name === checkpointName(p));
      return {
        name: p.name,
        version: p.version,
        checkpoint: checkpointName(p),
        transactionId: row?.transaction_id ?? START.transactionId,
        position: row?.position ?? START.position,
        updatedAt: row ? row.updated_at.toISOString() : null,
      };
    });
  }

  /**
   * Polls every `intervalMs`; a tick catches up fully before the next one is scheduled, so ticks never overlap. A
   * failed tick (the database away) is retried with a growing pause rather than every interval.
   */
  start(intervalMs = 1000, batchSize = 500): void {
    if (this.loop) return;
    this.loop = new PollingLoop(() => this.catchUp(batchSize).then(() => false), {
      name: 'projections',
      intervalMs,
      logger: this.logger,
    });
    void this.loop.start();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    await loop?.stop();
  }

  get loopState(): PollingLoopState | null {
    return this.loop?.state ?? null;
  }

  private byName(name: string): Projection {
    const p = this.projections.find((x) => x.name === name);
    if (!p) throw new Error(`unknown projection ${name}`);
    return p;
  }

  private async runProjectionOnce(p: Projection, batchSize: number): Promise<number> {
    const handled = new Set(p.handles);
    const all = handled.has('*');
    return withTransaction(this.pool, async (client) => {
      const after = await this.lockCheckpoint(client, p);
      const events = await readAllWith(client, after, batchSize);
      if (events.length === 0) return 0;
      for (const e of events) {
        if (all || handled.has(e.type)) await p.apply(client, e);
      }
      const last = events[events.length - 1];
      // The checkpoint moves past unhandled events too, or a projection with narrow interests would re-read forever.
      await this.storeCheckpoint(client, p, { transactionId: last.transactionId, position: last.position });
      return events.length;
    });
  }

  private lockCheckpoint(client: PoolClient, p: Projection): Promise<GlobalPosition> {
    return lockSubscriptionCheckpoint(client, checkpointName(p));
  }

  private storeCheckpoint(client: PoolClient, p: Projection, at: GlobalPosition): Promise<void> {
    return storeSubscriptionCheckpoint(client, checkpointName(p), at);
  }
}

/** Commit order: by transaction id, then position; both are decimal strings of 64-bit integers. */
export function isBefore(a: GlobalPosition, b: GlobalPosition): boolean {
  const [at, bt] = [BigInt(a.transactionId), BigInt(b.transactionId)];
  return at < bt || (at === bt && BigInt(a.position) < BigInt(b.position));
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`refusing table name ${name}`);
  return `"${name}"`;
}
