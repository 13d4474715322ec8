import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { InspectionReportFiled, InspectionReportMissed } from '@duban/domain/cadence/inspection-day';
import type { Projection } from '../projection';
import { atOf, dataOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

const INSPECTION_PREFIX = 'inspection-';

/**
 * 日督查: one row per (campaign, team, day) from the day's stream `inspection-<campaign>-<team>-<date>`. The ids come
 * from the event data, never from the stream id (campaign ids contain dashes). A filing after a missed record turns
 * the day into `missed_then_filed`: the missed record stays, as in the stream.
 *
 * Idempotent: every write is an upsert guarded by the stream version, so a replayed event changes nothing.
 */
export class InspectionReportsProjection implements Projection {
  readonly name = 'inspection_reports';
  readonly version = 1;
  readonly tables = ['inspection_reports_v1'];
  readonly handles = ['InspectionReportFiled', 'InspectionReportMissed'];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!e.streamId.startsWith(INSPECTION_PREFIX)) return;

    if (e.type === 'InspectionReportFiled') {
      const d = dataOf<Data<InspectionReportFiled>>(e);
      const signer = signerOf(e);
      await client.query(
        `INSERT INTO inspection_reports_v1 AS r (campaign_id, team_id, date, status, households_visited, units_visited,
           finding_ids, summary, cutoff_at, filed_by_id, filed_by_name, filed_at, stream_id, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (campaign_id, team_id, date) DO UPDATE
           SET status = CASE WHEN r.status IN ('missed', 'missed_then_filed') THEN 'missed_then_filed' ELSE EXCLUDED.status END,
               households_visited = EXCLUDED.households_visited, units_visited = EXCLUDED.units_visited,
               finding_ids = EXCLUDED.finding_ids, summary = EXCLUDED.summary,
               cutoff_at = COALESCE(EXCLUDED.cutoff_at, r.cutoff_at), filed_by_id = EXCLUDED.filed_by_id,
               filed_by_name = EXCLUDED.filed_by_name, filed_at = EXCLUDED.filed_at, stream_version = EXCLUDED.stream_version
         WHERE r.stream_version < EXCLUDED.stream_version`,
        [
          d.campaignId,
          d.teamId,
          d.date,
          d.late ? 'filed_late' : 'filed',
          d.householdsVisited ?? null,
          d.unitsVisited ?? null,
          JSON.stringify(Array.isArray(d.findingIds) ? d.findingIds : []),
          d.summary ?? null,
          d.cutoffAt ?? null,
          signer?.userId ?? null,
          signer?.name ?? null,
          atOf(e),
          e.streamId,
          e.version,
        ],
      );
      return;
    }

    if (e.type === 'InspectionReportMissed') {
      const d = dataOf<Data<InspectionReportMissed>>(e);
      const leader = d.accountable?.person ?? null;
      // The domain never records a miss after a filing; should one arrive, the filing's status stands.
      await client.query(
        `INSERT INTO inspection_reports_v1 AS r (campaign_id, team_id, date, status, cutoff_at, missed_against_id,
           missed_against_name, missed_at, stream_id, stream_version)
         VALUES ($1, $2, $3, 'missed', $4, $5, $6, $7, $8, $9)
         ON CONFLICT (campaign_id, team_id, date) DO UPDATE
           SET cutoff_at = COALESCE(r.cutoff_at, EXCLUDED.cutoff_at), missed_against_id = EXCLUDED.missed_against_id,
               missed_against_name = EXCLUDED.missed_against_name, missed_at = EXCLUDED.missed_at,
               stream_version = EXCLUDED.stream_version
         WHERE r.stream_version < EXCLUDED.stream_version`,
        [
          d.campaignId,
          d.teamId,
          d.date,
          d.cutoffAt ?? null,
          leader?.userId ?? null,
          leader?.name ?? null,
          atOf(e),
          e.streamId,
          e.version,
        ],
      );
    }
  }
}
