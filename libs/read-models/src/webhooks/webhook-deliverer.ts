import { createHmac } from 'node:crypto';
import type { Pool } from 'pg';
import { AtLeastOnceSubscription, type LogBatch, type LogSource, type PollingLogger, type RecordedEvent } from '@duban/event-store';

export interface WebhookSubscription {
  subscriptionId: string;
  url: string;
  secret: string;
  eventTypes: string[];
  /** Empty: every unit. */
  unitIds: string[];
}

export interface WebhookOptions {
  batchSize?: number;
  /** Attempts per event before it goes to the dead-letter list. */
  maxAttempts?: number;
  /** First pause between attempts; doubles with each failure. */
  backoffMs?: number;
  logger?: PollingLogger;
  source?: LogSource;
  /** The instant a body is signed at (the timestamp header); the system clock by default. */
  now?: () => Date;
}

export const WEBHOOK_SIGNATURE_HEADER = 'x-duban-signature';
export const WEBHOOK_TIMESTAMP_HEADER = 'x-duban-timestamp';

/** `sha256=` + HMAC-SHA256 of "{timestamp}.{body}": a receiver recomputes it and rejects a body replayed with another time. */
export const webhookSignature = (secret: string, timestamp: string, body: string): string =>
  `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

/** The units an event is about, as far as its data names them (the unit sent to, the unit answerable). */
export function unitsOf(e: RecordedEvent): string[] {
  const d = e.data as { unitId?: unknown; toUnitId?: unknown; fromUnitId?: unknown; townUnitId?: unknown; accountable?: { unitId?: unknown } };
  return [d.unitId, d.toUnitId, d.fromUnitId, d.townUnitId, d.accountable?.unitId].filter((u): u is string => typeof u === 'string');
}

/**
 * One subscriber's deliveries: an at-least-once subscription with its own checkpoint. Each matching event is POSTed
 * with a signed body carrying the event id, retried with doubling pauses, and after the last attempt put on the
 * dead-letter list so one receiver that is down for good cannot hold the log back. Only then does the checkpoint
 * move. A crash between a delivery and the checkpoint delivers again: "once" for a webhook means once per event id —
 * the receiver dedupes on `eventId`.
 */
export class WebhookDeliverer extends AtLeastOnceSubscription {
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly now: () => Date;

  constructor(
    pool: Pool,
    private readonly subscription: WebhookSubscription,
    options: WebhookOptions = {},
  ) {
    super(pool, { name: `webhook:${subscription.subscriptionId}`, batchSize: options.batchSize ?? 100, loopName: 'webhooks', logger: options.logger, source: options.source });
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 1000;
    this.now = options.now ?? (() => new Date());
  }

  protected async handle({ events }: LogBatch): Promise<void> {
    for (const e of events) {
      if (!this.wants(e)) continue;
      const body = JSON.stringify({ eventId: e.eventId, type: e.type, streamId: e.streamId, version: e.version, recordedAt: e.recordedAt, data: e.data });
      const failure = await this.deliver(body);
      if (failure) await this.deadLetter(e.eventId, body, failure);
    }
  }

  private wants(e: RecordedEvent): boolean {
    if (!this.subscription.eventTypes.includes(e.type)) return false;
    return this.subscription.unitIds.length === 0 || unitsOf(e).some((u) => this.subscription.unitIds.includes(u));
  }

  /** Attempts with doubling pauses; the last error, or null once the receiver answered 2xx. */
  private async deliver(body: string): Promise<string | null> {
    let error = '';
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      error = await this.post(body);
      if (!error) return null;
      if (attempt < this.maxAttempts) await new Promise((r) => setTimeout(r, this.backoffMs * 2 ** (attempt - 1)));
    }
    return error;
  }

  /** One signed POST; '' on a 2xx answer, else what went wrong. */
  async post(body: string): Promise<string> {
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    try {
      const res = await fetch(this.subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [WEBHOOK_TIMESTAMP_HEADER]: timestamp,
          [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(this.subscription.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      return res.ok ? '' : `HTTP ${res.status}`;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }

  private async deadLetter(eventId: string, body: string, error: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO webhook_dead_letters_v1 (subscription_id, event_id, body, attempts, last_error) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subscription_id, event_id) DO UPDATE SET attempts = webhook_dead_letters_v1.attempts + EXCLUDED.attempts,
         last_error = EXCLUDED.last_error, failed_at = now(), redelivered_at = NULL`,
      [this.subscription.subscriptionId, eventId, body, this.maxAttempts, error],
    );
  }

  /** The dead-letter list: what is still waiting for an operator (redelivered entries excluded). */
  async deadLetters(): Promise<Array<{ eventId: string; attempts: number; lastError: string }>> {
    const r = await this.pool.query<{ event_id: string; attempts: number; last_error: string }>(
      `SELECT event_id, attempts, last_error FROM webhook_dead_letters_v1 WHERE subscription_id = $1 AND redelivered_at IS NULL ORDER BY failed_at, event_id`,
      [this.subscription.subscriptionId],
    );
    return r.rows.map((x) => ({ eventId: x.event_id, attempts: x.attempts, lastError: x.last_error }));
  }

  /** Manual redelivery of a dead letter, the body as first sent (same event id); true when the receiver took it. */
  async redeliver(eventId: string): Promise<boolean> {
    const r = await this.pool.query<{ body: string }>('SELECT body FROM webhook_dead_letters_v1 WHERE subscription_id = $1 AND event_id = $2', [
      this.subscription.subscriptionId,
      eventId,
    ]);
    if (!r.rows[0]) return false;
    const error = await this.post(r.rows[0].body);
    if (error) {
      await this.pool.query('UPDATE webhook_dead_letters_v1 SET attempts = attempts + 1, last_error = $3, failed_at = now() WHERE subscription_id = $1 AND event_id = $2', [
        this.subscription.subscriptionId,
        eventId,
        error,
      ]);
      return false;
    }
    await this.pool.query('UPDATE webhook_dead_letters_v1 SET redelivered_at = now() WHERE subscription_id = $1 AND event_id = $2', [this.subscription.subscriptionId, eventId]);
    return true;
  }
}

