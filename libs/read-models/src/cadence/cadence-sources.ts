import type { Pool, PoolClient } from 'pg';
import { START, type GlobalPosition } from '@duban/event-store';
import {
  BULLETIN_ITEM_KINDS,
  type BulletinItem,
  type BulletinItemKind,
  type BulletinTotals,
  type BulletinUnitRow,
  type DailyBulletinContent,
  type DailyDispatchListContent,
  type DispatchListItem,
  type NamedPerson,
  type WeeklyUnitInput,
} from '@duban/domain/cadence/reports';
import { monthRange } from '@duban/domain/cadence/cadence';
import type { UnitMonthMetrics } from '@duban/domain/cadence/scoring';
import { calendarFor } from '@duban/domain/campaigns/deadline';
import { DEFAULT_POLICY, type CampaignPolicy } from '@duban/domain/campaigns/policy';
import { NotFoundError } from '@duban/domain/shared/errors';
import {
  assertLocalDate,
  endOfShanghaiDay,
  type LocalDate,
  shanghaiDateOf,
  startOfShanghaiDay,
  toUtcIso,
} from '@duban/domain/shared/local-date';
import { withReadSnapshot } from '../exports/read-snapshot';
import { checkpointName, type Projection } from '../projection';
import { isBefore } from '../projection-runner';
import { createProjections } from '../registry';
import { AccountabilityLedgerProjection } from '../accountability/accountability.projection';
import { CampaignsProjection } from '../campaigns/campaigns.projection';
import { DispatchNoticesProjection } from '../dispatch-notices/dispatch-notices.projection';
import { FindingLedgerProjection } from '../finding-ledger/finding-ledger.projection';
import { shanghaiDeadlineText } from '../support';
import { CadenceReportsQuery } from './cadence-reports.query';
import type { ActiveTeam, CadenceSnapshot } from './cadence.contract';
import { CadenceReportsProjection } from './cadence-reports.projection';
import { InspectionReportsProjection } from './inspection-reports.projection';

