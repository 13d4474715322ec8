import { Poller, PollingLoop } from './polling-loop';
import { isDatabaseUnavailable } from './postgres/connection-errors';

describe('PollingLoop', () => {
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('condition not met');
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  it('retries a failing pass with a doubling pause, returns to the interval on success, and never throws', async () => {
    const logged: Array<{ level: string; obj: any; msg?: string }> = [];
    const logger = { info: (obj: unknown, msg?: string) => logged.push({ level: 'info', obj, msg }), warn: (obj: unknown, msg?: string) => logged.push({ level: 'warn', obj, msg }) };
    let calls = 0;
    const down = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    const loop = new PollingLoop(
      async () => {
        calls += 1;
        if (calls <= 4) throw down;
      },
      { name: 'test loop', intervalMs: 1, initialBackoffMs: 5, maxBackoffMs: 20, logger },
    );
    await loop.start();
    await until(() => calls >= 6);
    await loop.stop();
    const warnings = logged.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.obj.retryInMs)).toEqual([5, 10, 20, 20]);
    expect(warnings.every((l) => l.obj.databaseUnavailable && l.msg === 'test loop: database unavailable; retrying')).toBe(true);
    expect(logged.filter((l) => l.level === 'info').map((l) => l.obj.failures)).toEqual([4]);
    expect(loop.state).toMatchObject({ running: false, consecutiveFailures: 0, totalFailures: 4 });
  });

  it('stop() waits for the pass in flight', async () => {
    let release!: () => void;
    let finished = false;
    const loop = new PollingLoop(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished = true;
            resolve();
          };
        }),
      { name: 'slow', intervalMs: 1, logger: { info: () => undefined, warn: () => undefined } },
    );
    void loop.start();
    await until(() => !!release);
    const stopped = loop.stop();
    release();
    await stopped;
    expect(finished).toBe(true);
  });
});

describe('isDatabaseUnavailable', () => {
  it.each([
    ['57P01 admin shutdown', Object.assign(new Error('terminating connection'), { code: '57P01' }), true],
    ['57P03 starting up', Object.assign(new Error('the database system is starting up'), { code: '57P03' }), true],
    ['ECONNREFUSED', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:54329'), { code: 'ECONNREFUSED' }), true],
    ['a socket closed under pg', new Error('Connection terminated unexpectedly'), true],
    ['happy-eyeballs AggregateError', Object.assign(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]), { code: undefined }), true],
    ['a unique violation', Object.assign(new Error('duplicate key'), { code: '23505' }), false],
    ['a syntax error', Object.assign(new Error('syntax error'), { code: '42601' }), false],
    ['not an error', 'boom', false],
  ])('%s', (_name, err, expected) => {
    expect(isDatabaseUnavailable(err)).toBe(expected);
  });
});

describe('Poller', () => {
  const quiet = { info: () => undefined, warn: () => undefined };

  it('runs one loop however often it is started, lets it go on stop (waiting for the pass), and starts again', async () => {
    let inFlight = 0;
    let overlapped = false;
    let passes = 0;
    let release!: () => void;
    const poller = new Poller(async () => {
      inFlight += 1;
      overlapped ||= inFlight > 1;
      passes += 1;
      if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      inFlight -= 1;
    });
    expect(poller.state).toBeNull();
    const first = poller.start({ name: 'held', intervalMs: 1, logger: quiet });
    const second = poller.start({ name: 'a second start', intervalMs: 1, logger: quiet });
    await second;
    expect(poller.state).toMatchObject({ name: 'held', running: true });
    const stopped = poller.stop();
    expect(poller.state).toBeNull();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    release();
    await Promise.all([first, stopped]);
    expect(passes).toBe(1);
    await poller.start({ name: 'again', intervalMs: 1, logger: quiet });
    expect(poller.state).toMatchObject({ name: 'again', running: true });
    await poller.stop();
    expect(passes).toBe(2);
    expect(overlapped).toBe(false);
  });
});
