import type { Pool } from 'pg';
import type { DailyBulletinContent, DailyDispatchListContent, WeeklyUnitInput } from '@duban/domain/cadence/reports';
import type { UnitMonthMetrics } from '@duban/domain/cadence/scoring';
import type { OfficialCalendarData } from '@duban/domain/calendar/official-data';
import type { LocalDate } from '@duban/domain/shared/local-date';
import { DirectoryQuery } from '../directory/directory.query';
import { CadenceReportsQuery } from './cadence-reports.query';
import type { ActiveTeam, CadenceSnapshot } from './cadence.contract';
import { isOpen } from './finding-states.sql';
import { dailyBulletin } from './daily-bulletin';
import { dailyDispatchList } from './daily-dispatch-list';
import { monthlyMetrics } from './monthly-review-metrics';
import { weeklyUnits } from './weekly-dispatch';

export interface WaitForProjectionsOptions {
  /** Default 30 s. */
  timeoutMs?: number;
  /** Default 50 ms. */
  pollMs?: number;
}

/** Whatever knows when the projections have applied the log's head: the ProjectionRunner (its `waitForHead`). */
export interface ProjectionHead {
  waitForHead(options?: WaitForProjectionsOptions): Promise<void>;
}

/**
 * What the worker's cadence activities compute reports from, in one place: each report is built by its own module
 * (daily-bulletin, daily-dispatch-list, weekly-dispatch, monthly-review-metrics) in one read snapshot, with the least
 * advanced checkpoint it read as its provenance. Call `waitForProjections` first so that a report computed at a
 * cutoff sees everything committed before it.
 */
export class CadenceSources {
  private readonly reports: CadenceReportsQuery;

  constructor(
    private readonly pool: Pool,
    private readonly projections: ProjectionHead,
    /**
     * The official calendar in force (shipped + published notices), as the finding timers compute with it, so the
     * daily dispatch list flags the same findings; absent, the shipped data alone.
     */
    private readonly officialCalendar?: () => Promise<OfficialCalendarData>,
  ) {
    this.reports = new CadenceReportsQuery(pool);
  }

  /** Supervision teams with their leader (only an active inspector or supervisor counts as one), by team id. */
  activeTeams(): Promise<ActiveTeam[]> {
    return new DirectoryQuery(this.pool).supervisionTeams();
  }

  /**
   * A page of the campaign's findings that may owe a daily report as of `since` (a workday's cutoff), by id after
   * `after`: every finding in or past rectification that is still open, or changed since then (closed or annulled
   * after the cutoff may still owe it). A superset — each is decided on its own stream.
   */
  async findingsToSweep(campaignId: string, since: string, after: string, limit: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ finding_id: string }>(
      `SELECT finding_id FROM finding_ledger_v2
        WHERE campaign_id = $1 AND finding_id > $3 AND state NOT IN ('Recorded')
          AND (${isOpen('state')} OR updated_at >= $2)
        ORDER BY finding_id LIMIT $4`,
      [campaignId, since, after, limit],
    );
    return rows.map((r) => r.finding_id);
  }

  /** Resolves once every projection has applied the log as committed now; throws on timeout naming the laggards. */
  waitForProjections(options: WaitForProjectionsOptions = {}): Promise<void> {
    return this.projections.waitForHead(options);
  }

  /** The lastNoticeSequence of the latest dispatch list published before `beforeDate` (0 if none). */
  lastDispatchListSequence(campaignId: string, beforeDate: LocalDate): Promise<number> {
    return this.reports.lastDispatchListSequence(campaignId, beforeDate);
  }

  dailyBulletin(campaignId: string, date: LocalDate, asOf: string): Promise<CadenceSnapshot<DailyBulletinContent>> {
    return dailyBulletin(this.pool, campaignId, date, asOf);
  }

  dailyDispatchList(
    campaignId: string,
    date: LocalDate,
    asOf: string,
    sinceSequence: number,
  ): Promise<CadenceSnapshot<DailyDispatchListContent>> {
    return this.officialCalendar
      ? this.officialCalendar().then((official) => dailyDispatchList(this.pool, campaignId, date, asOf, sinceSequence, official))
      : dailyDispatchList(this.pool, campaignId, date, asOf, sinceSequence);
  }

  weeklyUnits(
    campaignId: string,
    week: { key: string; monday: LocalDate; sunday: LocalDate },
    asOf: string,
  ): Promise<CadenceSnapshot<WeeklyUnitInput[]>> {
    return weeklyUnits(this.pool, campaignId, week, asOf);
  }

  monthlyMetrics(campaignId: string, month: string, asOf: string): Promise<CadenceSnapshot<UnitMonthMetrics[]>> {
    return monthlyMetrics(this.pool, campaignId, month, asOf);
  }
}
