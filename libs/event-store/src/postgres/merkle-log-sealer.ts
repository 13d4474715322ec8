import type { Pool, PoolClient } from 'pg';
import { fromHex, leafHash, MerkleFrontier, toHex } from '../merkle/rfc6962';
import { CheckpointSigner, signCheckpoint, SignedCheckpoint } from '../merkle/checkpoint';
import type { LogBatch, LogSource } from '../subscription.port';
import type { Clock } from '../event-store.port';
import { TransactionalSubscription } from './log-subscription';
import { Db, leafCount, loadLeafHashes, MERKLE_LOG_SUBSCRIPTION } from './merkle-log-tables';

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

/**
 * The sealer is a subscription whose effect is in the database: each batch's leaves, its checkpoint and (once caught
 * up, if the tree grew) a signed log checkpoint commit together.
 */
export class MerkleLogSealer {
  private frontier: MerkleFrontier | null = null;
  private readonly subscription: TransactionalSubscription<{ sealed: SealResult; frontier: MerkleFrontier }>;

  constructor(
    pool: Pool,
    private readonly signer: CheckpointSigner,
    private readonly clock: Clock,
    options: { batchSize?: number; source?: LogSource } = {},
  ) {
    this.subscription = new TransactionalSubscription(
      pool,
      { name: MERKLE_LOG_SUBSCRIPTION, batchSize: options.batchSize ?? 2000, source: options.source },
      (batch, tx) => this.seal(batch, tx),
    );
  }

  /** One batch: leaves for up to `batchSize` events and, when caught up and the tree grew, a signed checkpoint. */
  async sealOnce(): Promise<SealResult> {
    const { result } = await this.subscription.next();
    // Only a committed frontier is kept: after a rollback the next batch rebuilds it from the table.
    this.frontier = result.frontier;
    return result.sealed;
  }

  private async seal({ events, full }: LogBatch, client: PoolClient): Promise<{ sealed: SealResult; frontier: MerkleFrontier }> {
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
    }
    let checkpoint: SignedCheckpoint | null = null;
    if (!full) {
      const { rows } = await client.query<{ size: string | null }>('SELECT max(tree_size)::text AS size FROM log_checkpoints');
      const signedSize = rows[0].size === null ? 0 : Number(rows[0].size);
      if (frontier.size > signedSize) checkpoint = await this.sign(client, frontier);
    }
    return { sealed: { leavesAppended: events.length, treeSize: frontier.size, checkpoint }, frontier };
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

async function rebuildFrontier(db: Db, size: number): Promise<MerkleFrontier> {
  const f = new MerkleFrontier();
  for (const h of await loadLeafHashes(db, size)) f.push(h);
  return f;
}
