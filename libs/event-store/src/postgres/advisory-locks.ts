import type { Pool, PoolClient } from 'pg';
import { KeyedMutex, type StreamLocks } from '../stream-locks';

/**
 * Exclusion across processes (every API and worker instance) with PostgreSQL session advisory locks, held from before
 * the decision's read until after its append commits, and released when the session ends if the process dies.
 *
 * Waiters inside one process queue in memory first, so a burst holds one connection per key rather than one per
 * waiter. The pool should be the locks' own: a holder reads and appends through the main pool, and waiters parked on
 * a shared pool could starve it of the connection the holder needs.
 */
export class PostgresAdvisoryLocks implements StreamLocks {
  private readonly local = new KeyedMutex();

  constructor(private readonly pool: Pool) {}

  withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
    return this.local.withLock(key, async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`duban:${key}`]);
        try {
          return await run();
        } finally {
          broken = await unlock(client, key);
        }
      } finally {
        // A session whose unlock failed is discarded: closing it is what releases the lock.
        client.release(broken);
      }
    });
  }
}

async function unlock(client: PoolClient, key: string): Promise<Error | undefined> {
  try {
    await client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [`duban:${key}`]);
    return undefined;
  } catch (err) {
    return err as Error;
  }
}
