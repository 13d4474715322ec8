// `npm start`: see infra/dev/start.ts. TypeScript runs through @swc-node/register (decorator metadata, paths).
import { spawn } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// In a process group of its own: Ctrl-C in the terminal signals the whole foreground group, and would reach the
// embedded PostgreSQL, the API and the worker at once — PostgreSQL then shuts down under a worker still draining.
// Here the signal reaches only this process, which hands it on; start.ts stops its children in order. The IPC
// channel tells start.ts when this process is gone, so it never outlives it.
// Arguments go through to start.ts (`npm start -- --empty`).
const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'infra/dev/start.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: process.env,
  detached: true,
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig === 'SIGHUP' ? 'SIGTERM' : sig));
child.on('exit', (code) => process.exit(code ?? 1));
