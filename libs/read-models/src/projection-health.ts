import type { Pool, PoolClient } from 'pg';
import { START, type GlobalPosition, type RecordedEvent } from '@duban/event-store';
import { checkpointName, type Projection, type ProjectionStatus } from './projection';

/** A projection's apply threw on this event: the batch rolled back and the projection stays before it. */
export class ProjectionApplyError extends Error {
  constructor(
    readonly projection: Pick<Projection, 'name' | 'version'>,
    readonly event: RecordedEvent,
    override readonly cause: unknown,
    /** How many events of the batch came before it (they rolled back with it). */
    readonly applicableBefore = 0,
  ) {
    super(
      `projection ${projection.name} v${projection.version} cannot apply event ${event.type} ` +
        `(${event.streamId} v${event.version}, position ${event.position}): ${errorText(cause)}`,
    );
    this.name = 'ProjectionApplyError';
  }
}

export interface ProjectionFailure {
  event: {
    transactionId: string;
    position: string;
    streamId: string;
    version: number;
    eventId: string;
    type: string;
  } | null;
  error: string;
  errorCode: string | null;
  attempts: number;
  firstFailedAt: string;
  lastFailedAt: string;
}

export interface ProjectionHealth extends ProjectionStatus {
  /** Events committed after the checkpoint (at most LAG_CAP; `lagCapped` says it is at least that). */
  lag: number;
  lagCapped: boolean;
  failed: boolean;
  failure: ProjectionFailure | null;
}

/** Counting further than this would make a health probe scan a national log; past it the lag is "at least". */
export const LAG_CAP = 100_000;

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const errorCode = (err: unknown): string | null => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
};

/**
 * Records (or counts again) a projection's failure. Called on the pool, not the batch's client: the batch's
 * transaction rolled back, and the record must outlive it.
 */
export async function recordProjectionFailure(
  db: Pick<Pool, 'query'>,
  p: Pick<Projection, 'name' | 'version'>,
  event: RecordedEvent | null,
  err: unknown,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO projection_failures (checkpoint, projection, version, event_transaction_id, event_position, stream_id,
       stream_version, event_id, event_type, error, error_code, attempts, first_failed_at, last_failed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, $12, $12)
     ON CONFLICT (checkpoint) DO UPDATE SET
       event_transaction_id = EXCLUDED.event_transaction_id, event_position = EXCLUDED.event_position,
       stream_id = EXCLUDED.stream_id, stream_version = EXCLUDED.stream_version, event_id = EXCLUDED.event_id,
       event_type = EXCLUDED.event_type, error = EXCLUDED.error, error_code = EXCLUDED.error_code,
       attempts = projection_failures.attempts + 1, last_failed_at = EXCLUDED.last_failed_at`,
    [
      checkpointName(p),
      p.name,
      p.version,
      event?.transactionId ?? null,
      event?.position ?? null,
      event?.streamId ?? null,
      event?.version ?? null,
      event?.eventId ?? null,
      event?.type ?? null,
      errorText(err),
      errorCode(err),
      at,
    ],
  );
}

/** In the batch's (or the rebuild's) transaction: the projection got past whatever stopped it. */
export async function clearProjectionFailure(db: Pick<Pool | PoolClient, 'query'>, p: Pick<Projection, 'name' | 'version'>): Promise<void> {
  await db.query('DELETE FROM projection_failures WHERE checkpoint = $1', [checkpointName(p)]);
}

/**
 * Each projection's checkpoint, how far behind the head of the log it is, and the failure that stopped it, if any:
 * what /health and /operations/projections report. Read-only; needs no runner.
 */
export async function readProjectionHealth(db: Pick<Pool, 'query'>, projections: Pick<Projection, 'name' | 'version'>[]): Promise<ProjectionHealth[]> {
  const names = projections.map(checkpointName);
  const [checkpoints, failures] = await Promise.all([
    db.query<{ name: string; transaction_id: string; position: string; updated_at: Date }>(
      `SELECT name, transaction_id::text AS transaction_id, position::text AS position, updated_at
         FROM subscription_checkpoints WHERE name = ANY($1)`,
      [names],
    ),
    db.query<{
      checkpoint: string;
      event_transaction_id: string | null;
      event_position: string | null;
      stream_id: string | null;
      stream_version: number | null;
      event_id: string | null;
      event_type: string | null;
      error: string;
      error_code: string | null;
      attempts: number;
      first_failed_at: Date;
      last_failed_at: Date;
    }>(`SELECT * FROM projection_failures WHERE checkpoint = ANY($1)`, [names]),
  ]);
  const out: ProjectionHealth[] = [];
  for (const p of projections) {
    const name = checkpointName(p);
    const row = checkpoints.rows.find((r) => r.name === name);
    const at: GlobalPosition = row ? { transactionId: row.transaction_id, position: row.position } : START;
    const lag = await lagAfter(db, at);
    const f = failures.rows.find((r) => r.checkpoint === name);
    out.push({
      name: p.name,
      version: p.version,
      checkpoint: name,
      transactionId: at.transactionId,
      position: at.position,
      updatedAt: row ? row.updated_at.toISOString() : null,
      lag,
      lagCapped: lag >= LAG_CAP,
      failed: Boolean(f),
      failure: f
        ? {
            event:
              f.event_position !== null
                ? {
                    transactionId: f.event_transaction_id!,
                    position: String(f.event_position),
                    streamId: f.stream_id!,
                    version: f.stream_version!,
                    eventId: f.event_id!,
                    type: f.event_type!,
                  }
                : null,
            error: f.error,
            errorCode: f.error_code,
            attempts: f.attempts,
            firstFailedAt: f.first_failed_at.toISOString(),
            lastFailedAt: f.last_failed_at.toISOString(),
          }
        : null,
    });
  }
  return out;
}

async function lagAfter(db: Pick<Pool, 'query'>, at: GlobalPosition): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM events WHERE (transaction_id, position) > ($1::text::xid8, $2::bigint) LIMIT $3
     ) behind`,
    [at.transactionId, at.position, LAG_CAP],
  );
  return rows[0].n;
}
