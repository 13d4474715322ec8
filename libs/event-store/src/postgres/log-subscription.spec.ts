import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../tests/support/test-database';
import {
  AtLeastOnceSubscription,
  guardPool,
  type GlobalPosition,
  type LogBatch,
  PostgresEventStore,
  type RecordedEvent,
  START,
  TransactionalSubscription,
} from '..';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };
const quiet = { info: () => undefined, warn: () => undefined };

/** An effect in the database: one row per event handled, unique, so handling an event twice fails loudly. */
async function recordEffects({ events }: LogBatch, tx: PoolClient, consumer: string): Promise<void> {
  for (const e of events) await tx.query('INSERT INTO handled_events (consumer, event_id) VALUES ($1, $2)', [consumer, e.eventId]);
}

/** An effect outside the database: a list in memory, which sees every delivery, repeats included. */
class Recorder extends AtLeastOnceSubscription {
  readonly delivered: RecordedEvent[][] = [];
  /** Dies after the effect of the batch whose number (from 1) is given, before its checkpoint. */
  constructor(pool: Pool, name: string, batchSize: number, private readonly dieAfterBatch?: number) {
    super(pool, { name, batchSize, logger: quiet });
  }
  protected async handle({ events }: LogBatch): Promise<void> {
    if (events.length) this.delivered.push(events);
  }
  protected override async storeCheckpoint(from: GlobalPosition, to: GlobalPosition): Promise<void> {
    if (this.delivered.length === this.dieAfterBatch) throw new Error('killed between effect and checkpoint');
    await super.storeCheckpoint(from, to);
  }
}

const at = (e: RecordedEvent): GlobalPosition => ({ transactionId: e.transactionId, position: e.position });

