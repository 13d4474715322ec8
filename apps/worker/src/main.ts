import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { Pool } from 'pg';
import {
  appDatabaseUrl,
  DEFAULT_APP_PASSWORD,
  guardPool,
  migrate,
  registerLogSigningKey,
  resolveDatabase,
  selectEventStore,
} from '@duban/event-store';
import { selectMessagingAdapter } from '@duban/application';
import { loadLogSigningKey } from './integrity/signing-key';
import { DEFAULT_FORWARDER_POLL_MS } from './forwarder/temporal-forwarder';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  // A wrong EVENT_STORE or KURRENTDB_URL stops the worker before anything starts, naming the variable.
  const eventStore = selectEventStore();
  // So does a DUBAN_MESSAGING naming an adapter that does not exist (only `dev`: no real provider is reachable here).
  const messaging = selectMessagingAdapter(process.env);
  const adminUrl = resolveDatabase().adminUrl;
  await migrate(adminUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
  // Like the migrations, through the owner's connection: the application role may not register keys.
  const owner = guardPool(new Pool({ connectionString: adminUrl, max: 1 }), () => undefined);
  await registerLogSigningKey(owner, loadLogSigningKey().signer).finally(() => owner.end());
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({
      appDatabaseUrl: appDatabaseUrl(adminUrl),
      pollIntervalMs: Number(process.env.PROJECTION_POLL_MS ?? 500),
      logLevel: process.env.LOG_LEVEL ?? 'info',
      temporal: process.env.TEMPORAL_ADDRESS
        ? {
            address: process.env.TEMPORAL_ADDRESS,
            namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
            forwarderPollMs: Number(process.env.FORWARDER_POLL_MS ?? DEFAULT_FORWARDER_POLL_MS),
            schedulePollMs: Number(process.env.CADENCE_SCHEDULE_POLL_MS ?? 5000),
            // A pre-built bundle (e.g. one per test run) instead of bundling the workflow code at every start.
            workflowBundlePath: process.env.DUBAN_WORKFLOW_BUNDLE || undefined,
          }
        : undefined,
      eventStore,
      messaging,
      integrity: { sealIntervalMs: Number(process.env.DUBAN_LOG_SEAL_INTERVAL_MS ?? 10_000) },
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // SIGTERM/SIGINT close the context: the forwarder stops, the Temporal worker drains its in-flight tasks, then the
  // projection runner finishes its batch and the pool closes.
  app.enableShutdownHooks();
  if (!process.env.TEMPORAL_ADDRESS) {
    app.get(Logger).warn('TEMPORAL_ADDRESS is not set: ledgers run, deadlines are not enforced until it is');
  }
  app.get(Logger).log(`worker started: projections${process.env.TEMPORAL_ADDRESS ? ', Temporal worker and forwarder' : ''} running`);
}

void main().catch((err) => {
  process.stderr.write(`duban worker failed to start: ${err?.stack ?? err}\n`);
  process.exit(1);
});
