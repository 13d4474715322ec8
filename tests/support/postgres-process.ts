import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface PostgresProcess {
  adminUrl: string;
  /** Stops the server (fast shutdown: every backend ends with 57P01) and waits for it to exit. */
  stop(): Promise<void>;
}

const root = join(__dirname, '..', '..');

/** Starts a real PostgreSQL on `dataDir` (kept across stops) and `port`, in a child process; see embedded-postgres-main.ts. */
export function startPostgresProcess(dataDir: string, port: number): Promise<PostgresProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(root, 'tests/support/embedded-postgres-main.ts'), dataDir, String(port)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`PostgreSQL process exited with ${code} before it was ready`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /ready (\S+)/.exec(out);
      if (!ready) return;
      resolve({
        adminUrl: ready[1],
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}
