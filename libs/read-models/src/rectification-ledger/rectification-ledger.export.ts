import type { GlobalPosition } from '@duban/event-store';
import { FindingLedgerFilters, FindingLedgerItem, findingLedgerWhere, findingLedgerColumns, LedgerScope, toFindingLedgerItem } from '../finding-ledger/finding-ledger.query';
import { checkpointName } from '../projection';
import type { EvidenceEntry } from './rectification-ledger.projection';
import { RectificationLedgerProjection } from './rectification-ledger.projection';
import { dateText, iso, Where } from '../support';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';
import { FindingLedgerProjection } from '../finding-ledger/finding-ledger.projection';

const FINDING_LEDGER = checkpointName(new FindingLedgerProjection());
const RECTIFICATION_LEDGER = checkpointName(new RectificationLedgerProjection());

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
