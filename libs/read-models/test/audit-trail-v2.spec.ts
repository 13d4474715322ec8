import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { actors } from '@duban/domain/testing/fixtures';
import { AuditEntry, AuditTrailQuery, createProjections, DispatchNoticeQuery, ProjectionRunner } from '../src';
import { catchUpFully, dumpReadModels, FindingDriver, sh } from './harness';

const UNIT_NAMES: Record<string, string> = { 'town-a': '宁平镇', 'dept-b': '县住建局', 'team-1': '第一督查组', office: '县巩固办' };

const record = (findingId: string, description = '住房安全鉴定后未落实改造') => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode: '2.3',
  severity: 'yellow' as const,
  townUnitId: 'town-a',
  village: '张庄村',
  household: '张某某',
  description,
  evidence: ['photo-1'],
});

const changesOf = (e: AuditEntry | undefined) => (e?.changes ?? []).map((c) => [c.field, c.before, c.after]);

describe('audit trail v2 (what changed, attribution) and dispatch notices (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let runner: ProjectionRunner;
  const { inspector, supervisor, supervisor2, officialA, officialB } = actors;

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    runner = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => UNIT_NAMES[id] }));
    // f1: recorded → dispatched (1号) → amended → claimed → extension granted → missed report → overdue → notice
    // → interview → acknowledged → reassigned (2号, the campaign's next number) → claimed by B.
    await driver.exec('f1', 'RecordFinding', record('f1'), inspector, sh('2026-10-12 09:00')); // v1
    await driver.exec('f1', 'DispatchFinding', { unitId: 'town-a', note: '限期整改' }, supervisor, sh('2026-10-12 15:00')); // v2
    await driver.exec('f1', 'AmendFinding', { severity: 'red', description: '住房为C级危房，未纳入改造', reason: '复核后升级' }, supervisor, sh('2026-10-12 16:00')); // v3
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00')); // v4
    await driver.exec('f1', 'RequestExtension', { workdays: 2, reason: '雨天停工' }, officialA, sh('2026-10-13 10:00')); // v5
    await driver.exec('f1', 'GrantExtension', { reason: '同意' }, supervisor2, sh('2026-10-13 11:00')); // v6
    await driver.fire('f1', 'daily_report'); // v7 DailyReportMissed, attributed to officialA
    await driver.fire('f1', 'deadline'); // v8 FindingOverdue, v9 FindingEscalated(notice)
    await driver.fire('f1', 'escalation'); // v10 interview
    await driver.exec('f1', 'AcknowledgeEscalation', { level: 'interview', note: '已约谈' }, supervisor2, sh('2026-11-10 10:00')); // v11
    await driver.exec('f1', 'ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责' }, supervisor, sh('2026-11-10 11:00')); // v12
    await driver.exec('f1', 'ClaimFinding', {}, officialB, sh('2026-11-11 09:00')); // v13

    // f2 and f3: one notice number carrying two findings (a batch); f3's description tries to inject markup.
    await driver.exec('f2', 'RecordFinding', record('f2', '饮水不安全'), inspector, sh('2026-10-12 09:30'));
    await driver.exec('f3', 'RecordFinding', record('f3', '<script>alert(1)</script>'), inspector, sh('2026-10-12 09:40'));
    await driver.dispatchBatch(['f2', 'f3'], { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:10'));
    await catchUpFully(runner, db.adminPool);
  });
  afterAll(async () => db.drop());

  it('records, for every event, the signer (name, unit, role), time, reason and what changed', async () => {
    const trail = await new AuditTrailQuery(db.appPool).forFinding('f1');
    expect(trail.map((t) => t.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const v = (n: number) => trail.find((t) => t.version === n);
    expect(v(2)).toMatchObject({
      eventType: 'FindingDispatched',
      signer: { id: supervisor.userId, name: supervisor.name, unitId: 'office', unitName: '县巩固办', role: 'supervisor' },
      at: new Date(sh('2026-10-12 15:00')).toISOString(),
    });
    expect(changesOf(v(2))).toEqual([
      ['status', '已登记', '已交办'],
      ['unit', null, '宁平镇'],
      ['noticeNo', null, '郸巩督〔2026〕1号'],
      ['dueDate', null, expect.stringMatching(/^2026-10-\d\d$/)],
    ]);
    expect(v(2)!.changes[0]).toMatchObject({ label: '状态', beforeCode: 'Recorded', afterCode: 'Dispatched' });
    expect(v(3)).toMatchObject({ eventType: 'FindingAmended', reason: '复核后升级' });
    expect(changesOf(v(3))).toEqual([
      ['description', '住房安全鉴定后未落实改造', '住房为C级危房，未纳入改造'],
      ['severity', '黄色', '红色'],
    ]);
    expect(changesOf(v(4))).toEqual([
      ['status', '已交办', '整改中'],
      ['owner', null, officialA.name],
    ]);
    expect(changesOf(v(5))).toEqual([['extensionRequest', null, '2 个工作日：雨天停工']]);
    const granted = v(6)!;
    const dueBefore = granted.changes.find((c) => c.field === 'dueDate')!;
    expect(dueBefore.before).not.toBe(dueBefore.after);
    expect(dueBefore).toMatchObject({ label: '整改期限' });
    expect(changesOf(v(8))).toEqual([['overdue', '否', '是']]);
    expect(changesOf(v(9))).toEqual([['escalationLevel', null, '通报']]);
    expect(changesOf(v(10))).toEqual([['escalationLevel', '通报', '约谈']]);
    expect(changesOf(v(11))).toEqual([['acknowledgement', '约谈（建议，待确认）', '已确认约谈：已约谈']]);
    expect(changesOf(v(12))).toEqual([
      ['status', '整改中', '已交办'],
      ['unit', '宁平镇', '县住建局'],
      ['owner', officialA.name, null],
      ['noticeNo', '郸巩督〔2026〕1号', '郸巩督〔2026〕2号'],
      ['dueDate', expect.any(String), expect.any(String)],
      ['escalationLevel', '约谈', null],
      ['overdue', '是', '否'],
    ]);
    expect(v(12)!.changes.find((c) => c.field === 'unit')).toMatchObject({ beforeCode: 'town-a', afterCode: 'dept-b' });
    expect(changesOf(v(13))).toEqual([
      ['status', '已交办', '整改中'],
      ['owner', null, officialB.name],
    ]);
    // Consequences name whom they are attributed to.
    expect(v(7)).toMatchObject({ eventType: 'DailyReportMissed', attributedTo: { person: { id: officialA.userId }, unitId: 'town-a', unitName: '宁平镇' } });
    expect(v(2)!.attributedTo).toBeNull();
  });

  it("a person's view lists what they signed and what is attributed to them, marked as such", async () => {
    const page = await new AuditTrailQuery(db.appPool).forSigner(officialA.userId, { pageSize: 200 });
    const signed = page.items.filter((i) => i.relation.includes('signed')).map((i) => i.eventType);
    const attributed = page.items.filter((i) => i.relation.includes('attributed')).map((i) => i.eventType);
    expect(signed).toEqual(['FindingClaimed', 'ExtensionRequested']);
    expect(attributed).toEqual(['DailyReportMissed', 'FindingOverdue', 'FindingEscalated', 'FindingEscalated', 'EscalationAcknowledged']);
    expect(page.total).toBe(7);
    // Oldest first, in log order (positions compared as numbers, not text: '10' after '4').
    expect(page.items.map((i) => i.version)).toEqual([4, 5, 7, 8, 9, 10, 11]);
    expect(page.items.find((i) => i.eventType === 'DailyReportMissed')).toMatchObject({ relationLabel: '记在本人名下（后果归责）', signer: { id: 'system' } });
    expect(page.items.find((i) => i.eventType === 'FindingClaimed')).toMatchObject({ relationLabel: '本人签字' });
  });

  it('dispatch notices: one row per notice × finding, as issued; a batch; the current notice of a finding', async () => {
    const q = new DispatchNoticeQuery(db.appPool);
    const first = await q.get('郸巩督〔2026〕1号');
    expect(first).toMatchObject({
      noticeNo: '郸巩督〔2026〕1号',
      campaignId: 'c1',
      signer: { id: supervisor.userId, name: supervisor.name, unitId: 'office', unitName: '县巩固办' },
      items: [
        {
          findingId: 'f1',
          kind: 'dispatch',
          unitId: 'town-a',
          unitName: '宁平镇',
          note: '限期整改',
          severity: 'yellow', // as issued; the later amendment only marks it
          description: '住房安全鉴定后未落实改造',
          townUnitName: '宁平镇',
          village: '张庄村',
          household: '张某某',
          amendedAfterIssue: true,
        },
      ],
    });
    const reassigned = await q.get('郸巩督〔2026〕2号');
    expect(reassigned?.items[0]).toMatchObject({
      kind: 'reassignment',
      unitId: 'dept-b',
      unitName: '县住建局',
      fromUnitId: 'town-a',
      fromUnitName: '宁平镇',
      reason: '属行业部门职责',
      severity: 'red', // the amendment came before this notice
      description: '住房为C级危房，未纳入改造',
      amendedAfterIssue: false,
    });
    expect(await q.currentOf('f1')).toEqual({ noticeNo: '郸巩督〔2026〕2号', unitId: 'dept-b' });
    expect(await q.currentOf('nope')).toBeNull();
    const batch = await q.get('郸巩督〔2026〕3号');
    expect(batch?.items.map((i) => i.findingId)).toEqual(['f2', 'f3']);
    expect(batch?.items[1].description).toBe('<script>alert(1)</script>'); // stored as written; the HTML escapes it
    expect(await q.get('郸巩督〔2026〕3号', { unitId: 'dept-b' })).toBeNull();
    expect(await q.get('郸巩督〔2026〕99号')).toBeNull();
  });

  it('is idempotent on replay (from the start and from the middle) and identical after a rebuild', async () => {
    const before = await dumpReadModels(db.adminPool);
    expect(before.audit_trail_v2.length).toBeGreaterThanOrEqual(17);
    expect(before.dispatch_notices_v1).toHaveLength(4);
    await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = '0', position = 0 WHERE name LIKE 'projection:%'`);
    await catchUpFully(runner, db.adminPool, 3);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);

    const mid = await db.adminPool.query(
      `SELECT transaction_id::text AS t, position::text AS p FROM events WHERE stream_id = 'finding-f1' AND version = 3`,
    );
    await db.adminPool.query(
      `UPDATE subscription_checkpoints SET transaction_id = $1::text::xid8, position = $2 WHERE name LIKE 'projection:%'`,
      [mid.rows[0].t, mid.rows[0].p],
    );
    await catchUpFully(runner, db.adminPool, 1);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);

    expect(await runner.rebuild('audit_trail', 2)).toBeGreaterThan(0);
    expect(await runner.rebuild('dispatch_notices', 5)).toBeGreaterThan(0);
    await catchUpFully(runner, db.adminPool);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);
  });
});
