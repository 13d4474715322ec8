import { reminderSettingsOf, type ReminderSettings, type WorkdayCalendar } from '@duban/domain';
import type { CampaignContexts } from '../campaign-contexts';

/**
 * What the reminder and digest senders need of a campaign: its calendar (the official one under its overrides) and its
 * reminder settings — its own (ChangeReminderSettings), or the defaults for a campaign that never set them. The
 * settings are folded fresh each call: they can change at any time, unlike the campaign's creation settings.
 */
export class CampaignReminders {
  constructor(private readonly campaigns: CampaignContexts) {}

  async of(campaignId: string): Promise<{ calendar: WorkdayCalendar; settings: ReminderSettings }> {
    const { calendar } = await this.campaigns.requireContext(campaignId);
    const { state } = await this.campaigns.current(campaignId);
    return { calendar, settings: reminderSettingsOf(state) };
  }
}
