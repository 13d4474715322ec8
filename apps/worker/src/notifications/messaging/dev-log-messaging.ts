import { checkTextMessage, type MessageReceipt, type MessagingPort, type TextMessage } from '@duban/application';

/** pino's shape, as far as the adapter writes. */
export interface MessageLog {
  info(obj: object, msg: string): void;
}

/** 138****0001: the log shows whom a text was for without keeping the whole number. */
export const maskPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/**
 * The development adapter (DUBAN_MESSAGING=dev, the default): no provider is reachable from here, so each text is
 * written to the log — one line per message, "message sent (dev: no real provider)" — and remembered by message id,
 * so a repeat after a crash is answered with the first id and logged as a repeat, not a second delivery.
 */
export class DevLogMessaging implements MessagingPort {
  readonly name = 'dev';
  private readonly sent = new Map<string, { providerMessageId: string; phone: string; body: string }>();

  constructor(private readonly log: MessageLog) {}

  async send(m: TextMessage): Promise<MessageReceipt> {
    checkTextMessage(m);
    const known = this.sent.get(m.messageId);
    if (known) {
      this.log.info({ messageId: m.messageId, providerMessageId: known.providerMessageId }, 'message repeated, not sent again (dev)');
      return { providerMessageId: known.providerMessageId };
    }
    const providerMessageId = `dev-${this.sent.size + 1}-${m.messageId}`;
    this.sent.set(m.messageId, { providerMessageId, phone: m.phone!, body: m.body });
    this.log.info(
      { messageId: m.messageId, providerMessageId, userId: m.userId, phone: maskPhone(m.phone!), kind: m.kind, body: m.body },
      'message sent (dev: no real provider)',
    );
    return { providerMessageId };
  }

  /** What this adapter "delivered", in order: its stand-in for a provider's record. */
  delivered(): Array<{ messageId: string; providerMessageId: string; phone: string; body: string }> {
    return [...this.sent].map(([messageId, s]) => ({ messageId, ...s }));
  }
}
