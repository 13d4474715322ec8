import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { GENESIS_HASH } from '../hash-chain';
import { keyRing } from '../event-signatures';
import { chainBreak, type ChainedEvent, chainLinkBreak, type ChainReport, signatureBreak } from '../chain-check';

export type { ChainBreak, ChainBreakReason, ChainReport } from '../chain-check';

interface Row {
  position: string;
  stream_id: string;
  version: number;
  event_id: string;
  type: string;
  data: string;
  metadata: string;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
  signing_key_id: string | null;
  signature: string | null;
}

/**
 * Recomputes every stream's chain from the rows alone, in bounded batches; with `publicKeys` (the server's event
 * signing keys, obtained out of band) also checks that every event appended since signing began carries a valid
 * signature by one of them.
 */
export async function verifyChains(
  pool: Pool,
  options: { streamId?: string; batchSize?: number; publicKeys?: ReadonlyArray<KeyObject | string> } = {},
): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const ring = options.publicKeys ? keyRing(options.publicKeys) : null;
  const epoch = await pool.query<{ since: string }>('SELECT since_position::text AS since FROM event_signing_epoch');
  const since = epoch.rows.length ? BigInt(epoch.rows[0].since) : null;
  const report: ChainReport = {
    streamsChecked: 0,
    eventsChecked: 0,
    ok: true,
    breaks: [],
    signatures: { checked: ring !== null && since !== null, signedEvents: 0, sincePosition: since === null ? null : String(since) },
  };
  let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
  let current: { streamId: string; version: number; hash: string; broken: boolean } | null = null;
  for (;;) {
    const { rows } = await pool.query<Row>(
      `SELECT position::text AS position, stream_id, version, event_id::text AS event_id, type, data, metadata,
              recorded_at, prev_hash, hash, signing_key_id, signature
         FROM events
        WHERE (stream_id, version) > ($1, $2) ${options.streamId ? 'AND stream_id = $4' : ''}
        ORDER BY stream_id, version
        LIMIT $3`,
      options.streamId ? [cursor.streamId, cursor.version, batchSize, options.streamId] : [cursor.streamId, cursor.version, batchSize],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      if (!current || current.streamId !== r.stream_id) {
        current = { streamId: r.stream_id, version: 0, hash: GENESIS_HASH, broken: false };
        report.streamsChecked += 1;
      }
      report.eventsChecked += 1;
      if (r.signature) report.signatures.signedEvents += 1;
      if (!current.broken) {
        const e = toChained(r);
        const reason = chainLinkBreak(current, e) ?? (ring && since !== null && BigInt(r.position) > since ? signatureBreak(e, ring) : null);
        if (reason) {
          current.broken = true;
          report.ok = false;
          report.breaks.push(chainBreak(e, reason));
        }
      }
      current.version = r.version;
      current.hash = r.hash;
    }
    const last = rows[rows.length - 1];
    cursor = { streamId: last.stream_id, version: last.version };
  }
  return report;
}

function toChained(r: Row): ChainedEvent {
  return {
    position: r.position,
    streamId: r.stream_id,
    version: r.version,
    eventId: r.event_id,
    type: r.type,
    data: JSON.parse(r.data),
    metadata: JSON.parse(r.metadata),
    recordedAt: r.recorded_at.toISOString(),
    prevHash: r.prev_hash,
    hash: r.hash,
    signingKeyId: r.signing_key_id,
    signature: r.signature,
  };
}
