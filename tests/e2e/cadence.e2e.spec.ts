import type { DailyBulletinContent } from '@duban/domain';
import { unitMetrics } from '@duban/domain/testing';
import { ApiHarness, startApi } from '../support/api-harness';
import { DEMO_CAMPAIGN as CAMPAIGN, findingBody as finding, idempotencyKeys } from '../support/api-fixtures';
import { publishReport, recordMissedInspectionReport } from '../support/cadence-fixtures';
import { binary, excelWallTime, open, Opened } from '../support/xlsx-reader';

const key = idempotencyKeys('cadence');
const OTHER = 'campaign-other';
const LIFECYCLE = 'campaign-lifecycle';
const UNKNOWN_UUID = '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11';

const campaignBody = (campaignId: string) => ({
  campaignId,
  name: `测试专项行动 ${campaignId}`,
  noticePrefix: '测督',
  phases: [{ code: 'rectification', name: '集中整改阶段', startDate: '2026-11-16', endDate: '2026-12-31' }],
});

const metrics = unitMetrics;

const bulletin = (date: string): DailyBulletinContent => ({
  date,
  totals: { newFindings: 1, dispatched: 0, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 1, escalations: 0 },
  byUnit: [
    { unitId: 'town-01', unitName: '洺北街道', newFindings: 1, dispatched: 0, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 0, escalations: 0 },
  ],
  items: [
    { kind: 'missed_inspection_report', findingId: null, noticeNo: null, unitId: 'team-4', unitName: '第四督查组', person: { userId: 'insp-4', name: '黄丽娟' }, detail: `${date} 未报日督查报告` },
  ],
});

/**
 * The cadence over HTTP on a real PostgreSQL: the daily inspection report teams sign, the inspection day listing,
 * the reports the worker publishes (published here through the same domain commands), the monthly ranking export
 * and the campaign lifecycle.
 */
