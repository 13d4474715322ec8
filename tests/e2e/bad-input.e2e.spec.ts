import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody, idempotencyKeys } from '../support/api-fixtures';

// Issue 11 items 1, 5 and 9 at the HTTP edge: whatever a client sends, the answer is a 4xx in the house error shape
// and the event log is exactly as it was.

const key = idempotencyKeys('bad-input');

const campaignBody = (over: Record<string, unknown> = {}) => ({
  campaignId: `bad-input-${Math.random().toString(36).slice(2, 10)}`,
  name: '坏输入测试专项行动',
  noticePrefix: '测督',
  phases: [{ code: 'rectification', name: '集中整改阶段', startDate: '2026-11-16', endDate: '2026-12-31' }],
  ...over,
});

describe('bad input at the HTTP edge: a clear 4xx, never a 500, nothing appended', () => {
  let h: ApiHarness;
  const auth = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: unknown) =>
    h.http().post(path).set(auth(userId)).set('Idempotency-Key', key()).send(body as object);
  /** Sends bytes exactly as given, so the test controls the encoding and the JSON text itself. */
  const postRaw = (userId: string, path: string, raw: Buffer | string, contentType = 'application/json') =>
    h.http()
      .post(path)
      .set(auth(userId))
      .set('Idempotency-Key', key())
      .set('Content-Type', contentType)
      // superagent would serialise a Buffer as JSON ({"type":"Buffer",…}); the bytes must go out as they are.
      .serialize((b: unknown) => b as string)
      .send(raw);
  const get = (userId: string, path: string) => h.http().get(path).set(auth(userId));

  /** Runs a refused request and proves the log did not move. */
  const refused = async (send: () => PromiseLike<{ status: number; body: Record<string, unknown> }>) => {
    const before = await h.eventCount();
    const res = await send();
    expect(await h.eventCount()).toBe(before);
    return res;
  };

  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  describe('text PostgreSQL cannot store (item 1)', () => {
    it('a NUL in a body string is a 400 naming the field', async () => {
      const res = await refused(() => post('insp-1', '/findings', findingBody({ description: 'a\u0000b' })));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'UNSTORABLE_TEXT', field: 'description' });
      expect(res.body.message).toMatch(/description.*\(UNSTORABLE_TEXT\)$/);
    });

    it('a lone surrogate inside a list names the item', async () => {
      const res = await refused(() => post('insp-1', '/findings', findingBody({ evidence: ['photo-001', 'x\ud800y'] })));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'UNSTORABLE_TEXT', field: 'evidence[1]' });
    });

    it('a lone low surrogate in a nested object names the nested path', async () => {
      const res = await refused(() =>
        post('admin-1', '/campaigns', campaignBody({ phases: [{ code: 'rectification', name: '\udc00', startDate: '2026-11-16', endDate: '2026-12-31' }] })),
      );
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'UNSTORABLE_TEXT', field: 'phases[0].name' });
    });

    it('a NUL in a property name is refused too (keys are stored as text as well)', async () => {
      const res = await refused(() => postRaw('insp-1', '/findings', JSON.stringify({ ...findingBody(), 'x\u0000': 1 })));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'UNSTORABLE_TEXT' });
    });

    it('a NUL in a path parameter or a query string is a 400, not a database error', async () => {
      const param = await get('sup-1', '/signers/sup%001/audit-trail');
      expect(param.status).toBe(400);
      expect(param.body).toMatchObject({ code: 'UNSTORABLE_TEXT', field: 'userId' });
      const query = await get('sup-1', '/inspection-reports?campaignId=campaign-2026-q4&teamId=team%00-1');
      expect(query.status).toBe(400);
      expect(query.body).toMatchObject({ code: 'UNSTORABLE_TEXT', field: 'teamId' });
    });

    it('a body that is not valid UTF-8 is a 400, not text silently changed to U+FFFD', async () => {
      const json = Buffer.from(JSON.stringify(findingBody({ description: 'AAAA' })), 'utf8');
      const at = json.indexOf('AAAA');
      json[at + 1] = 0xff; // never valid in UTF-8
      json[at + 2] = 0xc3; // a lead byte without its continuation
      const res = await refused(() => postRaw('insp-1', '/findings', json));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_UTF8' });
      expect(res.body.message).toMatch(/\(INVALID_UTF8\)$/);
    });

    it('valid text around the edge cases still passes: a paired surrogate (emoji) and CJK', async () => {
      const res = await post('insp-1', '/findings', findingBody({ description: '屋顶漏雨 🏠 需维修' }));
      expect(res.status).toBe(201);
    });
  });

  describe('size, depth, charset (item 5)', () => {
    it('a body over the limit is a 413 in the JSON error shape', async () => {
      const res = await refused(() => post('insp-1', '/findings', findingBody({ description: '字'.repeat(60_000) })));
      expect(res.status).toBe(413);
      expect(res.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
      expect(res.body.message).toMatch(/\(PAYLOAD_TOO_LARGE\)$/);
    });

    it('15,000 levels of nesting are a 400 naming the field, not a stack overflow', async () => {
      const deep = '['.repeat(15_000) + ']'.repeat(15_000);
      const raw = JSON.stringify(findingBody({ evidence: 'DEEP' })).replace('"DEEP"', deep);
      const res = await refused(() => postRaw('insp-1', '/findings', raw));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'NESTING_TOO_DEEP', field: 'evidence' });
      const obj = '{"a":'.repeat(15_000) + '1' + '}'.repeat(15_000);
      const policy = await refused(() => postRaw('admin-1', '/campaigns', JSON.stringify(campaignBody({ policy: 'DEEP' })).replace('"DEEP"', obj)));
      expect(policy.status).toBe(400);
      expect(policy.body).toMatchObject({ code: 'NESTING_TOO_DEEP', field: 'policy' });
    });

    it('a JSON body in any charset but UTF-8 is a 415', async () => {
      const body = JSON.stringify(findingBody());
      for (const charset of ['latin1', 'utf-16', 'iso-8859-1']) {
        const res = await refused(() => postRaw('insp-1', '/findings', body, `application/json; charset=${charset}`));
        expect([charset, res.status]).toEqual([charset, 415]);
        expect(res.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      }
      const utf8 = await postRaw('insp-1', '/findings', body, 'application/json; charset=UTF-8');
      expect(utf8.status).toBe(201);
    });

    it('malformed JSON is still a plain 400', async () => {
      const res = await refused(() => postRaw('insp-1', '/findings', '{"description": '));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    });

    const PAGED = ['/findings', '/units/town-01/claim-list', '/signers/off-town-01-a/audit-trail', '/ledgers/accountability'];

    it.each(PAGED)('%s: page=1e21, negative, fractional or hex pages are a 400 naming the field', async (path) => {
      for (const [query, field] of [
        ['page=1e21', 'page'],
        ['page=-1', 'page'],
        ['page=1.5', 'page'],
        ['page=0x10', 'page'],
        ['page=', 'page'],
        ['pageSize=1e21', 'pageSize'],
        ['pageSize=2.5', 'pageSize'],
        ['pageSize=-3', 'pageSize'],
      ]) {
        const res = await get('sup-1', `${path}?${query}`);
        expect([query, res.status, res.body.code, res.body.field]).toEqual([query, 400, 'VALIDATION_FAILED', field]);
      }
    });

    it.each([
      ['/calendar/due-date?workdays=1e21', 'workdays'],
      ['/calendar/due-date?workdays=0x10', 'workdays'],
      ['/calendar/due-date?workdays=2.5', 'workdays'],
      ['/integrity/checkpoints?limit=1e21', 'limit'],
      ['/integrity/checkpoints?beforeSize=1e21', 'beforeSize'],
      ['/integrity/checkpoints?beforeSize=-1', 'beforeSize'],
      ['/integrity/checkpoints?limit=0x10', 'limit'],
      ['/integrity/proofs/consistency?from=1e21&to=2', 'from'],
      ['/integrity/proofs/consistency?from=1&to=99999999999999999', 'to'],
      ['/integrity/proofs/inclusion?eventId=00000000-0000-4000-8000-000000000000&treeSize=1.5', 'treeSize'],
    ])('every other numeric query parameter: %s is a 400 naming %s', async (path, field) => {
      const res = await get('sup-1', path);
      expect([res.status, res.body.code, res.body.field]).toEqual([400, 'VALIDATION_FAILED', field]);
    });

    it('a path segment that does not decode is a 400, not a 500', async () => {
      const res = await get('sup-1', '/signers/%E0%A4%A/audit-trail');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'BAD_REQUEST' });
    });

    it.each(PAGED)('%s: a large but valid page far past any row is an empty page', async (path) => {
      const res = await get('sup-1', `${path}?page=1000000&pageSize=200`);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(res.body.page).toBe(1000000);
    });
  });

  describe('policy, prototype keys, unknown units and signers (item 9)', () => {
    it.each([
      [{ deadlineWorkdays: 'fast' }, 'policy.deadlineWorkdays'],
      [{ deadlineWorkdays: { red: 3, purple: 9 } }, 'policy.deadlineWorkdays.purple'],
      [{ deadlineWorkdays: { red: '3' } }, 'policy.deadlineWorkdays.red'],
      [{ ladder: [1, 2] }, 'policy.ladder'],
      [{ speed: 'fast' }, 'policy.speed'],
      [{ progressCutoff: '25:00' }, 'policy.progressCutoff'],
      ['fast', 'policy'],
      [[3, 10, 20], 'policy'],
    ])('policy %j is a 400 naming %s', async (policy, field) => {
      const res = await refused(() => post('admin-1', '/campaigns', campaignBody({ policy })));
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(String(res.body.message)).toMatch(/\([A-Z_]+\)$/);
    });

    it('a valid partial policy is still accepted and stored in full', async () => {
      const body = campaignBody({ policy: { deadlineWorkdays: { red: 2 }, ladder: { interviewAfterWorkdays: 4 }, progressCutoff: '17:00' } });
      const res = await post('admin-1', '/campaigns', body);
      expect(res.status).toBe(201);
      const { rows } = await h.db.adminPool.query(
        `SELECT data::jsonb->'policy' AS policy FROM events WHERE stream_id = $1 AND type = 'CampaignCreated'`,
        [`campaign-${body.campaignId}`],
      );
      expect(rows[0].policy).toMatchObject({ deadlineWorkdays: { red: 2, yellow: 10, blue: 20 }, ladder: { interviewAfterWorkdays: 4 } });
      expect(Object.keys(rows[0].policy.deadlineWorkdays).sort()).toEqual(['blue', 'red', 'yellow']);
    });

    it.each(['__proto__', 'constructor', 'prototype'])('a "%s" key anywhere in a body is a 400', async (name) => {
      const top = await refused(() => postRaw('insp-1', '/findings', JSON.stringify(findingBody()).replace(/^\{/, `{"${name}":{"isAdmin":true},`)));
      expect(top.status).toBe(400);
      expect(top.body).toMatchObject({ code: 'VALIDATION_FAILED', field: name });
      const nested = await refused(() =>
        postRaw('admin-1', '/campaigns', JSON.stringify(campaignBody({ policy: { ladder: 'X' } })).replace('"X"', `{"${name}":{"a":1}}`)),
      );
      expect(nested.status).toBe(400);
      expect(nested.body).toMatchObject({ code: 'VALIDATION_FAILED', field: `policy.ladder.${name}` });
    });

    it('an unknown unit’s claim list (screen and export) is a 404; a known one is 200', async () => {
      const screen = await get('sup-1', '/units/no-such-unit/claim-list');
      expect(screen.status).toBe(404);
      expect(screen.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      const file = await get('sup-1', '/exports/units/no-such-unit/claim-list.xlsx');
      expect(file.status).toBe(404);
      expect(file.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect((await get('sup-1', '/units/town-02/claim-list')).status).toBe(200);
      // A unit official still learns nothing about other units, existing or not.
      expect((await get('off-town-01-a', '/units/no-such-unit/claim-list')).status).toBe(403);
    });

    it('an unknown signer’s audit trail is a 404; a known signer with nothing signed is 200', async () => {
      const res = await get('sup-1', '/signers/nobody-at-all/audit-trail');
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
      expect((await get('jw-1', '/signers/off-town-05-b/audit-trail')).status).toBe(200);
      expect((await get('off-town-01-a', '/signers/nobody-at-all/audit-trail')).status).toBe(403);
    });
  });
});
