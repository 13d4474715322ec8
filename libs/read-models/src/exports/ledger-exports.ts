import type { GlobalPosition } from '@duban/event-store';
import { DirectoryQuery } from '../directory/directory.query';
import { accountabilityWhere, AccountabilityEntry, AccountabilityFilters, ACCOUNTABILITY_COLUMNS, toAccountabilityEntry } from '../accountability/accountability.query';
import { AccountabilityLedgerProjection } from '../accountability/accountability.projection';
import { ClaimListProjection } from '../claim-list/claim-list.projection';
import type { ClaimStatus } from '../claim-list/claim-list.query';
import { FindingLedgerProjection } from '../finding-ledger/finding-ledger.projection';
import {
  FindingLedgerFilters,
  FindingLedgerItem,
  findingLedgerWhere,
  FINDING_LEDGER_COLUMNS,
  findingLedgerColumns,
  LedgerScope,
  toFindingLedgerItem,
} from '../finding-ledger/finding-ledger.query';
import { checkpointName } from '../projection';
import type { EvidenceEntry } from '../rectification-ledger/rectification-ledger.projection';
import { RectificationLedgerProjection } from '../rectification-ledger/rectification-ledger.projection';
import { dateText, iso, Where } from '../support';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from './read-snapshot';

/**
 * What one ledger export reads, all from one snapshot: its rows (one or more sheets, each paged by keyset), the
 * read models they come from (the first is the one whose checkpoint the heads are taken at) and the finding streams
 * the file contains (for the heads digest). The queries are the on-screen ledgers' own filters and scope.
 */
export interface LedgerExportSource {
  /** Checkpoint names; the first is the primary read model. */
  checkpoints: string[];
  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest>;
}

const FINDING_LEDGER = checkpointName(new FindingLedgerProjection());
const CLAIM_LIST = checkpointName(new ClaimListProjection());
const RECTIFICATION_LEDGER = checkpointName(new RectificationLedgerProjection());
const ACCOUNTABILITY_LEDGER = checkpointName(new AccountabilityLedgerProjection());

async function* mapped<T>(batches: AsyncGenerator<Record<string, unknown>[]>, map: (r: Record<string, unknown>) => T): AsyncGenerator<T[]> {
  for await (const batch of batches) yield batch.map(map);
}

// ---------- 问题台账 ----------

export class FindingLedgerExport implements LedgerExportSource {
  readonly checkpoints = [FINDING_LEDGER];
  constructor(
    private readonly filters: FindingLedgerFilters,
    private readonly scope: LedgerScope,
    private readonly now: Date,
  ) {}

  /** As on screen: by recording time, then id. */
  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<FindingLedgerItem[]> {
    const q: KeysetQuery = {
      select: FINDING_LEDGER_COLUMNS,
      from: 'finding_ledger_v2',
      where: findingLedgerWhere(this.filters, this.scope, this.now),
      keys: [
        { expr: 'recorded_at', type: 'timestamptz' },
        { expr: 'finding_id', type: 'text' },
      ],
      batchSize,
    };
    return mapped(snapshot.keyset(q), (r) => toFindingLedgerItem(r, this.now));
  }

  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    return snapshot.headsDigest('finding_ledger_v2', findingLedgerWhere(this.filters, this.scope, this.now), 'finding_id', at);
  }
}

// ---------- 整改台账（一题一策一台账） ----------

export interface RectificationExportRow {
  finding: FindingLedgerItem;
  plan: string | null;
  measures: string[];
  plannedCompletionDate: string | null;
  planSignedBy: string | null;
  planSignedAt: string | null;
  submissionSummary: string | null;
  submissionSignedBy: string | null;
  submissionSignedAt: string | null;
  evidence: EvidenceEntry[];
  rejections: number;
  lastRejectionReason: string | null;
  /** The latest progress report (percent and summary), for the one-line view. */
  latestPercent: number | null;
  latestSummary: string | null;
}

export interface RectificationProgressRow {
  findingId: string;
  noticeNo: string | null;
  unitId: string | null;
  description: string | null;
  streamVersion: number;
  workday: string | null;
  percent: number | null;
  summary: string | null;
  evidence: string[];
  signedById: string | null;
  signedByName: string | null;
  at: string | null;
}

/**
 * 整改台账 joins the finding's 问题台账 row (what the problem is, its state, deadline) with its 一题一策 row; a finding
 * appears once both read models have it. The scope is the on-screen one (the unit the rectification is assigned to).
 */
export class RectificationLedgerExport implements LedgerExportSource {
  readonly checkpoints = [RECTIFICATION_LEDGER, FINDING_LEDGER];
  constructor(
    private readonly filters: FindingLedgerFilters,
    private readonly scope: LedgerScope,
    private readonly now: Date,
  ) {}

  private where(): Where {
    const w = findingLedgerWhere(this.filters, {}, this.now, 'f');
    if (this.scope.unitId !== undefined) w.add('r.unit_id = ?', this.scope.unitId);
    return w;
  }

