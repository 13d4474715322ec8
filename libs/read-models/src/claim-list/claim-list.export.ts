import type { GlobalPosition } from '@duban/event-store';
import { ClaimListProjection } from './claim-list.projection';
import type { ClaimStatus } from './claim-list.query';
import { checkpointName } from '../projection';
import { dateText, iso, Where } from '../support';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';
import { FindingLedgerProjection } from '../finding-ledger/finding-ledger.projection';

const FINDING_LEDGER = checkpointName(new FindingLedgerProjection());
const CLAIM_LIST = checkpointName(new ClaimListProjection());

// ---------- 问题认领清单 ----------

export interface ClaimListExportFilters {
  campaignId?: string;
  status?: ClaimStatus;
}

export interface ClaimListExportRow {
  findingId: string;
  campaignId: string;
  noticeNo: string | null;
  dispatchedByName: string | null;
  dispatchedAt: string | null;
  dueDate: string | null;
  deadlineAt: string | null;
  claimedById: string | null;
  claimedByName: string | null;
  claimedAt: string | null;
  status: ClaimStatus;
  /** From 问题台账 when it has the finding: what the problem is and where it stands now. */
  description: string | null;
  categoryCode: string | null;
  severity: string | null;
  village: string | null;
  state: string | null;
}

export class ClaimListExport implements LedgerExportSource {
  readonly checkpoints = [CLAIM_LIST, FINDING_LEDGER];
  constructor(
    private readonly unitId: string,
    private readonly filters: ClaimListExportFilters,
  ) {}

  private static readonly FROM = 'claim_list_v1 c LEFT JOIN finding_ledger_v2 f ON f.finding_id = c.finding_id';

  private where(): Where {
    const w = new Where().add('c.unit_id = ?', this.unitId);
    if (this.filters.campaignId) w.add('c.campaign_id = ?', this.filters.campaignId);
    if (this.filters.status) w.add('c.status = ?', this.filters.status);
    return w;
  }

  /** As on screen: by dispatch time, then id. */
  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<ClaimListExportRow[]> {
    const q: KeysetQuery = {
      select: `c.finding_id, c.campaign_id, c.notice_no, c.dispatched_by_name, c.dispatched_at,
        ${dateText('c.due_date', 'due_date')}, c.deadline_at, c.claimed_by_id, c.claimed_by_name, c.claimed_at, c.status,
        f.description, f.category_code, f.severity, f.village, f.state`,
      from: ClaimListExport.FROM,
      where: this.where(),
      keys: [
        { expr: 'c.dispatched_at', type: 'timestamptz' },
        { expr: 'c.finding_id', type: 'text' },
      ],
      batchSize,
    };
    return mapped(snapshot.keyset(q), (r) => ({
      findingId: r.finding_id as string,
      campaignId: r.campaign_id as string,
      noticeNo: r.notice_no as string | null,
      dispatchedByName: r.dispatched_by_name as string | null,
      dispatchedAt: iso(r.dispatched_at as Date | null),
      dueDate: r.due_date as string | null,
      deadlineAt: iso(r.deadline_at as Date | null),
      claimedById: r.claimed_by_id as string | null,
      claimedByName: r.claimed_by_name as string | null,
      claimedAt: iso(r.claimed_at as Date | null),
      status: r.status as ClaimStatus,
      description: r.description as string | null,
      categoryCode: r.category_code as string | null,
      severity: r.severity as string | null,
      village: r.village as string | null,
      state: r.state as string | null,
    }));
  }

  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    return snapshot.headsDigest(ClaimListExport.FROM, this.where(), 'c.finding_id', at);
  }
}