describe('cadence API (日督查、通报、日交办、周调度、月讲评、排名、专项行动状态)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object, idem = key()) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', idem).send(body);
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));
  const report = (over: Record<string, unknown> = {}) => ({
    campaignId: CAMPAIGN,
    householdsVisited: 12,
    unitsVisited: 3,
    findingIds: [] as string[],
    summary: '走访张庄村、李家村农户 12 户，发现住房安全问题 1 个',
    ...over,
  });

  let f1: string; // a finding of the demo campaign, recorded by team-1
  let fOther: string; // a finding of another campaign

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z'); // Monday 10:00 in Asia/Shanghai
    for (const id of [OTHER, LIFECYCLE]) expect((await post('admin-1', '/campaigns', campaignBody(id))).status).toBe(201);
    f1 = (await post('insp-1', '/findings', finding())).body.findingId;
    fOther = (await post('insp-1', '/findings', finding({ campaignId: OTHER }))).body.findingId;
    expect(f1).toBeDefined();
    expect(fOther).toBeDefined();
  });
  afterAll(async () => h.close());

  describe('POST /inspection-reports (日督查报告)', () => {
    it('files the team’s report for today: 201 on time; a replay returns the same; a second filing for the day is 409', async () => {
      const idem = key();
      const body = report({ findingIds: [f1.toUpperCase()] });
      const res = await post('insp-1', '/inspection-reports', body, idem);
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        campaignId: CAMPAIGN,
        teamId: 'team-1',
        date: '2026-11-23',
        version: 1,
        late: false,
        cutoffAt: '2026-11-23T10:00:00.000Z', // 18:00 Asia/Shanghai, the campaign's inspection cutoff
        events: ['InspectionReportFiled'],
      });

      const before = await h.eventCount();
      const replay = await post('insp-1', '/inspection-reports', body, idem);
      expect(replay.status).toBe(201);
      expect(replay.body).toEqual(res.body);
      expect(await h.eventCount()).toBe(before);

      const reused = await post('insp-1', '/inspection-reports', report({ householdsVisited: 13 }), idem);
      expect(reused.status).toBe(409);
      expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');

      // Another member of the same team: the day already has its report.
      const second = await post('insp-9', '/inspection-reports', report());
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('INSPECTION_REPORT_ALREADY_FILED');
      expect(await h.eventCount()).toBe(before);
    });

    it('after the cutoff the filing is late; a past day may be filed, late', async () => {
      h.clock.set('2026-11-23T10:30:00.000Z'); // 18:30 Shanghai
      const late = await post('insp-2', '/inspection-reports', report({ householdsVisited: 8 }));
      expect(late.status).toBe(201);
      expect(late.body).toMatchObject({ teamId: 'team-2', date: '2026-11-23', late: true, version: 1 });

      const past = await post('insp-3', '/inspection-reports', report({ date: '2026-11-20' }));
      expect(past.status).toBe(201);
      expect(past.body).toMatchObject({ teamId: 'team-3', date: '2026-11-20', late: true, cutoffAt: '2026-11-20T10:00:00.000Z' });
    });

    it('a day the cutoff recorded as missed can still be filed: late, and the missed record stays', async () => {
      const leader = { userId: 'insp-4', name: '黄丽娟', unitId: 'team-4', role: 'inspector' as const };
      expect(await recordMissedInspectionReport(h, { campaignId: CAMPAIGN, teamId: 'team-4', date: '2026-11-20', leader })).toEqual([
        'InspectionReportMissed',
      ]);
      const res = await post('insp-4', '/inspection-reports', report({ date: '2026-11-20', householdsVisited: 5 }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ teamId: 'team-4', date: '2026-11-20', late: true, version: 2 });
    });

    it('403: another team, a unit official, a supervisor, the discipline inspector, the administrator, an inspector outside any team', async () => {
      const before = await h.eventCount();
      const refused = async (userId: string, body: object, headers = as(userId)) =>
        (await h.http().post('/inspection-reports').set(headers).set('Idempotency-Key', key()).send(body)).body;
      expect(await refused('insp-6', report({ teamId: 'team-7' }))).toMatchObject({ statusCode: 403, code: 'OWN_TEAM_ONLY', rule: 'UNIT_SCOPE' });
      expect(await refused('off-town-01-a', report())).toMatchObject({ statusCode: 403, rule: 'ROLE_REQUIRED' });
      expect(await refused('sup-1', report())).toMatchObject({ statusCode: 403, rule: 'ROLE_REQUIRED' });
      expect(await refused('jw-1', report())).toMatchObject({ statusCode: 403, rule: 'READ_ONLY_ROLE' });
      expect(await refused('admin-1', report())).toMatchObject({ statusCode: 403, rule: 'ADMIN_CANNOT_SIGN' });
      // An inspector the directory keeps at the county office, in no supervision team.
      await h.db.adminPool.query(
        `INSERT INTO directory_users (user_id, name, unit_id, role) VALUES ('insp-office', '孙督查', 'county-office', 'inspector')`,
      );
      const outside = { Authorization: `Bearer ${h.tokenFor({ userId: 'insp-office', name: '孙督查', unitId: 'county-office', role: 'inspector' })}` };
      expect(await refused('insp-office', report(), outside)).toMatchObject({ statusCode: 403, code: 'NOT_A_SUPERVISION_TEAM', rule: 'UNIT_SCOPE' });
      expect(await h.eventCount()).toBe(before);
    });

    it.each([
      [{ campaignId: undefined }, 'campaignId', 'VALIDATION_FAILED'],
      [{ householdsVisited: -1 }, 'householdsVisited', 'VALIDATION_FAILED'],
      [{ householdsVisited: 1.5 }, 'householdsVisited', 'VALIDATION_FAILED'],
      [{ unitsVisited: 'three' }, 'unitsVisited', 'VALIDATION_FAILED'],
      [{ findingIds: 'x' }, 'findingIds', 'VALIDATION_FAILED'],
      [{ findingIds: ['not-a-uuid'] }, 'findingIds', 'VALIDATION_FAILED'],
      [{ findingIds: [UNKNOWN_UUID, UNKNOWN_UUID] }, 'findingIds', 'VALIDATION_FAILED'],
      [{ summary: '' }, 'summary', 'VALIDATION_FAILED'],
      [{ summary: undefined }, 'summary', 'VALIDATION_FAILED'],
      [{ date: '2026-13-01' }, 'date', 'VALIDATION_FAILED'],
      [{ date: '2026-02-30' }, 'date', 'INVALID_DATE'],
      [{ date: '2026-11-24' }, 'date', 'REPORT_DATE_IN_FUTURE'],
      [{ teamId: 'Team 5' }, 'teamId', 'VALIDATION_FAILED'],
      [{ extra: 1 }, 'extra', 'VALIDATION_FAILED'],
    ])('bad body %j → 400 naming %s (%s), nothing appended', async (over, field, code) => {
      const before = await h.eventCount();
      const res = await post('insp-5', '/inspection-reports', report(over));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ field, code });
      expect(res.body.message).toContain(`字段 ${field} 无效`);
      expect(res.body.message).toContain(`(${code})`);
      expect(await h.eventCount()).toBe(before);
    });

    it('400 for a listed finding that does not exist or belongs to another campaign; the day stays open', async () => {
      const before = await h.eventCount();
      const unknown = await post('insp-5', '/inspection-reports', report({ findingIds: [f1, UNKNOWN_UUID] }));
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ field: 'findingIds', code: 'UNKNOWN_FINDING' });
      const other = await post('insp-5', '/inspection-reports', report({ findingIds: [fOther] }));
      expect(other.status).toBe(400);
      expect(other.body).toMatchObject({ field: 'findingIds', code: 'FINDING_OF_ANOTHER_CAMPAIGN' });
      expect(await h.eventCount()).toBe(before);

      const ok = await post('insp-5', '/inspection-reports', report({ findingIds: [f1], householdsVisited: 0, unitsVisited: 0 }));
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ teamId: 'team-5', version: 1, late: true });
    });

    it('404 for an unknown campaign; 400 without an Idempotency-Key; 401 without a token', async () => {
      const res = await post('insp-6', '/inspection-reports', report({ campaignId: 'no-such-campaign' }));
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('CAMPAIGN_NOT_FOUND');
      const noKey = await h.http().post('/inspection-reports').set(as('insp-6')).send(report());
      expect(noKey.status).toBe(400);
      expect(noKey.body.field).toBe('Idempotency-Key');
      expect((await h.http().post('/inspection-reports').set('Idempotency-Key', key()).send(report())).status).toBe(401);
    });
  });

  describe('GET /inspection-reports (日督查报送情况)', () => {
    beforeAll(async () => h.catchUp());

    it('a day lists every supervision team: filed, filed late, pending', async () => {
      const res = await get('sup-1', `/inspection-reports?campaignId=${CAMPAIGN}&date=2026-11-23`);
      expect(res.status).toBe(200);
      expect(res.body.map((r: { teamId: string; status: string }) => [r.teamId, r.status])).toEqual([
        ['team-1', 'filed'],
        ['team-2', 'filed_late'],
        ['team-3', 'pending'],
        ['team-4', 'pending'],
        ['team-5', 'filed_late'],
        ['team-6', 'pending'],
        ['team-7', 'pending'],
        ['team-8', 'pending'],
      ]);
      expect(res.body[0]).toMatchObject({
        campaignId: CAMPAIGN,
        teamName: '第一督查组',
        date: '2026-11-23',
        householdsVisited: 12,
        unitsVisited: 3,
        findingIds: [f1],
        filedBy: { id: 'insp-1', name: '陈红梅' },
        filedAt: '2026-11-23T02:00:00.000Z',
        missedAgainst: null,
      });
      expect(res.body[2]).toMatchObject({ teamName: '第三督查组', householdsVisited: null, filedBy: null, findingIds: [] });
    });

    it('a past day shows the late filing and the missed-then-filed day with the leader it was recorded against', async () => {
      const res = await get('jw-1', `/inspection-reports?campaignId=${CAMPAIGN}&date=2026-11-20&teamId=team-4`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([
        expect.objectContaining({
          teamId: 'team-4',
          status: 'missed_then_filed',
          householdsVisited: 5,
          missedAgainst: { id: 'insp-4', name: '黄丽娟' },
          missedAt: '2026-11-20T10:00:00.000Z',
          filedBy: { id: 'insp-4', name: '黄丽娟' },
        }),
      ]);
      const day = await get('insp-8', `/inspection-reports?campaignId=${CAMPAIGN}&date=2026-11-20`);
      expect(day.body.filter((r: { status: string }) => r.status !== 'pending').map((r: { teamId: string }) => r.teamId)).toEqual(['team-3', 'team-4']);
    });

    it('lists a period newest first, and one team’s days', async () => {
      const all = await get('sup-2', `/inspection-reports?campaignId=${CAMPAIGN}&from=2026-11-20&to=2026-11-23`);
      expect(all.status).toBe(200);
      expect(all.body.map((r: { date: string; teamId: string }) => `${r.date} ${r.teamId}`)).toEqual([
        '2026-11-23 team-1',
        '2026-11-23 team-2',
        '2026-11-23 team-5',
        '2026-11-20 team-3',
        '2026-11-20 team-4',
      ]);
      const team = await get('admin-1', `/inspection-reports?campaignId=${CAMPAIGN}&teamId=team-3`);
      expect(team.body.map((r: { date: string; status: string }) => [r.date, r.status])).toEqual([['2026-11-20', 'filed_late']]);
      const none = await get('sup-1', `/inspection-reports?campaignId=${CAMPAIGN}&from=2026-11-21&to=2026-11-22`);
      expect(none.body).toEqual([]);
    });

    it('unit officials may not read the teams’ reports (403); bad queries are 400 naming the field; unknown campaign 404', async () => {
      const unit = await get('off-town-01-a', `/inspection-reports?campaignId=${CAMPAIGN}&date=2026-11-23`);
      expect(unit.status).toBe(403);
      expect(unit.body.rule).toBe('ROLE_REQUIRED');
      for (const [query, field] of [
        [`date=2026-11-23`, 'campaignId'],
        [`campaignId=${CAMPAIGN}&date=2026-11-31`, 'date'],
        [`campaignId=${CAMPAIGN}&date=2026-11-23&from=2026-11-20`, 'date'],
        [`campaignId=${CAMPAIGN}&from=2026-11-23&to=2026-11-20`, 'to'],
        [`campaignId=${CAMPAIGN}&from=23-11-2026`, 'from'],
        [`campaignId=${CAMPAIGN}&teamId=TEAM`, 'teamId'],
      ]) {
        const res = await get('sup-1', `/inspection-reports?${query}`);
        expect([query, res.status, res.body.field]).toEqual([query, 400, field]);
      }
      const unknown = await get('sup-1', '/inspection-reports?campaignId=no-such-campaign&date=2026-11-23');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('CAMPAIGN_NOT_FOUND');
    });
  });

  describe('published reports (通报: readable by every signed-in role)', () => {
    const provenance = (asOf: string) => ({ asOf, checkpoint: '1000:42' });
    const november = [
      metrics('town-01', '洺北街道', { activeFindings: 3, dueFindings: 2, closedOnTime: 2 }), // 100
      metrics('town-02', '洺南街道', { activeFindings: 1 }), // nothing due: 100, tied with town-01
      metrics('town-03', '东风街道', { activeFindings: 4, dueFindings: 4, closedOnTime: 3 }), // 85
      metrics('town-04', '宁平镇', { activeFindings: 2, dueFindings: 2, closedOnTime: 1, overdueFindingDays: 4, missedDailyReports: 1, interviews: 1 }), // 63
      metrics('town-05', '宜路镇'), // nothing at all: not ranked
    ];
    const december = [
      metrics('town-01', '洺北街道', { activeFindings: 1, dueFindings: 1, overdueFindingDays: 2 }), // 39
      metrics('town-02', '洺南街道', { activeFindings: 1, dueFindings: 1, closedOnTime: 1 }), // 100
      metrics('town-03', '东风街道'), // not ranked in December
      metrics('town-04', '宁平镇', { activeFindings: 1 }), // 100
      metrics('town-05', '宜路镇'),
    ];

    beforeAll(async () => {
      h.clock.set('2026-11-20T10:00:00.000Z');
      expect(
        await publishReport(h, {
          type: 'PublishDailyBulletin',
          data: { campaignId: CAMPAIGN, periodKey: '2026-11-20', provenance: provenance('2026-11-20T10:00:00.000Z'), content: bulletin('2026-11-20') },
        }),
      ).toEqual(['DailyBulletinPublished']);
      h.clock.set('2026-11-23T10:00:00.000Z');
      await publishReport(h, {
        type: 'PublishDailyBulletin',
        data: { campaignId: CAMPAIGN, periodKey: '2026-11-23', provenance: provenance('2026-11-23T10:00:00.000Z'), content: bulletin('2026-11-23') },
      });
      await publishReport(h, {
        type: 'PublishDailyDispatchList',
        data: {
          campaignId: CAMPAIGN,
          periodKey: '2026-11-23',
          provenance: provenance('2026-11-23T01:00:00.000Z'),
          content: { date: '2026-11-23', flagged: [], pending: [], notices: [], lastNoticeSequence: 0, noticeSequenceGapless: true },
        },
      });
      await publishReport(h, {
        type: 'PublishWeeklyDispatch',
        data: {
          campaignId: CAMPAIGN,
          periodKey: '2026-W48',
          provenance: provenance('2026-11-23T01:00:00.000Z'),
          content: {
            week: '2026-W48',
            periodStart: '2026-11-23',
            periodEnd: '2026-11-29',
            units: [
              { unitId: 'town-01', unitName: '洺北街道', open: 5, dueThisWeek: 2, overdue: 2, escalated: 1, previousOverdueWeeks: 2 },
              { unitId: 'town-02', unitName: '洺南街道', open: 3, dueThisWeek: 1, overdue: 0, escalated: 0, previousOverdueWeeks: 0 },
            ],
          },
        },
      });
      h.clock.set('2026-12-01T01:00:00.000Z');
      await publishReport(h, {
        type: 'PublishMonthlyReview',
        data: { campaignId: CAMPAIGN, periodKey: '2026-11', provenance: provenance('2026-12-01T01:00:00.000Z'), content: { month: '2026-11', formulaVersion: 'v1', units: november } },
      });
      h.clock.set('2027-01-04T01:00:00.000Z');
      await publishReport(h, {
        type: 'PublishMonthlyReview',
        data: { campaignId: CAMPAIGN, periodKey: '2026-12', provenance: provenance('2027-01-04T01:00:00.000Z'), content: { month: '2026-12', formulaVersion: 'v1', units: december } },
      });
      await h.catchUp();
    });

    it('日督查通报: list (newest first, by date range) and one day, for any role', async () => {
      const list = await get('off-town-02-a', `/campaigns/${CAMPAIGN}/bulletins`);
      expect(list.status).toBe(200);
      expect(list.body.map((b: { periodKey: string }) => b.periodKey)).toEqual(['2026-11-23', '2026-11-20']);
      const ranged = await get('jw-1', `/campaigns/${CAMPAIGN}/bulletins?from=2026-11-21&to=2026-11-30`);
      expect(ranged.body.map((b: { periodKey: string }) => b.periodKey)).toEqual(['2026-11-23']);

      const day = await get('insp-2', `/campaigns/${CAMPAIGN}/bulletins/2026-11-20`);
      expect(day.status).toBe(200);
      expect(day.body).toMatchObject({
        campaignId: CAMPAIGN,
        periodKey: '2026-11-20',
        publishedAt: '2026-11-20T10:00:00.000Z',
        provenance: { asOf: '2026-11-20T10:00:00.000Z', checkpoint: '1000:42' },
        streamId: `cadence-${CAMPAIGN}-daily_inspection-2026-11-20`,
        content: { date: '2026-11-20', totals: { missedInspectionReports: 1 } },
      });
      expect(day.body.content.items[0]).toMatchObject({ kind: 'missed_inspection_report', person: { name: '黄丽娟' } });
      expect(day.body.eventId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('日交办清单: list and one day', async () => {
      const list = await get('off-town-01-a', `/campaigns/${CAMPAIGN}/dispatch-lists`);
      expect(list.status).toBe(200);
      expect(list.body.map((b: { periodKey: string }) => b.periodKey)).toEqual(['2026-11-23']);
      const day = await get('sup-1', `/campaigns/${CAMPAIGN}/dispatch-lists/2026-11-23`);
      expect(day.body.content).toMatchObject({ date: '2026-11-23', noticeSequenceGapless: true, flagged: [] });
      expect((await get('sup-1', `/campaigns/${CAMPAIGN}/dispatch-lists/2026-11-20`)).status).toBe(404);
    });

    it('周调度: the week’s rows and the interview list of chronic overdue', async () => {
      const week = await get('off-town-01-a', `/campaigns/${CAMPAIGN}/weekly-dispatches/2026-W48`);
      expect(week.status).toBe(200);
      expect(week.body.content).toMatchObject({ week: '2026-W48', periodStart: '2026-11-23', periodEnd: '2026-11-29' });
      expect(week.body.content.rows[0]).toMatchObject({ unitId: 'town-01', overdueWeeks: 3, chronicOverdue: true });
      expect(week.body.content.interviewList).toEqual([{ unitId: 'town-01', unitName: '洺北街道', overdue: 2, overdueWeeks: 3 }]);
      const list = await get('jw-2', `/campaigns/${CAMPAIGN}/weekly-dispatches`);
      expect(list.body.map((w: { periodKey: string }) => w.periodKey)).toEqual(['2026-W48']);
    });

    it('月度讲评: scores, ranks with ties, commended, named last, the unranked unit; list newest first', async () => {
      const review = await get('off-town-04-a', `/campaigns/${CAMPAIGN}/monthly-reviews/2026-11`);
      expect(review.status).toBe(200);
      const c = review.body.content;
      expect(c).toMatchObject({ month: '2026-11', formulaVersion: 'v1', formula: { version: 'v1', onTimeClosureWeight: 60 } });
      expect(c.units.map((u: { unitId: string; rank: number | null; score: number }) => [u.unitId, u.rank, u.score])).toEqual([
        ['town-01', 1, 100],
        ['town-02', 1, 100],
        ['town-03', 3, 85],
        ['town-04', 4, 63],
        ['town-05', null, 100],
      ]);
      expect(c.commended).toEqual(['town-01', 'town-02', 'town-03']);
      expect(c.namedLast).toEqual(['town-04']);
      const list = await get('sup-1', `/campaigns/${CAMPAIGN}/monthly-reviews`);
      expect(list.body.map((r: { periodKey: string }) => r.periodKey)).toEqual(['2026-12', '2026-11']);
    });

    it('季排序 and 年总评 accumulate the published months: ranked by the average of the months a unit was ranked', async () => {
      const q = await get('off-town-01-a', `/campaigns/${CAMPAIGN}/rankings/quarterly/2026-Q4`);
      expect(q.status).toBe(200);
      expect(q.body).toMatchObject({ campaignId: CAMPAIGN, period: '2026-Q4', months: ['2026-11', '2026-12'] });
      expect(q.body.units.map((u: { unitId: string; rank: number; average: number; months: number }) => [u.unitId, u.rank, u.average, u.months])).toEqual([
        ['town-02', 1, 100, 2],
        ['town-03', 2, 85, 1],
        ['town-04', 3, 81.5, 2],
        ['town-01', 4, 69.5, 2],
      ]);
      const year = await get('jw-1', `/campaigns/${CAMPAIGN}/rankings/annual/2026`);
      expect(year.status).toBe(200);
      expect(year.body).toMatchObject({ period: '2026', months: ['2026-11', '2026-12'] });
      expect(year.body.units).toEqual(q.body.units);
    });

    it('404 when not published or the campaign is unknown; 400 naming the malformed date, week, month, quarter or year', async () => {
      for (const path of [
        `/campaigns/${CAMPAIGN}/bulletins/2026-11-24`,
        `/campaigns/${CAMPAIGN}/weekly-dispatches/2026-W53`, // 2026 has a week 53; not published
        `/campaigns/${CAMPAIGN}/monthly-reviews/2026-10`,
        `/campaigns/${CAMPAIGN}/rankings/quarterly/2026-Q3`,
        `/campaigns/${CAMPAIGN}/rankings/annual/2025`,
      ]) {
        const res = await get('sup-1', path);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'REPORT_NOT_PUBLISHED']);
      }
      for (const path of [
        '/campaigns/no-such-campaign/bulletins',
        '/campaigns/no-such-campaign/bulletins/2026-11-20',
        '/campaigns/no-such-campaign/dispatch-lists',
        '/campaigns/no-such-campaign/weekly-dispatches',
        '/campaigns/no-such-campaign/monthly-reviews/2026-11',
        '/campaigns/no-such-campaign/rankings/quarterly/2026-Q4',
        '/campaigns/no-such-campaign/rankings/annual/2026',
      ]) {
        const res = await get('sup-1', path);
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'CAMPAIGN_NOT_FOUND']);
      }
      for (const [path, field, code] of [
        [`/campaigns/${CAMPAIGN}/bulletins/2026-11-31`, 'date', 'INVALID_DATE'],
        [`/campaigns/${CAMPAIGN}/bulletins?from=2026-11-24&to=2026-11-20`, 'to', 'INVALID_DATE_RANGE'],
        [`/campaigns/${CAMPAIGN}/bulletins?from=2026-11-31`, 'from', 'INVALID_DATE'],
        [`/campaigns/${CAMPAIGN}/dispatch-lists/20261123`, 'date', 'INVALID_DATE'],
        [`/campaigns/${CAMPAIGN}/weekly-dispatches/2025-W53`, 'week', 'INVALID_WEEK'], // 2025 has 52 weeks
        [`/campaigns/${CAMPAIGN}/weekly-dispatches/2026-48`, 'week', 'INVALID_WEEK'],
        [`/campaigns/${CAMPAIGN}/monthly-reviews/2026-13`, 'month', 'INVALID_MONTH'],
        [`/campaigns/${CAMPAIGN}/rankings/quarterly/2026-Q5`, 'quarter', 'INVALID_QUARTER'],
        [`/campaigns/${CAMPAIGN}/rankings/annual/26`, 'year', 'INVALID_YEAR'],
        ['/campaigns/No_Such/bulletins', 'campaignId', 'VALIDATION_FAILED'],
      ]) {
        const res = await get('sup-1', path);
        expect([path, res.status, res.body.field, res.body.code]).toEqual([path, 400, field, code]);
        expect(res.body.message).toContain(`字段 ${field} 无效`);
      }
      expect((await h.http().get(`/campaigns/${CAMPAIGN}/bulletins`)).status).toBe(401);
    });

    it('考评公式: the published versions and the current one; 404 for an unknown version', async () => {
      const list = await get('off-town-01-a', '/scoring-formulas');
      expect(list.status).toBe(200);
      expect(list.body.current).toBe('v2');
      expect(list.body.formulas.map((f: { version: string }) => f.version)).toEqual(['v1', 'v2']);
      const v1 = await get('jw-1', '/scoring-formulas/v1');
      expect(v1.body).toMatchObject({ version: 'v1', onTimeClosureWeight: 60, basePoints: 40, commendTopRanks: 3, penalties: { perInterview: 3 } });
      expect(v1.body.description).toContain('按期销号率');
      const unknown = await get('sup-1', '/scoring-formulas/v9');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('UNKNOWN_SCORING_FORMULA');
      expect((await get('sup-1', '/scoring-formulas/constructor')).status).toBe(404);
    });

    describe('GET /campaigns/:campaignId/monthly-reviews/:month/export (月度讲评排名 XLSX)', () => {
      const exportPath = `/campaigns/${CAMPAIGN}/monthly-reviews/2026-11/export`;
      const download = (userId: string, path: string) => get(userId, path).buffer(true).parse(binary);
      let file: Opened;
      let review: { eventId: string; streamId: string; provenance: { checkpoint: string } };

      beforeAll(async () => {
        h.clock.set('2027-01-05T02:30:00.000Z'); // 10:30 Shanghai
        const res = await download('sup-1', exportPath);
        if (res.status !== 200) throw new Error(`${res.status} ${(res.body as Buffer).toString()}`);
        expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        file = open(res.body as Buffer, res.headers['content-disposition']);
        review = (await get('sup-1', `/campaigns/${CAMPAIGN}/monthly-reviews/2026-11`)).body;
      });

      it('three sheets; 月度讲评 has the Chinese headers and one row per unit, ties sharing a rank, the unranked unit last', () => {
        expect(file.wb.SheetNames).toEqual(['月度讲评', '考评公式', '导出说明']);
        const s = file.sheets['月度讲评'];
        expect(s.header).toEqual([
          '名次', '单位', '得分', '按期销号率', '到期问题', '按期销号', '逾期问题天数', '漏报进度', '回头看重新打开', '约谈', '问责', '表扬/点名/备注',
        ]);
        expect(s.rows.slice(1)).toEqual([
          [1, '洺北街道', 100, 1, 2, 2, 0, 0, 0, 0, 0, '通报表扬'],
          [1, '洺南街道', 100, '无到期问题（按 100% 计）', 0, 0, 0, 0, 0, 0, 0, '通报表扬'],
          [3, '东风街道', 85, 0.75, 4, 3, 0, 0, 0, 0, 0, '通报表扬'],
          [4, '宁平镇', 63, 0.5, 2, 1, 4, 1, 0, 1, 0, '点名，作表态发言'],
          [null, '宜路镇', 100, '无到期问题（按 100% 计）', 0, 0, 0, 0, 0, 0, 0, '本月无问题，不参与排名'],
        ]);
        expect(s.cell(3, '按期销号率')!.w).toBe('75.00%');
        expect(s.ws['!autofilter']?.ref).toBe('A1:L6');
      });

      it('考评公式 names the version the month was scored by, with its weights and description', () => {
        const rows = new Map(file.sheets['考评公式'].rows.slice(1).map((r) => [String(r[0]), r[1]]));
        expect(rows.get('考评公式版本')).toBe('v1');
        expect(String(rows.get('公式说明'))).toContain('得分 = 60 × 按期销号率');
        expect(rows.get('基础分')).toBe(40);
        expect(rows.get('约谈每次扣分')).toBe(3);
      });

      it('导出说明: export time, exporter, and the review’s provenance: checkpoint, published event id and stream', async () => {
        const n = file.notes;
        expect(n.get('报表')).toBe('月度讲评排名（2026-11）');
        expect(excelWallTime(file.sheets['导出说明'].cell(2, '内容'))).toBe('2027-01-05 10:30');
        expect(n.get('导出时间（UTC，ISO 8601）')).toBe('2027-01-05T02:30:00.000Z');
        expect(n.get('导出人')).toBe('李秀英（sup-1）');
        expect(n.get('导出人单位')).toBe('县巩固办（county-office）');
        expect(n.get('讲评月份')).toBe('2026-11');
        expect(n.get('考评公式版本')).toBe('v1');
        expect(n.get('行数（月度讲评）')).toBe(5);
        expect(n.get('参与排名单位数')).toBe(4);
        expect(n.get('通报表扬')).toBe('洺北街道（第 1 名）、洺南街道（第 1 名）、东风街道（第 3 名）');
        expect(n.get('点名作表态发言')).toBe('宁平镇（第 4 名）');
        expect(n.get('发布时间（UTC，ISO 8601）')).toBe('2026-12-01T01:00:00.000Z');
        expect(n.get('读模型检查点（事务号:位置）')).toBe('1000:42');
        expect(n.get('读模型检查点（事务号:位置）')).toBe(review.provenance.checkpoint);
        expect(n.get('发布事件编号')).toBe(review.eventId);
        expect(n.get('发布事件流')).toBe(`cadence-${CAMPAIGN}-monthly_review-2026-11`);
        // The event the notes name is in the log, in that stream.
        const { rows } = await h.db.adminPool.query('SELECT stream_id, type FROM events WHERE event_id = $1', [review.eventId]);
        expect(rows).toEqual([{ stream_id: review.streamId, type: 'MonthlyReviewPublished' }]);
      });

      it('is named in Chinese with an ASCII fallback (RFC 5987)', () => {
        expect(file.disposition).toMatch(/^attachment; filename="monthly-review-2026-11_20270105-1030\.xlsx"; filename\*=UTF-8''/);
        expect(decodeURIComponent(file.disposition.split("UTF-8''")[1])).toBe('月度讲评排名_2026-11_20270105-1030.xlsx');
      });

      it('any signed-in role may export; refusals are JSON: 404 not published / unknown campaign, 400 malformed month', async () => {
        expect((await download('off-town-05-a', exportPath)).status).toBe(200);
        const err = async (path: string) => {
          const res = await download('sup-1', path);
          return { status: res.status, ...JSON.parse((res.body as Buffer).toString('utf8')) };
        };
        expect(await err(`/campaigns/${CAMPAIGN}/monthly-reviews/2026-10/export`)).toMatchObject({ status: 404, code: 'REPORT_NOT_PUBLISHED' });
        expect(await err('/campaigns/no-such-campaign/monthly-reviews/2026-11/export')).toMatchObject({ status: 404, code: 'CAMPAIGN_NOT_FOUND' });
        expect(await err(`/campaigns/${CAMPAIGN}/monthly-reviews/2026-1/export`)).toMatchObject({ status: 400, field: 'month' });
      });
    });
  });

  it('documents the cadence in OpenAPI: paths, operation ids, the Idempotency-Key of commands, the XLSX export', async () => {
    const doc = (await h.http().get('/api/docs-json')).body;
    const ops = Object.fromEntries(
      Object.entries(doc.paths as Record<string, Record<string, { operationId: string; parameters?: Array<{ name: string }>; responses: Record<string, { content?: object }> }>>)
        .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => [op.operationId, { path, method, op }])),
    );
    const route = (id: string) => (ops[id] ? `${ops[id].method.toUpperCase()} ${ops[id].path}` : `(no ${id})`);
    const expected = {
      fileInspectionReport: 'POST /inspection-reports',
      listInspectionReports: 'GET /inspection-reports',
      listBulletins: 'GET /campaigns/{campaignId}/bulletins',
      getBulletin: 'GET /campaigns/{campaignId}/bulletins/{date}',
      listDispatchLists: 'GET /campaigns/{campaignId}/dispatch-lists',
      getDispatchList: 'GET /campaigns/{campaignId}/dispatch-lists/{date}',
      listWeeklyDispatches: 'GET /campaigns/{campaignId}/weekly-dispatches',
      getWeeklyDispatch: 'GET /campaigns/{campaignId}/weekly-dispatches/{week}',
      listMonthlyReviews: 'GET /campaigns/{campaignId}/monthly-reviews',
      getMonthlyReview: 'GET /campaigns/{campaignId}/monthly-reviews/{month}',
      exportMonthlyReview: 'GET /campaigns/{campaignId}/monthly-reviews/{month}/export',
      getQuarterlyRanking: 'GET /campaigns/{campaignId}/rankings/quarterly/{quarter}',
      getAnnualRanking: 'GET /campaigns/{campaignId}/rankings/annual/{year}',
      listScoringFormulas: 'GET /scoring-formulas',
      getScoringFormula: 'GET /scoring-formulas/{version}',
      pauseCampaign: 'POST /campaigns/{campaignId}/pause',
      resumeCampaign: 'POST /campaigns/{campaignId}/resume',
      endCampaign: 'POST /campaigns/{campaignId}/end',
      getCampaignLifecycle: 'GET /campaigns/{campaignId}/lifecycle',
    };
    expect(Object.fromEntries(Object.keys(expected).map((id) => [id, route(id)]))).toEqual(expected);
    for (const id of ['fileInspectionReport', 'pauseCampaign', 'resumeCampaign', 'endCampaign']) {
      expect(ops[id].op.parameters?.map((p) => p.name)).toContain('Idempotency-Key');
    }
    expect(Object.keys(ops.exportMonthlyReview.op.responses['200'].content ?? {})).toEqual([
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });

  describe('campaign lifecycle (管理员：暂停、恢复、结束)', () => {
    const lifecycle = (path: string, body: object = { reason: '测试' }, userId = 'admin-1', idem = key()) =>
      post(userId, `/campaigns/${LIFECYCLE}/${path}`, body, idem);

    it('only an administrator: 403 for a supervisor, a unit official, an inspector and the discipline inspector', async () => {
      const before = await h.eventCount();
      for (const [userId, rule] of [
        ['sup-1', 'ROLE_REQUIRED'],
        ['off-town-01-a', 'ROLE_REQUIRED'],
        ['insp-1', 'ROLE_REQUIRED'],
        ['jw-1', 'READ_ONLY_ROLE'],
      ]) {
        const res = await lifecycle('pause', { reason: '年终考核' }, userId);
        expect([userId, res.status, res.body.rule]).toEqual([userId, 403, rule]);
      }
      expect(await h.eventCount()).toBe(before);
    });

    it('pause → 409 when already paused → resume → 409 when not paused → end → 409 for anything after; replays return the first result', async () => {
      const idem = key();
      const paused = await lifecycle('pause', { reason: '迎接省级考核，暂停日常督办' }, 'admin-1', idem);
      expect(paused.status).toBe(200);
      expect(paused.body).toEqual({ campaignId: LIFECYCLE, version: 2, events: ['CampaignPaused'] });
      expect((await lifecycle('pause', { reason: '迎接省级考核，暂停日常督办' }, 'admin-1', idem)).body).toEqual(paused.body);

      const again = await lifecycle('pause');
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('CAMPAIGN_ALREADY_PAUSED');

      await h.catchUp();
      const view = await get('off-town-01-a', `/campaigns/${LIFECYCLE}/lifecycle`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({
        campaignId: LIFECYCLE,
        lifecycle: 'paused',
        reason: '迎接省级考核，暂停日常督办',
        changedBy: { id: 'admin-1', name: '王建军' },
        changedAt: '2027-01-05T02:30:00.000Z',
      });

      expect((await lifecycle('resume', { reason: '考核结束，恢复督办' })).body).toMatchObject({ version: 3, events: ['CampaignResumed'] });
      const notPaused = await lifecycle('resume');
      expect(notPaused.status).toBe(409);
      expect(notPaused.body.code).toBe('CAMPAIGN_NOT_PAUSED');

      expect((await lifecycle('end', { reason: '专项行动圆满结束' })).body).toMatchObject({ version: 4, events: ['CampaignEnded'] });
      for (const path of ['pause', 'resume', 'end']) {
        const res = await lifecycle(path);
        expect([path, res.status, res.body.code]).toEqual([path, 409, 'CAMPAIGN_ENDED']);
      }
      // An ended campaign takes no more daily reports either.
      const filing = await post('insp-1', '/inspection-reports', report({ campaignId: LIFECYCLE, findingIds: [] }));
      expect([filing.status, filing.body.code]).toEqual([409, 'CAMPAIGN_ENDED']);
      await h.catchUp();
      expect((await get('jw-1', `/campaigns/${LIFECYCLE}/lifecycle`)).body).toMatchObject({ lifecycle: 'ended', reason: '专项行动圆满结束' });
    });

    it('a campaign never paused is active; 404 for an unknown campaign; 400 without a reason', async () => {
      expect((await get('insp-1', `/campaigns/${CAMPAIGN}/lifecycle`)).body).toMatchObject({ campaignId: CAMPAIGN, lifecycle: 'active', reason: null });
      expect((await get('sup-1', '/campaigns/no-such-campaign/lifecycle')).status).toBe(404);
      const unknown = await post('admin-1', '/campaigns/no-such-campaign/pause', { reason: '测试' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('CAMPAIGN_NOT_FOUND');
      for (const body of [{}, { reason: '' }, { reason: '测试', extra: true }]) {
        const res = await post('admin-1', `/campaigns/${OTHER}/pause`, body);
        expect(res.status).toBe(400);
        expect(res.body.field).toBe('extra' in body ? 'extra' : 'reason');
      }
    });
  });
});
