import type { Pool } from 'pg';
import type { ProjectionLogger } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { DirectoryProjection } from './directory.projection';

/**
 * Read-your-writes for the directory: every request's guard reads it, so a person deactivated or moved must be
 * refused from the next request on, not after the worker's next poll. The writer (API, seed) brings the directory
 * projection past its own append through the same checkpoint the worker uses — whichever gets there first applies
 * the batch, the other finds it applied.
 */
export class DirectoryProjector {
  private readonly runner: ProjectionRunner;

  constructor(
    private readonly pool: Pool,
    logger?: ProjectionLogger,
  ) {
    this.runner = new ProjectionRunner(pool, [new DirectoryProjection()], logger);
  }

  /** Applies the directory's events up to the newest committed one; false when that took longer than the timeout. */
  async settle(timeoutMs = 10_000): Promise<boolean> {
    const { rows } = await this.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position::text AS position FROM events
        ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`,
    );
    if (!rows.length) return true;
    return this.runner.catchUpTo({ transactionId: rows[0].transaction_id, position: rows[0].position }, { timeoutMs });
  }
}
