import type { Pool } from 'pg';
import { dateText, iso, normalisePaging, Page, Paging, Where } from '../support';

export interface FindingLedgerFilters extends Paging {
  campaignId?: string;
  /** The unit the finding is currently assigned to. */
  unitId?: string;
  state?: string;
  categoryCode?: string;
  severity?: string;
  /** true: open (not Closed/Annulled) with the deadline passed at `now`; false: everything else. */
  overdue?: boolean;
}

/** A unit official sees only findings currently assigned to their unit; supervisors and inspectors pass `{}`. */
export interface LedgerScope {
  unitId?: string;
}

export interface PersonRef {
  id: string;
  name: string;
}

export interface FindingLedgerItem {
  findingId: string;
  campaignId: string;
  state: string;
  source: string | null;
  categoryCode: string | null;
  severity: string | null;
  townUnitId: string | null;
  village: string | null;
  household: string | null;
  description: string | null;
  unitId: string | null;
  owner: (PersonRef & { unitId: string | null }) | null;
  recordedBy: PersonRef | null;
  recordedAt: string | null;
  dispatchedBy: PersonRef | null;
  dispatchedAt: string | null;
  noticeNo: string | null;
  dueDate: string | null;
  deadlineAt: string | null;
  claimedBy: PersonRef | null;
  claimedAt: string | null;
  planSubmittedAt: string | null;
  lastProgressAt: string | null;
  progressCount: number;
  extensionPending: boolean;
  rectificationSignedBy: PersonRef | null;
  rectificationSignedAt: string | null;
  verifiedBy: PersonRef | null;
  verifiedAt: string | null;
  closedAt: string | null;
  annulledBy: PersonRef | null;
  annulledAt: string | null;
  reopenedCount: number;
  reassignedCount: number;
  lastReason: string | null;
  streamVersion: number;
  updatedAt: string;
  overdue: boolean;
  /** Natural days past the deadline at the query's `now`, rounded up; 0 when not overdue. */
  daysOverdue: number;
}

const FINISHED = `('Closed', 'Annulled')`;
const DAY_MS = 24 * 60 * 60 * 1000;

const COLUMNS = `finding_id, campaign_id, state, source, category_code, severity, town_unit_id, village, household,
  description, unit_id, owner_id, owner_name, owner_unit_id, recorded_by_id, recorded_by_name, recorded_at,
  dispatched_by_id, dispatched_by_name, dispatched_at, notice_no, ${dateText('due_date')}, deadline_at,
  claimed_by_id, claimed_by_name, claimed_at, plan_submitted_at, last_progress_at, progress_count, extension_pending,
  rectification_signed_by_id, rectification_signed_by_name, rectification_signed_at, verified_by_id, verified_by_name,
  verified_at, closed_at, annulled_by_id, annulled_by_name, annulled_at, reopened_count, reassigned_count, last_reason,
  stream_version, updated_at`;

/**
 * Reads 问题台账. `now` is passed in (the API's injected clock) so "overdue" is reproducible in tests and the
 * same instant answers both the filter and `daysOverdue`.
 */
export class FindingLedgerQuery {
  constructor(private readonly pool: Pool) {}

  async list(filters: FindingLedgerFilters, scope: LedgerScope, now: Date): Promise<Page<FindingLedgerItem>> {
    const { page, pageSize, offset } = normalisePaging(filters);
    const w = new Where();
    if (scope.unitId !== undefined) w.add('unit_id = ?', scope.unitId);
    if (filters.campaignId) w.add('campaign_id = ?', filters.campaignId);
    if (filters.unitId) w.add('unit_id = ?', filters.unitId);
    if (filters.state) w.add('state = ?', filters.state);
    if (filters.categoryCode) w.add('category_code = ?', filters.categoryCode);
    if (filters.severity) w.add('severity = ?', filters.severity);
    if (filters.overdue === true) w.add(`state NOT IN ${FINISHED} AND deadline_at < ?`, now);
    if (filters.overdue === false) {
      w.add(`(state IN ${FINISHED} OR deadline_at IS NULL OR deadline_at >= ?)`, now);
    }
    const total = await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM finding_ledger_v1 ${w}`, w.params);
    const limit = w.param(pageSize);
    const off = w.param(offset);
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM finding_ledger_v1 ${w}
        ORDER BY recorded_at, finding_id LIMIT ${limit} OFFSET ${off}`,
      w.params,
    );
    return { items: rows.map((r) => toItem(r, now)), total: Number(total.rows[0].n), page, pageSize };
  }

  async get(findingId: string, now: Date, scope: LedgerScope = {}): Promise<FindingLedgerItem | null> {
    const w = new Where().add('finding_id = ?', findingId);
    if (scope.unitId !== undefined) w.add('unit_id = ?', scope.unitId);
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM finding_ledger_v1 ${w}`, w.params);
    return rows.length ? toItem(rows[0], now) : null;
  }
}

export function daysOverdue(state: string, deadlineAt: Date | null, now: Date): number {
  if (!deadlineAt || state === 'Closed' || state === 'Annulled') return 0;
  const late = now.getTime() - deadlineAt.getTime();
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}

const person = (id: string | null, name: string | null): PersonRef | null => (id ? { id, name: name ?? '' } : null);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toItem(r: any, now: Date): FindingLedgerItem {
  const days = daysOverdue(r.state, r.deadline_at, now);
  return {
    findingId: r.finding_id,
    campaignId: r.campaign_id,
    state: r.state,
    source: r.source,
    categoryCode: r.category_code,
    severity: r.severity,
    townUnitId: r.town_unit_id,
    village: r.village,
    household: r.household,
    description: r.description,
    unitId: r.unit_id,
    owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '', unitId: r.owner_unit_id } : null,
    recordedBy: person(r.recorded_by_id, r.recorded_by_name),
    recordedAt: iso(r.recorded_at),
    dispatchedBy: person(r.dispatched_by_id, r.dispatched_by_name),
    dispatchedAt: iso(r.dispatched_at),
    noticeNo: r.notice_no,
    dueDate: r.due_date,
    deadlineAt: iso(r.deadline_at),
    claimedBy: person(r.claimed_by_id, r.claimed_by_name),
    claimedAt: iso(r.claimed_at),
    planSubmittedAt: iso(r.plan_submitted_at),
    lastProgressAt: iso(r.last_progress_at),
    progressCount: r.progress_count,
    extensionPending: r.extension_pending,
    rectificationSignedBy: person(r.rectification_signed_by_id, r.rectification_signed_by_name),
    rectificationSignedAt: iso(r.rectification_signed_at),
    verifiedBy: person(r.verified_by_id, r.verified_by_name),
    verifiedAt: iso(r.verified_at),
    closedAt: iso(r.closed_at),
    annulledBy: person(r.annulled_by_id, r.annulled_by_name),
    annulledAt: iso(r.annulled_at),
    reopenedCount: r.reopened_count,
    reassignedCount: r.reassigned_count,
    lastReason: r.last_reason,
    streamVersion: r.stream_version,
    updatedAt: iso(r.updated_at)!,
    overdue: days > 0,
    daysOverdue: days,
  };
}
