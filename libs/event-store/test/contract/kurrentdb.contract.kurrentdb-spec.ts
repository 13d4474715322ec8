import { randomUUID } from 'node:crypto';
import { parseKurrentDbUrl } from '../../src';
import { COMMAND_STREAM_PREFIX, KurrentDbEventStore, verifyKurrentDbChains } from '../../src/kurrentdb';
import { eventStoreContract } from './event-store.contract';

/**
 * The KurrentDB adapter against the server KURRENTDB_URL points at (KurrentDB ≥ 25.1). Collected only by
 * `npm run test:kurrentdb`, or by `npm test` when KURRENTDB_URL is set: no server ships with the repository.
 * Streams carry a run id, so a server that already holds events can be used.
 */
const url = parseKurrentDbUrl(process.env.KURRENTDB_URL);

eventStoreContract('KurrentDB', async (clock, signer) => {
  const store = KurrentDbEventStore.connect(url, clock, signer);
  return {
    store,
    verifyStream: async (streamId, publicKeyPem) => verifyKurrentDbChains(await store.scanStream(streamId), { publicKeys: [publicKeyPem] }),
    teardown: () => store.dispose(),
  };
});

describe('KurrentDB adapter: what only KurrentDB has', () => {
  const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };
  let store: KurrentDbEventStore;
  beforeAll(() => {
    store = KurrentDbEventStore.connect(url, clock);
  });
  afterAll(async () => store.dispose());

  it('keeps idempotency records and system streams out of the log the subscriptions read', async () => {
    const streamId = `finding-kdb${randomUUID().slice(0, 8)}`;
    await store.append([{ streamId, expectedVersion: 0, events: [{ eventId: randomUUID(), type: 'A', data: {}, metadata: { correlationId: 'c' } }] }], {
      key: `u:${streamId}`,
      commandType: 'Test',
      requestHash: 'h',
      result: () => ({ ok: true }),
    });
    const next = randomUUID();
    await store.append([{ streamId, expectedVersion: 1, events: [{ eventId: next, type: 'B', data: {}, metadata: { correlationId: 'c' } }] }]);
    // From this test's first event (exclusive) to the end: its command record was written after it, in the same commit.
    const [own] = (await store.readStream(streamId)).events;
    const all = [];
    for (let page = await store.readAll(own, 500); page.length; page = await store.readAll(page[page.length - 1], 500)) all.push(...page);
    expect(all.some((e) => e.eventId === next)).toBe(true);
    expect(all.filter((e) => e.streamId.startsWith('$') || e.streamId.startsWith(COMMAND_STREAM_PREFIX))).toEqual([]);
  });

  it('verifies every chain in the log', async () => {
    const report = await verifyKurrentDbChains(store.scanLog());
    expect(report.eventsChecked).toBeGreaterThan(0);
    expect(report.breaks).toEqual([]);
  });
});
