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
  /** The official calendar version that computed dueDate (0: shipped data); null when recorded before versions. */
  calendarVersion: number | null;
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
  /** The 问题清单 file (SHA-256) and row the finding was imported from; null when recorded in Duban. */
  importedFrom: { sha256: string; row: number } | null;
}

const FINISHED = `('Closed', 'Annulled')`;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The ledger's columns, optionally qualified by a table alias (for joins); dates as text. */
export function findingLedgerColumns(alias = ''): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return [
    c('finding_id'),
    c('campaign_id'),
    c('state'),
    c('source'),
    c('category_code'),
    c('severity'),
    c('town_unit_id'),
    c('village'),
    c('household'),
    c('description'),
    c('unit_id'),
    c('owner_id'),
    c('owner_name'),
    c('owner_unit_id'),
    c('recorded_by_id'),
    c('recorded_by_name'),
    c('recorded_at'),
    c('dispatched_by_id'),
    c('dispatched_by_name'),
    c('dispatched_at'),
    c('notice_no'),
    dateText(c('due_date'), 'due_date'),
    c('deadline_at'),
    c('calendar_version'),
    c('claimed_by_id'),
    c('claimed_by_name'),
    c('claimed_at'),
    c('plan_submitted_at'),
    c('last_progress_at'),
    c('progress_count'),
    c('extension_pending'),
    c('rectification_signed_by_id'),
    c('rectification_signed_by_name'),
    c('rectification_signed_at'),
    c('verified_by_id'),
    c('verified_by_name'),
    c('verified_at'),
    c('closed_at'),
    c('annulled_by_id'),
    c('annulled_by_name'),
    c('annulled_at'),
    c('reopened_count'),
    c('reassigned_count'),
    c('last_reason'),
    c('stream_version'),
    c('updated_at'),
    c('imported_sha256'),
    c('imported_row'),
  ].join(', ');
}

export const FINDING_LEDGER_COLUMNS = findingLedgerColumns();

/**
 * Reads 问题台账. `now` is passed in (the API's injected clock) so "overdue" is reproducible in tests and the
 * same instant answers both the filter and `daysOverdue`.
 */
export class FindingLedgerQuery {
  constructor(private readonly pool: Pool) {}

  async list(filters: FindingLedgerFilters, scope: LedgerScope, now: Date): Promise<Page<FindingLedgerItem>> {
    const { page, pageSize, offset } = normalisePaging(filters);
    const w = findingLedgerWhere(filters, scope, now);
    const total = await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM finding_ledger_v2 ${w}`, w.params);
    const limit = w.param(pageSize);
    const off = w.param(offset);
    const { rows } = await this.pool.query(
      `SELECT ${FINDING_LEDGER_COLUMNS} FROM finding_ledger_v2 ${w}
        ORDER BY recorded_at, finding_id LIMIT ${limit} OFFSET ${off}`,
      w.params,
    );
    return { items: rows.map((r) => toFindingLedgerItem(r, now)), total: Number(total.rows[0].n), page, pageSize };
  }

  async get(findingId: string, now: Date, scope: LedgerScope = {}): Promise<FindingLedgerItem | null> {
    const w = new Where().add('finding_id = ?', findingId);
    if (scope.unitId !== undefined) w.add('unit_id = ?', scope.unitId);
    const { rows } = await this.pool.query(`SELECT ${FINDING_LEDGER_COLUMNS} FROM finding_ledger_v2 ${w}`, w.params);
    return rows.length ? toFindingLedgerItem(rows[0], now) : null;
  }
}

/**
 * The 问题台账's filters and scope as a WHERE clause over `finding_ledger_v2` (optionally aliased), shared by the
 * on-screen list and the export so both select exactly the same rows.
 */
export function findingLedgerWhere(filters: FindingLedgerFilters, scope: LedgerScope, now: Date, alias = ''): Where {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  const w = new Where();
  if (scope.unitId !== undefined) w.add(`${c('unit_id')} = ?`, scope.unitId);
  if (filters.campaignId) w.add(`${c('campaign_id')} = ?`, filters.campaignId);
  if (filters.unitId) w.add(`${c('unit_id')} = ?`, filters.unitId);
  if (filters.state) w.add(`${c('state')} = ?`, filters.state);
  if (filters.categoryCode) w.add(`${c('category_code')} = ?`, filters.categoryCode);
  if (filters.severity) w.add(`${c('severity')} = ?`, filters.severity);
  if (filters.overdue === true) w.add(`${c('state')} NOT IN ${FINISHED} AND ${c('deadline_at')} < ?`, now);
  if (filters.overdue === false) {
    w.add(`(${c('state')} IN ${FINISHED} OR ${c('deadline_at')} IS NULL OR ${c('deadline_at')} >= ?)`, now);
  }
  return w;
}

export function daysOverdue(state: string, deadlineAt: Date | null, now: Date): number {
  if (!deadlineAt || state === 'Closed' || state === 'Annulled') return 0;
  const late = now.getTime() - deadlineAt.getTime();
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}

const person = (id: string | null, name: string | null): PersonRef | null => (id ? { id, name: name ?? '' } : null);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toFindingLedgerItem(r: any, now: Date): FindingLedgerItem {
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
    calendarVersion: r.calendar_version ?? null,
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
    importedFrom: r.imported_sha256 ? { sha256: r.imported_sha256, row: r.imported_row } : null,
  };
}
