import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, idempotencyKeys, findingBody as finding } from '../support/api-fixtures';

const key = idempotencyKeys('notice');

describe('督办通知书 (dispatch notice) over HTTP: print-ready HTML from the read model', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: unknown) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', key()).send(body as object);
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));

  let id: string;
  let noticeNo: string;
  let xss: string;
  let xssNotice: string;

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    const rec = await post('insp-1', '/findings', finding());
    expect(rec.status).toBe(201);
    id = rec.body.findingId;
    const dis = await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01', note: '请镇主要负责同志亲自督办' });
    expect(dis.status).toBe(200);
    noticeNo = dis.body.noticeNo;

    const rec2 = await post('insp-1', '/findings', finding({ severity: 'blue', categoryCode: '2.4', village: '李家庄村', household: '李某', description: '<script>alert("x")</script> & 饮水不达标' }));
    xss = rec2.body.findingId;
    const dis2 = await post('sup-2', `/findings/${xss}/dispatch`, { unitId: 'town-01' });
    expect(dis2.status).toBe(200);
    xssNotice = dis2.body.noticeNo;
    await h.catchUp();
  });
  afterAll(async () => h.close());

  it('GET /notices/:noticeNo: number, unit, each finding with its deadline, policy lines, signer, date, office', async () => {
    const res = await get('jw-1', `/notices/${encodeURIComponent(noticeNo)}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = res.text;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('@page { size: A4');
    expect(noticeNo).toMatch(/^郸巩督〔2026〕\d+号$/);
    expect(html).toContain(noticeNo);
    expect(html).toContain('<h1>督办通知书</h1>');
    expect(html).toContain('洺北街道：'); // addressed unit (town-01)
    expect(html).toContain('张庄村');
    expect(html).toContain('张某某');
    expect(html).toContain('2.3 '); // checklist code and its name
    expect(html).toContain('红色');
    expect(html).toContain('脱贫户张某某住房为C级危房，未纳入改造');
    // Red = 3 workdays after Monday 11-23 → Thursday 11-26.
    expect(html).toContain('2026年11月26日前');
    expect(html).toContain('1个工作日内在督办系统中认领');
    expect(html).toContain('17:30前报送整改进展');
    expect(html).toContain('签发人：李秀英');
    expect(html).toContain('县巩固办');
    expect(html).toContain('2026年11月23日');
    expect(html).toContain('交办要求：请镇主要负责同志亲自督办');
    expect(html).not.toContain(xss); // a notice shows only its own findings
  });

  it('escapes every text: a <script> in a description is printed, never run', async () => {
    const res = await get('sup-3', `/notices/${encodeURIComponent(xssNotice)}`);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<script>');
    expect(res.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 饮水不达标');
    expect(res.text).toContain('签发人：张国强');
    expect(res.text).toContain('蓝色');
  });

  it("GET /findings/:id/notice: the notice of the finding's current dispatch, which follows a reassignment", async () => {
    const before = await get('insp-1', `/findings/${id}/notice`);
    expect(before.status).toBe(200);
    expect(before.text).toContain(noticeNo);

    h.clock.set('2026-11-23T06:00:00.000Z');
    const re = await post('sup-1', `/findings/${id}/reassign`, { toUnitId: 'dept-housing', reason: '属住房保障行业职责' });
    expect(re.status).toBe(200);
    const newNo = re.body.noticeNo;
    expect(newNo).not.toBe(noticeNo);
    await h.catchUp();
    const after = await get('jw-1', `/findings/${id}/notice`);
    expect(after.status).toBe(200);
    expect(after.text).toContain(newNo);
    expect(after.text).toContain('县住建局：');
    expect(after.text).toContain('原交办洺北街道');
    expect(after.text).toContain('属住房保障行业职责');
    // The first notice is still there, as issued, for the unit it was addressed to.
    const old = await get('off-town-01-a', `/notices/${encodeURIComponent(noticeNo)}`);
    expect(old.status).toBe(200);
    expect(old.text).toContain('洺北街道：');
  });

  it('scopes to the addressed unit (403 for another unit, as the other ledgers), 404 when unknown', async () => {
    expect((await get('off-town-01-a', `/notices/${encodeURIComponent(xssNotice)}`)).status).toBe(200);
    const other = await get('off-town-04-a', `/notices/${encodeURIComponent(xssNotice)}`);
    expect(other.status).toBe(403);
    expect(other.headers['content-type']).toMatch(/^application\/json/); // an error is never labelled HTML
    expect(other.body.code).toBe('UNIT_SCOPE');
    expect(other.text).not.toContain('饮水');
    expect((await get('off-town-04-a', `/findings/${xss}/notice`)).status).toBe(403);
    // The finding moved to 县住建局: its current notice is no longer town-01's.
    expect((await get('off-town-01-a', `/findings/${id}/notice`)).status).toBe(403);
    for (const who of ['insp-1', 'sup-1', 'jw-1', 'admin-1']) {
      expect((await get(who, `/notices/${encodeURIComponent(xssNotice)}`)).status).toBe(200);
    }
    const unknown = await get('jw-1', `/notices/${encodeURIComponent('郸巩督〔2026〕999号')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('NOT_FOUND');
    expect((await get('jw-1', '/findings/00000000-0000-4000-8000-000000000000/notice')).status).toBe(404);
    // Recorded but never dispatched: no notice yet.
    const rec = await post('insp-1', '/findings', finding());
    await h.catchUp();
    expect((await get('sup-1', `/findings/${rec.body.findingId}/notice`)).status).toBe(404);
    expect((await h.http().get(`/notices/${encodeURIComponent(noticeNo)}`)).status).toBe(401);
  });
});
