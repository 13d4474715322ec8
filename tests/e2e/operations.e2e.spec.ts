import { randomUUID } from 'node:crypto';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { ApiHarness, startApi } from '../support/api-harness';
import { insertPoisoned, UnmendedFindingLedger, untilReadable } from '../../libs/read-models/test/poison';

/** Issue 11, item 1: a projection stopped on an event turns /health red and is named on the operator endpoint. */
describe('projection health over HTTP (/health, /operations/projections)', () => {
  let h: ApiHarness;
  const get = (userId: string | null, path: string) => {
    const r = h.http().get(path);
    return userId ? r.set('Authorization', `Bearer ${h.token(userId)}`) : r;
  };

  beforeAll(async () => {
    h = await startApi();
    await h.catchUp();
  });
  afterAll(async () => h.close());

  it('is green with every projection caught up, and reports their lag', async () => {
    const r = await get(null, '/health');
    expect(r.status).toBe(200);
    expect(r.body.info.database.status).toBe('up');
    expect(r.body.info.projections).toMatchObject({ status: 'up', lag: { finding_ledger: 0, audit_trail: 0 } });
    const ops = await get('admin-1', '/operations/projections');
    expect(ops.status).toBe(200);
    expect(ops.body.anyFailed).toBe(false);
    expect(ops.body.projections.map((p: { name: string }) => p.name)).toEqual(createProjections().map((p) => p.name));
  });

  it('turns red naming the projection, lists the event and the error for operators, and goes green after a rebuild', async () => {
    const id = randomUUID();
    await insertPoisoned(h.db, id, 'campaign-2026-q4', 'town-01');
    const unmended = [new UnmendedFindingLedger(), ...createProjections().filter((p) => p.name !== 'finding_ledger')];
    await untilReadable(h.db.adminPool);
    await new ProjectionRunner(h.db.appPool, unmended).catchUp();

    const health = await get(null, '/health');
    expect(health.status).toBe(503);
    expect(health.body.error.projections).toMatchObject({ status: 'down', failed: ['finding_ledger'], lag: { finding_ledger: 1, claim_list: 0 } });
    expect(health.body.error.projections.message).toMatch(/finding_ledger.*PROJECTION_FAILED$/);
    // Public, so the event and the error are not in it.
    expect(JSON.stringify(health.body)).not.toContain(id);

    for (const user of ['admin-1', 'sup-1', 'jw-1']) {
      const ops = await get(user, '/operations/projections');
      expect(ops.status).toBe(200);
      expect(ops.body.anyFailed).toBe(true);
      const failed = ops.body.projections.filter((p: { failed: boolean }) => p.failed);
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        name: 'finding_ledger',
        lag: 1,
        failure: {
          event: { streamId: `finding-${id}`, version: 1, type: 'FindingRecorded' },
          error: 'invalid byte sequence for encoding "UTF8": 0x00',
          attempts: 1,
        },
      });
    }
    for (const user of ['insp-1', 'off-town-01-a']) {
      const r = await get(user, '/operations/projections');
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ code: 'ROLE_REQUIRED', rule: 'ROLE_REQUIRED' });
    }
    expect((await get(null, '/operations/projections')).status).toBe(401);

    // Mended: the rebuild (what `npm run rebuild` runs) applies it and clears the failure.
    await h.runner.rebuild('finding_ledger');
    await h.catchUp();
    const green = await get(null, '/health');
    expect(green.status).toBe(200);
    expect(green.body.info.projections.lag.finding_ledger).toBe(0);
    const row = await get('sup-1', `/findings/${id}`);
    expect(row.status).toBe(200);
    expect(row.body.description).toBe('a\ufffdb');
  });
});
