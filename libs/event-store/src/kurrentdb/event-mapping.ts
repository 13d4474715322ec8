import { jsonEvent, NO_STREAM, type AppendStreamState, type CurrentStreamState, type JSONEventData, type Position } from '@kurrent/kurrentdb-client';
import { canonicalize } from '../canonical-json';
import type { ChainedEvent } from '../chain-check';
import type { EventMetadata, NewEvent, RecordedEvent } from '../event-store.port';
import { type EventSigner, signEventHash } from '../event-signatures';
import { chainHash } from '../hash-chain';
import { toGlobalPosition } from './positions';

/**
 * How a Duban event sits in KurrentDB. Data: the canonical payload as JSON. Metadata: a flat object of strings (what
 * KurrentDB's multi-stream append accepts), holding
 *   `$correlationId` / `$causationId` — KurrentDB's own names, so its correlation projection and UI understand them;
 *   `duban.metadata` — the port's metadata as RFC 8785 canonical JSON (signer, command, correlation, causation …);
 *   `duban.recordedAt`, `duban.prevHash`, `duban.hash` — the per-stream hash chain, computed exactly as for PostgreSQL
 *     (the version sealed is the stream revision + 1, so a record moved to another revision fails the check);
 *   `duban.signingKeyId`, `duban.signature` — the server's Ed25519 signature over the hash.
 */
export const METADATA_FORMAT = '1';

export interface DubanKurrentMetadata {
  $correlationId?: string;
  $causationId?: string;
  'duban.format': string;
  'duban.metadata': string;
  'duban.recordedAt': string;
  'duban.prevHash': string;
  'duban.hash': string;
  'duban.signingKeyId'?: string;
  'duban.signature'?: string;
  [key: string]: string | undefined;
}

/** Streams the log never shows: KurrentDB's own (`$…`) and the idempotency records. */
export const COMMAND_STREAM_PREFIX = 'duban-command-';
/** The server-side `$all` filter (a .NET regular expression on the stream name): everything but those. */
export const LOG_STREAM_FILTER = '^(?!\\$|duban-command-)';

/** An event of the log that Duban did not write (or wrote in a format it does not know): reading stops at it, loudly. */
export class ForeignKurrentDbEvent extends Error {
  readonly code = 'KURRENTDB_EVENT_NOT_DUBAN';
  constructor(
    readonly streamId: string,
    readonly revision: bigint,
    reason: string,
  ) {
    super(`KurrentDB 事件 ${streamId}@${revision} 不是督办写入的事件：${reason} (KURRENTDB_EVENT_NOT_DUBAN)`);
    this.name = 'ForeignKurrentDbEvent';
  }
}

/** A stream name KurrentDB reserves (`$…`) or the adapter uses for idempotency records: refused before any write. */
export class ReservedStreamName extends Error {
  readonly code = 'KURRENTDB_STREAM_NAME_RESERVED';
  constructor(readonly streamId: string) {
    super(`流名称 “${streamId}” 不可用：不能为空，不能以 $ 或 ${COMMAND_STREAM_PREFIX} 开头 (KURRENTDB_STREAM_NAME_RESERVED)`);
    this.name = 'ReservedStreamName';
  }
}

export function checkStreamName(streamId: string): void {
  if (!streamId || streamId.startsWith('$') || streamId.startsWith(COMMAND_STREAM_PREFIX)) throw new ReservedStreamName(streamId);
}

export interface EncodedEvent {
  event: JSONEventData;
  hash: string;
}

/**
 * The event at `version` of `streamId`, chained to `prevHash`: canonical data and metadata, hashed exactly as the
 * PostgreSQL adapter hashes a row, signed when a signer is given.
 */
export function encodeEvent(
  streamId: string,
  version: number,
  e: NewEvent,
  recordedAt: string,
  prevHash: string,
  signer?: EventSigner,
): EncodedEvent {
  const data = JSON.parse(canonicalize(e.data)) as Record<string, unknown>;
  const metadata = JSON.parse(canonicalize(e.metadata)) as EventMetadata;
  const hash = chainHash(prevHash, { streamId, version, eventId: e.eventId, type: e.type, data, metadata, recordedAt });
  const kurrentMetadata: DubanKurrentMetadata = {
    // Only strings: multi-stream append refuses any other metadata value.
    ...(typeof metadata.correlationId === 'string' ? { $correlationId: metadata.correlationId } : {}),
    ...(typeof metadata.causationId === 'string' ? { $causationId: metadata.causationId } : {}),
    'duban.format': METADATA_FORMAT,
    'duban.metadata': canonicalize(metadata),
    'duban.recordedAt': recordedAt,
    'duban.prevHash': prevHash,
    'duban.hash': hash,
  };
  if (signer) {
    const signed = signEventHash(signer, hash);
    kurrentMetadata['duban.signingKeyId'] = signed.keyId;
    kurrentMetadata['duban.signature'] = signed.signature;
  }
  return { event: jsonEvent({ id: e.eventId, type: e.type, data, metadata: kurrentMetadata }) as JSONEventData, hash };
}

