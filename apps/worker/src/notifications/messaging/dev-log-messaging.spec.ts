import { Writable } from 'node:stream';
import pino from 'pino';
import { selectMessagingAdapter } from '@duban/application';
import { messagingPortContract } from '../../../../../libs/application/test/messaging-port.contract';
import { DevLogMessaging } from './dev-log-messaging';
import { openMessaging } from './messaging-adapter';

/** A pino logger whose lines are kept, parsed, for the test to read. */
const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
};

messagingPortContract('dev (writes to the log)', async () => {
  const port = new DevLogMessaging(capture().logger);
  return { port, delivered: async () => port.delivered() };
});

describe('the dev adapter writes each text to the log (pino), the number masked', () => {
  it('one line per message sent, one "repeated" line for a repeat', async () => {
    const { logger, lines } = capture();
    const port = new DevLogMessaging(logger);
    const m = { messageId: 'm-1', userId: 'u-1', phone: '13800000001', kind: 'digest', body: '督办每日摘要（2026-10-08）' };
    const { providerMessageId } = await port.send(m);
    await port.send(m);
    logger.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.msg, l.messageId, l.providerMessageId, l.phone, l.body])).toEqual([
      ['message sent (dev: no real provider)', 'm-1', providerMessageId, '138****0001', '督办每日摘要（2026-10-08）'],
      ['message repeated, not sent again (dev)', 'm-1', providerMessageId, undefined, undefined],
    ]);
  });
});

describe('DUBAN_MESSAGING selects the adapter; anything but dev stops the worker at start', () => {
  it('absent or dev: the log', () => {
    expect(selectMessagingAdapter({})).toBe('dev');
    expect(selectMessagingAdapter({ DUBAN_MESSAGING: 'dev' })).toBe('dev');
    expect(openMessaging('dev', capture().logger).name).toBe('dev');
  });

  it('a provider name that has no adapter is a clear error naming the variable', () => {
    expect(() => selectMessagingAdapter({ DUBAN_MESSAGING: 'aliyun' })).toThrow(/DUBAN_MESSAGING=aliyun.*可用的只有 dev.*\(MESSAGING_ADAPTER_UNKNOWN\)/);
  });
});
