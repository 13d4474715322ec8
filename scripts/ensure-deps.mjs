// Runs before `npm start` and `npm test`: installs dependencies when node_modules is missing or stale,
// so a fresh clone needs nothing but Node and npm. Uses only Node built-ins.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { execSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.duban-deps');
const want = createHash('sha256').update(readFileSync(lock)).digest('hex');
const have = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
if (have !== want || !existsSync(join(root, 'node_modules', '@nestjs', 'core'))) {
  process.stderr.write('duban: installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  writeFileSync(stamp, want);
}