describe('log subscriptions (real PostgreSQL)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** The whole log, in commit order, as the event store reads it. */
  let log: RecordedEvent[];

  /**
   * Runs until `count` events went by. The read horizon is cluster-wide: a transaction open in another test file's
   * database can hide committed events for a moment, so this waits for them (bounded) instead of expecting them at once.
   */
  async function drain(run: () => Promise<number>, count: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    let total = 0;
    while (total < count && Date.now() < deadline) {
      const n = await run();
      total += n;
      if (n === 0) await new Promise((r) => setTimeout(r, 20));
    }
    return total;
  }

  async function handled(consumer: string): Promise<string[]> {
    const { rows } = await db.appPool.query('SELECT event_id::text AS id FROM handled_events WHERE consumer = $1 ORDER BY seq', [consumer]);
    return rows.map((r) => r.id);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool, clock);
    const { rows } = await db.appPool.query('SELECT current_user AS role');
    await db.adminPool.query(
      `CREATE TABLE handled_events (seq bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, UNIQUE (consumer, event_id));
       GRANT SELECT, INSERT, DELETE ON handled_events TO "${rows[0].role}"; GRANT USAGE ON SEQUENCE handled_events_seq_seq TO "${rows[0].role}"`,
    );
    // Eleven events in several transactions over three interleaved streams.
    const ev = (type: string) => ({ eventId: randomUUID(), type, data: {}, metadata: { correlationId: 'c-sub' } });
    await store.append([{ streamId: 's-a', expectedVersion: 0, events: [ev('A1'), ev('A2')] }]);
    await store.append([{ streamId: 's-b', expectedVersion: 0, events: [ev('B1')] }, { streamId: 's-c', expectedVersion: 0, events: [ev('C1')] }]);
    await store.append([{ streamId: 's-a', expectedVersion: 2, events: [ev('A3')] }]);
    await store.append([{ streamId: 's-c', expectedVersion: 1, events: [ev('C2'), ev('C3'), ev('C4')] }]);
    await store.append([{ streamId: 's-b', expectedVersion: 1, events: [ev('B2'), ev('B3')] }]);
    await store.append([{ streamId: 's-a', expectedVersion: 3, events: [ev('A4')] }]);
    const deadline = Date.now() + 20_000;
    do log = await store.readAll(START, 100);
    while (log.length < 11 && Date.now() < deadline);
    expect(log).toHaveLength(11);
  });
  afterAll(async () => db.drop());

  describe('with its effect in the database (one transaction)', () => {
    it('hands the log over in batches in commit order, and a restarted instance resumes from the checkpoint', async () => {
      const batches: string[][] = [];
      const make = () =>
        new TransactionalSubscription(db.appPool, { name: 'test:ordered', batchSize: 4 }, async (batch, tx) => {
          if (batch.events.length) batches.push(batch.events.map((e) => e.type));
          await recordEffects(batch, tx, 'ordered');
          return batch.full;
        });
      const first = make();
      const { batch, result } = await first.next();
      expect(batch.after).toEqual(START);
      expect(result).toBe(true);
      expect(await first.position()).toEqual(at(log[3]));

      // A new instance (a restarted process) carries on after the first batch, never from the start.
      const restarted = make();
      expect(await drain(() => restarted.runOnce(), 7)).toBe(7);
      expect(await restarted.runOnce()).toBe(0);
      expect(batches).toEqual([log.slice(0, 4), log.slice(4, 8), log.slice(8)].map((b) => b.map((e) => e.type)));
      expect(await handled('ordered')).toEqual(log.map((e) => e.eventId));
      expect(await restarted.position()).toEqual(at(log[10]));
    });

    it('keeps nothing of a batch whose process dies between the effect and the checkpoint, and handles it again once', async () => {
      // Its own pool: the connection is killed under it, as a crash would.
      const crashing = guardPool(new Pool({ connectionString: db.appUrl, max: 1 }), () => undefined);
      try {
        const dying = new TransactionalSubscription(crashing, { name: 'test:crash', batchSize: 5 }, async (batch, tx) => {
          await recordEffects(batch, tx, 'crash');
          const { rows } = await tx.query('SELECT pg_backend_pid() AS pid');
          await db.adminPool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
        });
        await expect(dying.runOnce()).rejects.toThrow();
      } finally {
        await crashing.end();
      }
      const healthy = new TransactionalSubscription(db.appPool, { name: 'test:crash', batchSize: 5 }, (batch, tx) =>
        recordEffects(batch, tx, 'crash'),
      );
      expect(await healthy.position()).toEqual(START);
      expect(await handled('crash')).toEqual([]);
      expect(await drain(() => healthy.runOnce(), 11)).toBe(11);
      expect(await handled('crash')).toEqual(log.map((e) => e.eventId));
    });

    it('rolls a batch back whole when its handler fails, checkpoint included', async () => {
      let fail = true;
      const sub = new TransactionalSubscription(db.appPool, { name: 'test:fails', batchSize: 3 }, async (batch, tx) => {
        await recordEffects(batch, tx, 'fails');
        if (fail && batch.events.length) throw new Error('cannot apply');
      });
      await expect(sub.runOnce()).rejects.toThrow('cannot apply');
      expect(await handled('fails')).toEqual([]);
      expect(await sub.position()).toEqual(START);
      fail = false;
      expect(await drain(() => sub.runOnce(), 11)).toBe(11);
      expect(await handled('fails')).toEqual(log.map((e) => e.eventId));
    });

    it('lets two instances run side by side without handling any event twice', async () => {
      const make = () =>
        new TransactionalSubscription(db.appPool, { name: 'test:twins', batchSize: 2 }, (batch, tx) => recordEffects(batch, tx, 'twins'));
      const deadline = Date.now() + 20_000;
      const run = async (sub: TransactionalSubscription) => {
        while ((await handled('twins')).length < 11 && Date.now() < deadline) {
          if ((await sub.runOnce()) === 0) await new Promise((r) => setTimeout(r, 20));
        }
      };
      // A duplicate would break the unique constraint and reject one of the runs.
      await Promise.all([run(make()), run(make())]);
      expect(await handled('twins')).toEqual(log.map((e) => e.eventId));
    });

    it('rewinds to the start together with what it built', async () => {
      const sub = new TransactionalSubscription(db.appPool, { name: 'test:rewind', batchSize: 50 }, (batch, tx) =>
        recordEffects(batch, tx, 'rewind'),
      );
      expect(await drain(() => sub.runOnce(), 11)).toBe(11);
      await sub.rewind(async (tx) => {
        await tx.query("DELETE FROM handled_events WHERE consumer = 'rewind'");
      });
      expect(await sub.position()).toEqual(START);
      expect(await drain(() => sub.runOnce(), 11)).toBe(11);
      expect(await handled('rewind')).toEqual(log.map((e) => e.eventId));
    });
  });

  describe('with its effect outside the database (effect, then checkpoint)', () => {
    it('delivers a batch again after a crash between the effect and the checkpoint, then carries on', async () => {
      const dying = new Recorder(db.appPool, 'test:outside', 4, 2);
      expect(await dying.runOnce()).toBe(4);
      await expect(dying.runOnce()).rejects.toThrow('killed between effect and checkpoint');
      expect(dying.delivered.map((b) => b.map((e) => e.eventId))).toEqual([log.slice(0, 4), log.slice(4, 8)].map((b) => b.map((e) => e.eventId)));
      expect(await dying.position()).toEqual(at(log[3]));

      const restarted = new Recorder(db.appPool, 'test:outside', 4);
      expect(await restarted.catchUp()).toBe(7);
      // The second batch, whose checkpoint was lost, comes again whole; nothing before it does.
      expect(restarted.delivered.map((b) => b.map((e) => e.eventId))).toEqual([log.slice(4, 8), log.slice(8)].map((b) => b.map((e) => e.eventId)));
      expect(await restarted.position()).toEqual(at(log[10]));
    });

    it('redelivers after a crash between the effect and the checkpoint, and an effect keyed by event id happens once', async () => {
      /** As the forwarder's effect: a repeat is absorbed by the receiver (here a row keyed by the event's id). */
      class Keyed extends AtLeastOnceSubscription {
        deliveries = 0;
        constructor(pool: Pool, private readonly dieAfterBatch?: number) {
          super(pool, { name: 'test:keyed-outside', batchSize: 4, logger: quiet });
        }
        protected async handle({ events }: LogBatch): Promise<void> {
          if (events.length) this.deliveries += 1;
          for (const e of events) {
            await this.pool.query(
              'INSERT INTO handled_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT (consumer, event_id) DO NOTHING',
              ['keyed', e.eventId],
            );
          }
        }
        protected override async storeCheckpoint(from: GlobalPosition, to: GlobalPosition): Promise<void> {
          if (this.deliveries === this.dieAfterBatch) throw new Error('killed between effect and checkpoint');
          await super.storeCheckpoint(from, to);
        }
      }
      const dying = new Keyed(db.appPool, 2);
      expect(await dying.runOnce()).toBe(4);
      await expect(dying.runOnce()).rejects.toThrow('killed between effect and checkpoint');
      expect(await handled('keyed')).toEqual(log.slice(0, 8).map((e) => e.eventId));
      expect(await dying.position()).toEqual(at(log[3]));

      const restarted = new Keyed(db.appPool);
      expect(await drain(() => restarted.runOnce(), 7)).toBe(7);
      // The lost batch went again (two deliveries after the restart, the first a repeat); every effect is there once.
      expect(restarted.deliveries).toBe(2);
      expect(await handled('keyed')).toEqual(log.map((e) => e.eventId));
      expect(await restarted.position()).toEqual(at(log[10]));
    });

    it('never moves its checkpoint back when a slower twin stores an older one', async () => {
      const ahead = new Recorder(db.appPool, 'test:twin-outside', 50);
      expect(await drain(() => ahead.runOnce(), 11)).toBe(11);
      class Slow extends Recorder {
        storeOld = () => this.storeCheckpoint(START, at(log[2]));
      }
      await new Slow(db.appPool, 'test:twin-outside', 50).storeOld();
      expect(await ahead.position()).toEqual(at(log[10]));
    });

    it('keeps polling with the one polling loop and stops cleanly', async () => {
      const polled = new Recorder(db.appPool, 'test:polled', 3);
      polled.start(10);
      const deadline = Date.now() + 20_000;
      while (polled.delivered.flat().length < 11 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await polled.stop();
      expect(polled.delivered.flat().map((e) => e.eventId)).toEqual(log.map((e) => e.eventId));
      expect(polled.loopState).toBeNull();
    });
  });
});
