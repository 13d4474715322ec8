import type { Pool, PoolClient } from 'pg';
import {
  AppendedStream,
  AppendOutcome,
  AppendToStream,
  type Clock,
  EventStore,
  GlobalPosition,
  IdempotentRequest,
  ReadStreamResult,
  RecordedEvent,
  START,
} from '../event-store.port';
import { canonicalize } from '../canonical-json';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { type EventSigner, signEventHash } from '../event-signatures';
import { IdempotencyKeyReused, StreamVersionConflict } from '../errors';
import { withTransaction } from './transaction';

const SELECT_COLUMNS = `position::text AS position, transaction_id::text AS transaction_id, stream_id, version,
  event_id::text AS event_id, type, data, metadata, recorded_at, prev_hash, hash`;

interface EventRow {
  position: string;
  transaction_id: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    position: row.position,
    transactionId: row.transaction_id,
    streamId: row.stream_id,
    version: row.version,
    eventId: row.event_id,
    type: row.type,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    recordedAt: row.recorded_at.toISOString(),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const UNIQUE_VIOLATION = '23505';

export class PostgresEventStore implements EventStore {
  /**
   * `signer`: the server key that signs each event's chain hash. The API and the worker always pass one; a store
   * without it (some tests, a one-off tool) appends events that `verify` reports as unsigned.
   */
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly signer?: EventSigner,
  ) {}

  async readStream<TData>(streamId: string): Promise<ReadStreamResult<TData>> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = $1 ORDER BY version`,
      [streamId],
    );
    const events = rows.map(toRecordedEvent) as RecordedEvent<TData>[];
    return { version: events.length ? events[events.length - 1].version : 0, events };
  }

  async findProcessedCommand<TResult>(key: string): Promise<{ requestHash: string; result: TResult } | null> {
    const { rows } = await this.pool.query(
      'SELECT request_hash, result FROM processed_commands WHERE idempotency_key = $1',
      [key],
    );
    return rows.length ? { requestHash: rows[0].request_hash, result: rows[0].result as TResult } : null;
  }

  async append<TResult>(
    streams: AppendToStream[],
    idempotency?: IdempotentRequest<TResult>,
  ): Promise<AppendOutcome<TResult>> {
    try {
      return await withTransaction(this.pool, async (client) => {
        const recordedAt = this.clock.now();
        const appended: AppendedStream[] = [];
        // A fixed lock order keeps two multi-stream appends from deadlocking on each other.
        for (const s of [...streams].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0))) {
          appended.push(await this.appendOne(client, s, recordedAt));
        }
        const ordered = streams.map((s) => appended.find((a) => a.streamId === s.streamId)!);
        if (!idempotency) return { kind: 'appended', streams: ordered, result: undefined as TResult };
        const result = idempotency.result(ordered);
        await client.query(
          `INSERT INTO processed_commands (idempotency_key, command_type, request_hash, result, recorded_at)
           VALUES ($1, $2, $3, $4, $5)`,
          [idempotency.key, idempotency.commandType, idempotency.requestHash, JSON.stringify(result), recordedAt],
        );
        return { kind: 'appended', streams: ordered, result };
      });
    } catch (err) {
      if (idempotency && (isUniqueViolation(err) || err instanceof StreamVersionConflict)) {
        // A concurrent request with the same key may have won the race (its events, its version or its command row):
        // then answer with its result instead of a conflict.
        const first = await this.findProcessedCommand<TResult>(idempotency.key);
        if (first) {
          if (first.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused(idempotency.key);
          return { kind: 'replayed', result: first.result };
        }
      }
      throw err;
    }
  }

  private async appendOne(client: PoolClient, s: AppendToStream, recordedAt: Date): Promise<AppendedStream> {
    if (s.events.length === 0) throw new Error(`nothing to append to ${s.streamId}`);
    const head = await client.query<{ version: number; hash: string }>(
      'SELECT version, hash FROM events WHERE stream_id = $1 ORDER BY version DESC LIMIT 1',
      [s.streamId],
    );
    const actual = head.rows.length ? head.rows[0].version : 0;
    if (actual !== s.expectedVersion) throw new StreamVersionConflict(s.streamId, s.expectedVersion, actual);
    let prevHash = head.rows.length ? head.rows[0].hash : GENESIS_HASH;
    let version = actual;
    const eventIds: string[] = [];
    for (const e of s.events) {
      version += 1;
      // Store the canonical text and hash exactly what is stored, so a verifier needs nothing but the row.
      const data = JSON.parse(canonicalize(e.data));
      const metadata = JSON.parse(canonicalize(e.metadata));
      const fields = {
        streamId: s.streamId,
        version,
        eventId: e.eventId,
        type: e.type,
        data,
        metadata,
        recordedAt: recordedAt.toISOString(),
      };
      const hash = chainHash(prevHash, fields);
      const signed = this.signer ? signEventHash(this.signer, hash) : null;
      try {
        await client.query(
          `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash, signing_key_id, signature)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            s.streamId,
            version,
            e.eventId,
            e.type,
            canonicalize(data),
            canonicalize(metadata),
            recordedAt,
            prevHash,
            hash,
            signed?.keyId ?? null,
            signed?.signature ?? null,
          ],
        );
      } catch (err) {
        if (isUniqueViolation(err) && (err as { constraint?: string }).constraint === 'events_stream_version_uniq') {
          throw new StreamVersionConflict(s.streamId, s.expectedVersion, null);
        }
        throw err;
      }
      eventIds.push(e.eventId);
      prevHash = hash;
    }
    return { streamId: s.streamId, fromVersion: actual + 1, toVersion: version, eventIds, lastHash: prevHash };
  }

  async readAll(after: GlobalPosition, limit: number): Promise<RecordedEvent[]> {
    return readAllWith(this.pool, after, limit);
  }

  async head(): Promise<GlobalPosition> {
    const { rows } = await this.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position::text AS position FROM events
        -- Qualified: the select list renames both to text, and an alias would sort '999' after '1000'.
        ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`,
    );
    return rows.length ? { transactionId: rows[0].transaction_id, position: rows[0].position } : START;
  }
}

/**
 * Commit-order read usable inside a caller's transaction (projections checkpoint in the same one).
 * Columns are qualified on purpose: the select list renames them to text, and an unqualified ORDER BY would sort
 * by those text aliases ('1002' < '762'), skipping events once transaction ids gain a digit.
 */
export async function readAllWith(
  db: Pick<Pool | PoolClient, 'query'>,
  after: GlobalPosition,
  limit: number,
): Promise<RecordedEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${SELECT_COLUMNS} FROM events
      WHERE (events.transaction_id, events.position) > ($1::text::xid8, $2::bigint)
        AND events.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY events.transaction_id, events.position
      LIMIT $3`,
    [after.transactionId, after.position, limit],
  );
  return rows.map(toRecordedEvent);
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === UNIQUE_VIOLATION;
}
