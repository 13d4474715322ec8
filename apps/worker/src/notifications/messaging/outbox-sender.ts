import { MessageRefused, type MessagingPort } from '@duban/application';
import type { OutboundMessages } from '@duban/read-models';

export interface OutboxPass {
  sent: number;
  refused: number;
  /** Failures that may pass (the provider away): the pass stops at the first, the next pass retries it. */
  failed: number;
}

/**
 * One pass over the outbox: each pending message through the port, oldest first, marked after the provider answered.
 * **Once, for a text message, means once per message id at the provider**: a crash between the answer and the mark
 * sends it again under the same id, which the adapter hands on for the provider to drop (the contract requires it).
 * A refusal (no phone, a text the channel cannot carry) is kept and never retried.
 */
export async function sendPendingMessages(outbox: OutboundMessages, port: MessagingPort, now: () => Date, limit = 100): Promise<OutboxPass> {
  const pass: OutboxPass = { sent: 0, refused: 0, failed: 0 };
  for (const m of await outbox.pending(limit)) {
    let providerMessageId: string;
    try {
      ({ providerMessageId } = await port.send({ messageId: m.messageId, userId: m.userId, phone: m.phone, kind: m.kind, body: m.body }));
    } catch (err) {
      if (err instanceof MessageRefused) {
        await outbox.markRefused(m.messageId, err.message, now().toISOString());
        pass.refused++;
        continue;
      }
      await outbox.markFailed(m.messageId, err instanceof Error ? err.message : String(err));
      pass.failed++;
      break;
    }
    // Outside the try: the database failing here is not the provider's failure; the pass fails and is retried whole.
    await outbox.markSent(m.messageId, port.name, providerMessageId, now().toISOString());
    pass.sent++;
  }
  return pass;
}
