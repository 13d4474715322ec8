import type { Pool } from 'pg';
import {
  type Actor,
  addDays,
  type CadenceReportCommand,
  cadenceReportDecider,
  cadenceReportStreamId,
  compareLocalDates,
  type FindingCommand,
  inspectionDayDecider,
  inspectionDayStreamId,
  InvalidStateError,
  isoWeekOf,
  type LocalDate,
  monthOf,
  type ReportProvenance,
  scoreAndRank,
  scoringFormula,
  type Severity,
  shanghaiInstant,
  SYSTEM_ACTOR,
} from '@duban/domain';
import { testCampaign } from '@duban/domain/testing/fixtures';
import { PostgresEventStore } from '@duban/event-store';
import { CadenceSources, createProjections, ProjectionRunner } from '@duban/read-models';
import {
  BenchServer,
  CampaignWriter,
  forEachConcurrently,
  interleaved,
  type Measurement,
  newPool,
  percentile,
  Row,
  say,
  timeOnce,
  toNewEvent,
} from './support';

/**
 * What the worker's cadence reports (日报/通报, 日交办, 周调度, 月考评) cost to compute from the read models, at county
 * scale and at ten times that, each against reading the campaign's 问题台账 once in the same run.
 *
 * The county campaign is written through the domain and the event store the way the API and the finding workflows
 * write it (CampaignWriter in ./support), every finding driven day by day from 10-09 to the report day with its
 * timers fired at their instants (missed progress reports, dispatch/claim/verification SLAs, overdue and the
 * escalation ladder, look-backs), the supervision teams' daily reports filed or missed, and projected by the
 * ProjectionRunner. The 10× campaign is the county's projected rows cloned ten times into a second campaign (new
 * finding ids and notice numbers): the same shapes and timings at ten times the density, without ten minutes of
 * writing and projecting.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const COUNTY_FINDINGS = QUICK ? 179 : 1_788;
const SCALE = 10;
const WRITERS = 8;
const RUNS = { county: QUICK ? 20 : 60, province: QUICK ? 8 : 20 };
const RANKINGS = QUICK ? 2_000 : 20_000;

const COUNTY = 'county-2026';
const PROVINCE = 'province-2026';
const FIRST_DAY: LocalDate = '2026-10-09';
/** The report day: a Wednesday in the 集中整改 phase, seven weeks in. */
const DAY: LocalDate = '2026-11-18';
/** Every report is computed as of the day's inspection cutoff: the log is written up to that instant. */
const AS_OF = shanghaiInstant(DAY, '18:00');
const END_MS = Date.parse(AS_OF);

const TOWNS = [
  '城关镇', '东关镇', '宁平镇', '西关镇', '南关镇', '北关镇', '李庄镇', '王集镇', '马头镇', '河沟镇', '白寨乡',
  '黄庄乡', '刘集乡', '张桥乡', '杨湖乡', '陈楼乡', '孙店乡', '周营乡', '吴屯乡', '郑寨乡', '冯庄乡', '卫村乡',
].map((name, i) => ({ unitId: `town-${String(i + 1).padStart(2, '0')}`, name }));
const DEPARTMENTS = [
  '县住建局', '县水利局', '县教体局', '县卫健局', '县民政局', '县人社局', '县医保局', '县农业农村局', '县交通运输局',
  '县自然资源局', '县生态环境局', '县财政局', '县乡村振兴局', '县残联', '县市场监管局', '县应急管理局', '县发改局',
  '县工信局', '县商务局', '县文广旅局', '县林业局', '县公安局', '县供电公司',
].map((name, i) => ({ unitId: `dept-${String(i + 1).padStart(2, '0')}`, name }));
const TEAMS = ['第一督查组', '第二督查组', '第三督查组', '第四督查组', '第五督查组', '第六督查组'].map((name, i) => ({
  unitId: `team-${i + 1}`,
  name,
  inspector: { userId: `insp-${i + 1}`, name: `督查员${i + 1}`, unitId: `team-${i + 1}`, role: 'inspector' } as Actor,
  // The sixth team has no leader on record: its missed reports name nobody.
  hasLeader: i < 5,
}));
const UNIT_NAMES = new Map<string, string>([
  ['county-office', '县巩固办'],
  ...[...TOWNS, ...DEPARTMENTS, ...TEAMS].map((u) => [u.unitId, u.name] as [string, string]),
]);
const admin: Actor = { userId: 'admin-1', name: '吴管理员', unitId: 'it', role: 'admin' };
const supervisors: Actor[] = [
  { userId: 'sup-1', name: '李组长', unitId: 'county-office', role: 'supervisor' },
  { userId: 'sup-2', name: '王主任', unitId: 'county-office', role: 'supervisor' },
];
const official = (unitId: string, k: number): Actor => ({
  userId: `off-${unitId}-${k}`,
  name: `${UNIT_NAMES.get(unitId)}干部${k}`,
  unitId,
  role: 'unit_official',
});

