import 'reflect-metadata';
import { DEFAULT_APP_PASSWORD, migrate } from '@duban/event-store';
import { createApiApp } from './bootstrap';
import { loadConfig } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  // Migrations run at start, under an advisory lock, as the owner; the app then connects as duban_app.
  await migrate(config.adminDatabaseUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  const app = await createApiApp(config);
  await app.listen(config.port, process.env.HOST ?? '127.0.0.1');
}

void main().catch((err) => {
  process.stderr.write(`duban api failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
