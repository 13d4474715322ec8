import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import {
  type CadenceReportCommand,
  type CampaignCommand,
  type CreateCampaign,
  type DailyBulletinContent,
  type DailyDispatchListContent,
  type InspectionDayCommand,
  type InspectionDayState,
  type ReportProvenance,
  type UnitMonthMetrics,
  type WeeklyUnitInput,
  cadenceReportDecider,
  cadenceReportStreamId,
  campaignDecider,
  campaignStreamId,
  inspectionDayDecider,
  inspectionDayStreamId,
  isoWeekOf,
  SYSTEM_ACTOR,
  type Actor,
  shanghaiInstant,
} from '@duban/domain';
import { actors, testCampaign, unitMetrics } from '@duban/domain/testing/fixtures';
import { PostgresEventStore, toRecordedEvent } from '@duban/event-store';
import type { CampaignLifecycleCommandType, WriteSide } from '@duban/application';
import {
  AuditTrailQuery,
  CadenceReportsQuery,
  CadenceSources,
  CadenceSnapshot,
  createProjections,
  InspectionReportsQuery,
  ProjectionRunner,
} from '../src';
import { catchUpFully, dumpReadModels, FindingDriver, headOf, sh, storeClock } from './harness';

const UNIT_NAMES: Record<string, string> = {
  office: '县巩固办',
  'town-a': '宁平镇',
  'town-c': '东关镇',
  'dept-b': '县住建局',
  'dept-d': '县水利局',
  'team-1': '第一督查组',
  'team-2': '第二督查组',
  'team-3': '第三督查组',
};
const utc = (local: string) => new Date(sh(local)).toISOString();
const { inspector, supervisor, supervisor2, officialA, officialA2, officialB, admin } = actors;
const inspector2: Actor = { userId: 'u-insp2', name: '陈督查', unitId: 'team-2', role: 'inspector' };
const CADENCE_TABLES = ['inspection_reports_v1', 'cadence_reports_v1', 'monthly_review_units_v1', 'campaign_lifecycle_v1'];

const record = (findingId: string, severity: 'red' | 'yellow' | 'blue', townUnitId = 'town-a') => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode: '2.3',
  severity,
  townUnitId,
  village: '张庄村',
  household: '张某某',
  description: '住房安全鉴定后未落实改造',
  evidence: ['photo-1'],
});

/** Appends decided events to any stream the way the API and the worker do: with the expected version. */
class Streams {
  private readonly versions = new Map<string, number>();
  constructor(readonly store: PostgresEventStore) {}

  async append(streamId: string, events: ReadonlyArray<{ type: string; data: unknown }>): Promise<void> {
    if (events.length === 0) return;
    const expectedVersion = this.versions.get(streamId) ?? 0;
    const correlationId = randomUUID();
    await this.store.append([
      {
        streamId,
        expectedVersion,
        events: events.map((e) => ({ eventId: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, metadata: { correlationId } })),
      },
    ]);
    this.versions.set(streamId, expectedVersion + events.length);
  }
}

/** Campaign commands through the write side (CampaignCommands), as the admin sends them. */
class CampaignDriver {
  constructor(private readonly write: WriteSide) {}

  exec(campaignId: string, type: CampaignLifecycleCommandType, reason: string, now: string) {
    return this.write.campaigns.handle({ type, campaignId, data: { reason } }, admin, { idempotencyKey: randomUUID(), correlationId: randomUUID(), at: sh(now) });
  }

  create(campaignId: string) {
    const data: CreateCampaign['data'] = { campaignId, name: testCampaign.name, noticePrefix: '郸巩督', phases: testCampaign.phases };
    return this.write.campaigns.handle({ type: 'CreateCampaign', data }, admin, { idempotencyKey: randomUUID(), correlationId: randomUUID(), at: sh('2026-08-25 09:00') });
  }

  /**
   * A notice number issued and never sent, which no entry point of the write side produces (a dispatch issues its
   * number in the same append): the campaign's own decision appended on its stream, for the gap check to find.
   */
  async issueUnsent(findingIds: string[], now: string): Promise<string> {
    const { state, version } = await this.write.campaignContexts.current('c1');
    const events = campaignDecider.decide({ type: 'IssueDispatchNotice', data: { findingIds }, metadata: { actor: supervisor, now } } as CampaignCommand, state);
    const correlationId = randomUUID();
    await this.write.runner.run(
      { commandType: 'IssueDispatchNotice', actor: supervisor, idempotencyKey: randomUUID(), correlationId, at: now, body: { findingIds } },
      async ({ toNewEvents }) => ({
        appends: [{ streamId: campaignStreamId('c1'), expectedVersion: version, events: toNewEvents(campaignStreamId('c1'), events) }],
        result: () => (events[0].data as { noticeNo: string }).noticeNo,
      }),
    );
    return (events[0].data as { noticeNo: string }).noticeNo;
  }
}