/** Deterministic pseudo-random numbers, so every run writes the same campaign. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Profile = {
  findingId: string;
  team: (typeof TEAMS)[number];
  recordDay: LocalDate;
  recordTime: string;
  severity: Severity;
  townUnitId: string;
  unitId: string;
  annul: 'no' | 'recorded' | 'dispatched';
  /** Workdays after recording the supervisor dispatches it (1 is on the SLA's last day, more is late). */
  dispatchLag: number;
  /** Workdays after dispatch the unit claims it; null: never. */
  claimLag: number | null;
  claimant: number;
  plan: boolean;
  /** Share of workdays the owner reports progress by the cutoff. */
  reportRate: number;
  completion: 'on_time' | 'late' | 'stalled';
  onTimeShare: number;
  lateBy: number;
  verifyLag: number;
  reject: boolean;
  reassignTo: string | null;
  extension: boolean;
  reopen: boolean;
};

function profiles(campaignId: string, count: number, workdays: LocalDate[]): Profile[] {
  return Array.from({ length: count }, (_, n) => {
    const r = mulberry32(n + 1);
    const town = TOWNS[Math.floor(r() * TOWNS.length)];
    const toTown = r() < 0.6;
    const dept = DEPARTMENTS[Math.floor(r() * DEPARTMENTS.length)];
    const sev = r();
    const annul = r();
    const dispatch = r();
    const claim = r();
    const completion = r();
    const reassign = r() < 0.03;
    const other = DEPARTMENTS[(DEPARTMENTS.indexOf(dept) + 1 + Math.floor(r() * (DEPARTMENTS.length - 1))) % DEPARTMENTS.length];
    const minutes = 9 * 60 + Math.floor(r() * 16) * 30; // 09:00–16:30
    return {
      findingId: `${campaignId}-f${String(n + 1).padStart(5, '0')}`,
      team: TEAMS[n % TEAMS.length],
      // Slightly front-loaded: more findings in the first weeks of the phase than in the last.
      recordDay: workdays[Math.floor(Math.pow(r(), 1.3) * workdays.length)],
      recordTime: `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`,
      severity: sev < 0.15 ? 'red' : sev < 0.7 ? 'yellow' : 'blue',
      townUnitId: town.unitId,
      unitId: toTown ? town.unitId : dept.unitId,
      annul: annul < 0.02 ? 'recorded' : annul < 0.035 ? 'dispatched' : 'no',
      dispatchLag: dispatch < 0.83 ? 0 : dispatch < 0.94 ? 1 : dispatch < 0.98 ? 2 : 5,
      claimLag: claim < 0.8 ? 1 : claim < 0.95 ? 2 : null,
      claimant: 1 + Math.floor(r() * 2),
      plan: r() < 0.7,
      reportRate: r() < 0.1 ? 0.3 : 0.93,
      completion: completion < 0.68 ? 'on_time' : completion < 0.88 ? 'late' : 'stalled',
      onTimeShare: 0.4 + 0.6 * r(),
      lateBy: 1 + Math.floor(r() * 10),
      verifyLag: r() < 0.9 ? 1 : 4,
      reject: r() < 0.08,
      reassignTo: reassign && other.unitId !== (toTown ? town.unitId : dept.unitId) ? other.unitId : null,
      extension: r() < 0.05,
      reopen: r() < 0.2,
    };
  });
}

/**
 * One finding's life from its recording to the report day, workday by workday: the people's steps at fixed hours,
 * and before each of them (and at the end of a stretch) whatever timers fell due in between, at their own instants.
 * It runs in stretches (`through`), so that reports can be published in between as the worker would have.
 */
class FindingLife {
  private day: LocalDate;
  private unitId: string;
  private dispatchDay: LocalDate | null = null;
  private claimDay: LocalDate | null = null;
  private submittedDay: LocalDate | null = null;
  private resubmitDay: LocalDate | null = null;
  private rejected = false;
  private reassigned = false;
  private extended = false;
  private reopened = false;
  private readonly rnd: () => number;

  constructor(
    private readonly w: CampaignWriter,
    private readonly p: Profile,
  ) {
    this.day = p.recordDay;
    this.unitId = p.unitId;
    this.rnd = mulberry32(0x5eed ^ Number(p.findingId.slice(-5)));
  }

