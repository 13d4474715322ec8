import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database';
import type { NewEvent, RecordedEvent } from '../event-store.port';
import type { LogBatch } from '../subscription.port';
import { AtLeastOnceSubscription, TransactionalSubscription } from './log-subscription';
import { PostgresEventStore } from './postgres-event-store';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };
const ev = (type: string): NewEvent => ({ eventId: randomUUID(), type, data: {}, metadata: { correlationId: 'c' } });

/**
 * With EVENT_STORE=kurrentdb the log is not in the database that holds the checkpoints and the read models. Here the
 * "other store" is a second real PostgreSQL database: the subscriptions must read only from their source, and keep
 * their checkpoints (and effects) in their own database.
 */
describe('subscriptions reading another store’s log (real PostgreSQL, two databases)', () => {
  let home: TestDatabase;
  let other: TestDatabase;
  let source: PostgresEventStore;

  beforeAll(async () => {
    [home, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    source = new PostgresEventStore(other.appPool, clock);
    await source.append([{ streamId: 'finding-s1', expectedVersion: 0, events: [ev('A'), ev('B')] }]);
    await source.append([{ streamId: 'finding-s2', expectedVersion: 0, events: [ev('C')] }]);
    // An event in the home database's own table, which a subscription with a source must never see.
    await new PostgresEventStore(home.appPool, clock).append([{ streamId: 'finding-home', expectedVersion: 0, events: [ev('Home')] }]);
  });
  afterAll(async () => Promise.all([home?.drop(), other?.drop()]));

  it('a transactional subscription handles the source’s events once, checkpointed at home', async () => {
    const seen: RecordedEvent[] = [];
    const sub = new TransactionalSubscription(home.appPool, { name: 'source-tx', batchSize: 2, source }, async (batch) => {
      seen.push(...batch.events);
    });
    await until(async () => (await sub.catchUp(), seen.length >= 3));
    expect(seen.map((e) => e.type)).toEqual(['A', 'B', 'C']);
    expect(await sub.position()).toEqual({ transactionId: seen[2].transactionId, position: seen[2].position });
    expect(await sub.catchUp()).toBe(0);
    expect(seen).toHaveLength(3);
  });

  it('an at-least-once subscription reads the source and moves its home checkpoint past what it handled', async () => {
    const handled: string[] = [];
    class Collect extends AtLeastOnceSubscription {
      protected async handle(batch: LogBatch): Promise<void> {
        handled.push(...batch.events.map((e) => e.type));
      }
    }
    const sub = new Collect(home.appPool, { name: 'source-alo', batchSize: 10, source });
    await until(async () => (await sub.catchUp(), handled.length >= 3));
    expect(handled).toEqual(['A', 'B', 'C']);
    const { rows } = await home.appPool.query('SELECT position::text AS position FROM subscription_checkpoints WHERE name = $1', ['source-alo']);
    expect(rows[0].position).not.toBe('0');
  });
});

/** PostgreSQL's reader waits behind transactions open anywhere in the cluster: bounded waiting, never skipping. */
async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
