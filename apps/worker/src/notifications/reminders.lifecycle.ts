import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import type { CampaignReminders, MessagingPort } from '@duban/application';
import { DEFAULT_REMINDER_SETTINGS, inQuietHours, shanghaiTimeOf } from '@duban/domain';
import { Poller } from '@duban/event-store';
import { OutboundMessages, sendDueDigests, sendDueReminders } from '@duban/read-models';
import { type OutboxPass, sendPendingMessages } from './messaging/outbox-sender';

/** Once a minute is the reminders' and digests' resolution: they fall at a wall-clock minute (09:00, 08:30). */
const REMINDER_PASS_MS = 60_000;

export interface RemindersDeps {
  pool: Pool;
  campaigns: CampaignReminders;
  messaging: MessagingPort;
  /**
   * True once the inbox notifier has passed the log's head: a digest is written only then, so a finding dispatched a
   * moment before the digest hour is in it (a pass that finds the notifier behind tries again a minute later).
   */
  notifierSettled: () => Promise<boolean>;
  logger: PinoLogger;
  now?: () => Date;
}

/**
 * Sends 临近提醒 and 每日摘要: each pass writes what is due now in each campaign's calendar and settings (never on a rest
 * day or in the quiet hours) into the inbox and, for digests and urgent reminders, the outbox; then sends the outbox
 * through the SMS / 政务 IM port. Ids come from the reminders' and digests' keys, so passes repeat harmlessly. Stops
 * before the pool.
 */
export class RemindersLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly outbox: OutboundMessages;
  private readonly now: () => Date;
  private readonly poller = new Poller(async () => {
    const done = await this.pass();
    if (done.reminders || done.digests || done.sent || done.refused || done.failed) this.deps.logger.info(done, 'reminders, digests and messages sent');
  });

  /** One pass at the clock's now: reminders, digests (once the notifier has settled), then the outbox. */
  async pass(): Promise<{ reminders: number; digests: number } & OutboxPass> {
    const { pool, campaigns } = this.deps;
    const now = this.now().toISOString();
    const campaignOf = (campaignId: string) => campaigns.of(campaignId);
    const reminders = await sendDueReminders(pool, now, campaignOf);
    const digests = (await this.deps.notifierSettled()) ? await sendDueDigests(pool, now, campaignOf) : 0;
    // A text held back (the provider away) is not sent late at night: the outbox waits out the quiet hours (the default
    // ones: a message does not know its campaign's).
    const quiet = inQuietHours(shanghaiTimeOf(now), DEFAULT_REMINDER_SETTINGS.quietHours);
    const outbox = quiet ? { sent: 0, refused: 0, failed: 0 } : await sendPendingMessages(this.outbox, this.deps.messaging, this.now);
    return { reminders, digests, ...outbox };
  }

  constructor(private readonly deps: RemindersDeps) {
    this.outbox = new OutboundMessages(deps.pool);
    this.now = deps.now ?? (() => new Date());
  }

  onApplicationBootstrap(): void {
    void this.poller.start({ name: 'reminders', intervalMs: REMINDER_PASS_MS, logger: this.deps.logger });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }
}