/** What the client hands back for a record (the fields the adapter reads). */
export interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** A record as the verifier sees it: the port's fields plus the signature. */
export function decodeChained(r: KurrentRecord): ChainedEvent & { transactionId: string } {
  if (!r.position) throw new ForeignKurrentDbEvent(r.streamId, r.revision, '服务器未返回日志位置（需要 KurrentDB 22.6 及以上）');
  if (!r.isJson || typeof r.data !== 'object' || r.data === null || Array.isArray(r.data)) {
    throw new ForeignKurrentDbEvent(r.streamId, r.revision, '数据不是 JSON 对象');
  }
  const m = r.metadata as Partial<DubanKurrentMetadata> | undefined;
  if (!m || typeof m !== 'object' || m['duban.format'] !== METADATA_FORMAT) {
    throw new ForeignKurrentDbEvent(r.streamId, r.revision, `元数据缺少 duban.format=${METADATA_FORMAT}`);
  }
  for (const field of ['duban.metadata', 'duban.recordedAt', 'duban.prevHash', 'duban.hash'] as const) {
    if (typeof m[field] !== 'string') throw new ForeignKurrentDbEvent(r.streamId, r.revision, `元数据缺少 ${field}`);
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(m['duban.metadata']!);
  } catch {
    throw new ForeignKurrentDbEvent(r.streamId, r.revision, 'duban.metadata 不是 JSON');
  }
  const at = toGlobalPosition(r.position);
  return {
    position: at.position,
    transactionId: at.transactionId,
    streamId: r.streamId,
    version: revisionToVersion(r.revision),
    eventId: r.id,
    type: r.type,
    data: r.data,
    metadata,
    recordedAt: m['duban.recordedAt']!,
    prevHash: m['duban.prevHash']!,
    hash: m['duban.hash']!,
    signingKeyId: m['duban.signingKeyId'] ?? null,
    signature: m['duban.signature'] ?? null,
  };
}

export function decodeEvent(r: KurrentRecord): RecordedEvent {
  const e = decodeChained(r);
  return {
    position: e.position,
    transactionId: e.transactionId,
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    data: e.data as Record<string, unknown>,
    metadata: e.metadata as EventMetadata,
    recordedAt: e.recordedAt,
    prevHash: e.prevHash,
    hash: e.hash,
  };
}

/** What an append chains to: the last record's version and hash (its log position is not needed for that). */
export function chainHead(r: KurrentRecord): { version: number; hash: string } {
  const m = r.metadata as Partial<DubanKurrentMetadata> | undefined;
  if (!m || typeof m !== 'object' || m['duban.format'] !== METADATA_FORMAT || typeof m['duban.hash'] !== 'string') {
    throw new ForeignKurrentDbEvent(r.streamId, r.revision, `元数据缺少 duban.format=${METADATA_FORMAT} 或 duban.hash`);
  }
  return { version: revisionToVersion(r.revision), hash: m['duban.hash'] };
}

/** The port counts events (version n = the n-th event, 0 = no stream); KurrentDB numbers revisions from 0. */
export const revisionToVersion = (revision: bigint): number => Number(revision) + 1;

/** The port's expected version as KurrentDB's expected stream state. */
export function expectedState(expectedVersion: number): AppendStreamState {
  if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
    throw new RangeError(`期望版本应为非负整数，实际为 ${expectedVersion} (INVALID_EXPECTED_VERSION)`);
  }
  return expectedVersion === 0 ? NO_STREAM : BigInt(expectedVersion - 1);
}

/**
 * KurrentDB's actual stream state as the port's version: no stream is 0, revision r is r + 1; a deleted or
 * tombstoned stream (negative states) has no version the caller could expect, so it is reported as unknown.
 */
export function actualVersion(state: CurrentStreamState | AppendStreamState): number | null {
  if (state === NO_STREAM) return 0;
  if (typeof state === 'bigint' && state >= 0n) return revisionToVersion(state);
  return null;
}
