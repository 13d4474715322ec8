import type { KeyObject } from 'node:crypto';
import { chainBreak, type ChainReport, chainLinkBreak, signatureBreak } from '../chain-check';
import { keyRing } from '../event-signatures';
import { GENESIS_HASH } from '../hash-chain';
import { decodeChained, type KurrentRecord } from './event-mapping';

/**
 * `npm run verify`'s chain check over KurrentDB: the same per-event checks as over PostgreSQL, fed from `$all` (each
 * stream's events arrive in their order, interleaved with other streams', so the state of every stream is kept by
 * name). There is no signing epoch: a KurrentDB store is written by this adapter from its first event, so with
 * `publicKeys` every event must carry a valid signature.
 */
export async function verifyKurrentDbChains(
  records: AsyncIterable<KurrentRecord> | Iterable<KurrentRecord>,
  options: { publicKeys?: ReadonlyArray<KeyObject | string> } = {},
): Promise<ChainReport> {
  const ring = options.publicKeys ? keyRing(options.publicKeys) : null;
  const report: ChainReport = {
    streamsChecked: 0,
    eventsChecked: 0,
    ok: true,
    breaks: [],
    signatures: { checked: ring !== null, signedEvents: 0, sincePosition: ring ? '0' : null },
  };
  const streams = new Map<string, { version: number; hash: string; broken: boolean }>();
  for await (const record of records) {
    const e = decodeChained(record);
    let current = streams.get(e.streamId);
    if (!current) {
      current = { version: 0, hash: GENESIS_HASH, broken: false };
      streams.set(e.streamId, current);
      report.streamsChecked += 1;
    }
    report.eventsChecked += 1;
    if (e.signature) report.signatures.signedEvents += 1;
    if (!current.broken) {
      const reason = chainLinkBreak(current, e) ?? (ring ? signatureBreak(e, ring) : null);
      if (reason) {
        current.broken = true;
        report.ok = false;
        report.breaks.push(chainBreak(e, reason));
      }
    }
    current.version = e.version;
    current.hash = e.hash;
  }
  return report;
}
