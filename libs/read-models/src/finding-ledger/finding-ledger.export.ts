import type { GlobalPosition } from '@duban/event-store';
import { FindingLedgerProjection } from './finding-ledger.projection';
import { FindingLedgerFilters, FindingLedgerItem, findingLedgerWhere, FINDING_LEDGER_COLUMNS, LedgerScope, toFindingLedgerItem } from './finding-ledger.query';
import { checkpointName } from '../projection';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';

const FINDING_LEDGER = checkpointName(new FindingLedgerProjection());

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
