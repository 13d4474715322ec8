import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface ChildSpec {
  /** Names the child in log lines ("api", "worker"). */
  name: string;
  command: string;
  args: string[];
  options?: Omit<SpawnOptions, 'detached'>;
}

export interface SupervisorLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface SupervisorOptions {
  logger: SupervisorLogger;
  /** Pause before the first restart of a child; doubles with each further exit, up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A child that ran this long before exiting starts its backoff afresh: a crash a day is not a crash loop. */
  stableAfterMs?: number;
  /** On stop, a child still running this long after SIGTERM gets SIGKILL. */
  stopTimeoutMs?: number;
}

export interface ChildState {
  name: string;
  pid: number | null;
  /** Restarts after unexpected exits since the supervisor started. */
  restarts: number;
  lastExit: { code: number | null; signal: NodeJS.Signals | null } | null;
}

interface Supervised {
  spec: ChildSpec;
  process: ChildProcess | null;
  exited: Promise<void> | null;
  restarts: number;
  /** Consecutive quick exits: what the backoff grows with. */
  failures: number;
  startedAt: number;
  lastExit: ChildState['lastExit'];
  restartTimer: NodeJS.Timeout | null;
}

/**
 * Keeps the long-running children of `npm start` (API, worker) up: a child that exits while the supervisor is not
 * stopping is logged and started again after a pause that grows while it keeps failing. `stop()` sends SIGTERM to
 * every child and resolves once all have exited (SIGKILL after stopTimeoutMs), so whatever the caller stops next —
 * Temporal, PostgreSQL — outlives their draining.
 */
export class Supervisor {
  private readonly children: Supervised[];
  private stopping = false;

  constructor(
    specs: ChildSpec[],
    private readonly options: SupervisorOptions,
  ) {
    this.children = specs.map((spec) => ({
      spec,
      process: null,
      exited: null,
      restarts: 0,
      failures: 0,
      startedAt: 0,
      lastExit: null,
      restartTimer: null,
    }));
  }

  start(): void {
    for (const c of this.children) this.spawn(c);
  }

  get state(): ChildState[] {
    return this.children.map((c) => ({ name: c.spec.name, pid: c.process?.pid ?? null, restarts: c.restarts, lastExit: c.lastExit }));
  }

  /** The pause before restarting a child that has failed `failures` times in a row. */
  backoffMs(failures: number): number {
    const initial = this.options.initialBackoffMs ?? 1000;
    return Math.min(this.options.maxBackoffMs ?? 30_000, initial * 2 ** Math.min(failures - 1, 20));
  }

  /** SIGTERM to every child, side by side; resolves when all have exited. No child is restarted afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      this.children.map(async (c) => {
        if (c.restartTimer) clearTimeout(c.restartTimer);
        c.restartTimer = null;
        const child = c.process;
        if (!child || !c.exited) return;
        child.kill('SIGTERM');
        const timeout = setTimeout(() => {
          this.options.logger.warn({ child: c.spec.name, pid: child.pid }, 'child did not stop in time; killing it');
          child.kill('SIGKILL');
        }, this.options.stopTimeoutMs ?? 60_000);
        await c.exited;
        clearTimeout(timeout);
      }),
    );
  }

  private spawn(c: Supervised): void {
    const child = spawn(c.spec.command, c.spec.args, c.spec.options ?? {});
    c.process = child;
    c.startedAt = Date.now();
    c.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        c.exited = null;
        c.process = null;
        c.lastExit = { code, signal };
        resolve();
        this.onExit(c, code, signal);
      });
    });
    child.once('error', (err) => this.options.logger.error({ err, child: c.spec.name }, 'child could not be started'));
  }

  private onExit(c: Supervised, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) {
      this.options.logger.info({ child: c.spec.name, code, signal }, 'child stopped');
      return;
    }
    const ranMs = Date.now() - c.startedAt;
    c.failures = ranMs >= (this.options.stableAfterMs ?? 60_000) ? 1 : c.failures + 1;
    const delay = this.backoffMs(c.failures);
    this.options.logger.error(
      { child: c.spec.name, code, signal, ranMs, restartInMs: delay, restarts: c.restarts },
      `${c.spec.name} exited unexpectedly; restarting`,
    );
    c.restartTimer = setTimeout(() => {
      c.restartTimer = null;
      if (this.stopping) return;
      c.restarts += 1;
      this.spawn(c);
    }, delay);
  }
}

/**
 * Runs the steps one after the other, each after the previous one finished (or failed, which is logged): the order
 * of a shutdown, where the services drain before the servers they drain into go away.
 */
export async function stopInOrder(steps: Array<{ name: string; stop: () => Promise<void> }>, logger: SupervisorLogger): Promise<void> {
  for (const step of steps) {
    try {
      await step.stop();
      logger.info({ step: step.name }, `${step.name} stopped`);
    } catch (err) {
      logger.error({ err, step: step.name }, `stopping ${step.name} failed`);
    }
  }
}