  /** Lives every workday up to `lastDay` (inclusive), then lets the timers due by `until` fire. */
  async through(lastDay: LocalDate, until: string): Promise<void> {
    for (; compareLocalDates(this.day, lastDay) <= 0; this.day = addDays(this.day, 1)) {
      if (this.w.ctx.calendar.isWorkday(this.day)) await this.workday(this.day);
    }
    await this.w.fireDue(this.p.findingId, until);
  }

  private async workday(day: LocalDate): Promise<void> {
    const { w, p } = this;
    const cal = w.ctx.calendar;
    const id = p.findingId;
    const plus = (d: LocalDate, n: number): LocalDate => (n <= 0 ? d : cal.addWorkdaysToDate(d, n));
    const [sup, sup2] = supervisors;
    const owner = () => official(this.unitId, p.claimant);
    const act = async (time: string, type: FindingCommand['type'], data: Record<string, unknown>, actor: Actor) => {
      const now = shanghaiInstant(day, time);
      await w.fireDue(id, now);
      await w.exec(id, type, data, actor, now);
    };
    const status = () => w.state(id).status;
    const due = (): LocalDate => (w.state(id) as { dueDate: LocalDate }).dueDate;
    const by = (time: string) => Date.parse(shanghaiInstant(day, time)) <= END_MS;

    if (day === p.recordDay) {
      await act(p.recordTime, 'RecordFinding', {
        findingId: id,
        campaignId: w.campaignId,
        source: 'household_inspection',
        categoryCode: ['2.3', '2.4', '3.1', '1.2'][Number(id.slice(-1)) % 4],
        severity: p.severity,
        townUnitId: p.townUnitId,
        village: `${UNIT_NAMES.get(p.townUnitId)}第${1 + (Number(id.slice(-3)) % 20)}村`,
        household: `户主${id.slice(-5)}`,
        description: '脱贫户住房安全鉴定后未落实改造（合成数据）',
        evidence: ['photo-1'],
      }, p.team.inspector);
      if (p.annul === 'recorded') await act('17:00', 'AnnulFinding', { reason: '重复登记' }, sup);
    }
    // 09:00 an extension asked for and decided.
    if (status() === 'InRectification' && p.extension && !this.extended && this.claimDay && day === plus(this.claimDay, 2) && by('09:15')) {
      this.extended = true;
      await act('09:00', 'RequestExtension', { workdays: 5, reason: '材料未到' }, owner());
      try {
        await act('09:15', 'GrantExtension', {}, sup);
      } catch (err) {
        if (!(err instanceof InvalidStateError)) throw err;
        await act('09:15', 'RefuseExtension', { reason: '已到阶段截止日' }, sup);
      }
    }
    // 09:30 the claim.
    if (status() === 'Dispatched' && this.dispatchDay && p.claimLag !== null && compareLocalDates(day, plus(this.dispatchDay, p.claimLag)) >= 0 && by('09:30')) {
      await act('09:30', 'ClaimFinding', {}, owner());
      this.claimDay = day;
    }
    // 10:00 the verification (a rejection the first time, for some), and a reopen after the look-back.
    if (status() === 'AwaitingVerification' && this.submittedDay && compareLocalDates(day, plus(this.submittedDay, p.verifyLag)) >= 0 && by('10:00')) {
      if (p.reject && !this.rejected) {
        this.rejected = true;
        await act('10:00', 'RejectRectification', { reason: '佐证不全' }, sup2);
        this.resubmitDay = plus(day, 2);
      } else {
        await act('10:00', 'VerifyRectification', { note: '同意销号' }, sup);
      }
    }
    if (status() === 'Closed' && p.reopen && !this.reopened && by('10:00')) {
      await w.fireDue(id, shanghaiInstant(day, '10:00'));
      const s = w.state(id) as { lookBackDueFor: string | null; closedAt: string | null };
      if (s.lookBackDueFor && s.lookBackDueFor === s.closedAt) {
        this.reopened = true;
        await act('10:00', 'ReopenFinding', { reason: '回头看发现反弹' }, sup);
        this.resubmitDay = plus(day, 2);
      }
    }
    // 10:30 the plan, on the day of the claim.
    if (status() === 'InRectification' && p.plan && this.claimDay === day && by('10:30')) {
      await act('10:30', 'SubmitRectificationPlan', { plan: '一户一策改造', measures: ['鉴定', '施工'] }, owner());
    }
    // 11:00 a reassignment the day after the claim; an annulment the day after the dispatch.
    if (status() === 'InRectification' && p.reassignTo && !this.reassigned && this.claimDay && day === plus(this.claimDay, 1) && by('11:00')) {
      this.reassigned = true;
      await act('11:00', 'ReassignFinding', { toUnitId: p.reassignTo, reason: '属行业部门职责' }, sup);
      this.unitId = p.reassignTo;
      this.dispatchDay = day;
      this.claimDay = null;
    }
    if (status() === 'Dispatched' && p.annul === 'dispatched' && this.dispatchDay && day === plus(this.dispatchDay, 1) && by('11:00')) {
      await act('11:00', 'AnnulFinding', { reason: '经核实不属于本次整改范围' }, sup);
    }
    // 15:00 the dispatch, under the campaign's next notice number.
    if (status() === 'Recorded' && p.annul !== 'recorded' && by('15:00')) {
      const lag = p.dispatchLag === 0 && p.recordTime >= '15:00' ? 1 : p.dispatchLag;
      if (compareLocalDates(day, plus(p.recordDay, lag)) >= 0) {
        await act('15:00', 'DispatchFinding', { unitId: this.unitId }, sup);
        this.dispatchDay = day;
      }
    }
    // 16:00 the day's progress report (most owners, most days); 16:30 the fix signed when its day has come.
    if (status() === 'InRectification' && this.claimDay && compareLocalDates(day, this.claimDay) > 0 && by('16:00') && this.rnd() < p.reportRate) {
      await act('16:00', 'ReportProgress', { summary: '按方案推进', percent: 50, evidence: [] }, owner());
    }
    const submit = status() === 'InRectification' ? this.submitDay(due, plus) : null;
    if (submit && compareLocalDates(day, submit) >= 0 && by('16:30')) {
      await act('16:30', 'SubmitRectification', { summary: '整改完成', evidence: ['done-1'] }, owner());
      this.submittedDay = day;
      this.resubmitDay = null;
    }
  }

