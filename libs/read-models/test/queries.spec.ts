import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { actors } from '@duban/domain/testing/fixtures';
import { ClaimListQuery, createProjections, FindingLedgerQuery, ProjectionRunner } from '../src';
import { catchUpFully, FindingDriver, sh } from './harness';

type Sev = 'red' | 'yellow' | 'blue';

describe('read-model queries: filters, paging, scope, daysOverdue', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let q: FindingLedgerQuery;

  const record = async (id: string, severity: Sev, categoryCode: string, at: string) =>
    driver.exec(
      id,
      'RecordFinding',
      { findingId: id, campaignId: 'c1', source: 'sector_inspection', categoryCode, severity, townUnitId: 'town-a', description: `问题 ${id}`, evidence: [] },
      actors.inspector,
      sh(at),
    );
  const dispatch = (id: string, unitId: string) =>
    driver.exec(id, 'DispatchFinding', { unitId }, actors.supervisor, sh('2026-10-12 15:00'));

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    q = new FindingLedgerQuery(db.appPool);
    const officialB = actors.officialB;
    await record('q1', 'red', '1.1', '2026-10-12 09:01');
    await dispatch('q1', 'town-a'); // due 3 workdays later, never claimed
    await record('q2', 'yellow', '2.3', '2026-10-12 09:02');
    await dispatch('q2', 'town-a');
    await driver.exec('q2', 'ClaimFinding', {}, actors.officialA, sh('2026-10-13 09:00'));
    await record('q3', 'blue', '2.3', '2026-10-12 09:03');
    await dispatch('q3', 'dept-b');
    await record('q4', 'red', '1.1', '2026-10-12 09:04');
    await dispatch('q4', 'dept-b');
    await driver.exec('q4', 'ClaimFinding', {}, officialB, sh('2026-10-13 09:00'));
    await driver.exec('q4', 'SubmitRectification', { summary: '完成', evidence: ['x'] }, officialB, sh('2026-10-14 09:00'));
    await driver.exec('q4', 'VerifyRectification', {}, actors.supervisor, sh('2026-10-14 10:00'));
    await record('q5', 'yellow', '3.1', '2026-10-12 09:05');
    // Many more, to page through.
    for (let i = 10; i < 35; i++) await record(`p${i}`, 'blue', '4.1', `2026-10-13 10:${String(i).padStart(2, '0')}`);
    await catchUpFully(new ProjectionRunner(db.appPool, createProjections()), db.adminPool);
  });
  afterAll(async () => db.drop());

  const ids = (page: { items: { findingId: string }[] }) => page.items.map((i) => i.findingId);

  it('filters by campaign, unit, state, category and severity, and combines them', async () => {
    expect((await q.list({ campaignId: 'c1' }, {}, new Date())).total).toBe(30);
    expect((await q.list({ campaignId: 'other' }, {}, new Date())).total).toBe(0);
    expect(ids(await q.list({ unitId: 'town-a' }, {}, new Date()))).toEqual(['q1', 'q2']);
    expect(ids(await q.list({ state: 'Closed' }, {}, new Date()))).toEqual(['q4']);
    expect(ids(await q.list({ state: 'Recorded', categoryCode: '3.1' }, {}, new Date()))).toEqual(['q5']);
    expect(ids(await q.list({ severity: 'red' }, {}, new Date()))).toEqual(['q1', 'q4']);
    expect(ids(await q.list({ severity: 'red', unitId: 'dept-b' }, {}, new Date()))).toEqual(['q4']);
    expect(ids(await q.list({ categoryCode: '2.3', state: 'Dispatched' }, {}, new Date()))).toEqual(['q3']);
  });

  it('scope: a unit official sees only what is currently assigned to their unit', async () => {
    expect(ids(await q.list({}, { unitId: 'dept-b' }, new Date()))).toEqual(['q3', 'q4']);
    // A filter naming another unit cannot widen the scope.
    expect((await q.list({ unitId: 'town-a' }, { unitId: 'dept-b' }, new Date())).total).toBe(0);
    expect(await q.get('q1', new Date(), { unitId: 'dept-b' })).toBeNull();
    expect((await q.get('q1', new Date(), { unitId: 'town-a' }))?.findingId).toBe('q1');
    expect(await q.get('missing', new Date())).toBeNull();
  });

  it('pages 1-based, caps the page size at 200 and reports the total', async () => {
    const p1 = await q.list({ pageSize: 12 }, {}, new Date());
    const p3 = await q.list({ pageSize: 12, page: 3 }, {}, new Date());
    expect(p1).toMatchObject({ total: 30, page: 1, pageSize: 12 });
    expect(ids(p1).slice(0, 5)).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    expect(p3.items).toHaveLength(6);
    expect(ids(p3)[5]).toBe('p34');
    const all = await q.list({ pageSize: 12, page: 1 }, {}, new Date());
    const p2 = await q.list({ pageSize: 12, page: 2 }, {}, new Date());
    expect(new Set([...ids(all), ...ids(p2), ...ids(p3)]).size).toBe(30);
    expect((await q.list({ pageSize: 5000 }, {}, new Date())).pageSize).toBe(200);
    expect((await q.list({ page: 0, pageSize: 0 }, {}, new Date())).page).toBe(1);
    expect((await q.list({ page: 99 }, {}, new Date())).items).toEqual([]);
  });

  it('overdue and daysOverdue are computed from the given now (natural days, rounded up)', async () => {
    const q1 = driver.state('q1') as { deadlineAt: string; dueDate: string };
    const deadline = new Date(q1.deadlineAt);
    // Deadlines end at 24:00 Asia/Shanghai of the due date.
    expect(deadline.getTime()).toBe(Date.parse(`${q1.dueDate}T00:00:00+08:00`) + 86400_000);

    const justBefore = new Date(deadline.getTime() - 1);
    expect((await q.list({ overdue: true }, {}, justBefore)).total).toBe(0);
    expect((await q.get('q1', justBefore))).toMatchObject({ overdue: false, daysOverdue: 0 });

    const tenHoursLate = new Date(deadline.getTime() + 10 * 3600_000);
    const late = await q.list({ overdue: true }, {}, tenHoursLate);
    // q1 (red, unclaimed) is late; q4 (red) was closed in time and is never overdue, whatever its deadline.
    expect(ids(late)).toEqual(['q1']);
    expect(late.items[0]).toMatchObject({ overdue: true, daysOverdue: 1, deadlineAt: q1.deadlineAt, dueDate: q1.dueDate });

    const threeDaysAndAnHour = new Date(deadline.getTime() + 3 * 86400_000 + 3600_000);
    expect((await q.get('q1', threeDaysAndAnHour))?.daysOverdue).toBe(4);
    expect((await q.get('q4', threeDaysAndAnHour))?.daysOverdue).toBe(0);
    expect((await q.get('q5', threeDaysAndAnHour))?.daysOverdue).toBe(0);

    // Far later everything dispatched and open is overdue; overdue=false is exactly the complement.
    const muchLater = new Date('2027-01-01T00:00:00Z');
    const over = await q.list({ overdue: true, pageSize: 200 }, {}, muchLater);
    const notOver = await q.list({ overdue: false, pageSize: 200 }, {}, muchLater);
    expect(ids(over)).toEqual(['q1', 'q2', 'q3']);
    expect(over.total + notOver.total).toBe(30);
    expect(ids(await q.list({ overdue: true }, { unitId: 'dept-b' }, muchLater))).toEqual(['q3']);
  });

  it('claim list filters by status and campaign and pages', async () => {
    const c = new ClaimListQuery(db.appPool);
    expect((await c.list('dept-b')).items.map((i) => [i.findingId, i.status])).toEqual([
      ['q3', 'awaiting_claim'],
      ['q4', 'closed'],
    ]);
    expect((await c.list('dept-b', { status: 'awaiting_claim' })).total).toBe(1);
    expect((await c.list('dept-b', { campaignId: 'other' })).total).toBe(0);
    const p2 = await c.list('dept-b', { page: 2, pageSize: 1 });
    expect(p2).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(p2.items.map((i) => i.findingId)).toEqual(['q4']);
  });
});
