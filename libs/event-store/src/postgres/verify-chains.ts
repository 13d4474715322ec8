import type { Pool } from 'pg';
import { chainHash, GENESIS_HASH } from '../hash-chain';

export type ChainBreakReason =
  /** The stored hash does not match the recomputed one: the row's content was changed. */
  | 'hash_mismatch'
  /** The row does not link to its predecessor: rows were swapped, replaced or re-chained. */
  | 'prev_hash_mismatch'
  /** A version is missing before this row: an event was deleted. */
  | 'version_gap';

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
}

const REASON_TEXT: Record<ChainBreakReason, string> = {
  hash_mismatch: '事件内容与哈希不符（被修改）',
  prev_hash_mismatch: '事件未链接到前一事件（被替换或调换顺序）',
  version_gap: '流版本不连续（有事件被删除）',
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
}

/** Recomputes every stream's chain from the rows alone, in bounded batches. */
export async function verifyChains(pool: Pool, options: { streamId?: string; batchSize?: number } = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const report: ChainReport = { streamsChecked: 0, eventsChecked: 0, ok: true, breaks: [] };
  let cursor: { streamId: string; version: number } = { streamId: '', version: 0 };
  let current: { streamId: string; version: number; hash: string; broken: boolean } | null = null;
  for (;;) {
    const { rows } = await pool.query<Row>(
      `SELECT position::text AS position, stream_id, version, event_id::text AS event_id, type, data, metadata,
              recorded_at, prev_hash, hash
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
      if (!current.broken) {
        const reason = check(current, r);
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
