import { MESSAGE_REFUSALS, type MessagingPort, MessageRefused, MAX_MESSAGE_CHARS, type TextMessage } from '../src/messaging/messaging.port';

/** What a contract run needs of an adapter: a fresh one, and a way to see what reached the provider side. */
export interface MessagingPortUnderTest {
  port: MessagingPort;
  /** The messages the provider took, by message id, as it would show them (its record, its log, its inbox). */
  delivered(): Promise<Array<{ messageId: string; providerMessageId: string; phone: string; body: string }>>;
  dispose?(): Promise<void>;
}

const message = (over: Partial<TextMessage> = {}): TextMessage => ({
  messageId: 'm-0001',
  userId: 'u-official',
  phone: '13800000001',
  kind: 'digest',
  body: '督办每日摘要（2026-10-08）：新交办 2 项，今日到期 0 项，已逾期 1 项，逾期升级 1 项',
  ...over,
});

/**
 * The SMS / 政务 IM port's contract: every adapter (dev today; a provider's adapter when one is reachable) runs it.
 * The provider's side is observed through `delivered`, so a provider adapter runs it against that provider's
 * test endpoint or sandbox.
 */
export function messagingPortContract(name: string, make: () => Promise<MessagingPortUnderTest>): void {
  describe(`the SMS / 政务 IM port's contract: ${name}`, () => {
    let subject: MessagingPortUnderTest;
    beforeEach(async () => {
      subject = await make();
    });
    afterEach(async () => subject.dispose?.());

    it('has a name to record beside what it sent', () => {
      expect(subject.port.name).toMatch(/^[a-z][a-z0-9-]*$/);
    });

    it('a message it takes reaches the provider with its text and number, answered with the provider’s id', async () => {
      const receipt = await subject.port.send(message());
      expect(receipt.providerMessageId).toEqual(expect.any(String));
      expect(receipt.providerMessageId.length).toBeGreaterThan(0);
      expect(await subject.delivered()).toEqual([{ messageId: 'm-0001', providerMessageId: receipt.providerMessageId, phone: '13800000001', body: message().body }]);
    });

    it('the same message id sent again (a crash before the outbox marked it) reaches the person once, with the first id', async () => {
      const first = await subject.port.send(message());
      const again = await subject.port.send(message());
      expect(again).toEqual(first);
      expect((await subject.delivered()).map((d) => d.messageId)).toEqual(['m-0001']);
    });

    it('two messages are two deliveries with two ids', async () => {
      const a = await subject.port.send(message());
      const b = await subject.port.send(message({ messageId: 'm-0002', phone: '13900000002' }));
      expect(a.providerMessageId).not.toBe(b.providerMessageId);
      expect((await subject.delivered()).map((d) => [d.messageId, d.phone])).toEqual([
        ['m-0001', '13800000001'],
        ['m-0002', '13900000002'],
      ]);
    });

    it.each([
      ['NO_ADDRESS', { phone: null }],
      ['BAD_ADDRESS', { phone: '010-12345678' }],
      ['EMPTY_MESSAGE', { body: '  ' }],
      ['MESSAGE_TOO_LONG', { body: '督'.repeat(MAX_MESSAGE_CHARS + 1) }],
    ] as const)('what can never be sent is refused as %s, and nothing reaches the provider', async (code, over) => {
      expect(MESSAGE_REFUSALS).toContain(code);
      const refused = subject.port.send(message(over));
      await expect(refused).rejects.toBeInstanceOf(MessageRefused);
      await expect(refused).rejects.toMatchObject({ code });
      expect(await subject.delivered()).toEqual([]);
    });

    it('a text of exactly the longest length counted in characters (not bytes) is taken', async () => {
      await expect(subject.port.send(message({ body: '督'.repeat(MAX_MESSAGE_CHARS) }))).resolves.toMatchObject({ providerMessageId: expect.any(String) });
    });
  });
}