describe('the cadence read side (日督查、日交办、周调度、月讲评) on real PostgreSQL', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  let streams: Streams;
  let campaigns: CampaignDriver;
  let runner: ProjectionRunner;
  let sources: CadenceSources;
  let reports: CadenceReportsQuery;
  const inspectionStates = new Map<string, InspectionDayState>();
  const reportStates = new Map<string, { published: boolean }>();

  const dispatch = async (findingId: string, unitId: string, local: string) => {
    const [dispatched] = await driver.exec(findingId, 'DispatchFinding', { unitId }, supervisor, sh(local));
    return (dispatched.data as { noticeNo: string }).noticeNo;
  };

  const inspectionDay = async (command: InspectionDayCommand) => {
    const { campaignId, teamId, date } = command.data;
    const streamId = inspectionDayStreamId(campaignId, teamId, date);
    const state = inspectionStates.get(streamId) ?? inspectionDayDecider.initialState();
    const ctx = { cutoffAt: shanghaiInstant(date, testCampaign.policy.inspectionCutoff), workday: true };
    const events = inspectionDayDecider.decide(command, state, ctx);
    await streams.append(streamId, events);
    inspectionStates.set(streamId, events.reduce(inspectionDayDecider.evolve, state));
  };
  const file = (teamId: string, date: string, local: string, actor: Actor, findingIds: string[] = []) =>
    inspectionDay({
      type: 'FileInspectionReport',
      data: { campaignId: 'c1', teamId, date, householdsVisited: 23, unitsVisited: 2, findingIds, summary: '入户走访三个村' },
      metadata: { now: sh(local), actor },
    });
  const miss = (teamId: string, date: string, leader: Actor | null) =>
    inspectionDay({
      type: 'RecordMissedInspectionReport',
      data: { campaignId: 'c1', teamId, date, leader },
      metadata: { now: sh(`${date} 18:00`), actor: SYSTEM_ACTOR },
    });

  /** Publishes a report through the domain's decider, with the content and provenance the sources computed. */
  const publish = async <T extends CadenceReportCommand['type']>(
    type: T,
    periodKey: string,
    content: Extract<CadenceReportCommand, { type: T }>['data']['content'],
    provenance: ReportProvenance,
    local: string,
  ) => {
    const cadence = { PublishDailyBulletin: 'daily_inspection', PublishDailyDispatchList: 'daily_dispatch', PublishWeeklyDispatch: 'weekly_dispatch', PublishMonthlyReview: 'monthly_review' } as const;
    const streamId = cadenceReportStreamId('c1', cadence[type], periodKey);
    const state = reportStates.get(streamId) ?? cadenceReportDecider.initialState();
    const command = { type, data: { campaignId: 'c1', periodKey, provenance, content }, metadata: { now: sh(local), actor: SYSTEM_ACTOR } } as CadenceReportCommand;
    const events = cadenceReportDecider.decide(command, state);
    await streams.append(streamId, events);
    reportStates.set(streamId, events.reduce(cadenceReportDecider.evolve, state));
    return events;
  };

  const monthly = (month: string, units: UnitMonthMetrics[], local: string) =>
    publish('PublishMonthlyReview', month, { month, formulaVersion: 'v1', units }, { asOf: utc(local), checkpoint: '0:0' }, local);
  const metrics = (unitId: string, over: Partial<UnitMonthMetrics>): UnitMonthMetrics => unitMetrics(unitId, UNIT_NAMES[unitId], over);

  // Computed along the way, at the instant each report would run.
  let dispatchListA: CadenceSnapshot<DailyDispatchListContent>;
  let dispatchListB: CadenceSnapshot<DailyDispatchListContent>;
  let sinceForB: number;
  let bulletin: CadenceSnapshot<DailyBulletinContent>;
  let bulletinHead: string;
  let w43: CadenceSnapshot<WeeklyUnitInput[]>;
  let w44: CadenceSnapshot<WeeklyUnitInput[]>;
  let october: Awaited<ReturnType<CadenceSources['monthlyMetrics']>>;
  let november: Awaited<ReturnType<CadenceSources['monthlyMetrics']>>;
  const W43 = isoWeekOf('2026-10-19');
  const W44 = isoWeekOf('2026-10-26');

  const seedDirectory = async (pool: Pool) => {
    await pool.query(
      `INSERT INTO directory_units (unit_id, name, kind, leader_user_id) VALUES
         ('office', '县巩固办', 'county_office', NULL), ('town-a', '宁平镇', 'town', NULL), ('town-c', '东关镇', 'town', NULL),
         ('dept-b', '县住建局', 'department', NULL), ('dept-d', '县水利局', 'department', NULL),
         ('team-1', '第一督查组', 'supervision_team', 'u-insp'), ('team-2', '第二督查组', 'supervision_team', 'u-insp2'),
         ('team-3', '第三督查组', 'supervision_team', NULL)`,
    );
    await pool.query(
      `INSERT INTO directory_users (user_id, name, unit_id, role, active) VALUES
         ('u-insp', '张督查', 'team-1', 'inspector', true), ('u-insp2', '陈督查', 'team-2', 'inspector', false),
         ('u-sup1', '李组长', 'office', 'supervisor', true), ('u-a1', '赵镇长', 'town-a', 'unit_official', true)`,
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    streams = new Streams(new PostgresEventStore(db.appPool, storeClock));
    runner = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => UNIT_NAMES[id] }));
    sources = new CadenceSources(db.appPool, runner);
    reports = new CadenceReportsQuery(db.appPool);
    await seedDirectory(db.adminPool);
    driver = await FindingDriver.start(db); // creates c1 (testCampaign) as the admin, 2026-08-25 09:00
    campaigns = new CampaignDriver(driver.write);

    // ---- 10-12 (Mon) and 10-13: recorded, dispatched under notices 1–4, claimed; the teams' days.
    await driver.exec('f1', 'RecordFinding', record('f1', 'red'), inspector, sh('2026-10-12 09:00'));
    await driver.exec('f2', 'RecordFinding', record('f2', 'yellow'), inspector, sh('2026-10-12 09:30'));
    await driver.exec('f3', 'RecordFinding', record('f3', 'red'), inspector, sh('2026-10-12 10:00'));
    await driver.exec('f7', 'RecordFinding', record('f7', 'red'), inspector, sh('2026-10-12 10:30'));
    await dispatch('f1', 'town-a', '2026-10-12 15:00'); // due 10-15
    await dispatch('f2', 'town-a', '2026-10-12 15:10'); // yellow: due 10-26
    await dispatch('f3', 'dept-b', '2026-10-12 15:20'); // due 10-15, never claimed
    await dispatch('f7', 'dept-b', '2026-10-12 15:30'); // due 10-15
    await driver.exec('f5', 'RecordFinding', record('f5', 'blue', 'town-c'), inspector, sh('2026-10-12 16:00')); // SLA 10-13 24:00
    await file('team-1', '2026-10-12', '2026-10-12 17:00', inspector, ['f1', 'f2', 'f3', 'f7']);
    await miss('team-2', '2026-10-12', inspector2);
    await file('team-2', '2026-10-12', '2026-10-12 20:00', inspector2);
    await miss('team-3', '2026-10-12', null);
    await driver.exec('f1', 'ClaimFinding', {}, officialA, sh('2026-10-13 09:00'));
    await driver.exec('f7', 'ClaimFinding', {}, officialB, sh('2026-10-13 09:30'));
    await driver.exec('f2', 'ClaimFinding', {}, officialA2, sh('2026-10-13 10:00'));
    await driver.exec('f4', 'RecordFinding', record('f4', 'red'), inspector, sh('2026-10-13 11:00')); // SLA 10-14 24:00
    await file('team-1', '2026-10-13', '2026-10-13 19:00', inspector);
    await catchUpFully(runner, db.adminPool);

    // 日交办 of 10-14, 09:00: the first list of the campaign.
    dispatchListA = await sources.dailyDispatchList('c1', '2026-10-14', sh('2026-10-14 09:00'), 0);
    await publish('PublishDailyDispatchList', '2026-10-14', dispatchListA.value, dispatchListA.provenance, '2026-10-14 09:00');

    // ---- 10-14 to 10-16: a missed report, the deadlines pass, a fix signed late, one closed on time; a notice number
    // is issued and never used (5), f4 goes out under 6.
    await driver.fire('f1', 'daily_report'); // 10-14 17:30 missed
    await driver.fire('f3', 'claim_sla');
    await driver.exec('f1', 'ReportProgress', { summary: '已完成鉴定', evidence: [] }, officialA, sh('2026-10-15 10:00'));
    await driver.exec('f2', 'SubmitRectification', { summary: '改造完成', evidence: ['done-2'] }, officialA2, sh('2026-10-15 16:00'));
    await driver.fire('f1', 'deadline'); // 10-16 00:00: overdue + notice (通报)
    await driver.fire('f3', 'deadline'); // 10-16 00:00: unclaimed, the unit answers
    await driver.exec('f6', 'RecordFinding', record('f6', 'yellow', 'town-c'), inspector, sh('2026-10-16 09:00'));
    await driver.exec('f7', 'SubmitRectification', { summary: '改造完成', evidence: ['done-7'] }, officialB, sh('2026-10-16 10:00'));
    await driver.exec('f2', 'VerifyRectification', { note: '同意销号' }, supervisor, sh('2026-10-16 10:00'));
    await campaigns.issueUnsent(['f4'], sh('2026-10-16 11:00')); // 5: issued, never dispatched
    await dispatch('f4', 'town-a', '2026-10-16 14:00'); // 6, red: due 10-21
    await file('team-2', '2026-10-16', '2026-10-16 17:00', inspector2);
    await driver.fire('f1', 'daily_report'); // 10-16 17:30 missed
    await miss('team-1', '2026-10-16', inspector);
    await miss('team-3', '2026-10-16', null);
    await catchUpFully(runner, db.adminPool);
    bulletinHead = await headOf(db.adminPool).then((h) => `${h.transactionId}:${h.position}`);

    // 日报 of 10-16 at the 18:00 cutoff; 日交办 and 周调度 of Monday 10-19, 09:00.
    bulletin = await sources.dailyBulletin('c1', '2026-10-16', sh('2026-10-16 18:00'));
    await publish('PublishDailyBulletin', '2026-10-16', bulletin.value, bulletin.provenance, '2026-10-16 18:00');
    sinceForB = await sources.lastDispatchListSequence('c1', '2026-10-19');
    dispatchListB = await sources.dailyDispatchList('c1', '2026-10-19', sh('2026-10-19 09:00'), sinceForB);
    w43 = await sources.weeklyUnits('c1', W43, sh('2026-10-19 09:00'));
    await publish('PublishWeeklyDispatch', W43.key, { week: W43.key, periodStart: W43.monday, periodEnd: W43.sunday, units: w43.value }, w43.provenance, '2026-10-19 09:00');

    // ---- 10-19 to 10-21: f7 closed (late); f4 claimed; the interviews (约谈) fall for f1 and f3.
    await driver.exec('f7', 'VerifyRectification', {}, supervisor, sh('2026-10-19 10:00'));
    await driver.exec('f4', 'ClaimFinding', {}, officialA, sh('2026-10-19 11:00'));
    await driver.fire('f1', 'escalation'); // interview, 10-21 00:00
    await driver.fire('f3', 'escalation'); // interview, 10-21 00:00
    await catchUpFully(runner, db.adminPool);
    w44 = await sources.weeklyUnits('c1', W44, sh('2026-10-26 09:00'));
    await publish('PublishWeeklyDispatch', W44.key, { week: W44.key, periodStart: W44.monday, periodEnd: W44.sunday, units: w44.value }, w44.provenance, '2026-10-26 09:00');

    // ---- 10-27 to 10-29: f1's fix signed (late) and verified; f3's referral (问责); f7 reopened after look-back.
    await driver.exec('f1', 'SubmitRectification', { summary: '改造完成', evidence: ['done-1'] }, officialA, sh('2026-10-27 10:00'));
    await driver.fire('f3', 'escalation'); // accountability, 10-28 00:00
    await driver.exec('f1', 'VerifyRectification', {}, supervisor2, sh('2026-10-28 10:00'));
    await driver.exec('f7', 'ReopenFinding', { reason: '回头看发现反弹' }, supervisor, sh('2026-10-29 10:00')); // red: due 11-03
    await catchUpFully(runner, db.adminPool);

    // 月讲评 of October on 11-02 09:00 (published), and the month in progress on 11-05.
    october = await sources.monthlyMetrics('c1', '2026-10', sh('2026-11-02 09:00'));
    await publish('PublishMonthlyReview', '2026-10', { month: '2026-10', formulaVersion: 'v1', units: october.value }, october.provenance, '2026-11-02 09:00');
    november = await sources.monthlyMetrics('c1', '2026-11', sh('2026-11-05 09:00'));
    // November and September are seeded by hand to set up the quarterly tie and the annual total.
    await monthly('2026-11', [
      metrics('town-a', { activeFindings: 1, dueFindings: 1, overdueFindingDays: 20 }), // 30
      metrics('dept-b', { activeFindings: 5, dueFindings: 5, closedOnTime: 4, overdueFindingDays: 68 }), // 54
      metrics('town-c', { activeFindings: 1, missedDailyReports: 10 }), // 80
      metrics('dept-d', {}), // unranked
    ], '2026-12-01 09:00');
    await monthly('2026-09', [metrics('dept-d', { activeFindings: 1 })], '2026-10-08 09:00'); // 100
    await catchUpFully(runner, db.adminPool);
  });
  afterAll(async () => db.drop());

  describe('日督查 inspection reports', () => {
    it('a day lists every supervision team: filed, missed then filed, missed against no one, pending', async () => {
      const q = new InspectionReportsQuery(db.appPool);
      const day = await q.forDay('c1', '2026-10-12');
      expect(day.map((r) => [r.teamId, r.teamName, r.status, r.missedAgainst?.name ?? null])).toEqual([
        ['team-1', '第一督查组', 'filed', null],
        ['team-2', '第二督查组', 'missed_then_filed', '陈督查'],
        ['team-3', '第三督查组', 'missed', null],
      ]);
      expect(day[0]).toEqual({
        campaignId: 'c1',
        teamId: 'team-1',
        teamName: '第一督查组',
        date: '2026-10-12',
        status: 'filed',
        householdsVisited: 23,
        unitsVisited: 2,
        findingIds: ['f1', 'f2', 'f3', 'f7'],
        summary: '入户走访三个村',
        filedBy: { id: inspector.userId, name: inspector.name },
        filedAt: utc('2026-10-12 17:00'),
        missedAgainst: null,
        missedAt: null,
      });
      expect(day[1]).toMatchObject({ filedBy: { id: 'u-insp2' }, filedAt: utc('2026-10-12 20:00'), missedAt: utc('2026-10-12 18:00') });
      expect(day[2]).toMatchObject({ filedBy: null, missedAgainst: null, missedAt: utc('2026-10-12 18:00'), householdsVisited: null });

      const next = await q.forDay('c1', '2026-10-13');
      expect(next.map((r) => [r.teamId, r.status])).toEqual([
        ['team-1', 'filed_late'],
        ['team-2', 'pending'],
        ['team-3', 'pending'],
      ]);
      expect(next[1]).toMatchObject({ teamName: '第二督查组', findingIds: [], filedBy: null, summary: null });
      // Another campaign's day is all pending.
      expect((await q.forDay('c2', '2026-10-12')).map((r) => r.status)).toEqual(['pending', 'pending', 'pending']);
    });

    it('lists existing days newest first, filtered by dates and team', async () => {
      const q = new InspectionReportsQuery(db.appPool);
      const key = (r: { date: string; teamId: string; status: string }) => `${r.date} ${r.teamId} ${r.status}`;
      expect((await q.list('c1')).map(key)).toEqual([
        '2026-10-16 team-1 missed',
        '2026-10-16 team-2 filed',
        '2026-10-16 team-3 missed',
        '2026-10-13 team-1 filed_late',
        '2026-10-12 team-1 filed',
        '2026-10-12 team-2 missed_then_filed',
        '2026-10-12 team-3 missed',
      ]);
      expect((await q.list('c1', { teamId: 'team-1', from: '2026-10-13' })).map(key)).toEqual([
        '2026-10-16 team-1 missed',
        '2026-10-13 team-1 filed_late',
      ]);
      expect((await q.list('c1', { to: '2026-10-12', teamId: 'team-3' })).map(key)).toEqual(['2026-10-12 team-3 missed']);
      expect(await q.list('c2')).toEqual([]);
      await expect(q.list('c1', { from: '2026-13-01' })).rejects.toMatchObject({ kind: 'invalid_input' });
    });

    it('active teams: every supervision team, with its leader only if that person is active', async () => {
      expect(await sources.activeTeams()).toEqual([
        { teamId: 'team-1', teamName: '第一督查组', leader: { userId: 'u-insp', name: '张督查', unitId: 'team-1', role: 'inspector' } },
        { teamId: 'team-2', teamName: '第二督查组', leader: null },
        { teamId: 'team-3', teamName: '第三督查组', leader: null },
      ]);
    });

    it('the audit trail keeps the days: what an inspector signed, and the missed report named against a leader', async () => {
      const trail = new AuditTrailQuery(db.appPool);
      const mine = (await trail.forSigner(inspector.userId, { pageSize: 200 })).items.filter((t) => t.streamId.startsWith('inspection-'));
      expect(mine.map((t) => [t.streamId, t.eventType, t.relation])).toEqual([
        [inspectionDayStreamId('c1', 'team-1', '2026-10-12'), 'InspectionReportFiled', ['signed']],
        [inspectionDayStreamId('c1', 'team-1', '2026-10-13'), 'InspectionReportFiled', ['signed']],
        [inspectionDayStreamId('c1', 'team-1', '2026-10-16'), 'InspectionReportMissed', ['attributed']],
      ]);
      expect(mine[0]).toMatchObject({
        findingId: null,
        summary: '第一督查组 报送 2026-10-12 日督查报告（走访农户 23 户、单位 2 个，发现问题 4 个）',
        changes: [{ field: 'inspectionReport', before: null, after: '已按时报送', afterCode: 'filed' }],
      });
      expect(mine[1].summary).toBe('第一督查组 报送 2026-10-13 日督查报告（走访农户 23 户、单位 2 个，发现问题 0 个），逾期报送（截止 2026-10-13 18:00）');
      expect(mine[2]).toMatchObject({
        summary: '未按时报送 2026-10-16 日督查报告（截止 2026-10-16 18:00），责任人 张督查（第一督查组组长）',
        signer: { id: 'system' },
        attributedTo: { person: { id: 'u-insp', name: '张督查' }, unitId: 'team-1', unitName: '第一督查组' },
      });
      const team2 = (await trail.forSigner('u-insp2', { pageSize: 200 })).items.filter((t) => t.streamId === inspectionDayStreamId('c1', 'team-2', '2026-10-12'));
      expect(team2.map((t) => [t.version, t.relation, t.changes.map((c) => [c.beforeCode, c.afterCode])])).toEqual([
        [1, ['attributed'], [[null, 'missed']]],
        [2, ['signed'], [['missed', 'missed_then_filed']]],
      ]);
      const team3 = await db.appPool.query(`SELECT summary FROM audit_trail_v2 WHERE stream_id = $1`, [inspectionDayStreamId('c1', 'team-3', '2026-10-12')]);
      expect(team3.rows[0].summary).toBe('未按时报送 2026-10-12 日督查报告（截止 2026-10-12 18:00），责任单位 第三督查组（未设组长）');
    });
  });

  describe('日报 the daily bulletin (点人点事)', () => {
    it('counts by unit and in total, each item naming the unit and the person, in the domain\'s order of kinds', async () => {
      const { value } = bulletin;
      expect(value.date).toBe('2026-10-16');
      expect(value.items.map((i) => [i.kind, i.findingId, i.unitId, i.person?.name ?? null])).toEqual([
        ['new', 'f6', 'town-c', '张督查'],
        ['dispatched', 'f4', 'town-a', '李组长'],
        ['closed', 'f2', 'town-a', '钱副镇长'],
        // f7 is past its deadline too, but the verifier holds it: not the unit's overdue.
        ['overdue', 'f3', 'dept-b', null],
        ['overdue', 'f1', 'town-a', '赵镇长'],
        ['missed_progress_report', 'f1', 'town-a', '赵镇长'],
        ['missed_inspection_report', null, 'team-1', '张督查'],
        ['missed_inspection_report', null, 'team-3', null],
        ['escalated', 'f3', 'dept-b', null],
        ['escalated', 'f1', 'town-a', '赵镇长'],
      ]);
      const item = (kind: string, id: string | null) => value.items.find((i) => i.kind === kind && (i.findingId === id || i.unitId === id))!;
      expect(item('new', 'f6')).toEqual({
        kind: 'new',
        findingId: 'f6',
        noticeNo: null,
        unitId: 'town-c',
        unitName: '东关镇',
        person: { userId: inspector.userId, name: '张督查' },
        detail: '张庄村 张某某：住房安全鉴定后未落实改造（黄色）',
      });
      expect(item('dispatched', 'f4')).toMatchObject({ noticeNo: '郸巩督〔2026〕6号', unitName: '宁平镇', detail: '郸巩督〔2026〕6号 交办，整改期限 2026-10-21' });
      expect(item('closed', 'f2').detail).toBe('郸巩督〔2026〕2号 验收销号，按期完成（期限 2026-10-26），验收人 李组长');
      expect(item('overdue', 'f1').detail).toBe('郸巩督〔2026〕1号 逾期 1 天（整改期限 2026-10-15）');
      expect(item('overdue', 'f3').detail).toBe('郸巩督〔2026〕3号 逾期 1 天（整改期限 2026-10-15），尚无人签字认领');
      expect(item('missed_progress_report', 'f1').detail).toBe('郸巩督〔2026〕1号 未按时报送 2026-10-16 整改进展（截止 2026-10-16 17:30）');
      expect(item('escalated', 'f1').detail).toMatch(/^郸巩督〔2026〕1号 升级：通报，整改期限 2026-10-15；2026-10-20 后约谈$/);
      expect(item('missed_inspection_report', 'team-3')).toMatchObject({ unitName: '第三督查组', detail: '未按时报送 2026-10-16 日督查报告（截止 2026-10-16 18:00），未设组长' });

      const zero = { newFindings: 0, dispatched: 0, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 0, escalations: 0 };
      expect(value.byUnit).toEqual([
        { ...zero, unitId: 'dept-b', unitName: '县住建局', overdue: 1, escalations: 1 },
        { ...zero, unitId: 'team-1', unitName: '第一督查组', missedInspectionReports: 1 },
        { ...zero, unitId: 'team-3', unitName: '第三督查组', missedInspectionReports: 1 },
        { ...zero, unitId: 'town-a', unitName: '宁平镇', dispatched: 1, closed: 1, overdue: 1, missedProgressReports: 1, escalations: 1 },
        { ...zero, unitId: 'town-c', unitName: '东关镇', newFindings: 1 },
      ]);
      expect(value.totals).toEqual({ newFindings: 1, dispatched: 1, closed: 1, overdue: 2, missedProgressReports: 1, missedInspectionReports: 2, escalations: 2 });
    });

    it('names its provenance: asOf and the checkpoint of the least advanced projection it read', async () => {
      expect(bulletin.provenance).toEqual({ asOf: utc('2026-10-16 18:00'), checkpoint: bulletinHead });
      const mid = await db.adminPool.query(`SELECT transaction_id::text AS t, position::text AS p FROM events WHERE stream_id = 'finding-f1' AND version = 3`);
      await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = $1::text::xid8, position = $2 WHERE name = 'projection:accountability_ledger:v1'`, [mid.rows[0].t, mid.rows[0].p]);
      try {
        // The rows are those of the full log; the provenance claims only what every projection read is sure of.
        const again = await sources.dailyBulletin('c1', '2026-10-16', '2026-10-16T10:00:00Z');
        expect(again.provenance).toEqual({ asOf: '2026-10-16T10:00:00.000Z', checkpoint: `${mid.rows[0].t}:${mid.rows[0].p}` });
        // The dispatch list does not read the accountability ledger: its provenance is unaffected.
        const list = await sources.dailyDispatchList('c1', '2026-10-19', sh('2026-10-19 09:00'), 0);
        expect(list.provenance.checkpoint).not.toBe(`${mid.rows[0].t}:${mid.rows[0].p}`);
      } finally {
        await catchUpFully(runner, db.adminPool);
      }
    });

    it('is published frozen and read back as published', async () => {
      const view = await reports.bulletin('c1', '2026-10-16');
      expect(view).toMatchObject({
        campaignId: 'c1',
        periodKey: '2026-10-16',
        publishedAt: utc('2026-10-16 18:00'),
        provenance: bulletin.provenance,
        streamId: cadenceReportStreamId('c1', 'daily_inspection', '2026-10-16'),
      });
      expect(view!.content).toEqual(bulletin.value);
      expect(view!.eventId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await reports.bulletin('c1', '2026-10-15')).toBeNull();
      expect((await reports.bulletins('c1')).map((b) => b.periodKey)).toEqual(['2026-10-16']);
      expect(await reports.bulletins('c1', { to: '2026-10-15' })).toEqual([]);
    });
  });

  describe('日交办 the daily dispatch list', () => {
    it('splits what is undispatched into past the SLA (flagged) and within it (pending); notices run gapless', () => {
      const { value, provenance } = dispatchListA;
      expect(value.flagged.map((i) => i.findingId)).toEqual(['f5']);
      expect(value.pending.map((i) => i.findingId)).toEqual(['f4']);
      expect(value.flagged[0]).toEqual({
        findingId: 'f5',
        townUnitId: 'town-c',
        severity: 'blue',
        recordedAt: utc('2026-10-12 16:00'),
        recordedBy: { userId: inspector.userId, name: inspector.name },
        // One workday after the recording, ending 24:00.
        dueAt: utc('2026-10-14 00:00'),
      });
      expect(value.pending[0].dueAt).toBe(utc('2026-10-15 00:00'));
      expect(value.notices).toEqual([
        { noticeNo: '郸巩督〔2026〕1号', sequence: 1, unitId: 'town-a', findingCount: 1, at: utc('2026-10-12 15:00') },
        { noticeNo: '郸巩督〔2026〕2号', sequence: 2, unitId: 'town-a', findingCount: 1, at: utc('2026-10-12 15:10') },
        { noticeNo: '郸巩督〔2026〕3号', sequence: 3, unitId: 'dept-b', findingCount: 1, at: utc('2026-10-12 15:20') },
        { noticeNo: '郸巩督〔2026〕4号', sequence: 4, unitId: 'dept-b', findingCount: 1, at: utc('2026-10-12 15:30') },
      ]);
      expect(value).toMatchObject({ date: '2026-10-14', lastNoticeSequence: 4, noticeSequenceGapless: true });
      expect(provenance.asOf).toBe(utc('2026-10-14 09:00'));
    });

    it('the next list starts after the last published one and catches a number issued but never sent', async () => {
      expect(sinceForB).toBe(4);
      expect(await sources.lastDispatchListSequence('c1', '2026-10-14')).toBe(0);
      expect(await reports.lastDispatchListSequence('c1', '2026-10-15')).toBe(4);
      const { value } = dispatchListB;
      // f4 went out; f6, recorded Friday, is due Monday 24:00; f5 is still flagged.
      expect(value.flagged.map((i) => i.findingId)).toEqual(['f5']);
      expect(value.pending.map((i) => [i.findingId, i.dueAt])).toEqual([['f6', utc('2026-10-20 00:00')]]);
      expect(value.notices.map((n) => n.sequence)).toEqual([6]);
      expect(value).toMatchObject({ lastNoticeSequence: 6, noticeSequenceGapless: false });
      const published = await reports.dispatchList('c1', '2026-10-14');
      expect(published?.content).toEqual(dispatchListA.value);
      expect((await reports.dispatchLists('c1', { from: '2026-10-14', to: '2026-10-14' })).length).toBe(1);
    });

    it('refuses a campaign it does not know', async () => {
      await expect(sources.dailyDispatchList('nope', '2026-10-14', sh('2026-10-14 09:00'), 0)).rejects.toMatchObject({ kind: 'not_found' });
    });
  });

  describe('周调度 the weekly dispatch', () => {
    it('per unit with assigned findings: open, due this week, overdue, escalated, and the weeks overdue so far', () => {
      expect(W43.key).toBe('2026-W43');
      const row = (u: string, open: number, dueThisWeek: number, overdue: number, escalated: number, previousOverdueWeeks: number) => ({
        unitId: u,
        unitName: UNIT_NAMES[u],
        open,
        dueThisWeek,
        overdue,
        escalated,
        previousOverdueWeeks,
      });
      // W43 at Monday 09:00: f3 (unclaimed) and f7 (with the verifier) in dept-b; f1 overdue, f4 due Wednesday in
      // town-a; nothing before it.
      expect(w43.value).toEqual([row('dept-b', 2, 0, 1, 0, 0), row('town-a', 2, 1, 1, 0, 0)]);
      // W44: f7 closed; the interviews fell for f1 and f3; both were overdue in W43; f4 is overdue now too.
      expect(w44.value).toEqual([row('dept-b', 1, 0, 1, 1, 1), row('town-a', 2, 0, 2, 1, 1)]);
    });

    it('publishes rows with the weeks overdue in a row; the view lists them newest first', async () => {
      const list = await reports.weeklyDispatches('c1');
      expect(list.map((w) => w.periodKey)).toEqual(['2026-W44', '2026-W43']);
      expect(list[0].content.rows.map((r) => [r.unitId, r.overdueWeeks, r.chronicOverdue])).toEqual([
        ['dept-b', 2, false],
        ['town-a', 2, false],
      ]);
      expect((await reports.weeklyDispatch('c1', '2026-W43'))?.content).toMatchObject({ week: '2026-W43', periodStart: '2026-10-19', periodEnd: '2026-10-25' });
      // A later week reads the latest earlier dispatch: W44's two weeks.
      const w45 = await sources.weeklyUnits('c1', isoWeekOf('2026-11-02'), sh('2026-11-02 09:00'));
      expect(w45.value.map((r) => [r.unitId, r.previousOverdueWeeks])).toEqual([
        ['dept-b', 2],
        ['town-a', 2],
      ]);
    });
  });

  describe('月讲评 monthly metrics and the rankings', () => {
    it('one entry per town and department, zeros for a unit with nothing; each metric as defined', () => {
      const zero = metrics('x', {});
      const { unitId: _u, unitName: _n, ...zeros } = zero;
      expect(october.value).toEqual([
        {
          // f3 unclaimed (due 10-15, overdue 10-16..10-31), f7 reopened on 10-29 (a reopen moves the deadline: it now
          // falls due 11-03 and counts there). The interview and the referral for f3, the reopen of f7.
          unitId: 'dept-b',
          unitName: '县住建局',
          activeFindings: 2,
          dueFindings: 1,
          closedOnTime: 0,
          overdueFindingDays: 16,
          missedDailyReports: 0,
          reopensAfterLookBack: 1,
          interviews: 1,
          accountabilityReferrals: 1,
        },
        { ...zeros, unitId: 'dept-d', unitName: '县水利局' },
        {
          // f1 (due 10-15, signed 10-27: 12 days), f2 (closed on time), f4 (due 10-21, open: 10-22..10-31).
          unitId: 'town-a',
          unitName: '宁平镇',
          activeFindings: 3,
          dueFindings: 3,
          closedOnTime: 1,
          overdueFindingDays: 22,
          missedDailyReports: 2,
          reopensAfterLookBack: 0,
          interviews: 1,
          accountabilityReferrals: 0,
        },
        // town-c has findings recorded in it, none assigned to it.
        { ...zeros, unitId: 'town-c', unitName: '东关镇' },
      ]);
      expect(october.provenance.asOf).toBe(utc('2026-11-02 09:00'));
    });

    it('overdue days cross the month boundary: November counts from the 1st to asOf', () => {
      const days = Object.fromEntries(november.value.map((u) => [u.unitId, u.overdueFindingDays]));
      // f3: 11-01..11-05; f7: due 11-03, 11-04..11-05; f4: 11-01..11-05.
      expect(days).toEqual({ 'dept-b': 7, 'dept-d': 0, 'town-a': 5, 'town-c': 0 });
      expect(november.value.find((u) => u.unitId === 'dept-b')).toMatchObject({ activeFindings: 2, dueFindings: 1, interviews: 0 });
    });

    it('the published review is scored and ranked by the domain; units are kept for the rankings', async () => {
      const review = await reports.monthlyReview('c1', '2026-10');
      expect(review?.content.units.map((u) => [u.unitId, u.score, u.rank, u.commended, u.namedLast])).toEqual([
        ['town-a', 42, 1, true, false],
        ['dept-b', 18, 2, true, false],
        ['dept-d', 100, null, false, false],
        ['town-c', 100, null, false, false],
      ]);
      expect((await reports.monthlyReviews('c1')).map((r) => r.periodKey)).toEqual(['2026-11', '2026-10', '2026-09']);
      const rows = await db.adminPool.query(`SELECT unit_id, unit_name, score::text AS score, rank, ranked FROM monthly_review_units_v1 WHERE month = '2026-10' ORDER BY unit_id`);
      expect(rows.rows).toEqual([
        { unit_id: 'dept-b', unit_name: '县住建局', score: '18', rank: 2, ranked: true },
        { unit_id: 'dept-d', unit_name: '县水利局', score: '100', rank: null, ranked: false },
        { unit_id: 'town-a', unit_name: '宁平镇', score: '42', rank: 1, ranked: true },
        { unit_id: 'town-c', unit_name: '东关镇', score: '100', rank: null, ranked: false },
      ]);
    });

    it('季排序: the quarter accumulates its published months; equal averages share a rank', async () => {
      const q4 = await reports.quarterly('c1', '2026-Q4');
      expect(q4).toMatchObject({ campaignId: 'c1', period: '2026-Q4', months: ['2026-10', '2026-11'] });
      expect(q4.units).toEqual([
        { unitId: 'town-c', unitName: '东关镇', months: 1, total: 80, average: 80, rank: 1, monthly: [{ month: '2026-11', score: 80 }] },
        {
          unitId: 'dept-b',
          unitName: '县住建局',
          months: 2,
          total: 72,
          average: 36,
          rank: 2,
          monthly: [{ month: '2026-10', score: 18 }, { month: '2026-11', score: 54 }],
        },
        {
          unitId: 'town-a',
          unitName: '宁平镇',
          months: 2,
          total: 72,
          average: 36,
          rank: 2,
          monthly: [{ month: '2026-10', score: 42 }, { month: '2026-11', score: 30 }],
        },
      ]);
      expect(await reports.quarterly('c1', '2026-Q3')).toMatchObject({ months: ['2026-09'], units: [{ unitId: 'dept-d', average: 100, rank: 1 }] });
      expect(await reports.quarterly('c1', '2027-Q1')).toEqual({ campaignId: 'c1', period: '2027-Q1', months: [], units: [] });
      await expect(reports.quarterly('c1', '2026-Q5')).rejects.toMatchObject({ kind: 'invalid_input' });
    });

    it('年总评: the whole year', async () => {
      const year = await reports.annual('c1', 2026);
      expect(year.months).toEqual(['2026-09', '2026-10', '2026-11']);
      expect(year.units.map((u) => [u.unitId, u.average, u.rank, u.months])).toEqual([
        ['dept-d', 100, 1, 1],
        ['town-c', 80, 2, 1],
        ['dept-b', 36, 3, 2],
        ['town-a', 36, 3, 2],
      ]);
      await expect(reports.annual('c1', 26)).rejects.toMatchObject({ kind: 'invalid_input' });
    });
  });

  describe('campaign lifecycle', () => {
    it('created active; paused, resumed and ended with who, when and why; the trail says so', async () => {
      expect(await reports.lifecycle('c1')).toEqual({
        campaignId: 'c1',
        lifecycle: 'active',
        reason: null,
        changedBy: { id: admin.userId, name: admin.name },
        changedAt: utc('2026-08-25 09:00'),
      });
      expect(await reports.lifecycle('c2')).toBeNull();
      await campaigns.create('c2');
      await campaigns.exec('c2', 'PauseCampaign', '汛期暂停', '2026-11-03 09:00');
      await catchUpFully(runner, db.adminPool);
      expect(await reports.lifecycle('c2')).toMatchObject({ lifecycle: 'paused', reason: '汛期暂停', changedAt: utc('2026-11-03 09:00') });
      await campaigns.exec('c2', 'ResumeCampaign', '汛期结束', '2026-11-10 09:00');
      await campaigns.exec('c2', 'EndCampaign', '提前完成', '2026-11-20 09:00');
      await catchUpFully(runner, db.adminPool);
      expect(await reports.lifecycle('c2')).toEqual({
        campaignId: 'c2',
        lifecycle: 'ended',
        reason: '提前完成',
        changedBy: { id: admin.userId, name: admin.name },
        changedAt: utc('2026-11-20 09:00'),
      });
      const trail = await db.appPool.query(
        `SELECT event_type, summary, changes FROM audit_trail_v2 WHERE stream_id = 'campaign-c2' ORDER BY version`,
      );
      const lifecycleChange = (changes: Array<{ field: string; before: string | null; after: string | null; beforeCode?: string | null; afterCode?: string | null }>) =>
        changes.filter((c) => c.field === 'lifecycle').map((c) => `${c.before}→${c.after} (${c.beforeCode}→${c.afterCode})`);
      expect(trail.rows.map((r) => [r.event_type, r.summary, lifecycleChange(r.changes)])).toEqual([
        ['CampaignCreated', `创建专项行动「${testCampaign.name}」`, []],
        ['CampaignPaused', '暂停专项行动：汛期暂停', ['进行中→已暂停 (active→paused)']],
        ['CampaignResumed', '恢复专项行动：汛期结束', ['已暂停→进行中 (paused→active)']],
        ['CampaignEnded', '结束专项行动：提前完成', ['进行中→已结束 (active→ended)']],
      ]);
    });
  });

  describe('waiting for the projections', () => {
    it('resolves once every projection has applied what was committed when called', async () => {
      runner.start(10);
      try {
        await file('team-3', '2026-10-19', '2026-10-19 17:00', { userId: 'u-insp3', name: '刘督查', unitId: 'team-3', role: 'inspector' });
        await sources.waitForProjections({ timeoutMs: 10_000 });
        const day = await new InspectionReportsQuery(db.appPool).forDay('c1', '2026-10-19');
        expect(day.find((r) => r.teamId === 'team-3')?.status).toBe('filed');
      } finally {
        await runner.stop();
      }
    });

    it('does not stop short of an event committed after an older transaction still in flight', async () => {
      const held = await db.adminPool.connect();
      runner.start(10);
      try {
        await held.query('BEGIN');
        await held.query('SELECT pg_current_xact_id()'); // holds the snapshot xmin back, as a slow append would
        await file('team-2', '2026-10-19', '2026-10-19 17:10', inspector2);
        // Committed, but the runner may not read past the older open transaction: waiting must not claim otherwise.
        await expect(sources.waitForProjections({ timeoutMs: 300, pollMs: 10 })).rejects.toThrow(/did not reach the log head .* lagging: projection:/);
        await held.query('COMMIT');
        await sources.waitForProjections({ timeoutMs: 10_000 });
        const day = await new InspectionReportsQuery(db.appPool).forDay('c1', '2026-10-19');
        expect(day.find((r) => r.teamId === 'team-2')?.status).toBe('filed');
      } finally {
        await held.query('ROLLBACK').catch(() => undefined);
        held.release();
        await runner.stop();
      }
    });

    it('times out with the names of the projections that lag', async () => {
      await file('team-1', '2026-10-19', '2026-10-19 17:20', inspector);
      await expect(sources.waitForProjections({ timeoutMs: 50, pollMs: 10 })).rejects.toThrow(/projection:finding_ledger:v2 at/);
      await catchUpFully(runner, db.adminPool);
      await sources.waitForProjections({ timeoutMs: 1000 });
    });
  });

  describe('idempotent and rebuildable', () => {
    it('re-applying every event changes nothing, from the start and from the middle; a rebuild is identical', async () => {
      const before = await dumpReadModels(db.adminPool);
      for (const t of CADENCE_TABLES) expect(before[t].length).toBeGreaterThan(0);
      expect(before.cadence_reports_v1).toHaveLength(7);
      await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = '0', position = 0 WHERE name LIKE 'projection:%'`);
      await catchUpFully(runner, db.adminPool, 7);
      expect(await dumpReadModels(db.adminPool)).toEqual(before);

      // Back to just before team-2's late filing of 10-12 (version 2 of its day): it must not be applied twice.
      const mid = await db.adminPool.query(
        `SELECT transaction_id::text AS t, position::text AS p FROM events WHERE stream_id = $1 AND version = 1`,
        [inspectionDayStreamId('c1', 'team-2', '2026-10-12')],
      );
      await db.adminPool.query(
        `UPDATE subscription_checkpoints SET transaction_id = $1::text::xid8, position = $2 WHERE name LIKE 'projection:%'`,
        [mid.rows[0].t, mid.rows[0].p],
      );
      await catchUpFully(runner, db.adminPool, 1);
      expect(await dumpReadModels(db.adminPool)).toEqual(before);

      for (const name of ['inspection_reports', 'cadence_reports', 'campaign_lifecycle', 'audit_trail']) {
        expect(await runner.rebuild(name, 3)).toBeGreaterThan(0);
      }
      await catchUpFully(runner, db.adminPool);
      expect(await dumpReadModels(db.adminPool)).toEqual(before);
    });

    it('a projection applied to the same event twice in one batch writes once', async () => {
      const projections = createProjections().filter((p) => ['inspection_reports', 'cadence_reports', 'campaign_lifecycle'].includes(p.name));
      const before = await dumpReadModels(db.adminPool);
      const { rows } = await db.adminPool.query(
        `SELECT position::text AS position, transaction_id::text AS transaction_id, stream_id, version, event_id::text AS event_id,
                type, data, metadata, recorded_at, prev_hash, hash
           FROM events WHERE stream_id LIKE 'inspection-%' OR stream_id LIKE 'cadence-%' OR stream_id LIKE 'campaign-%'
          ORDER BY events.transaction_id, events.position`,
      );
      const client = await db.appPool.connect();
      try {
        await client.query('BEGIN');
        for (const row of rows) {
          const e = toRecordedEvent(row);
          for (const p of projections) if (p.handles.includes(e.type)) await p.apply(client, e);
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
      expect(await dumpReadModels(db.adminPool)).toEqual(before);
    });
  });
});
