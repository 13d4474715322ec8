import type { Pool, PoolClient } from 'pg';
import { START } from '@duban/event-store';
import { withReadSnapshot } from '../exports/read-snapshot';
import { checkpointName } from '../projection';
import { AccountabilityLedgerProjection } from '../accountability/accountability.projection';
import { CampaignsProjection } from '../campaigns/campaigns.projection';
import { DispatchNoticesProjection } from '../dispatch-notices/dispatch-notices.projection';
import { FindingLedgerProjection } from '../finding-ledger/finding-ledger.projection';
import type { CadenceSnapshot } from './cadence.contract';
import { CadenceReportsProjection } from './cadence-reports.projection';
import { InspectionReportsProjection } from './inspection-reports.projection';
import { PropagationProjection } from '../propagation/propagation.projection';

/** The checkpoints a report's provenance is taken from: the projections behind the tables it reads. */
export const REPORT_CHECKPOINTS = {
  findingLedger: checkpointName(new FindingLedgerProjection()),
  accountability: checkpointName(new AccountabilityLedgerProjection()),
  dispatchNotices: checkpointName(new DispatchNoticesProjection()),
  campaigns: checkpointName(new CampaignsProjection()),
  inspectionReports: checkpointName(new InspectionReportsProjection()),
  cadenceReports: checkpointName(new CadenceReportsProjection()),
  propagation: checkpointName(new PropagationProjection()),
} as const;

/**
 * Computes a report in ONE repeatable-read, read-only transaction, so its numbers agree with each other, and names
 * in its provenance the least advanced of `checkpoints` (the projections it reads) as that snapshot sees them: the
 * report reflects at least the log up to there. A projection that never ran counts as the start of the log.
 */
export function reportSnapshot<T>(
  pool: Pool,
  checkpoints: readonly string[],
  asOf: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<CadenceSnapshot<T>> {
  return withReadSnapshot(pool, async ({ client }) => {
    const { rows } = await client.query<{ transaction_id: string; position: string }>(
      `SELECT COALESCE(c.transaction_id, $2::text::xid8)::text AS transaction_id,
              COALESCE(c.position, $3::bigint)::text AS position
         FROM unnest($1::text[]) AS n(name)
         LEFT JOIN subscription_checkpoints c ON c.name = n.name
        -- By the columns themselves (xid8, bigint): the text the select list renames them to would sort '999' after '1000'.
        ORDER BY COALESCE(c.transaction_id, $2::text::xid8), COALESCE(c.position, $3::bigint)
        LIMIT 1`,
      [checkpoints, START.transactionId, START.position],
    );
    const value = await work(client);
    return { provenance: { asOf, checkpoint: `${rows[0].transaction_id}:${rows[0].position}` }, value };
  });
}
