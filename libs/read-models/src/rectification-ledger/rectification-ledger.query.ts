import type { Pool } from 'pg';
import { dateText, iso } from '../support';
import type { PersonRef } from '../finding-ledger/finding-ledger.query';
import type { EvidenceEntry } from './rectification-ledger.projection';

export interface ProgressEntry {
  streamVersion: number;
  workday: string | null;
  summary: string | null;
  percent: number | null;
  evidence: string[];
  signedBy: PersonRef | null;
  at: string | null;
}

export interface RectificationLedgerEntry {
  findingId: string;
  campaignId: string;
  unitId: string | null;
  owner: (PersonRef & { unitId: string | null }) | null;
  plan: string | null;
  measures: string[];
  plannedCompletionDate: string | null;
  planSignedBy: PersonRef | null;
  planSignedAt: string | null;
  submissionSummary: string | null;
  submissionSignedBy: PersonRef | null;
  submissionSignedAt: string | null;
  evidence: EvidenceEntry[];
  rejections: number;
  lastRejectionReason: string | null;
  progress: ProgressEntry[];
  streamVersion: number;
  updatedAt: string;
}

const person = (id: string | null, name: string | null): PersonRef | null => (id ? { id, name: name ?? '' } : null);

/** Reads one finding's 一题一策一台账 with its progress history, oldest report first. */
export class RectificationLedgerQuery {
  constructor(private readonly pool: Pool) {}

  /** `scope.unitId` restricts a unit official to findings currently assigned to their unit. */
  async get(findingId: string, scope: { unitId?: string } = {}): Promise<RectificationLedgerEntry | null> {
    const params: unknown[] = [findingId];
    let where = 'finding_id = $1';
    if (scope.unitId !== undefined) {
      params.push(scope.unitId);
      where += ' AND unit_id = $2';
    }
    const { rows } = await this.pool.query(
      `SELECT finding_id, campaign_id, unit_id, owner_id, owner_name, owner_unit_id, plan, measures,
              ${dateText('planned_completion_date')}, plan_signed_by_id, plan_signed_by_name, plan_signed_at,
              submission_summary, submission_signed_by_id, submission_signed_by_name, submission_signed_at, evidence,
              rejections, last_rejection_reason, stream_version, updated_at
         FROM rectification_ledger_v2 WHERE ${where}`,
      params,
    );
    if (!rows.length) return null;
    const r = rows[0];
    const progress = await this.pool.query(
      `SELECT stream_version, ${dateText('workday')}, summary, percent, evidence, signed_by_id, signed_by_name, at
         FROM rectification_progress_v2 WHERE finding_id = $1 ORDER BY stream_version`,
      [findingId],
    );
    return {
      findingId: r.finding_id,
      campaignId: r.campaign_id,
      unitId: r.unit_id,
      owner: r.owner_id ? { id: r.owner_id, name: r.owner_name ?? '', unitId: r.owner_unit_id } : null,
      plan: r.plan,
      measures: r.measures,
      plannedCompletionDate: r.planned_completion_date,
      planSignedBy: person(r.plan_signed_by_id, r.plan_signed_by_name),
      planSignedAt: iso(r.plan_signed_at),
      submissionSummary: r.submission_summary,
      submissionSignedBy: person(r.submission_signed_by_id, r.submission_signed_by_name),
      submissionSignedAt: iso(r.submission_signed_at),
      evidence: r.evidence,
      rejections: r.rejections,
      lastRejectionReason: r.last_rejection_reason,
      progress: progress.rows.map((p) => ({
        streamVersion: p.stream_version,
        workday: p.workday,
        summary: p.summary,
        percent: p.percent,
        evidence: p.evidence,
        signedBy: person(p.signed_by_id, p.signed_by_name),
        at: iso(p.at),
      })),
      streamVersion: r.stream_version,
      updatedAt: iso(r.updated_at)!,
    };
  }
}
