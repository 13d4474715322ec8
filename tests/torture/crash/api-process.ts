import 'reflect-metadata';
import { createApiApp } from '../../../apps/api/src/bootstrap';
import { loadConfig } from '../../../apps/api/src/config/config';

/**
 * The real API in a process of its own, for the crash run to SIGKILL — with its clock set back by
 * CRASH_CLOCK_OFFSET_MS, so that the deadlines it sets are already past on the Temporal dev server's real clock and
 * the ladder climbs during the run. Migrations are the run's job, done once before any process starts.
 */
async function main(): Promise<void> {
  const offset = Number(process.env.CRASH_CLOCK_OFFSET_MS ?? 0);
  const config = loadConfig();
  const app = await createApiApp(config, { logger: false, clock: { now: () => new Date(Date.now() + offset) } });
  await app.listen(config.port, '127.0.0.1');
}

void main().catch((err) => {
  process.stderr.write(`crash-run api failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
