import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { FINDING_TIMERS_QUERY, findingWorkflowId } from '@duban/contracts';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { demoFindingId, seedDemoHistoryIn } from '../../apps/api/src/cli/demo-history';
import { ApiHarness, startApi } from '../support/api-harness';
import { createDevServerEnv } from '../support/temporal';

interface WorkflowStatus {
  seenVersion: number;
  plan: { version: number } | null;
  fired: number;
}

/**
 * The demo history is written before the worker runs, with every timer due before then already fired. When the worker
 * starts, its forwarder starts a workflow per demo finding; each plans from the stream and must find nothing of the
 * past to fire. The dev server runs on real time, so the history is seeded as of the real now (what `npm start`
 * does) and the check is relative to it: no consequence decided at an instant before the seed.
 */
describe('the demo history under the live workflows (Temporal dev server)', () => {
  let env: TestWorkflowEnvironment;
  let h: ApiHarness;
  let worker: INestApplicationContext;
  const seededAt = new Date();

  beforeAll(async () => {
    [env, h] = await Promise.all([createDevServerEnv(), startApi(seededAt.toISOString())]);
    await seedDemoHistoryIn(h.app, seededAt);
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        appDatabaseUrl: h.db.appUrl,
        pollIntervalMs: 100,
        logLevel: 'silent',
        temporal: { address: env.address, namespace: 'default', forwarderPollMs: 50, workflowBundlePath: process.env.DUBAN_WORKFLOW_BUNDLE },
      }),
      { logger: false },
    );
    await worker.init();
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await env?.teardown();
  });

  it('every demo finding’s workflow plans from its stream and re-fires no timer the history already fired', async () => {
    for (let n = 1; n <= 10; n++) {
      const findingId = demoFindingId(n);
      const { rows } = await h.db.adminPool.query<{ version: number }>('SELECT max(version)::int AS version FROM events WHERE stream_id = $1', [
        `finding-${findingId}`,
      ]);
      const status = await until(async () => {
        const s = await env.client.workflow
          .getHandle(findingWorkflowId(findingId))
          .query<WorkflowStatus>(FINDING_TIMERS_QUERY)
          .catch(() => null);
        return s?.plan && s.plan.version >= rows[0].version ? s : null;
      });
      // Whatever a workflow fired was due after the seed (a cutoff passing while the test runs), never before it.
      const { rows: later } = await h.db.adminPool.query<{ type: string; at: string }>(
        `SELECT type, data::jsonb->>'at' AS at FROM events WHERE stream_id = $1 AND version > $2 ORDER BY version`,
        [`finding-${findingId}`, rows[0].version],
      );
      expect({ n, before: later.filter((e) => Date.parse(e.at) < seededAt.getTime()) }).toEqual({ n, before: [] });
      expect({ n, fired: status.fired }).toEqual({ n, fired: later.length });
    }
  }, 180_000);
});

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('the workflow did not plan in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}
