import type { Pool } from 'pg';
import { assertLocalDate } from '@duban/domain/shared/local-date';
import { dateText, iso, Where } from '../support';
import type { InspectionReportView } from './cadence.contract';

export interface InspectionReportFilters {
  /** Asia/Shanghai dates, both inclusive. */
  from?: string;
  to?: string;
  teamId?: string;
}

const COLUMNS = `r.campaign_id, r.team_id, ${dateText('r.date', 'date')}, r.status, r.households_visited, r.units_visited,
  r.finding_ids, r.summary, r.filed_by_id, r.filed_by_name, r.filed_at, r.missed_against_id, r.missed_against_name,
  r.missed_at`;

/** 日督查: each supervision team's daily report for a campaign. */
export class InspectionReportsQuery {
  constructor(private readonly pool: Pool) {}

  /**
   * Every supervision team's day, pending where the team has neither filed nor been recorded as missing (yet).
   * Teams come from the directory; a team no longer in it still shows when it has a row for the day.
   */
  async forDay(campaignId: string, date: string): Promise<InspectionReportView[]> {
    assertLocalDate(date);
    const { rows } = await this.pool.query(
      `WITH teams AS (
         SELECT unit_id AS team_id FROM directory_units WHERE kind = 'supervision_team'
         UNION
         SELECT team_id FROM inspection_reports_v1 WHERE campaign_id = $1 AND date = $2::date
       )
       SELECT t.team_id AS day_team_id, u.name AS team_name, ${COLUMNS}
         FROM teams t
         LEFT JOIN inspection_reports_v1 r ON r.campaign_id = $1 AND r.team_id = t.team_id AND r.date = $2::date
         LEFT JOIN directory_units u ON u.unit_id = t.team_id
        ORDER BY t.team_id COLLATE "C"`,
      [campaignId, date],
    );
    return rows.map((r) =>
      r.status ? toView(r) : pendingView(campaignId, r.day_team_id, r.team_name ?? r.day_team_id, date),
    );
  }

  /** The days that have a row (filed or missed), newest first, then by team. */
  async list(campaignId: string, filters: InspectionReportFilters = {}): Promise<InspectionReportView[]> {
    const w = new Where().add('r.campaign_id = ?', campaignId);
    if (filters.from) w.add('r.date >= ?::date', assertLocalDate(filters.from, 'from'));
    if (filters.to) w.add('r.date <= ?::date', assertLocalDate(filters.to, 'to'));
    if (filters.teamId) w.add('r.team_id = ?', filters.teamId);
    const { rows } = await this.pool.query(
      `SELECT u.name AS team_name, ${COLUMNS}
         FROM inspection_reports_v1 r LEFT JOIN directory_units u ON u.unit_id = r.team_id
         ${w}
        ORDER BY r.date DESC, r.team_id COLLATE "C"`,
      w.params,
    );
    return rows.map(toView);
  }
}

function pendingView(campaignId: string, teamId: string, teamName: string, date: string): InspectionReportView {
  return {
    campaignId,
    teamId,
    teamName,
    date,
    status: 'pending',
    householdsVisited: null,
    unitsVisited: null,
    findingIds: [],
    summary: null,
    filedBy: null,
    filedAt: null,
    missedAgainst: null,
    missedAt: null,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toView(r: any): InspectionReportView {
  return {
    campaignId: r.campaign_id,
    teamId: r.team_id,
    teamName: r.team_name ?? r.team_id,
    date: r.date,
    status: r.status,
    householdsVisited: r.households_visited,
    unitsVisited: r.units_visited,
    findingIds: r.finding_ids ?? [],
    summary: r.summary,
    filedBy: r.filed_by_id ? { id: r.filed_by_id, name: r.filed_by_name ?? '' } : null,
    filedAt: iso(r.filed_at),
    missedAgainst: r.missed_against_id ? { id: r.missed_against_id, name: r.missed_against_name ?? '' } : null,
    missedAt: iso(r.missed_at),
  };
}