interface SubscriptionRow {
  subscription_id: string;
  url: string;
  secret: string;
  event_types: string[];
  unit_ids: string[];
  created_by_name: string;
  created_at: Date;
  changed_at: Date;
}

/** A subscription as administrators see it: never its secret. */
export interface WebhookSubscriptionView {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  unitIds: string[];
  createdBy: string;
  createdAt: string;
  changedAt: string;
}

/**
 * The subscribers, as projected from their signed events (webhook_subscriptions_v2), with the secret each one's ref
 * names. The admin API lists them (without secrets); the worker delivers to the active ones.
 */
export class WebhookSubscriptions {
  constructor(private readonly pool: Pool) {}

  private async rows(where: string, params: unknown[]): Promise<SubscriptionRow[]> {
    const r = await this.pool.query<SubscriptionRow>(
      `SELECT s.subscription_id, s.url, k.secret, s.event_types, s.unit_ids, s.created_by_name, s.created_at, s.changed_at
         FROM webhook_subscriptions_v2 s JOIN webhook_secrets_v1 k ON k.secret_ref = s.secret_ref
        WHERE s.active ${where} ORDER BY s.subscription_id`,
      params,
    );
    return r.rows;
  }

  async active(): Promise<WebhookSubscription[]> {
    return (await this.rows('', [])).map((x) => ({ subscriptionId: x.subscription_id, url: x.url, secret: x.secret, eventTypes: x.event_types, unitIds: x.unit_ids }));
  }

  async get(subscriptionId: string): Promise<WebhookSubscription | null> {
    const [x] = await this.rows('AND s.subscription_id = $1', [subscriptionId]);
    return x ? { subscriptionId: x.subscription_id, url: x.url, secret: x.secret, eventTypes: x.event_types, unitIds: x.unit_ids } : null;
  }

  async list(): Promise<WebhookSubscriptionView[]> {
    return (await this.rows('', [])).map((x) => ({
      subscriptionId: x.subscription_id,
      url: x.url,
      eventTypes: x.event_types,
      unitIds: x.unit_ids,
      createdBy: x.created_by_name,
      createdAt: x.created_at.toISOString(),
      changedAt: x.changed_at.toISOString(),
    }));
  }
}

/** The secrets beside the log (the write side's WebhookSecretVault): a ref once written keeps its first secret. */
export class PostgresWebhookSecrets {
  constructor(private readonly pool: Pool) {}

  async put(secretRef: string, subscriptionId: string, secret: string): Promise<void> {
    await this.pool.query('INSERT INTO webhook_secrets_v1 (secret_ref, subscription_id, secret) VALUES ($1, $2, $3) ON CONFLICT (secret_ref) DO NOTHING', [
      secretRef,
      subscriptionId,
      secret,
    ]);
  }
}
