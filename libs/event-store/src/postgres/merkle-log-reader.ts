import { consistencyProof, inclusionProof, merkleRoot, toHex } from '../merkle/rfc6962';
import type { SignedCheckpoint } from '../merkle/checkpoint';
import { CHECKPOINT_COLUMNS, CheckpointRow, Db, LeafRecord, leafCount, loadLeafHashes, MerkleLogError, toCheckpoint } from './merkle-log-tables';

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
