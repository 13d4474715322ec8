// `npm test`: every suite — pure domain, real-PostgreSQL integration, API end to end — in one Jest run,
// closed by one plain summary line that CI can read whatever the runner prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
mkdirSync(join(root, '.duban'), { recursive: true });

// The web app's browser tests drive Debian's Chromium (never a downloaded browser) and need a CJK font to render
// Chinese: installed with apt-get when missing, as the Temporal binaries are provisioned when missing.
function ensureBrowser() {
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (spawnSync('dpkg', ['-s', 'fonts-noto-cjk'], { stdio: 'ignore' }).status !== 0) missing.push('fonts-noto-cjk');
  if (!missing.length) return;
  process.stderr.write(`duban: installing ${missing.join(', ')} (apt-get)…\n`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => {
    const r = spawnSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status})`);
  };
  run(['apt-get', 'update']);
  run(['apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
}
ensureBrowser();
process.env.DUBAN_CHROMIUM ??= '/usr/bin/chromium';
// test-artefacts/ (screenshots of each main screen) is kept after the run; only its old contents are replaced.
mkdirSync(join(root, 'test-artefacts'), { recursive: true });
// swc strips types without checking them, so the type check is part of the test run.
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'], {
  cwd: root,
  stdio: 'inherit',
});
// The web app has its own compiler settings (JSX, the DOM): checked on its own.
const webTsc =
  tsc.status === 0
    ? spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'apps/web/tsconfig.json'], { cwd: root, stdio: 'inherit' })
    : tsc;
if (tsc.status !== 0 || webTsc.status !== 0) {
  process.stdout.write('\ntypecheck: 0 passed, 1 failed\n');
  process.exit(1);
}
// The web app's component tests (Vitest); the browser end-to-end tests run in the Jest run below.
const vitest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--config', 'apps/web/vitest.config.mts', '--reporter=dot'],
  { cwd: root, stdio: 'inherit' },
);
if (vitest.status !== 0) {
  process.stdout.write('\nweb component tests: failed\n');
  process.exit(1);
}
const results = join(root, '.duban', `jest-results-${process.pid}.json`);
const args = [jest, '--maxWorkers=2', '--json', `--outputFile=${results}`, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: process.env });
if (existsSync(results)) {
  const s = JSON.parse(readFileSync(results, 'utf8'));
  rmSync(results, { force: true });
  const skipped = s.numPendingTests + s.numTodoTests;
  process.stdout.write(`\ntests: ${s.numPassedTests} passed, ${s.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  if (s.numTotalTests === 0) process.exit(1);
}
process.exit(r.status ?? 1);
