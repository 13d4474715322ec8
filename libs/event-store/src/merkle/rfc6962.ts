import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 Merkle tree hashing, with the proof verifiers of RFC 9162 §2.1.3.2 / §2.1.4.2.
 * Pure: no database, no clock. Hashes are 32-byte Buffers.
 *
 *   leaf hash  = SHA-256(0x00 ‖ leaf data)
 *   node hash  = SHA-256(0x01 ‖ left ‖ right)
 *   MTH({})    = SHA-256()                       (e3b0c442…)
 *   MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n]))  k = the largest power of two smaller than n
 */
export type Hash = Buffer;

export const HASH_SIZE = 32;
export const EMPTY_ROOT: Hash = createHash('sha256').digest();

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function leafHash(data: Uint8Array): Hash {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Hash {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  if (n < 2) throw new RangeError(`no split for a tree of ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(leaves: readonly Uint8Array[], size: number): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > leaves.length) {
    throw new RangeError(`tree size ${size} outside 0..${leaves.length}`);
  }
}

/** MTH over leaf hashes [start, end). O(end - start) hashes, recursion depth O(log n). */
export function merkleRoot(leafHashes: readonly Uint8Array[], start = 0, end = leafHashes.length): Hash {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return Buffer.from(leafHashes[start]);
  const k = splitPoint(n);
  return nodeHash(merkleRoot(leafHashes, start, start + k), merkleRoot(leafHashes, start + k, end));
}

/** PATH(m, D[n]) of RFC 6962 §2.1.1: the audit path of leaf m in the tree of the first `size` leaves, bottom-up. */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size = leafHashes.length): Hash[] {
  checkSize(leafHashes, size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError(`leaf ${index} not in a tree of ${size}`);
  const path: Hash[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(merkleRoot(leafHashes, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(merkleRoot(leafHashes, start, start + k));
    }
  };
  walk(index, 0, size);
  return path;
}

/** PROOF(m, D[n]) of RFC 6962 §2.1.2: proves the tree of the first m leaves is a prefix of the tree of n. */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number, n = leafHashes.length): Hash[] {
  checkSize(leafHashes, n);
  if (!Number.isSafeInteger(m) || m < 0 || m > n) throw new RangeError(`consistency from ${m} to ${n} is undefined`);
  if (m === 0 || m === n) return [];
  const proof: Hash[] = [];
  const sub = (m: number, start: number, end: number, b: boolean): void => {
    const size = end - start;
    if (m === size) {
      if (!b) proof.push(merkleRoot(leafHashes, start, end));
      return;
    }
    const k = splitPoint(size);
    if (m <= k) {
      sub(m, start, start + k, b);
      proof.push(merkleRoot(leafHashes, start + k, end));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(merkleRoot(leafHashes, start, start + k));
    }
  };
  sub(m, 0, n, true);
  return proof;
}

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH_SIZE;
const odd = (x: number) => x % 2 === 1;
const half = (x: number) => Math.floor(x / 2);
function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}

/** RFC 9162 §2.1.3.2: recompute the root from a leaf hash, its index, the tree size and the audit path. */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, path: readonly Uint8Array[]): Hash | null {
  if (!isHash(leaf) || !Array.isArray(path) || !path.every(isHash)) return null;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r: Hash = Buffer.from(leaf);
  for (const p of path) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}

export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(root)) return false;
  const r = rootFromInclusionProof(leaf, index, size, path);
  return r !== null && r.equals(root);
}

/** RFC 9162 §2.1.4.2: does `proof` show the tree (size1, root1) is a prefix of the tree (size2, root2)? */
export function verifyConsistency(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isHash(root1) || !isHash(root2) || !Array.isArray(proof) || !proof.every(isHash)) return false;
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < size1) return false;
  // Degenerate cases as in the reference (transparency-dev) verifier: nothing to prove, so the proof must be empty.
  if (size1 === 0) return proof.length === 0 && Buffer.from(root1).equals(EMPTY_ROOT);
  if (size1 === size2) return proof.length === 0 && Buffer.from(root1).equals(root2);
  if (proof.length === 0) return false;
  const path = [...proof];
  // An exact power of two is a complete subtree of the new tree: its root is the first node of the path.
  if (isPowerOfTwo(size1)) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr: Hash = Buffer.from(path[0]);
  let sr: Hash = Buffer.from(path[0]);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/**
 * The right edge of a growing tree (a "compact range" from 0): one perfect-subtree root per set bit of the size.
 * Appending is O(1) amortised, the root O(log n), and it needs O(log n) memory — the sealer keeps one instead of
 * rehashing the whole log for every checkpoint.
 */
export class MerkleFrontier {
  /** Perfect subtree roots, largest (leftmost) first; their sizes are the set bits of `size`, descending. */
  private nodes: Hash[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(leaf: Uint8Array): void {
    let h: Hash = Buffer.from(leaf);
    // Merge equal-sized subtrees: one per trailing one-bit of the old size.
    let c = this.count;
    while (odd(c)) {
      h = nodeHash(this.nodes.pop()!, h);
      c = half(c);
    }
    this.nodes.push(h);
    this.count += 1;
  }

  root(): Hash {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1];
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i], r);
    return r;
  }

  clone(): MerkleFrontier {
    const f = new MerkleFrontier();
    f.nodes = [...this.nodes];
    f.count = this.count;
    return f;
  }
}

export const toHex = (h: Uint8Array): string => Buffer.from(h).toString('hex');

export function fromHex(hex: string): Hash {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/i.test(hex)) throw new TypeError('a SHA-256 hash is 64 hex digits');
  return Buffer.from(hex, 'hex');
}
