import { randomUUID } from 'node:crypto';
import { DEFAULT_REMINDER_SETTINGS, type FindingEvent, resolveReminderSettings } from '@duban/domain';
import { actors } from '@duban/domain/testing/fixtures';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { DigestsQuery, DirectoryProjector, InboxNotifier, InboxQuery, OutboundMessages, sendDueDigests } from '../src';
import { FindingDriver, headOf, sh } from './harness';

const { inspector, supervisor, officialA, officialA2, officialB } = actors;

/**
 * 每日摘要 for town-a over the fortnight around 国庆 2026 on the official calendar (10-01 … 10-07 off, Saturday 10-10 a
 * make-up workday), on real PostgreSQL: findings written through the write side at fixed instants, the notifier run,
 * then the digest pass at each day's hour — as the worker does every minute.
 */
describe('每日摘要 per unit per workday over a week spanning 国庆 (real PostgreSQL, official 2026 calendar)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let settingsOf = async () => ({ calendar: driver.ctx.calendar, settings: DEFAULT_REMINDER_SETTINGS });
  const dueDates: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    await driver.write.directory.handleBatch(
      [officialA, officialA2, officialB].map((p, i) => ({
        type: 'RegisterPerson' as const,
        data: { personId: p.userId, name: p.name, phone: `1380000000${i}`, unitId: p.unitId, role: 'unit_official' as const, reason: '测试名册' },
      })),
      actors.admin,
      { idempotencyKey: 'digest-people', correlationId: randomUUID(), at: sh('2026-08-25 08:30') },
    );
    if (!(await new DirectoryProjector(db.appPool).settle())) throw new Error('the directory was not projected');
  });
  afterAll(async () => db.drop());

  const record = (id: string, unit: string, at: string) =>
    driver.exec(id, 'RecordFinding', { findingId: id, campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'red', townUnitId: unit, description: '危房未改造', evidence: ['photo-1'] }, inspector, sh(at));
  const dispatch = async (id: string, unit: string, at: string) => {
    const [e] = (await driver.exec(id, 'DispatchFinding', { unitId: unit, deadlineWorkdays: 2 }, supervisor, sh(at))) as Array<Extract<FindingEvent, { type: 'FindingDispatched' }>>;
    dueDates[id] = e.data.dueDate;
  };
  const notify = async () => {
    if (!(await new InboxNotifier(db.appPool).subscription.catchUpTo(await headOf(db.adminPool)))) throw new Error('the notifier did not reach the head of the log');
  };
  /** The digest pass at a local instant; what it recorded. */
  const pass = async (local: string) => {
    await notify();
    return sendDueDigests(db.appPool, new Date(sh(local)).toISOString(), () => settingsOf());
  };
  const digests = () => new DigestsQuery(db.appPool).list({ unitId: 'town-a' }, { pageSize: 50 });
  const sectionsOf = async (workday: string) => {
    const d = (await digests()).items.find((x) => x.workday === workday);
    return d && Object.fromEntries(Object.entries(d.sections).map(([s, items]) => [s, items.map((i) => i.findingId)]));
  };

  it('Monday 09-28 08:30, nothing open yet: no digest', async () => {
    expect(await pass('2026-09-28 08:30')).toBe(0);
  });

  it('Tuesday 09-29: not before the hour; at 08:30 one digest (f1 new, dispatched the afternoon before); the pass again records nothing', async () => {
    await record('f1', 'town-a', '2026-09-28 09:00');
    await dispatch('f1', 'town-a', '2026-09-28 14:00');
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-09-28 15:00'));
    await record('b1', 'town-a', '2026-09-28 09:30');
    await dispatch('b1', 'dept-b', '2026-09-28 14:30');
    expect(dueDates).toEqual({ f1: '2026-09-30', b1: '2026-09-30' });
    expect(await pass('2026-09-29 08:29')).toBe(0);
    expect(await pass('2026-09-29 08:30')).toBe(2); // town-a and dept-b, one each
    expect(await pass('2026-09-29 08:31')).toBe(0);
    expect(await sectionsOf('2026-09-29')).toEqual({ new: ['f1'], due: [], overdue: [], escalated: [] });
  });

  it('Wednesday 09-30: f1 due today; two workers passing at once record it once', async () => {
    const both = await Promise.all([pass('2026-09-30 08:30'), pass('2026-09-30 08:30')]);
    expect(both[0] + both[1]).toBe(2);
    expect(await sectionsOf('2026-09-30')).toEqual({ new: [], due: ['f1'], overdue: [], escalated: [] });
  });

  it('国庆 10-01 … 10-07: no digest on any day, though f2 came in and f1 went overdue and climbed the ladder', async () => {
    // Dispatched on a holiday (the office works through 国庆 in the 集中整改 phase): its deadline counts from 10-08.
    await record('f2', 'town-a', '2026-09-30 09:00');
    await dispatch('f2', 'town-a', '2026-10-02 10:00');
    await driver.fire('f1', 'deadline');
    for (let d = 1; d <= 7; d++) expect(await pass(`2026-10-0${d} 09:00`)).toBe(0);
  });

  it('Thursday 10-08: everything since 09-30 08:30 in one digest — new f2 and f3, f1 overdue and escalated', async () => {
    await record('f3', 'town-a', '2026-10-08 07:00');
    await dispatch('f3', 'town-a', '2026-10-08 07:50');
    expect(await pass('2026-10-08 08:30')).toBe(2); // town-a, and dept-b with its overdue b1
    expect(await sectionsOf('2026-10-08')).toEqual({ new: ['f2', 'f3'], due: [], overdue: ['f1'], escalated: ['f1'] });
  });

  it('Friday 10-09, Saturday 10-10 (make-up workday) each get one; Sunday 10-11 none', async () => {
    expect(dueDates).toMatchObject({ f2: '2026-10-09', f3: '2026-10-10' });
    expect(await pass('2026-10-09 08:30')).toBe(2); // town-a, and dept-b with its overdue b1
    expect(await pass('2026-10-10 08:30')).toBe(2); // town-a, and dept-b with its overdue b1
    expect(await pass('2026-10-11 09:00')).toBe(0);
    expect(await sectionsOf('2026-10-09')).toEqual({ new: [], due: ['f2'], overdue: ['f1'], escalated: [] });
    expect(await sectionsOf('2026-10-10')).toEqual({ new: [], due: ['f3'], overdue: ['f1', 'f2'], escalated: [] });
  });

  it('the history: one digest per workday for town-a, newest first; each reached both officials’ inboxes and the outbox once', async () => {
    const history = await digests();
    expect(history.items.map((d) => d.workday)).toEqual(['2026-10-10', '2026-10-09', '2026-10-08', '2026-09-30', '2026-09-29']);
    expect(history.items[2]).toMatchObject({
      digestKey: 'digest:c1:town-a:2026-10-08',
      digestAt: new Date(sh('2026-10-08 08:30')).toISOString(),
      since: new Date(sh('2026-09-30 08:30')).toISOString(),
      counts: { new: 2, due: 0, overdue: 1, escalated: 1 },
      recipients: [officialA.userId, officialA2.userId],
    });
    const inbox = new InboxQuery(db.appPool);
    for (const person of [officialA, officialA2]) {
      const notices = (await inbox.list(person.userId, 'all', { pageSize: 50 })).items.filter((n) => n.kind === 'digest');
      expect(notices.map((n) => n.about)).toEqual(history.items.map((d) => d.digestKey));
    }
    // dept-b's official hears of dept-b's overdue b1 every workday, never of town-a's.
    expect((await inbox.list(officialB.userId, 'all', { pageSize: 50 })).items.filter((n) => n.kind === 'digest').map((n) => n.about)).toEqual(
      history.items.map((d) => d.digestKey.replace('town-a', 'dept-b')),
    );
    const texts = await new OutboundMessages(db.appPool).about('digest:c1:town-a:2026-10-08');
    expect(texts.map((m) => [m.userId, m.phone, m.kind])).toEqual([
      [officialA.userId, '13800000000', 'digest'],
      [officialA2.userId, '13800000001', 'digest'],
    ]);
    expect(texts[0].body.split('\n')[0]).toBe('督办每日摘要（2026-10-08）：新交办 2 项，今日到期 0 项，已逾期 1 项，逾期升级 1 项');
  });

  it('a campaign’s own digest hour (10:00) is kept; with digests switched off nothing is recorded', async () => {
    settingsOf = async () => ({ calendar: driver.ctx.calendar, settings: resolveReminderSettings({ digestAt: '10:00' }) });
    expect(await pass('2026-10-12 09:59')).toBe(0);
    expect(await pass('2026-10-12 10:00')).toBe(2); // town-a, and dept-b with its overdue b1
    expect((await digests()).items[0]).toMatchObject({ workday: '2026-10-12', digestAt: new Date(sh('2026-10-12 10:00')).toISOString() });
    settingsOf = async () => ({ calendar: driver.ctx.calendar, settings: resolveReminderSettings({ enabled: ['due_tomorrow'] }) });
    expect(await pass('2026-10-13 10:00')).toBe(0);
  });
});
