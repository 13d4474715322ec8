import type { Pool, PoolClient } from 'pg';
import {
  AppendedStream,
  AppendOutcome,
  AppendToStream,
  type Clock,
  EventStore,
  GlobalPosition,
  IdempotentRequest,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
  START,
} from '../event-store.port';
import { canonicalize } from '../canonical-json';
import { canonicalEventText, chainHashOfText, GENESIS_HASH } from '../hash-chain';
import { type EventSigner, signEventHash } from '../event-signatures';
import { IdempotencyKeyReused, StreamVersionConflict } from '../errors';
import { StreamHeads } from './stream-heads';

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
/** Raised by duban_append: a stream is not at the expected version. */
const VERSION_MISMATCH = 'DB409';
/** Raised by duban_append: the head hash the events were chained onto is not the stream's. */
const STALE_HEAD = 'DB412';

export class PostgresEventStore implements EventStore {
  private readonly heads = new StreamHeads();

  /**
   * `signer`: the server key that signs each event's chain hash. The API and the worker always pass one; a store
   * without it (some tests, a one-off tool) appends events that `verify` reports as unsigned.
   */
  constructor(
    private readonly pool: Pool,
    private readonly clock: Clock,
    private readonly signer?: EventSigner,
  ) {}

  async readStream<TData>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<TData>> {
    const after = options.afterVersion ?? 0;
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${SELECT_COLUMNS} FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version`,
      [streamId, after],
    );
    const events = rows.map(toRecordedEvent) as RecordedEvent<TData>[];
    const last = events[events.length - 1];
    if (last) this.heads.saw(streamId, last.version, last.hash);
    return { version: last ? last.version : after, events };
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
      try {
        return await this.appendOnce(streams, idempotency, false);
      } catch (err) {
        // Our cached head hash was not the stream's (another store instance wrote the same version): read and retry.
        if ((err as { code?: string }).code !== STALE_HEAD) throw err;
        for (const s of streams) this.heads.forget(s.streamId);
        return await this.appendOnce(streams, idempotency, true);
      }
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

  /**
   * One round trip when every stream's head hash is known (new streams, or a head this process read or wrote): the
   * chain and signatures are computed here and `duban_append` (migration 0060) checks each head, inserts every row in
   * one statement and records the command, in one implicit transaction. An unknown head costs one read first.
   */
  private async appendOnce<TResult>(
    streams: AppendToStream[],
    idempotency: IdempotentRequest<TResult> | undefined,
    readHeads: boolean,
  ): Promise<AppendOutcome<TResult>> {
    const recordedAt = this.clock.now();
    const recordedAtText = recordedAt.toISOString();
    // A fixed order keeps two multi-stream appends from deadlocking on each other's unique-index entries.
    const sorted = [...streams].sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
    const headHashes = await this.headHashes(sorted, readHeads);
    const rows = { streams: [] as string[], versions: [] as number[], ids: [] as string[], types: [] as string[], data: [] as string[] };
    const more = { metadata: [] as string[], prev: [] as string[], hashes: [] as string[], keyIds: [] as (string | null)[], sigs: [] as (string | null)[] };
    const appended: AppendedStream[] = [];
    sorted.forEach((s, i) => {
      if (s.events.length === 0) throw new Error(`nothing to append to ${s.streamId}`);
      let prevHash = headHashes[i];
      let version = s.expectedVersion;
      const eventIds: string[] = [];
      for (const e of s.events) {
        version += 1;
        // Store the canonical text and hash exactly what is stored, so a verifier needs nothing but the row.
        const dataText = canonicalize(e.data);
        const metadataText = canonicalize(e.metadata);
        const hash = chainHashOfText(
          prevHash,
          canonicalEventText({ streamId: s.streamId, version, eventId: e.eventId, type: e.type, dataText, metadataText, recordedAt: recordedAtText }),
        );
        const signed = this.signer ? signEventHash(this.signer, hash) : null;
        rows.streams.push(s.streamId);
        rows.versions.push(version);
        rows.ids.push(e.eventId);
        rows.types.push(e.type);
        rows.data.push(dataText);
        more.metadata.push(metadataText);
        more.prev.push(prevHash);
        more.hashes.push(hash);
        more.keyIds.push(signed?.keyId ?? null);
        more.sigs.push(signed?.signature ?? null);
        eventIds.push(e.eventId);
        prevHash = hash;
      }
      appended.push({ streamId: s.streamId, fromVersion: s.expectedVersion + 1, toVersion: version, eventIds, lastHash: prevHash });
    });
    const ordered = streams.map((s) => appended.find((a) => a.streamId === s.streamId)!);
    const result = idempotency ? idempotency.result(ordered) : (undefined as TResult);
    try {
      await this.pool.query({
        name: 'duban-append-v1',
        text: `SELECT duban_append($1::text[], $2::integer[], $3::text[], $4::text[], $5::integer[], $6::uuid[], $7::text[], $8::text[],
                 $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz, $15::text, $16::text, $17::text, $18::text)`,
        values: [
          sorted.map((s) => s.streamId),
          sorted.map((s) => s.expectedVersion),
          headHashes,
          rows.streams,
          rows.versions,
          rows.ids,
          rows.types,
          rows.data,
          more.metadata,
          more.prev,
          more.hashes,
          more.keyIds,
          more.sigs,
          recordedAt,
          idempotency?.key ?? null,
          idempotency?.commandType ?? null,
          idempotency?.requestHash ?? null,
          idempotency ? JSON.stringify(result) : null,
        ],
      });
    } catch (err) {
      throw toAppendError(err, sorted);
    }
    for (const a of appended) this.heads.saw(a.streamId, a.toVersion, a.lastHash);
    return { kind: 'appended', streams: ordered, result };
  }

  /** The hash each stream's new events chain onto: genesis for a new stream, else the cached or (one query) read head. */
  private async headHashes(sorted: AppendToStream[], read: boolean): Promise<string[]> {
    const hashes = sorted.map((s) => (s.expectedVersion === 0 ? GENESIS_HASH : read ? undefined : this.heads.hashAt(s.streamId, s.expectedVersion)));
    const missing = sorted.filter((_, i) => hashes[i] === undefined).map((s) => s.streamId);
    if (missing.length === 0) return hashes as string[];
    const { rows } = await this.pool.query<{ stream_id: string; version: number; hash: string }>(
      `SELECT DISTINCT ON (stream_id) stream_id, version, hash FROM events WHERE stream_id = ANY($1::text[])
        ORDER BY stream_id, version DESC`,
      [missing],
    );
    const heads = new Map(rows.map((r) => [r.stream_id, r]));
    return sorted.map((s, i) => {
      if (hashes[i] !== undefined) return hashes[i]!;
      const head = heads.get(s.streamId);
      const actual = head?.version ?? 0;
      if (actual !== s.expectedVersion) throw new StreamVersionConflict(s.streamId, s.expectedVersion, actual);
      this.heads.saw(s.streamId, head!.version, head!.hash);
      return head!.hash;
    });
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

/** The append function's refusals, as the port's errors (see migrations/0060_append_function.sql). */
function toAppendError(err: unknown, sorted: AppendToStream[]): unknown {
  const e = err as { code?: string; detail?: string; constraint?: string };
  if (e.code === VERSION_MISMATCH) {
    const { streamId, actual } = JSON.parse(e.detail ?? '{}') as { streamId: string; actual: number };
    const expected = sorted.find((s) => s.streamId === streamId)?.expectedVersion ?? -1;
    return new StreamVersionConflict(streamId, expected, actual);
  }
  if (isUniqueViolation(err) && e.constraint === 'events_stream_version_uniq') {
    // Another append took the same version between our head check and our insert: a lost race, as a conflict.
    const streamId = /^Key \(stream_id, version\)=\((.*), \d+\) already exists\.$/.exec(e.detail ?? '')?.[1] ?? sorted[0].streamId;
    const expected = sorted.find((s) => s.streamId === streamId)?.expectedVersion ?? sorted[0].expectedVersion;
    return new StreamVersionConflict(streamId, expected, null);
  }
  return err;
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: string }).code === UNIQUE_VIOLATION;
}
