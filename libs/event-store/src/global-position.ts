import type { GlobalPosition } from './event-store.port';

/**
 * Commit order across adapters: both positions are pairs of unsigned decimals compared left to right — PostgreSQL's
 * (transaction id, position), KurrentDB's (commit position, prepare position) — which is also how the checkpoint
 * table's (xid8, bigint) columns compare, so a checkpoint moves forward the same way whichever store wrote it.
 */
export function compareGlobalPositions(a: GlobalPosition, b: GlobalPosition): number {
  const byTransaction = compareDecimal(a.transactionId, b.transactionId);
  return byTransaction !== 0 ? byTransaction : compareDecimal(a.position, b.position);
}

function compareDecimal(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