/** The checkpoints a snapshot's provenance is taken from: the projections behind the tables it reads. */
const CP = {
  findingLedger: checkpointName(new FindingLedgerProjection()),
  accountability: checkpointName(new AccountabilityLedgerProjection()),
  dispatchNotices: checkpointName(new DispatchNoticesProjection()),
  campaigns: checkpointName(new CampaignsProjection()),
  inspectionReports: checkpointName(new InspectionReportsProjection()),
  cadenceReports: checkpointName(new CadenceReportsProjection()),
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVERITY: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };
/** Open and still the unit's to work on: what can be overdue (the ladder waits while the verifier has it). */
const WORKING = `('Closed', 'Annulled', 'AwaitingVerification')`;
/** Open: assigned work that is neither closed nor annulled. */
const FINISHED = `('Closed', 'Annulled')`;
/** The Asia/Shanghai date of a timestamptz column, without relying on the server's time zone data. */
const shanghaiDate = (column: string): string => `((${column} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

export interface WaitForProjectionsOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  pollMs?: number;
}

/**
 * What the worker's cadence activities compute reports from. Every snapshot method reads in ONE repeatable-read,
 * read-only transaction, so a report's numbers agree with each other, and names in its provenance the least advanced
 * checkpoint among the projections it read: the report reflects at least the log up to there. Reads read models and
 * the directory only; call `waitForProjections` first so that a report computed at a cutoff sees everything
 * committed before it.
 */
export class CadenceSources {
  private readonly reports: CadenceReportsQuery;
  private readonly checkpoints: string[];

  constructor(
    private readonly pool: Pool,
    projections: ReadonlyArray<Pick<Projection, 'name' | 'version'>> = createProjections(),
  ) {
    this.reports = new CadenceReportsQuery(pool);
    this.checkpoints = projections.map(checkpointName);
  }

  /** Supervision teams with their leader (only an active inspector or supervisor counts as one), by team id. */
  async activeTeams(): Promise<ActiveTeam[]> {
    const { rows } = await this.pool.query(
      `SELECT t.unit_id AS team_id, t.name AS team_name, u.user_id, u.name AS user_name, u.unit_id AS user_unit_id, u.role
         FROM directory_units t
         LEFT JOIN directory_users u
           ON u.user_id = t.leader_user_id AND u.active AND u.role IN ('inspector', 'supervisor')
        WHERE t.kind = 'supervision_team'
        ORDER BY t.unit_id COLLATE "C"`,
    );
    return rows.map((r) => ({
      teamId: r.team_id,
      teamName: r.team_name,
      leader: r.user_id ? { userId: r.user_id, name: r.user_name, unitId: r.user_unit_id, role: r.role } : null,
    }));
  }

  /**
   * Waits until every projection has applied the whole log as committed now: the newest event this call can see
   * (not only those below the oldest in-flight transaction — an event committed after a still-running older
   * transaction was committed before the cutoff too, and a report must not miss it). Throws on timeout, naming the
   * projections that lag.
   */
  async waitForProjections(options: WaitForProjectionsOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const pollMs = options.pollMs ?? 50;
    const deadline = Date.now() + timeoutMs;
    const head = await this.pool.query<{ transaction_id: string; position: string }>(
      `SELECT transaction_id::text AS transaction_id, position::text AS position FROM events
        -- Qualified: the select list renames both to text, and an alias would sort '999' after '1000'.
        ORDER BY events.transaction_id DESC, events.position DESC LIMIT 1`,
    );
    if (!head.rows.length) return;
    const target: GlobalPosition = { transactionId: head.rows[0].transaction_id, position: head.rows[0].position };
    for (;;) {
      const at = await readCheckpoints(this.pool, this.checkpoints);
      const lagging = this.checkpoints.filter((name) => isBefore(at.get(name) ?? START, target));
      if (lagging.length === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(
          `read models did not reach the log head ${target.transactionId}:${target.position} within ${timeoutMs} ms; ` +
            `lagging: ${lagging.map((n) => `${n} at ${fmt(at.get(n) ?? START)}`).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** The lastNoticeSequence of the latest dispatch list published before `beforeDate` (0 if none). */
  lastDispatchListSequence(campaignId: string, beforeDate: LocalDate): Promise<number> {
    return this.reports.lastDispatchListSequence(campaignId, beforeDate);
  }

  /**
   * 日报/通报 (点人点事) for `date`: what happened that day and what stands overdue at `asOf`, by unit and by name.
   * new — recorded that day (the town, the recorder); dispatched — notices issued that day (the unit, the signer);
   * closed — closed that day (the unit, whoever signed the fix); overdue — open, with the verifier not holding it,
   * deadline before asOf (the owner, or nobody while unclaimed); missed progress reports of that workday and
   * escalations that fell that day (from the accountability ledger, as attributed there); supervision teams recorded
   * as missing the day's report (the leader named). Annulled findings are void and named in neither new nor dispatched.
   */
  async dailyBulletin(campaignId: string, date: LocalDate, asOf: string): Promise<CadenceSnapshot<DailyBulletinContent>> {
    assertLocalDate(date);
    const asOfIso = toUtcIso(asOf);
    const dayStart = startOfShanghaiDay(date);
    const dayEnd = endOfShanghaiDay(date);
    return this.snapshot(
      [CP.findingLedger, CP.dispatchNotices, CP.accountability, CP.inspectionReports],
      asOfIso,
      async (client) => {
        const drafts: DraftItem[] = [];
        const person = (id: string | null, name: string | null): NamedPerson | null =>
          id ? { userId: id, name: name ?? '' } : null;

        const recorded = await client.query(
          `SELECT finding_id, notice_no, town_unit_id, recorded_by_id, recorded_by_name, severity, village, household,
                  description
             FROM finding_ledger_v2
            WHERE campaign_id = $1 AND recorded_at >= $2 AND recorded_at < $3 AND state <> 'Annulled'`,
          [campaignId, dayStart, dayEnd],
        );
        for (const r of recorded.rows) {
          const place = [r.village, r.household].filter(Boolean).join(' ');
          drafts.push({
            kind: 'new',
            findingId: r.finding_id,
            noticeNo: r.notice_no,
            unitId: r.town_unit_id ?? 'unknown',
            person: person(r.recorded_by_id, r.recorded_by_name),
            detail: `${place ? `${place}：` : ''}${r.description ?? ''}（${SEVERITY[r.severity] ?? r.severity ?? ''}）`,
          });
        }

        const dispatched = await client.query(
          `SELECT n.finding_id, n.notice_no, n.kind, n.unit_id, n.from_unit_id, n.signer_id, n.signer_name,
                  to_char(n.due_date, 'YYYY-MM-DD') AS due_date
             FROM dispatch_notices_v1 n
             LEFT JOIN finding_ledger_v2 f ON f.finding_id = n.finding_id
            WHERE n.campaign_id = $1 AND n.issued_at >= $2 AND n.issued_at < $3
              AND f.state IS DISTINCT FROM 'Annulled'`,
          [campaignId, dayStart, dayEnd],
        );
        for (const r of dispatched.rows) {
          drafts.push({
            kind: 'dispatched',
            findingId: r.finding_id,
            noticeNo: r.notice_no,
            unitId: r.unit_id,
            person: person(r.signer_id, r.signer_name),
            detail:
              r.kind === 'reassignment' && r.from_unit_id
                ? (name) => `${r.notice_no} 改派交办（原单位 ${name(r.from_unit_id)}），整改期限 ${r.due_date}`
                : `${r.notice_no} 交办，整改期限 ${r.due_date}`,
          });
        }

        const closed = await client.query(
          `SELECT finding_id, notice_no, unit_id, rectification_signed_by_id, rectification_signed_by_name, owner_id,
                  owner_name, verified_by_name, to_char(due_date, 'YYYY-MM-DD') AS due_date,
                  (rectification_signed_at <= deadline_at) AS on_time
             FROM finding_ledger_v2
            WHERE campaign_id = $1 AND state = 'Closed' AND closed_at >= $2 AND closed_at < $3`,
          [campaignId, dayStart, dayEnd],
        );
        for (const r of closed.rows) {
          const timing = r.due_date ? `，${r.on_time ? '按期' : '逾期'}完成（期限 ${r.due_date}）` : '';
          drafts.push({
            kind: 'closed',
            findingId: r.finding_id,
            noticeNo: r.notice_no,
            unitId: r.unit_id ?? 'unknown',
            person: person(r.rectification_signed_by_id ?? r.owner_id, r.rectification_signed_by_name ?? r.owner_name),
            detail: `${noticePrefix(r.notice_no)}验收销号${timing}${r.verified_by_name ? `，验收人 ${r.verified_by_name}` : ''}`,
          });
        }

        const overdue = await client.query(
          `SELECT finding_id, notice_no, unit_id, owner_id, owner_name, to_char(due_date, 'YYYY-MM-DD') AS due_date,
                  deadline_at
             FROM finding_ledger_v2
            WHERE campaign_id = $1 AND state NOT IN ${WORKING} AND deadline_at < $2`,
          [campaignId, asOfIso],
        );
        for (const r of overdue.rows) {
          const days = Math.max(1, Math.ceil((Date.parse(asOfIso) - (r.deadline_at as Date).getTime()) / DAY_MS));
          drafts.push({
            kind: 'overdue',
            findingId: r.finding_id,
            noticeNo: r.notice_no,
            unitId: r.unit_id ?? 'unknown',
            person: person(r.owner_id, r.owner_name),
            detail: `${noticePrefix(r.notice_no)}逾期 ${days} 天（整改期限 ${r.due_date}）${r.owner_id ? '' : '，尚无人签字认领'}`,
          });
        }

        const ledger = await client.query(
          `SELECT finding_id, stream_version, kind, notice_no, unit_id, person_id, person_name, detail
             FROM accountability_ledger_v1
            WHERE campaign_id = $1
              AND ((kind = 'missed_report' AND workday = $4::date)
                OR (kind = 'escalation' AND occurred_at >= $2 AND occurred_at < $3))`,
          [campaignId, dayStart, dayEnd, date],
        );
        for (const r of ledger.rows) {
          drafts.push({
            kind: r.kind === 'missed_report' ? 'missed_progress_report' : 'escalated',
            findingId: r.finding_id,
            noticeNo: r.notice_no,
            unitId: r.unit_id,
            person: person(r.person_id, r.person_name),
            detail: `${noticePrefix(r.notice_no)}${r.detail}`,
          });
        }

        const teams = await client.query(
          `SELECT team_id, status, missed_against_id, missed_against_name, cutoff_at
             FROM inspection_reports_v1
            WHERE campaign_id = $1 AND date = $2::date AND status IN ('missed', 'missed_then_filed')`,
          [campaignId, date],
        );
        for (const r of teams.rows) {
          const cutoff = r.cutoff_at ? `（截止 ${shanghaiDeadlineText((r.cutoff_at as Date).toISOString())}）` : '';
          drafts.push({
            kind: 'missed_inspection_report',
            findingId: null,
            noticeNo: null,
            unitId: r.team_id,
            person: person(r.missed_against_id, r.missed_against_name),
            detail: `未按时报送 ${date} 日督查报告${cutoff}${r.status === 'missed_then_filed' ? '，已补报' : ''}${
              r.missed_against_id ? '' : '，未设组长'
            }`,
          });
        }

        const names = await unitNames(client, [
          ...drafts.map((d) => d.unitId),
          ...dispatched.rows.map((r) => r.from_unit_id).filter(Boolean),
        ]);
        const name = (id: string): string => names.get(id) ?? id;
        const items: BulletinItem[] = drafts
          .map((d) => ({
            kind: d.kind,
            findingId: d.findingId,
            noticeNo: d.noticeNo,
            unitId: d.unitId,
            unitName: name(d.unitId),
            person: d.person,
            detail: typeof d.detail === 'string' ? d.detail : d.detail(name),
          }))
          .sort(compareItems);
        const byUnit = bulletinRows(items);
        const totals = byUnit.reduce((t, u) => {
          for (const k of COUNT_FIELDS) t[k] += u[k];
          return t;
        }, zeroCounts());
        return { date, totals, byUnit, items };
      },
    );
  }

  /**
   * 日交办: what is recorded and not yet dispatched, flagged once its dispatch SLA (the campaign's calendar and policy,
   * as the finding's timer computes it) has ended by `asOf`; and the notices issued since the previous list
   * (sequence > sinceSequence), with whether the campaign's notice numbers run 1..last without a gap.
   * A notice's sequence is read from its number (…〔year〕N号, as the campaign formats it).
   */
  async dailyDispatchList(
    campaignId: string,
    date: LocalDate,
    asOf: string,
    sinceSequence: number,
  ): Promise<CadenceSnapshot<DailyDispatchListContent>> {
    assertLocalDate(date);
    const asOfIso = toUtcIso(asOf);
    const asOfMs = Date.parse(asOfIso);
    return this.snapshot([CP.campaigns, CP.findingLedger, CP.dispatchNotices], asOfIso, async (client) => {
      const campaign = await client.query<{
        policy: Partial<CampaignPolicy>;
        calendar_overrides: { restDays?: string[]; workDays?: string[] } | null;
      }>(
        'SELECT policy, calendar_overrides FROM campaigns_v1 WHERE campaign_id = $1',
        [campaignId],
      );
      if (!campaign.rows.length) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
      const policy = { ...DEFAULT_POLICY, ...campaign.rows[0].policy };
      const overrides = campaign.rows[0].calendar_overrides ?? {};
      const calendar = calendarFor({
        calendarOverrides: { restDays: overrides.restDays ?? [], workDays: overrides.workDays ?? [] },
      });

      const recorded = await client.query(
        `SELECT finding_id, town_unit_id, severity, recorded_at, recorded_by_id, recorded_by_name
           FROM finding_ledger_v2
          WHERE campaign_id = $1 AND state = 'Recorded'
          ORDER BY recorded_at, finding_id COLLATE "C"`,
        [campaignId],
      );
      const flagged: DispatchListItem[] = [];
      const pending: DispatchListItem[] = [];
      for (const r of recorded.rows) {
        const recordedAt = (r.recorded_at as Date).toISOString();
        const dueAt = calendar.addWorkdays(recordedAt, policy.dispatchWithinWorkdays).endsAt;
        const item: DispatchListItem = {
          findingId: r.finding_id,
          townUnitId: r.town_unit_id,
          severity: r.severity,
          recordedAt,
          recordedBy: r.recorded_by_id ? { userId: r.recorded_by_id, name: r.recorded_by_name ?? '' } : null,
          dueAt,
        };
        (Date.parse(dueAt) <= asOfMs ? flagged : pending).push(item);
      }

      const notices = await client.query<{
        notice_no: string;
        sequence: number;
        unit_id: string | null;
        finding_count: number;
        at: Date;
      }>(
        `SELECT notice_no, sequence, CASE WHEN count(DISTINCT unit_id) = 1 THEN min(unit_id) END AS unit_id,
                count(*)::int AS finding_count, min(issued_at) AS at
           FROM (SELECT notice_no, unit_id, issued_at,
                        substring(notice_no from '〔[0-9]+〕([0-9]+)号$')::int AS sequence
                   FROM dispatch_notices_v1 WHERE campaign_id = $1) n
          WHERE sequence IS NOT NULL
          GROUP BY notice_no, sequence
          ORDER BY sequence, notice_no COLLATE "C"`,
        [campaignId],
      );
      const sequences = new Set(notices.rows.map((n) => n.sequence));
      const lastNoticeSequence = notices.rows.reduce((m, n) => Math.max(m, n.sequence), 0);
      let gapless = sequences.size === lastNoticeSequence;
      for (let s = 1; gapless && s <= lastNoticeSequence; s++) gapless = sequences.has(s);
      return {
        date,
        flagged,
        pending,
        notices: notices.rows
          .filter((n) => n.sequence > sinceSequence)
          .map((n) => ({
            noticeNo: n.notice_no,
            sequence: n.sequence,
            unitId: n.unit_id,
            findingCount: n.finding_count,
            at: n.at.toISOString(),
          })),
        lastNoticeSequence,
        noticeSequenceGapless: gapless,
      };
    });
  }

  /**
   * 周调度 inputs: per unit with any (not annulled) finding assigned in the campaign — open (not closed or annulled),
   * due this week (open, due date Monday..Sunday), overdue (open, not with the verifier, deadline before asOf),
   * escalated (open, with an interview or accountability rung recorded against this unit in the accountability
   * ledger) — and how many weeks in a row the unit was overdue as of the latest weekly dispatch published for an
   * earlier week.
   */
  async weeklyUnits(
    campaignId: string,
    week: { key: string; monday: LocalDate; sunday: LocalDate },
    asOf: string,
  ): Promise<CadenceSnapshot<WeeklyUnitInput[]>> {
    assertLocalDate(week.monday, 'week.monday');
    assertLocalDate(week.sunday, 'week.sunday');
    const asOfIso = toUtcIso(asOf);
    return this.snapshot([CP.findingLedger, CP.accountability, CP.cadenceReports], asOfIso, async (client) => {
      const { rows } = await client.query<{
        unit_id: string;
        open: number;
        due_this_week: number;
        overdue: number;
        escalated: number;
      }>(
        // The campaign's escalated findings are gathered once and joined, rather than probed once per open finding.
        `WITH escalated AS (
           SELECT DISTINCT finding_id, unit_id FROM accountability_ledger_v1
            WHERE campaign_id = $1 AND kind = 'escalation' AND level IN ('interview', 'accountability'))
         SELECT f.unit_id,
                count(*) FILTER (WHERE f.state NOT IN ${FINISHED})::int AS open,
                count(*) FILTER (WHERE f.state NOT IN ${FINISHED} AND f.due_date BETWEEN $2::date AND $3::date)::int
                  AS due_this_week,
                count(*) FILTER (WHERE f.state NOT IN ${WORKING} AND f.deadline_at < $4)::int AS overdue,
                count(*) FILTER (WHERE f.state NOT IN ${FINISHED} AND e.finding_id IS NOT NULL)::int AS escalated
           FROM finding_ledger_v2 f
           LEFT JOIN escalated e ON e.finding_id = f.finding_id AND e.unit_id = f.unit_id
          WHERE f.campaign_id = $1 AND f.unit_id IS NOT NULL AND f.state <> 'Annulled'
          GROUP BY f.unit_id
          ORDER BY f.unit_id COLLATE "C"`,
        [campaignId, week.monday, week.sunday, asOfIso],
      );
      const previous = await client.query<{ unit_id: string; overdue_weeks: number }>(
        `SELECT r->>'unitId' AS unit_id, COALESCE((r->>'overdueWeeks')::int, 0) AS overdue_weeks
           FROM (SELECT content FROM cadence_reports_v1
                  WHERE campaign_id = $1 AND cadence = 'weekly_dispatch' AND period_key < $2
                  ORDER BY period_key COLLATE "C" DESC LIMIT 1) w,
                jsonb_array_elements(COALESCE(w.content->'rows', '[]'::jsonb)) r`,
        [campaignId, week.key],
      );
      const weeks = new Map(previous.rows.map((r) => [r.unit_id, r.overdue_weeks]));
      const names = await unitNames(client, rows.map((r) => r.unit_id));
      return rows.map((r) => ({
        unitId: r.unit_id,
        unitName: names.get(r.unit_id) ?? r.unit_id,
        open: r.open,
        dueThisWeek: r.due_this_week,
        overdue: r.overdue,
        escalated: r.escalated,
        previousOverdueWeeks: weeks.get(r.unit_id) ?? 0,
      }));
    });
  }

  /**
   * 月考评 inputs for `month` ('YYYY-MM'), one entry for every town and department in the directory (a unit with
   * nothing gets zeros, and the domain leaves it unranked). Findings count for the unit they are assigned to now;
   * accountability rows for the unit they are attributed to. See UnitMonthMetrics for each definition; overdue days
   * run to the date the fix was signed if it stands signed (awaiting verification or closed), else to asOf's date,
   * and never past the month's end.
   */
  async monthlyMetrics(campaignId: string, month: string, asOf: string): Promise<CadenceSnapshot<UnitMonthMetrics[]>> {
    const { start, end } = monthRange(month);
    const asOfIso = toUtcIso(asOf);
    const asOfDate = shanghaiDateOf(asOfIso);
    const monthStart = startOfShanghaiDay(start);
    const monthEnd = endOfShanghaiDay(end);
    return this.snapshot([CP.findingLedger, CP.accountability], asOfIso, async (client) => {
      const units = await client.query<{ unit_id: string; name: string }>(
        `SELECT unit_id, name FROM directory_units WHERE kind IN ('town', 'department') ORDER BY unit_id COLLATE "C"`,
      );
      const findings = await client.query<{
        unit_id: string;
        active: number;
        due: number;
        closed_on_time: number;
        overdue_days: number;
      }>(
        `SELECT unit_id,
                count(*) FILTER (WHERE dispatched_at < $5 AND (closed_at IS NULL OR closed_at >= $4))::int AS active,
                count(*) FILTER (WHERE due_date BETWEEN $2::date AND $3::date)::int AS due,
                count(*) FILTER (WHERE due_date BETWEEN $2::date AND $3::date AND state = 'Closed'
                                   AND rectification_signed_at <= deadline_at)::int AS closed_on_time,
                COALESCE(sum(GREATEST(0,
                  LEAST($3::date,
                        CASE WHEN state IN ('AwaitingVerification', 'Closed') AND rectification_signed_at IS NOT NULL
                             THEN ${shanghaiDate('rectification_signed_at')} ELSE $6::date END)
                  - GREATEST(due_date + 1, $2::date) + 1)) FILTER (WHERE due_date IS NOT NULL), 0)::int AS overdue_days
           FROM finding_ledger_v2
          WHERE campaign_id = $1 AND unit_id IS NOT NULL AND state <> 'Annulled'
          GROUP BY unit_id`,
        [campaignId, start, end, monthStart, monthEnd, asOfDate],
      );
      const ledger = await client.query<{
        unit_id: string;
        missed: number;
        reopens: number;
        interviews: number;
        referrals: number;
      }>(
        `SELECT unit_id,
                count(*) FILTER (WHERE kind = 'missed_report' AND workday BETWEEN $2::date AND $3::date)::int AS missed,
                count(*) FILTER (WHERE kind = 'reopen' AND occurred_at >= $4 AND occurred_at < $5)::int AS reopens,
                count(*) FILTER (WHERE kind = 'escalation' AND level = 'interview'
                                   AND occurred_at >= $4 AND occurred_at < $5)::int AS interviews,
                count(*) FILTER (WHERE kind = 'escalation' AND level = 'accountability'
                                   AND occurred_at >= $4 AND occurred_at < $5)::int AS referrals
           FROM accountability_ledger_v1
          WHERE campaign_id = $1 AND kind IN ('missed_report', 'reopen', 'escalation')
          GROUP BY unit_id`,
        [campaignId, start, end, monthStart, monthEnd],
      );
      const byFinding = new Map(findings.rows.map((r) => [r.unit_id, r]));
      const byLedger = new Map(ledger.rows.map((r) => [r.unit_id, r]));
      return units.rows.map((u) => {
        const f = byFinding.get(u.unit_id);
        const l = byLedger.get(u.unit_id);
        return {
          unitId: u.unit_id,
          unitName: u.name,
          activeFindings: f?.active ?? 0,
          dueFindings: f?.due ?? 0,
          closedOnTime: f?.closed_on_time ?? 0,
          overdueFindingDays: f?.overdue_days ?? 0,
          missedDailyReports: l?.missed ?? 0,
          reopensAfterLookBack: l?.reopens ?? 0,
          interviews: l?.interviews ?? 0,
          accountabilityReferrals: l?.referrals ?? 0,
        };
      });
    });
  }

  private snapshot<T>(
    checkpoints: string[],
    asOf: string,
    work: (client: PoolClient) => Promise<T>,
  ): Promise<CadenceSnapshot<T>> {
    return withReadSnapshot(this.pool, async (s) => {
      const at = await readCheckpoints(s.client, checkpoints);
      const least = checkpoints
        .map((name) => at.get(name) ?? START)
        .reduce((min, cp) => (isBefore(cp, min) ? cp : min));
      const value = await work(s.client);
      return { provenance: { asOf, checkpoint: fmt(least) }, value };
    });
  }
}

