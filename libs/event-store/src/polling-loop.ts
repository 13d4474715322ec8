import { isDatabaseUnavailable } from './postgres/connection-errors';

export interface PollingLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

export interface PollingLoopOptions {
  /** Names the loop in its log lines. */
  name: string;
  /** Pause between two successful passes. */
  intervalMs: number;
  /** First pause after a failure; doubles with every further failure up to maxBackoffMs. Default: intervalMs, at least 100 ms. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  logger: PollingLogger;
}

export interface PollingLoopState {
  name: string;
  running: boolean;
  /** Failed passes since the last successful one: non-zero while the database (or Temporal) is away. */
  consecutiveFailures: number;
  /** Every failed pass since start, for tests and operators to see that a loop met an outage and carried on. */
  totalFailures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
}

/**
 * Runs `pass` over and over, one at a time, until stopped. A failing pass is logged and retried after a pause that
 * doubles with each failure (so a database outage costs a few log lines a minute, not one per poll), and the pause
 * returns to the normal interval on the first success. A pass returns true when it knows more is waiting (a full
 * batch): the next one starts at once. Nothing a pass throws ever leaves the loop.
 */
export class PollingLoop {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;
  private stopped = true;
  private consecutiveFailures = 0;
  private totalFailures = 0;
  private lastError: string | null = null;
  private lastSuccessAt: string | null = null;

  constructor(
    private readonly pass: () => Promise<boolean | void>,
    private readonly options: PollingLoopOptions,
  ) {}

  /** Starts polling; the first pass runs at once. Resolves when that first pass has settled. */
  start(): Promise<void> {
    if (!this.stopped) return this.inFlight ?? Promise.resolve();
    this.stopped = false;
    return this.tick();
  }

  /** Stops scheduling passes and waits for the one in flight, so a caller can close connections afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  get state(): PollingLoopState {
    return {
      name: this.options.name,
      running: !this.stopped,
      consecutiveFailures: this.consecutiveFailures,
      totalFailures: this.totalFailures,
      lastError: this.lastError,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  /** The pause after `failures` consecutive failed passes. */
  backoffMs(failures: number): number {
    const initial = this.options.initialBackoffMs ?? Math.max(100, this.options.intervalMs);
    const max = Math.max(initial, this.options.maxBackoffMs ?? 30_000);
    return Math.min(max, initial * 2 ** Math.min(failures - 1, 20));
  }

  private tick(): Promise<void> {
    const run = (async () => {
      let delay = this.options.intervalMs;
      try {
        const more = await this.pass();
        if (this.consecutiveFailures > 0) {
          this.options.logger.info({ loop: this.options.name, failures: this.consecutiveFailures }, `${this.options.name}: recovered`);
        }
        this.consecutiveFailures = 0;
        this.lastSuccessAt = new Date().toISOString();
        if (more) delay = 0;
      } catch (err) {
        this.consecutiveFailures += 1;
        this.totalFailures += 1;
        this.lastError = err instanceof Error ? err.message : String(err);
        delay = this.backoffMs(this.consecutiveFailures);
        const unavailable = isDatabaseUnavailable(err);
        this.options.logger.warn(
          { loop: this.options.name, err, attempt: this.consecutiveFailures, retryInMs: delay, databaseUnavailable: unavailable },
          unavailable ? `${this.options.name}: database unavailable; retrying` : `${this.options.name}: pass failed; retrying`,
        );
      }
      if (!this.stopped) this.timer = setTimeout(() => void this.tick(), delay);
    })();
    this.inFlight = run;
    void run.finally(() => {
      if (this.inFlight === run) this.inFlight = null;
    });
    return run;
  }
}

/**
 * How every polled consumer (projections, subscriptions, the sealer, the cadence schedules) holds its PollingLoop:
 * started on demand (starting a running one does nothing), stopped and let go on stop — waiting for the pass in
 * flight, so the caller may close connections next — and its state null while it is not running.
 */
export class Poller {
  private loop: PollingLoop | null = null;

  constructor(private readonly pass: () => Promise<boolean | void>) {}

  /** Resolves when the first pass has settled (at once if already running). */
  start(options: PollingLoopOptions): Promise<void> {
    if (this.loop) return Promise.resolve();
    this.loop = new PollingLoop(this.pass, options);
    return this.loop.start();
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = null;
    await loop?.stop();
  }

  get state(): PollingLoopState | null {
    return this.loop?.state ?? null;
  }
}
