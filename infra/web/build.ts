import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = join(__dirname, '..', '..');
export const WEB_DIR = join(root, 'apps', 'web');
export const WEB_DIST = join(WEB_DIR, 'dist');
const STAMP = join(WEB_DIST, '.source-hash');
// What the build reads: the app's sources and config (never dist, never the tests).
const INPUTS = ['src', 'public', 'index.html', 'vite.config.mts', 'tsconfig.json'];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name.endsWith('.test.ts') || name.endsWith('.test.tsx') ? [] : files(join(path, name))));
}

/** A digest of the web app's sources (names and bytes): the build is stale when it differs from the stamp. */
export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((p) => files(join(WEB_DIR, p)))) {
    hash.update(relative(WEB_DIR, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const isBuilt = (want: string) => existsSync(join(WEB_DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === want;

/** Builds apps/web when dist is missing or was built from other sources; returns whether it built. */
export function ensureWebBuild(log: (msg: string) => void = () => undefined): boolean {
  const want = webSourceHash();
  if (isBuilt(want)) return false;
  // Two Jest workers (each browser test file) or npm start beside a test run: one builds, the others wait for it
  // and find it built — two vite builds emptying one dist would break each other.
  return withBuildLock(() => {
    if (isBuilt(want)) return false;
    log('building the web app (apps/web → apps/web/dist)…');
    const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
    // NODE_ENV=production whatever the caller's (Jest sets "test"): libraries would otherwise ship their dev builds.
    const r = spawnSync(process.execPath, [vite, 'build', WEB_DIR, '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
    writeFileSync(STAMP, want);
    return true;
  });
}

const LOCK = join(root, '.duban', 'web-build.lock');
const LOCK_WAIT_MS = 10 * 60_000;

/** A lock folder (mkdir is atomic) naming its owner's pid; one left by a process that died is taken over. */
function withBuildLock<T>(body: () => T): T {
  mkdirSync(dirname(LOCK), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (ownerGone()) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK} (another process building the web app)`);
      // ensureWebBuild is synchronous (so are its callers): the pause is too.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    writeFileSync(join(LOCK, 'pid'), String(process.pid));
    return body();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function ownerGone(): boolean {
  try {
    process.kill(Number(readFileSync(join(LOCK, 'pid'), 'utf8')), 0);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true;
    // No pid file yet: just created (give its owner a moment), or its creator died in between.
    if (code === 'ENOENT') {
      try {
        return Date.now() - statSync(LOCK).mtimeMs > 10_000;
      } catch {
        return false;
      }
    }
    return false;
  }
}

if (require.main === module) ensureWebBuild((m) => process.stderr.write(`${m}\n`));
