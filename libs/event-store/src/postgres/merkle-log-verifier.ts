import { createPublicKey, KeyObject } from 'node:crypto';
import { chainHash } from '../hash-chain';
import { fromHex, leafHash, MerkleFrontier, toHex } from '../merkle/rfc6962';
import { keyIdOf, SignedCheckpoint, verifyCheckpointSignature } from '../merkle/checkpoint';
import { CHECKPOINT_COLUMNS, CheckpointRow, Db, MERKLE_LOG_SUBSCRIPTION, toCheckpoint } from './merkle-log-tables';
import { MerkleLogReader } from './merkle-log-reader';

export type LogBreakReason =
  /** A leaf index is missing: leaves were deleted. */
  | 'leaf_gap'
  /** The stored leaf hash is not SHA-256(0x00 ‖ the leaf's event hash): the leaf row was edited. */
  | 'leaf_hash_mismatch'
  /** The sealed event no longer exists: deleted (a truncated tail is caught here). */
  | 'event_missing'
  /** The event's content, recomputed, no longer hashes to what was sealed: edited, swapped or re-chained. */
  | 'event_changed'
  /** The event's stream, version or position is not where it was sealed. */
  | 'event_moved'
  /** An event behind the sealer's position that is not in the log: inserted behind its back. */
  | 'event_not_in_log'
  /** The root recomputed from the leaves differs from the signed one. */
  | 'root_mismatch'
  /** The signature does not verify with the trusted key. */
  | 'bad_signature'
  /** Signed by a key that is not trusted. */
  | 'unknown_key'
  /** The checkpoint covers more leaves than the log holds: the log was truncated. */
  | 'checkpoint_beyond_log';

export interface LogBreak {
  kind: 'leaf' | 'event' | 'checkpoint';
  reason: LogBreakReason;
  leafIndex?: number;
  eventId?: string;
  streamId?: string;
  version?: number;
  treeSize?: number;
  /** For checkpoints: stored in the database or supplied by the inspector. */
  source?: 'database' | 'external';
  message: string;
}

export interface LogReport {
  ok: boolean;
  treeSize: number;
  leavesChecked: number;
  checkpointsChecked: number;
  latestCheckpoint: SignedCheckpoint | null;
  /** Where the trusted public keys came from: given by the caller, or (weaker) read from the database. */
  keysSource: 'trusted' | 'database';
  breaks: LogBreak[];
  firstBrokenEvent: LogBreak | null;
  firstBrokenCheckpoint: LogBreak | null;
}

const LOG_REASON_TEXT: Record<LogBreakReason, string> = {
  leaf_gap: '日志叶子缺失（被删除）',
  leaf_hash_mismatch: '叶子哈希与所封存的事件哈希不符（叶子被修改）',
  event_missing: '已封存的事件不存在（被删除或截断）',
  event_changed: '事件内容与封存时的哈希不符（被修改、调换或重新计算哈希链）',
  event_moved: '事件的流、版本或位置与封存时不同',
  event_not_in_log: '事件在封存位置之前却不在日志中（被插入）',
  root_mismatch: '由叶子重算的默克尔根与签名检查点不符',
  bad_signature: '检查点签名无效',
  unknown_key: '检查点由不受信任的密钥签名',
  checkpoint_beyond_log: '检查点覆盖的叶子多于日志现有叶子（日志被截断）',
};

interface LeafJoinRow {
  leaf_index: string;
  event_id: string;
  stream_id: string;
  version: number;
  event_position: string;
  event_hash: string;
  leaf_hash: Buffer;
  e_position: string | null;
  e_stream_id: string | null;
  e_version: number | null;
  type: string | null;
  data: string | null;
  metadata: string | null;
  recorded_at: Date | null;
  prev_hash: string | null;
  hash: string | null;
}

/**
 * Recomputes the whole Merkle log: every leaf against its event (content rehashed from the row), every checkpoint's
 * root from the leaves and its signature with a trusted key. `externalCheckpoints` are checkpoints an inspector kept
 * outside the system: each must verify and match the log as well (a truncated log cannot).
 */