  private submitDay(due: () => LocalDate, plus: (d: LocalDate, n: number) => LocalDate): LocalDate | null {
    if (this.resubmitDay) return this.resubmitDay;
    if (!this.claimDay || this.p.completion === 'stalled') return null;
    if (this.p.completion === 'late') return plus(due(), this.p.lateBy);
    return plus(this.claimDay, Math.round(this.p.onTimeShare * this.w.ctx.calendar.workdaysBetween(this.claimDay, due())));
  }
}

/** The supervision teams' 日督查: most filed by 17:00, some missed at the 18:00 cutoff and filed late, some missed. */
async function driveInspectionDays(pool: Pool, campaignId: string, workdays: LocalDate[], ps: Profile[]): Promise<number> {
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const cutoff = testCampaign.policy.inspectionCutoff;
  const days = workdays.flatMap((date) => TEAMS.map((team) => ({ date, team })));
  let events = 0;
  await forEachConcurrently(days.length, WRITERS, async (i) => {
    const { date, team } = days[i];
    const r = mulberry32(0x7ea3 + i)();
    const streamId = inspectionDayStreamId(campaignId, team.unitId, date);
    const ctx = { cutoffAt: shanghaiInstant(date, cutoff), workday: true, campaignLifecycle: 'active' as const };
    let state = inspectionDayDecider.initialState();
    let version = 0;
    const decide = async (command: Parameters<typeof inspectionDayDecider.decide>[0]) => {
      const decided = inspectionDayDecider.decide(command, state, ctx);
      if (!decided.length) return;
      await store.append([{ streamId, expectedVersion: version, events: decided.map((e) => toNewEvent(e, command.type)) }]);
      state = decided.reduce(inspectionDayDecider.evolve, state);
      version += decided.length;
      events += decided.length;
    };
    const file = (time: string) =>
      decide({
        type: 'FileInspectionReport',
        data: {
          campaignId,
          teamId: team.unitId,
          date,
          householdsVisited: 20 + (i % 15),
          unitsVisited: 2,
          findingIds: ps.filter((p) => p.team === team && p.recordDay === date).map((p) => p.findingId),
          summary: '入户走访三个村',
        },
        metadata: { now: shanghaiInstant(date, time), actor: team.inspector },
      });
    const miss = () =>
      decide({
        type: 'RecordMissedInspectionReport',
        data: { campaignId, teamId: team.unitId, date, leader: team.hasLeader ? team.inspector : null },
        metadata: { now: ctx.cutoffAt, actor: SYSTEM_ACTOR },
      });
    // The leaderless sixth team misses the report day itself, so that the bulletin always has a team to name.
    const leaderlessOnTheDay = !team.hasLeader && date === DAY;
    if (r < 0.88 && !leaderlessOnTheDay) return file('17:00');
    await miss();
    if (r < 0.95 && date !== DAY) await file('20:30');
  });
  return events;
}

