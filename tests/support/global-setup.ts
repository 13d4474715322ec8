import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../infra/postgres/embedded';
import { migrate, withDatabase, DEFAULT_APP_PASSWORD } from '../../libs/event-store/src';

export const TEMPLATE_DB = 'duban_test_template';

/**
 * One real PostgreSQL for the whole run (DATABASE_URL's server, or an embedded one), one migrated template
 * database, and every test file clones its own database from the template (tests/support/test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
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
}
