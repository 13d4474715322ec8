import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { iso } from '../support';

/** A message's id from what it is about and its reader: the same digest or reminder never makes two messages. */
export const outboundMessageId = (about: string, userId: string): string =>
  createHash('sha256').update(`sms\u0000${about}\u0000${userId}`).digest('hex').slice(0, 32);

export interface OutboundEntry {
  userId: string;
  kind: string;
  about: string;
  body: string;
  createdAt: string;
}

/** One message waiting for the SMS / 政务 IM port, with the address the directory had when it was written. */
export interface OutboundMessage {
  messageId: string;
  userId: string;
  phone: string | null;
  kind: string;
  about: string;
  body: string;
  createdAt: string;
  attempts: number;
}

export interface OutboundMessageStatus extends OutboundMessage {
  sentAt: string | null;
  sentVia: string | null;
  providerMessageId: string | null;
  refusedAt: string | null;
  lastError: string | null;
}

/**
 * Writes messages into the outbox in the caller's transaction (the one recording what they tell), each person's
 * phone read from the directory in that transaction. A message already there (same id) is left as it was.
 */
export async function enqueueMessages(tx: PoolClient, entries: OutboundEntry[]): Promise<number> {
  let written = 0;
  for (const m of entries) {
    const r = await tx.query(
      `INSERT INTO outbound_messages_v1 (message_id, user_id, phone, kind, about, body, created_at)
       SELECT $1, $2, (SELECT phone FROM directory_users_v1 WHERE user_id = $2), $3, $4, $5, $6
       ON CONFLICT (message_id) DO NOTHING`,
      [outboundMessageId(m.about, m.userId), m.userId, m.kind, m.about, m.body, m.createdAt],
    );
    written += r.rowCount ?? 0;
  }
  return written;
}

interface Row {
  message_id: string;
  user_id: string;
  phone: string | null;
  kind: string;
  about: string;
  body: string;
  created_at: Date;
  attempts: number;
  sent_at: Date | null;
  sent_via: string | null;
  provider_message_id: string | null;
  refused_at: Date | null;
  last_error: string | null;
}

const toMessage = (r: Row): OutboundMessage => ({
  messageId: r.message_id,
  userId: r.user_id,
  phone: r.phone,
  kind: r.kind,
  about: r.about,
  body: r.body,
  createdAt: iso(r.created_at)!,
  attempts: r.attempts,
});

/** The outbox as the worker's sender and the tests see it. */
export class OutboundMessages {
  constructor(private readonly pool: Pool) {}

  /** Oldest first; neither sent nor refused for good. */
  async pending(limit: number): Promise<OutboundMessage[]> {
    const r = await this.pool.query<Row>(
      'SELECT * FROM outbound_messages_v1 WHERE sent_at IS NULL AND refused_at IS NULL ORDER BY created_at, message_id LIMIT $1',
      [limit],
    );
    return r.rows.map(toMessage);
  }

  async markSent(messageId: string, via: string, providerMessageId: string, at: string): Promise<void> {
    await this.pool.query(
      'UPDATE outbound_messages_v1 SET sent_at = $2, sent_via = $3, provider_message_id = $4, attempts = attempts + 1, last_error = NULL WHERE message_id = $1 AND sent_at IS NULL',
      [messageId, at, via, providerMessageId],
    );
  }

  /** A failure that may pass (the provider away): counted, retried on a later pass. */
  async markFailed(messageId: string, error: string): Promise<void> {
    await this.pool.query('UPDATE outbound_messages_v1 SET attempts = attempts + 1, last_error = $2 WHERE message_id = $1', [messageId, error]);
  }

  /** A refusal that will not pass (no phone on record, a text the channel cannot carry): never retried. */
  async markRefused(messageId: string, error: string, at: string): Promise<void> {
    await this.pool.query('UPDATE outbound_messages_v1 SET attempts = attempts + 1, last_error = $2, refused_at = $3 WHERE message_id = $1', [messageId, error, at]);
  }

  async about(about: string): Promise<OutboundMessageStatus[]> {
    const r = await this.pool.query<Row>('SELECT * FROM outbound_messages_v1 WHERE about = $1 ORDER BY user_id', [about]);
    return r.rows.map((x) => ({
      ...toMessage(x),
      sentAt: iso(x.sent_at),
      sentVia: x.sent_via,
      providerMessageId: x.provider_message_id,
      refusedAt: iso(x.refused_at),
      lastError: x.last_error,
    }));
  }
}
