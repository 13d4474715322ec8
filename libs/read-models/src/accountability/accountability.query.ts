import type { Pool } from 'pg';
import { endOfShanghaiDay, startOfShanghaiDay } from '@duban/domain/shared/local-date';
import type { PersonRef } from '../finding-ledger/finding-ledger.query';
import { dateText, iso, normalisePaging, Page, Paging, Where } from '../support';
import { ACCOUNTABILITY_KINDS, AccountabilityKind } from './accountability.projection';

export const ACCOUNTABILITY_LEVELS = ['notice', 'interview', 'accountability'] as const;
export type AccountabilityLevel = (typeof ACCOUNTABILITY_LEVELS)[number];

export interface AccountabilityFilters extends Paging {
  campaignId?: string;
  /** The unit the consequence is attributed to. */
  unitId?: string;
  /** The person it is attributed to. */
  userId?: string;
  findingId?: string;
  /** A 举一反三's self-check rows (its tasks' missing attestations and their ladder). */
  propagationId?: string;
  kind?: AccountabilityKind;
  /** Escalation rung (implies kind = escalation). */
  level?: AccountabilityLevel;
  /** Asia/Shanghai calendar dates, both inclusive, of when the consequence fell. */
  from?: string;
  to?: string;
}

/** A unit official sees only what is attributed to their own unit; everyone else passes `{}`. */
export interface AccountabilityScope {
  unitId?: string;
}

export interface AccountabilityEntry {
  /** What the consequence is about: a finding, or a unit's 举一反三 self-check task (its stream `selfcheck-<p>-<unit>`). */
  subject: 'finding' | 'self_check';
  /** The finding; null for a self-check row. */
  findingId: string | null;
  /** The propagation, for a self-check row (the task is the propagation's and `unitId`'s); else null. */
  propagationId: string | null;
  /** For a self-check row, the finding the propagation followed up (null for a checklist item or a finding row). */
  originFindingId: string | null;
  streamVersion: number;
  eventId: string;
  eventType: string;
  campaignId: string;
  noticeNo: string | null;
  categoryCode: string | null;
  severity: string | null;
  kind: AccountabilityKind;
  level: AccountabilityLevel | null;
  /** Null when nobody had signed for the step (an unclaimed dispatch): the unit answers. */
  person: (PersonRef & { role: string | null }) | null;
  unitId: string;
  /** The signed step the consequence rests on, and when it was signed. */
  step: string;
  stepSignedAt: string | null;
  occurredAt: string;
  workday: string | null;
  dueDate: string | null;
  dueAt: string | null;
  nextLevel: string | null;
  nextDueDate: string | null;
  signedBy: PersonRef | null;
  reason: string | null;
  detail: string;
  /** For an interview or referral: the supervisor who signed that it goes ahead. */
  acknowledgement: { by: PersonRef | null; at: string; note: string | null } | null;
}

export type KindCounts = Record<AccountabilityKind, number>;
export type LevelCounts = Record<AccountabilityLevel, number>;

export interface AccountabilityCount {
  total: number;
  byKind: KindCounts;
  /** Escalation rows by rung. */
  byLevel: LevelCounts;
}

export interface AccountabilityTotals extends AccountabilityCount {
  /** Per person (rows with no person — an unclaimed dispatch — count for the unit only), most first. */
  byPerson: Array<AccountabilityCount & { person: PersonRef; unitId: string }>;
  byUnit: Array<AccountabilityCount & { unitId: string }>;
  /** The per-person and per-unit lists are capped (most rows first); true when some were left off. */
  truncated: boolean;
}

export interface AccountabilityPage extends Page<AccountabilityEntry> {
  totals: AccountabilityTotals;
}

/** At most this many people and units in the totals; the rows themselves page as usual. */
export const MAX_TOTALS_GROUPS = 200;

const LEDGER_COLUMNS = `stream_version, event_id, event_type, campaign_id, kind, level, person_id, person_name, person_role, unit_id,
  step, step_signed_at, occurred_at, due_date, due_at, next_level, next_due_date, signed_by_id, signed_by_name, detail,
  acknowledged_by_id, acknowledged_by_name, acknowledged_at, acknowledgement_note`;

