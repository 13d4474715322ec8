import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

/** The part of an event that the chain seals: everything a reader relies on, including its place in the stream. */
export interface SealedEventFields {
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export function canonicalEvent(e: SealedEventFields): string {
  return canonicalize({
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    data: e.data,
    metadata: e.metadata,
    recordedAt: e.recordedAt,
  });
}

/** hash = sha256(prev_hash ‖ canonical event), hex. */
export function chainHash(prevHash: string, e: SealedEventFields): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalEvent(e), 'utf8').digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
