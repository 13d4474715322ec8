import type { GlobalPosition } from '@duban/event-store';
import { accountabilityWhere, AccountabilityEntry, AccountabilityFilters, ACCOUNTABILITY_COLUMNS, toAccountabilityEntry } from './accountability.query';
import { AccountabilityLedgerProjection } from './accountability.projection';
import { LedgerScope } from '../finding-ledger/finding-ledger.query';
import { checkpointName } from '../projection';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';

const ACCOUNTABILITY_LEDGER = checkpointName(new AccountabilityLedgerProjection());

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
