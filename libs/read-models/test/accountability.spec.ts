import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { actors } from '@duban/domain/testing/fixtures';
import {
  AccountabilityEntry,
  AccountabilityLedgerQuery,
  AuditTrailQuery,
  createProjections,
  ProjectionRunner,
} from '../src';
import { catchUpFully, dumpReadModels, FindingDriver, sh } from './harness';

const UNIT_NAMES: Record<string, string> = { 'town-a': '宁平镇', 'dept-b': '县住建局', 'team-1': '第一督查组', office: '县巩固办' };
const utc = (local: string) => new Date(sh(local)).toISOString();

const record = (findingId: string, severity: 'red' | 'yellow' | 'blue' = 'red') => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode: '2.3',
  severity,
  townUnitId: 'town-a',
  village: '张庄村',
  household: '张某某',
  description: '住房安全鉴定后未落实改造',
  evidence: ['photo-1'],
});

/** The fields that say who answers for a row, for compact expectations. */
const who = (r: AccountabilityEntry) => ({
  v: r.streamVersion,
  kind: r.kind,
  level: r.level,
  person: r.person?.id ?? null,
  unit: r.unitId,
  step: r.step,
  stepSignedAt: r.stepSignedAt,
});

describe('accountability ledger (问责台账) projection and query (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let runner: ProjectionRunner;
  let q: AccountabilityLedgerQuery;
  const { inspector, supervisor, supervisor2, officialA, officialA2, officialB } = actors;

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    runner = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => UNIT_NAMES[id] }));
    q = new AccountabilityLedgerQuery(db.appPool);

    // f1: claim → missed report → overdue (notice) → interview → acknowledged → amended → reassigned → unclaimed
    // past the SLA → the new owner claims and misses a report → submits → verification late → closed → reopened.
    await driver.exec('f1', 'RecordFinding', record('f1'), inspector, sh('2026-10-12 09:00'));
    await driver.exec('f1', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.fire('f1', 'daily_report'); // v4: 10-14 17:30, nothing reported
    await driver.exec('f1', 'ReportProgress', { summary: '已完成鉴定', evidence: [] }, officialA, sh('2026-10-15 10:00'));
    await driver.fire('f1', 'deadline'); // v6 FindingOverdue + v7 FindingEscalated(notice), 10-15 24:00
    await driver.fire('f1', 'escalation'); // v8 interview
    await driver.exec('f1', 'AcknowledgeEscalation', { level: 'interview', note: '已约谈赵镇长' }, supervisor2, sh('2026-10-21 10:00'));
    await driver.exec('f1', 'AmendFinding', { categoryCode: '2.4', reason: '类别更正' }, supervisor, sh('2026-10-21 10:30'));
    await driver.exec('f1', 'ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责' }, supervisor, sh('2026-10-21 11:00'));
    await driver.fire('f1', 'claim_sla'); // v12: nobody in dept-b has signed yet
    await driver.exec('f1', 'ClaimFinding', {}, officialB, sh('2026-10-23 09:00'));
    await driver.fire('f1', 'daily_report'); // v14: officialB's first workday, 10-26
    await driver.exec('f1', 'SubmitRectification', { summary: '改造完成', evidence: ['done-1'] }, officialB, sh('2026-10-26 18:00'));
    await driver.fire('f1', 'verification_sla'); // v16
    await driver.exec('f1', 'VerifyRectification', { note: '同意销号' }, supervisor2, sh('2026-10-30 10:00'));
    await driver.exec('f1', 'ReopenFinding', { reason: '回头看发现反弹' }, supervisor, sh('2026-11-02 09:00')); // v18

    // f2: never dispatched: the recorder's step answers.
    await driver.exec('f2', 'RecordFinding', record('f2', 'yellow'), inspector, sh('2026-10-12 09:30'));
    await driver.fire('f2', 'dispatch_sla');

    // f3: the whole ladder; only the referral (问责) is acknowledged.
    await driver.exec('f3', 'RecordFinding', record('f3'), inspector, sh('2026-10-12 10:00'));
    await driver.exec('f3', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f3', 'ClaimFinding', {}, officialA2, sh('2026-10-13 09:30'));
    await driver.fire('f3', 'deadline');
    await driver.fire('f3', 'escalation');
    await driver.fire('f3', 'escalation');
    await driver.exec('f3', 'AcknowledgeEscalation', { level: 'accountability' }, supervisor, sh('2026-10-28 09:00'));

    // f4: closed, then the look-back falls due: a fact for the trail, no one's fault.
    await driver.exec('f4', 'RecordFinding', record('f4'), inspector, sh('2026-10-12 11:00'));
    await driver.exec('f4', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f4', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.exec('f4', 'SubmitRectification', { summary: '完成', evidence: ['x'] }, officialA, sh('2026-10-13 16:00'));
    await driver.exec('f4', 'VerifyRectification', {}, supervisor, sh('2026-10-14 10:00'));
    await driver.fire('f4', 'look_back');

    await catchUpFully(runner, db.adminPool, 5);
  });
  afterAll(async () => db.drop());

  it('attributes every consequence of f1 to whoever held the signed step at the time', async () => {
    const page = await q.list({ findingId: 'f1' });
    // Newest first.
    expect(page.items.map(who).reverse()).toEqual([
      { v: 4, kind: 'missed_report', level: null, person: officialA.userId, unit: 'town-a', step: 'FindingClaimed', stepSignedAt: utc('2026-10-13 09:00') },
      { v: 6, kind: 'overdue', level: null, person: officialA.userId, unit: 'town-a', step: 'FindingClaimed', stepSignedAt: utc('2026-10-13 09:00') },
      { v: 7, kind: 'escalation', level: 'notice', person: officialA.userId, unit: 'town-a', step: 'FindingClaimed', stepSignedAt: utc('2026-10-13 09:00') },
      { v: 8, kind: 'escalation', level: 'interview', person: officialA.userId, unit: 'town-a', step: 'FindingClaimed', stepSignedAt: utc('2026-10-13 09:00') },
      // Reassigned, not yet claimed: the unit answers, on the reassignment the supervisor signed.
      { v: 12, kind: 'claim_overdue', level: null, person: null, unit: 'dept-b', step: 'FindingReassigned', stepSignedAt: utc('2026-10-21 11:00') },
      { v: 14, kind: 'missed_report', level: null, person: officialB.userId, unit: 'dept-b', step: 'FindingClaimed', stepSignedAt: utc('2026-10-23 09:00') },
      // Verification is the supervision office's step: the supervisor who sent it to dept-b answers.
      { v: 16, kind: 'verification_overdue', level: null, person: supervisor.userId, unit: 'office', step: 'FindingReassigned', stepSignedAt: utc('2026-10-21 11:00') },
      // 谁整改谁签字谁清零: the reopen is the fix's signer's.
      { v: 18, kind: 'reopen', level: null, person: officialB.userId, unit: 'dept-b', step: 'RectificationSubmitted', stepSignedAt: utc('2026-10-26 18:00') },
    ]);
    expect(page.total).toBe(8);
    const byV = new Map(page.items.map((r) => [r.streamVersion, r]));
    expect(byV.get(4)).toMatchObject({
      eventType: 'DailyReportMissed',
      campaignId: 'c1',
      noticeNo: '郸巩督〔2026〕1号',
      categoryCode: '2.3',
      severity: 'red',
      person: { id: officialA.userId, name: officialA.name, role: 'unit_official' },
      occurredAt: utc('2026-10-14 17:30'),
      workday: '2026-10-14',
      dueAt: utc('2026-10-14 17:30'),
      signedBy: { id: 'system', name: '督办系统' },
      detail: '未按时报送 2026-10-14 整改进展（截止 2026-10-14 17:30）',
      acknowledgement: null,
    });
    expect(byV.get(6)).toMatchObject({ dueDate: '2026-10-15', occurredAt: utc('2026-10-16 00:00'), detail: '问题逾期未完成整改（期限 2026-10-15）' });
    expect(byV.get(7)).toMatchObject({ dueDate: '2026-10-15', nextLevel: 'interview', nextDueDate: '2026-10-20', acknowledgement: null });
    expect(byV.get(8)).toMatchObject({
      dueDate: '2026-10-15',
      occurredAt: utc('2026-10-21 00:00'),
      nextLevel: 'accountability',
      detail: expect.stringContaining('升级：约谈（建议'),
      acknowledgement: { by: { id: supervisor2.userId, name: supervisor2.name }, at: utc('2026-10-21 10:00'), note: '已约谈赵镇长' },
    });
    // Filed under the finding as it stood then: the amendment and the new notice apply from then on only.
    expect(byV.get(12)).toMatchObject({ noticeNo: '郸巩督〔2026〕2号', categoryCode: '2.4', detail: '交办后逾期未认领（期限 2026-10-22）' });
    expect(byV.get(8)).toMatchObject({ noticeNo: '郸巩督〔2026〕1号', categoryCode: '2.3' });
    expect(byV.get(14)).toMatchObject({ workday: '2026-10-26', person: { name: officialB.name } });
    expect(byV.get(16)).toMatchObject({ dueAt: utc('2026-10-30 00:00'), detail: '整改完成后逾期未验收（期限 2026-10-29）' });
    expect(byV.get(18)).toMatchObject({
      eventType: 'FindingReopened',
      signedBy: { id: supervisor.userId },
      reason: '回头看发现反弹',
      occurredAt: utc('2026-11-02 09:00'),
      detail: expect.stringContaining('回头看重新打开：回头看发现反弹'),
    });
  });

  it('an acknowledgement completes the matching rung only; the look-back and the other events add no rows', async () => {
    const f3 = (await q.list({ findingId: 'f3', kind: 'escalation' })).items;
    expect(f3.map((r) => [r.level, r.person?.id, r.acknowledgement?.by?.id ?? null])).toEqual([
      ['accountability', officialA2.userId, supervisor.userId],
      ['interview', officialA2.userId, null],
      ['notice', officialA2.userId, null],
    ]);
    expect((await q.list({ findingId: 'f4' })).total).toBe(0);
    const f2 = (await q.list({ findingId: 'f2' })).items;
    expect(f2.map(who)).toEqual([
      { v: 2, kind: 'dispatch_overdue', level: null, person: inspector.userId, unit: 'team-1', step: 'FindingRecorded', stepSignedAt: utc('2026-10-12 09:30') },
    ]);
    expect(f2[0]).toMatchObject({ severity: 'yellow', noticeNo: null, detail: '登记后逾期未交办（期限 2026-10-13）' });
  });

  it('filters by unit, person, kind, level, campaign and dates; a scope cannot be widened by a filter', async () => {
    const ids = async (f: Parameters<AccountabilityLedgerQuery['list']>[0], scope = {}) =>
      (await q.list(f, scope)).items.map((r) => `${r.findingId}@${r.streamVersion}`);
    expect(await ids({ unitId: 'dept-b' })).toEqual(['f1@18', 'f1@14', 'f1@12']);
    expect(await ids({ userId: officialB.userId })).toEqual(['f1@18', 'f1@14']);
    expect(await ids({ kind: 'missed_report' })).toEqual(['f1@14', 'f1@4']);
    // Same instant: the finding id breaks the tie.
    expect(await ids({ level: 'interview' })).toEqual(['f3@6', 'f1@8']);
    expect(await ids({ kind: 'escalation', userId: officialA.userId })).toEqual(['f1@8', 'f1@7']);
    expect((await q.list({ campaignId: 'c1' })).total).toBe(13);
    expect((await q.list({ campaignId: 'other' })).total).toBe(0);
    // Dates are Asia/Shanghai calendar days, both ends inclusive.
    expect(await ids({ from: '2026-10-14', to: '2026-10-14' })).toEqual(['f1@4', 'f2@2']);
    expect(await ids({ from: '2026-10-30' })).toEqual(['f1@18', 'f1@16']);
    // A unit official's scope: their unit only, whatever the filter says.
    expect(await ids({}, { unitId: 'dept-b' })).toEqual(['f1@18', 'f1@14', 'f1@12']);
    expect(await ids({ unitId: 'town-a' }, { unitId: 'dept-b' })).toEqual([]);
    // Paging, newest first.
    const p2 = await q.list({ pageSize: 4, page: 2 });
    expect(p2).toMatchObject({ page: 2, pageSize: 4, total: 13 });
    expect(p2.items).toHaveLength(4);
  });

  it('totals per person and per unit, by kind, for the same filters', async () => {
    const t = (await q.list({ pageSize: 1 })).totals;
    expect(t.total).toBe(13);
    expect(t.byKind).toEqual({
      dispatch_overdue: 1,
      claim_overdue: 1,
      missed_report: 2,
      overdue: 2,
      escalation: 5,
      verification_overdue: 1,
      reopen: 1,
      self_check_overdue: 0,
    });
    expect(t.byLevel).toEqual({ notice: 2, interview: 2, accountability: 1 });
    expect(t.byPerson.map((p) => [p.person.id, p.unitId, p.total])).toEqual([
      [officialA.userId, 'town-a', 4],
      [officialA2.userId, 'town-a', 4],
      [officialB.userId, 'dept-b', 2],
      [inspector.userId, 'team-1', 1],
      [supervisor.userId, 'office', 1],
    ]);
    expect(t.byPerson[0]).toMatchObject({ person: { name: officialA.name }, byKind: { missed_report: 1, overdue: 1, escalation: 2 }, byLevel: { notice: 1, interview: 1, accountability: 0 } });
    // The unclaimed dispatch counts for dept-b, not for any person.
    expect(t.byUnit.map((u) => [u.unitId, u.total])).toEqual([
      ['town-a', 8],
      ['dept-b', 3],
      ['office', 1],
      ['team-1', 1],
    ]);
    expect(t.byUnit[1].byKind).toMatchObject({ claim_overdue: 1, missed_report: 1, reopen: 1 });
    expect(t.truncated).toBe(false);
    const scoped = await q.totals({ kind: 'missed_report' }, { unitId: 'town-a' });
    expect(scoped).toMatchObject({ total: 1, byUnit: [{ unitId: 'town-a', total: 1 }], byPerson: [{ person: { id: officialA.userId }, total: 1 }] });
  });

  it('audit trail: a Chinese summary for every new event naming who answers for it', async () => {
    const trail = new AuditTrailQuery(db.appPool);
    const f1 = await trail.forFinding('f1');
    const summary = (v: number) => f1.find((t) => t.version === v)!.summary;
    expect(summary(4)).toBe('未按时报送 2026-10-14 整改进展，责任人 赵镇长（宁平镇）');
    expect(summary(6)).toBe('问题逾期（期限 2026-10-15），责任人 赵镇长（宁平镇）');
    expect(summary(7)).toBe('升级：通报，整改期限 2026-10-15，责任人 赵镇长（宁平镇）；2026-10-20 后约谈');
    expect(summary(8)).toBe('升级：约谈（建议），整改期限 2026-10-15，责任人 赵镇长（宁平镇）；2026-10-27 后问责');
    expect(summary(9)).toBe('确认约谈（整改期限 2026-10-15），责任人 赵镇长（宁平镇）：已约谈赵镇长');
    expect(summary(12)).toBe('逾期未认领（期限 2026-10-22），责任单位 县住建局（尚无人签字认领）');
    expect(summary(16)).toBe('验收超期（期限 2026-10-29），责任人 李组长（县巩固办）');
    expect(f1.find((t) => t.version === 4)).toMatchObject({ eventType: 'DailyReportMissed', signer: { id: 'system', role: 'system' } });
    expect((await trail.forFinding('f2'))[1].summary).toBe('逾期未交办（期限 2026-10-13），责任人 张督查（第一督查组）');
    const lookBack = (await trail.forFinding('f4')).find((t) => t.eventType === 'LookBackDue')!;
    expect(lookBack.summary).toBe('回头看到期（2026-10-14 销号），整改责任人 赵镇长，验收人 李组长');
  });

  it('is idempotent on replay (from the start and from the middle) and identical after a rebuild', async () => {
    const before = await dumpReadModels(db.adminPool);
    expect(before.accountability_ledger_v1).toHaveLength(13);
    await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = '0', position = 0 WHERE name LIKE 'projection:%'`);
    await catchUpFully(runner, db.adminPool, 3);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);

    // Back to just before f1's acknowledgement: replaying it must not acknowledge another rung.
    const mid = await db.adminPool.query(
      `SELECT transaction_id::text AS t, position::text AS p FROM events
        WHERE stream_id = 'finding-f1' AND version = 7`,
    );
    await db.adminPool.query(
      `UPDATE subscription_checkpoints SET transaction_id = $1::text::xid8, position = $2 WHERE name LIKE 'projection:%'`,
      [mid.rows[0].t, mid.rows[0].p],
    );
    await catchUpFully(runner, db.adminPool, 1);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);

    expect(await runner.rebuild('accountability_ledger', 2)).toBeGreaterThan(0);
    expect(await runner.rebuild('audit_trail', 7)).toBeGreaterThan(0);
    await catchUpFully(runner, db.adminPool);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);
  });
});
