import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { appDatabaseUrl, DEFAULT_APP_PASSWORD, migrate } from '@duban/event-store';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${process.env.DUBAN_PG_PORT ?? 54329}/duban`;
  await migrate(adminUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({
      appDatabaseUrl: appDatabaseUrl(adminUrl),
      pollIntervalMs: Number(process.env.PROJECTION_POLL_MS ?? 500),
      logLevel: process.env.LOG_LEVEL ?? 'info',
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the context, which drains the projection runner before exit.
  app.enableShutdownHooks();
  app.get(Logger).log('worker started: projections running');
}

void main().catch((err) => {
  process.stderr.write(`duban worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
