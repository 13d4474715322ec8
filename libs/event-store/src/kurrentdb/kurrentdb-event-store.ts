import {
  BACKWARDS,
  END,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  START as FROM_START,
  streamNameFilter,
  type AppendStreamRequest,
} from '@kurrent/kurrentdb-client';
import type {
  AppendedStream,
  AppendOutcome,
  AppendToStream,
  Clock,
  EventStore,
  GlobalPosition,
  IdempotentRequest,
  ReadStreamOptions,
  ReadStreamResult,
  RecordedEvent,
} from '../event-store.port';
import { START } from '../event-store.port';
import { IdempotencyKeyReused, StreamVersionConflict } from '../errors';
import type { EventSigner } from '../event-signatures';
import { GENESIS_HASH } from '../hash-chain';
import { commandStreamName, decodeCommandRecord, encodeCommandRecord, toVersionConflict } from './command-records';
import type { KurrentDbUrl } from './connection-string';
import { chainHead, checkStreamName, decodeEvent, encodeEvent, expectedState, type KurrentRecord, LOG_STREAM_FILTER } from './event-mapping';
import { isPastCheckpoint, toGlobalPosition, toReadPosition } from './positions';

/** The server lacks what an append needs (multi-stream append arrived in KurrentDB 25.1). */
export class KurrentDbFeatureMissing extends Error {
  readonly code = 'KURRENTDB_VERSION_UNSUPPORTED';
  constructor(feature: string, minimumVersion: string) {
    super(`KurrentDB 服务器不支持 ${feature}（需要 ${minimumVersion} 及以上）：多流原子追加与幂等记录依赖它 (KURRENTDB_VERSION_UNSUPPORTED)`);
    this.name = 'KurrentDbFeatureMissing';
  }
}

/**
 * The event-store port over KurrentDB. Streams keep their names (`finding-<id>`, `campaign-<id>` …) and event ids;
 * each append reads the stream's head (for the hash chain) and appends with the expected revision, so a lost race is
 * the port's `StreamVersionConflict` and the chain never forks. Appends that touch more than one stream — any command
 * (its events plus its idempotency record), a dispatch with its notice number — go in one `multiStreamAppend`
 * (KurrentDB ≥ 25.1), which commits all streams or none and checks every expected revision.
 */
export class KurrentDbEventStore implements EventStore {
  constructor(
    private readonly client: KurrentDBClient,
    private readonly clock: Clock,
    private readonly signer?: EventSigner,
  ) {}

  static connect(url: KurrentDbUrl, clock: Clock, signer?: EventSigner): KurrentDbEventStore {
    return new KurrentDbEventStore(KurrentDBClient.connectionString(url.connectionString), clock, signer);
  }

  /** The client, for the chain verifier and for closing it. */
  get connection(): KurrentDBClient {
    return this.client;
  }

  async dispose(): Promise<void> {
    await this.client.dispose();
  }

  async readStream<TData>(streamId: string, options: ReadStreamOptions = {}): Promise<ReadStreamResult<TData>> {
    checkStreamName(streamId);
    const after = options.afterVersion ?? 0;
    // Version v is revision v − 1: the events after `after` start at revision `after`.
    const events = (await this.readRecords(streamId, 'forwards', BigInt(after))).map(decodeEvent) as RecordedEvent<TData>[];
    return { version: events.length ? events[events.length - 1].version : after, events };
  }

  async findProcessedCommand<TResult>(key: string): Promise<{ requestHash: string; result: TResult } | null> {
    const [record] = await this.readRecords(commandStreamName(key), 'last');
    return record ? decodeCommandRecord<TResult>(record) : null;
  }

