/**
 * The cadence read side: what the API serves (inspection reports, bulletins, dispatch lists, weekly dispatches,
 * monthly reviews, quarterly and annual rankings) and what the worker's cadence activities compute reports from.
 * Everything here reads read models only (finding_ledger_v2, accountability_ledger_v1, dispatch_notices_v1, the
 * cadence tables of 1007) plus the directory (reference data, not event-sourced).
 */
import type {
  AccumulatedScore,
  CampaignLifecycle,
  DailyBulletinContent,
  DailyDispatchListContent,
  LocalDate,
  MonthlyReviewContent,
  ReportProvenance,
  UnitMonthMetrics,
  WeeklyDispatchContent,
  WeeklyUnitInput,
} from '@duban/domain';
import type { SupervisionTeam } from '../directory/directory.query';

// ---------- views served by the API ----------

export type InspectionDayStatus = 'filed' | 'filed_late' | 'missed' | 'missed_then_filed' | 'pending';

export interface InspectionReportView {
  campaignId: string;
  teamId: string;
  teamName: string;
  date: LocalDate;
  status: InspectionDayStatus;
  householdsVisited: number | null;
  unitsVisited: number | null;
  findingIds: string[];
  summary: string | null;
  filedBy: { id: string; name: string } | null;
  filedAt: string | null;
  /** The leader the missed record names (null when nothing was missed or the team had no leader). */
  missedAgainst: { id: string; name: string } | null;
  missedAt: string | null;
}

/** A published report as stored: key, when, and the frozen content of its event. */
export interface PublishedReport<C> {
  campaignId: string;
  periodKey: string;
  publishedAt: string;
  provenance: ReportProvenance;
  /** The event that froze it: stream and version in the log, for the audit trail. */
  streamId: string;
  eventId: string;
  content: C;
}

export type BulletinView = PublishedReport<DailyBulletinContent>;
export type DispatchListView = PublishedReport<DailyDispatchListContent>;
export type WeeklyDispatchView = PublishedReport<WeeklyDispatchContent>;
export type MonthlyReviewView = PublishedReport<MonthlyReviewContent>;

export interface AccumulatedRanking {
  campaignId: string;
  /** '2026-Q4' or '2026'. */
  period: string;
  /** The published months it accumulates, in order. */
  months: string[];
  units: AccumulatedScore[];
}

export interface CampaignLifecycleView {
  campaignId: string;
  lifecycle: CampaignLifecycle;
  reason: string | null;
  changedBy: { id: string; name: string } | null;
  changedAt: string | null;
}

// ---------- what the worker computes reports from ----------

/** A supervision team answerable for a daily report: kind 'supervision_team', with its leader if any. */
export type ActiveTeam = SupervisionTeam;

export interface CadenceSnapshot<T> {
  provenance: ReportProvenance;
  value: T;
}