  private static readonly FROM = 'rectification_ledger_v2 r JOIN finding_ledger_v2 f ON f.finding_id = r.finding_id';

  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<RectificationExportRow[]> {
    const q: KeysetQuery = {
      select: `${findingLedgerColumns('f')}, r.plan, r.measures, ${dateText('r.planned_completion_date', 'planned_completion_date')},
        r.plan_signed_by_name, r.plan_signed_at, r.submission_summary, r.submission_signed_by_name, r.submission_signed_at,
        r.evidence, r.rejections, r.last_rejection_reason,
        (SELECT p.percent FROM rectification_progress_v2 p WHERE p.finding_id = r.finding_id ORDER BY p.stream_version DESC LIMIT 1) AS latest_percent,
        (SELECT p.summary FROM rectification_progress_v2 p WHERE p.finding_id = r.finding_id ORDER BY p.stream_version DESC LIMIT 1) AS latest_summary`,
      from: RectificationLedgerExport.FROM,
      where: this.where(),
      keys: [
        { expr: 'f.recorded_at', type: 'timestamptz' },
        { expr: 'f.finding_id', type: 'text' },
      ],
      batchSize,
    };
    return mapped(snapshot.keyset(q), (r) => ({
      finding: toFindingLedgerItem(r, this.now),
      plan: r.plan as string | null,
      measures: (r.measures as string[]) ?? [],
      plannedCompletionDate: r.planned_completion_date as string | null,
      planSignedBy: r.plan_signed_by_name as string | null,
      planSignedAt: iso(r.plan_signed_at as Date | null),
      submissionSummary: r.submission_summary as string | null,
      submissionSignedBy: r.submission_signed_by_name as string | null,
      submissionSignedAt: iso(r.submission_signed_at as Date | null),
      evidence: (r.evidence as EvidenceEntry[]) ?? [],
      rejections: r.rejections as number,
      lastRejectionReason: r.last_rejection_reason as string | null,
      latestPercent: r.latest_percent as number | null,
      latestSummary: r.latest_summary as string | null,
    }));
  }

  /** Every daily progress report of the same findings, in the same finding order, oldest report first. */
  progress(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<RectificationProgressRow[]> {
    const q: KeysetQuery = {
      select: `p.finding_id, f.notice_no, f.unit_id, f.description, p.stream_version, ${dateText('p.workday', 'workday')},
        p.percent, p.summary, p.evidence, p.signed_by_id, p.signed_by_name, p.at`,
      from: `${RectificationLedgerExport.FROM} JOIN rectification_progress_v2 p ON p.finding_id = r.finding_id`,
      where: this.where(),
      keys: [
        { expr: 'f.recorded_at', type: 'timestamptz' },
        { expr: 'f.finding_id', type: 'text' },
        { expr: 'p.stream_version', type: 'integer' },
      ],
      batchSize,
    };
    return mapped(snapshot.keyset(q), (r) => ({
      findingId: r.finding_id as string,
      noticeNo: r.notice_no as string | null,
      unitId: r.unit_id as string | null,
      description: r.description as string | null,
      streamVersion: r.stream_version as number,
      workday: r.workday as string | null,
      percent: r.percent as number | null,
      summary: r.summary as string | null,
      evidence: (r.evidence as string[]) ?? [],
      signedById: r.signed_by_id as string | null,
      signedByName: r.signed_by_name as string | null,
      at: iso(r.at as Date | null),
    }));
  }

  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    return snapshot.headsDigest(RectificationLedgerExport.FROM, this.where(), 'r.finding_id', at);
  }
}

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

// ---------- 问责台账 ----------

export class AccountabilityLedgerExport implements LedgerExportSource {
  readonly checkpoints = [ACCOUNTABILITY_LEDGER];
  constructor(
    private readonly filters: AccountabilityFilters,
    private readonly scope: LedgerScope,
  ) {}

  /** As on screen: newest consequence first. */
  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<AccountabilityEntry[]> {
    const q: KeysetQuery = {
      select: ACCOUNTABILITY_COLUMNS,
      from: 'accountability_ledger_v1',
      where: accountabilityWhere(this.filters, this.scope),
      keys: [
        { expr: 'occurred_at', type: 'timestamptz' },
        { expr: 'finding_id', type: 'text' },
        { expr: 'stream_version', type: 'integer' },
      ],
      descending: true,
      batchSize,
    };
    return mapped(snapshot.keyset(q), toAccountabilityEntry);
  }

  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    return snapshot.headsDigest('accountability_ledger_v1', accountabilityWhere(this.filters, this.scope), 'finding_id', at);
  }
}

/** Unit names for the sheets (the directory is small: a county's units). */
export async function unitNames(snapshot: ReadSnapshot): Promise<Map<string, string>> {
  return new DirectoryQuery(snapshot.client).allUnitNames();
}
