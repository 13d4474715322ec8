import type { Pool, PoolClient } from 'pg';
import type { SignedCheckpoint } from '../merkle/checkpoint';

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

export type Db = Pick<Pool | PoolClient, 'query'>;

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

export interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  created_at: Date;
  key_id: string;
  signature: string;
}

export const toCheckpoint = (r: CheckpointRow): SignedCheckpoint => ({
  treeSize: Number(r.tree_size),
  rootHash: r.root_hash,
  timestamp: r.created_at.toISOString(),
  keyId: r.key_id,
  signature: r.signature,
});

// Columns renamed to text: every ORDER BY / WHERE qualifies the table's column, or it would sort by the text alias.
export const CHECKPOINT_COLUMNS = 'tree_size::text AS tree_size, root_hash, created_at, key_id, signature';

export async function leafCount(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT coalesce(max(leaf_index) + 1, 0)::text AS n FROM log_leaves');
  return Number(rows[0].n);
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
