import type { PoolClient } from 'pg';
import type { WebhookSubscribed, WebhookSubscriptionChanged } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { dataOf } from '../support';

/** The subscribers the worker delivers to, from their signed events; idempotent by stream version. */
export class WebhookSubscriptionsProjection implements Projection {
  readonly name = 'webhook_subscriptions';
  readonly version = 1;
  readonly tables = ['webhook_subscriptions_v2'];
  readonly handles = ['WebhookSubscribed', 'WebhookSubscriptionChanged', 'WebhookUnsubscribed'];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (e.type === 'WebhookSubscribed') {
      const d = dataOf<WebhookSubscribed['data']>(e);
      await client.query(
        `INSERT INTO webhook_subscriptions_v2 (subscription_id, url, secret_ref, event_types, unit_ids, active, created_by_id, created_by_name,
           created_at, changed_at, stream_version)
         VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8, $8, $9) ON CONFLICT (subscription_id) DO NOTHING`,
        [d.subscriptionId, d.url, d.secretRef, d.eventTypes, d.unitIds, d.signedBy.userId, d.signedBy.name, d.at, e.version],
      );
      return;
    }
    if (e.type === 'WebhookSubscriptionChanged') {
      const d = dataOf<WebhookSubscriptionChanged['data']>(e);
      await client.query(
        `UPDATE webhook_subscriptions_v2 SET url = $2, secret_ref = $3, event_types = $4, unit_ids = $5, changed_at = $6, stream_version = $7
          WHERE subscription_id = $1 AND stream_version < $7`,
        [d.subscriptionId, d.url, d.secretRef, d.eventTypes, d.unitIds, d.at, e.version],
      );
      return;
    }
    if (e.type === 'WebhookUnsubscribed') {
      const d = dataOf<{ subscriptionId: string; at: string }>(e);
      await client.query(
        `UPDATE webhook_subscriptions_v2 SET active = false, changed_at = $2, stream_version = $3 WHERE subscription_id = $1 AND stream_version < $3`,
        [d.subscriptionId, d.at, e.version],
      );
    }
  }
}
