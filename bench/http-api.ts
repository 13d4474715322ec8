import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { Client as PgClient } from 'pg';
import type * as Bootstrap from '../apps/api/src/bootstrap';
import type * as Config from '../apps/api/src/config/config';

/** Another checkout's API (BENCH_HTTP_API_ROOT: the code before a change, measured beside it in the same run). */
const root = process.env.BENCH_HTTP_API_ROOT || join(__dirname, '..');
const { createApiApp } = require(join(root, 'apps/api/src/bootstrap')) as typeof Bootstrap;
const { loadConfig } = require(join(root, 'apps/api/src/config/config')) as typeof Config;
const { PG_POOL } = require(join(root, 'apps/api/src/database/database.module')) as { PG_POOL: symbol };
const { Client } = require(require.resolve('pg', { paths: [root] })) as { Client: typeof PgClient };

/**
 * The API as main.ts starts it (same config from the environment, same app), in a child of the HTTP bench, minus the
 * migrations (the bench migrated the database). With BENCH_HTTP_PROFILE set it records a CPU profile from the
 * parent's 'profile' message (after start-up, so the profile holds only the requests) until 'stop', and writes it
 * there as a .cpuprofile (bench/cpu-profile.ts reads it). It answers 'queries' with the number of statements sent and the pool's
 * largest queue and size since the last ask.
 */
async function main(): Promise<void> {
  // Every statement the API sends (its pools' clients are pg Clients), counted for the bench's round trips per request.
  let queries = 0;
  const texts = new Map<string, number>();
  const query = Client.prototype.query;
  Client.prototype.query = function (this: PgClient, ...args: unknown[]) {
    queries++;
    if (process.env.BENCH_HTTP_SQL) {
      const q = args[0] as string | { text?: string };
      const text = (typeof q === 'string' ? q : (q?.text ?? '?')).replace(/\s+/g, ' ').slice(0, 110);
      texts.set(text, (texts.get(text) ?? 0) + 1);
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  const app = await createApiApp(loadConfig());
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  // The API pool's queue: the most requests waiting for a connection, sampled every 20 ms between two 'queries'.
  const pool = app.get<{ waitingCount: number; totalCount: number }>(PG_POOL);
  let maxWaiting = 0;
  let maxConnections = 0;
  setInterval(() => {
    maxWaiting = Math.max(maxWaiting, pool.waitingCount);
    maxConnections = Math.max(maxConnections, pool.totalCount);
  }, 20).unref();
  const profileDir = process.env.BENCH_HTTP_PROFILE;
  const session = profileDir ? new Session() : null;
  process.on('message', (m) => {
    if (m === 'profile' && session) {
      session.connect();
      void session.post('Profiler.enable').then(() => session.post('Profiler.setSamplingInterval', { interval: 200 })).then(() => session.post('Profiler.start')).then(() => process.send?.('profiling'));
      return;
    }
    if (m === 'queries') {
      process.send?.({ queries, maxWaiting, maxConnections });
      maxWaiting = 0;
      maxConnections = 0;
      return;
    }
    if (m !== 'stop') return;
    void (async () => {
      if (session && profileDir) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(join(profileDir, `api-${process.pid}.cpuprofile`), JSON.stringify(profile));
      }
      await app.close();
      // BENCH_HTTP_SQL: which statements, how many times (to stderr), to tell the round trips of a request apart.
      for (const [text, n] of [...texts].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stderr.write(`${String(n).padStart(7)} ${text}\n`);
      process.exit(0);
    })();
  });
  process.send?.('ready');
}

void main().catch((err) => {
  process.stderr.write(`bench api failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
