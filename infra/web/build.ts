import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

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

/** Builds apps/web when dist is missing or was built from other sources; returns whether it built. */
export function ensureWebBuild(log: (msg: string) => void = () => undefined): boolean {
  const want = webSourceHash();
  if (existsSync(join(WEB_DIST, 'index.html')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === want) return false;
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
}

if (require.main === module) ensureWebBuild((m) => process.stderr.write(`${m}\n`));
