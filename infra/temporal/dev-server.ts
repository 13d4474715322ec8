import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { delay, log, root } from './binaries';
import { ensureTemporalCli } from './provision';

// The dev server for `npm start`.

export interface DevServerOptions {
  /** Frontend gRPC port. */
  port: number;
  /** Web UI port; without it the server runs headless. */
  uiPort?: number;
  /** SQLite file for state that survives restarts; without it everything lives in memory. */
  dbFile?: string;
  /** Created at launch besides `default`. */
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Address to bind; 127.0.0.1 unless told. */
  ip?: string;
  /** The CLI to run; ensureTemporalCli() unless given. */
  executable?: string;
  startTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface DevServerHandle {
  /** host:port of the frontend, the value for TEMPORAL_ADDRESS. */
  address: string;
  /** The Web UI, when one was asked for. */
  uiUrl?: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `temporal server start-dev` and resolves once the frontend answers for the namespace. The server runs in
 * its own process group so a Ctrl-C in the terminal reaches it only through stop(), after the services that use it.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  const executable = options.executable ?? (await ensureTemporalCli());
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const address = `${ip}:${options.port}`;
  const args = ['server', 'start-dev', '--ip', ip, '--port', String(options.port), '--log-level', options.logLevel ?? 'warn'];
  if (options.uiPort) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFile) {
    mkdirSync(resolve(options.dbFile, '..'), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (namespace !== 'default') args.push('--namespace', namespace);
  // A server already there (a second `npm start`, one left behind) would answer the readiness poll for ours.
  for (const port of [options.port, options.uiPort]) {
    if (port && !(await portIsFree(ip, port))) {
      throw new Error(`cannot start the Temporal dev server: ${ip}:${port} is in use (set DUBAN_TEMPORAL_PORT, or TEMPORAL_ADDRESS to use a running server)`);
    }
  }

  const started = Date.now();
  const child = spawn(executable, args, { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = log.child({ temporal: 'dev-server', pid: child.pid });
  let tail: string[] = [];
  let stopping = false;
  const forward = (stream: NodeJS.ReadableStream, level: 'info' | 'warn') =>
    createInterface({ input: stream }).on('line', (line) => {
      if (!line.trim()) return;
      tail = [...tail.slice(-30), line];
      // Shutting down, the server complains about every poll it cuts short: not worth anyone's attention.
      serverLog[stopping ? 'debug' : level](line);
    });
  forward(child.stdout!, 'info');
  forward(child.stderr!, 'warn');
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let spawnError: Error | null = null;
  child.once('error', (err) => {
    spawnError = err;
  });
  // If this process dies without calling stop(), do not leave the server behind.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    stopping = true;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), options.stopTimeoutMs ?? 10_000);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      serverLog.warn('dev server ignored SIGTERM; killing it');
      child.kill('SIGKILL');
      await exited;
    }
  };

  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const { Connection } = await import('@temporalio/client');
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(
        `temporal dev server (${executable}) ${spawnError ? `failed to start: ${(spawnError as Error).message}` : `exited with ${child.signalCode ?? child.exitCode}`}` +
          ` before answering on ${address}${tail.length ? `:\n${tail.join('\n')}` : ''}`,
      );
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`temporal dev server did not answer on ${address} within ${timeoutMs} ms${tail.length ? `:\n${tail.join('\n')}` : ''}`);
    }
    if ((await answers(Connection, address, namespace)) && child.exitCode === null) break;
    await delay(200);
  }
  log.info({ address, ms: Date.now() - started, dbFile: options.dbFile }, 'temporal dev server ready');
  return {
    address,
    uiUrl: options.uiPort ? `http://${ip}:${options.uiPort}` : undefined,
    pid: child.pid!,
    stop,
  };
}

async function answers(
  Connection: typeof import('@temporalio/client').Connection,
  address: string,
  namespace: string,
): Promise<boolean> {
  let connection: import('@temporalio/client').Connection | null = null;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.once('error', () => resolveFree(false));
    server.listen(port, host, () => server.close(() => resolveFree(true)));
  });
}
