import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  type ChainReport,
  type Clock,
  compareGlobalPositions,
  type EventSigner,
  type EventStore,
  GENESIS_HASH,
  type GlobalPosition,
  IdempotencyKeyReused,
  type IdempotentRequest,
  type NewEvent,
  type RecordedEvent,
  StreamVersionConflict,
} from '../../src';
import { ed25519Signer } from '../../src/merkle/checkpoint';

/** What an adapter's spec hands the contract: a store, and its chain verifier trusting the given public key. */
export interface ContractSubject {
  store: EventStore;
  verifyStream(streamId: string, publicKeyPem: string): Promise<ChainReport>;
  teardown(): Promise<void>;
}

export type ContractSetup = (clock: Clock, signer: EventSigner) => Promise<ContractSubject>;

const clock: Clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };

/**
 * The event-store port's contract: what the write path, the subscriptions and `npm run verify` rely on, checked the
 * same way against every adapter. Stream names carry a run id, so the suite also runs against a shared server that
 * already holds other events.
 */
export function eventStoreContract(adapter: string, setup: ContractSetup): void {
  describe(`event-store contract: ${adapter}`, () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const signer = ed25519Signer(privateKey);
    const run = randomUUID().slice(0, 8);
    const stream = (name: string): string => `finding-contract${run}-${name}`;
    let subject: ContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await setup(clock, signer);
      store = subject.store;
    });
    afterAll(async () => subject?.teardown());

    const ev = (type: string, data: Record<string, unknown> = {}, eventId = randomUUID()): NewEvent => ({
      eventId,
      type,
      data,
      metadata: { correlationId: `corr-${run}`, causationId: `cause-${run}`, commandType: 'Test', signer: { userId: 'u-1' } },
    });
    const command = (key: string, requestHash = 'h-1'): IdempotentRequest<{ versions: number[] }> => ({
      key: `u-1:${run}:${key}`,
      commandType: 'Test',
      requestHash,
      result: (streams) => ({ versions: streams.map((s) => s.toVersion) }),
    });

    it('reads a stream that was never written as empty, at version 0', async () => {
      expect(await store.readStream(stream('never'))).toEqual({ version: 0, events: [] });
    });

    it('appends and reads a stream: versions from 1, data and metadata as given, a signed hash chain', async () => {
      const first = ev('FindingRecorded', { title: '占道经营', n: 1, nested: { z: [1, '二'], a: null } });
      const out = await store.append([{ streamId: stream('basic'), expectedVersion: 0, events: [first, ev('FindingDispatched')] }]);
      expect(out.kind).toBe('appended');
      if (out.kind !== 'appended') return;
      expect(out.streams).toEqual([
        expect.objectContaining({ streamId: stream('basic'), fromVersion: 1, toVersion: 2, eventIds: [first.eventId, expect.any(String)] }),
      ]);
      await store.append([{ streamId: stream('basic'), expectedVersion: 2, events: [ev('FindingClaimed')] }]);

      const read = await store.readStream(stream('basic'));
      expect(read.version).toBe(3);
      expect(read.events.map((e) => [e.version, e.type])).toEqual([
        [1, 'FindingRecorded'],
        [2, 'FindingDispatched'],
        [3, 'FindingClaimed'],
      ]);
      expect(read.events[0]).toMatchObject({ eventId: first.eventId, data: first.data, metadata: first.metadata, recordedAt: clock.now().toISOString() });
      expect(read.events[0].prevHash).toBe(GENESIS_HASH);
      expect(read.events[1].prevHash).toBe(read.events[0].hash);
      expect(read.events[2].prevHash).toBe(read.events[1].hash);
      expect(out.streams[0].lastHash).toBe(read.events[1].hash);

      const report = await subject.verifyStream(stream('basic'), signer.publicKeyPem);
      expect(report).toMatchObject({ ok: true, eventsChecked: 3, breaks: [] });
      expect(report.signatures).toMatchObject({ checked: true, signedEvents: 3 });
    });

    it('refuses a stale expected version with a typed conflict naming the versions, and appends nothing', async () => {
      await store.append([{ streamId: stream('stale'), expectedVersion: 0, events: [ev('A'), ev('B')] }]);
      const attempt = store.append([{ streamId: stream('stale'), expectedVersion: 1, events: [ev('C')] }]);
      await expect(attempt).rejects.toBeInstanceOf(StreamVersionConflict);
      await expect(attempt).rejects.toMatchObject({ code: 'VERSION_CONFLICT', streamId: stream('stale'), expectedVersion: 1 });
      await expect(store.append([{ streamId: stream('stale'), expectedVersion: 0, events: [ev('C')] }])).rejects.toBeInstanceOf(
        StreamVersionConflict,
      );
      expect((await store.readStream(stream('stale'))).version).toBe(2);
    });

    it('lets exactly one of many concurrent appends at one version win', async () => {
      await store.append([{ streamId: stream('race'), expectedVersion: 0, events: [ev('Created')] }]);
      const attempts = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => store.append([{ streamId: stream('race'), expectedVersion: 1, events: [ev('Raced', { i })] }])),
      );
      const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
      expect(lost).toHaveLength(5);
      for (const l of lost) expect(l.reason).toBeInstanceOf(StreamVersionConflict);
      const read = await store.readStream(stream('race'));
      expect(read.events.map((e) => e.version)).toEqual([1, 2]);
      expect(read.events[1].prevHash).toBe(read.events[0].hash);
    });

    it('appends to several streams at once (a dispatch and its notice number): all land, or on one conflict none', async () => {
      const finding = stream('multi-finding');
      const campaign = `campaign-contract${run}-c1`;
      await store.append([{ streamId: campaign, expectedVersion: 0, events: [ev('CampaignCreated')] }]);
      await store.append([{ streamId: finding, expectedVersion: 0, events: [ev('FindingRecorded')] }]);

      await expect(
        store.append([
          { streamId: finding, expectedVersion: 1, events: [ev('FindingDispatched', { noticeNo: 1 })] },
          { streamId: campaign, expectedVersion: 0, events: [ev('NoticeNumberIssued', { noticeNo: 1 })] },
        ]),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', streamId: campaign, expectedVersion: 0 });
      expect((await store.readStream(finding)).version).toBe(1);
      expect((await store.readStream(campaign)).version).toBe(1);

      const out = await store.append(
        [
          { streamId: finding, expectedVersion: 1, events: [ev('FindingDispatched', { noticeNo: 1 })] },
          { streamId: campaign, expectedVersion: 1, events: [ev('NoticeNumberIssued', { noticeNo: 1 })] },
        ],
        command('dispatch'),
      );
      expect(out).toMatchObject({ kind: 'appended', result: { versions: [2, 2] } });
      expect((await store.readStream(finding)).events[1].data).toEqual({ noticeNo: 1 });
      expect((await store.readStream(campaign)).events[1].data).toEqual({ noticeNo: 1 });
      expect((await subject.verifyStream(campaign, signer.publicKeyPem)).ok).toBe(true);
    });

    it('answers a repeated command with its first result and appends nothing twice; another body under the key is refused', async () => {
      const fixed = randomUUID();
      const once = () => store.append([{ streamId: stream('idem'), expectedVersion: 0, events: [ev('A', {}, fixed)] }], command('idem'));
      expect(await once()).toMatchObject({ kind: 'appended', result: { versions: [1] } });
      expect(await once()).toEqual({ kind: 'replayed', result: { versions: [1] } });
      expect(await store.findProcessedCommand(`u-1:${run}:idem`)).toEqual({ requestHash: 'h-1', result: { versions: [1] } });
      await expect(
        store.append([{ streamId: stream('idem'), expectedVersion: 1, events: [ev('B')] }], command('idem', 'h-other')),
      ).rejects.toBeInstanceOf(IdempotencyKeyReused);
      expect((await store.readStream(stream('idem'))).events.map((e) => e.eventId)).toEqual([fixed]);
      expect(await store.findProcessedCommand(`u-1:${run}:never-sent`)).toBeNull();
    });

    it('lands concurrent deliveries of one command once, and answers every one with that result', async () => {
      const ids = [randomUUID(), randomUUID()];
      const deliveries = await Promise.all(
        Array.from({ length: 4 }, () =>
          store.append(
            [{ streamId: stream('dup'), expectedVersion: 0, events: [ev('A', {}, ids[0]), ev('B', {}, ids[1])] }],
            command('dup'),
          ),
        ),
      );
      expect(deliveries.filter((d) => d.kind === 'appended')).toHaveLength(1);
      expect(deliveries.map((d) => d.result)).toEqual(Array(4).fill({ versions: [2] }));
      expect((await store.readStream(stream('dup'))).events.map((e) => e.eventId)).toEqual(ids);
    });

    it('reads the log in commit order, every event once, strictly after a checkpoint, in pages', async () => {
      // Read from this test's own first event, not the start: a shared server's log may be long.
      await store.append([{ streamId: stream('log-marker'), expectedVersion: 0, events: [ev('Marker')] }]);
      const [marker] = (await store.readStream(stream('log-marker'))).events;
      const from: GlobalPosition = { transactionId: marker.transactionId, position: marker.position };
      const streams = [stream('log-a'), stream('log-b'), stream('log-c')];
      const appended: string[] = [];
      for (let round = 0; round < 3; round++) {
        for (const [i, s] of streams.entries()) {
          const e = ev('Logged', { round, i });
          await store.append([{ streamId: s, expectedVersion: round, events: [e] }]);
          appended.push(e.eventId);
        }
      }
      const mine = (events: RecordedEvent[]) => events.filter((e) => streams.includes(e.streamId));

      const seen = await readUntil(store, from, 4, (events) => mine(events).length >= appended.length);
      expect(seen.some((e) => e.eventId === marker.eventId)).toBe(false);
      for (let i = 1; i < seen.length; i++) expect(compareGlobalPositions(seen[i - 1], seen[i])).toBeLessThan(0);
      expect(mine(seen).map((e) => e.eventId)).toEqual(appended);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(seen.length);

      const checkpoint = mine(seen)[4];
      const rest = await readUntil(store, checkpoint, 3, (events) => mine(events).length >= appended.length - 5);
      expect(mine(rest).map((e) => e.eventId)).toEqual(appended.slice(5));
      expect(rest.every((e) => compareGlobalPositions(e, checkpoint) > 0)).toBe(true);
      expect(mine(seen)[0]).toMatchObject({ type: 'Logged', data: { round: 0, i: 0 }, version: 1 });
    });
  });
}

/**
 * Pages through the log from `after` until `enough` holds. PostgreSQL's reader waits behind transactions still open
 * anywhere in the cluster (another test file's), so what was committed may take a moment to become readable: the
 * read is repeated, bounded, never skipped.
 */
async function readUntil(
  store: EventStore,
  after: GlobalPosition,
  pageSize: number,
  enough: (events: RecordedEvent[]) => boolean,
): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 20_000;
  const out: RecordedEvent[] = [];
  let at = after;
  for (;;) {
    const page = await store.readAll(at, pageSize);
    expect(page.length).toBeLessThanOrEqual(pageSize);
    out.push(...page);
    if (page.length) at = page[page.length - 1];
    if (enough(out) || (page.length === 0 && Date.now() > deadline)) return out;
    if (page.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
