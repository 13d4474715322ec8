import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../infra/postgres/embedded';
import { ensureTemporalCli, ensureTestServer } from '../../infra/temporal/provision';
import { migrate, withDatabase, DEFAULT_APP_PASSWORD } from '../../libs/event-store/src';
import { bundleWorkflows } from '../../workflows/bundle';

export const TEMPLATE_DB = 'duban_test_template';

/**
 * One real PostgreSQL for the whole run (DATABASE_URL's server, or an embedded one), one migrated template
 * database, and every test file clones its own database from the template (tests/support/test-database.ts).
 * The Temporal binaries (infra/temporal) are provisioned meanwhile; test files find them through
 * DUBAN_TEMPORAL_TEST_SERVER and DUBAN_TEMPORAL_CLI (tests/support/temporal.ts).
 */
export default async function globalSetup(): Promise<void> {
  const temporal = Promise.all([ensureTestServer(), ensureTemporalCli()]);
  temporal.catch(() => undefined); // awaited below; not an unhandled rejection while PostgreSQL starts
  // The workflow code is bundled once per run; every worker in every test file loads that one bundle.
  const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };
  const bundle = bundleWorkflows({ logger: silent as never });
  bundle.catch(() => undefined);
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    // A data directory per run: two runs side by side (a developer's and a hook's) must not share one.
    const parent = join(__dirname, '..', '..', '.duban');
    mkdirSync(parent, { recursive: true });
    const dataDir = mkdtempSync(join(parent, 'test-postgres-'));
    rmSync(dataDir, { recursive: true, force: true });
    const pg = await startEmbeddedPostgres({ dataDir, persistent: false });
    (globalThis as any).__DUBAN_PG__ = pg;
    (globalThis as any).__DUBAN_PG_DIR__ = dataDir;
    adminUrl = pg.adminUrl;
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  await migrate(withDatabase(adminUrl, TEMPLATE_DB), { appPassword: DEFAULT_APP_PASSWORD });
  process.env.DUBAN_TEST_ADMIN_URL = adminUrl;
  process.env.DUBAN_TEST_TEMPLATE_DB = TEMPLATE_DB;
  const [testServer, cli] = await temporal;
  process.env.DUBAN_TEMPORAL_TEST_SERVER = testServer;
  process.env.DUBAN_TEMPORAL_CLI = cli;
  const parent = join(__dirname, '..', '..', '.duban');
  mkdirSync(parent, { recursive: true });
  const bundlePath = join(parent, `workflow-bundle-${process.pid}.js`);
  writeFileSync(bundlePath, (await bundle).code);
  (globalThis as any).__DUBAN_BUNDLE__ = bundlePath;
  process.env.DUBAN_WORKFLOW_BUNDLE = bundlePath;
}
