import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BIN_CACHE_DIR, delay, log } from './binaries';

// Two processes (npm start and npm test, two Jest runs) provisioning the same binary: one downloads, the other waits.

const LOCK_WAIT_MS = 20 * 60_000;

/** A lock folder (mkdir is atomic) holding its owner's pid; an owner that died leaves a lock that others take over. */
export async function withLock<T>(lockDir: string, what: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (lockIsStale(lockDir)) {
        rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lockDir} (another process provisioning the ${what})`);
      if (!announced) log.info({ lock: lockDir }, `waiting for another process provisioning the ${what}`);
      announced = true;
      await delay(250);
      continue;
    }
    try {
      writeFileSync(join(lockDir, 'owner'), JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
      return await body();
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

function lockIsStale(lockDir: string): boolean {
  try {
    const owner = JSON.parse(readFileSync(join(lockDir, 'owner'), 'utf8')) as { pid: number; host: string; at: number };
    // Older than anyone waits: stale even if its pid now belongs to another process. Another host's: wait for it.
    if (Date.now() - owner.at > LOCK_WAIT_MS) return true;
    if (owner.host !== hostname()) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH';
    }
  } catch {
    // No owner file yet: either just created (give the owner a moment) or its creator died in between.
    try {
      return Date.now() - statSync(lockDir).mtimeMs > 10_000;
    } catch {
      return false;
    }
  }
}

/** Scratch folders left by a process that died mid-download (kill -9, power loss). */
export function sweepAbandonedWork(): void {
  for (const name of readdirSync(BIN_CACHE_DIR)) {
    const m = /^\.work-(\d+)-/.exec(name);
    if (!m) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(BIN_CACHE_DIR, name), { recursive: true, force: true });
    }
  }
}
