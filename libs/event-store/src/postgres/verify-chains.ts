import type { KeyObject } from 'node:crypto';
import type { Pool } from 'pg';
import { chainHash, GENESIS_HASH } from '../hash-chain';
import { keyRing, verifyEventSignature } from '../event-signatures';

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

const REASON_TEXT: Record<ChainBreakReason, string> = {
  hash_mismatch: '事件内容与哈希不符（被修改）',
  prev_hash_mismatch: '事件未链接到前一事件（被替换或调换顺序）',
  version_gap: '流版本不连续（有事件被删除）',
  unsigned: '事件没有服务器签名（非经本系统写入，疑似伪造）',
  bad_signature: '服务器签名无效（疑似伪造，或签名密钥不受信任）',
};

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
        const reason = check(current, r) ?? (ring && since !== null ? checkSignature(r, since, ring) : null);
        if (reason) {
          current.broken = true;
          report.ok = false;
          report.breaks.push({
            streamId: r.stream_id,
            version: r.version,
            eventId: r.event_id,
            position: r.position,
            reason,
            message: `${r.stream_id} 第 ${r.version} 个事件：${REASON_TEXT[reason]} (${reason.toUpperCase()})`,
          });
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

function checkSignature(r: Row, since: bigint, ring: ReadonlyMap<string, KeyObject>): ChainBreakReason | null {
  if (BigInt(r.position) <= since) return null;
  if (!r.signature || !r.signing_key_id) return 'unsigned';
  return verifyEventSignature(r.hash, r.signing_key_id, r.signature, ring) ? null : 'bad_signature';
}

function check(prev: { version: number; hash: string }, r: Row): ChainBreakReason | null {
  if (r.version !== prev.version + 1) return 'version_gap';
  const recomputed = chainHash(r.prev_hash, {
    streamId: r.stream_id,
    version: r.version,
    eventId: r.event_id,
    type: r.type,
    data: JSON.parse(r.data),
    metadata: JSON.parse(r.metadata),
    recordedAt: r.recorded_at.toISOString(),
  });
  if (recomputed !== r.hash) return 'hash_mismatch';
  if (r.prev_hash !== prev.hash) return 'prev_hash_mismatch';
  return null;
}
