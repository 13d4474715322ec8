import fc from 'fast-check';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { createProjections, FindingLedgerQuery, ProjectionRunner } from '../src';
import { catchUpFully, dumpReadModels, FindingDriver } from './harness';
import { ALL_FINDING_EVENTS, CONSEQUENCE_EVENTS, FULL_LIFECYCLE, playSteps, step } from './command-model';

describe('projections: incremental == rebuilt from zero (property)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('holds for random command sequences over several findings, projected in random batch sizes', async () => {
    // Finding commands are generated here (the campaign stream only gets the driver's campaign and its notices): a
    // projection that never handles a finding event (campaign settings, the cadence's) would only add a transaction per
    // batch to every case. Their replays are in their own specs.
    const projections = createProjections({ unitName: (id) => ({ 'town-a': '宁平镇' })[id] }).filter(
      (p) => p.handles.includes('*') || p.handles.some((t) => ALL_FINDING_EVENTS.includes(t)),
    );
    expect(projections.map((p) => p.name)).toEqual([
      'finding_ledger', 'claim_list', 'rectification_ledger', 'audit_trail', 'accountability_ledger', 'dispatch_notices',
    ]);
    const runner = new ProjectionRunner(db.appPool, projections);
    const ledger = new FindingLedgerQuery(db.appPool);
    let run = 0;
    let appliedTotal = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 80 }), fc.integer({ min: 1, max: 50 }), async (steps, finalBatch) => {
        run += 1;
        const driver = await FindingDriver.start(db);
        const findingIds = [0, 1, 2].map((i) => `r${run}-${i}`);
        const played = await playSteps(driver, steps, findingIds, (batch) => runner.runOnce(batch));
        appliedTotal += played.applied;
        const clock = played.clock;
        await runner.catchUp(finalBatch);
        await catchUpFully(runner, db.adminPool, finalBatch);
        const incremental = await dumpReadModels(db.adminPool);

        // 问责台账: one row per consequence event, and one acknowledged rung per acknowledgement.
        for (const id of findingIds) {
          const trail = await db.adminPool.query<{ event_type: string }>(
            'SELECT event_type FROM audit_trail_v2 WHERE finding_id = $1',
            [id],
          );
          const types = trail.rows.map((r) => r.event_type);
          const consequences = types.filter((t) => CONSEQUENCE_EVENTS.includes(t)).length;
          const acks = types.filter((t) => t === 'EscalationAcknowledged').length;
          const rows = await db.adminPool.query<{ n: number; acked: number }>(
            `SELECT count(*)::int AS n, count(acknowledged_at)::int AS acked FROM accountability_ledger_v1 WHERE finding_id = $1`,
            [id],
          );
          expect(rows.rows[0]).toEqual({ n: consequences, acked: acks });
        }

        // The ledger agrees with the domain's own fold of each stream.
        for (const id of findingIds) {
          const st = driver.state(id);
          const row = await ledger.get(id, new Date(clock));
          if (st.status === 'Empty') {
            expect(row).toBeNull();
            continue;
          }
          expect(row).toMatchObject({
            state: st.status,
            unitId: st.unitId,
            owner: st.owner ? { id: st.owner.userId, name: st.owner.name, unitId: st.owner.unitId } : null,
            dueDate: st.dueDate,
            deadlineAt: st.deadlineAt,
            noticeNo: st.noticeNo,
            severity: st.severity,
            description: st.description,
            extensionPending: st.pendingExtension !== null,
          });
        }

        for (const p of projections) await runner.rebuild(p.name, 1 + (run % 97));
        await catchUpFully(runner, db.adminPool);
        expect(await dumpReadModels(db.adminPool)).toEqual(incremental);
      }),
      // A fixed number of cases, whatever the machine's speed (how long they take belongs in bench/).
      { numRuns: 12, examples: [[FULL_LIFECYCLE, 3]] },
    );
    // The generator must actually exercise the lifecycle, not just refusals.
    // (The findings' own streams: the campaign's — created by the driver, a notice per dispatch — are not generated.)
    const types = await db.adminPool.query<{ event_type: string }>('SELECT DISTINCT event_type FROM audit_trail_v2 WHERE finding_id IS NOT NULL');
    expect(types.rows.map((r) => r.event_type).sort()).toEqual([...ALL_FINDING_EVENTS].sort());
    expect(appliedTotal).toBeGreaterThan(100);
    // Generous: a slower machine takes longer over the same cases, and that is no failure.
  }, 300_000);
});
