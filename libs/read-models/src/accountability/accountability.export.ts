import type { GlobalPosition } from '@duban/event-store';
import { accountabilityWhere, AccountabilityEntry, AccountabilityFilters, ACCOUNTABILITY_COLUMNS, ACCOUNTABILITY_FROM, toAccountabilityEntry } from './accountability.query';
import { SelfCheckAccountabilityProjection } from './self-check-accountability.projection';
import { AccountabilityLedgerProjection } from './accountability.projection';
import { LedgerScope } from '../finding-ledger/finding-ledger.query';
import { checkpointName } from '../projection';
import { HeadsDigest, KeysetQuery, ReadSnapshot } from '../exports/read-snapshot';
import { type LedgerExportSource, mapped } from '../exports/ledger-export-source';

const ACCOUNTABILITY_LEDGER = checkpointName(new AccountabilityLedgerProjection());
const SELF_CHECK_ACCOUNTABILITY = checkpointName(new SelfCheckAccountabilityProjection());

// ---------- 问责台账 ----------

export class AccountabilityLedgerExport implements LedgerExportSource {
  readonly checkpoints = [ACCOUNTABILITY_LEDGER, SELF_CHECK_ACCOUNTABILITY];
  constructor(
    private readonly filters: AccountabilityFilters,
    private readonly scope: LedgerScope,
  ) {}

  /** As on screen: newest consequence first. */
  rows(snapshot: ReadSnapshot, batchSize?: number): AsyncGenerator<AccountabilityEntry[]> {
    const q: KeysetQuery = {
      select: ACCOUNTABILITY_COLUMNS,
      from: ACCOUNTABILITY_FROM,
      where: accountabilityWhere(this.filters, this.scope),
      keys: [
        { expr: 'occurred_at', type: 'timestamptz' },
        { expr: 'row_key', type: 'text' },
        { expr: 'stream_version', type: 'integer' },
      ],
      descending: true,
      batchSize,
    };
    return mapped(snapshot.keyset(q), toAccountabilityEntry);
  }

  digest(snapshot: ReadSnapshot, at: GlobalPosition): Promise<HeadsDigest> {
    // The findings' streams, then the self-check tasks' (`finding-` sorts before `selfcheck-`): with no self-check row
    // the digest is the one a ledger of findings alone always had.
    return snapshot.headsDigestOf(
      [
        { from: ACCOUNTABILITY_FROM, where: accountabilityWhere(this.filters, this.scope).add('finding_id IS NOT NULL'), idExpr: 'finding_id', streamPrefix: 'finding-' },
        {
          from: ACCOUNTABILITY_FROM,
          where: accountabilityWhere(this.filters, this.scope).add('propagation_id IS NOT NULL'),
          idExpr: `propagation_id || '-' || unit_id`,
          streamPrefix: 'selfcheck-',
        },
      ],
      at,
    );
  }
}
