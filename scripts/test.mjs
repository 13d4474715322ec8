// `npm test`: every suite — pure domain, real-PostgreSQL integration, API end to end — in one Jest run,
// closed by one plain summary line that CI can read whatever the runner prints.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
mkdirSync(join(root, '.duban'), { recursive: true });
// swc strips types without checking them, so the type check is part of the test run.
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  process.stdout.write('\ntypecheck: 0 passed, 1 failed\n');
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