export async function verifyMerkleLog(
  db: Db,
  options: { trustedKeys?: (KeyObject | string)[]; externalCheckpoints?: SignedCheckpoint[]; batchSize?: number; maxBreaks?: number } = {},
): Promise<LogReport> {
  const batchSize = options.batchSize ?? 5000;
  const maxBreaks = options.maxBreaks ?? 100;
  const keys = new Map<string, KeyObject>();
  const keysSource = options.trustedKeys ? 'trusted' : 'database';
  const trusted = options.trustedKeys ?? (await new MerkleLogReader(db).signingKeys()).map((k) => k.publicKeyPem);
  for (const k of trusted) {
    const key = typeof k === 'string' ? createPublicKey(k) : k;
    keys.set(keyIdOf(key), key);
  }
  const stored = (
    await db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints ORDER BY log_checkpoints.tree_size`)
  ).rows.map((r) => ({ cp: toCheckpoint(r), source: 'database' as const }));
  const pending = [...stored, ...(options.externalCheckpoints ?? []).map((cp) => ({ cp, source: 'external' as const }))].sort(
    (a, b) => a.cp.treeSize - b.cp.treeSize,
  );
  const report: LogReport = {
    ok: true,
    treeSize: 0,
    leavesChecked: 0,
    checkpointsChecked: 0,
    latestCheckpoint: stored.length ? stored[stored.length - 1].cp : null,
    keysSource,
    breaks: [],
    firstBrokenEvent: null,
    firstBrokenCheckpoint: null,
  };
  const add = (b: Omit<LogBreak, 'message'>) => {
    const where =
      b.kind === 'checkpoint'
        ? `${b.source === 'external' ? '外部保存的' : ''}检查点（大小 ${b.treeSize}）`
        : `第 ${b.leafIndex ?? '?'} 个叶子${b.eventId ? `（事件 ${b.eventId}，${b.streamId} 第 ${b.version} 版）` : ''}`;
    const full: LogBreak = { ...b, message: `${where}：${LOG_REASON_TEXT[b.reason]} (${b.reason.toUpperCase()})` };
    report.ok = false;
    if (full.kind === 'checkpoint') report.firstBrokenCheckpoint ??= full;
    else report.firstBrokenEvent ??= full;
    if (report.breaks.length < maxBreaks) report.breaks.push(full);
  };
  const checkCheckpoint = (cp: SignedCheckpoint, source: 'database' | 'external', root: string) => {
    report.checkpointsChecked += 1;
    const at = { kind: 'checkpoint' as const, treeSize: cp.treeSize, source };
    const key = keys.get(cp.keyId);
    if (!key) add({ ...at, reason: 'unknown_key' });
    else if (!verifyCheckpointSignature(cp, key)) add({ ...at, reason: 'bad_signature' });
    else if (root !== cp.rootHash) add({ ...at, reason: 'root_mismatch' });
  };

  const frontier = new MerkleFrontier();
  let after = -1;
  for (;;) {
    const { rows } = await db.query<LeafJoinRow>(
      `SELECT l.leaf_index::text AS leaf_index, l.event_id::text AS event_id, l.stream_id, l.version,
              l.event_position::text AS event_position, l.event_hash, l.leaf_hash,
              e.position::text AS e_position, e.stream_id AS e_stream_id, e.version AS e_version, e.type, e.data,
              e.metadata, e.recorded_at, e.prev_hash, e.hash
         FROM log_leaves l LEFT JOIN events e ON e.event_id = l.event_id
        WHERE l.leaf_index > $1 ORDER BY l.leaf_index LIMIT $2`,
      [after, batchSize],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      const index = Number(r.leaf_index);
      const at = { leafIndex: index, eventId: r.event_id, streamId: r.stream_id, version: r.version };
      // Report a gap once, where it starts; the roots of every later checkpoint will not recompute either.
      if (index !== after + 1) add({ kind: 'leaf', reason: 'leaf_gap', leafIndex: after + 1 });
      report.leavesChecked += 1;
      if (!leafHash(fromHex(r.event_hash)).equals(r.leaf_hash)) add({ kind: 'leaf', reason: 'leaf_hash_mismatch', ...at });
      else if (r.e_position === null) add({ kind: 'event', reason: 'event_missing', ...at });
      else if (eventHashOf(r) !== r.event_hash || r.hash !== r.event_hash) add({ kind: 'event', reason: 'event_changed', ...at });
      else if (r.e_position !== r.event_position || r.e_stream_id !== r.stream_id || r.e_version !== r.version) {
        add({ kind: 'event', reason: 'event_moved', ...at });
      }
      frontier.push(r.leaf_hash);
      while (pending.length && pending[0].cp.treeSize <= frontier.size) {
        const { cp, source } = pending.shift()!;
        if (cp.treeSize === frontier.size) checkCheckpoint(cp, source, toHex(frontier.root()));
      }
      after = index;
    }
  }
  report.treeSize = frontier.size;
  for (const { cp, source } of pending) {
    report.checkpointsChecked += 1;
    add({ kind: 'checkpoint', reason: 'checkpoint_beyond_log', treeSize: cp.treeSize, source });
  }
  // Events the sealer has passed but that are not in the log were slipped in behind its back.
  const { rows: unsealed } = await db.query<{ event_id: string; stream_id: string; version: number }>(
    `SELECT e.event_id::text AS event_id, e.stream_id, e.version
       FROM events e JOIN subscription_checkpoints s ON s.name = $1
      WHERE (e.transaction_id, e.position) <= (s.transaction_id, s.position)
        AND NOT EXISTS (SELECT 1 FROM log_leaves l WHERE l.event_id = e.event_id)
      ORDER BY e.transaction_id, e.position LIMIT $2`,
    [MERKLE_LOG_SUBSCRIPTION, maxBreaks],
  );
  for (const e of unsealed) add({ kind: 'event', reason: 'event_not_in_log', eventId: e.event_id, streamId: e.stream_id, version: e.version });
  return report;
}

function eventHashOf(r: LeafJoinRow): string {
  try {
    return chainHash(r.prev_hash!, {
      streamId: r.e_stream_id!,
      version: r.e_version!,
      eventId: r.event_id,
      type: r.type!,
      data: JSON.parse(r.data!),
      metadata: JSON.parse(r.metadata!),
      recordedAt: r.recorded_at!.toISOString(),
    });
  } catch {
    return '';
  }
}
