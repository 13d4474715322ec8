import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findingWorkflowId } from '@duban/contracts';
import { DEFAULT_APP_PASSWORD, MerkleLogReader, migrate, type PollingLoopState, withDatabase } from '@duban/event-store';
import { ProjectionRunner } from '@duban/read-models';
import { freePort } from '../../infra/postgres/embedded';
import { MerkleSealerLifecycle } from '../../apps/worker/src/integrity/merkle-sealer.lifecycle';
import { TemporalLifecycle } from '../../apps/worker/src/temporal/temporal.lifecycle';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { findingBody } from '../support/api-fixtures';
import { ApiHarness, startApi } from '../support/api-harness';
import { createTestDatabase } from '../support/test-database';
import { startPostgresProcess, type PostgresProcess } from '../support/postgres-process';
import { createDevServerEnv } from '../support/temporal';

const TEMPLATE = 'duban_restart_template';

/** Polls a condition (never a fixed sleep); fails naming what it waited for. */
async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A PostgreSQL server of this file's own (the shared one serves the other test files) is stopped — a fast shutdown,
 * as Ctrl-C or a restart does: every backend ends with 57P01 — and started again on the same data, under a running
 * API and a running worker (projections, forwarder, cadence schedules, log sealer) on a Temporal dev server. Before
 * the fix, a pooled client that lost its backend raised an unhandled 'error' event and the process died; requests
 * during the outage were 500s.
 */
describe('a PostgreSQL restart under a running API and worker', () => {
  const dataDir = mkdtempSync(join(__dirname, '..', '..', '.duban', 'restart-pg-'));
  let port: number;
  let server: PostgresProcess | null = null;
  let env: TestWorkflowEnvironment;
  let h: ApiHarness;
  let worker: INestApplicationContext;
  const savedKey = process.env.DUBAN_LOG_SIGNING_KEY;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const record = () => h.http().post('/findings').set(as('insp-1')).set('Idempotency-Key', randomUUID()).send(findingBody());
  const startServer = async () => {
    server = await startPostgresProcess(dataDir, port);
  };
  const loops = (): PollingLoopState[] =>
    [
      worker.get(ProjectionRunner).loopState,
      worker.get(MerkleSealerLifecycle).loopState,
      ...worker.get(TemporalLifecycle).loopStates,
    ].filter((s): s is PollingLoopState => !!s);

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    port = await freePort();
    process.env.DUBAN_LOG_SIGNING_KEY = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    // Both settle before anything can fail, so afterAll tears down whatever did start.
    const started = await Promise.allSettled([createDevServerEnv().then((e) => (env = e)), startServer()]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    const admin = new Client({ connectionString: server!.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    await migrate(withDatabase(server!.adminUrl, TEMPLATE), { appPassword: DEFAULT_APP_PASSWORD });
    h = await startApi('2026-11-23T02:00:00.000Z', { db: await createTestDatabase({ server: server!.adminUrl, template: TEMPLATE }) });
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        appDatabaseUrl: h.db.appUrl,
        pollIntervalMs: 50,
        logLevel: 'silent',
        temporal: {
          address: env.address,
          namespace: 'default',
          forwarderPollMs: 50,
          schedulePollMs: 100,
          workflowBundlePath: process.env.DUBAN_WORKFLOW_BUNDLE,
        },
        integrity: { sealIntervalMs: 100 },
      }),
      { logger: false },
    );
    await worker.init();
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await h?.app.close();
    await h?.db.appPool.end();
    await h?.db.adminPool.end();
    await server?.stop();
    await env?.teardown();
    rmSync(dataDir, { recursive: true, force: true });
    if (savedKey === undefined) delete process.env.DUBAN_LOG_SIGNING_KEY;
    else process.env.DUBAN_LOG_SIGNING_KEY = savedKey;
  });

  it('answers 503 while the database is down, keeps every process and loop alive, and carries on once it is back', async () => {
    const before = await record();
    expect(before.status).toBe(201);
    await until('the worker to seal the first finding', async () => (await new MerkleLogReader(h.db.appPool).latestCheckpoint())?.treeSize !== undefined);

    await server!.stop();
    server = null;

    const read = await h.http().get('/findings').set(as('jw-1'));
    expect(read.status).toBe(503);
    expect(read.body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(read.body.message).toMatch(/^数据库.*\(DATABASE_UNAVAILABLE\)$/);
    const write = await record();
    expect(write.status).toBe(503);
    expect(write.body.code).toBe('DATABASE_UNAVAILABLE');

    // Every polling loop of the worker met the outage and is still scheduled.
    await until('every worker loop to fail at least once', () => loops().length === 4 && loops().every((l) => l.consecutiveFailures > 0));
    expect(loops().every((l) => l.running)).toBe(true);

    await startServer();

    // The first request after the restart may still meet a connection the pool had not yet seen die: it is a 503,
    // never a 500, and the next one gets a fresh connection.
    let after = await record();
    if (after.status === 503) after = await record();
    expect(after.status).toBe(201);
    const findingId = after.body.findingId as string;

    await until('every worker loop to recover', () => loops().every((l) => l.consecutiveFailures === 0 && l.running));
    // The worker's projections, forwarder and sealer all reach the finding recorded after the restart.
    await until('the ledger row of the new finding', async () => (await h.http().get(`/findings/${findingId}`).set(as('jw-1'))).status === 200);
    await until('the new finding’s workflow', async () =>
      env.client.workflow
        .getHandle(findingWorkflowId(findingId))
        .describe()
        .then(() => true, () => false),
    );
    const events = await h.eventCount();
    await until('the log to seal every event', async () => (await new MerkleLogReader(h.db.appPool).latestCheckpoint())?.treeSize === events);
  }, 180_000);
});
