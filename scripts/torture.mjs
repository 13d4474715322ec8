// `npm run torture`: the fault and bad-input suites under tests/torture at full size (TORTURE=1), closed by one
// summary line. Each suite that counts something writes { suite, counts } to TORTURE_REPORT_DIR; the line sums the
// counts by name across suites, so a new suite adds its own figures without changing this script.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const reportDir = join(root, '.duban', `torture-${process.pid}`);
const results = join(reportDir, 'jest-results.json');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

const started = Date.now();
const args = [jest, '--maxWorkers=2', '--json', `--outputFile=${results}`, 'tests/torture', ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TORTURE: '1', TORTURE_REPORT_DIR: reportDir },
});

const counts = {};
for (const file of readdirSync(reportDir).filter((f) => f.endsWith('.json') && f !== 'jest-results.json')) {
  const report = JSON.parse(readFileSync(join(reportDir, file), 'utf8'));
  for (const [name, n] of Object.entries(report.counts ?? {})) counts[name] = (counts[name] ?? 0) + n;
}
let tests = 'no results';
let failed = r.status !== 0;
if (existsSync(results)) {
  const s = JSON.parse(readFileSync(results, 'utf8'));
  tests = `${s.numPassedTestSuites}/${s.numTotalTestSuites} suites, ${s.numPassedTests} passed, ${s.numFailedTests} failed`;
  failed ||= s.numFailedTests > 0 || s.numTotalTests === 0;
}
rmSync(reportDir, { recursive: true, force: true });
const figures = Object.entries(counts).map(([name, n]) => `${n} ${name}`).join(', ');
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
process.stdout.write(`\ntorture: ${failed ? 'FAILED' : 'ok'} — ${tests}${figures ? `; ${figures}` : ''} (${minutes} min)\n`);
process.exit(failed ? 1 : (r.status ?? 1));