async function publish(
  pool: Pool,
  type: CadenceReportCommand['type'],
  campaignId: string,
  periodKey: string,
  content: unknown,
  provenance: ReportProvenance,
  now: string,
): Promise<void> {
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const cadence = ({ PublishDailyBulletin: 'daily_inspection', PublishDailyDispatchList: 'daily_dispatch', PublishWeeklyDispatch: 'weekly_dispatch', PublishMonthlyReview: 'monthly_review' } as const)[type];
  const streamId = cadenceReportStreamId(campaignId, cadence, periodKey);
  const command = { type, data: { campaignId, periodKey, provenance, content }, metadata: { now, actor: SYSTEM_ACTOR } } as CadenceReportCommand;
  const events = cadenceReportDecider.decide(command, cadenceReportDecider.initialState());
  await store.append([{ streamId, expectedVersion: 0, events: events.map((e) => toNewEvent(e, type)) }]);
}

async function catchUp(pool: Pool, runner: ProjectionRunner): Promise<void> {
  const { rows } = await pool.query<{ t: string; p: string }>(
    'SELECT transaction_id::text AS t, position::text AS p FROM events ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1',
  );
  if (!(await runner.catchUpTo({ transactionId: rows[0].t, position: rows[0].p }, { timeoutMs: 900_000, batchSize: 500 }))) {
    throw new Error('projections did not reach the head of the log');
  }
}

/**
 * The 10× campaign: every row the reports read (finding ledger, notices, accountability ledger, teams' days,
 * published reports, the campaign) cloned `copies` times from the county's, with new finding ids and the notice
 * numbers renumbered after the county's so that they stay one gapless sequence.
 */
async function cloneCampaign(owner: Pool, from: string, to: string, copies: number): Promise<void> {
  const { rows } = await owner.query<{ last: number }>(
    `SELECT max(substring(notice_no from '〔[0-9]+〕([0-9]+)号$')::int) AS last FROM dispatch_notices_v1 WHERE campaign_id = $1`,
    [from],
  );
  const last = rows[0].last;
  const renumber = (col: string) =>
    `CASE WHEN ${col} IS NULL THEN NULL ELSE regexp_replace(${col}, '[0-9]+号$', '') ||
       (c * ${last} + substring(${col} from '〔[0-9]+〕([0-9]+)号$')::int) || '号' END`;
  const clone = (table: string, overrides: string) =>
    owner.query(
      `INSERT INTO ${table}
       SELECT r.* FROM ${table} x CROSS JOIN generate_series(0, $3::int - 1) AS c
              CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object(${overrides})) AS r
        WHERE x.campaign_id = $1`,
      [from, to, copies],
    );
  const id = `'finding_id', 'p' || c || '-' || x.finding_id, 'campaign_id', $2::text`;
  await clone('finding_ledger_v2', `${id}, 'notice_no', ${renumber('x.notice_no')}`);
  await clone('dispatch_notices_v1', `${id}, 'notice_no', ${renumber('x.notice_no')}, 'event_id', gen_random_uuid()`);
  await clone('accountability_ledger_v1', `${id}, 'notice_no', ${renumber('x.notice_no')}, 'event_id', gen_random_uuid()`);
  const once = (table: string, overrides: string) =>
    owner.query(
      `INSERT INTO ${table}
       SELECT r.* FROM ${table} x
              CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object('campaign_id', $2::text ${overrides})) AS r
        WHERE x.campaign_id = $1`,
      [from, to],
    );
  await once('campaigns_v1', '');
  await once('campaign_lifecycle_v1', '');
  await once('inspection_reports_v1', '');
  await once(
    'cadence_reports_v1',
    `, 'event_id', gen_random_uuid(), 'content', CASE WHEN x.content ? 'lastNoticeSequence'
       THEN jsonb_set(x.content, '{lastNoticeSequence}', to_jsonb(${(copies - 1) * last} + (x.content->>'lastNoticeSequence')::int))
       ELSE x.content END`,
  );
}

type ReportName = 'dailyBulletin' | 'dailyDispatchList' | 'weeklyUnits' | 'monthlyMetrics';
const REPORTS: Array<{ name: ReportName; label: string }> = [
  { name: 'dailyBulletin', label: 'dailyBulletin 日报/通报' },
  { name: 'dailyDispatchList', label: 'dailyDispatchList 日交办' },
  { name: 'weeklyUnits', label: 'weeklyUnits 周调度' },
  { name: 'monthlyMetrics', label: 'monthlyMetrics 月考评' },
];

type ScaleResult = { label: string; findings: number; runs: Record<'baseline' | ReportName, Measurement> };

