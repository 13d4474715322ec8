import { createPublicKey, KeyObject } from 'node:crypto';
import { lockSubscriptionCheckpoint, storeSubscriptionCheckpoint } from './subscription-checkpoints';
import type { Pool, PoolClient } from 'pg';
import { chainHash } from '../hash-chain';
import {
  consistencyProof,
  fromHex,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  merkleRoot,
  toHex,
} from '../merkle/rfc6962';
import { CheckpointSigner, keyIdOf, signCheckpoint, SignedCheckpoint, verifyCheckpointSignature } from '../merkle/checkpoint';
import { Clock, readAllWith } from './postgres-event-store';
import { withTransaction } from './transaction';

/**
 * The global Merkle log over the event store (migration 0004_merkle_log.sql).
 *
 * - Leaves: every event in commit order; leaf data = the event's chain hash bytes, leaf hash = SHA-256(0x00 ‖ data).
 * - The sealer is a checkpointed consumer like a projection: it locks its subscription row, reads a batch in commit
 *   order, appends the leaves, moves its checkpoint and — once caught up, if the tree grew — signs a checkpoint,
 *   all in one transaction.
 * - Roots: the sealer keeps the tree's right edge (a `MerkleFrontier`, O(log n) hashes), so a checkpoint costs
 *   O(batch) hashes, not O(n). It rebuilds the frontier from all leaves (O(n), 32 bytes a leaf) when it starts or
 *   when another sealer moved the log. Proofs and the verifier read the leaf hashes of the tree and rehash (O(n)).
 */
export const MERKLE_LOG_SUBSCRIPTION = 'merkle-log';

type Db = Pick<Pool | PoolClient, 'query'>;

export interface LeafRecord {
  leafIndex: number;
  eventId: string;
  streamId: string;
  version: number;
  transactionId: string;
  position: string;
  eventHash: string;
  leafHash: string;
}

/** A typed failure for callers (the API maps `kind` to 404 / 409). */
export class MerkleLogError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict',
    readonly code: string,
    message: string,
  ) {
    super(`${message} (${code})`);
    this.name = 'MerkleLogError';
  }
}

interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  created_at: Date;
  key_id: string;
  signature: string;
}

const toCheckpoint = (r: CheckpointRow): SignedCheckpoint => ({
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: r.created_at.toISOString(),
  keyId: r.key_id,
  signature: r.signature,
});

// Columns renamed to text: every ORDER BY / WHERE qualifies the table's column, or it would sort by the text alias.
const CHECKPOINT_COLUMNS = 'tree_size::text AS tree_size, root_hash, created_at, key_id, signature';

export interface SealResult {
  leavesAppended: number;
  treeSize: number;
  checkpoint: SignedCheckpoint | null;
}

/**
 * Records a checkpoint key's public half in `log_signing_keys` (a convenience for `/integrity/public-key`). Through the
 * owner's connection: the application role may not add keys, or whoever holds its password could slip in their own.
 */
export async function registerLogSigningKey(owner: Pick<Pool, 'query'>, signer: CheckpointSigner): Promise<void> {
  await owner.query('INSERT INTO log_signing_keys (key_id, public_key_pem) VALUES ($1, $2) ON CONFLICT (key_id) DO NOTHING', [
    signer.keyId,
    signer.publicKeyPem,
  ]);
}

