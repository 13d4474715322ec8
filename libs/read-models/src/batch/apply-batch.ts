import type { PoolClient } from 'pg';
import { isDatabaseUnavailable, type LogBatch, type RecordedEvent } from '@duban/event-store';
import type { Projection, ProjectionLogger } from '../projection';
import { clearProjectionFailure, ProjectionApplyError } from '../projection-health';
import { storableEvent } from '../storable-text';

// How the runner applies one projection's batch: set-wise where the projection has a batch path, event by event
// otherwise (or when the set-wise path fails on an event).

/**
 * One projection's batch, in the subscription's transaction. The subscription's checkpoint moves past unhandled events
 * too, or a projection with narrow interests would re-read forever.
 */
export async function applyBatch(p: Projection, { events }: LogBatch, client: PoolClient, logger: ProjectionLogger): Promise<void> {
  if (events.length === 0) return;
  const handled = new Set(p.handles);
  const all = handled.has('*');
  if (hasBatchPath(p)) {
    // Text PostgreSQL cannot store (NUL, a lone surrogate) is replaced in the read model, not in the log.
    const mine = events.filter((e) => all || handled.has(e.type)).map(storableOnce);
    if (await appliedAsBatch(p, mine, client, logger)) {
      await clearProjectionFailure(client, p);
      return;
    }
  }
  for (const [i, e] of events.entries()) {
    if (!(all || handled.has(e.type))) continue;
    try {
      await p.apply(client, storableOnce(e));
    } catch (err) {
      // The database going away mid-batch is no fault of this event: retried on the next poll, not recorded.
      throw isTransient(err) ? err : new ProjectionApplyError(p, e, err, i);
    }
  }
  await clearProjectionFailure(client, p);
}

/**
 * Whether the runner may use the projection's `applyBatch`: a batch path is a rewrite of the `apply` beside it, so a
 * subclass that overrides `apply` alone (a test's failing double, a patched projection) is applied event by event
 * rather than silently bypassed.
 */
export function hasBatchPath(p: Projection): boolean {
  for (let o: object | null = p; o !== null; o = Object.getPrototypeOf(o)) {
    if (Object.prototype.hasOwnProperty.call(o, 'applyBatch')) return typeof p.applyBatch === 'function';
    if (Object.prototype.hasOwnProperty.call(o, 'apply')) return false;
  }
  return false;
}

// Every projection of a shared batch sees the same event objects: each is made storable once, not once per projection.
const storableCache = new WeakMap<RecordedEvent, RecordedEvent>();
function storableOnce(e: RecordedEvent): RecordedEvent {
  let s = storableCache.get(e);
  if (!s) storableCache.set(e, (s = storableEvent(e)));
  return s;
}

/**
 * The projection's set-wise path under a savepoint. False when it failed for a reason other than the database (an
 * event it cannot apply): rolled back to the savepoint, so the per-event path can name the event and stop there.
 */
async function appliedAsBatch(p: Projection, events: RecordedEvent[], client: PoolClient, logger: ProjectionLogger): Promise<boolean> {
  if (events.length === 0) return true;
  await client.query('SAVEPOINT projection_batch');
  try {
    await p.applyBatch!(client, events);
    await client.query('RELEASE SAVEPOINT projection_batch');
    return true;
  } catch (err) {
    if (isTransient(err)) throw err;
    await client.query('ROLLBACK TO SAVEPOINT projection_batch');
    logger.warn({ err, projection: p.name, events: events.length }, 'projection batch failed set-wise; applying it event by event');
    return false;
  }
}

/**
 * Errors that say nothing about the event: the database away (see isDatabaseUnavailable), or a serialization
 * failure / deadlock (40001, 40P01) that a retry resolves.
 */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return isDatabaseUnavailable(err) || code === '40001' || code === '40P01';
}

