import type { Pool } from 'pg';
import { dateText, iso } from '../support';

/** One finding on a notice, as it stood when the notice was issued. */
export interface DispatchNoticeItem {
  findingId: string;
  streamVersion: number;
  kind: 'dispatch' | 'reassignment';
  unitId: string;
  unitName: string | null;
  fromUnitId: string | null;
  fromUnitName: string | null;
  reason: string | null;
  note: string | null;
  source: string | null;
  categoryCode: string | null;
  severity: string | null;
  townUnitId: string | null;
  townUnitName: string | null;
  village: string | null;
  household: string | null;
  description: string | null;
  deadlineWorkdays: number | null;
  /** 整改时限: the Asia/Shanghai date whose 24:00 is the deadline. */
  dueDate: string;
  deadlineAt: string;
  cappedByPhaseEnd: boolean;
  issuedAt: string;
  signer: { id: string; name: string; role: string | null; unitId: string | null; unitName: string | null };
  /** The finding's details were corrected after the notice was issued (the ledger holds the new ones). */
  amendedAfterIssue: boolean;
}

/** 督办通知书: the number, the campaign (name and policy for the standing instructions) and its findings. */
export interface DispatchNotice {
  noticeNo: string;
  campaignId: string;
  campaignName: string | null;
  /** The campaign's policy as the campaigns read model holds it (claim SLA, progress cutoff); null if unknown. */
  policy: { claimWithinWorkdays?: number; progressCutoff?: string } | null;
  /** When the notice was issued (the earliest signature on it) and who signed it. */
  issuedAt: string;
  signer: DispatchNoticeItem['signer'];
  items: DispatchNoticeItem[];
}

const COLUMNS = `n.notice_no, n.finding_id, n.campaign_id, n.stream_version, n.kind, n.unit_id, n.unit_name, n.from_unit_id,
  n.from_unit_name, n.reason, n.note, n.signer_id, n.signer_name, n.signer_role, n.signer_unit_id, n.signer_unit_name,
  n.issued_at, n.deadline_workdays, ${dateText('n.due_date', 'due_date')}, n.deadline_at, n.capped_by_phase_end,
  n.source, n.category_code, n.severity, n.town_unit_id, n.town_unit_name, n.village, n.household, n.description,
  n.amended_after_issue, c.name AS campaign_name, c.policy AS campaign_policy`;

/** Reads dispatch notices; `scope.unitId` (a unit official) keeps only the findings addressed to that unit. */
export class DispatchNoticeQuery {
  constructor(private readonly pool: Pool) {}

  async get(noticeNo: string, scope: { unitId?: string } = {}): Promise<DispatchNotice | null> {
    const params: unknown[] = [noticeNo];
    let filter = '';
    if (scope.unitId) {
      params.push(scope.unitId);
      filter = 'AND n.unit_id = $2';
    }
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM dispatch_notices_v1 n LEFT JOIN campaigns_v1 c ON c.campaign_id = n.campaign_id
        WHERE n.notice_no = $1 ${filter}
        ORDER BY n.issued_at, n.finding_id`,
      params,
    );
    if (!rows.length) return null;
    const items = rows.map(toItem);
    const first = rows[0];
    return {
      noticeNo: first.notice_no,
      campaignId: first.campaign_id,
      campaignName: first.campaign_name ?? null,
      policy: first.campaign_policy ?? null,
      issuedAt: items[0].issuedAt,
      signer: items[0].signer,
      items,
    };
  }

  /**
   * The notice number of the finding's current dispatch (its latest dispatch or reassignment); null when the finding
   * is unknown, not dispatched, or was last reassigned without a notice. `unitId` is where that dispatch went.
   */
  async currentOf(findingId: string): Promise<{ noticeNo: string; unitId: string } | null> {
    const { rows } = await this.pool.query<{ notice_no: string; unit_id: string }>(
      `SELECT n.notice_no, n.unit_id FROM dispatch_notice_findings_v1 f
         JOIN dispatch_notices_v1 n ON n.notice_no = f.current_notice_no AND n.finding_id = f.finding_id
        WHERE f.finding_id = $1`,
      [findingId],
    );
    return rows.length ? { noticeNo: rows[0].notice_no, unitId: rows[0].unit_id } : null;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toItem(r: any): DispatchNoticeItem {
  return {
    findingId: r.finding_id,
    streamVersion: r.stream_version,
    kind: r.kind,
    unitId: r.unit_id,
    unitName: r.unit_name,
    fromUnitId: r.from_unit_id,
    fromUnitName: r.from_unit_name,
    reason: r.reason,
    note: r.note,
    source: r.source,
    categoryCode: r.category_code,
    severity: r.severity,
    townUnitId: r.town_unit_id,
    townUnitName: r.town_unit_name,
    village: r.village,
    household: r.household,
    description: r.description,
    deadlineWorkdays: r.deadline_workdays,
    dueDate: r.due_date,
    deadlineAt: iso(r.deadline_at)!,
    cappedByPhaseEnd: r.capped_by_phase_end,
    issuedAt: iso(r.issued_at)!,
    signer: { id: r.signer_id, name: r.signer_name, role: r.signer_role, unitId: r.signer_unit_id, unitName: r.signer_unit_name },
    amendedAfterIssue: r.amended_after_issue,
  };
}
