import type { TimerKind } from '@duban/domain';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, fireTimer, idempotencyKeys, findingBody as finding } from '../support/api-fixtures';

const key = idempotencyKeys('acct');

interface LedgerRow {
  findingId: string;
  kind: string;
  level: string | null;
  person: { id: string; name: string } | null;
  unitId: string;
  step: string;
  acknowledgement: { by: { id: string; name: string }; at: string; note: string | null } | null;
}

describe('accountability ledger and escalation acknowledgement over HTTP (real PostgreSQL)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: unknown, idem: string | null = key()) => {
    const r = h.http().post(path).set(as(userId));
    if (idem) r.set('Idempotency-Key', idem);
    return r.send(body as object);
  };
  const ledger = (userId: string, query = '') => h.http().get(`/ledgers/accountability${query}`).set(as(userId));

  const fire = async (findingId: string, kind: TimerKind) => {
    const appended = await fireTimer(h, findingId, kind);
    expect(appended.length).toBeGreaterThan(0);
    return appended;
  };

  let late: string; // town-01: claimed by 郑爱民, a missed report, overdue, notice, interview (acknowledged)
  let unclaimed: string; // town-02: dispatched and never claimed

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    const rec = await post('insp-1', '/findings', finding());
    expect(rec.status).toBe(201);
    late = rec.body.findingId;
    expect((await post('sup-1', `/findings/${late}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${late}/claim`, {})).status).toBe(200);
    await fire(late, 'daily_report'); // 11-24 17:30
    await fire(late, 'deadline'); // red: due 11-26, overdue at 24:00 → notice

    const rec2 = await post('insp-2', '/findings', finding({ townUnitId: 'town-02', severity: 'yellow' }));
    unclaimed = rec2.body.findingId;
    expect((await post('sup-1', `/findings/${unclaimed}/dispatch`, { unitId: 'town-02' })).status).toBe(200);
    await fire(unclaimed, 'claim_sla'); // 11-24 24:00
    h.clock.set('2026-11-27T02:00:00.000Z');
  });
  afterAll(async () => h.close());

  describe('AcknowledgeEscalation (确认约谈/问责)', () => {
    const path = () => `/findings/${late}/escalations/acknowledge`;

    it('409 NO_ESCALATION_TO_ACKNOWLEDGE while only the notice (通报) is out; nothing appended', async () => {
      const before = await h.eventCount();
      const res = await post('sup-1', path(), { level: 'interview' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('NO_ESCALATION_TO_ACKNOWLEDGE');
      expect(res.body.message).toContain('约谈');
      expect(await h.eventCount()).toBe(before);
    });

    it('refuses a unit official (403 ROLE_REQUIRED) and the discipline inspector (403 READ_ONLY_ROLE)', async () => {
      await fire(late, 'escalation'); // the interview proposal, 12-01 24:00
      h.clock.set('2026-12-02T02:00:00.000Z');
      const before = await h.eventCount();
      const official = await post('off-town-01-a', path(), { level: 'interview' });
      expect(official.status).toBe(403);
      expect(official.body.rule).toBe('ROLE_REQUIRED');
      const discipline = await post('jw-1', path(), { level: 'interview' });
      expect(discipline.status).toBe(403);
      expect(discipline.body.rule).toBe('READ_ONLY_ROLE');
      expect(await h.eventCount()).toBe(before);
    });

    it.each([
      ['level', { level: 'notice' }],
      ['level', {}],
      ['note', { level: 'interview', note: '' }],
      ['expectedVersion', { level: 'interview', expectedVersion: -1 }],
      ['extra', { level: 'interview', extra: 1 }],
    ])('400 naming %s for %j; nothing appended', async (field, body) => {
      const before = await h.eventCount();
      const res = await post('sup-1', path(), body);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
      expect(await h.eventCount()).toBe(before);
    });

    it('400 without an idempotency key; 409 on a stale expected version', async () => {
      const noKey = await post('sup-1', path(), { level: 'interview' }, null);
      expect(noKey.status).toBe(400);
      expect(noKey.body.field).toBe('Idempotency-Key');
      const stale = await post('sup-1', path(), { level: 'interview', expectedVersion: 1 });
      expect(stale.status).toBe(409);
      expect(stale.body.code).toBe('VERSION_CONFLICT');
    });

    it('200 for a supervisor once an interview is proposed; a replay returns the first result; then 409', async () => {
      const k = key();
      const before = await h.eventCount();
      const ok = await post('sup-2', path(), { level: 'interview', note: '已约谈郑爱民', expectedVersion: 7 }, k);
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ findingId: late, version: 8, events: ['EscalationAcknowledged'] });
      expect(await h.eventCount()).toBe(before + 1);
      const replay = await post('sup-2', path(), { level: 'interview', note: '已约谈郑爱民', expectedVersion: 7 }, k);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(ok.body);
      expect(await h.eventCount()).toBe(before + 1);
      const again = await post('sup-1', path(), { level: 'interview' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('NO_ESCALATION_TO_ACKNOWLEDGE');
      const referral = await post('sup-1', path(), { level: 'accountability' });
      expect(referral.status).toBe(409);
      expect(await h.eventCount()).toBe(before + 1);
    });
  });

  describe('GET /ledgers/accountability', () => {
    beforeAll(async () => h.catchUp());

    it('lists each consequence against the signer who held the step, newest first, with totals', async () => {
      const res = await ledger('jw-1');
      expect(res.status).toBe(200);
      const items = res.body.items as LedgerRow[];
      expect(items.map((r) => [r.findingId, r.kind, r.level, r.person?.id ?? null, r.unitId, r.step])).toEqual([
        [late, 'escalation', 'interview', 'off-town-01-a', 'town-01', 'FindingClaimed'],
        [late, 'escalation', 'notice', 'off-town-01-a', 'town-01', 'FindingClaimed'],
        [late, 'overdue', null, 'off-town-01-a', 'town-01', 'FindingClaimed'],
        // Nobody in town-02 signed for it: the unit answers, on the dispatch the supervisor signed.
        [unclaimed, 'claim_overdue', null, null, 'town-02', 'FindingDispatched'],
        [late, 'missed_report', null, 'off-town-01-a', 'town-01', 'FindingClaimed'],
      ]);
      expect(items[0]).toMatchObject({
        person: { id: 'off-town-01-a', name: '郑爱民' },
        dueDate: '2026-11-26',
        noticeNo: expect.stringMatching(/^郸巩督〔2026〕\d+号$/),
        acknowledgement: { by: { id: 'sup-2', name: '张国强' }, at: '2026-12-02T02:00:00.000Z', note: '已约谈郑爱民' },
      });
      expect(items[4]).toMatchObject({ workday: '2026-11-24', detail: '未按时报送 2026-11-24 整改进展（截止 2026-11-24 17:30）' });
      expect(res.body).toMatchObject({ total: 5, page: 1, pageSize: 50 });
      expect(res.body.totals).toMatchObject({
        total: 5,
        byKind: { missed_report: 1, overdue: 1, escalation: 2, claim_overdue: 1, dispatch_overdue: 0, verification_overdue: 0, reopen: 0 },
        byLevel: { notice: 1, interview: 1, accountability: 0 },
        byPerson: [{ person: { id: 'off-town-01-a', name: '郑爱民' }, unitId: 'town-01', total: 4 }],
        byUnit: [
          { unitId: 'town-01', total: 4 },
          { unitId: 'town-02', total: 1, byKind: { claim_overdue: 1 } },
        ],
        truncated: false,
      });
    });

    it('scope: a unit official sees their own unit only, and a filter cannot widen it; the others see all', async () => {
      const town01 = await ledger('off-town-01-b');
      expect(town01.status).toBe(200);
      expect(town01.body.total).toBe(4);
      expect((town01.body.items as LedgerRow[]).every((r) => r.unitId === 'town-01')).toBe(true);
      expect(town01.body.totals.byUnit).toEqual([expect.objectContaining({ unitId: 'town-01', total: 4 })]);
      const town02 = await ledger('off-town-02-a');
      expect((town02.body.items as LedgerRow[]).map((r) => r.findingId)).toEqual([unclaimed]);
      const widened = await ledger('off-town-02-a', '?unitId=town-01');
      expect(widened.status).toBe(200);
      expect(widened.body).toMatchObject({ total: 0, items: [], totals: { total: 0, byPerson: [], byUnit: [] } });
      for (const user of ['sup-1', 'insp-3', 'admin-1', 'jw-2']) {
        const all = await ledger(user);
        expect([user, all.status, all.body.total]).toEqual([user, 200, 5]);
      }
    });

    it.each([
      ['?kind=missed_report', 1],
      ['?level=interview', 1],
      ['?kind=escalation', 2],
      ['?userId=off-town-01-a', 4],
      ['?unitId=town-02', 1],
      [`?campaignId=${CAMPAIGN}`, 5],
      ['?campaignId=other-campaign', 0],
      ['?from=2026-11-25&to=2026-11-27', 3], // the deadline and claim SLA at 24:00 of 11-24 and 11-26
      ['?from=2026-12-01', 1],
      ['?to=2026-11-24', 1],
      ['?pageSize=2&page=3', 5],
    ])('filters %s → %i in total', async (query, total) => {
      const res = await ledger('sup-1', query);
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(total);
      expect(res.body.totals.total).toBe(total);
    });

    it('filters by finding, and pages newest first', async () => {
      const one = await ledger('sup-1', `?findingId=${unclaimed}`);
      expect((one.body.items as LedgerRow[]).map((r) => r.kind)).toEqual(['claim_overdue']);
      const p3 = await ledger('sup-1', '?pageSize=2&page=3');
      expect((p3.body.items as LedgerRow[]).map((r) => r.kind)).toEqual(['missed_report']);
    });

    it.each([
      ['?kind=bogus', 'kind'],
      ['?level=warning', 'level'],
      ['?from=2026-13-01', 'from'],
      ['?to=yesterday', 'to'],
      ['?from=2026-12-02&to=2026-12-01', 'to'],
      ['?pageSize=500', 'pageSize'],
      ['?page=0', 'page'],
      ['?userId=a%20b', 'userId'],
      ['?unitId=Town_01', 'unitId'],
      ['?campaignId=%E4%B8%93%E9%A1%B9', 'campaignId'],
      ['?findingId=not-a-uuid', 'findingId'],
      ['?colour=red', 'colour'],
    ])('query %s → 400 naming %s', async (query, field) => {
      const res = await ledger('jw-1', query);
      expect(res.status).toBe(400);
      expect(res.body.field).toBe(field);
      expect(res.body.message).toContain(field);
      expect(res.body.message).toMatch(/[\u4e00-\u9fa5]/);
    });

    it('401 without a token', async () => {
      expect((await h.http().get('/ledgers/accountability')).status).toBe(401);
    });
  });

  it('the audit trail words each consequence and names who answers for it', async () => {
    await h.catchUp();
    const trail = (await h.http().get(`/findings/${late}/audit-trail`).set(as('jw-1'))).body as Array<{ eventType: string; summary: string; signer: { id: string } }>;
    expect(trail.map((e) => e.eventType)).toEqual([
      'FindingRecorded', 'FindingDispatched', 'FindingClaimed', 'DailyReportMissed', 'FindingOverdue', 'FindingEscalated',
      'FindingEscalated', 'EscalationAcknowledged',
    ]);
    expect(trail[3]).toMatchObject({ summary: '未按时报送 2026-11-24 整改进展，责任人 郑爱民（洺北街道）', signer: { id: 'system' } });
    expect(trail[4].summary).toBe('问题逾期（期限 2026-11-26），责任人 郑爱民（洺北街道）');
    expect(trail[6].summary).toMatch(/^升级：约谈（建议），整改期限 2026-11-26，责任人 郑爱民（洺北街道）/);
    expect(trail[7]).toMatchObject({ summary: '确认约谈（整改期限 2026-11-26），责任人 郑爱民（洺北街道）：已约谈郑爱民', signer: { id: 'sup-2' } });
    const other = (await h.http().get(`/findings/${unclaimed}/audit-trail`).set(as('jw-1'))).body as Array<{ summary: string }>;
    expect(other[2].summary).toBe('逾期未认领（期限 2026-11-24），责任单位 洺南街道（尚无人签字认领）');
  });

  it('documents both endpoints in OpenAPI', async () => {
    const doc = await h.http().get('/api/docs-json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/ledgers/accountability', '/findings/{findingId}/escalations/acknowledge']),
    );
  });
});
