import { generateKeyPairSync } from 'node:crypto';
import { DeadlineExceededError, NO_STREAM, START as KURRENT_START, UnavailableError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { isDatabaseUnavailable } from '../postgres/connection-errors';
import { canonicalize } from '../canonical-json';
import { StreamVersionConflict } from '../errors';
import type { NewEvent } from '../event-store.port';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { compareGlobalPositions } from '../global-position';
import { ed25519Signer } from '../merkle/checkpoint';
import { commandStreamName, decodeCommandRecord, encodeCommandRecord, toVersionConflict } from './command-records';
import {
  actualVersion,
  chainHead,
  checkStreamName,
  decodeEvent,
  encodeEvent,
  expectedState,
  ForeignKurrentDbEvent,
  type KurrentRecord,
  LOG_STREAM_FILTER,
  ReservedStreamName,
} from './event-mapping';
import { isPastCheckpoint, toGlobalPosition, toReadPosition } from './positions';
import { verifyKurrentDbChains } from './verify-kurrentdb-chains';

const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const signer = ed25519Signer(privateKey);
const at = '2026-11-23T02:00:00.000Z';

const newEvent = (eventId: string, type: string, data: Record<string, unknown>): NewEvent => ({
  eventId,
  type,
  data,
  metadata: { correlationId: 'corr-1', causationId: 'u-1:key-1', commandId: 'u-1:key-1', commandType: 'ClaimFinding', signer: { userId: 'u-1' } },
});

/** What the server hands back for an encoded event: its JSON round-tripped, at a revision and a log position. */
function stored(streamId: string, revision: bigint, encoded: ReturnType<typeof encodeEvent>, commit: bigint): KurrentRecord {
  const e = encoded.event;
  return {
    streamId,
    id: e.id,
    revision,
    type: e.type,
    isJson: true,
    data: JSON.parse(JSON.stringify(e.data)),
    metadata: JSON.parse(JSON.stringify(e.metadata)),
    position: { commit, prepare: commit },
  };
}

function chainOf(streamId: string, events: NewEvent[], firstCommit = 100n, sign = true): KurrentRecord[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const encoded = encodeEvent(streamId, i + 1, e, at, prev, sign ? signer : undefined);
    prev = encoded.hash;
    return stored(streamId, BigInt(i), encoded, firstCommit + BigInt(i) * 10n);
  });
}

