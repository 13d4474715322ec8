import { verifyChains } from '@duban/event-store';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, idempotencyKeys, findingBody as finding, uploadEvidence } from '../support/api-fixtures';

const key = idempotencyKeys('test');

describe('API end to end over HTTP (real PostgreSQL)', () => {
  let h: ApiHarness;
  const as = (userId: string, over?: Parameters<ApiHarness['token']>[1]) => ({ Authorization: `Bearer ${h.token(userId, over)}` });

  const post = (userId: string, path: string, body: unknown, idem: string | null = key(), over?: Parameters<ApiHarness['token']>[1]) => {
    const r = h.http().post(path).set(as(userId, over));
    if (idem) r.set('Idempotency-Key', idem);
    return r.send(body as object);
  };

  async function recordAndDispatch(over: Record<string, unknown> = {}): Promise<string> {
    const rec = await post('insp-1', '/findings', finding(over));
    expect(rec.status).toBe(201);
    const dis = await post('sup-1', `/findings/${rec.body.findingId}/dispatch`, { unitId: over.townUnitId ?? 'town-01' });
    expect(dis.status).toBe(200);
    return rec.body.findingId;
  }

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
  });
  afterAll(async () => h.close());

  it('runs the whole lifecycle and every ledger shows who signed each step', async () => {
    const rec = await post('insp-1', '/findings', finding());
    expect(rec.status).toBe(201);
    const id = rec.body.findingId;
    expect(rec.body).toMatchObject({ version: 1, events: ['FindingRecorded'] });

    const dis = await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01', expectedVersion: 1, note: '限期整改' });
    expect(dis.status).toBe(200);
    expect(dis.body.noticeNo).toMatch(/^郸巩督〔2026〕\d+号$/);

    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    expect(
      (await post('off-town-01-a', `/findings/${id}/plan`, { plan: '纳入危房改造', measures: ['鉴定', '施工'], plannedCompletionDate: '2026-11-26' })).status,
    ).toBe(200);
    h.clock.set('2026-11-23T09:00:00.000Z');
    expect((await post('off-town-01-a', `/findings/${id}/progress`, { summary: '已完成鉴定', percent: 40, evidence: [await uploadEvidence(h, 'off-town-01-a')] })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/extension-requests`, { workdays: 2, reason: '施工队雨天停工' })).status).toBe(200);
    expect((await post('sup-1', `/findings/${id}/extension-requests/grant`, { reason: '同意' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/rectification`, { summary: '改造完成', evidence: [await uploadEvidence(h, 'off-town-01-a')] })).status).toBe(200);
    const verified = await post('sup-2', `/findings/${id}/verify`, { note: '验收合格，予以销号' });
    expect(verified.status).toBe(200);
    expect(verified.body.events).toEqual(['FindingClosed']);

    await h.catchUp();
    const row = await h.http().get(`/findings/${id}`).set(as('jw-1'));
    expect(row.status).toBe(200);
    expect(row.body).toMatchObject({
      findingId: id,
      state: 'Closed',
      unitId: 'town-01',
      noticeNo: dis.body.noticeNo,
      // Red = 3 workdays after Monday 11-23 → Thursday 11-26; +2 granted → Monday 11-30.
      dueDate: '2026-11-30',
      daysOverdue: 0,
    });
    expect(JSON.stringify(row.body)).toContain('陈红梅'); // recorded by insp-1
    expect(JSON.stringify(row.body)).toContain('郑爱民'); // owner off-town-01-a
    expect(JSON.stringify(row.body)).toContain('张国强'); // verified by sup-2

    const claims = await h.http().get('/units/town-01/claim-list').set(as('off-town-01-b'));
    expect(claims.status).toBe(200);
    expect(claims.body.items.find((c: { findingId: string }) => c.findingId === id)).toMatchObject({
      status: 'closed',
      claimedBy: { id: 'off-town-01-a', name: '郑爱民' },
    });

    const rect = await h.http().get(`/findings/${id}/rectification`).set(as('off-town-01-a'));
    expect(rect.status).toBe(200);
    expect(JSON.stringify(rect.body)).toContain('纳入危房改造');
    expect(JSON.stringify(rect.body)).toContain('已完成鉴定');

    const trail = await h.http().get(`/findings/${id}/audit-trail`).set(as('jw-1'));
    expect(trail.status).toBe(200);
    expect(trail.body.map((e: { eventType: string }) => e.eventType)).toEqual([
      'FindingRecorded',
      'FindingDispatched',
      'FindingClaimed',
      'RectificationPlanSubmitted',
      'ProgressReported',
      'ExtensionRequested',
      'ExtensionGranted',
      'RectificationSubmitted',
      'FindingClosed',
    ]);
    for (let i = 1; i < trail.body.length; i++) expect(trail.body[i].prevHash).toBe(trail.body[i - 1].hash);
    expect((await verifyChains(h.db.appPool)).ok).toBe(true);
  });

  it('corrects without editing: amend, refuse, reject, reassign, reopen and annul are new signed events', async () => {
    const id = await recordAndDispatch({ townUnitId: 'town-04', severity: 'yellow' });
    expect((await post('sup-1', `/findings/${id}/amend`, { severity: 'red', reason: '复核后升级为红色' })).status).toBe(200);
    expect((await post('off-town-04-a', `/findings/${id}/claim`, {})).status).toBe(200);
    expect((await post('off-town-04-a', `/findings/${id}/extension-requests`, { workdays: 5, reason: '资金未到位' })).status).toBe(200);
    expect((await post('sup-2', `/findings/${id}/extension-requests/refuse`, { reason: '红色问题不予延期' })).status).toBe(200);
    expect((await post('off-town-04-a', `/findings/${id}/rectification`, { summary: '已整改', evidence: [await uploadEvidence(h, 'off-town-04-a')] })).status).toBe(200);
    expect((await post('sup-2', `/findings/${id}/reject`, { reason: '佐证不足' })).status).toBe(200);
    // Ownership moves only by a supervisor's reassignment plus the new unit's claim.
    const reassigned = await post('sup-1', `/findings/${id}/reassign`, { toUnitId: 'dept-housing', reason: '属住建部门职责' });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.noticeNo).toMatch(/^郸巩督〔2026〕\d+号$/);
    expect((await post('off-town-04-a', `/findings/${id}/progress`, { summary: '继续整改' })).status).toBe(403);
    expect((await post('off-dept-housing-a', `/findings/${id}/claim`, {})).status).toBe(200);
    expect((await post('off-dept-housing-a', `/findings/${id}/rectification`, { summary: '已鉴定并改造', evidence: [await uploadEvidence(h, 'off-dept-housing-a')] })).status).toBe(200);
    expect((await post('sup-3', `/findings/${id}/verify`, {})).status).toBe(200);
    expect((await post('sup-1', `/findings/${id}/reopen`, { reason: '回头看发现反弹', deadlineWorkdays: 3 })).status).toBe(200);

    await h.catchUp();
    const row = (await h.http().get(`/findings/${id}`).set(as('jw-2'))).body;
    expect(row).toMatchObject({ state: 'InRectification', severity: 'red', unitId: 'dept-housing', owner: { id: 'off-dept-housing-a' } });
    const oldList = (await h.http().get('/units/town-04/claim-list').set(as('sup-1'))).body.items;
    expect(oldList.find((c: { findingId: string }) => c.findingId === id)).toMatchObject({ status: 'reassigned_away' });
    const trail = (await h.http().get(`/findings/${id}/audit-trail`).set(as('jw-2'))).body as Array<{ eventType: string; reason: string | null; signer: unknown }>;
    expect(trail.map((e) => e.eventType)).toEqual([
      'FindingRecorded', 'FindingDispatched', 'FindingAmended', 'FindingClaimed', 'ExtensionRequested', 'ExtensionRefused',
      'RectificationSubmitted', 'RectificationRejected', 'FindingReassigned', 'FindingClaimed', 'RectificationSubmitted',
      'FindingClosed', 'FindingReopened',
    ]);
    expect(trail.find((e) => e.eventType === 'RectificationRejected')!.reason).toBe('佐证不足');
    expect(JSON.stringify(trail.find((e) => e.eventType === 'FindingReassigned'))).toContain('县住建局');

    const spare = await recordAndDispatch();
    expect((await post('sup-1', `/findings/${spare}/annul`, { reason: '重复登记' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${spare}/claim`, {})).status).toBe(409);
  });

  describe('each 403 rule refuses and appends nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = await recordAndDispatch();
      expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    });

    const cases: Array<[string, string, () => Promise<import('supertest').Response>]> = [
      ['READ_ONLY_ROLE', 'the discipline inspector writes nothing', () => post('jw-1', '/findings', finding())],
      ['ADMIN_CANNOT_SIGN', 'an administrator signs on nobody’s behalf', () => post('admin-1', '/findings', finding())],
      ['ROLE_REQUIRED', 'an inspector cannot reassign', () => post('insp-1', `/findings/${id}/reassign`, { toUnitId: 'town-02', reason: '改派' })],
      ['UNIT_SCOPE', 'another town cannot touch the finding', () => post('off-town-02-a', `/findings/${id}/progress`, { summary: '代报' })],
      ['SIGNER_OWNS_IT', 'only the owner reports progress', () => post('off-town-01-b', `/findings/${id}/progress`, { summary: '代报' })],
    ];
    it.each(cases)('%s: %s', async (rule, _why, act) => {
      const before = await h.eventCount();
      const res = await act();
      expect(res.status).toBe(403);
      expect(res.body.rule).toBe(rule);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(await h.eventCount()).toBe(before);
    });

    it('SEPARATION_OF_DUTIES: the signer of the rectification cannot verify it, even after becoming a supervisor', async () => {
      expect((await post('off-town-01-a', `/findings/${id}/rectification`, { summary: '已整改', evidence: [await uploadEvidence(h, 'off-town-01-a')] })).status).toBe(200);
      const before = await h.eventCount();
      // Promoted in the directory (the token must say so too), then put back for the tests after this one.
      const move = (role: string, unitId: string) =>
        h.db.adminPool.query(`UPDATE directory_users SET role = $1, unit_id = $2 WHERE user_id = 'off-town-01-a'`, [role, unitId]);
      await move('supervisor', 'county-office');
      let res;
      try {
        res = await post('off-town-01-a', `/findings/${id}/verify`, {}, key(), { role: 'supervisor', unitId: 'county-office' });
      } finally {
        await move('unit_official', 'town-01');
      }
      expect(res.status).toBe(403);
      expect(res.body.rule).toBe('SEPARATION_OF_DUTIES');
      expect(await h.eventCount()).toBe(before);
    });

    it('UNIT_SCOPE on reads: another town neither sees nor opens the finding', async () => {
      await h.catchUp();
      const list = await h.http().get('/findings').set(as('off-town-02-a'));
      expect(list.status).toBe(200);
      expect(list.body.items.map((f: { findingId: string }) => f.findingId)).not.toContain(id);
      const one = await h.http().get(`/findings/${id}`).set(as('off-town-02-a'));
      expect(one.status).toBe(403);
      expect(one.body.rule).toBe('UNIT_SCOPE');
      expect((await h.http().get('/units/town-01/claim-list').set(as('off-town-02-a'))).status).toBe(403);
    });
  });

  it('409 on a stale expected version and on a step the state does not allow; nothing appended', async () => {
    const rec = await post('insp-1', '/findings', finding());
    const id = rec.body.findingId;
    const before = await h.eventCount();
    const stale = await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01', expectedVersion: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('VERSION_CONFLICT');
    const early = await post('sup-2', `/findings/${id}/verify`, {});
    expect(early.status).toBe(409);
    expect(early.body.message).toContain(early.body.code);
    expect(await h.eventCount()).toBe(before);
  });

  it('numbers dispatch notices per campaign without gaps, even when dispatched concurrently', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await post('insp-2', '/findings', finding({ description: `并发交办 ${i}` }))).body.findingId);
    const results = await Promise.all(ids.map((id) => post('sup-3', `/findings/${id}/dispatch`, { unitId: 'town-03' })));
    expect(results.map((r) => [r.status, r.body.code ?? r.body.noticeNo])).toEqual(ids.map(() => [200, expect.any(String)]));
    const numbers = results.map((r) => Number(/〔2026〕(\d+)号/.exec(r.body.noticeNo)![1])).sort((a, b) => a - b);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBe(numbers[i - 1] + 1);
  });

  it('replays an idempotent command with the first result and refuses a reused key for another body', async () => {
    const k = key();
    const first = await post('insp-1', '/findings', finding({ description: '幂等测试' }), k);
    const before = await h.eventCount();
    const again = await post('insp-1', '/findings', finding({ description: '幂等测试' }), k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await h.eventCount()).toBe(before);
    const reused = await post('insp-1', '/findings', finding({ description: '另一个问题' }), k);
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.eventCount()).toBe(before);
  });

  it('answers two concurrent deliveries of the same command once: one append, the same result twice', async () => {
    const k = key();
    const before = await h.eventCount();
    const [a, b] = await Promise.all([
      post('insp-3', '/findings', finding({ description: '并发重试' }), k),
      post('insp-3', '/findings', finding({ description: '并发重试' }), k),
    ]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body).toEqual(b.body);
    expect(await h.eventCount()).toBe(before + 1);
  });

  describe('bad input of every field type is a 400 naming the field, and appends nothing', () => {
    let id: string;
    beforeAll(async () => {
      id = await recordAndDispatch();
      expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    });

    const long = '长'.repeat(4001);
    const cases: Array<[string, string, string, () => { path: string; body: unknown; user: string }]> = [
      ['missing text', 'campaignId', 'POST /findings', () => ({ path: '/findings', body: { ...finding(), campaignId: undefined }, user: 'insp-1' })],
      ['enum', 'source', 'POST /findings', () => ({ path: '/findings', body: finding({ source: 'gossip' }), user: 'insp-1' })],
      ['enum', 'severity', 'POST /findings', () => ({ path: '/findings', body: finding({ severity: 'purple' }), user: 'insp-1' })],
      ['pattern', 'categoryCode', 'POST /findings', () => ({ path: '/findings', body: finding({ categoryCode: 'abc' }), user: 'insp-1' })],
      ['unknown checklist item', 'categoryCode', 'POST /findings', () => ({ path: '/findings', body: finding({ categoryCode: '9.9' }), user: 'insp-1' })],
      ['unit of the wrong kind', 'townUnitId', 'POST /findings', () => ({ path: '/findings', body: finding({ townUnitId: 'dept-education' }), user: 'insp-1' })],
      ['empty text', 'description', 'POST /findings', () => ({ path: '/findings', body: finding({ description: '' }), user: 'insp-1' })],
      ['too long', 'description', 'POST /findings', () => ({ path: '/findings', body: finding({ description: long }), user: 'insp-1' })],
      ['wrong type', 'description', 'POST /findings', () => ({ path: '/findings', body: finding({ description: 42 }), user: 'insp-1' })],
      ['array of non-strings', 'evidence', 'POST /findings', () => ({ path: '/findings', body: finding({ evidence: [1, 2] }), user: 'insp-1' })],
      ['not an array', 'evidence', 'POST /findings', () => ({ path: '/findings', body: finding({ evidence: 'photo' }), user: 'insp-1' })],
      ['unknown property', 'hacker', 'POST /findings', () => ({ path: '/findings', body: finding({ hacker: true }), user: 'insp-1' })],
      ['integer below range', 'expectedVersion', 'progress', () => ({ path: `/findings/${id}/progress`, body: { summary: 'x', expectedVersion: -1 }, user: 'off-town-01-a' })],
      ['integer above range', 'percent', 'progress', () => ({ path: `/findings/${id}/progress`, body: { summary: 'x', percent: 101 }, user: 'off-town-01-a' })],
      ['fraction for an integer', 'workdays', 'extension', () => ({ path: `/findings/${id}/extension-requests`, body: { workdays: 1.5, reason: 'x' }, user: 'off-town-01-a' })],
      ['string for an integer', 'workdays', 'extension', () => ({ path: `/findings/${id}/extension-requests`, body: { workdays: 'two', reason: 'x' }, user: 'off-town-01-a' })],
      ['impossible date', 'plannedCompletionDate', 'plan', () => ({ path: `/findings/${id}/plan`, body: { plan: 'p', measures: ['m'], plannedCompletionDate: '2026-13-45' }, user: 'off-town-01-a' })],
      ['empty array', 'measures', 'plan', () => ({ path: `/findings/${id}/plan`, body: { plan: 'p', measures: [] }, user: 'off-town-01-a' })],
      ['unknown unit', 'toUnitId', 'reassign', () => ({ path: `/findings/${id}/reassign`, body: { toUnitId: 'nowhere', reason: 'x' }, user: 'sup-1' })],
      ['path parameter', 'findingId', 'claim', () => ({ path: '/findings/not-a-uuid/claim', body: {}, user: 'off-town-01-a' })],
    ];
    it.each(cases)('%s → %s (%s)', async (_kind, field, _where, make) => {
      const { path, body, user } = make();
      const before = await h.eventCount();
      const res = await post(user, path, body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
      expect(await h.eventCount()).toBe(before);
    });

    it('a missing idempotency key → 400 naming the header', async () => {
      const before = await h.eventCount();
      const res = await post('insp-1', '/findings', finding(), null);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('Idempotency-Key');
      expect(await h.eventCount()).toBe(before);
    });

    it('malformed JSON → 400, never a 500', async () => {
      const res = await h
        .http()
        .post('/findings')
        .set(as('insp-1'))
        .set('Idempotency-Key', key())
        .set('Content-Type', 'application/json')
        .send('{"campaignId": ');
      expect(res.status).toBe(400);
    });

    it.each([
      ['/findings?pageSize=500', 'pageSize'],
      ['/findings?overdue=maybe', 'overdue'],
      ['/findings?severity=purple', 'severity'],
      ['/calendar/days/2026-1-1', 'date'],
      ['/calendar/due-date?workdays=0', 'workdays'],
    ])('query %s → 400 naming %s', async (path, field) => {
      const res = await h.http().get(path).set(as('sup-1'));
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
    });
  });

  it('401 without a valid token; 404 for an unknown finding', async () => {
    expect((await h.http().get('/findings')).status).toBe(401);
    expect((await h.http().get('/findings').set('Authorization', 'Bearer forged')).status).toBe(401);
    const ghost = '00000000-0000-4000-8000-000000000000';
    const cmd = await post('off-town-01-a', `/findings/${ghost}/claim`, {});
    expect(cmd.status).toBe(404);
    expect(cmd.body.code).toBe('FINDING_NOT_FOUND');
    expect((await h.http().get(`/findings/${ghost}`).set(as('sup-1'))).status).toBe(404);
  });

  it('shows overdue findings with days overdue, by the server clock', async () => {
    h.clock.set('2026-11-23T02:00:00.000Z');
    const id = await recordAndDispatch({ severity: 'red', townUnitId: 'town-02' });
    await h.catchUp();
    h.clock.set('2026-11-28T02:00:00.000Z'); // due Thursday 11-26 24:00 → two days late on Saturday
    const res = await h.http().get('/findings?overdue=true&unitId=town-02').set(as('sup-1'));
    expect(res.status).toBe(200);
    const item = res.body.items.find((f: { findingId: string }) => f.findingId === id);
    expect(item).toMatchObject({ dueDate: '2026-11-26', daysOverdue: 2 });
    h.clock.set('2026-11-23T02:00:00.000Z');
  });

  it('serves the workday calendar the dispatch form shows before signing', async () => {
    const holiday = await h.http().get('/calendar/days/2026-10-01').set(as('sup-1'));
    expect(holiday.body).toMatchObject({ workday: false, kind: 'holiday', officialDataAvailable: true });
    const unknownYear = await h.http().get('/calendar/days/2027-05-03').set(as('sup-1'));
    expect(unknownYear.body).toMatchObject({ workday: true, officialDataAvailable: false });
    const due = await h.http().get(`/calendar/due-date?from=2026-11-23T23:59:00%2B08:00&workdays=3&campaignId=${CAMPAIGN}`).set(as('sup-1'));
    expect(due.status).toBe(200);
    expect(due.body).toMatchObject({ dueDate: '2026-11-26', deadlineAt: '2026-11-26T16:00:00.000Z', cappedByPhaseEnd: false });
    const checklist = await h.http().get('/reference/checklist').set(as('insp-1'));
    expect(checklist.body.items).toHaveLength(22);
  });

  it('serves health and the OpenAPI document without a token', async () => {
    expect((await h.http().get('/health')).body.status).toBe('ok');
    const doc = await h.http().get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/findings', '/findings/{findingId}/dispatch']));
  });
});