export class MerkleLogSealer {
  private frontier: MerkleFrontier | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly signer: CheckpointSigner,
    private readonly clock: Clock,
    private readonly options: { batchSize?: number } = {},
  ) {}

  /** One batch: leaves for up to `batchSize` events and, when caught up and the tree grew, a signed checkpoint. */
  async sealOnce(): Promise<SealResult> {
    const batchSize = this.options.batchSize ?? 2000;
    let next: MerkleFrontier | null = null;
    const result = await withTransaction(this.pool, async (client) => {
      const after = await lockSubscriptionCheckpoint(client, MERKLE_LOG_SUBSCRIPTION);
      const events = await readAllWith(client, after, batchSize);
      const size = await leafCount(client);
      const frontier = this.frontier && this.frontier.size === size ? this.frontier.clone() : await rebuildFrontier(client, size);
      if (events.length) {
        const leafHashes = events.map((e) => leafHash(fromHex(e.hash)));
        await client.query(
          `INSERT INTO log_leaves (leaf_index, transaction_id, event_position, event_id, stream_id, version, event_hash, leaf_hash)
           SELECT * FROM unnest($1::bigint[], $2::text[]::xid8[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::bytea[])`,
          [
            events.map((_, i) => String(size + i)),
            events.map((e) => e.transactionId),
            events.map((e) => e.position),
            events.map((e) => e.eventId),
            events.map((e) => e.streamId),
            events.map((e) => e.version),
            events.map((e) => e.hash),
            leafHashes,
          ],
        );
        for (const h of leafHashes) frontier.push(h);
        const last = events[events.length - 1];
        await storeSubscriptionCheckpoint(client, MERKLE_LOG_SUBSCRIPTION, { transactionId: last.transactionId, position: last.position });
      }
      let checkpoint: SignedCheckpoint | null = null;
      if (events.length < batchSize) {
        const { rows } = await client.query<{ size: string | null }>('SELECT max(tree_size)::text AS size FROM log_checkpoints');
        const signedSize = rows[0].size === null ? 0 : Number(rows[0].size);
        if (frontier.size > signedSize) checkpoint = await this.sign(client, frontier);
      }
      next = frontier;
      return { leavesAppended: events.length, treeSize: frontier.size, checkpoint };
    });
    // Only a committed frontier is kept: after a rollback the next batch rebuilds it from the table.
    this.frontier = next;
    return result;
  }

  /** Seals until everything visible is in the log and signed. */
  async catchUp(): Promise<SealResult> {
    let total = 0;
    let last: SealResult;
    let checkpoint: SignedCheckpoint | null = null;
    do {
      last = await this.sealOnce();
      total += last.leavesAppended;
      checkpoint = last.checkpoint ?? checkpoint;
    } while (last.leavesAppended > 0);
    return { leavesAppended: total, treeSize: last.treeSize, checkpoint };
  }

  private async sign(client: PoolClient, frontier: MerkleFrontier): Promise<SignedCheckpoint> {
    const cp = signCheckpoint(
      { treeSize: frontier.size, rootHash: toHex(frontier.root()), timestamp: this.clock.now().toISOString() },
      this.signer,
    );
    await client.query(
      'INSERT INTO log_checkpoints (tree_size, root_hash, created_at, key_id, signature) VALUES ($1, $2, $3, $4, $5)',
      [cp.treeSize, cp.rootHash, new Date(cp.timestamp), cp.keyId, cp.signature],
    );
    return cp;
  }
}

async function leafCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT coalesce(max(leaf_index) + 1, 0)::text AS n FROM log_leaves');
  return Number(rows[0].n);
}

async function rebuildFrontier(db: Db, size: number): Promise<MerkleFrontier> {
  const f = new MerkleFrontier();
  for (const h of await loadLeafHashes(db, size)) f.push(h);
  return f;
}

/** The first `size` leaf hashes in leaf order, read in batches; fails when the table has fewer. */
export async function loadLeafHashes(db: Db, size: number, batchSize = 50_000): Promise<Buffer[]> {
  const out: Buffer[] = [];
  while (out.length < size) {
    const { rows } = await db.query<{ leaf_index: string; leaf_hash: Buffer }>(
      `SELECT leaf_index::text AS leaf_index, leaf_hash FROM log_leaves
        WHERE log_leaves.leaf_index >= $1 AND log_leaves.leaf_index < $2 ORDER BY log_leaves.leaf_index LIMIT $3`,
      [out.length, size, batchSize],
    );
    if (rows.length === 0) break;
    for (const r of rows) {
      if (Number(r.leaf_index) !== out.length) {
        throw new MerkleLogError('conflict', 'LOG_INCONSISTENT', `日志缺少第 ${out.length} 个叶子`);
      }
      out.push(r.leaf_hash);
    }
  }
  if (out.length < size) throw new MerkleLogError('conflict', 'LOG_INCONSISTENT', `日志只有 ${out.length} 个叶子，检查点需要 ${size} 个`);
  return out;
}

export interface InclusionProofResult {
  eventId: string;
  streamId: string;
  version: number;
  leafIndex: number;
  /** The leaf data (the event's chain hash) and its RFC 6962 leaf hash, hex. */
  eventHash: string;
  leafHash: string;
  treeSize: number;
  /** Audit path, bottom-up, hex. */
  auditPath: string[];
  checkpoint: SignedCheckpoint;
}

export interface ConsistencyProofResult {
  from: SignedCheckpoint;
  to: SignedCheckpoint;
  /** RFC 6962 PROOF(from, D[to]), hex. */
  proof: string[];
}

/** Reads checkpoints and builds proofs; never writes. */
export class MerkleLogReader {
  constructor(private readonly db: Db) {}

  async treeSize(): Promise<number> {
    return leafCount(this.db);
  }