  async append<TResult>(streams: AppendToStream[], idempotency?: IdempotentRequest<TResult>): Promise<AppendOutcome<TResult>> {
    try {
      const recordedAt = this.clock.now().toISOString();
      const appended: AppendedStream[] = [];
      const requests: AppendStreamRequest[] = [];
      for (const s of streams) {
        checkStreamName(s.streamId);
        if (s.events.length === 0) throw new Error(`nothing to append to ${s.streamId}`);
        const head = await this.streamHead(s.streamId);
        // Checked before writing so the chain is computed on the head the append will be checked against.
        if (head.version !== s.expectedVersion) throw new StreamVersionConflict(s.streamId, s.expectedVersion, head.version);
        let prevHash = head.hash;
        const events = s.events.map((e, i) => {
          const encoded = encodeEvent(s.streamId, s.expectedVersion + i + 1, e, recordedAt, prevHash, this.signer);
          prevHash = encoded.hash;
          return encoded.event;
        });
        requests.push({ streamName: s.streamId, events, expectedState: expectedState(s.expectedVersion) });
        appended.push({
          streamId: s.streamId,
          fromVersion: s.expectedVersion + 1,
          toVersion: s.expectedVersion + s.events.length,
          eventIds: s.events.map((e) => e.eventId),
          lastHash: prevHash,
        });
      }
      const result = idempotency ? idempotency.result(appended) : (undefined as TResult);
      if (idempotency) {
        requests.push({
          streamName: commandStreamName(idempotency.key),
          events: [encodeCommandRecord(idempotency.key, idempotency.commandType, idempotency.requestHash, result, recordedAt)],
          expectedState: expectedState(0),
        });
      }
      await this.write(requests);
      return { kind: 'appended', streams: appended, result };
    } catch (err) {
      const conflict = toVersionConflict(err, streams);
      if (idempotency && conflict) {
        // A concurrent delivery of the same key may have won (its events, or its record): answer with its result.
        const first = await this.findProcessedCommand<TResult>(idempotency.key);
        if (first) {
          if (first.requestHash !== idempotency.requestHash) throw new IdempotencyKeyReused(idempotency.key);
          return { kind: 'replayed', result: first.result };
        }
      }
      if (conflict) throw conflict;
      if ((err as { type?: unknown })?.type === ErrorType.UNSUPPORTED) throw new KurrentDbFeatureMissing('multiStreamAppend', '25.1');
      throw err;
    }
  }

  /** One stream alone goes through the classic append (any server version); several through the atomic one. */
  private async write(requests: AppendStreamRequest[]): Promise<void> {
    if (requests.length === 1) {
      const [r] = requests;
      await this.client.appendToStream(r.streamName, r.events, { streamState: r.expectedState });
      return;
    }
    await this.client.multiStreamAppend(requests);
  }

  async readAll(after: GlobalPosition, limit: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    // `$all` is read from the checkpoint's own event (inclusive), hence one more than asked and the skip below.
    const reader = this.client.readAll({
      fromPosition: toReadPosition(after),
      maxCount: limit + 1,
      direction: FORWARDS,
      resolveLinkTos: false,
      filter: streamNameFilter({ regex: LOG_STREAM_FILTER }),
    });
    for await (const resolved of reader) {
      const e = resolved.event;
      if (!e || !isPastCheckpoint(e.position, after)) continue;
      out.push(decodeEvent(e as KurrentRecord));
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Every record of the log the filter admits, from the start, for the chain verifier. */
  async *scanLog(batchSize = 1000): AsyncGenerator<KurrentRecord> {
    for await (const resolved of this.client.readAll({
      fromPosition: FROM_START,
      direction: FORWARDS,
      resolveLinkTos: false,
      maxCount: Number.MAX_SAFE_INTEGER,
      filter: streamNameFilter({ regex: LOG_STREAM_FILTER, maxSearchWindow: batchSize }),
    })) {
      if (resolved.event) yield resolved.event as KurrentRecord;
    }
  }

  /** One stream's records, for the chain verifier. */
  async scanStream(streamId: string): Promise<KurrentRecord[]> {
    return this.readRecords(streamId, 'forwards');
  }

  /** The position of the log's last Duban event (START when there is none): what `waitForHead` waits for. */
  async head(): Promise<GlobalPosition> {
    for await (const resolved of this.client.readAll({
      fromPosition: END,
      direction: BACKWARDS,
      resolveLinkTos: false,
      maxCount: 1,
      filter: streamNameFilter({ regex: LOG_STREAM_FILTER }),
    })) {
      if (resolved.event?.position) return toGlobalPosition(resolved.event.position);
    }
    return START;
  }

  private async streamHead(streamId: string): Promise<{ version: number; hash: string }> {
    const [last] = await this.readRecords(streamId, 'last');
    return last ? chainHead(last) : { version: 0, hash: GENESIS_HASH };
  }

  /** A stream's records (all, or only the last); a stream that does not exist has none. */
  private async readRecords(streamId: string, which: 'forwards' | 'last', fromRevision?: bigint): Promise<KurrentRecord[]> {
    const out: KurrentRecord[] = [];
    try {
      const reader =
        which === 'last'
          ? this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })
          : this.client.readStream(streamId, { direction: FORWARDS, fromRevision: fromRevision ? fromRevision : FROM_START });
      for await (const resolved of reader) if (resolved.event) out.push(resolved.event as KurrentRecord);
    } catch (err) {
      if ((err as { type?: unknown })?.type === ErrorType.STREAM_NOT_FOUND) return [];
      throw err;
    }
    return out;
  }
}
