import { createHash } from 'node:crypto';
import {
  consistencyProof,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from '../libs/event-store/src/merkle';

/**
 * `node -r @swc-node/register bench/merkle-log.bench.ts [sizes…]`: CPU cost of the Merkle log's O(n) steps (the
 * proofs and the verifier rehash every leaf of the tree) against the sealer's O(batch) frontier, at 100k and 1M
 * leaves. Not part of `npm run bench` (no database); a measurement for the decision documented in merkle-log.ts.
 */
function time<T>(f: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = f();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
for (const n of sizes.length ? sizes : [100_000, 1_000_000]) {
  const [leaves, tLeaves] = time(() =>
    Array.from({ length: n }, (_, i) => leafHash(createHash('sha256').update(String(i)).digest())),
  );
  const [root, tRoot] = time(() => merkleRoot(leaves));
  const [frontier, tFrontier] = time(() => {
    const f = new MerkleFrontier();
    for (const l of leaves) f.push(l);
    return f;
  });
  if (!frontier.root().equals(root)) throw new Error('frontier and MTH disagree');
  const [, tAppend] = time(() => {
    const f = frontier.clone();
    for (let i = 0; i < 1000; i++) f.push(leaves[i]);
    return f.root();
  });
  const idx = Math.floor(n * 0.37);
  const [path, tInc] = time(() => inclusionProof(leaves, idx, n));
  const [ok1, tVerInc] = time(() => verifyInclusion(leaves[idx], idx, n, path, root));
  const m = Math.floor(n * 0.61);
  const [proof, tCons] = time(() => consistencyProof(leaves, m, n));
  const [ok2, tVerCons] = time(() => verifyConsistency(m, n, merkleRoot(leaves, 0, m), root, proof));
  if (!ok1 || !ok2) throw new Error('proof did not verify');
  process.stdout.write(
    `${n.toLocaleString('en')} leaves: leaf hashes ${tLeaves.toFixed(0)} ms; MTH root ${tRoot.toFixed(0)} ms; ` +
      `frontier from scratch ${tFrontier.toFixed(0)} ms; +1000 leaves and root on a kept frontier ${tAppend.toFixed(2)} ms; ` +
      `inclusion proof ${tInc.toFixed(0)} ms (${path.length} hashes), verify ${tVerInc.toFixed(2)} ms; ` +
      `consistency proof ${tCons.toFixed(0)} ms (${proof.length} hashes), verify ${tVerCons.toFixed(0)} ms (incl. the old root's MTH); ` +
      `heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB\n`,
  );
}
