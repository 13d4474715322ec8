import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { CampaignCreated, DispatchNoticeIssued, ReminderSettingsChanged } from '@duban/domain/campaigns/campaign';
import { applyStreamRows, type StreamRowFold } from '../batch/stream-rows';
import type { Projection } from '../projection';
import { campaignIdOf, dataOf } from '../support';

/** Campaign settings for the API (calendar, due-date preview, notice numbering, reminder settings); idempotent by stream version. */
export class CampaignsProjection implements Projection {
  readonly name = 'campaigns';
  readonly version = 1;
  readonly tables = ['campaigns_v1'];
  readonly handles = ['CampaignCreated', 'DispatchNoticeIssued', 'ReminderSettingsChanged'];

  /** The same rows as `apply` event after event: a batch's notices move each campaign's row once. */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await applyStreamRows(client, campaignsFold, events);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const campaignId = campaignIdOf(e.streamId);
    if (!campaignId) return;
    if (e.type === 'CampaignCreated') {
      const d = dataOf<CampaignCreated['data']>(e);
      await client.query(
        `INSERT INTO campaigns_v1 (campaign_id, name, notice_prefix, phases, policy, calendar_overrides,
                                   created_by_id, created_by_name, created_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (campaign_id) DO NOTHING`,
        [
          campaignId,
          d.name,
          d.noticePrefix,
          JSON.stringify(d.phases),
          JSON.stringify(d.policy),
          JSON.stringify(d.calendarOverrides),
          d.signedBy.userId,
          d.signedBy.name,
          d.at,
          e.version,
        ],
      );
      return;
    }
    if (e.type === 'DispatchNoticeIssued') {
      const d = dataOf<DispatchNoticeIssued['data']>(e);
      await client.query(
        `UPDATE campaigns_v1 SET last_notice_sequence = $2, last_notice_no = $3, stream_version = $4
          WHERE campaign_id = $1 AND stream_version < $4`,
        [campaignId, d.sequence, d.noticeNo, e.version],
      );
    }
    if (e.type === 'ReminderSettingsChanged') {
      const d = dataOf<ReminderSettingsChanged['data']>(e);
      await client.query(
        `UPDATE campaigns_v1 SET reminder_settings = $2, reminder_settings_changed_by = $3, reminder_settings_changed_at = $4, stream_version = $5
          WHERE campaign_id = $1 AND stream_version < $5`,
        [campaignId, JSON.stringify(d.settings), d.signedBy.name, d.at, e.version],
      );
    }
  }
}

const campaignsFold: StreamRowFold = {
  table: 'campaigns_v1',
  key: 'campaign_id',
  keyOf: (e) => campaignIdOf(e.streamId),
  create(e) {
    if (e.type !== 'CampaignCreated') return null;
    const d = dataOf<CampaignCreated['data']>(e);
    return {
      campaign_id: campaignIdOf(e.streamId), name: d.name, notice_prefix: d.noticePrefix, phases: d.phases, policy: d.policy,
      calendar_overrides: d.calendarOverrides, created_by_id: d.signedBy.userId, created_by_name: d.signedBy.name,
      created_at: d.at, stream_version: e.version,
    };
  },
  evolve(row, e) {
    if (e.type === 'ReminderSettingsChanged') {
      const d = dataOf<ReminderSettingsChanged['data']>(e);
      return { ...row, reminder_settings: d.settings, reminder_settings_changed_by: d.signedBy.name, reminder_settings_changed_at: d.at, stream_version: e.version };
    }
    if (e.type !== 'DispatchNoticeIssued') return null;
    const d = dataOf<DispatchNoticeIssued['data']>(e);
    return { ...row, last_notice_sequence: d.sequence, last_notice_no: d.noticeNo, stream_version: e.version };
  },
};