async function measureCampaign(app: Pool, sources: CadenceSources, campaignId: string, label: string, runs: number): Promise<ScaleResult> {
  const week = isoWeekOf(DAY);
  const since = await sources.lastDispatchListSequence(campaignId, DAY);
  const { rows } = await app.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_ledger_v2 WHERE campaign_id = $1', [campaignId]);
  const variants: Record<'baseline' | ReportName, () => Promise<void>> = {
    baseline: async () => void (await app.query('SELECT * FROM finding_ledger_v2 WHERE campaign_id = $1', [campaignId])),
    dailyBulletin: async () => void (await sources.dailyBulletin(campaignId, DAY, AS_OF)),
    dailyDispatchList: async () => void (await sources.dailyDispatchList(campaignId, DAY, AS_OF, since)),
    weeklyUnits: async () => void (await sources.weeklyUnits(campaignId, week, AS_OF)),
    monthlyMetrics: async () => void (await sources.monthlyMetrics(campaignId, monthOf(DAY), AS_OF)),
  };
  for (const v of Object.values(variants)) for (let i = 0; i < 3; i++) await v(); // warm-up: plans, caches, JIT
  const measured = await interleaved(variants, runs, 1);
  return { label, findings: rows[0].n, runs: measured };
}

/** The tables the reports read. Vacuumed and analysed after seeding, as autovacuum would have by then. */
const READ_TABLES = [
  'finding_ledger_v2',
  'dispatch_notices_v1',
  'accountability_ledger_v1',
  'inspection_reports_v1',
  'cadence_reports_v1',
  'campaigns_v1',
  'campaign_lifecycle_v1',
  'directory_units_v1',
  'directory_users_v1',
  'subscription_checkpoints',
];

const sortedOf = (m: Measurement) => [...m.latencies].sort((a, b) => a - b);

