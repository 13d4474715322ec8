import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import type { CampaignContexts } from '@duban/application';
import { Poller } from '@duban/event-store';
import { sendDueReminders } from '@duban/read-models';

/** Once a minute is the reminders' resolution: they fall at a wall-clock minute (09:00, 08:30). */
const REMINDER_PASS_MS = 60_000;

/**
 * Sends 临近提醒 into the inbox: each pass writes what is due now in each campaign's calendar (never on a rest day or
 * in the quiet hours); a reminder's notice id comes from its key, so passes repeat harmlessly. Stops before the pool.
 */
export class RemindersLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller = new Poller(async () => {
    const written = await sendDueReminders(this.pool, new Date().toISOString(), async (campaignId) => (await this.campaigns.requireContext(campaignId)).calendar);
    if (written > 0) this.logger.info({ written }, 'reminders sent to inboxes');
  });

  constructor(
    private readonly pool: Pool,
    private readonly campaigns: CampaignContexts,
    private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    void this.poller.start({ name: 'reminders', intervalMs: REMINDER_PASS_MS, logger: this.logger });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }
}
