import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import pino from 'pino';
import { startEmbeddedPostgres, EmbeddedPostgresHandle } from '../postgres/embedded';
import { startDevServer, DevServerHandle } from '../temporal/dev-server';
import {
  DEFAULT_APP_PASSWORD,
  DEFAULT_EMBEDDED_PG_PORT,
  embeddedDataDir,
  guardClient,
  migrate,
  withDatabase,
} from '../../libs/event-store/src';
import { stopInOrder, Supervisor } from './supervisor';
import { ensureWebBuild } from '../web/build';

/**
 * `npm start`: a real PostgreSQL (embedded, data under .duban/postgres, kept across restarts) unless DATABASE_URL
 * names one, a Temporal dev server (SQLite under .duban/temporal, kept across restarts) unless TEMPORAL_ADDRESS names
 * one, migrations, the demo county on first start, then the API and the worker as child processes.
 */
const root = join(__dirname, '..', '..');
const log = pino({ name: 'duban-start' });

async function main(): Promise<void> {
  let pg: EmbeddedPostgresHandle | null = null;
  let temporal: DevServerHandle | null = null;
  const stopEarly = () =>
    void (async () => {
      await temporal?.stop();
      await pg?.stop();
      process.exit(130);
    })();
  // Until the services run (and their shutdown takes over), a signal stops what has started so far.
  process.once('SIGINT', stopEarly);
  process.once('SIGTERM', stopEarly);
  process.once('disconnect', stopEarly);
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    pg = await startEmbeddedPostgres({
      // CLIs find this server through its postmaster.pid (resolveDatabase), whatever port it runs on.
      dataDir: embeddedDataDir(join(root, '.duban')),
      port: Number(process.env.DUBAN_PG_PORT ?? DEFAULT_EMBEDDED_PG_PORT),
      persistent: true,
      callerStopsOnSignal: true,
    });
    databaseUrl = withDatabase(pg.adminUrl, 'duban');
    const admin = guardClient(new Client({ connectionString: pg.adminUrl }), () => undefined);
    await admin.connect();
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'duban'`);
    if (!exists.rowCount) await admin.query('CREATE DATABASE duban');
    await admin.end();
    log.info({ dataDir: '.duban/postgres' }, 'embedded PostgreSQL started');
  }
  const applied = await migrate(databaseUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  log.info({ applied: applied.applied }, 'migrations applied');

  let temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (!temporalAddress) {
    const port = Number(process.env.DUBAN_TEMPORAL_PORT ?? 7233);
    temporal = await startDevServer({
      port,
      uiPort: Number(process.env.DUBAN_TEMPORAL_UI_PORT ?? port + 1000),
      dbFile: join(root, '.duban', 'temporal', 'dev.sqlite'),
    });
    temporalAddress = temporal.address;
    // The dev server runs in its own process group, so Ctrl-C reaches it only through stop().
    log.info({ address: temporalAddress, ui: temporal.uiUrl, dbFile: '.duban/temporal/dev.sqlite' }, 'Temporal dev server started');
  }

  const env = { ...process.env, DATABASE_URL: databaseUrl, PORT: process.env.PORT ?? '3000', TEMPORAL_ADDRESS: temporalAddress };
  const run = (script: string, args: string[] = []) =>
    spawn(process.execPath, ['-r', '@swc-node/register', join(root, script), ...args], { cwd: root, env, stdio: 'inherit' });
  const once = (child: ChildProcess) => new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));

  const empty = await (async () => {
    const c = guardClient(new Client({ connectionString: databaseUrl }), () => undefined);
    await c.connect();
    const r = await c.query('SELECT count(*)::int AS n FROM directory_users');
    await c.end();
    return r.rows[0].n === 0;
  })();
  // `npm start -- --empty` (or DUBAN_DEMO=off): a county of your own — nothing seeded; the first administrator comes
  // from `npm run create-admin`, the rest from the roster and 问题清单 imports. `--no-history` (DUBAN_DEMO=no-history):
  // the demo county without the demo campaign's month of history.
  const demo = (process.env.DUBAN_DEMO ?? '').trim().toLowerCase();
  const emptyCounty = process.argv.includes('--empty') || ['off', '0', 'false', 'empty'].includes(demo);
  if (empty && emptyCounty) {
    log.info('first start with an empty county: nothing seeded (npm run create-admin opens the first administrator)');
  } else if (empty) {
    const seedArgs = process.argv.includes('--no-history') || demo === 'no-history' ? ['--no-history'] : [];
    log.info({ demoHistory: seedArgs.length === 0 }, 'first start: seeding the demo county');
    if ((await once(run('apps/api/src/cli/seed.ts', seedArgs))) !== 0) throw new Error('seeding failed');
  }

  process.removeListener('SIGINT', stopEarly);
  process.removeListener('SIGTERM', stopEarly);
  process.removeListener('disconnect', stopEarly);
  const service = (name: string, script: string) => ({
    name,
    command: process.execPath,
    args: ['-r', '@swc-node/register', join(root, script)],
    options: { cwd: root, env, stdio: 'inherit' as const },
  });
  // The API serves the built app at /: built now when missing or built from other sources.
  ensureWebBuild((msg) => log.info(msg));
  const supervisor = new Supervisor([service('api', 'apps/api/src/main.ts'), service('worker', 'apps/worker/src/main.ts')], {
    logger: log,
  });
  supervisor.start();
  const port = env.PORT;
  log.info(
    {
      app: `http://127.0.0.1:${port}/`,
      api: `http://127.0.0.1:${port}`,
      docs: `http://127.0.0.1:${port}/api/docs`,
      health: `http://127.0.0.1:${port}/health`,
      tokens: 'npm run tokens',
      databaseUrl: databaseUrl.replace(/:[^:@/]*@/, ':***@'),
      temporal: temporalAddress,
      temporalUi: temporal?.uiUrl,
    },
    'Duban is starting: API, docs, and how to get a token',
  );
  process.stdout.write(
    `\n  督办 Duban\n  App:      http://127.0.0.1:${port}/   ${emptyCounty ? '(an empty county: npm run create-admin first, then 密码登录)' : '(open it; 开发登录 picks a demo person)'}\n  API:      http://127.0.0.1:${port}\n  Docs:     http://127.0.0.1:${port}/api/docs\n` +
      `  Temporal: ${temporalAddress}${temporal?.uiUrl ? `   (UI: ${temporal.uiUrl})` : '   (TEMPORAL_ADDRESS)'}\n` +
      (emptyCounty
        ? `  First administrator: npm run create-admin -- --login <login> --name <姓名> --phone <手机号>   (README: Setting up a new county)\n\n`
        : `  Tokens:   npm run tokens            (demo people for every role; DATABASE_URL defaults to the embedded server)\n\n`),
  );

  // A child that dies is restarted by the supervisor; only a signal (or scripts/start.mjs going away) stops all, in
  // order: the API and the worker drain first, while Temporal and PostgreSQL are still there to drain into.
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('stopping: API and worker first, then Temporal and PostgreSQL');
    await stopInOrder(
      [
        { name: 'API and worker', stop: () => supervisor.stop() },
        ...(temporal ? [{ name: 'Temporal dev server', stop: () => temporal!.stop() }] : []),
        ...(pg ? [{ name: 'embedded PostgreSQL', stop: () => pg!.stop() }] : []),
      ],
      log,
    );
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

void main().catch((err) => {
  log.error({ err }, 'start failed');
  process.exit(1);
});
