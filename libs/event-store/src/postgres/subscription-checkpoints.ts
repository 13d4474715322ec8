import type { Pool, PoolClient } from 'pg';
import { START, type GlobalPosition } from '../event-store.port';

/**
 * A consumer of the log (a projection, the Merkle sealer) locks its checkpoint row for the length of its batch, so
 * two instances never apply the same events; the row is created at the start of the log the first time.
 */
export function lockSubscriptionCheckpoint(client: PoolClient, name: string): Promise<GlobalPosition> {
  return readSubscriptionCheckpoint(client, name, { lock: true });
}

/**
 * Reads a consumer's checkpoint, creating it at the start of the log the first time. With `lock`, inside the caller's
 * transaction, the row stays locked until it commits; without, a consumer that must not hold a transaction open
 * (the Temporal forwarder) reads it plainly.
 */
export async function readSubscriptionCheckpoint(
  db: Pick<Pool | PoolClient, 'query'>,
  name: string,
  options: { lock?: boolean } = {},
): Promise<GlobalPosition> {
  await db.query(
    `INSERT INTO subscription_checkpoints (name, transaction_id, position) VALUES ($1, $2::text::xid8, $3)
     ON CONFLICT (name) DO NOTHING`,
    [name, START.transactionId, START.position],
  );
  const { rows } = await db.query<{ transaction_id: string; position: string }>(
    `SELECT transaction_id::text AS transaction_id, position::text AS position
       FROM subscription_checkpoints WHERE name = $1${options.lock ? ' FOR UPDATE' : ''}`,
    [name],
  );
  return { transactionId: rows[0].transaction_id, position: rows[0].position };
}

/** Stores the checkpoint in the caller's transaction, beside the effects of the batch it ends. */
export async function storeSubscriptionCheckpoint(client: PoolClient, name: string, at: GlobalPosition): Promise<void> {
  await client.query(
    `UPDATE subscription_checkpoints SET transaction_id = $2::text::xid8, position = $3, updated_at = now()
      WHERE name = $1`,
    [name, at.transactionId, at.position],
  );
}

/** Moves the checkpoint to `to` only if that is further on: a consumer outside any transaction, racing a slower twin. */
export async function advanceSubscriptionCheckpoint(
  db: Pick<Pool | PoolClient, 'query'>,
  name: string,
  to: GlobalPosition,
): Promise<void> {
  await db.query(
    `UPDATE subscription_checkpoints SET transaction_id = $2::text::xid8, position = $3, updated_at = now()
      WHERE name = $1 AND (transaction_id, position) < ($2::text::xid8, $3::bigint)`,
    [name, to.transactionId, to.position],
  );
}

export interface StoredCheckpoint extends GlobalPosition {
  name: string;
  updatedAt: Date;
}

/** The checkpoints of these consumers that exist (a consumer that never ran has none yet). */
export async function readSubscriptionCheckpoints(db: Pick<Pool | PoolClient, 'query'>, names: string[]): Promise<StoredCheckpoint[]> {
  const { rows } = await db.query<{ name: string; transaction_id: string; position: string; updated_at: Date }>(
    `SELECT name, transaction_id::text AS transaction_id, position::text AS position, updated_at
       FROM subscription_checkpoints WHERE name = ANY($1)`,
    [names],
  );
  return rows.map((r) => ({ name: r.name, transactionId: r.transaction_id, position: r.position, updatedAt: r.updated_at }));
}
