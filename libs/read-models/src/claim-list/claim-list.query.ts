import type { Pool } from 'pg';
import { dateText, iso, normalisePaging, Page, Paging, Where } from '../support';
import type { PersonRef } from '../finding-ledger/finding-ledger.query';

export const CLAIM_STATUSES = ['awaiting_claim', 'claimed', 'reassigned_away', 'closed', 'annulled'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export interface ClaimListFilters extends Paging {
  campaignId?: string;
  status?: ClaimStatus;
}

export interface ClaimListItem {
  unitId: string;
  findingId: string;
  campaignId: string;
  noticeNo: string | null;
  dispatchedBy: PersonRef | null;
  dispatchedAt: string | null;
  dueDate: string | null;
  deadlineAt: string | null;
  claimedBy: PersonRef | null;
  claimedAt: string | null;
  status: ClaimStatus;
  streamVersion: number;
}

/** Reads one unit's 问题认领清单; the caller decides whether the user may see that unit. */
export class ClaimListQuery {
  constructor(private readonly pool: Pool) {}

  async list(unitId: string, filters: ClaimListFilters = {}): Promise<Page<ClaimListItem>> {
    const { page, pageSize, offset } = normalisePaging(filters);
    const w = new Where().add('unit_id = ?', unitId);
    if (filters.campaignId) w.add('campaign_id = ?', filters.campaignId);
    if (filters.status) w.add('status = ?', filters.status);
    const total = await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM claim_list_v1 ${w}`, w.params);
    const limit = w.param(pageSize);
    const off = w.param(offset);
    const { rows } = await this.pool.query(
      `SELECT unit_id, finding_id, campaign_id, notice_no, dispatched_by_id, dispatched_by_name, dispatched_at,
              ${dateText('due_date')}, deadline_at, claimed_by_id, claimed_by_name, claimed_at, status, stream_version
         FROM claim_list_v1 ${w}
        ORDER BY dispatched_at, finding_id LIMIT ${limit} OFFSET ${off}`,
      w.params,
    );
    return {
      items: rows.map((r) => ({
        unitId: r.unit_id,
        findingId: r.finding_id,
        campaignId: r.campaign_id,
        noticeNo: r.notice_no,
        dispatchedBy: r.dispatched_by_id ? { id: r.dispatched_by_id, name: r.dispatched_by_name ?? '' } : null,
        dispatchedAt: iso(r.dispatched_at),
        dueDate: r.due_date,
        deadlineAt: iso(r.deadline_at),
        claimedBy: r.claimed_by_id ? { id: r.claimed_by_id, name: r.claimed_by_name ?? '' } : null,
        claimedAt: iso(r.claimed_at),
        status: r.status,
        streamVersion: r.stream_version,
      })),
      total: Number(total.rows[0].n),
      page,
      pageSize,
    };
  }
}
