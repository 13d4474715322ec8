import type { Pool, PoolClient } from 'pg';
import { dateText } from '../support';

type Db = Pick<Pool | PoolClient, 'query'>;

export const SELF_CHECK_TASK_STATUSES = ['requested', 'claimed', 'attested'] as const;

export interface SelfCheckTaskView {
  unitId: string;
  status: (typeof SELF_CHECK_TASK_STATUSES)[number];
  owner: { id: string; name: string } | null;
  claimedAt: string | null;
  dueDate: string;
  deadlineAt: string;
  /** Not attested and past its deadline (at the query's instant). */
  overdue: boolean;
  outcome: 'none_found' | 'found' | null;
  checked: string | null;
  evidence: string[];
  findingIds: string[];
  foundCount: number;
  attestedAt: string | null;
  late: boolean;
  /** The deadline timer's record of the missing attestation, and whom it named (null: the unit, nobody had claimed). */
  overdueRecorded: { at: string; accountable: { id: string; name: string } | null } | null;
  /** The ladder's rung the missing attestation reached (通报 / 约谈 / 问责) and the next rung's date; null before the notice. */
  ladder: { level: 'notice' | 'interview' | 'accountability'; nextDueDate: string | null } | null;
}

/** How far a fan-out has come: units asked, units that signed, problems they found, tasks past due unsigned. */
export interface PropagationCompleteness {
  unitsAsked: number;
  unitsAttested: number;
  problemsFound: number;
  overdueTasks: number;
}

export interface PropagationView extends PropagationCompleteness {
  propagationId: string;
  campaignId: string;
  origin: { kind: 'finding'; findingId: string } | { kind: 'checklist_item'; categoryCode: string };
  scope: string;
  instruction: string;
  deadlineWorkdays: number;
  dueDate: string;
  deadlineAt: string;
  launchedBy: { id: string | null; name: string | null };
  launchedAt: string;
  /** Every task; for a unit official, only their own unit's (the counts stay the whole fan-out's). */
  tasks: SelfCheckTaskView[];
}

export interface OriginCompleteness extends PropagationCompleteness {
  findingId: string;
  propagationIds: string[];
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

/** 举一反三 as read: one propagation with its tasks, a campaign's or an origin's propagations, an origin's completeness. */
export class PropagationQuery {
  constructor(private readonly db: Db) {}

  async get(propagationId: string, now: Date, scope: { unitId?: string } = {}): Promise<PropagationView | null> {
    const views = await this.views('p.propagation_id = $1', [propagationId], now, scope);
    return views[0] ?? null;
  }

  /** Newest first; at most 200 (a county launches a handful a month). */
  async list(filter: { campaignId?: string; originFindingId?: string }, now: Date, scope: { unitId?: string } = {}): Promise<PropagationView[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (filter.campaignId) where.push(`p.campaign_id = $${values.push(filter.campaignId)}`);
    if (filter.originFindingId) where.push(`p.origin_finding_id = $${values.push(filter.originFindingId)}`);
    return this.views(where.length ? where.join(' AND ') : 'true', values, now, scope);
  }

  /** The origin finding's fan-out over all its propagations. */
  async completenessOf(findingId: string, now: Date): Promise<OriginCompleteness> {
    const { rows } = await this.db.query(
      `SELECT array_remove(array_agg(DISTINCT t.propagation_id), NULL) AS ids, count(t.unit_id)::int AS asked,
              count(*) FILTER (WHERE t.status = 'attested')::int AS attested,
              COALESCE(sum(t.found_count), 0)::int AS found,
              count(*) FILTER (WHERE t.status <> 'attested' AND t.deadline_at < $2)::int AS overdue
         FROM propagation_tasks_v1 t WHERE t.origin_finding_id = $1`,
      [findingId, now],
    );
    const r = rows[0];
    return { findingId, propagationIds: r.ids ?? [], unitsAsked: r.asked, unitsAttested: r.attested, problemsFound: r.found, overdueTasks: r.overdue };
  }

  private async views(where: string, values: unknown[], now: Date, scope: { unitId?: string }): Promise<PropagationView[]> {
    const { rows } = await this.db.query(`SELECT p.*, ${dateText('p.due_date', 'due_text')} FROM propagations_v1 p WHERE ${where} ORDER BY p.launched_at DESC, p.propagation_id LIMIT 200`, values);
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.propagation_id as string);
    const tasks = await this.db.query(
      `SELECT *, ${dateText('due_date', 'due_text')}, ${dateText('ladder_next_due_date', 'ladder_next_text')} FROM propagation_tasks_v1 WHERE propagation_id = ANY($1::text[]) ORDER BY propagation_id, unit_id COLLATE "C"`,
      [ids],
    );
    const byPropagation = new Map<string, SelfCheckTaskView[]>();
    for (const t of tasks.rows) {
      const list = byPropagation.get(t.propagation_id) ?? [];
      list.push(taskView(t, now));
      byPropagation.set(t.propagation_id, list);
    }
    return rows.map((p): PropagationView => {
      const all = byPropagation.get(p.propagation_id) ?? [];
      return {
        propagationId: p.propagation_id,
        campaignId: p.campaign_id,
        origin: p.origin_kind === 'finding' ? { kind: 'finding', findingId: p.origin_finding_id } : { kind: 'checklist_item', categoryCode: p.origin_category_code },
        scope: p.scope,
        instruction: p.instruction,
        deadlineWorkdays: p.deadline_workdays,
        dueDate: p.due_text,
        deadlineAt: iso(p.deadline_at)!,
        launchedBy: { id: p.launched_by_id, name: p.launched_by_name },
        launchedAt: iso(p.launched_at)!,
        unitsAsked: all.length,
        unitsAttested: all.filter((t) => t.status === 'attested').length,
        problemsFound: all.reduce((n, t) => n + t.foundCount, 0),
        overdueTasks: all.filter((t) => t.overdue).length,
        tasks: scope.unitId ? all.filter((t) => t.unitId === scope.unitId) : all,
      };
    });
  }
}

function taskView(t: Record<string, any>, now: Date): SelfCheckTaskView {
  const deadlineAt = iso(t.deadline_at)!;
  return {
    unitId: t.unit_id,
    status: t.status,
    owner: t.owner_id ? { id: t.owner_id, name: t.owner_name } : null,
    claimedAt: iso(t.claimed_at),
    dueDate: t.due_text,
    deadlineAt,
    overdue: t.status !== 'attested' && Date.parse(deadlineAt) < now.getTime(),
    outcome: t.outcome,
    checked: t.checked,
    evidence: t.evidence,
    findingIds: t.finding_ids,
    foundCount: t.found_count,
    attestedAt: iso(t.attested_at),
    late: t.late,
    overdueRecorded: t.overdue_recorded_at
      ? { at: iso(t.overdue_recorded_at)!, accountable: t.overdue_accountable_id ? { id: t.overdue_accountable_id, name: t.overdue_accountable_name } : null }
      : null,
    ladder: t.ladder_level ? { level: t.ladder_level, nextDueDate: t.ladder_next_text } : null,
  };
}