/**
 * 问责台账 as one ledger: the findings' consequences and the 举一反三 self-checks' (two projections, two tables; see
 * SelfCheckAccountabilityProjection). `row_key` orders and pages both: the finding id, or `<propagation>/<unit>`.
 */
export const ACCOUNTABILITY_FROM = `(
  SELECT 'finding' AS subject, finding_id, NULL::text AS propagation_id, NULL::text AS origin_finding_id, finding_id AS row_key,
         notice_no, category_code, severity, workday, reason, ${LEDGER_COLUMNS}
    FROM accountability_ledger_v1
  UNION ALL
  SELECT 'self_check', NULL, propagation_id, origin_finding_id, propagation_id || '/' || unit_id,
         NULL, NULL, NULL, NULL::date, NULL, ${LEDGER_COLUMNS}
    FROM self_check_accountability_v1
) ledger`;

export const ACCOUNTABILITY_COLUMNS = `subject, finding_id, propagation_id, origin_finding_id, stream_version, event_id::text AS event_id, event_type,
  campaign_id, notice_no, category_code, severity, kind, level, person_id, person_name, person_role, unit_id, step,
  step_signed_at, occurred_at, ${dateText('workday')}, ${dateText('due_date')}, due_at, next_level, ${dateText('next_due_date')},
  signed_by_id, signed_by_name, reason, detail, acknowledged_by_id, acknowledged_by_name, acknowledged_at, acknowledgement_note`;

const COUNT_COLUMNS = [
  'count(*)::int AS total',
  ...ACCOUNTABILITY_KINDS.map((k) => `count(*) FILTER (WHERE kind = '${k}')::int AS "kind_${k}"`),
  ...ACCOUNTABILITY_LEVELS.map((l) => `count(*) FILTER (WHERE kind = 'escalation' AND level = '${l}')::int AS "level_${l}"`),
].join(', ');

/**
 * Reads 问责台账: the consequences attributed to each signer, newest first, and how many of each kind a person or
 * unit has for the same filters (the daily bulletin's 点人点事, the discipline inspector's record).
 */
export class AccountabilityLedgerQuery {
  constructor(private readonly pool: Pool) {}

  async list(filters: AccountabilityFilters, scope: AccountabilityScope = {}): Promise<AccountabilityPage> {
    const { page, pageSize, offset } = normalisePaging(filters);
    const w = accountabilityWhere(filters, scope);
    const [rows, totals] = await Promise.all([
      (async () => {
        const params = [...w.params, pageSize, offset];
        const { rows } = await this.pool.query(
          `SELECT ${ACCOUNTABILITY_COLUMNS} FROM ${ACCOUNTABILITY_FROM} ${w}
            ORDER BY occurred_at DESC, row_key DESC, stream_version DESC
            LIMIT $${params.length - 1} OFFSET $${params.length}`,
          params,
        );
        return rows;
      })(),
      this.totals(filters, scope),
    ]);
    return { items: rows.map(toAccountabilityEntry), total: totals.total, page, pageSize, totals };
  }

