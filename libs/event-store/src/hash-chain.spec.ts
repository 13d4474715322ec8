import { canonicalize } from './canonical-json';
import { canonicalEvent, canonicalEventText, chainHash, chainHashOfText, GENESIS_HASH } from './hash-chain';

describe('canonicalEventText (the append path builds the sealed text from the stored canonical payload)', () => {
  const cases: Array<{ data: unknown; metadata: unknown }> = [
    { data: {}, metadata: { correlationId: 'c' } },
    { data: { 中文: '问题', z: [1, 2.5, -0, 1e21, null, true], a: { y: 'x"\\\n\u2028', b: undefined } }, metadata: { correlationId: 'c', commandType: 'T' } },
    { data: { when: new Date('2026-11-23T02:00:00.000Z'), list: [undefined, { k: 1 }] }, metadata: { correlationId: '\ud83d\ude00' } },
  ];

  it.each(cases)('seals exactly the bytes canonicalEvent seals ($data)', ({ data, metadata }) => {
    const fields = { streamId: 'finding-1', version: 7, eventId: '0b5f8b3e-3c4e-4b7a-9d55-3f0a8a1c2d3e', type: 'ProgressReported', recordedAt: '2026-11-23T02:00:00.000Z' };
    const stored = { data: JSON.parse(canonicalize(data)), metadata: JSON.parse(canonicalize(metadata)) };
    const text = canonicalEventText({ ...fields, dataText: canonicalize(data), metadataText: canonicalize(metadata) });
    expect(text).toBe(canonicalEvent({ ...fields, ...stored }));
    expect(chainHashOfText(GENESIS_HASH, text)).toBe(chainHash(GENESIS_HASH, { ...fields, ...stored }));
  });
});
