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

  constructor(pool: Pool, logger?: ProjectionLogger) {
    this.runner = new ProjectionRunner(pool, [new DirectoryProjection()], logger);
  }

  /** Applies the directory's events up to the newest committed one; false when that took longer than the timeout. */
  settle(timeoutMs = 10_000): Promise<boolean> {
    return this.runner.catchUpToHead({ timeoutMs });
  }
}
