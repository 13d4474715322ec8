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

/**
 * `canonicalEvent` for an event whose data and metadata are already canonical text (as stored): the same bytes, built
 * without parsing and re-serialising the payload (the append path's per-event cost). Keys in RFC 8785 order.
 */
export function canonicalEventText(e: Omit<SealedEventFields, 'data' | 'metadata'> & { dataText: string; metadataText: string }): string {
  return (
    `{"data":${e.dataText},"eventId":${JSON.stringify(e.eventId)},"metadata":${e.metadataText},` +
    `"recordedAt":${JSON.stringify(e.recordedAt)},"streamId":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)},` +
    `"version":${JSON.stringify(e.version)}}`
  );
}

/** hash = sha256(prev_hash ‖ canonical event text), hex. */
export function chainHashOfText(prevHash: string, canonicalText: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalText, 'utf8').digest('hex');
}

/** hash = sha256(prev_hash ‖ canonical event), hex. */
export function chainHash(prevHash: string, e: SealedEventFields): string {
  return createHash('sha256').update(prevHash, 'utf8').update(canonicalEvent(e), 'utf8').digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
