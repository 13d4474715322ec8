import { randomUUID } from 'node:crypto';
import { createTestDatabase, TestDatabase } from '../../../../tests/support/test-database';
import { NewEvent, PostgresEventStore, verifyChains } from '..';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };
const ev = (type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: { correlationId: 'c' },
});

/** Tampering as a superuser would: bypassing the append-only trigger. */
async function tamper(db: TestDatabase, sql: string, params: unknown[] = []): Promise<void> {
  const client = await db.adminPool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SET LOCAL session_replication_role = replica`);
    await client.query(sql, params);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

describe('verifyChains detects tampering (real PostgreSQL, superuser edits)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool, clock);
    for (const s of ['edit', 'delete', 'swap', 'clean']) {
      await store.append([
        { streamId: `t-${s}`, expectedVersion: 0, events: [1, 2, 3, 4].map((n) => ev('Step', { n, 内容: `第${n}步` })) },
      ]);
    }
  });
  afterAll(async () => db.drop());

  it('passes an untouched log', async () => {
    const report = await verifyChains(db.appPool);
    expect(report).toMatchObject({ ok: true, streamsChecked: 4, eventsChecked: 16, breaks: [] });
  });

  it('names the first broken event of each tampered stream', async () => {
    await tamper(db, `UPDATE events SET data = '{"n":2,"内容":"已整改"}' WHERE stream_id = 't-edit' AND version = 2`);
    await tamper(db, `DELETE FROM events WHERE stream_id = 't-delete' AND version = 3`);
    // Swap the payloads of two events: each row stays internally "valid JSON" but the chain no longer holds.
    await tamper(
      db,
      `UPDATE events e SET data = o.data FROM events o
        WHERE e.stream_id = 't-swap' AND o.stream_id = 't-swap'
          AND ((e.version = 2 AND o.version = 3) OR (e.version = 3 AND o.version = 2))`,
    );
    const report = await verifyChains(db.appPool, { batchSize: 3 });
    expect(report.ok).toBe(false);
    const byStream = Object.fromEntries(report.breaks.map((b) => [b.streamId, b]));
    expect(Object.keys(byStream).sort()).toEqual(['t-delete', 't-edit', 't-swap']);
    expect(byStream['t-edit']).toMatchObject({ version: 2, reason: 'hash_mismatch' });
    expect(byStream['t-delete']).toMatchObject({ version: 4, reason: 'version_gap' });
    expect(byStream['t-swap']).toMatchObject({ version: 2, reason: 'hash_mismatch' });
    expect(byStream['t-edit'].message).toContain('HASH_MISMATCH');
  });

  it('detects an event re-chained with a recomputed hash but a forged predecessor link', async () => {
    await tamper(db, `UPDATE events SET prev_hash = repeat('0', 64) WHERE stream_id = 't-clean' AND version = 3`);
    const report = await verifyChains(db.appPool, { streamId: 't-clean' });
    expect(report.breaks).toEqual([expect.objectContaining({ version: 3, reason: 'hash_mismatch' })]);
  });
});
