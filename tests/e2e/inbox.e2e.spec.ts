import { InboxNotifier } from '@duban/read-models';
import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody as finding, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('inbox');

describe('站内通知 over HTTP: GET /inbox, POST /inbox/:noticeId/read (a signed read receipt on the audit trail)', () => {
  let h: ApiHarness;
  let notifier: InboxNotifier;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));
  const read = (userId: string, noticeId: string, k = key()) => h.http().post(`/inbox/${noticeId}/read`).set(as(userId)).set('Idempotency-Key', k).send({});

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    notifier = new InboxNotifier(h.db.appPool);
    const rec = await h.http().post('/findings').set(as('insp-1')).set('Idempotency-Key', key()).send(finding());
    expect(rec.status).toBe(201);
    const dis = await h.http().post(`/findings/${rec.body.findingId}/dispatch`).set(as('sup-1')).set('Idempotency-Key', key()).send({ unitId: 'town-01' });
    expect(dis.status).toBe(200);
    // As below: pass again until the dispatch's notice is there (a transaction open elsewhere may hold a pass back).
    for (let pass = 0; pass < 500; pass++) {
      if (pass) await new Promise((resolve) => setTimeout(resolve, 20));
      await notifier.subscription.catchUp();
      if ((await get('off-town-01-a', '/inbox')).body.total > 0) break;
    }
  });
  afterAll(async () => h.close());

  it('each official of the unit finds the dispatch unread in their own inbox; another unit’s official finds nothing', async () => {
    for (const userId of ['off-town-01-a', 'off-town-01-b']) {
      const res = await get(userId, '/inbox?status=unread');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ total: 1, unread: 1, page: 1 });
      expect(res.body.items[0]).toMatchObject({ userId, kind: 'dispatched', unitId: 'town-01', readAt: null });
    }
    expect((await get('off-town-02-a', '/inbox')).body).toMatchObject({ total: 0, unread: 0, items: [] });
  });

  it('opening a notice records one signed receipt (a retry and a second opening add none); the inbox and the audit trail show it', async () => {
    const [notice] = (await get('off-town-01-a', '/inbox')).body.items;
    const k = key();
    const first = await read('off-town-01-a', notice.noticeId, k);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ noticeId: notice.noticeId, recorded: true, version: 1 });
    expect((await read('off-town-01-a', notice.noticeId, k)).body).toEqual(first.body);
    expect((await read('off-town-01-a', notice.noticeId)).body).toEqual({ noticeId: notice.noticeId, recorded: false, version: 1 });

    // One pass of the notifier may stop short of the receipt: it never reads past a transaction still open anywhere
    // in the cluster (another test file's, on a busy machine). So pass again until the read mark is there.
    let inbox = { items: [] as { noticeId: string; readAt: string }[], unread: -1 };
    for (let pass = 0; pass < 500 && !inbox.items.length; pass++) {
      if (pass) await new Promise((resolve) => setTimeout(resolve, 20));
      await notifier.subscription.catchUp();
      await h.catchUp();
      inbox = (await get('off-town-01-a', '/inbox?status=read')).body;
    }
    expect(inbox.items.map((n: { noticeId: string; readAt: string }) => [n.noticeId, n.readAt])).toEqual([[notice.noticeId, '2026-11-23T02:00:00.000Z']]);
    expect(inbox.unread).toBe(0);
    const trail = (await get('off-town-01-a', '/signers/off-town-01-a/audit-trail')).body.items;
    expect(trail.filter((t: { eventType: string }) => t.eventType === 'NoticeRead').map((t: { summary: string }) => t.summary)).toEqual([
      `已阅通知：${notice.title}`,
    ]);
  });

  it('another person’s notice is not found, a malformed id is a 400 naming it, a bad status filter a 400', async () => {
    const [theirs] = (await get('off-town-01-b', '/inbox')).body.items;
    const other = await read('off-town-01-a', theirs.noticeId);
    expect(other.status).toBe(404);
    const bad = await read('off-town-01-a', 'not-a-notice');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('noticeId');
    const filter = await get('off-town-01-a', '/inbox?status=maybe');
    expect(filter.status).toBe(400);
    expect(JSON.stringify(filter.body)).toContain('status');
    expect((await get('off-town-01-b', '/inbox?status=unread')).body.unread).toBe(1);
  });

  it('webhook subscriptions: signed commands (administrators only, Idempotency-Key), the secret never listed back nor logged, a taken id 409, unknown ids 404, bad input 400', async () => {
    const post = (userId: string, body: object, k = key()) => h.http().post('/webhook-subscriptions').set(as(userId)).set('Idempotency-Key', k).send(body);
    const body = { subscriptionId: 'gov-platform', url: 'http://127.0.0.1:9/hook', secret: 'a-long-shared-secret', eventTypes: ['FindingDispatched'], unitIds: ['town-01'] };
    expect((await post('sup-1', body)).status).toBe(403);
    const k = key();
    const created = await post('admin-1', body, k);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ subscriptionId: 'gov-platform', version: 1, events: ['WebhookSubscribed'] });
    expect((await post('admin-1', body, k)).body).toEqual(created.body);
    expect((await post('admin-1', body)).status).toBe(409);
    expect((await h.http().post('/webhook-subscriptions').set(as('admin-1')).send(body)).status).toBe(400); // no Idempotency-Key
    const bad = await post('admin-1', { ...body, subscriptionId: 'other', secret: 'short' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('secret');
    const changed = await h.http().post('/webhook-subscriptions/gov-platform/change').set(as('admin-1')).set('Idempotency-Key', key()).send({ unitIds: ['town-01', 'town-02'], reason: '扩大范围' });
    expect(changed.body).toEqual({ subscriptionId: 'gov-platform', version: 2, events: ['WebhookSubscriptionChanged'] });
    expect((await h.http().post('/webhook-subscriptions/nobody/change').set(as('admin-1')).set('Idempotency-Key', key()).send({ reason: '核对' })).status).toBe(404);
    await h.catchUp();
    const list = await get('admin-1', '/webhook-subscriptions');
    expect(list.body).toEqual([
      { subscriptionId: 'gov-platform', url: body.url, eventTypes: ['FindingDispatched'], unitIds: ['town-01', 'town-02'], createdBy: expect.any(String), createdAt: '2026-11-23T02:00:00.000Z', changedAt: '2026-11-23T02:00:00.000Z' },
    ]);
    expect(JSON.stringify(list.body)).not.toContain(body.secret);
    const logged = await h.db.adminPool.query<{ data: string }>(`SELECT data::text FROM events WHERE stream_id = 'webhook-subscription-gov-platform'`);
    expect(logged.rows.map((r) => r.data.includes(body.secret))).toEqual([false, false]);
    const trail = (await get('admin-1', '/signers/admin-1/audit-trail')).body.items.filter((t: { eventType: string }) => t.eventType.startsWith('Webhook'));
    expect(trail.map((t: { summary: string }) => t.summary)).toEqual(expect.arrayContaining([expect.stringContaining('订阅 webhook gov-platform'), '修改 webhook 订阅 gov-platform（单位）：扩大范围']));
    expect((await get('admin-1', '/webhook-subscriptions/gov-platform/dead-letters')).body).toEqual([]);
    expect((await get('admin-1', '/webhook-subscriptions/nobody/dead-letters')).status).toBe(404);
    expect((await h.http().post('/webhook-subscriptions/gov-platform/dead-letters/42/redeliver').set(as('admin-1'))).status).toBe(404);
    const gone = await h.http().post('/webhook-subscriptions/gov-platform/delete').set(as('admin-1')).set('Idempotency-Key', key()).send({ reason: '对方平台下线' });
    expect(gone.body).toEqual({ subscriptionId: 'gov-platform', version: 3, events: ['WebhookUnsubscribed'] });
    await h.catchUp();
    expect((await get('admin-1', '/webhook-subscriptions')).body).toEqual([]);
    expect((await post('admin-1', body)).status).toBe(409); // a cancelled id stays taken
  });
});
