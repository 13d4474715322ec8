import { randomUUID } from 'node:crypto';
import { scoreAndRank, scoringFormulaForMonth } from '@duban/domain';
import { actors } from '@duban/domain/testing/fixtures';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { AccountabilityLedgerQuery, createProjections, monthlyMetrics, ProjectionRunner } from '../src';
import { catchUpFully, dumpReadModels, FindingDriver, sh } from './harness';

/**
 * 举一反三 in the read side on real PostgreSQL: the 月考评 inputs of a month under formula v2 count each unit's
 * self-checks due in the month and attested on time, a month under v1 reads exactly what it always did; the
 * self-check rows of 问责台账 are rebuilt to the same contents.
 */
describe('举一反三 completeness in the monthly score, and the self-check rows of 问责台账 (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let runner: ProjectionRunner;
  const { supervisor, officialA, officialB } = actors;
  const p = randomUUID();
  const meta = (local: string) => ({ idempotencyKey: randomUUID(), correlationId: 'test', at: sh(local) });

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    runner = new ProjectionRunner(db.appPool, createProjections());
    const write = driver.write.propagations;
    // Launched on Monday 28 December 2026, 5 workdays: 2027 has no official notice yet, so only weekends rest and
    // the tasks are due on Monday 4 January 2027 (24:00).
    const launch = { propagationId: p, campaignId: 'c1', origin: { kind: 'checklist_item' as const, categoryCode: '2.3' }, scope: 'chosen' as const, unitIds: ['town-a', 'town-c', 'dept-b'], instruction: '对照清单 2.3 自查', deadlineWorkdays: 5 };
    await write.handle({ type: 'LaunchPropagation', data: launch }, supervisor, meta('2026-12-28 10:00'));
    // town-a signs in time; dept-b signs a day late; nobody in town-c signs.
    await write.handle({ type: 'ClaimSelfCheck', propagationId: p, unitId: 'town-a', data: {} }, officialA, meta('2026-12-29 09:00'));
    await write.handle({ type: 'AttestSelfCheck', propagationId: p, unitId: 'town-a', data: { outcome: 'none_found', checked: '逐户自查', evidence: [] } }, officialA, meta('2027-01-04 16:00'));
    await write.handle({ type: 'ClaimSelfCheck', propagationId: p, unitId: 'dept-b', data: {} }, officialB, meta('2026-12-29 09:00'));
    for (const unit of ['town-c', 'dept-b']) {
      const plan = await driver.write.selfCheckTimers.plan(p, unit);
      await driver.write.selfCheckTimers.fire(p, unit, plan.timers[0], 'test');
    }
    await write.handle({ type: 'AttestSelfCheck', propagationId: p, unitId: 'dept-b', data: { outcome: 'none_found', checked: '全面排查', evidence: [] } }, officialB, meta('2027-01-05 10:00'));
    await catchUpFully(runner, db.appPool);
  }, 120_000);
  afterAll(async () => db?.drop());

  it('a month under v2 counts each unit\'s self-checks due in it and attested on time; the score follows', async () => {
    expect(scoringFormulaForMonth('2027-01').version).toBe('v2');
    const january = await monthlyMetrics(db.appPool, 'c1', '2027-01', sh('2027-02-01 09:00'));
    const counts = Object.fromEntries(january.value.map((u) => [u.unitId, [u.selfChecksDue, u.selfChecksAttestedOnTime]]));
    expect(counts).toEqual({ 'town-a': [1, 1], 'town-c': [1, 0], 'dept-b': [1, 0], 'dept-d': [0, 0] });
    const scored = scoreAndRank(january.value, scoringFormulaForMonth('2027-01'));
    expect(scored.map((u) => [u.unitId, u.ranked, u.selfCheckCompleteness, u.score])).toEqual([
      ['town-a', true, 1, 100],
      // Each unsigned (or late) task also climbed to the notice rung only: no interview fell in January yet.
      ['dept-b', true, 0, 90],
      ['town-c', true, 0, 90],
      ['dept-d', false, null, 100],
    ]);
  });

  it('a month under v1 reads exactly the inputs it always had: no self-check counts', async () => {
    const december = await monthlyMetrics(db.appPool, 'c1', '2026-12', sh('2027-01-04 09:00'));
    expect(scoringFormulaForMonth('2026-12').version).toBe('v1');
    for (const u of december.value) expect(Object.keys(u)).not.toContain('selfChecksDue');
  });

  it('问责台账 lists the missing attestations and their notice rung against the unit or the claimant', async () => {
    const page = await new AccountabilityLedgerQuery(db.appPool).list({ propagationId: p });
    expect(page.items.map((i) => [i.unitId, i.kind, i.level, i.person?.id ?? null, i.step]).sort()).toEqual(
      [
        ['dept-b', 'escalation', 'notice', officialB.userId, 'SelfCheckClaimed'],
        ['dept-b', 'self_check_overdue', null, officialB.userId, 'SelfCheckClaimed'],
        ['town-c', 'escalation', 'notice', null, 'SelfCheckRequested'],
        ['town-c', 'self_check_overdue', null, null, 'SelfCheckRequested'],
      ].sort(),
    );
    expect(page.items.every((i) => i.subject === 'self_check' && i.findingId === null && i.propagationId === p)).toBe(true);
  });

  it('rebuilt from zero, the read models hold the same contents; applied twice, nothing changes', async () => {
    const before = await dumpReadModels(db.appPool);
    expect(before.self_check_accountability_v1).toHaveLength(4);
    await runner.rebuild('self_check_accountability');
    await runner.rebuild('propagation');
    await catchUpFully(runner, db.appPool);
    expect(await dumpReadModels(db.appPool)).toEqual(before);
  });
});
