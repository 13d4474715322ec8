// `npm run test:kurrentdb`: the event-store contract and the KurrentDB adapter's tests against the server
// KURRENTDB_URL names (KurrentDB 25.1 or later, ideally a database of its own: the log check reads every stream).
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!process.env.KURRENTDB_URL?.trim()) {
  process.stderr.write(
    'KURRENTDB_URL 未设置：npm run test:kurrentdb 需要一个 KurrentDB 服务器，例如\n' +
      '  KURRENTDB_URL="kurrentdb://admin:changeit@localhost:2113?tls=false" npm run test:kurrentdb (KURRENTDB_URL_MISSING)\n',
  );
  process.exit(2);
}
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const r = spawnSync(process.execPath, [jest, '-c', join(root, 'jest.kurrentdb.config.js'), '--runInBand', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
process.exit(r.status ?? 1);
