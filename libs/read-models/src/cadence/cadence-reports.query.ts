import type { Pool } from 'pg';
import { accumulateScores, type MonthlyUnitResult } from '@duban/domain/cadence/scoring';
import { type Cadence, monthsOfQuarter } from '@duban/domain/cadence/cadence';
import { assertLocalDate } from '@duban/domain/shared/local-date';
import { InvalidInputError } from '@duban/domain/shared/errors';
import { iso } from '../support';
import type {
  AccumulatedRanking,
  BulletinView,
  CampaignLifecycleView,
  DispatchListView,
  MonthlyReviewView,
  PublishedReport,
  WeeklyDispatchView,
} from './cadence.contract';

export interface PeriodFilters {
  /** Period keys (dates for the daily reports), both inclusive. */
  from?: string;
  to?: string;
}

const COLUMNS = `campaign_id, period_key, published_at, provenance, content, stream_id, event_id::text AS event_id`;

/**
 * The published cadence reports (frozen documents: what a run published stays as it was) and the rankings that
 * accumulate published monthly reviews. Lists are newest period first.
 */
export class CadenceReportsQuery {
  constructor(private readonly pool: Pool) {}

  async bulletin(campaignId: string, date: string): Promise<BulletinView | null> {
    return this.one(campaignId, 'daily_inspection', assertLocalDate(date));
  }

  async bulletins(campaignId: string, filters: PeriodFilters = {}): Promise<BulletinView[]> {
    return this.many(campaignId, 'daily_inspection', dateFilters(filters));
  }

  async dispatchList(campaignId: string, date: string): Promise<DispatchListView | null> {
    return this.one(campaignId, 'daily_dispatch', assertLocalDate(date));
  }

  async dispatchLists(campaignId: string, filters: PeriodFilters = {}): Promise<DispatchListView[]> {
    return this.many(campaignId, 'daily_dispatch', dateFilters(filters));
  }

  /** `week` is the ISO week key, e.g. '2026-W42'. */
  async weeklyDispatch(campaignId: string, week: string): Promise<WeeklyDispatchView | null> {
    return this.one(campaignId, 'weekly_dispatch', week);
  }

  async weeklyDispatches(campaignId: string): Promise<WeeklyDispatchView[]> {
    return this.many(campaignId, 'weekly_dispatch', {});
  }

  /** `month` is the reviewed month, 'YYYY-MM'. */
  async monthlyReview(campaignId: string, month: string): Promise<MonthlyReviewView | null> {
    return this.one(campaignId, 'monthly_review', month);
  }

  async monthlyReviews(campaignId: string): Promise<MonthlyReviewView[]> {
    return this.many(campaignId, 'monthly_review', {});
  }

  /**
   * The notice sequence the latest dispatch list published before `beforeDate` ran up to (0 if none): the next list
   * reports the notices issued after it.
   */
  async lastDispatchListSequence(campaignId: string, beforeDate: string): Promise<number> {
    const { rows } = await this.pool.query<{ last: number | null }>(
      `SELECT (content->>'lastNoticeSequence')::int AS last FROM cadence_reports_v1
        WHERE campaign_id = $1 AND cadence = 'daily_dispatch' AND period_key < $2
        ORDER BY period_key COLLATE "C" DESC LIMIT 1`,
      [campaignId, assertLocalDate(beforeDate, 'beforeDate')],
    );
    return rows[0]?.last ?? 0;
  }

  /** 季排序: the published monthly reviews of the quarter ('2026-Q4'), accumulated. */
  async quarterly(campaignId: string, quarter: string): Promise<AccumulatedRanking> {
    return this.accumulate(campaignId, quarter, monthsOfQuarter(quarter));
  }

  /** 年总评: the published monthly reviews of the year, accumulated. */
  async annual(campaignId: string, year: number): Promise<AccumulatedRanking> {
    if (!Number.isInteger(year) || year < 2000 || year > 9999) {
      throw new InvalidInputError('INVALID_YEAR', 'year', `年份应为四位整数：${String(year)}`);
    }
    const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);
    return this.accumulate(campaignId, String(year), months);
  }

  async lifecycle(campaignId: string): Promise<CampaignLifecycleView | null> {
    const { rows } = await this.pool.query(
      `SELECT campaign_id, lifecycle, reason, changed_by_id, changed_by_name, changed_at
         FROM campaign_lifecycle_v1 WHERE campaign_id = $1`,
      [campaignId],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      campaignId: r.campaign_id,
      lifecycle: r.lifecycle,
      reason: r.reason,
      changedBy: r.changed_by_id ? { id: r.changed_by_id, name: r.changed_by_name ?? '' } : null,
      changedAt: iso(r.changed_at),
    };
  }

  private async accumulate(campaignId: string, period: string, months: string[]): Promise<AccumulatedRanking> {
    const { rows } = await this.pool.query<{
      month: string;
      unit_id: string;
      unit_name: string;
      score: string;
      ranked: boolean;
    }>(
      `SELECT month, unit_id, unit_name, score::text AS score, ranked FROM monthly_review_units_v1
        WHERE campaign_id = $1 AND month = ANY($2::text[])
        ORDER BY month, unit_id COLLATE "C"`,
      [campaignId, months],
    );
    const results: MonthlyUnitResult[] = rows.map((r) => ({
      month: r.month,
      unitId: r.unit_id,
      unitName: r.unit_name,
      score: Number(r.score),
      ranked: r.ranked,
    }));
    const published = months.filter((m) => rows.some((r) => r.month === m));
    return { campaignId, period, months: published, units: accumulateScores(results) };
  }

  private async one<C>(campaignId: string, cadence: Cadence, periodKey: string): Promise<PublishedReport<C> | null> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM cadence_reports_v1 WHERE campaign_id = $1 AND cadence = $2 AND period_key = $3`,
      [campaignId, cadence, periodKey],
    );
    return rows.length ? toReport<C>(rows[0]) : null;
  }

  private async many<C>(campaignId: string, cadence: Cadence, f: PeriodFilters): Promise<PublishedReport<C>[]> {
    const params: unknown[] = [campaignId, cadence];
    let range = '';
    if (f.from) {
      params.push(f.from);
      range += ` AND period_key >= $${params.length}`;
    }
    if (f.to) {
      params.push(f.to);
      range += ` AND period_key <= $${params.length}`;
    }
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM cadence_reports_v1 WHERE campaign_id = $1 AND cadence = $2${range}
        ORDER BY period_key COLLATE "C" DESC`,
      params,
    );
    return rows.map((r) => toReport<C>(r));
  }
}

function dateFilters(f: PeriodFilters): PeriodFilters {
  return {
    from: f.from === undefined ? undefined : assertLocalDate(f.from, 'from'),
    to: f.to === undefined ? undefined : assertLocalDate(f.to, 'to'),
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toReport<C>(r: any): PublishedReport<C> {
  return {
    campaignId: r.campaign_id,
    periodKey: r.period_key,
    publishedAt: iso(r.published_at)!,
    provenance: r.provenance,
    streamId: r.stream_id,
    eventId: r.event_id,
    content: r.content as C,
  };
}
