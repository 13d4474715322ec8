import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../tests/support/test-database';
import {
  IdempotencyKeyReused,
  NewEvent,
  PostgresEventStore,
  RecordedEvent,
  START,
  GlobalPosition,
  StreamVersionConflict,
  verifyChains,
} from '..';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };

function ev(type: string, data: Record<string, unknown> = {}): NewEvent {
  return { eventId: randomUUID(), type, data, metadata: { correlationId: 'c-1' } };
}

async function readFrom(store: PostgresEventStore, after: GlobalPosition): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll(after, 100);
    if (!batch.length) return out;
    out.push(...batch);
    after = batch[batch.length - 1];
  }
}

/**
 * The read horizon is cluster-wide: a transaction open in another test file's database holds it back for a
 * moment. A reader that must see `count` committed events therefore waits for them (bounded), never skips.
 */
async function readAtLeast(store: PostgresEventStore, after: GlobalPosition, count: number): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const seen = await readFrom(store, after);
    if (seen.length >= count || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function readEverything(store: PostgresEventStore, pool: Pool): Promise<RecordedEvent[]> {
  const { rows } = await pool.query('SELECT count(*)::int AS n FROM events');
  return readAtLeast(store, START, rows[0].n);
}

describe('PostgresEventStore (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool, clock);
  });
  afterAll(async () => db.drop());

  it('appends and reads a stream with a hash chain', async () => {
    const out = await store.append([{ streamId: 's-basic', expectedVersion: 0, events: [ev('A', { n: 1 }), ev('B', { 中文: '问题' })] }]);
    expect(out.kind).toBe('appended');
    const read = await store.readStream('s-basic');
    expect(read.version).toBe(2);
    expect(read.events.map((e) => e.type)).toEqual(['A', 'B']);
    expect(read.events[1].data).toEqual({ 中文: '问题' });
    expect(read.events[1].prevHash).toBe(read.events[0].hash);
    expect((await verifyChains(db.appPool, { streamId: 's-basic' })).ok).toBe(true);
  });

  it('refuses a stale expected version with a typed conflict and appends nothing', async () => {
    await store.append([{ streamId: 's-stale', expectedVersion: 0, events: [ev('A')] }]);
    await expect(store.append([{ streamId: 's-stale', expectedVersion: 0, events: [ev('B')] }])).rejects.toBeInstanceOf(
      StreamVersionConflict,
    );
    expect((await store.readStream('s-stale')).version).toBe(1);
  });

  it('lets exactly one of many concurrent appends win each version', async () => {
    await store.append([{ streamId: 's-race', expectedVersion: 0, events: [ev('Created')] }]);
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => store.append([{ streamId: 's-race', expectedVersion: 1, events: [ev('Raced', { i })] }])),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    const lost = attempts.filter((a) => a.status === 'rejected') as PromiseRejectedResult[];
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(7);
    for (const l of lost) expect(l.reason).toMatchObject({ streamId: 's-race', expectedVersion: 1 });
    for (const l of lost) expect(l.reason).toBeInstanceOf(StreamVersionConflict);
    const read = await store.readStream('s-race');
    expect(read.events.map((e) => e.version)).toEqual([1, 2]);
  });

  it('appends to several streams atomically: one conflict writes nothing anywhere', async () => {
    await store.append([{ streamId: 's-multi-b', expectedVersion: 0, events: [ev('B1')] }]);
    await expect(
      store.append([
        { streamId: 's-multi-a', expectedVersion: 0, events: [ev('A1')] },
        { streamId: 's-multi-b', expectedVersion: 0, events: [ev('B2')] },
      ]),
    ).rejects.toBeInstanceOf(StreamVersionConflict);
    expect((await store.readStream('s-multi-a')).version).toBe(0);
    expect((await store.readStream('s-multi-b')).version).toBe(1);
  });

  it('appends a batch of 100 events in one transaction: consecutive versions and positions, a chain that verifies', async () => {
    const events = Array.from({ length: 100 }, (_, n) => ev('Step', { n, 内容: `第${n}步`, nested: { list: [n, n / 3, null] } }));
    const out = await store.append([{ streamId: 's-batch', expectedVersion: 0, events }]);
    expect(out).toMatchObject({ kind: 'appended', streams: [{ fromVersion: 1, toVersion: 100 }] });
    const read = await store.readStream('s-batch');
    expect(read.events.map((e) => e.version)).toEqual(Array.from({ length: 100 }, (_, n) => n + 1));
    expect(read.events.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
    expect(new Set(read.events.map((e) => e.transactionId)).size).toBe(1);
    const positions = read.events.map((e) => BigInt(e.position));
    for (let i = 1; i < positions.length; i++) expect(positions[i]).toBe(positions[i - 1] + 1n);
    expect(out.kind === 'appended' && out.streams[0].lastHash).toBe(read.events[99].hash);
    expect(await verifyChains(db.appPool, { streamId: 's-batch' })).toMatchObject({ ok: true, eventsChecked: 100 });
  });

  it('writes nothing of a batch whose middle stream conflicts, nor of one whose middle event is a duplicate', async () => {
    await store.append([{ streamId: 's-mid-b', expectedVersion: 0, events: [ev('B1')] }]);
    const fifty = (t: string) => Array.from({ length: 50 }, (_, n) => ev(t, { n }));
    await expect(
      store.append([
        { streamId: 's-mid-a', expectedVersion: 0, events: fifty('A') },
        { streamId: 's-mid-b', expectedVersion: 0, events: fifty('B') },
        { streamId: 's-mid-c', expectedVersion: 0, events: fifty('C') },
      ]),
    ).rejects.toMatchObject({ streamId: 's-mid-b', expectedVersion: 0, actualVersion: 1 });
    const events = fifty('D');
    events[25] = { ...events[25], eventId: events[3].eventId };
    await expect(store.append([{ streamId: 's-mid-d', expectedVersion: 0, events }])).rejects.toThrow(/events_event_id_uniq/);
    for (const [s, v] of [['s-mid-a', 0], ['s-mid-b', 1], ['s-mid-c', 0], ['s-mid-d', 0]] as const) {
      expect((await store.readStream(s)).version).toBe(v);
    }
  });

  it('chains onto a head another writer moved: a stale expectation conflicts, the next one reads the head', async () => {
    const other = new PostgresEventStore(db.appPool, clock);
    await store.append([{ streamId: 's-two', expectedVersion: 0, events: [ev('A')] }]);
    await other.append([{ streamId: 's-two', expectedVersion: 1, events: [ev('B')] }]);
    await expect(store.append([{ streamId: 's-two', expectedVersion: 1, events: [ev('C')] }])).rejects.toMatchObject({
      streamId: 's-two',
      actualVersion: 2,
    });
    await store.append([{ streamId: 's-two', expectedVersion: 2, events: [ev('C')] }]);
    await other.append([{ streamId: 's-two', expectedVersion: 3, events: [ev('D')] }]);
    const read = await store.readStream('s-two');
    expect(read.events.map((e) => e.type)).toEqual(['A', 'B', 'C', 'D']);
    expect(await verifyChains(db.appPool, { streamId: 's-two' })).toMatchObject({ ok: true, eventsChecked: 4 });
  });

  it('chains onto the stored head when the head it remembers is not the stored one (refused by the function, then read)', async () => {
    await store.append([{ streamId: 's-stale-hash', expectedVersion: 0, events: [ev('A')] }]);
    // A head this process could not have known: as after a restore. The superuser bypasses the append-only trigger.
    const client = await db.adminPool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL session_replication_role = replica');
      await client.query(`UPDATE events SET hash = repeat('a', 64) WHERE stream_id = 's-stale-hash'`);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await store.append([{ streamId: 's-stale-hash', expectedVersion: 1, events: [ev('B')] }]);
    const read = await store.readStream('s-stale-hash');
    expect(read.events.map((e) => e.prevHash)).toEqual(['0'.repeat(64), 'a'.repeat(64)]);
  });

  it('reads only the events after a version it is given', async () => {
    await store.append([{ streamId: 's-after', expectedVersion: 0, events: [ev('A'), ev('B'), ev('C')] }]);
    expect((await store.readStream('s-after', { afterVersion: 1 })).events.map((e) => e.type)).toEqual(['B', 'C']);
    expect(await store.readStream('s-after', { afterVersion: 3 })).toEqual({ version: 3, events: [] });
  });

  it('replays an idempotent command: the first result, nothing appended twice', async () => {
    const key = `cmd-${randomUUID()}`;
    const fixedId = randomUUID();
    const request = {
      key,
      commandType: 'Test',
      requestHash: 'h1',
      result: (streams: { toVersion: number }[]) => ({ version: streams[0].toVersion }),
    };
    const first = await store.append([{ streamId: 's-idem', expectedVersion: 0, events: [{ ...ev('A'), eventId: fixedId }] }], request);
    const replay = await store.append([{ streamId: 's-idem', expectedVersion: 0, events: [{ ...ev('A'), eventId: fixedId }] }], request);
    expect(first).toMatchObject({ kind: 'appended', result: { version: 1 } });
    expect(replay).toEqual({ kind: 'replayed', result: { version: 1 } });
    expect((await store.readStream('s-idem')).version).toBe(1);
    await expect(
      store.append([{ streamId: 's-idem', expectedVersion: 1, events: [ev('B')] }], { ...request, requestHash: 'other' }),
    ).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect((await store.readStream('s-idem')).version).toBe(1);
  });

  it('reads concurrent appends to many streams back in commit order, with no gap and no skip', async () => {
    const before = await readEverything(store, db.adminPool);
    const streams = Array.from({ length: 12 }, (_, i) => `s-many-${i}`);
    await Promise.all(
      streams.map(async (s) => {
        for (let v = 0; v < 5; v++) await store.append([{ streamId: s, expectedVersion: v, events: [ev('E', { s, v })] }]);
      }),
    );
    const all = (await readEverything(store, db.adminPool)).slice(before.length);
    expect(all).toHaveLength(60);
    for (const s of streams) {
      expect(all.filter((e) => e.streamId === s).map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    }
    const keys = all.map((e) => [BigInt(e.transactionId), BigInt(e.position)] as const);
    for (let i = 1; i < keys.length; i++) {
      const [t0, p0] = keys[i - 1];
      const [t1, p1] = keys[i];
      expect(t1 > t0 || (t1 === t0 && p1 > p0)).toBe(true);
    }
  });

  it('keeps commit order when transaction ids gain a digit (numeric, not text, order)', async () => {
    // Rows as two long-committed transactions 99 and 100 would have left them ('100' < '99' as text).
    const insert = (xid: number, type: string) =>
      db.adminPool.query(
        `INSERT INTO events (transaction_id, stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1::text::xid8, $2, 1, $3, $4, '{}', '{}', now(), 'x', 'y')`,
        [String(xid), `s-digit-${xid}`, randomUUID(), type],
      );
    await insert(99, 'NinetyNine');
    await insert(100, 'Hundred');
    const first = await store.readAll(START, 1);
    const second = await store.readAll(first[0], 1);
    expect([first[0].type, second[0].type]).toEqual(['NinetyNine', 'Hundred']);
  });

  it('waits behind an open transaction instead of skipping its event', async () => {
    const start = await readEverything(store, db.adminPool);
    const tail = start[start.length - 1];
    const after = { transactionId: tail.transactionId, position: tail.position };

    // An earlier transaction takes its position first and stays open...
    const slow = new Client({ connectionString: db.appUrl });
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query(
      `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
       VALUES ('s-slow', 1, $1, 'Slow', '{}', '{}', now(), 'x', 'y')`,
      [randomUUID()],
    );
    // ...while a later one commits a higher position.
    await store.append([{ streamId: 's-fast', expectedVersion: 0, events: [ev('Fast')] }]);

    expect(await store.readAll(after, 100)).toEqual([]);

    await slow.query('COMMIT');
    await slow.end();
    const seen = await readAtLeast(store, after, 2);
    expect(seen.map((e) => e.type)).toEqual(['Slow', 'Fast']);
  });

  it('names the head of the log: the newest event committed, even above a transaction still open', async () => {
    const everything = await readEverything(store, db.adminPool);
    const last = everything[everything.length - 1];
    expect(await store.head()).toEqual({ transactionId: last.transactionId, position: last.position });

    const slow = new Client({ connectionString: db.appUrl });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(
        `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES ('s-slow-head', 1, $1, 'Slow', '{}', '{}', now(), 'x', 'y')`,
        [randomUUID()],
      );
      await store.append([{ streamId: 's-fast-head', expectedVersion: 0, events: [ev('Fast')] }]);
      // readAll stops below the open transaction; the head is what was committed, the later event included.
      expect(await store.readAll(last, 100)).toEqual([]);
      const [fast] = (await store.readStream('s-fast-head')).events;
      expect(await store.head()).toEqual({ transactionId: fast.transactionId, position: fast.position });
    } finally {
      await slow.query('ROLLBACK');
      await slow.end();
    }
  });

  it('denies the application role UPDATE, DELETE and TRUNCATE on events', async () => {
    await store.append([{ streamId: 's-guard', expectedVersion: 0, events: [ev('A')] }]);
    await expect(db.appPool.query(`UPDATE events SET type = 'X' WHERE stream_id = 's-guard'`)).rejects.toThrow(/permission denied/);
    await expect(db.appPool.query(`DELETE FROM events WHERE stream_id = 's-guard'`)).rejects.toThrow(/permission denied/);
    await expect(db.appPool.query('TRUNCATE events')).rejects.toThrow(/permission denied/);
    // Even the owner is stopped by the trigger unless it deliberately disables it.
    await expect(db.adminPool.query(`DELETE FROM events WHERE stream_id = 's-guard'`)).rejects.toThrow(/append-only/);
    expect((await store.readStream('s-guard')).version).toBe(1);
  });
});
