import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { sha256Hex } from '../hash-chain';
import { guardClient } from './connection-errors';

/**
 * A plain ordered-SQL runner rather than a migration framework: the schema is a handful of files that a DBA
 * reads as SQL, the order is the file name, and a checksum refuses a file that changed after it was applied.
 */
export const MIGRATION_DIRS = [
  join(__dirname, '..', '..', 'migrations'),
  join(__dirname, '..', '..', '..', 'read-models', 'migrations'),
];

export interface MigrationResult {
  applied: string[];
  skipped: string[];
}

export async function migrate(
  adminUrl: string,
  options: { appPassword?: string; dirs?: string[] } = {},
): Promise<MigrationResult> {
  const files = (options.dirs ?? MIGRATION_DIRS)
    .flatMap((dir) => safeList(dir).map((name) => ({ name, path: join(dir, name) })))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  // A server going away mid-migration fails the statement in flight; the event must not also crash the process.
  const client = guardClient(new Client({ connectionString: adminUrl }), () => undefined);
  await client.connect();
  const result: MigrationResult = { applied: [], skipped: [] };
  try {
    // One migrator at a time per database: API and worker may start together.
    await client.query('SELECT pg_advisory_lock(4242001)');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const done = new Map(
      (await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations')).rows.map(
        (r) => [r.name, r.checksum],
      ),
    );
    for (const f of files) {
      const sql = readFileSync(f.path, 'utf8');
      const checksum = sha256Hex(sql);
      const previous = done.get(f.name);
      if (previous) {
        if (previous !== checksum) throw new Error(`migration ${f.name} changed after it was applied`);
        result.skipped.push(f.name);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [f.name, checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${f.name} failed: ${(err as Error).message}`);
      }
      result.applied.push(f.name);
    }
    if (options.appPassword) {
      const canAlter = await client.query(
        `SELECT rolsuper OR rolcreaterole AS ok FROM pg_roles WHERE rolname = current_user`,
      );
      if (canAlter.rows[0]?.ok) {
        await client.query(`ALTER ROLE duban_app PASSWORD ${quoteLiteral(options.appPassword)}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(4242001)').catch(() => undefined);
    await client.end();
  }
  return result;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.endsWith('.sql'));
  } catch {
    return [];
  }
}

function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
