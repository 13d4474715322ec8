import { type MessagingPort, type TextMessage } from '@duban/application';
import { withTransaction } from '@duban/event-store';
import { enqueueMessages, OutboundMessages } from '@duban/read-models';
import pino from 'pino';
import { createTestDatabase, TestDatabase } from '../../../../../tests/support/test-database';
import { DevLogMessaging } from './dev-log-messaging';
import { sendPendingMessages } from './outbox-sender';

const clock = () => new Date('2026-10-08T00:31:00.000Z');
const silent = pino({ level: 'silent' });

/** A provider that is away for its first `failFirst` calls, then takes everything (the dev adapter behind it). */
class Flaky implements MessagingPort {
  readonly name = 'flaky';
  calls = 0;
  readonly inner = new DevLogMessaging(silent);
  constructor(private failFirst: number) {}
  async send(m: TextMessage) {
    this.calls++;
    if (this.failFirst-- > 0) throw new Error('provider unreachable');
    return this.inner.send(m);
  }
}

describe('the outbox through the SMS / 政务 IM port (real PostgreSQL)', () => {
  let db: TestDatabase;
  let outbox: OutboundMessages;

  beforeAll(async () => {
    db = await createTestDatabase();
    outbox = new OutboundMessages(db.appPool);
    await db.adminPool.query(`INSERT INTO directory_users_v1 (user_id, name, unit_id, role, active, phone) VALUES
      ('u-a1', '赵镇长', 'town-a', 'unit_official', true, '13800000000'), ('u-a2', '钱副镇长', 'town-a', 'unit_official', true, NULL)`);
    await withTransaction(db.appPool, (tx) =>
      enqueueMessages(tx, [
        { userId: 'u-a1', kind: 'digest', about: 'digest:c1:town-a:2026-10-08', body: '督办每日摘要（2026-10-08）', createdAt: '2026-10-08T00:30:00.000Z' },
        { userId: 'u-a2', kind: 'digest', about: 'digest:c1:town-a:2026-10-08', body: '督办每日摘要（2026-10-08）', createdAt: '2026-10-08T00:30:00.000Z' },
        // The same message enqueued again (a repeated pass) is still one message.
        { userId: 'u-a1', kind: 'digest', about: 'digest:c1:town-a:2026-10-08', body: '督办每日摘要（2026-10-08）', createdAt: '2026-10-08T00:30:00.000Z' },
      ]),
    );
  });
  afterAll(async () => db.drop());

  it('a provider away stops the pass at the first failure; the next pass sends it; a person without a phone is refused for good', async () => {
    const port = new Flaky(1);
    expect(await sendPendingMessages(outbox, port, clock)).toEqual({ sent: 0, refused: 0, failed: 1 });
    expect(await sendPendingMessages(outbox, port, clock)).toEqual({ sent: 1, refused: 1, failed: 0 });
    expect(await sendPendingMessages(outbox, port, clock)).toEqual({ sent: 0, refused: 0, failed: 0 });
    const rows = await outbox.about('digest:c1:town-a:2026-10-08');
    expect(rows.map((r) => [r.userId, r.attempts, r.sentVia, r.sentAt, r.refusedAt, r.lastError])).toEqual([
      ['u-a1', 2, 'flaky', clock().toISOString(), null, null],
      ['u-a2', 1, null, null, clock().toISOString(), 'u-a2 没有登记手机号 (NO_ADDRESS)'],
    ]);
    expect(port.inner.delivered().map((d) => [d.messageId, d.phone])).toEqual([[rows[0].messageId, '13800000000']]);
  });

  it('killed after the provider took it, before the mark: sent again under the same id, and the provider keeps one', async () => {
    await withTransaction(db.appPool, (tx) =>
      enqueueMessages(tx, [{ userId: 'u-a1', kind: 'due_tomorrow', about: 'f1:due:2026-10-09', body: '【督办提醒】整改期限将至：2026-10-09 24时', createdAt: '2026-10-08T01:00:00.000Z' }]),
    );
    const provider = new DevLogMessaging(silent);
    const killed: OutboundMessages = Object.assign(Object.create(OutboundMessages.prototype), outbox, {
      markSent: async () => {
        throw new Error('worker killed before marking');
      },
    });
    await expect(sendPendingMessages(killed, provider, clock)).rejects.toThrow('killed');
    expect(await sendPendingMessages(outbox, provider, clock)).toEqual({ sent: 1, refused: 0, failed: 0 });
    const [row] = await outbox.about('f1:due:2026-10-09');
    expect(provider.delivered().map((d) => [d.messageId, d.providerMessageId])).toEqual([[row.messageId, row.providerMessageId]]);
  });
});
