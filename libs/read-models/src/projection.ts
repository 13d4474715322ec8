import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';

/**
 * One projection feeds one query. It writes only its own tables, reads nothing but the event it is given
 * (and its own rows), and must be idempotent: applying an event it has already applied changes nothing.
 * That lets the runner replay a batch after a crash and lets `rebuild` start from zero at any time.
 */
export interface Projection {
  name: string;
  /** Bumped with the table suffix; the checkpoint is per name and version, so v2 builds beside v1. */
  version: number;
  /** Tables this projection owns; `rebuild` empties exactly these. */
  tables: string[];
  /**
   * Event types to apply; the runner still advances the checkpoint past the others. `'*'` means every event
   * (the audit trail must not silently miss a type added later, e.g. a system escalation).
   */
  handles: string[];
  apply(client: PoolClient, event: RecordedEvent): Promise<void>;
  /**
   * Optional, and must leave exactly the rows `apply` would, event after event: the batch's events (only the handled
   * types, in commit order, already storable) applied set-wise — the rows they touch loaded once, folded in memory,
   * written back with one statement per table. Idempotent like `apply`. When it throws something other than a
   * transient error, the runner rolls it back and applies the batch with `apply`, which names the failing event.
   */
  applyBatch?(client: PoolClient, events: RecordedEvent[]): Promise<void>;
}

/** pino-compatible; the runner never writes to the console. */
export interface ProjectionLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export const checkpointName = (p: Pick<Projection, 'name' | 'version'>): string => `projection:${p.name}:v${p.version}`;

/** Where a projection stands: its checkpoint in the log. */
export interface ProjectionStatus {
  name: string;
  version: number;
  checkpoint: string;
  transactionId: string;
  position: string;
  updatedAt: string | null;
}