describe('KurrentDB event mapping', () => {
  const e1 = newEvent('6a1e5a5e-9c55-4f61-9d67-1c2f3b4a5d01', 'FindingClaimed', { z: 1, 名称: '问题', nested: { b: [1, 'x'], a: null } });
  const e2 = newEvent('6a1e5a5e-9c55-4f61-9d67-1c2f3b4a5d02', 'ProgressReported', { note: '已整改 50%' });

  it('round-trips data, metadata, ids, version and position, with the same chain hash PostgreSQL computes', () => {
    const [r1, r2] = chainOf('finding-f1', [e1, e2]);
    const d1 = decodeEvent(r1);
    const d2 = decodeEvent(r2);
    expect(d1).toEqual({
      position: '100',
      transactionId: '100',
      streamId: 'finding-f1',
      version: 1,
      eventId: e1.eventId,
      type: 'FindingClaimed',
      data: e1.data,
      metadata: e1.metadata,
      recordedAt: at,
      prevHash: GENESIS_HASH,
      hash: chainHash(GENESIS_HASH, { streamId: 'finding-f1', version: 1, eventId: e1.eventId, type: e1.type, data: e1.data, metadata: e1.metadata, recordedAt: at }),
    });
    expect(d2.version).toBe(2);
    expect(d2.prevHash).toBe(d1.hash);
    expect(canonicalize(d1.data)).toBe(canonicalize(e1.data));
  });

  it('writes metadata as a flat object of strings (what multi-stream append accepts) with KurrentDB correlation names', () => {
    const { event } = encodeEvent('finding-f1', 1, e1, at, GENESIS_HASH, signer);
    const m = event.metadata as Record<string, unknown>;
    expect(Object.values(m).every((v) => typeof v === 'string')).toBe(true);
    expect(m.$correlationId).toBe('corr-1');
    expect(m.$causationId).toBe('u-1:key-1');
    expect(m['duban.signingKeyId']).toBe(signer.keyId);
    expect(JSON.parse(m['duban.metadata'] as string)).toEqual(e1.metadata);
    expect(event.id).toBe(e1.eventId);
    expect(event.contentType).toBe('application/json');
  });

  it('verifies a signed chain, and names an edit, a move and a missing signature as over PostgreSQL', async () => {
    const chain = [...chainOf('finding-a', [e1, e2]), ...chainOf('finding-b', [e1], 105n)].sort((x, y) => Number(x.position!.commit - y.position!.commit));
    const ok = await verifyKurrentDbChains(chain, { publicKeys: [publicKey] });
    expect(ok).toMatchObject({ ok: true, streamsChecked: 2, eventsChecked: 3, signatures: { checked: true, signedEvents: 3 } });

    const edited = chainOf('finding-a', [e1, e2]);
    edited[1] = { ...edited[1], data: { note: '已整改 100%' } };
    expect((await verifyKurrentDbChains(edited)).breaks.map((b) => [b.version, b.reason])).toEqual([[2, 'hash_mismatch']]);

    const moved = chainOf('finding-a', [e1, e2]);
    moved[1] = { ...moved[1], revision: 2n };
    expect((await verifyKurrentDbChains(moved)).breaks.map((b) => b.reason)).toEqual(['version_gap']);

    const unsigned = chainOf('finding-a', [e1], 100n, false);
    const report = await verifyKurrentDbChains(unsigned, { publicKeys: [publicKey] });
    expect(report.breaks.map((b) => b.message)).toEqual(['finding-a 第 1 个事件：事件没有服务器签名（非经本系统写入，疑似伪造） (UNSIGNED)']);
  });

  it('chains the next append to the last record, whether or not the server sent its log position', () => {
    const [, r2] = chainOf('finding-f1', [e1, e2]);
    expect(chainHead({ ...r2, position: undefined })).toEqual({ version: 2, hash: decodeEvent(r2).hash });
    expect(() => chainHead({ ...r2, metadata: {} })).toThrow(ForeignKurrentDbEvent);
  });

  it('refuses to read an event Duban did not write, naming it', () => {
    const [r] = chainOf('finding-f1', [e1]);
    expect(() => decodeEvent({ ...r, metadata: { $correlationId: 'x' } })).toThrow(ForeignKurrentDbEvent);
    expect(() => decodeEvent({ ...r, isJson: false, data: new Uint8Array([1]) })).toThrow(/finding-f1@0 不是督办写入的事件：数据不是 JSON 对象 \(KURRENTDB_EVENT_NOT_DUBAN\)/);
  });

  it('refuses stream names KurrentDB reserves or the idempotency records use', () => {
    expect(() => checkStreamName('$all')).toThrow(ReservedStreamName);
    expect(() => checkStreamName(commandStreamName('k'))).toThrow(/KURRENTDB_STREAM_NAME_RESERVED/);
    expect(() => checkStreamName('finding-1')).not.toThrow();
  });

  it('filters the log server-side to Duban streams: no system streams, no idempotency records', () => {
    const admitted = new RegExp(LOG_STREAM_FILTER);
    expect(['finding-1', 'campaign-c1', 'inspection-c1-t1-2026-11-23', 'cadence-x'].every((s) => admitted.test(s))).toBe(true);
    expect(['$all', '$$finding-1', '$ce-finding', '$stats-127.0.0.1:2113', commandStreamName('u:k')].some((s) => admitted.test(s))).toBe(false);
  });
});

describe('revisions and conflicts', () => {
  it('maps the port version (events so far) to the expected revision (last event, from 0)', () => {
    expect(expectedState(0)).toBe(NO_STREAM);
    expect(expectedState(1)).toBe(0n);
    expect(expectedState(42)).toBe(41n);
    expect(() => expectedState(-1)).toThrow(/INVALID_EXPECTED_VERSION/);
    expect(() => expectedState(1.5)).toThrow(RangeError);
  });

  it('maps the actual stream state back to a version; a deleted stream has none', () => {
    expect(actualVersion(NO_STREAM)).toBe(0);
    expect(actualVersion(0n)).toBe(1);
    expect(actualVersion(6n)).toBe(7);
    expect(actualVersion(-5n)).toBeNull();
  });

  it('translates a wrong expected revision into the typed version conflict of the expected stream', () => {
    const wrong = new WrongExpectedVersionError(undefined, { streamName: 'campaign-c1', expected: 2n, current: 4n });
    const conflict = toVersionConflict(wrong, [
      { streamId: 'finding-f1', expectedVersion: 1, events: [] },
      { streamId: 'campaign-c1', expectedVersion: 3, events: [] },
    ]);
    expect(conflict).toBeInstanceOf(StreamVersionConflict);
    expect(conflict).toMatchObject({ streamId: 'campaign-c1', expectedVersion: 3, actualVersion: 5, code: 'VERSION_CONFLICT' });
    expect(conflict!.message).toBe('版本冲突：campaign-c1 期望版本 3，实际版本 5 (VERSION_CONFLICT)');

    const created = new WrongExpectedVersionError(undefined, { streamName: 'finding-f2', expected: NO_STREAM, current: 0n });
    expect(toVersionConflict(created, [{ streamId: 'finding-f2', expectedVersion: 0, events: [] }])).toMatchObject({ expectedVersion: 0, actualVersion: 1 });

    const record = new WrongExpectedVersionError(undefined, { streamName: commandStreamName('u:k'), expected: NO_STREAM, current: 0n });
    expect(toVersionConflict(record, [])).toMatchObject({ streamId: commandStreamName('u:k'), expectedVersion: 0, actualVersion: 1 });
    expect(toVersionConflict(new Error('unavailable'), [])).toBeNull();
  });

  it('counts a KurrentDB server that cannot be reached as the database away (503, retried), a conflict not', () => {
    expect(isDatabaseUnavailable(new UnavailableError())).toBe(true);
    expect(isDatabaseUnavailable(new DeadlineExceededError())).toBe(true);
    expect(isDatabaseUnavailable(new WrongExpectedVersionError(undefined, { streamName: 's', expected: 0n, current: 1n }))).toBe(false);
  });
});