  async checkpoints(options: { limit?: number; beforeSize?: number } = {}): Promise<SignedCheckpoint[]> {
    const { rows } = await this.db.query<CheckpointRow>(
      `SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints
        WHERE ($1::bigint IS NULL OR log_checkpoints.tree_size < $1) ORDER BY log_checkpoints.tree_size DESC LIMIT $2`,
      [options.beforeSize ?? null, options.limit ?? 100],
    );
    return rows.map(toCheckpoint);
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | null> {
    const [cp] = await this.checkpoints({ limit: 1 });
    return cp ?? null;
  }

  async checkpoint(treeSize: number): Promise<SignedCheckpoint | null> {
    const { rows } = await this.db.query<CheckpointRow>(`SELECT ${CHECKPOINT_COLUMNS} FROM log_checkpoints WHERE tree_size = $1`, [
      treeSize,
    ]);
    return rows.length ? toCheckpoint(rows[0]) : null;
  }

  async signingKeys(): Promise<{ keyId: string; publicKeyPem: string; firstUsedAt: string }[]> {
    const { rows } = await this.db.query<{ key_id: string; public_key_pem: string; first_used_at: Date }>(
      'SELECT key_id, public_key_pem, first_used_at FROM log_signing_keys ORDER BY first_used_at',
    );
    return rows.map((r) => ({ keyId: r.key_id, publicKeyPem: r.public_key_pem, firstUsedAt: r.first_used_at.toISOString() }));
  }

  async leafOf(eventId: string): Promise<LeafRecord | null> {
    const { rows } = await this.db.query(
      `SELECT leaf_index::text AS leaf_index, event_id::text AS event_id, stream_id, version, transaction_id::text AS transaction_id,
              event_position::text AS position, event_hash, leaf_hash
         FROM log_leaves WHERE event_id = $1`,
      [eventId],
    );
    if (!rows.length) return null;
    const r = rows[0];
    return {
      leafIndex: Number(r.leaf_index),
      eventId: r.event_id,
      streamId: r.stream_id,
      version: r.version,
      transactionId: r.transaction_id,
      position: r.position,
      eventHash: r.event_hash,
      leafHash: toHex(r.leaf_hash),
    };
  }

  /** The audit path of an event in a signed checkpoint's tree (the latest one when no size is given). */
  async inclusionProof(eventId: string, treeSize?: number): Promise<InclusionProofResult> {
    const leaf = await this.leafOf(eventId);
    if (!leaf) throw new MerkleLogError('not_found', 'EVENT_NOT_IN_LOG', `事件 ${eventId} 不在全局日志中（不存在或尚未封存）`);
    const checkpoint = await this.signedCheckpoint(treeSize);
    if (leaf.leafIndex >= checkpoint.treeSize) {
      throw new MerkleLogError(
        'not_found',
        'EVENT_AFTER_CHECKPOINT',
        `事件 ${eventId} 是第 ${leaf.leafIndex} 个叶子，不在大小为 ${checkpoint.treeSize} 的检查点中`,
      );
    }
    const hashes = await loadLeafHashes(this.db, checkpoint.treeSize);
    this.assertRoot(hashes, checkpoint);
    return {
      eventId: leaf.eventId,
      streamId: leaf.streamId,
      version: leaf.version,
      leafIndex: leaf.leafIndex,
      eventHash: leaf.eventHash,
      leafHash: leaf.leafHash,
      treeSize: checkpoint.treeSize,
      auditPath: inclusionProof(hashes, leaf.leafIndex, checkpoint.treeSize).map(toHex),
      checkpoint,
    };
  }

  /** Proves the checkpoint of size `from` is a prefix of the checkpoint of size `to`. */
  async consistencyProof(from: number, to: number): Promise<ConsistencyProofResult> {
    if (from > to) throw new MerkleLogError('conflict', 'INVALID_RANGE', `起点 ${from} 大于终点 ${to}`);
    const [a, b] = [await this.signedCheckpoint(from), await this.signedCheckpoint(to)];
    const hashes = await loadLeafHashes(this.db, to);
    this.assertRoot(hashes, b);
    if (toHex(merkleRoot(hashes, 0, from)) !== a.rootHash) {
      throw new MerkleLogError('conflict', 'LOG_INCONSISTENT', `大小为 ${from} 的检查点与当前日志不一致`);
    }
    return { from: a, to: b, proof: consistencyProof(hashes, from, to).map(toHex) };
  }

  private async signedCheckpoint(treeSize?: number): Promise<SignedCheckpoint> {
    const cp = treeSize === undefined ? await this.latestCheckpoint() : await this.checkpoint(treeSize);
    if (!cp) {
      throw new MerkleLogError(
        'not_found',
        'CHECKPOINT_NOT_FOUND',
        treeSize === undefined ? '尚无签名检查点' : `没有大小为 ${treeSize} 的签名检查点`,
      );
    }
    return cp;
  }

  private assertRoot(hashes: Buffer[], cp: SignedCheckpoint): void {
    if (toHex(merkleRoot(hashes, 0, cp.treeSize)) !== cp.rootHash) {
      throw new MerkleLogError('conflict', 'LOG_INCONSISTENT', `日志的叶子与大小为 ${cp.treeSize} 的签名检查点的根不一致`);
    }
  }
}

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
