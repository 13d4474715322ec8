import type { Pool } from 'pg';
import { monthRange } from '@duban/domain/cadence/cadence';
import { scoringFormulaForMonth, type UnitMonthMetrics } from '@duban/domain/cadence/scoring';
import { endOfShanghaiDay, shanghaiDateOf, startOfShanghaiDay, toUtcIso } from '@duban/domain/shared/local-date';
import { DirectoryQuery } from '../directory/directory.query';
import { isImportedHistory } from './finding-states.sql';
import type { CadenceSnapshot } from './cadence.contract';
import { REPORT_CHECKPOINTS as CP, reportSnapshot } from './report-snapshot';

/** The Asia/Shanghai date of a timestamptz column, without relying on the server's time zone data. */
const shanghaiDate = (column: string): string => `((${column} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/**
 * 月考评 inputs for `month` ('YYYY-MM'), one entry for every town and department in the directory (a unit with
 * nothing gets zeros, and the domain leaves it unranked). Findings count for the unit they are assigned to now;
 * accountability rows for the unit they are attributed to. See UnitMonthMetrics for each definition; overdue days
 * run to the date the fix was signed if it stands signed (awaiting verification or closed), else to asOf's date,
 * and never past the month's end.
 */
export function monthlyMetrics(
  pool: Pool,
  campaignId: string,
  month: string,
  asOf: string,
): Promise<CadenceSnapshot<UnitMonthMetrics[]>> {
  const { start, end } = monthRange(month);
  const asOfIso = toUtcIso(asOf);
  const asOfDate = shanghaiDateOf(asOfIso);
  const monthStart = startOfShanghaiDay(start);
  const monthEnd = endOfShanghaiDay(end);
  // 举一反三 completeness is read only for a month whose formula scores it: a month under v1 gets exactly the inputs
  // (and the provenance) it always had.
  const withSelfChecks = scoringFormulaForMonth(month).selfCheckCompletenessWeight !== undefined;
  const checkpoints = withSelfChecks ? [CP.findingLedger, CP.accountability, CP.propagation] : [CP.findingLedger, CP.accountability];
  return reportSnapshot(pool, checkpoints, asOfIso, async (client) => {
    const units = await new DirectoryQuery(client).townsAndDepartments();
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
        WHERE campaign_id = $1 AND unit_id IS NOT NULL AND state <> 'Annulled' AND NOT ${isImportedHistory()}
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
    // A task counts in the month its due date falls in; on time = signed by its deadline (a late signature is not).
    const selfChecks = withSelfChecks
      ? await client.query<{ unit_id: string; due: number; on_time: number }>(
          `SELECT unit_id, count(*)::int AS due,
                  count(*) FILTER (WHERE status = 'attested' AND attested_at <= deadline_at)::int AS on_time
             FROM propagation_tasks_v1
            WHERE campaign_id = $1 AND due_date BETWEEN $2::date AND $3::date
            GROUP BY unit_id`,
          [campaignId, start, end],
        )
      : null;
    const bySelfCheck = new Map((selfChecks?.rows ?? []).map((r) => [r.unit_id, r]));
    const byFinding = new Map(findings.rows.map((r) => [r.unit_id, r]));
    const byLedger = new Map(ledger.rows.map((r) => [r.unit_id, r]));
    return units.map((u) => {
      const f = byFinding.get(u.unitId);
      const l = byLedger.get(u.unitId);
      return {
        unitId: u.unitId,
        unitName: u.name,
        activeFindings: f?.active ?? 0,
        dueFindings: f?.due ?? 0,
        closedOnTime: f?.closed_on_time ?? 0,
        overdueFindingDays: f?.overdue_days ?? 0,
        missedDailyReports: l?.missed ?? 0,
        reopensAfterLookBack: l?.reopens ?? 0,
        interviews: l?.interviews ?? 0,
        accountabilityReferrals: l?.referrals ?? 0,
        ...(withSelfChecks ? { selfChecksDue: bySelfCheck.get(u.unitId)?.due ?? 0, selfChecksAttestedOnTime: bySelfCheck.get(u.unitId)?.on_time ?? 0 } : {}),
      };
    });
  });
}
