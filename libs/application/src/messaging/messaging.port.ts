/**
 * The port to SMS / 政务 IM providers: one text message to one person. Digests and urgent reminders reach it through
 * the outbox (outbound_messages_v1), so an adapter only sends. No real provider is reachable from this repository's
 * machines; the one adapter is `dev`, which writes each message to the log.
 *
 * What every adapter must do (the contract suite in libs/application/test/messaging-port.contract.ts checks it):
 * - answer with the provider's id for the message once the provider has taken it;
 * - take `messageId` as the provider's dedupe key: the same message sent again (a crash between the provider's answer
 *   and the outbox's mark) is answered with the first id and reaches the person once;
 * - refuse what can never be sent with `MessageRefused` (never retried): no phone on record, a malformed number, an
 *   empty text or one longer than MAX_MESSAGE_CHARS; any other failure is thrown as is and retried on a later pass.
 */
export interface TextMessage {
  messageId: string;
  userId: string;
  /** Mainland mobile, as the directory holds it; null when none is on record. */
  phone: string | null;
  /** What kind of notice it carries: 'digest', 'due_tomorrow', 'rung_tomorrow'. */
  kind: string;
  body: string;
}

export interface MessageReceipt {
  providerMessageId: string;
}

export interface MessagingPort {
  /** The adapter's name, recorded beside each message it sent. */
  readonly name: string;
  send(message: TextMessage): Promise<MessageReceipt>;
}

export const MESSAGE_REFUSALS = ['NO_ADDRESS', 'BAD_ADDRESS', 'EMPTY_MESSAGE', 'MESSAGE_TOO_LONG'] as const;
export type MessageRefusal = (typeof MESSAGE_REFUSALS)[number];

/** A message that can never be sent as it is; the outbox keeps it for an operator and does not retry it. */
export class MessageRefused extends Error {
  constructor(
    readonly code: MessageRefusal,
    message: string,
  ) {
    super(`${message} (${code})`);
    this.name = 'MessageRefused';
  }
}

/** Long enough for a digest's counts and its first items; providers split longer texts into several billed parts. */
export const MAX_MESSAGE_CHARS = 500;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** The checks every adapter makes before it calls its provider. */
export function checkTextMessage(m: TextMessage): void {
  if (!m.phone) throw new MessageRefused('NO_ADDRESS', `${m.userId} 没有登记手机号`);
  if (!MAINLAND_MOBILE.test(m.phone)) throw new MessageRefused('BAD_ADDRESS', `${m.userId} 的手机号格式不对`);
  if (!m.body.trim()) throw new MessageRefused('EMPTY_MESSAGE', '消息内容为空');
  if ([...m.body].length > MAX_MESSAGE_CHARS) throw new MessageRefused('MESSAGE_TOO_LONG', `消息超过 ${MAX_MESSAGE_CHARS} 字`);
}

export const MESSAGING_ADAPTERS = ['dev'] as const;
export type MessagingAdapterName = (typeof MESSAGING_ADAPTERS)[number];

/**
 * The adapter `DUBAN_MESSAGING` names (absent: `dev`). Anything else stops the process at start, naming the variable:
 * a misspelt provider must not silently fall back to the log while people wait for texts.
 */
export function selectMessagingAdapter(env: Record<string, string | undefined>): MessagingAdapterName {
  const raw = env.DUBAN_MESSAGING?.trim() || 'dev';
  if ((MESSAGING_ADAPTERS as readonly string[]).includes(raw)) return raw as MessagingAdapterName;
  throw new Error(
    `DUBAN_MESSAGING=${raw}：没有这个短信/政务 IM 适配器，可用的只有 ${MESSAGING_ADAPTERS.join('、')}（本仓库无法连接任何真实服务商）(MESSAGING_ADAPTER_UNKNOWN)`,
  );
}
