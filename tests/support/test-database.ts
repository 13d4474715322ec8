import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { appDatabaseUrl, guardPool, withDatabase } from '@duban/event-store';

export interface TestDatabase {
  name: string;
  /** Owner connection: for tamper tests and setup that the application may not do. */
  adminUrl: string;
  /** The application role's connection (duban_app: no UPDATE/DELETE/TRUNCATE on events). */
  appUrl: string;
  adminPool: Pool;
  appPool: Pool;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: cheap isolation per test file. */
export async function createTestDatabase(
  options: { server?: string; template?: string } = {},
): Promise<TestDatabase> {
  const server = options.server ?? process.env.DUBAN_TEST_ADMIN_URL;
  const template = options.template ?? process.env.DUBAN_TEST_TEMPLATE_DB;
  if (!server || !template) throw new Error('the jest globalSetup did not provide a database server');
  const name = `duban_t_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  await admin.end();
  const adminUrl = withDatabase(server, name);
  const appUrl = appDatabaseUrl(adminUrl, {});
  const adminPool = new Pool({ connectionString: adminUrl, max: 4 });
  const appPool = new Pool({ connectionString: appUrl, max: 10 });
  // DROP DATABASE … WITH (FORCE) ends connections, and a restart test stops the server: expected, not a crash.
  for (const p of [adminPool, appPool]) guardPool(p, () => undefined);
  return {
    name,
    adminUrl,
    appUrl,
    adminPool,
    appPool,
    drop: async () => {
      await appPool.end();
      await adminPool.end();
      const c = new Client({ connectionString: server });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
