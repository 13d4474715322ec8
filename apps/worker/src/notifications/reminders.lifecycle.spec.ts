import { randomUUID } from 'node:crypto';
import type { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { CampaignReminders, type MessagingPort, type TextMessage } from '@duban/application';
import { actors } from '@duban/domain/testing/fixtures';
import { DirectoryProjector, InboxNotifier, InboxQuery, OutboundMessages } from '@duban/read-models';
import { createTestDatabase, TestDatabase } from '../../../../tests/support/test-database';
import { FindingDriver, headOf, sh } from '../../../../libs/read-models/test/harness';
import { DevLogMessaging } from './messaging/dev-log-messaging';
import { RemindersLifecycle } from './reminders.lifecycle';

const { inspector, supervisor, officialA, officialA2 } = actors;
const silent = pino({ level: 'silent' });

/** The dev adapter behind a switch: a provider that can be away. */
class Switchable implements MessagingPort {
  readonly name = 'dev';
  down = false;
  readonly inner = new DevLogMessaging(silent);
  send(m: TextMessage) {
    return this.down ? Promise.reject(new Error('provider unreachable')) : this.inner.send(m);
  }
}

/**
 * The worker's minute pass as it runs it, at fixed instants: 临近提醒 and 每日摘要 into the inbox and, for the digest and
 * the urgent reminder, through the SMS / 政务 IM port (the dev adapter); the campaign's own settings, folded fresh.
 */
describe('the reminders pass: inbox and the SMS / 政务 IM port, in the campaign’s settings (real PostgreSQL)', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let now = sh('2026-10-13 08:30');
  let settled = true;
  const port = new Switchable();
  let lifecycle: RemindersLifecycle;
  const at = (local: string) => {
    now = sh(local);
    return lifecycle.pass();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    await driver.write.directory.handleBatch(
      [officialA, officialA2].map((p, i) => ({
        type: 'RegisterPerson' as const,
        data: { personId: p.userId, name: p.name, phone: `1390000000${i}`, unitId: p.unitId, role: 'unit_official' as const, reason: '测试名册' },
      })),
      actors.admin,
      { idempotencyKey: 'pass-people', correlationId: randomUUID(), at: sh('2026-08-25 08:30') },
    );
    if (!(await new DirectoryProjector(db.appPool).settle())) throw new Error('the directory was not projected');
    await driver.exec('f1', 'RecordFinding', { findingId: 'f1', campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'red', townUnitId: 'town-a', description: '危房未改造', evidence: ['photo-1'] }, inspector, sh('2026-10-12 09:00'));
    await driver.exec('f1', 'DispatchFinding', { unitId: 'town-a', deadlineWorkdays: 2 }, supervisor, sh('2026-10-12 15:00'));
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-12 16:00'));
    const notifier = new InboxNotifier(db.appPool);
    // The worker's notifier runs on its own loop; here it has passed the dispatch and the claim before the first pass.
    if (!(await notifier.subscription.catchUpTo(await headOf(db.adminPool)))) throw new Error('the notifier did not reach the head');
    lifecycle = new RemindersLifecycle({
      pool: db.appPool,
      campaigns: new CampaignReminders(driver.write.campaignContexts),
      messaging: port,
      notifierSettled: async () => settled && notifier.subscription.catchUpTo(await headOf(db.adminPool)),
      logger: silent as unknown as PinoLogger,
      now: () => new Date(now),
    });
  });
  afterAll(async () => db.drop());

  it('no digest while the notifier is behind the log; at Tuesday 08:30 the morning reminder (inbox only) and the digest (inbox and a text each)', async () => {
    settled = false;
    expect(await at('2026-10-13 08:30')).toEqual({ reminders: 1, digests: 0, sent: 0, refused: 0, failed: 0 });
    settled = true;
    expect(await at('2026-10-13 08:31')).toEqual({ reminders: 0, digests: 1, sent: 2, refused: 0, failed: 0 });
    expect(port.inner.delivered().map((d) => [d.phone, d.body.split('\n')[0]]).sort()).toEqual([
      ['13900000000', '督办每日摘要（2026-10-13）：新交办 1 项，今日到期 0 项，已逾期 0 项，逾期升级 0 项'],
      ['13900000001', '督办每日摘要（2026-10-13）：新交办 1 项，今日到期 0 项，已逾期 0 项，逾期升级 0 项'],
    ]);
    const kinds = (await new InboxQuery(db.appPool).list(officialA.userId, 'all', {})).items.map((n) => n.kind).sort();
    expect(kinds).toEqual(['digest', 'dispatched', 'report_today']);
  });

  it('at 09:00 the deadline-tomorrow reminder goes to the owner’s inbox and, urgent, as a text; a provider away is retried, never at night', async () => {
    port.down = true;
    expect(await at('2026-10-13 09:00')).toEqual({ reminders: 1, digests: 0, sent: 0, refused: 0, failed: 1 });
    port.down = false;
    expect(await at('2026-10-13 21:30')).toEqual({ reminders: 0, digests: 0, sent: 0, refused: 0, failed: 0 });
    expect(await at('2026-10-14 08:00')).toMatchObject({ sent: 1, failed: 0 });
    const [text] = await new OutboundMessages(db.appPool).about('f1:due:2026-10-14');
    expect(text).toMatchObject({ userId: officialA.userId, phone: '13900000000', kind: 'due_tomorrow', attempts: 2, sentVia: 'dev', sentAt: new Date(sh('2026-10-14 08:00')).toISOString() });
    expect(port.inner.delivered().map((d) => d.messageId)).toContain(text.messageId);
  });

  it('the campaign moves its digest to 10:00 and switches the morning reminder off: the next pass follows at once', async () => {
    await driver.write.campaigns.handle(
      { type: 'ChangeReminderSettings', campaignId: 'c1', data: { settings: { digestAt: '10:00', enabled: ['due_tomorrow', 'rung_tomorrow', 'digest'] } } },
      actors.admin,
      { idempotencyKey: 'pass-settings', correlationId: randomUUID(), at: sh('2026-10-14 08:10') },
    );
    expect(await at('2026-10-14 08:30')).toEqual({ reminders: 0, digests: 0, sent: 0, refused: 0, failed: 0 });
    expect(await at('2026-10-14 10:00')).toEqual({ reminders: 0, digests: 1, sent: 2, refused: 0, failed: 0 });
  });
});
