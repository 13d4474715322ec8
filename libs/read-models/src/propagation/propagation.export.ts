import type { GlobalPosition } from '@duban/event-store';
import { checkpointName } from '../projection';
import { dateText, iso, Where } from '../support';
import type { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';
import { PropagationProjection } from './propagation.projection';

const PROPAGATION = checkpointName(new PropagationProjection());

export interface PropagationExportFilters {
  campaignId?: string;
  originFindingId?: string;
}

/** One unit's self-check task of one propagation, with the propagation's origin and instruction. */
export interface PropagationExportRow {
  propagationId: string;
  campaignId: string;
  originFindingId: string | null;
  originCategoryCode: string | null;
  instruction: string;
  launchedByName: string | null;
  launchedAt: string | null;
  unitId: string;
  dueDate: string;
  status: 'requested' | 'claimed' | 'attested';
  overdue: boolean;
  ownerName: string | null;
  claimedAt: string | null;
  outcome: 'none_found' | 'found' | null;
  checked: string | null;
  foundCount: number;
  findingIds: string[];
  attestedAt: string | null;
  late: boolean;
  /** The ladder's rung a missing attestation reached; null before the notice. */
  ladderLevel: 'notice' | 'interview' | 'accountability' | null;
  ladderNextDueDate: string | null;
}

/** 举一反三台账: every unit's task, in the order propagations were launched, then by unit. */
export class PropagationLedgerExport implements LedgerExportSource {
  readonly checkpoints = [PROPAGATION];
  private static readonly FROM = 'propagation_tasks_v1 t JOIN propagations_v1 p ON p.propagation_id = t.propagation_id';

  constructor(
    private readonly filters: PropagationExportFilters,
    private readonly scope: { unitId?: string },
    private readonly now: Date,
  ) {}

  private where(): Where {
    const w = new Where();
    if (this.filters.campaignId) w.add('p.campaign_id = ?', this.filters.campaignId);
    if (this.filters.originFindingId) w.add('p.origin_finding_id = ?', this.filters.originFindingId);
    if (this.scope.unitId) w.add('t.unit_id = ?', this.scope.unitId);
    return w;
  }

  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<PropagationExportRow[]> {
    const q: KeysetQuery = {
      select: `p.propagation_id, p.campaign_id, p.origin_finding_id, p.origin_category_code, p.instruction, p.launched_by_name,
        p.launched_at, t.unit_id, ${dateText('t.due_date', 'due_date')}, t.deadline_at, t.status, t.owner_name, t.claimed_at,
        t.outcome, t.checked, t.found_count, t.finding_ids, t.attested_at, t.late, t.ladder_level,
        ${dateText('t.ladder_next_due_date', 'ladder_next_due_date')}`,
      from: PropagationLedgerExport.FROM,
      where: this.where(),
      keys: [
        { expr: 'p.launched_at', type: 'timestamptz' },
        { expr: 't.propagation_id', type: 'text' },
        { expr: 't.unit_id', type: 'text' },
      ],
      batchSize,
    };
    const now = this.now.getTime();
    return mapped(snapshot.keyset(q), (r) => ({
      propagationId: r.propagation_id as string,
      campaignId: r.campaign_id as string,
      originFindingId: r.origin_finding_id as string | null,
      originCategoryCode: r.origin_category_code as string | null,
      instruction: r.instruction as string,
      launchedByName: r.launched_by_name as string | null,
      launchedAt: iso(r.launched_at as Date | null),
      unitId: r.unit_id as string,
      dueDate: r.due_date as string,
      status: r.status as PropagationExportRow['status'],
      overdue: r.status !== 'attested' && (r.deadline_at as Date).getTime() < now,
      ownerName: r.owner_name as string | null,
      claimedAt: iso(r.claimed_at as Date | null),
      outcome: r.outcome as PropagationExportRow['outcome'],
      checked: r.checked as string | null,
      foundCount: r.found_count as number,
      findingIds: r.finding_ids as string[],
      attestedAt: iso(r.attested_at as Date | null),
      late: r.late as boolean,
      ladderLevel: r.ladder_level as PropagationExportRow['ladderLevel'],
      ladderNextDueDate: r.ladder_next_due_date as string | null,
    }));
  }

  /** The heads of the tasks' own streams (`selfcheck-<propagation>-<unit>`) in the file. */
  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    return snapshot.headsDigest(PropagationLedgerExport.FROM, this.where(), `t.propagation_id || '-' || t.unit_id`, at, 'selfcheck-');
  }
}
