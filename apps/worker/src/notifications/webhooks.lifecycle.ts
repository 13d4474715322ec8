import { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';
import type { Pool } from 'pg';
import { type LogSource, Poller } from '@duban/event-store';
import { WebhookDeliverer, type WebhookSubscription, WebhookSubscriptions } from '@duban/read-models';

/**
 * Delivers every active webhook subscription: each pass reads the subscribers (one added through the admin API is
 * picked up on the next pass) and moves each one batch past its own checkpoint, side by side, so a receiver that is
 * slow or down (retrying, then dead-lettering) never holds another back. It stops before the pool closes.
 */
export class WebhooksLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly deliverers = new Map<string, { key: string; deliverer: WebhookDeliverer }>();
  private readonly poller = new Poller(async () => {
    const subscriptions = await new WebhookSubscriptions(this.pool).active();
    const settled = await Promise.allSettled(subscriptions.map((s) => this.delivererOf(s).runOnce().then((n) => n >= 100)));
    settled.forEach((r, i) => {
      if (r.status === 'rejected') this.logger.warn({ err: r.reason, subscriptionId: subscriptions[i].subscriptionId }, 'webhook batch failed; retried from its checkpoint');
    });
    return settled.some((r) => r.status === 'fulfilled' && r.value);
  });

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs: number,
    private readonly logger: PinoLogger,
    private readonly source?: LogSource,
  ) {}

  private delivererOf(s: WebhookSubscription): WebhookDeliverer {
    const key = JSON.stringify(s);
    const known = this.deliverers.get(s.subscriptionId);
    if (known && known.key === key) return known.deliverer;
    const deliverer = new WebhookDeliverer(this.pool, s, { batchSize: 100, logger: this.logger, source: this.source });
    this.deliverers.set(s.subscriptionId, { key, deliverer });
    return deliverer;
  }

  onApplicationBootstrap(): void {
    void this.poller.start({ name: 'webhooks', intervalMs: this.intervalMs, logger: this.logger });
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.poller.stop();
  }
}
