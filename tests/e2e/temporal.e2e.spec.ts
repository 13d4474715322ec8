import { randomUUID } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { findingWorkflowId } from '@duban/contracts';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { ApiHarness, startApi } from '../support/api-harness';
import { createDevServerEnv } from '../support/temporal';

/**
 * The whole chain on a real Temporal dev server: an API command appends an event, the worker's forwarder signals the
 * finding's workflow, its timer fires a system command through the write path, and the accountability ledger shows
 * the consequence against the right person. The dev server runs on real time, so the API's clock is fixed in the past
 * (Monday 2026-11-02, inside the demo campaign): every deadline the dispatch sets, the last rung on 2026-11-17, is
 * already past on any day this runs, and the timers fire at once. A fixed past date only gets further behind.
 */
describe('deadlines end to end: API → log → forwarder → workflow → timer → ledger (Temporal dev server)', () => {
  let env: TestWorkflowEnvironment;
  let h: ApiHarness;
  let worker: INestApplicationContext;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', randomUUID()).send(body);

  beforeAll(async () => {
    [env, h] = await Promise.all([createDevServerEnv(), startApi('2026-11-02T02:00:00.000Z')]); // Monday 10:00
    worker = await NestFactory.createApplicationContext(
      WorkerModule.forRoot({
        appDatabaseUrl: h.db.appUrl,
        pollIntervalMs: 100,
        logLevel: 'silent',
        temporal: {
          address: env.address,
          namespace: 'default',
          forwarderPollMs: 50,
          workflowBundlePath: process.env.DUBAN_WORKFLOW_BUNDLE,
        },
      }),
      { logger: false },
    );
    await worker.init();
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await h?.close();
    await env?.teardown();
  });

  it('a claimed finding whose deadline passed climbs the ladder against the official who claimed it', async () => {
    const rec = await post('insp-1', '/findings', {
      campaignId: 'campaign-2026-q4',
      source: 'household_inspection',
      categoryCode: '2.3',
      severity: 'red',
      townUnitId: 'town-01',
      village: '张庄村',
      household: '张某某',
      description: '脱贫户住房为C级危房，未纳入改造',
      evidence: [],
    });
    expect(rec.status).toBe(201);
    const id = rec.body.findingId as string;
    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);

    // Red: due Thursday 11-05; notice at 24:00; interview at 24:00 on 11-10; accountability at 24:00 on 11-17.
    const rows = await until(async () => {
      await h.catchUp();
      const res = await h.http().get(`/ledgers/accountability?findingId=${id}&kind=escalation`).set(as('jw-1'));
      expect(res.status).toBe(200);
      return res.body.items.length === 3 ? res.body.items : null;
    });
    expect(rows.map((r: any) => [r.level, r.person?.id, r.unitId, r.step, r.occurredAt])).toEqual([
      ['accountability', 'off-town-01-a', 'town-01', 'FindingClaimed', '2026-11-17T16:00:00.000Z'],
      ['interview', 'off-town-01-a', 'town-01', 'FindingClaimed', '2026-11-10T16:00:00.000Z'],
      ['notice', 'off-town-01-a', 'town-01', 'FindingClaimed', '2026-11-05T16:00:00.000Z'],
    ]);

    // Temporal holds the workflow for this finding, and the events it caused went through the same write path.
    const description = await env.client.workflow.getHandle(findingWorkflowId(id)).describe();
    expect(description.status.name).toBe('RUNNING');
    const { rows: events } = await h.db.adminPool.query(
      `SELECT type, data::jsonb->'signedBy'->>'userId' AS signer FROM events WHERE stream_id = $1 ORDER BY version`,
      [`finding-${id}`],
    );
    expect(events.filter((e) => e.type === 'FindingEscalated').map((e) => e.signer)).toEqual(['system', 'system', 'system']);
  }, 120_000);
});

async function until<T>(probe: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error('the ledger did not show the escalations in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
