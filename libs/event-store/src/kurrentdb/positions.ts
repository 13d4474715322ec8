import { START as KURRENT_START, type Position } from '@kurrent/kurrentdb-client';
import type { GlobalPosition } from '../event-store.port';

/** The checkpoint table holds the pair as (xid8, bigint): the prepare position must fit a signed 64-bit integer. */
const MAX_BIGINT = (1n << 63n) - 1n;

/**
 * A KurrentDB `$all` position as the port's commit-order position: the commit position takes the place of
 * PostgreSQL's transaction id and the prepare position that of the row's position. Events of one append share a
 * commit position (or follow each other), and `$all` is ordered by (commit, prepare), so the pair sorts exactly as the
 * subscription checkpoints compare it.
 */
export function toGlobalPosition(at: Position): GlobalPosition {
  // The native reader may hand numbers where the types say bigint; compare and print them as bigints either way.
  const p = { commit: BigInt(at.commit), prepare: BigInt(at.prepare) };
  if (p.commit < 0n || p.prepare < 0n || p.commit > MAX_BIGINT || p.prepare > MAX_BIGINT) {
    throw new RangeError(`KurrentDB 位置超出检查点可保存的范围：${p.commit}/${p.prepare} (KURRENTDB_POSITION_OUT_OF_RANGE)`);
  }
  return { transactionId: p.commit.toString(10), position: p.prepare.toString(10) };
}

/** Where a `$all` read resumes for a checkpoint: the start of the log, or the checkpoint's own event (read inclusively). */
export function toReadPosition(g: GlobalPosition): Position | typeof KURRENT_START {
  const commit = parseUnsigned(g.transactionId, 'transactionId');
  const prepare = parseUnsigned(g.position, 'position');
  if (commit === 0n && prepare === 0n) return KURRENT_START;
  return { commit, prepare };
}

/** Whether `p` lies strictly after the checkpoint `after` (a `$all` read from a position returns that position too). */
export function isPastCheckpoint(p: Position, after: GlobalPosition): boolean {
  const commit = BigInt(after.transactionId);
  const prepare = BigInt(after.position);
  const c = BigInt(p.commit);
  return c > commit || (c === commit && BigInt(p.prepare) > prepare);
}

export const isStart = (g: GlobalPosition): boolean => BigInt(g.transactionId) === 0n && BigInt(g.position) === 0n;

function parseUnsigned(text: string, field: string): bigint {
  if (!/^\d{1,20}$/.test(text) || BigInt(text) > MAX_BIGINT) {
    throw new RangeError(`检查点 ${field} 应为 0 至 2^63-1 的十进制整数，实际为 “${text}” (INVALID_CHECKPOINT)`);
  }
  return BigInt(text);
}

