import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DEFAULT_APP_PASSWORD, migrate } from '@duban/event-store';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { seedDemo } from './demo-seed';
import { demoHistoryWanted, seedDemoHistoryIn } from './demo-history';

/**
 * `npm run seed`: the demo county, its people and campaign, and a demo campaign with a month of history (idempotent);
 * `--no-history` or `DUBAN_DEMO=no-history` leaves the history out.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  await migrate(config.adminDatabaseUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const r = await seedDemo(app);
    process.stdout.write(`seeded ${r.units} units, ${r.users} people, campaign ${r.campaignId}\n`);
    if (demoHistoryWanted()) {
      const h = await seedDemoHistoryIn(app, new Date());
      process.stdout.write(`demo history (演示数据) ${h.campaignId} from ${h.firstDay}: ${h.findings} findings, ${h.stepsRun} steps, ${h.timersFired} timers fired, monthly review ${h.monthlyReview ?? '—'}\n`);
    }
  } finally {
    await app.close();
  }
}

void main().catch((err) => {
  process.stderr.write(`seed failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