export async function runCadenceBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_cadence');
  const owner = newPool(db.adminUrl, 2);
  const app = newPool(db.appUrl, WRITERS + 2);
  try {
    await owner.query(
      `INSERT INTO directory_units (unit_id, name, kind, leader_user_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        ['county-office', ...TOWNS.map((u) => u.unitId), ...DEPARTMENTS.map((u) => u.unitId), ...TEAMS.map((u) => u.unitId)],
        ['县巩固办', ...TOWNS.map((u) => u.name), ...DEPARTMENTS.map((u) => u.name), ...TEAMS.map((u) => u.name)],
        ['county_office', ...TOWNS.map(() => 'town'), ...DEPARTMENTS.map(() => 'department'), ...TEAMS.map(() => 'supervision_team')],
        [null, ...TOWNS.map(() => null), ...DEPARTMENTS.map(() => null), ...TEAMS.map((t) => (t.hasLeader ? t.inspector.userId : null))],
      ],
    );
    const people = [...TEAMS.map((t) => t.inspector), ...supervisors];
    await owner.query(
      `INSERT INTO directory_users (user_id, name, unit_id, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [people.map((p) => p.userId), people.map((p) => p.name), people.map((p) => p.unitId), people.map((p) => p.role)],
    );

    const settle = async () => {
      const t = await timeOnce(0, () => owner.query(`VACUUM ANALYZE ${READ_TABLES.join(', ')}`));
      say(`cadence: VACUUM ANALYZE of the read models in ${t.seconds.toFixed(1)} s\n`);
    };

    // ---- the county campaign, written through the domain and projected
    const writer = await CampaignWriter.create(
      app,
      { campaignId: COUNTY, name: testCampaign.name, noticePrefix: '郸巩督', phases: testCampaign.phases },
      admin,
      shanghaiInstant('2026-08-25', '09:00'),
    );
    const cal = writer.ctx.calendar;
    const workdays: LocalDate[] = [];
    for (let d = FIRST_DAY; compareLocalDates(d, DAY) <= 0; d = addDays(d, 1)) if (cal.isWorkday(d)) workdays.push(d);
    const ps = profiles(COUNTY, COUNTY_FINDINGS, workdays);
    const lives = ps.map((p) => new FindingLife(writer, p));
    const runner = new ProjectionRunner(app, createProjections({ unitName: (id) => UNIT_NAMES.get(id) ?? id }));
    const sources = new CadenceSources(app, runner);
    let writeSeconds = 0;
    let projectSeconds = 0;
    /** Lives every finding through `lastDay`, fires the timers due by `until`, and projects. */
    const stretch = async (lastDay: LocalDate, until: string, more?: () => Promise<void>) => {
      writeSeconds += (await timeOnce(0, async () => {
        await forEachConcurrently(lives.length, WRITERS, (i) => lives[i].through(lastDay, until));
        if (more) await more();
      })).seconds;
      projectSeconds += (await timeOnce(0, () => catchUp(owner, runner))).seconds;
    };
    say(`cadence: writing ${ps.length} findings of one county campaign day by day (${workdays[0]}..${DAY}, ${workdays.length} workdays), timers included…\n`);
    // Up to the previous Monday's 周调度 (its overdue weeks feed this week's), published as the worker publishes it.
    const prevWeek = isoWeekOf(addDays(DAY, -7));
    const prevAsOf = shanghaiInstant(prevWeek.monday, '09:00');
    await stretch(addDays(prevWeek.monday, -1), prevAsOf);
    const w = await sources.weeklyUnits(COUNTY, prevWeek, prevAsOf);
    await publish(app, 'PublishWeeklyDispatch', COUNTY, prevWeek.key, { week: prevWeek.key, periodStart: prevWeek.monday, periodEnd: prevWeek.sunday, units: w.value }, w.provenance, prevAsOf);
    // Up to yesterday's 日交办 (its last notice number is where today's list starts).
    const yesterday = workdays[workdays.length - 2];
    const listAsOf = shanghaiInstant(yesterday, '09:00');
    await stretch(addDays(yesterday, -1), listAsOf);
    const since = await sources.lastDispatchListSequence(COUNTY, yesterday);
    const list = await sources.dailyDispatchList(COUNTY, yesterday, listAsOf, since);
    await publish(app, 'PublishDailyDispatchList', COUNTY, yesterday, list.value, list.provenance, listAsOf);
    // The rest, to the report day's 18:00 cutoff, and every team's daily inspection reports.
    await stretch(DAY, AS_OF, async () => {
      writer.events += await driveInspectionDays(app, COUNTY, workdays, ps);
    });
    say(
      `cadence: ${writer.events} events written in ${writeSeconds.toFixed(1)} s (${Math.round(writer.events / writeSeconds)} events/s, ${WRITERS} writers), ` +
        `projected in ${projectSeconds.toFixed(1)} s (${Math.round(writer.events / projectSeconds)} events/s)\n`,
    );
    await settle();

    // What the county's reports hold, so that it is clear they do real work.
    await sources.waitForProjections();
    const bulletin = (await sources.dailyBulletin(COUNTY, DAY, AS_OF)).value;
    const dispatchList = (await sources.dailyDispatchList(COUNTY, DAY, AS_OF, await sources.lastDispatchListSequence(COUNTY, DAY))).value;
    const weekly = (await sources.weeklyUnits(COUNTY, isoWeekOf(DAY), AS_OF)).value;
    const monthly = (await sources.monthlyMetrics(COUNTY, monthOf(DAY), AS_OF)).value;
    const { rows: shape } = await owner.query<{ state: string; n: number }>(
      `SELECT CASE WHEN state = 'Closed' AND rectification_signed_at <= deadline_at THEN 'Closed on time'
                   WHEN state = 'Closed' THEN 'Closed late'
                   WHEN state NOT IN ('Annulled', 'AwaitingVerification') AND deadline_at < $2 THEN state || ' overdue'
                   ELSE state END AS state, count(*)::int AS n
         FROM finding_ledger_v2 WHERE campaign_id = $1 GROUP BY 1 ORDER BY 2 DESC`,
      [COUNTY, AS_OF],
    );
    const { rows: ledger } = await owner.query<{ kind: string; n: number }>(
      `SELECT kind || COALESCE('/' || level, '') AS kind, count(*)::int AS n FROM accountability_ledger_v1
        WHERE campaign_id = $1 GROUP BY 1 ORDER BY 2 DESC`,
      [COUNTY],
    );
    say(`cadence: county ledger ${shape.map((r) => `${r.state} ${r.n}`).join(', ')}\n`);
    say(`cadence: accountability ledger ${ledger.map((r) => `${r.kind} ${r.n}`).join(', ')}\n`);
    say(
      `cadence: bulletin of ${DAY}: ${Object.entries(bulletin.totals).map(([k, v]) => `${k} ${v}`).join(', ')} (${bulletin.items.length} items, ${bulletin.byUnit.length} units); ` +
        `dispatch list ${dispatchList.flagged.length} flagged, ${dispatchList.pending.length} pending, ${dispatchList.notices.length} new notices of ${dispatchList.lastNoticeSequence}; ` +
        `weekly ${weekly.length} units, ${weekly.reduce((s, u) => s + u.overdue, 0)} overdue, ${weekly.reduce((s, u) => s + u.escalated, 0)} escalated; ` +
        `monthly ${monthly.length} units, ${monthly.reduce((s, u) => s + u.dueFindings, 0)} due, ${monthly.reduce((s, u) => s + u.missedDailyReports, 0)} missed reports\n`,
    );
    for (const [k, v] of Object.entries(bulletin.totals)) if (v === 0 && !QUICK) throw new Error(`the bulletin has no ${k}: the seed is too thin`);

    say(`cadence: measuring the county campaign (${RUNS.county} runs each, interleaved)…\n`);
    const county = await measureCampaign(app, sources, COUNTY, 'county', RUNS.county);

    // ---- the 10× campaign beside it
    say(`cadence: cloning the county's read-model rows ${SCALE}× into a second campaign…\n`);
    const cloned = await timeOnce(0, () => cloneCampaign(owner, COUNTY, PROVINCE, SCALE));
    say(`cadence: cloned in ${cloned.seconds.toFixed(1)} s\n`);
    await settle();
    say(`cadence: measuring the ${SCALE}× campaign (${RUNS.province} runs each) and the county again beside it…\n`);
    const province = await measureCampaign(app, sources, PROVINCE, `${SCALE}× campaign`, RUNS.province);
    const countyBeside = await measureCampaign(app, sources, COUNTY, `county, beside the ${SCALE}×`, RUNS.county);

    // ---- scoreAndRank, pure, over the county's 45 units as monthlyMetrics computed them
    const formula = scoringFormula('v1');
    for (let i = 0; i < 2_000; i++) scoreAndRank(monthly, formula);
    const rankLatencies: number[] = [];
    const rankStarted = process.hrtime.bigint();
    for (let i = 0; i < RANKINGS; i++) {
      const t0 = process.hrtime.bigint();
      scoreAndRank(monthly, formula);
      rankLatencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const rankSeconds = Number(process.hrtime.bigint() - rankStarted) / 1e9;
    const rankSorted = [...rankLatencies].sort((a, b) => a - b);
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

    // ---- the table
    const results = [county, province, countyBeside];
    const lines: string[] = [];
    const rows: Row[] = [];
    for (const r of results) {
      const base = sortedOf(r.runs.baseline);
      const b50 = percentile(base, 50);
      const b95 = percentile(base, 95);
      const bench = `9 cadence, ${r.label} (${r.findings.toLocaleString('en')} findings)`;
      const baseRow: Row = {
        bench,
        variant: 'SELECT * FROM finding_ledger_v2 WHERE campaign_id (baseline)',
        unit: 'reads',
        m: r.runs.baseline,
        note: `p95 ${b95.toFixed(2)} ms`,
      };
      rows.push(baseRow);
      lines.push(`| ${r.label} | ${r.findings.toLocaleString('en')} | ledger read (baseline) | ${b50.toFixed(2)} | ${b95.toFixed(2)} | baseline | baseline |`);
      for (const rep of REPORTS) {
        const s = sortedOf(r.runs[rep.name]);
        const p50 = percentile(s, 50);
        const p95 = percentile(s, 95);
        rows.push({
          bench,
          variant: rep.label,
          unit: 'reports',
          m: r.runs[rep.name],
          baseline: baseRow,
          note: `p95 ${p95.toFixed(2)} ms; latency p50 ${(p50 / b50).toFixed(2)}× / p95 ${(p95 / b95).toFixed(2)}× the baseline's`,
        });
        lines.push(`| ${r.label} | ${r.findings.toLocaleString('en')} | ${rep.label} | ${p50.toFixed(2)} | ${p95.toFixed(2)} | ${(p50 / b50).toFixed(2)}× | ${(p95 / b95).toFixed(2)}× |`);
      }
    }
    const growth = (name: 'baseline' | ReportName) =>
      `${(percentile(sortedOf(province.runs[name]), 50) / percentile(sortedOf(county.runs[name]), 50)).toFixed(1)}×`;
    rows.push({
      bench: '9 cadence, scoreAndRank (pure)',
      variant: `scoreAndRank over ${monthly.length} units (formula v1)`,
      unit: 'rankings',
      m: { ops: RANKINGS, seconds: rankSeconds, latencies: rankLatencies },
      note: `p50 ${us(percentile(rankSorted, 50))}, p95 ${us(percentile(rankSorted, 95))}`,
    });
    say('\ncadence reports: latency per report (ms), each ratio against the ledger read of the same campaign in the same run\n');
    say('| campaign | findings | report | p50 ms | p95 ms | p50 vs baseline | p95 vs baseline |\n|---|---|---|---|---|---|---|\n');
    say(lines.join('\n') + '\n');
    say(
      `growth ${county.findings.toLocaleString('en')} → ${province.findings.toLocaleString('en')} findings (p50): baseline ${growth('baseline')}, ` +
        REPORTS.map((r) => `${r.name} ${growth(r.name)}`).join(', ') +
        `\nscoreAndRank over ${monthly.length} units: p50 ${us(percentile(rankSorted, 50))}, p95 ${us(percentile(rankSorted, 95))} (${RANKINGS} calls)\n`,
    );
    return rows;
  } finally {
    await owner.end();
    await app.end();
  }
}
