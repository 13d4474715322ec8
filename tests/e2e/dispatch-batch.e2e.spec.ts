import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody as finding, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('batch');

/** 批量交办: several findings under one dispatch notice, all or nothing, and the printed notice lists them all. */
describe('POST /dispatch-notices (batch dispatch under one notice number)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object, idem = key()) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', idem).send(body);
  const record = async (over: Record<string, unknown> = {}) => (await post('insp-1', '/findings', finding(over))).body.findingId as string;

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
  });
  afterAll(async () => h.close());

  it('dispatches every finding with one gapless notice number; the notice prints them all; a replay returns the same', async () => {
    const a = await record({ description: '危房未改造（甲户）' });
    const b = await record({ severity: 'yellow', description: '饮水不达标（乙户）' });
    const idem = key();
    const res = await post('sup-1', '/dispatch-notices', { findingIds: [a, b], unitId: 'town-01', note: '限期整改' }, idem);
    expect(res.status).toBe(200);
    expect(res.body.noticeNo).toMatch(/^郸巩督〔2026〕\d+号$/);
    expect(res.body.findings).toEqual([
      { findingId: a, version: 2 },
      { findingId: b, version: 2 },
    ]);
    const again = await post('sup-1', '/dispatch-notices', { findingIds: [a, b], unitId: 'town-01', note: '限期整改' }, idem);
    expect(again.body).toEqual(res.body);

    await h.catchUp();
    for (const [id, due] of [
      [a, '2026-11-26'],
      [b, '2026-12-07'],
    ]) {
      const f = await h.http().get(`/findings/${id}`).set(as('sup-1'));
      expect(f.body).toMatchObject({ noticeNo: res.body.noticeNo, unitId: 'town-01' });
      expect(JSON.stringify(f.body)).toContain(due);
    }
    const notice = await h.http().get(`/notices/${encodeURIComponent(res.body.noticeNo)}`).set(as('jw-1'));
    expect(notice.status).toBe(200);
    expect(notice.text).toContain('危房未改造（甲户）');
    expect(notice.text).toContain('饮水不达标（乙户）');

    // The next single dispatch takes the next number: none was skipped or reused.
    const c = await record();
    const single = await post('sup-1', `/findings/${c}/dispatch`, { unitId: 'town-02' });
    const n = (no: string) => Number(/〕(\d+)号/.exec(no)![1]);
    expect(n(single.body.noticeNo)).toBe(n(res.body.noticeNo) + 1);
  });

  it('all or nothing: one finding that cannot be dispatched refuses the batch and appends nothing', async () => {
    const a = await record();
    const done = await record();
    expect((await post('sup-1', `/findings/${done}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    const before = await h.eventCount();
    const res = await post('sup-1', '/dispatch-notices', { findingIds: [a, done], unitId: 'town-01' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('FINDING_NOT_RECORDED');
    expect(await h.eventCount()).toBe(before);
  });

  it.each([
    [{ findingIds: [], unitId: 'town-01' }, 'findingIds'],
    [{ findingIds: ['not-a-uuid'], unitId: 'town-01' }, 'findingIds'],
    [{ findingIds: ['6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11', '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11'], unitId: 'town-01' }, 'findingIds'],
    [{ findingIds: ['6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11'] }, 'unitId'],
  ])('bad body %j → 400 naming %s, nothing appended', async (body, field) => {
    const before = await h.eventCount();
    const res = await post('sup-1', '/dispatch-notices', body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(await h.eventCount()).toBe(before);
  });

  it('404 for an unknown finding, 400 for an unknown unit, 403 for anyone but a supervisor', async () => {
    const a = await record();
    expect((await post('sup-1', '/dispatch-notices', { findingIds: [a, '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11'], unitId: 'town-01' })).status).toBe(404);
    const unit = await post('sup-1', '/dispatch-notices', { findingIds: [a], unitId: 'no-such-unit' });
    expect([unit.status, unit.body.field]).toEqual([400, 'unitId']);
    const official = await post('off-town-01-a', '/dispatch-notices', { findingIds: [a], unitId: 'town-01' });
    expect([official.status, official.body.rule]).toEqual([403, 'ROLE_REQUIRED']);
  });
});
