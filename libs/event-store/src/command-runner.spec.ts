import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { CommandRunner, type CommandRequest, type Decision, type DecisionTools, IdempotencyKeyReused, PostgresEventStore, StreamVersionConflict } from '.';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };
const signer = { userId: 'u-1' };

/** A counter stream: each command appends one `Counted` event at the version it read. */
function counting(store: PostgresEventStore, streamId: string, hooks: { afterRead?: (attempt: number) => Promise<void> } = {}) {
  let attempts = 0;
  const decide = async ({ toNewEvents }: DecisionTools): Promise<Decision<{ version: number }>> => {
    attempts++;
    const { version } = await store.readStream(streamId);
    await hooks.afterRead?.(attempts);
    return {
      appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, [{ type: 'Counted', data: { seen: version } }]) }],
      result: (streams) => ({ version: streams[0].toVersion }),
    };
  };
  return { decide, attempts: () => attempts };
}

const request = (idempotencyKey: string, body: unknown = { n: 1 }): CommandRequest => ({
  commandType: 'Count',
  actor: signer,
  idempotencyKey,
  correlationId: 'c-1',
  body,
});

describe('CommandRunner (the one write path)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: CommandRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool, clock);
    runner = new CommandRunner(store, clock);
  });
  afterAll(async () => db.drop());

  it('replays a command under the same key: the first result, nothing decided or appended again', async () => {
    const c = counting(store, 's-replay');
    const first = await runner.run(request('key-replay'), c.decide);
    const again = await runner.run(request('key-replay'), c.decide);
    expect(again).toEqual(first);
    expect(c.attempts()).toBe(1);
    expect((await store.readStream('s-replay')).events.map((e) => e.type)).toEqual(['Counted']);
  });

  it('refuses the same key with another body, and appends nothing', async () => {
    const c = counting(store, 's-reused');
    await runner.run(request('key-reused', { n: 1 }), c.decide);
    await expect(runner.run(request('key-reused', { n: 2 }), c.decide)).rejects.toBeInstanceOf(IdempotencyKeyReused);
    expect((await store.readStream('s-reused')).version).toBe(1);
  });

  it('answers a concurrent delivery of the same command with the first result, appending once', async () => {
    // Both deliveries read the stream before either appends: one wins, the other loses the append (or the key).
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    let reads = 0;
    const c = counting(store, 's-concurrent', {
      afterRead: async () => {
        if (++reads === 2) release();
        await bothRead;
      },
    });
    // Never retried: only the idempotency record can turn the loser's failure into the winner's answer.
    const [a, b] = await Promise.all([runner.run(request('key-twice'), c.decide), runner.run(request('key-twice'), c.decide)]);
    expect(a).toEqual({ version: 1 });
    expect(b).toEqual(a);
    const stream = await store.readStream('s-concurrent');
    expect(stream.events.map((e) => e.type)).toEqual(['Counted']);
  });

  it('decides a lost race again on fresh state when the conflict is retryable', async () => {
    const c = counting(store, 's-race', {
      // Another command commits between this command's read and its append, on its first attempt only.
      afterRead: async (attempt) => {
        if (attempt === 1) await runner.run(request('key-rival'), counting(store, 's-race').decide);
      },
    });
    const result = await runner.run(request('key-racer'), c.decide, (err) => err instanceof StreamVersionConflict);
    expect(result).toEqual({ version: 2 });
    expect(c.attempts()).toBe(2);
    const stream = await store.readStream('s-race');
    expect(stream.events.map((e) => e.data)).toEqual([{ seen: 0 }, { seen: 1 }]);
  });

  it('reports a lost race it was not asked to retry, and appends nothing for it', async () => {
    const c = counting(store, 's-lost', {
      afterRead: async (attempt) => {
        if (attempt === 1) await runner.run(request('key-lost-rival'), counting(store, 's-lost').decide);
      },
    });
    await expect(runner.run(request('key-lost'), c.decide)).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(c.attempts()).toBe(1);
    expect((await store.readStream('s-lost')).version).toBe(1);
    expect(await store.findProcessedCommand(`${signer.userId}:key-lost`)).toBeNull();
  });

  it('records nothing for a decision without events, so the same key may decide again later', async () => {
    let decided = 0;
    const nothing = async (): Promise<Decision<string>> => ({ appends: [], result: () => `nothing-${++decided}` });
    expect(await runner.run(request('key-empty'), nothing)).toBe('nothing-1');
    expect(await runner.run(request('key-empty'), nothing)).toBe('nothing-2');
    expect(await store.findProcessedCommand(`${signer.userId}:key-empty`)).toBeNull();
  });

  it('derives event ids from the signer and the key: another key names other events', async () => {
    const c = counting(store, 's-ids');
    await runner.run(request('key-ids'), c.decide);
    const [event] = (await store.readStream('s-ids')).events;
    let other: string | undefined;
    await runner.run(request('key-ids-2'), async ({ toNewEvents }) => {
      other = toNewEvents('s-ids', [{ type: 'Counted', data: {} }])[0].eventId;
      return { appends: [], result: () => null };
    });
    expect(other).toMatch(/^[0-9a-f-]{36}$/);
    expect(other).not.toBe(event.eventId);
    expect(event.metadata).toMatchObject({ commandType: 'Count', commandId: 'u-1:key-ids', correlationId: 'c-1' });
  });
});