/**
 * A bulletin item before the unit names are read. Its wording may name another unit (a reassignment's previous one),
 * so it can be a function of the names.
 */
type DraftItem = Omit<BulletinItem, 'unitName' | 'detail'> & { detail: string | ((name: (id: string) => string) => string) };

const COUNT_FIELDS = [
  'newFindings',
  'dispatched',
  'closed',
  'overdue',
  'missedProgressReports',
  'missedInspectionReports',
  'escalations',
] as const;

const FIELD_OF_KIND: Record<BulletinItemKind, (typeof COUNT_FIELDS)[number]> = {
  new: 'newFindings',
  dispatched: 'dispatched',
  closed: 'closed',
  overdue: 'overdue',
  missed_progress_report: 'missedProgressReports',
  missed_inspection_report: 'missedInspectionReports',
  escalated: 'escalations',
};

const zeroCounts = (): BulletinTotals => ({
  newFindings: 0,
  dispatched: 0,
  closed: 0,
  overdue: 0,
  missedProgressReports: 0,
  missedInspectionReports: 0,
  escalations: 0,
});

function bulletinRows(items: readonly BulletinItem[]): BulletinUnitRow[] {
  const rows = new Map<string, BulletinUnitRow>();
  for (const item of items) {
    let row = rows.get(item.unitId);
    if (!row) {
      row = { unitId: item.unitId, unitName: item.unitName, ...zeroCounts() };
      rows.set(item.unitId, row);
    }
    row[FIELD_OF_KIND[item.kind]] += 1;
  }
  return [...rows.values()].sort((a, b) => cmp(a.unitId, b.unitId));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** By kind (in the domain's order), unit, finding, then the wording: the same content always lists the same way. */
function compareItems(a: BulletinItem, b: BulletinItem): number {
  return (
    BULLETIN_ITEM_KINDS.indexOf(a.kind) - BULLETIN_ITEM_KINDS.indexOf(b.kind) ||
    cmp(a.unitId, b.unitId) ||
    cmp(a.findingId ?? '', b.findingId ?? '') ||
    cmp(a.detail, b.detail) ||
    cmp(a.person?.userId ?? '', b.person?.userId ?? '')
  );
}

const noticePrefix = (noticeNo: string | null): string => (noticeNo ? `${noticeNo} ` : '');

async function unitNames(client: PoolClient, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((x) => typeof x === 'string'))];
  if (unique.length === 0) return new Map();
  const { rows } = await client.query<{ unit_id: string; name: string }>(
    'SELECT unit_id, name FROM directory_units WHERE unit_id = ANY($1::text[])',
    [unique],
  );
  return new Map(rows.map((r) => [r.unit_id, r.name]));
}

async function readCheckpoints(
  db: Pick<Pool | PoolClient, 'query'>,
  names: string[],
): Promise<Map<string, GlobalPosition>> {
  const { rows } = await db.query<{ name: string; transaction_id: string; position: string }>(
    `SELECT name, transaction_id::text AS transaction_id, position::text AS position
       FROM subscription_checkpoints WHERE name = ANY($1::text[])`,
    [names],
  );
  return new Map(rows.map((r) => [r.name, { transactionId: r.transaction_id, position: r.position }]));
}

const fmt = (p: GlobalPosition): string => `${p.transactionId}:${p.position}`;
