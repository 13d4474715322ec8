import type { TimerKind } from '@duban/domain';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, fireTimer, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('audit');

type Change = { field: string; label: string; before: string | null; after: string | null; beforeCode?: string; afterCode?: string };
type Entry = { version: number; eventType: string; signer: { id: string; name: string; unitId: string; unitName: string; role: string } | null; at: string; reason: string | null; changes: Change[]; attributedTo: unknown; relation?: string[]; relationLabel?: string; findingId: string | null };

describe('audit trail views over HTTP: every event with signer, time, reason and what changed', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: unknown) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', key()).send(body as object);
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));
  const change = (e: Entry | undefined, field: string) => e?.changes.find((c) => c.field === field);

  const fire = async (findingId: string, kind: TimerKind) => void (await fireTimer(h, findingId, kind, { moveClock: true }));

  let id: string;
  let trail: Entry[];

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    const rec = await post('insp-1', '/findings', {
      campaignId: CAMPAIGN, source: 'household_inspection', categoryCode: '2.3', severity: 'yellow', townUnitId: 'town-01',
      village: '张庄村', household: '张某某', description: '住房未鉴定', evidence: [],
    });
    id = rec.body.findingId;
    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200); // v2
    expect((await post('sup-1', `/findings/${id}/amend`, { severity: 'red', description: '住房为C级危房，未纳入改造', reason: '复核后升级为红色' })).status).toBe(200); // v3
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200); // v4
    expect((await post('off-town-01-a', `/findings/${id}/extension-requests`, { workdays: 2, reason: '施工队雨天停工' })).status).toBe(200); // v5
    expect((await post('sup-2', `/findings/${id}/extension-requests/grant`, { reason: '同意' })).status).toBe(200); // v6
    await fire(id, 'daily_report'); // v7: 郑爱民 missed a report; signed by the system, attributed to him
    h.clock.set('2026-11-25T02:00:00.000Z');
    expect((await post('sup-1', `/findings/${id}/reassign`, { toUnitId: 'dept-housing', reason: '属住房保障行业职责' })).status).toBe(200); // v8
    expect((await post('off-dept-housing-a', `/findings/${id}/claim`, {})).status).toBe(200); // v9
    await h.catchUp();
    const res = await get('jw-1', `/findings/${id}/audit-trail`);
    expect(res.status).toBe(200);
    trail = res.body;
  });
  afterAll(async () => h.close());

  it('every event carries type, signer (name, unit, role), time and reason', () => {
    expect(trail.map((e) => e.eventType)).toEqual([
      'FindingRecorded', 'FindingDispatched', 'FindingAmended', 'FindingClaimed', 'ExtensionRequested',
      'ExtensionGranted', 'DailyReportMissed', 'FindingReassigned', 'FindingClaimed',
    ]);
    for (const e of trail) {
      expect(e.signer).toEqual(expect.objectContaining({ id: expect.any(String), name: expect.any(String), role: expect.any(String) }));
      expect(typeof e.at).toBe('string');
      expect(Array.isArray(e.changes)).toBe(true);
    }
    expect(trail[1].signer).toMatchObject({ id: 'sup-1', name: '李秀英', unitId: 'county-office', unitName: '县巩固办', role: 'supervisor' });
    expect(trail[2].reason).toBe('复核后升级为红色');
  });

  it('a dispatch: status 已登记 → 已交办, unit, notice number and due date', () => {
    const d = trail[1];
    expect(change(d, 'status')).toMatchObject({ label: '状态', before: '已登记', after: '已交办' });
    expect(change(d, 'unit')).toMatchObject({ label: '责任单位', before: null, after: '洺北街道', afterCode: 'town-01' });
    expect(change(d, 'noticeNo')?.after).toMatch(/^郸巩督〔2026〕\d+号$/);
    // Yellow = 10 workdays after Monday 11-23 → 12-07.
    expect(change(d, 'dueDate')).toMatchObject({ label: '整改期限', before: null, after: '2026-12-07' });
  });

  it('an amendment: old → new values', () => {
    expect(change(trail[2], 'severity')).toMatchObject({ label: '严重程度', before: '黄色', after: '红色' });
    expect(change(trail[2], 'description')).toMatchObject({ before: '住房未鉴定', after: '住房为C级危房，未纳入改造' });
  });

  it('an extension: the due date moves', () => {
    const dd = change(trail[5], 'dueDate')!;
    expect(dd.label).toBe('整改期限');
    expect(dd.before).toBe('2026-12-07');
    expect(dd.after).toBe('2026-12-09');
    expect(change(trail[5], 'extensionRequest')).toMatchObject({ before: '2 个工作日：施工队雨天停工', after: '已批准' });
  });

  it('a reassignment: unit and owner change (and the new claim names the new owner)', () => {
    const r = trail[7];
    expect(r.reason).toBe('属住房保障行业职责');
    expect(change(r, 'status')).toMatchObject({ before: '整改中', after: '已交办' });
    expect(change(r, 'unit')).toMatchObject({ before: '洺北街道', after: '县住建局', beforeCode: 'town-01', afterCode: 'dept-housing' });
    expect(change(r, 'owner')).toMatchObject({ label: '责任人', before: '郑爱民', after: null, beforeCode: 'off-town-01-a' });
    expect(change(r, 'noticeNo')?.before).not.toBe(change(r, 'noticeNo')?.after);
    expect(change(trail[8], 'owner')).toMatchObject({ before: null, after: '丁文杰', afterCode: 'off-dept-housing-a' });
  });

  it("a person's view lists what they signed and what is attributed to them", async () => {
    const res = await get('jw-1', '/signers/off-town-01-a/audit-trail?pageSize=200');
    expect(res.status).toBe(200);
    const items: Entry[] = res.body.items;
    const mine = items.filter((e) => e.findingId === id);
    expect(mine.map((e) => [e.eventType, e.relation])).toEqual([
      ['FindingClaimed', ['signed']],
      ['ExtensionRequested', ['signed']],
      ['DailyReportMissed', ['attributed']],
    ]);
    const missed = mine[2];
    expect(missed).toMatchObject({
      relationLabel: '记在本人名下（后果归责）',
      signer: { id: 'system' },
      attributedTo: { person: { id: 'off-town-01-a', name: '郑爱民' }, unitId: 'town-01', unitName: '洺北街道' },
    });
    expect(res.body.total).toBe(items.length);
    // The official may read their own record, not a colleague's.
    expect((await get('off-town-01-a', '/signers/off-town-01-a/audit-trail')).status).toBe(200);
    expect((await get('off-town-01-a', '/signers/sup-1/audit-trail')).status).toBe(403);
  });
});
