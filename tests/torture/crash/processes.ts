import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../../../infra/postgres/embedded';

const root = join(__dirname, '..', '..', '..');

/** A Node service (the API or the worker) that the crash run starts, SIGKILLs and starts again. */
export class Service {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  starts = 0;
  kills = 0;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly onOutput: (line: string) => void,
  ) {}

  start(): void {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, this.script)], {
      cwd: root,
      env: this.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => this.onOutput(`${this.name}: ${String(d).trim()}`));
    child.stderr!.on('data', (d) => this.onOutput(`${this.name}: ${String(d).trim()}`));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    this.starts += 1;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.running) return;
    if (signal === 'SIGKILL') this.kills += 1;
    this.child!.kill(signal);
    await this.exited;
  }
}

/** The run's own PostgreSQL (not the test suite's shared one): killed with SIGKILL through its postmaster's pid. */
export class Postgres {
  private handle: EmbeddedPostgresHandle | null = null;
  kills = 0;
  starts = 0;

  constructor(
    private readonly dataDir: string,
    readonly port: number,
  ) {}

  get adminUrl(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** Starts it, retrying while a killed server's backends still hold its shared memory. */
  async start(deadlineMs = 60_000): Promise<void> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      try {
        this.handle = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port, persistent: true });
        this.starts += 1;
        return;
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** SIGKILL to the postmaster, as a crash or the OOM killer would do it; its backends die with it. */
  kill(): void {
    const pid = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    this.kills += 1;
    this.handle = null;
  }

  async stop(): Promise<void> {
    await this.handle?.stop().catch(() => undefined);
    this.handle = null;
  }
}
