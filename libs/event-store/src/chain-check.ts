import type { KeyObject } from 'node:crypto';
import { chainHash } from './hash-chain';
import { verifyEventSignature } from './event-signatures';

/**
 * The checks `npm run verify` makes on each event of a stream, whichever store holds it: PostgreSQL rows (read in
 * stream order) or KurrentDB records (read through `$all`, each stream's events in their order).
 */
export type ChainBreakReason =
  /** The stored hash does not match the recomputed one: the row's content was changed. */
  | 'hash_mismatch'
  /** The row does not link to its predecessor: rows were swapped, replaced or re-chained. */
  | 'prev_hash_mismatch'
  /** A version is missing before this row: an event was deleted. */
  | 'version_gap'
  /** Appended after signing began, without the server's signature: written by someone who holds no server key. */
  | 'unsigned'
  /** The signature is not the trusted key's over this event's hash: a forgery, or a key the verifier does not trust. */
  | 'bad_signature';

export interface ChainBreak {
  streamId: string;
  version: number;
  eventId: string;
  position: string;
  reason: ChainBreakReason;
  message: string;
}

export interface ChainReport {
  streamsChecked: number;
  eventsChecked: number;
  ok: boolean;
  /** At most one entry per stream: the first broken event, where a reader must stop trusting it. */
  breaks: ChainBreak[];
  /** Whether signatures were checked (a verifier needs the server's public key for that) and how many. */
  signatures: { checked: boolean; signedEvents: number; sincePosition: string | null };
}

/** An event as stored, with what the chain and the signature seal. */
export interface ChainedEvent {
  position: string;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
  prevHash: string;
  hash: string;
  signingKeyId: string | null;
  signature: string | null;
}

const REASON_TEXT: Record<ChainBreakReason, string> = {
  hash_mismatch: '事件内容与哈希不符（被修改）',
  prev_hash_mismatch: '事件未链接到前一事件（被替换或调换顺序）',
  version_gap: '流版本不连续（有事件被删除）',
  unsigned: '事件没有服务器签名（非经本系统写入，疑似伪造）',
  bad_signature: '服务器签名无效（疑似伪造，或签名密钥不受信任）',
};

/** Whether `e` follows `prev` (the stream's previous event, or version 0 and the genesis hash) intact. */
export function chainLinkBreak(prev: { version: number; hash: string }, e: ChainedEvent): ChainBreakReason | null {
  if (e.version !== prev.version + 1) return 'version_gap';
  const recomputed = chainHash(e.prevHash, {
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  });
  if (recomputed !== e.hash) return 'hash_mismatch';
  if (e.prevHash !== prev.hash) return 'prev_hash_mismatch';
  return null;
}

export function signatureBreak(e: ChainedEvent, ring: ReadonlyMap<string, KeyObject>): ChainBreakReason | null {
  if (!e.signature || !e.signingKeyId) return 'unsigned';
  return verifyEventSignature(e.hash, e.signingKeyId, e.signature, ring) ? null : 'bad_signature';
}

export function chainBreak(e: ChainedEvent, reason: ChainBreakReason): ChainBreak {
  return {
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    position: e.position,
    reason,
    message: `${e.streamId} 第 ${e.version} 个事件：${REASON_TEXT[reason]} (${reason.toUpperCase()})`,
  };
}
