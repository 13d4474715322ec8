import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { Cadence } from '@duban/domain/cadence/cadence';
import type { MonthlyReviewPublished } from '@duban/domain/cadence/reports';
import type { Projection } from '../projection';
import { atOf } from '../support';

const CADENCE_PREFIX = 'cadence-';

/** The published event of each cadence (the inverse of the domain's CADENCE_REPORT_EVENT). */
export const CADENCE_OF_EVENT: Readonly<Record<string, Cadence>> = Object.freeze({
  DailyBulletinPublished: 'daily_inspection',
  DailyDispatchListPublished: 'daily_dispatch',
  WeeklyDispatchPublished: 'weekly_dispatch',
  MonthlyReviewPublished: 'monthly_review',
});

/** What the report row keeps besides its content: the key and the signature live in their own columns. */
const ENVELOPE_FIELDS = ['campaignId', 'periodKey', 'provenance', 'signedBy', 'at'];

/**
 * Published reports, frozen as their events recorded them: one row per (campaign, cadence, period), and for a
 * monthly review one row per unit in monthly_review_units_v1, which the quarterly and annual rankings accumulate.
 * A report's stream holds exactly one event, so inserts that do nothing on conflict make replays no-ops.
 */
export class CadenceReportsProjection implements Projection {
  readonly name = 'cadence_reports';
  readonly version = 1;
  readonly tables = ['cadence_reports_v1', 'monthly_review_units_v1'];
  readonly handles = Object.keys(CADENCE_OF_EVENT);

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!e.streamId.startsWith(CADENCE_PREFIX)) return;
    const cadence = CADENCE_OF_EVENT[e.type];
    if (!cadence) return;
    const data = e.data as Record<string, unknown>;
    const campaignId = data.campaignId;
    const periodKey = data.periodKey;
    if (typeof campaignId !== 'string' || typeof periodKey !== 'string') return;
    const content = Object.fromEntries(Object.entries(data).filter(([k]) => !ENVELOPE_FIELDS.includes(k)));

    const inserted = await client.query(
      `INSERT INTO cadence_reports_v1 (campaign_id, cadence, period_key, published_at, provenance, content, stream_id,
         stream_version, event_id, event_type)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT DO NOTHING`,
      [
        campaignId,
        cadence,
        periodKey,
        atOf(e),
        JSON.stringify(data.provenance ?? null),
        JSON.stringify(content),
        e.streamId,
        e.version,
        e.eventId,
        e.type,
      ],
    );
    // Already applied (or, impossibly, a second report for the period): the units are the first report's.
    if (inserted.rowCount === 0 || e.type !== 'MonthlyReviewPublished') return;

    const d = data as unknown as MonthlyReviewPublished['data'];
    const month = typeof d.month === 'string' ? d.month : periodKey;
    const units = Array.isArray(d.units) ? d.units : [];
    if (units.length === 0) return;
    // One statement for the month's units; jsonb_to_recordset keeps it a single round trip however many units.
    await client.query(
      `INSERT INTO monthly_review_units_v1 (campaign_id, month, unit_id, unit_name, score, rank, ranked, commended, named_last)
       SELECT $1, $2, u.unit_id, u.unit_name, u.score, u.rank, u.ranked, u.commended, u.named_last
         FROM jsonb_to_recordset($3::jsonb)
           AS u(unit_id text, unit_name text, score numeric, rank integer, ranked boolean, commended boolean, named_last boolean)
       ON CONFLICT DO NOTHING`,
      [
        campaignId,
        month,
        JSON.stringify(
          units.map((u) => ({
            unit_id: u.unitId,
            unit_name: u.unitName ?? u.unitId,
            score: u.score,
            rank: u.rank ?? null,
            ranked: !!u.ranked,
            commended: !!u.commended,
            named_last: !!u.namedLast,
          })),
        ),
      ],
    );
  }
}
