import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { CampaignCreated } from '@duban/domain/campaigns/campaign';
import { applyStreamRows, type StreamRowFold } from '../batch/stream-rows';
import type { Projection } from '../projection';
import { atOf, signerOf } from '../support';

const LIFECYCLE_OF_EVENT: Record<string, 'active' | 'paused' | 'ended'> = {
  CampaignPaused: 'paused',
  CampaignResumed: 'active',
  CampaignEnded: 'ended',
};

/**
 * Whether a campaign's cadence runs: created → active; paused, resumed, ended, each with who signed, when and why.
 * The campaign id comes from the event data. Guarded by the stream version of the last lifecycle event applied.
 */
export class CampaignLifecycleProjection implements Projection {
  readonly name = 'campaign_lifecycle';
  readonly version = 1;
  readonly tables = ['campaign_lifecycle_v1'];
  readonly handles = ['CampaignCreated', 'CampaignPaused', 'CampaignResumed', 'CampaignEnded'];

  /** The same rows as `apply` event after event, in at most three statements. */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await applyStreamRows(client, lifecycleFold, events);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!e.streamId.startsWith('campaign-')) return;
    const d = e.data as Partial<CampaignCreated['data']> & { reason?: unknown };
    if (typeof d.campaignId !== 'string') return;
    const signer = signerOf(e);

    if (e.type === 'CampaignCreated') {
      await client.query(
        `INSERT INTO campaign_lifecycle_v1 (campaign_id, lifecycle, reason, changed_by_id, changed_by_name, changed_at,
           stream_version)
         VALUES ($1, 'active', NULL, $2, $3, $4, $5) ON CONFLICT (campaign_id) DO NOTHING`,
        [d.campaignId, signer?.userId ?? null, signer?.name ?? null, atOf(e), e.version],
      );
      return;
    }
    const lifecycle = LIFECYCLE_OF_EVENT[e.type];
    if (!lifecycle) return;
    await client.query(
      `UPDATE campaign_lifecycle_v1
          SET lifecycle = $3, reason = $4, changed_by_id = $5, changed_by_name = $6, changed_at = $7, stream_version = $2
        WHERE campaign_id = $1 AND stream_version < $2`,
      [
        d.campaignId,
        e.version,
        lifecycle,
        typeof d.reason === 'string' ? d.reason : null,
        signer?.userId ?? null,
        signer?.name ?? null,
        atOf(e),
      ],
    );
  }
}

/** The campaign's id, from the data, for the lifecycle's own events on a campaign stream. */
const campaignOf = (e: RecordedEvent): string | null => {
  const id = (e.data as { campaignId?: unknown }).campaignId;
  return e.streamId.startsWith('campaign-') && typeof id === 'string' ? id : null;
};

const lifecycleFold: StreamRowFold = {
  table: 'campaign_lifecycle_v1',
  key: 'campaign_id',
  keyOf: campaignOf,
  create(e) {
    if (e.type !== 'CampaignCreated') return null;
    const signer = signerOf(e);
    return {
      campaign_id: campaignOf(e), lifecycle: 'active', reason: null, changed_by_id: signer?.userId ?? null,
      changed_by_name: signer?.name ?? null, changed_at: atOf(e), stream_version: e.version,
    };
  },
  evolve(row, e) {
    const lifecycle = LIFECYCLE_OF_EVENT[e.type];
    if (!lifecycle) return null;
    const signer = signerOf(e);
    const reason = (e.data as { reason?: unknown }).reason;
    return {
      ...row, lifecycle, reason: typeof reason === 'string' ? reason : null, changed_by_id: signer?.userId ?? null,
      changed_by_name: signer?.name ?? null, changed_at: atOf(e), stream_version: e.version,
    };
  },
};
