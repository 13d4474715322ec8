import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import { findingStreamId } from '@duban/domain/findings';
import {
  ALL_PROJECTIONS,
  AuditTrailQuery,
  CampaignsQuery,
  ClaimListQuery,
  createProjections,
  FindingLedgerQuery,
  ProjectionRunner,
  RectificationLedgerQuery,
} from '../src';
import { catchUpFully, dumpReadModels, FindingDriver, sh } from './harness';

const UNIT_NAMES: Record<string, string> = { 'town-a': '宁平镇', 'dept-b': '县住建局' };
const now = new Date('2026-10-20T00:00:00.000Z');

const record = (findingId: string, extra: Partial<{ severity: 'red' | 'yellow' | 'blue'; categoryCode: string }> = {}) => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode: extra.categoryCode ?? '2.3',
  severity: extra.severity ?? 'yellow',
  townUnitId: 'town-a',
  village: '张庄村',
  household: '张某某',
  description: '住房安全鉴定后未落实改造',
  evidence: ['photo-1'],
});

describe('read-model projections (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    runner = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => UNIT_NAMES[id] }));

    const { inspector, supervisor, supervisor2, officialA, officialB } = actors;
    // f1: the whole lifecycle, with an extension and a rejection.
    await driver.exec('f1', 'RecordFinding', record('f1'), inspector, sh('2026-10-12 09:00'));
    await driver.exec('f1', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.exec('f1', 'SubmitRectificationPlan', { plan: '一户一策改造', measures: ['鉴定', '施工'], plannedCompletionDate: '2026-10-20' }, officialA, sh('2026-10-13 10:00'));
    await driver.exec('f1', 'ReportProgress', { summary: '已完成鉴定', percent: 30, evidence: ['p-1'] }, officialA, sh('2026-10-13 17:00'));
    await driver.exec('f1', 'ReportProgress', { summary: '施工过半', percent: 60, evidence: ['p-2'] }, officialA, sh('2026-10-14 17:00'));
    await driver.exec('f1', 'RequestExtension', { workdays: 3, reason: '材料未到' }, officialA, sh('2026-10-15 09:00'));
    await driver.exec('f1', 'GrantExtension', {}, supervisor, sh('2026-10-15 10:00'));
    await driver.exec('f1', 'SubmitRectification', { summary: '改造完成', evidence: ['done-1'] }, officialA, sh('2026-10-16 09:00'));
    await driver.exec('f1', 'RejectRectification', { reason: '佐证不全' }, supervisor2, sh('2026-10-16 15:00'));
    await driver.exec('f1', 'SubmitRectification', { summary: '补充佐证', evidence: ['done-2'] }, officialA, sh('2026-10-19 09:00'));
    await driver.exec('f1', 'VerifyRectification', { note: '同意销号' }, supervisor, sh('2026-10-19 15:00'));
    // f2: claimed by town-a, reassigned to dept-b, claimed there.
    await driver.exec('f2', 'RecordFinding', record('f2', { severity: 'red', categoryCode: '2.4' }), inspector, sh('2026-10-12 09:30'));
    await driver.exec('f2', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f2', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.exec('f2', 'ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责' }, supervisor, sh('2026-10-14 09:00'));
    await driver.exec('f2', 'ClaimFinding', {}, officialB, sh('2026-10-14 10:00'));
    // f3: annulled before dispatch.
    await driver.exec('f3', 'RecordFinding', record('f3'), inspector, sh('2026-10-12 10:00'));
    await driver.exec('f3', 'AnnulFinding', { reason: '重复登记' }, supervisor, sh('2026-10-12 11:00'));

    await catchUpFully(runner, db.adminPool, 7);
  });
  afterAll(async () => db.drop());

  it('finding ledger: state, unit, owner, deadline and the signer of every step', async () => {
    const q = new FindingLedgerQuery(db.appPool);
    const f1 = (await q.get('f1', now))!;
    const granted = driver.state('f1');
    expect(f1).toMatchObject({
      state: 'Closed',
      campaignId: 'c1',
      unitId: 'town-a',
      owner: { id: actors.officialA.userId, name: actors.officialA.name, unitId: 'town-a' },
      recordedBy: { id: actors.inspector.userId, name: actors.inspector.name },
      recordedAt: '2026-10-12T01:00:00.000Z',
      dispatchedBy: { id: actors.supervisor.userId, name: actors.supervisor.name },
      noticeNo: '郸巩督〔2026〕1号',
      claimedBy: { id: actors.officialA.userId, name: actors.officialA.name },
      claimedAt: '2026-10-13T01:00:00.000Z',
      planSubmittedAt: '2026-10-13T02:00:00.000Z',
      lastProgressAt: '2026-10-14T09:00:00.000Z',
      progressCount: 2,
      extensionPending: false,
      rectificationSignedBy: { id: actors.officialA.userId, name: actors.officialA.name },
      rectificationSignedAt: '2026-10-19T01:00:00.000Z',
      verifiedBy: { id: actors.supervisor.userId, name: actors.supervisor.name },
      closedAt: '2026-10-19T07:00:00.000Z',
      lastReason: '同意销号', // closing replaces the rejection's reason with the verifier's note
      streamVersion: 12,
      overdue: false,
      daysOverdue: 0,
    });
    // The due date is the extended one, exactly as the domain computed it.
    expect(granted.status).toBe('Closed');
    expect(f1.dueDate).toBe((granted as { dueDate: string }).dueDate);
    expect(f1.deadlineAt).toBe((granted as { deadlineAt: string }).deadlineAt);

    const f2 = (await q.get('f2', now))!;
    expect(f2).toMatchObject({
      state: 'InRectification',
      unitId: 'dept-b',
      owner: { id: actors.officialB.userId, unitId: 'dept-b' },
      reassignedCount: 1,
      lastReason: '属行业部门职责',
    });
    const f3 = (await q.get('f3', now))!;
    expect(f3).toMatchObject({ state: 'Annulled', annulledBy: { id: actors.supervisor.userId }, lastReason: '重复登记' });
  });

  it('claim list: a reassigned finding stays in the old unit (reassigned_away) and appears in the new one', async () => {
    const q = new ClaimListQuery(db.appPool);
    const a = await q.list('town-a');
    expect(a.total).toBe(2);
    expect(a.items.map((i) => [i.findingId, i.status, i.claimedBy?.id])).toEqual([
      ['f1', 'closed', actors.officialA.userId],
      ['f2', 'reassigned_away', actors.officialA.userId],
    ]);
    expect(a.items[0]).toMatchObject({ campaignId: 'c1', noticeNo: '郸巩督〔2026〕1号', dispatchedBy: { id: actors.supervisor.userId } });
    const b = await q.list('dept-b');
    expect(b.items).toHaveLength(1);
    expect(b.items[0]).toMatchObject({
      findingId: 'f2',
      status: 'claimed',
      claimedBy: { id: actors.officialB.userId, name: actors.officialB.name },
      // The reassignment went out under its own notice (the campaign's 3号, after f1's 1号 and f2's 2号).
      noticeNo: '郸巩督〔2026〕3号',
      dueDate: (driver.state('f2') as { dueDate: string }).dueDate,
    });
    expect((await q.list('town-a', { status: 'closed' })).items.map((i) => i.findingId)).toEqual(['f1']);
    expect((await q.list('nobody')).total).toBe(0);
  });

  it('rectification ledger: plan, measures, evidence by step, rejections and the progress history', async () => {
    const r = (await new RectificationLedgerQuery(db.appPool).get('f1'))!;
    expect(r).toMatchObject({
      findingId: 'f1',
      unitId: 'town-a',
      owner: { id: actors.officialA.userId },
      plan: '一户一策改造',
      measures: ['鉴定', '施工'],
      plannedCompletionDate: '2026-10-20',
      planSignedBy: { id: actors.officialA.userId },
      submissionSummary: '补充佐证',
      submissionSignedAt: '2026-10-19T01:00:00.000Z',
      rejections: 1,
      lastRejectionReason: '佐证不全',
    });
    expect(r.evidence.map((e) => [e.ref, e.source, e.version])).toEqual([
      ['photo-1', 'recording', 1],
      ['p-1', 'progress', 5],
      ['p-2', 'progress', 6],
      ['done-1', 'submission', 9],
      ['done-2', 'submission', 11],
    ]);
    expect(r.progress).toEqual([
      { streamVersion: 5, workday: '2026-10-13', summary: '已完成鉴定', percent: 30, evidence: ['p-1'], signedBy: { id: actors.officialA.userId, name: actors.officialA.name }, at: '2026-10-13T09:00:00.000Z' },
      { streamVersion: 6, workday: '2026-10-14', summary: '施工过半', percent: 60, evidence: ['p-2'], signedBy: { id: actors.officialA.userId, name: actors.officialA.name }, at: '2026-10-14T09:00:00.000Z' },
    ]);
    // Scope: another unit's official gets nothing.
    expect(await new RectificationLedgerQuery(db.appPool).get('f1', { unitId: 'dept-b' })).toBeNull();
    expect(await new RectificationLedgerQuery(db.appPool).get('f2', { unitId: 'dept-b' })).toMatchObject({ unitId: 'dept-b', owner: { id: actors.officialB.userId } });
  });

  it("audit trail: every event, its signer, a summary, and the store's own hashes", async () => {
    const q = new AuditTrailQuery(db.appPool);
    const trail = await q.forFinding('f1');
    const stream = await driver.store.readStream(findingStreamId('f1'));
    expect(trail).toHaveLength(12);
    expect(trail.map((t) => [t.version, t.eventType, t.eventId, t.hash, t.prevHash, t.position])).toEqual(
      stream.events.map((e) => [e.version, e.type, e.eventId, e.hash, e.prevHash, e.position]),
    );
    expect(trail[1]).toMatchObject({
      eventType: 'FindingDispatched',
      signer: { id: actors.supervisor.userId, name: actors.supervisor.name, unitId: actors.supervisor.unitId, role: 'supervisor' },
      at: '2026-10-12T07:00:00.000Z',
      correlationId: stream.events[1].metadata.correlationId,
    });
    expect(trail[1].summary).toBe(`交办至 宁平镇，期限 ${(stream.events[1].data as { dueDate: string }).dueDate}（郸巩督〔2026〕1号）`);
    expect(trail[9]).toMatchObject({ eventType: 'RectificationRejected', reason: '佐证不全', summary: '验收未通过，退回整改' });
    const reassign = (await q.forFinding('f2')).find((t) => t.eventType === 'FindingReassigned')!;
    expect(reassign.summary).toMatch(/^改派：宁平镇 → 县住建局，期限 \d{4}-\d{2}-\d{2}$/);

    const signed = await q.forSigner(actors.officialA.userId, { pageSize: 5 });
    // f1: claim, plan, 2 progress, extension request, 2 submissions; f2: claim.
    expect(signed.total).toBe(8);
    expect(signed.items).toHaveLength(5);
    expect(signed.items.every((t) => t.signer?.id === actors.officialA.userId)).toBe(true);
    expect((await q.forSigner(actors.officialA.userId, { page: 2, pageSize: 5 })).items).toHaveLength(3);
  });

  it('is idempotent: replaying from the start, or from the middle, leaves the same rows', async () => {
    const before = await dumpReadModels(db.adminPool);
    // The findings' 19 events and the campaign's 4 (created, and notices 1–3 issued with the dispatches).
    expect(before.audit_trail_v2).toHaveLength(23);
    await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = '0', position = 0 WHERE name LIKE 'projection:%'`);
    expect(await runner.catchUp(3)).toBeGreaterThan(0);
    await catchUpFully(runner, db.adminPool);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);

    // Back to the middle of the log: a crash after applying but before the checkpoint committed looks like this.
    const mid = await db.adminPool.query(
      `SELECT transaction_id::text AS t, position::text AS p FROM events ORDER BY transaction_id, position OFFSET 6 LIMIT 1`,
    );
    await db.adminPool.query(
      `UPDATE subscription_checkpoints SET transaction_id = $1::text::xid8, position = $2 WHERE name LIKE 'projection:%'`,
      [mid.rows[0].t, mid.rows[0].p],
    );
    await catchUpFully(runner, db.adminPool, 1);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);
  });

  it('status and rebuild: a rebuilt projection equals the incremental one', async () => {
    const before = await dumpReadModels(db.adminPool);
    const status = await runner.status();
    expect(status.map((s) => s.checkpoint)).toEqual(
      ALL_PROJECTIONS.map((name) => `projection:${name}:v${['audit_trail', 'finding_ledger', 'rectification_ledger'].includes(name) ? 2 : 1}`),
    );
    const last = await db.adminPool.query(
      `SELECT transaction_id::text AS t, position::text AS p FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1`,
    );
    expect(status.every((s) => s.transactionId === last.rows[0].t && s.position === last.rows[0].p)).toBe(true);
    for (const s of status) expect(await runner.rebuild(s.name, 4)).toBeGreaterThan(0);
    await catchUpFully(runner, db.adminPool);
    expect(await dumpReadModels(db.adminPool)).toEqual(before);
    await expect(runner.rebuild('nope')).rejects.toThrow('unknown projection nope');
  });

  it('polls: start() picks up new events, stop() waits for the tick in flight', async () => {
    const polling = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => UNIT_NAMES[id] }));
    polling.start(20);
    await driver.exec('f4', 'RecordFinding', record('f4'), actors.inspector, sh('2026-10-15 09:00'));
    const q = new FindingLedgerQuery(db.appPool);
    for (let i = 0; i < 200 && !(await q.get('f4', now)); i++) await new Promise((r) => setTimeout(r, 20));
    await polling.stop();
    expect((await q.get('f4', now))?.state).toBe('Recorded');
  });

  it('campaign events: settings and notice numbers, and their signatures in the audit trail', async () => {
    // The driver created c1 as the admin; notices 1–3 went out with f1's and f2's dispatches and f2's reassignment.
    await driver.exec('n1', 'RecordFinding', record('n1'), actors.inspector, sh('2026-10-12 13:00'));
    await driver.exec('n2', 'RecordFinding', record('n2'), actors.inspector, sh('2026-10-12 13:10'));
    await driver.dispatchBatch(['n1', 'n2'], { unitId: 'town-a' }, actors.supervisor, sh('2026-10-12 14:00'));
    await catchUpFully(runner, db.adminPool);
    expect(await new CampaignsQuery(db.appPool).get('c1')).toMatchObject({ noticePrefix: '郸巩督', lastNoticeSequence: 4, lastNoticeNo: '郸巩督〔2026〕4号', createdBy: { id: actors.admin.userId } });
    const byAdmin = await new AuditTrailQuery(db.appPool).forSigner(actors.admin.userId);
    expect(byAdmin.items).toHaveLength(1);
    expect(byAdmin.items[0]).toMatchObject({ streamId: 'campaign-c1', findingId: null, eventType: 'CampaignCreated', summary: `创建专项行动「${testCampaign.name}」` });
    const bySupervisor = await new AuditTrailQuery(db.appPool).forSigner(actors.supervisor.userId, { pageSize: 200 });
    expect(bySupervisor.items.filter((t) => t.eventType === 'DispatchNoticeIssued').map((t) => t.summary)).toContain('印发督办通知书 郸巩督〔2026〕4号（问题 2 个）');
  });

  it('never skips a slower transaction: an event committed later with an earlier position is still projected', async () => {
    const q = new FindingLedgerQuery(db.appPool);
    const held = await db.adminPool.connect();
    try {
      await held.query('BEGIN');
      // Written first (lower position) but committed last, as a slow append would be.
      const data = { ...record('slow'), signedBy: actors.inspector, at: '2026-10-15T01:00:00.000Z', village: null, household: null };
      await held.query(
        `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES ('finding-slow', 1, '11111111-1111-4111-8111-111111111111', 'FindingRecorded', $1, '{"correlationId":"slow"}', now(), $2, $2)`,
        [JSON.stringify(data), '0'.repeat(64)],
      );
      await driver.exec('fast', 'RecordFinding', record('fast'), actors.inspector, sh('2026-10-15 10:00'));
      await runner.catchUp();
      // The runner stops before the in-flight transaction, so it cannot step over it.
      expect(await q.get('fast', now)).toBeNull();
      await held.query('COMMIT');
    } finally {
      held.release();
    }
    await catchUpFully(runner, db.adminPool);
    expect((await q.get('slow', now))?.state).toBe('Recorded');
    expect((await q.get('fast', now))?.state).toBe('Recorded');
  });
});
