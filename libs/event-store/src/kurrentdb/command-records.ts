import { createHash } from 'node:crypto';
import { ErrorType, jsonEvent, type JSONEventData } from '@kurrent/kurrentdb-client';
import { StreamVersionConflict } from '../errors';
import type { AppendToStream } from '../event-store.port';
import { actualVersion, COMMAND_STREAM_PREFIX, ForeignKurrentDbEvent, type KurrentRecord, METADATA_FORMAT } from './event-mapping';

/**
 * PostgreSQL keeps `processed_commands` in the append's transaction. KurrentDB has no table, so each command's record
 * is the single event of its own stream `duban-command-<sha256(key)>`, written in the same multi-stream append as the
 * command's events with "no stream" expected: the record and the events land together or not at all, and a second
 * delivery of the key loses on that stream (or on the target stream) and is answered from the record. The `$all`
 * filter keeps these streams out of the log.
 */
export const COMMAND_RECORD_TYPE = 'CommandProcessed';

export const commandStreamName = (key: string): string =>
  `${COMMAND_STREAM_PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex')}`;

export interface CommandRecord<TResult> {
  requestHash: string;
  result: TResult;
}

/** The record's event: the result kept as the JSON text first returned, so a replay answers with exactly that text. */
export function encodeCommandRecord(
  key: string,
  commandType: string,
  requestHash: string,
  result: unknown,
  recordedAt: string,
): JSONEventData {
  return jsonEvent({
    type: COMMAND_RECORD_TYPE,
    data: { idempotencyKey: key, commandType, requestHash, result: JSON.stringify(result ?? null) },
    metadata: { 'duban.format': METADATA_FORMAT, 'duban.recordedAt': recordedAt },
  }) as JSONEventData;
}

export function decodeCommandRecord<TResult>(r: KurrentRecord): CommandRecord<TResult> {
  const d = r.data as { requestHash?: unknown; result?: unknown } | null;
  if (r.type !== COMMAND_RECORD_TYPE || !d || typeof d.requestHash !== 'string' || typeof d.result !== 'string') {
    throw new ForeignKurrentDbEvent(r.streamId, r.revision, `不是 ${COMMAND_RECORD_TYPE} 记录`);
  }
  return { requestHash: d.requestHash, result: JSON.parse(d.result) as TResult };
}

/**
 * A wrong-expected-revision failure from KurrentDB as the port's typed conflict, naming the stream, the version the
 * caller expected and the one found; anything else is not a conflict (null).
 */
export function toVersionConflict(err: unknown, appends: ReadonlyArray<AppendToStream>): StreamVersionConflict | null {
  if (err instanceof StreamVersionConflict) return err;
  const e = err as { type?: unknown; streamName?: unknown; actualState?: unknown } | null;
  if (!e || typeof e !== 'object' || e.type !== ErrorType.WRONG_EXPECTED_VERSION) return null;
  const streamId = typeof e.streamName === 'string' ? e.streamName : '';
  const requested = appends.find((a) => a.streamId === streamId);
  const actual = actualVersion(e.actualState as bigint);
  // The command record's stream is expected not to exist: its "expected version" is 0.
  return new StreamVersionConflict(streamId, requested?.expectedVersion ?? 0, actual);
}
