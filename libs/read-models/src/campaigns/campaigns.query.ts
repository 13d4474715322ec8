import type { Pool } from 'pg';
import type { CampaignSettings } from '@duban/domain/campaigns/campaign';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '@duban/domain/notifications/settings';
import { isDemoCampaign } from '@duban/domain/reference/demo-county';

export interface CampaignView extends CampaignSettings {
  lastNoticeSequence: number;
  lastNoticeNo: string | null;
  createdBy: { id: string; name: string };
  createdAt: string;
  /** Demo data written by the demo seed: the web app shows a 演示数据 banner over it. */
  demo: boolean;
}

const COLUMNS = `campaign_id, name, notice_prefix, phases, policy, calendar_overrides, last_notice_sequence, last_notice_no,
  created_by_id, created_by_name, created_at`;

/** 提醒设置 as a campaign's people get them: its own, or the defaults (`isDefault`) when it never set any. */
export interface CampaignReminderSettingsView {
  campaignId: string;
  settings: ReminderSettings;
  isDefault: boolean;
  changedBy: string | null;
  changedAt: string | null;
}

/** What the cadence Schedules follow of each campaign, as stored (the worker reads missing values as defaults). */
export interface CampaignScheduleRow {
  campaignId: string;
  name: string;
  inspectionCutoff: string | null;
  progressCutoff: string | null;
  lifecycle: string | null;
  reason: string | null;
}

export class CampaignsQuery {
  constructor(private readonly pool: Pool) {}

  /** Every campaign with its lifecycle (campaign_lifecycle_v1), by campaign id. */
  async scheduleRows(): Promise<CampaignScheduleRow[]> {
    const { rows } = await this.pool.query<CampaignScheduleRow>(
      `SELECT c.campaign_id AS "campaignId", c.name, c.policy->>'inspectionCutoff' AS "inspectionCutoff", c.policy->>'progressCutoff' AS "progressCutoff", l.lifecycle, l.reason
         FROM campaigns_v1 c LEFT JOIN campaign_lifecycle_v1 l ON l.campaign_id = c.campaign_id
        ORDER BY c.campaign_id`,
    );
    return rows;
  }

  async get(campaignId: string): Promise<CampaignView | null> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM campaigns_v1 WHERE campaign_id = $1`, [campaignId]);
    return rows.length ? toView(rows[0]) : null;
  }

  async reminderSettings(campaignId: string): Promise<CampaignReminderSettingsView | null> {
    const { rows } = await this.pool.query<{ reminder_settings: ReminderSettings | null; reminder_settings_changed_by: string | null; reminder_settings_changed_at: Date | null }>(
      'SELECT reminder_settings, reminder_settings_changed_by, reminder_settings_changed_at FROM campaigns_v1 WHERE campaign_id = $1',
      [campaignId],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      campaignId,
      settings: r.reminder_settings ?? { ...DEFAULT_REMINDER_SETTINGS, quietHours: { ...DEFAULT_REMINDER_SETTINGS.quietHours }, enabled: [...DEFAULT_REMINDER_SETTINGS.enabled] },
      isDefault: r.reminder_settings === null,
      changedBy: r.reminder_settings_changed_by,
      changedAt: r.reminder_settings_changed_at?.toISOString() ?? null,
    };
  }

  async list(): Promise<CampaignView[]> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM campaigns_v1 ORDER BY created_at, campaign_id`);
    return rows.map(toView);
  }
}

function toView(r: Record<string, any>): CampaignView {
  return {
    campaignId: r.campaign_id,
    name: r.name,
    noticePrefix: r.notice_prefix,
    phases: r.phases,
    policy: r.policy,
    calendarOverrides: r.calendar_overrides,
    lastNoticeSequence: r.last_notice_sequence,
    lastNoticeNo: r.last_notice_no,
    createdBy: { id: r.created_by_id, name: r.created_by_name },
    createdAt: (r.created_at as Date).toISOString(),
    demo: isDemoCampaign(r.campaign_id),
  };
}
