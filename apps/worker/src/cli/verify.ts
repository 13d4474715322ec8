import { Pool } from 'pg';
import { verifyChains } from '@duban/event-store';

/** `npm run verify-chains`: recompute every stream's hash chain; exit 1 and name the first broken event per stream. */
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.DUBAN_PG_PORT ?? 54329}/duban`;
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    const report = await verifyChains(pool);
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await pool.end();
  }
}

void main().catch((err) => {
  process.stderr.write(`verify failed: ${err?.stack ?? err}\n`);
  process.exit(2);
});
