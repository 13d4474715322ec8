import type { Pool, PoolClient } from 'pg';
import { actors } from '@duban/domain/testing/fixtures';
import type { RecordedEvent } from '@duban/event-store';
import type { TestDatabase } from '../../../tests/support/test-database';
import { FindingLedgerProjection } from '../src';

// A poisoned event in the log, and the finding ledger as it was before it could store one: shared by the
// read-model and the API regression tests of issue 11 (item 1).

/** What an application role could append before the edge refused such text: NUL and lone surrogates in an event. */
export async function insertPoisoned(db: Pick<TestDatabase, 'adminPool'>, findingId: string, campaignId = 'c1', townUnitId = 'town-a'): Promise<void> {
  const data = {
    findingId,
    campaignId,
    source: 'household_inspection',
    categoryCode: '2.3',
    severity: 'red',
    townUnitId,
    description: 'a\u0000b',
    village: '\ud800村',
    household: 'x\udc00',
    evidence: ['\u0000'],
    signedBy: actors.inspector,
    at: '2026-10-15T01:00:00.000Z',
  };
  // As the superuser, straight into the log: the event is immutable history whatever the projections make of it.
  await db.adminPool.query(
    `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
     VALUES ($1, 1, gen_random_uuid(), 'FindingRecorded', $2, '{"correlationId":"poison"}', now(), $3, $3)`,
    [`finding-${findingId}`, JSON.stringify(data), '0'.repeat(64)],
  );
}

/** The finding ledger as it was before text was made storable: PostgreSQL refuses what it cannot hold. */
export class UnmendedFindingLedger extends FindingLedgerProjection {
  override async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (JSON.stringify(e.data).includes('\ufffd')) throw new Error('invalid byte sequence for encoding "UTF8": 0x00');
    return super.apply(client, e);
  }
}


/**
 * Until every committed event is readable in commit order: another test file's open transaction holds back the
 * cluster-wide read horizon, and a runner that has to fail on an event must first be able to read it.
 */
export async function untilReadable(pool: Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ ok: boolean | null }>(
      'SELECT bool_and(transaction_id < pg_snapshot_xmin(pg_current_snapshot())) AS ok FROM events',
    );
    if (rows[0].ok !== false) return;
    if (Date.now() >= deadline) throw new Error('the log did not become readable in commit order');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
