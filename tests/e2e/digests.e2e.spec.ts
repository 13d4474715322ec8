import { CampaignReminders, createWriteSide } from '@duban/application';
import { EVENT_STORE, type EventStore } from '@duban/event-store';
import { InboxNotifier, OutboundMessages, sendDueDigests } from '@duban/read-models';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN, findingBody as finding, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('digests');

describe('提醒设置 and 每日摘要 over HTTP: POST/GET /campaigns/:id/reminder-settings, GET /digests', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));
  const change = (userId: string, body: object, k = key(), campaignId = DEMO_CAMPAIGN) =>
    h.http().post(`/campaigns/${campaignId}/reminder-settings`).set(as(userId)).set('Idempotency-Key', k).send(body);

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    await h.catchUp();
  });
  afterAll(async () => h.close());

  it('a campaign that never set them has the defaults', async () => {
    const res = await get('admin-1', `/campaigns/${DEMO_CAMPAIGN}/reminder-settings`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      campaignId: DEMO_CAMPAIGN,
      settings: { remindAt: '09:00', morningAt: '08:30', digestAt: '08:30', quietHours: { from: '21:00', to: '08:00' }, enabled: ['due_tomorrow', 'report_today', 'rung_tomorrow', 'digest'] },
      isDefault: true,
      changedBy: null,
      changedAt: null,
    });
  });

  it('an administrator moves the digest to 10:30: signed on the campaign, a retry replays it, the same settings again record nothing', async () => {
    const k = key();
    const first = await change('admin-1', { digestAt: '10:30' }, k);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ campaignId: DEMO_CAMPAIGN, events: ['ReminderSettingsChanged'], settings: { digestAt: '10:30', remindAt: '09:00' } });
    expect((await change('admin-1', { digestAt: '10:30' }, k)).body).toEqual(first.body);
    expect((await change('admin-1', { digestAt: '10:30' })).body).toMatchObject({ events: [], version: first.body.version });
    await h.catchUp();
    const now = (await get('sup-1', `/campaigns/${DEMO_CAMPAIGN}/reminder-settings`)).body;
    expect(now).toMatchObject({ isDefault: false, settings: { digestAt: '10:30' }, changedAt: '2026-11-23T02:00:00.000Z' });
    const trail = (await get('admin-1', '/signers/admin-1/audit-trail')).body.items.filter((t: { eventType: string }) => t.eventType === 'ReminderSettingsChanged');
    expect(trail.map((t: { summary: string }) => t.summary)).toEqual([
      '修改提醒设置：每日摘要 10:30，临近提醒 09:00，进度提醒 08:30，免打扰 21:00–08:00；启用：期限前一工作日、当日进度、升级前一工作日、每日摘要',
    ]);
  });

  it('refusals change nothing: an hour in the quiet hours (400 naming it), a malformed hour, an unknown switch, a supervisor, an unknown campaign', async () => {
    const quiet = await change('admin-1', { digestAt: '22:00' });
    expect(quiet.status).toBe(400);
    expect(quiet.body.field).toBe('digestAt');
    expect((await change('admin-1', { digestAt: '25:00' })).status).toBe(400);
    const sw = await change('admin-1', { enabled: ['sms'] });
    expect(sw.status).toBe(400);
    expect(JSON.stringify(sw.body)).toContain('enabled');
    expect((await change('admin-1', { quietHours: { from: '20:00' } })).status).toBe(400);
    expect((await change('sup-1', { digestAt: '09:30' })).status).toBe(403);
    expect((await change('admin-1', { digestAt: '09:30' }, key(), 'no-such-campaign')).status).toBe(404);
    expect((await get('off-town-01-a', `/campaigns/${DEMO_CAMPAIGN}/reminder-settings`)).status).toBe(403);
  });

  it('at the campaign’s 10:30 the unit’s digest is recorded once; its officials read it in /digests and their inboxes; another unit’s official cannot', async () => {
    const rec = await h.http().post('/findings').set(as('insp-1')).set('Idempotency-Key', key()).send(finding());
    const dis = await h.http().post(`/findings/${rec.body.findingId}/dispatch`).set(as('sup-1')).set('Idempotency-Key', key()).send({ unitId: 'town-01' });
    expect(dis.status).toBe(200);
    const store = h.app.get<EventStore>(EVENT_STORE);
    if (!(await new InboxNotifier(h.db.appPool).subscription.catchUpTo(await store.head()))) throw new Error('the notifier did not reach the head');
    const reminders = new CampaignReminders(createWriteSide({ store, clock: h.clock }).campaignContexts);
    const campaignOf = (id: string) => reminders.of(id);
    expect(await sendDueDigests(h.db.appPool, '2026-11-23T02:29:00.000Z', campaignOf)).toBe(0);
    const recorded = await sendDueDigests(h.db.appPool, '2026-11-23T02:30:00.000Z', campaignOf);
    expect(recorded).toBeGreaterThanOrEqual(1);
    expect(await sendDueDigests(h.db.appPool, '2026-11-23T02:31:00.000Z', campaignOf)).toBe(0);

    const mine = await get('off-town-01-a', '/digests');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(1);
    const [digest] = mine.body.items;
    expect(digest).toMatchObject({ campaignId: DEMO_CAMPAIGN, unitId: 'town-01', workday: '2026-11-23', digestAt: '2026-11-23T02:30:00.000Z' });
    expect(digest.sections.new.map((i: { findingId: string }) => i.findingId)).toContain(rec.body.findingId);
    expect(digest.recipients).toEqual(expect.arrayContaining(['off-town-01-a', 'off-town-01-b']));
    expect((await get('off-town-01-a', '/inbox')).body.items.filter((n: { kind: string }) => n.kind === 'digest').map((n: { about: string }) => n.about)).toEqual([digest.digestKey]);
    expect((await new OutboundMessages(h.db.appPool).about(digest.digestKey)).map((m) => m.userId)).toEqual(digest.recipients);

    expect((await get('off-town-01-a', '/digests?unitId=town-02')).status).toBe(403);
    expect((await get('off-town-02-a', '/digests')).body.items.every((d: { unitId: string }) => d.unitId === 'town-02')).toBe(true);
    expect((await get('sup-1', '/digests?unitId=town-01&from=2026-11-23&to=2026-11-23')).body.items.map((d: { digestKey: string }) => d.digestKey)).toEqual([digest.digestKey]);
    const bad = await get('sup-1', '/digests?from=2026-13-01');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('from');
  });
});
