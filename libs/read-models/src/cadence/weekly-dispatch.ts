import type { Pool } from 'pg';
import type { WeeklyUnitInput } from '@duban/domain/cadence/reports';
import { assertLocalDate, type LocalDate, toUtcIso } from '@duban/domain/shared/local-date';
import { DirectoryQuery } from '../directory/directory.query';
import type { CadenceSnapshot } from './cadence.contract';
import { canBeOverdue, isOpen } from './finding-states.sql';
import { REPORT_CHECKPOINTS as CP, reportSnapshot } from './report-snapshot';

/**
 * 周调度 inputs: per unit with any (not annulled) finding assigned in the campaign — open (not closed or annulled),
 * due this week (open, due date Monday..Sunday), overdue (open, not with the verifier, deadline before asOf),
 * escalated (open, with an interview or accountability rung recorded against this unit in the accountability
 * ledger) — and how many weeks in a row the unit was overdue as of the latest weekly dispatch published for an
 * earlier week.
 */
export function weeklyUnits(
  pool: Pool,
  campaignId: string,
  week: { key: string; monday: LocalDate; sunday: LocalDate },
  asOf: string,
): Promise<CadenceSnapshot<WeeklyUnitInput[]>> {
  assertLocalDate(week.monday, 'week.monday');
  assertLocalDate(week.sunday, 'week.sunday');
  const asOfIso = toUtcIso(asOf);
  return reportSnapshot(pool, [CP.findingLedger, CP.accountability, CP.cadenceReports], asOfIso, async (client) => {
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
              count(*) FILTER (WHERE ${isOpen('f.state')})::int AS open,
              count(*) FILTER (WHERE ${isOpen('f.state')} AND f.due_date BETWEEN $2::date AND $3::date)::int
                AS due_this_week,
              count(*) FILTER (WHERE ${canBeOverdue('f.state')} AND f.deadline_at < $4)::int AS overdue,
              count(*) FILTER (WHERE ${isOpen('f.state')} AND e.finding_id IS NOT NULL)::int AS escalated
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
    const names = await new DirectoryQuery(client).unitNames(rows.map((r) => r.unit_id));
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