  /** Counts by kind (and escalation rung) overall, per person and per unit, for the filters (paging ignored). */
  async totals(filters: AccountabilityFilters, scope: AccountabilityScope = {}): Promise<AccountabilityTotals> {
    const w = accountabilityWhere(filters, scope);
    const wp = accountabilityWhere(filters, scope).add('person_id IS NOT NULL');
    const cap = MAX_TOTALS_GROUPS + 1;
    const [all, byPerson, byUnit] = await Promise.all([
      this.pool.query(`SELECT ${COUNT_COLUMNS} FROM ${ACCOUNTABILITY_FROM} ${w}`, w.params),
      this.pool.query(
        `SELECT person_id,
                (array_agg(person_name ORDER BY occurred_at DESC, row_key DESC, stream_version DESC))[1] AS person_name,
                (array_agg(unit_id ORDER BY occurred_at DESC, row_key DESC, stream_version DESC))[1] AS unit_id,
                ${COUNT_COLUMNS}
           FROM ${ACCOUNTABILITY_FROM} ${wp}
          GROUP BY person_id ORDER BY total DESC, person_id LIMIT ${cap}`,
        wp.params,
      ),
      this.pool.query(
        `SELECT unit_id, ${COUNT_COLUMNS} FROM ${ACCOUNTABILITY_FROM} ${w}
          GROUP BY unit_id ORDER BY total DESC, unit_id LIMIT ${cap}`,
        w.params,
      ),
    ]);
    const truncated = byPerson.rows.length > MAX_TOTALS_GROUPS || byUnit.rows.length > MAX_TOTALS_GROUPS;
    return {
      ...counts(all.rows[0]),
      byPerson: byPerson.rows.slice(0, MAX_TOTALS_GROUPS).map((r) => ({
        person: { id: r.person_id, name: r.person_name ?? '' },
        unitId: r.unit_id,
        ...counts(r),
      })),
      byUnit: byUnit.rows.slice(0, MAX_TOTALS_GROUPS).map((r) => ({ unitId: r.unit_id, ...counts(r) })),
      truncated,
    };
  }
}

/** The 问责台账's filters and scope as a WHERE clause; shared by the on-screen list and the export. */
export function accountabilityWhere(filters: AccountabilityFilters, scope: AccountabilityScope): Where {
  const w = new Where();
  if (scope.unitId !== undefined) w.add('unit_id = ?', scope.unitId);
  if (filters.campaignId) w.add('campaign_id = ?', filters.campaignId);
  if (filters.unitId) w.add('unit_id = ?', filters.unitId);
  if (filters.userId) w.add('person_id = ?', filters.userId);
  if (filters.findingId) w.add('finding_id = ?', filters.findingId);
  if (filters.propagationId) w.add('propagation_id = ?', filters.propagationId);
  if (filters.kind) w.add('kind = ?', filters.kind);
  if (filters.level) w.add(`kind = 'escalation' AND level = ?`, filters.level);
  if (filters.from) w.add('occurred_at >= ?', startOfShanghaiDay(filters.from));
  if (filters.to) w.add('occurred_at < ?', endOfShanghaiDay(filters.to));
  return w;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function counts(r: any): AccountabilityCount {
  return {
    total: r?.total ?? 0,
    byKind: Object.fromEntries(ACCOUNTABILITY_KINDS.map((k) => [k, r?.[`kind_${k}`] ?? 0])) as KindCounts,
    byLevel: Object.fromEntries(ACCOUNTABILITY_LEVELS.map((l) => [l, r?.[`level_${l}`] ?? 0])) as LevelCounts,
  };
}

const person = (id: string | null, name: string | null): PersonRef | null => (id ? { id, name: name ?? '' } : null);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function toAccountabilityEntry(r: any): AccountabilityEntry {
  return {
    subject: r.subject,
    findingId: r.finding_id,
    propagationId: r.propagation_id,
    originFindingId: r.origin_finding_id,
    streamVersion: r.stream_version,
    eventId: r.event_id,
    eventType: r.event_type,
    campaignId: r.campaign_id,
    noticeNo: r.notice_no,
    categoryCode: r.category_code,
    severity: r.severity,
    kind: r.kind,
    level: r.level,
    person: r.person_id ? { id: r.person_id, name: r.person_name ?? '', role: r.person_role } : null,
    unitId: r.unit_id,
    step: r.step,
    stepSignedAt: iso(r.step_signed_at),
    occurredAt: iso(r.occurred_at)!,
    workday: r.workday,
    dueDate: r.due_date,
    dueAt: iso(r.due_at),
    nextLevel: r.next_level,
    nextDueDate: r.next_due_date,
    signedBy: person(r.signed_by_id, r.signed_by_name),
    reason: r.reason,
    detail: r.detail,
    acknowledgement: r.acknowledged_at
      ? { by: person(r.acknowledged_by_id, r.acknowledged_by_name), at: iso(r.acknowledged_at)!, note: r.acknowledgement_note }
      : null,
  };
}
