import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { LogBatch } from '@duban/event-store';
import { actors } from '@duban/domain/testing/fixtures';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { DEFAULT_REMINDER_SETTINGS } from '@duban/domain';
import { AuditTrailQuery, createProjections, DirectoryProjector, InboxNotifier, InboxQuery, OutboundMessages, ProjectionRunner, sendDueReminders } from '../src';
import { catchUpFully, FindingDriver, headOf, sh } from './harness';

const { inspector, supervisor, officialA, officialA2, officialB } = actors;

/** Killed between writing the batch's notices and storing its checkpoint: the transaction never commits. */
class KilledBeforeCheckpoint extends InboxNotifier {
  protected override async apply(batch: LogBatch, tx: PoolClient): Promise<number> {
    await super.apply(batch, tx);
    throw new Error('notifier killed before its checkpoint');
  }
}

describe('the in-app inbox: a checkpointed consumer of the log (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let inbox: InboxQuery;

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    inbox = new InboxQuery(db.appPool);
    const meta = { idempotencyKey: 'inbox-people', correlationId: randomUUID(), at: sh('2026-08-25 08:30') };
    await driver.write.directory.handleBatch(
      [officialA, officialA2, officialB].map((p, i) => ({
        type: 'RegisterPerson' as const,
        data: { personId: p.userId, name: p.name, phone: `1380000000${i}`, unitId: p.unitId, role: 'unit_official' as const, reason: '测试名册' },
      })),
      actors.admin,
      meta,
    );
    if (!(await new DirectoryProjector(db.appPool).settle())) throw new Error('the directory was not projected');
    const record = { campaignId: 'c1', source: 'household_inspection' as const, categoryCode: '2.3', severity: 'red' as const, townUnitId: 'town-a', description: '危房未改造', evidence: ['photo-1'] };
    await driver.exec('f1', 'RecordFinding', { findingId: 'f1', ...record }, inspector, sh('2026-10-12 09:00'));
    await driver.exec('f1', 'DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.exec('f1', 'SubmitRectification', { summary: '已加固', evidence: ['photo-2'] }, officialA, sh('2026-10-14 09:00'));
    await driver.exec('f1', 'RejectRectification', { reason: '照片不清' }, supervisor, sh('2026-10-14 15:00'));
  });
  afterAll(async () => db.drop());

  /** The notifier past the log's last event (one pass may stop short behind a transaction open elsewhere). */
  const notifyFully = async (notifier: InboxNotifier) => {
    if (!(await notifier.subscription.catchUpTo(await headOf(db.adminPool)))) throw new Error('the notifier did not reach the head of the log');
  };

  it('a notifier killed between writing and checkpointing leaves nothing behind; the next one writes each notice once', async () => {
    const killed = new KilledBeforeCheckpoint(db.appPool);
    await expect(killed.subscription.runOnce()).rejects.toThrow('killed before its checkpoint');
    expect((await inbox.list(officialA.userId, 'all', {})).total).toBe(0);
    expect(await killed.subscription.position()).toEqual({ transactionId: '0', position: '0' });

    const notifier = new InboxNotifier(db.appPool, { batchSize: 3 });
    await notifyFully(notifier);
    const a = await inbox.list(officialA.userId, 'all', {});
    expect(a.items.map((n) => n.kind).sort()).toEqual(['dispatched', 'rejected']);
    expect(a.unread).toBe(2);
  });

  it('a dispatch reaches every official of the unit; a rejection only its owner; another unit hears nothing', async () => {
    const a2 = await inbox.list(officialA2.userId, 'unread', {});
    expect(a2.items.map((n) => [n.kind, n.findingId, n.unitId])).toEqual([['dispatched', 'f1', 'town-a']]);
    expect(a2.items[0].title).toContain('新交办问题');
    const rejected = (await inbox.list(officialA.userId, 'all', {})).items.find((n) => n.kind === 'rejected');
    expect(rejected?.title).toBe('整改被退回：照片不清');
    expect((await inbox.list(officialB.userId, 'all', {})).total).toBe(0);
  });

  it('opening a notice signs a read receipt: the inbox marks it read and the reader’s audit trail shows it', async () => {
    const notice = (await inbox.list(officialA.userId, 'unread', {})).items.find((n) => n.kind === 'rejected')!;
    const read = (key: string) =>
      driver.write.receipts.handle(
        {
          type: 'RecordNoticeRead',
          data: { noticeId: notice.noticeId, recipientUserId: officialA.userId, findingId: notice.findingId, about: notice.about, kind: notice.kind, title: notice.title },
        },
        officialA,
        { idempotencyKey: key, correlationId: randomUUID(), at: sh('2026-10-14 16:00') },
      );
    expect(await read('r1')).toMatchObject({ recorded: true, version: 1 });
    expect(await read('r2')).toMatchObject({ recorded: false, version: 1 });

    await notifyFully(new InboxNotifier(db.appPool));
    const after = await inbox.list(officialA.userId, 'read', {});
    expect(after.items.map((n) => [n.noticeId, n.readAt])).toEqual([[notice.noticeId, new Date(sh('2026-10-14 16:00')).toISOString()]]);
    expect(after.unread).toBe(1);

    await catchUpFully(new ProjectionRunner(db.appPool, createProjections()), db.adminPool);
    const trail = await new AuditTrailQuery(db.appPool).forSigner(officialA.userId);
    expect(trail.items.filter((t) => t.eventType === 'NoticeRead').map((t) => t.summary)).toEqual(['已阅通知：整改被退回：照片不清']);
  });

  it('nobody but the recipient can sign it read', async () => {
    const notice = (await inbox.list(officialA2.userId, 'all', {})).items[0];
    await expect(
      driver.write.receipts.handle(
        { type: 'RecordNoticeRead', data: { noticeId: notice.noticeId, recipientUserId: officialA2.userId, findingId: 'f1', about: notice.about, kind: notice.kind, title: notice.title } },
        officialA,
        { idempotencyKey: 'r3', correlationId: randomUUID(), at: sh('2026-10-14 16:00') },
      ),
    ).rejects.toMatchObject({ code: 'NOT_YOUR_NOTICE' });
  });

  it('临近提醒: the workday before the due date and the morning report go to the owner once; nothing in the quiet hours', async () => {
    const calendarOf = async () => ({ calendar: driver.ctx.calendar, settings: DEFAULT_REMINDER_SETTINGS });
    await notifyFully(new InboxNotifier(db.appPool));
    expect(await sendDueReminders(db.appPool, sh('2026-10-14 22:00'), calendarOf)).toBe(0);
    expect(await sendDueReminders(db.appPool, sh('2026-10-14 09:30'), calendarOf)).toBe(2);
    expect(await sendDueReminders(db.appPool, sh('2026-10-14 09:45'), calendarOf)).toBe(0);
    const reminders = (await inbox.list(officialA.userId, 'unread', {})).items.filter((n) => n.kind !== 'dispatched');
    expect(reminders.map((n) => [n.kind, n.about]).sort()).toEqual([
      ['due_tomorrow', 'f1:due:2026-10-15'],
      ['report_today', 'f1:report:2026-10-14'],
    ]);
    expect((await inbox.list(officialA2.userId, 'all', {})).items.map((n) => n.kind)).toEqual(['dispatched']);
    // The urgent one (a deadline tomorrow) also waits in the SMS / 政务 IM outbox, under an id from the same key.
    expect((await new OutboundMessages(db.appPool).about('f1:due:2026-10-15')).map((m) => [m.userId, m.phone, m.kind, m.body])).toEqual([
      [officialA.userId, '13800000000', 'due_tomorrow', '【督办提醒】整改期限将至：2026-10-15 24时'],
    ]);
    expect(await new OutboundMessages(db.appPool).about('f1:report:2026-10-14')).toEqual([]);
  });
});