describe('idempotency records', () => {
  it('keep the first result as its JSON text and the request hash, under a stream named by the key digest', () => {
    const name = commandStreamName('u-1:key-1');
    expect(name).toMatch(/^duban-command-[0-9a-f]{64}$/);
    expect(name).toBe(commandStreamName('u-1:key-1'));
    expect(name).not.toContain('key-1');
    const result = { noticeNo: '督办〔2026〕7号', findings: [{ id: 'f1', version: 3 }], z: true, a: null };
    const event = encodeCommandRecord('u-1:key-1', 'DispatchNotice', 'h-1', result, at);
    const back = decodeCommandRecord<typeof result>({
      streamId: name,
      id: event.id,
      revision: 0n,
      type: event.type,
      isJson: true,
      data: JSON.parse(JSON.stringify(event.data)),
      metadata: event.metadata,
    });
    expect(back.requestHash).toBe('h-1');
    expect(JSON.stringify(back.result)).toBe(JSON.stringify(result));
  });
});

describe('commit-position checkpoints', () => {
  it('encode a $all position as (commit, prepare) and read back from it', () => {
    const g = toGlobalPosition({ commit: 123456789012n, prepare: 123456788000n });
    expect(g).toEqual({ transactionId: '123456789012', position: '123456788000' });
    expect(toReadPosition(g)).toEqual({ commit: 123456789012n, prepare: 123456788000n });
    expect(toReadPosition({ transactionId: '0', position: '0' })).toBe(KURRENT_START);
  });

  it('order as the log does, by commit then prepare, whatever the digit count', () => {
    const positions = [
      { commit: 1000n, prepare: 1000n },
      { commit: 999n, prepare: 999n },
      { commit: 1000n, prepare: 940n },
      { commit: 10_000n, prepare: 9_800n },
    ].map(toGlobalPosition);
    expect([...positions].sort(compareGlobalPositions)).toEqual([
      { transactionId: '999', position: '999' },
      { transactionId: '1000', position: '940' },
      { transactionId: '1000', position: '1000' },
      { transactionId: '10000', position: '9800' },
    ]);
  });

  it('skip exactly the checkpoint event when a read resumes from it', () => {
    const after = { transactionId: '1000', position: '940' };
    expect(isPastCheckpoint({ commit: 1000n, prepare: 940n }, after)).toBe(false);
    expect(isPastCheckpoint({ commit: 1000n, prepare: 939n }, after)).toBe(false);
    expect(isPastCheckpoint({ commit: 1000n, prepare: 1000n }, after)).toBe(true);
    expect(isPastCheckpoint({ commit: 1001n, prepare: 0n }, after)).toBe(true);
  });

  it('refuse what the checkpoint columns cannot hold or a checkpoint that is not a position', () => {
    expect(() => toGlobalPosition({ commit: 1n << 63n, prepare: 0n })).toThrow(/KURRENTDB_POSITION_OUT_OF_RANGE/);
    expect(() => toGlobalPosition({ commit: -1n, prepare: -1n })).toThrow(RangeError);
    expect(() => toReadPosition({ transactionId: '-1', position: '0' })).toThrow(/INVALID_CHECKPOINT/);
    expect(() => toReadPosition({ transactionId: '1', position: '1e3' })).toThrow(/INVALID_CHECKPOINT/);
  });
});
