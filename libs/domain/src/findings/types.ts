import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { CampaignSettings } from '../campaigns/campaign';

export const findingStreamId = (findingId: string): string => `finding-${findingId}`;

/** What decide needs besides the stream: the campaign's rules and its calendar (for deadlines). */
export type FindingContext = {
  campaign: CampaignSettings;
  calendar: WorkdayCalendar;
};

export * from './commands';
export * from './events';
export * from './state';
