import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import {
  checkpointText,
  consistencyProof,
  ed25519Signer,
  EMPTY_ROOT,
  fromHex,
  inclusionProof,
  leafHash,
  MerkleFrontier,
  merkleRoot,
  nodeHash,
  signCheckpoint,
  toHex,
  verifyCheckpointSignature,
  verifyConsistency,
  verifyInclusion,
} from '.';

// The reference vectors of certificate-transparency / transparency-dev (merkle/testonly): leaf inputs, the
// roots of the trees of their first 1..8 leaves, and a few audit paths and consistency proofs.
const INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const LEAVES = INPUTS.map((h) => leafHash(Buffer.from(h, 'hex')));
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, path: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, path: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { index: 2, size: 3, path: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  { index: 1, size: 5, path: ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
  { index: 0, size: 1, path: [] },
];
const CONSISTENCY = [
  { m: 1, n: 1, proof: [] },
  { m: 1, n: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { m: 6, n: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { m: 2, n: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

describe('RFC 6962 Merkle tree (reference vectors)', () => {
  it('hashes the empty tree, leaves (0x00) and nodes (0x01) as the RFC says', () => {
    expect(toHex(EMPTY_ROOT)).toBe(ROOTS[0]);
    expect(toHex(merkleRoot([]))).toBe(ROOTS[0]);
    expect(toHex(leafHash(Buffer.alloc(0)))).toBe(ROOTS[1]);
    // A two-leaf tree by hand: SHA-256(0x01 ‖ leaf0 ‖ leaf1).
    expect(toHex(nodeHash(LEAVES[0], LEAVES[1]))).toBe(ROOTS[2]);
    // Three leaves by hand: the split is at 2, the third leaf is promoted unchanged.
    expect(toHex(nodeHash(nodeHash(LEAVES[0], LEAVES[1]), LEAVES[2]))).toBe(ROOTS[3]);
  });

  it('matches the published root of every tree of 0..8 leaves, recursively and through the frontier', () => {
    const f = new MerkleFrontier();
    expect(toHex(f.root())).toBe(ROOTS[0]);
    for (let n = 1; n <= 8; n++) {
      expect(toHex(merkleRoot(LEAVES.slice(0, n)))).toBe(ROOTS[n]);
      f.push(LEAVES[n - 1]);
      expect(toHex(f.root())).toBe(ROOTS[n]);
    }
  });

  it.each(INCLUSION)('audit path of leaf $index in a tree of $size', ({ index, size, path }) => {
    expect(inclusionProof(LEAVES, index, size).map(toHex)).toEqual(path);
    expect(verifyInclusion(LEAVES[index], index, size, path.map(fromHex), fromHex(ROOTS[size]))).toBe(true);
  });

  it.each(CONSISTENCY)('consistency proof from $m to $n', ({ m, n, proof }) => {
    expect(consistencyProof(LEAVES, m, n).map(toHex)).toEqual(proof);
    expect(verifyConsistency(m, n, fromHex(ROOTS[m]), fromHex(ROOTS[n]), proof.map(fromHex))).toBe(true);
  });

  it('rejects malformed arguments instead of guessing', () => {
    const path = inclusionProof(LEAVES, 5, 8);
    const root8 = fromHex(ROOTS[8]);
    expect(verifyInclusion(LEAVES[5], 8, 8, path, root8)).toBe(false);
    expect(verifyInclusion(LEAVES[5], -1, 8, path, root8)).toBe(false);
    expect(verifyInclusion(LEAVES[5], 5, 8, [...path, path[0]], root8)).toBe(false);
    expect(verifyInclusion(LEAVES[5], 5, 8, path.slice(1), root8)).toBe(false);
    expect(verifyInclusion(Buffer.alloc(31), 5, 8, path, root8)).toBe(false);
    expect(verifyConsistency(8, 6, root8, fromHex(ROOTS[6]), consistencyProof(LEAVES, 6, 8))).toBe(false);
    expect(verifyConsistency(6, 8, fromHex(ROOTS[6]), root8, [])).toBe(false);
    expect(verifyConsistency(4, 4, fromHex(ROOTS[4]), fromHex(ROOTS[5]), [])).toBe(false);
    expect(verifyConsistency(0, 8, EMPTY_ROOT, root8, [])).toBe(true);
    expect(() => inclusionProof(LEAVES, 8, 8)).toThrow(RangeError);
    expect(() => consistencyProof(LEAVES, 5, 3)).toThrow(RangeError);
  });
});

const leafArb = fc.uint8Array({ minLength: 0, maxLength: 12 }).map((b) => leafHash(b));
const treeArb = fc.array(leafArb, { minLength: 1, maxLength: 70 });
const flip = (h: Buffer, byte: number, bit: number): Buffer => {
  const c = Buffer.from(h);
  c[byte % c.length] ^= 1 << (bit % 8);
  return c;
};

describe('RFC 6962 Merkle tree (properties)', () => {
  it('the frontier root equals the recursive MTH at every size', () => {
    fc.assert(
      fc.property(treeArb, (leaves) => {
        const f = new MerkleFrontier();
        leaves.forEach((l, i) => {
          f.push(l);
          expect(f.root().equals(merkleRoot(leaves, 0, i + 1))).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('any leaf of any tree verifies; a flipped byte in the leaf, path or root fails', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), fc.nat(), fc.nat(), (leaves, i0, pick, byte, bit) => {
        const n = leaves.length;
        const i = i0 % n;
        const root = merkleRoot(leaves);
        const path = inclusionProof(leaves, i, n);
        expect(verifyInclusion(leaves[i], i, n, path, root)).toBe(true);
        expect(verifyInclusion(flip(leaves[i], byte, bit), i, n, path, root)).toBe(false);
        expect(verifyInclusion(leaves[i], i, n, path, flip(root, byte, bit))).toBe(false);
        if (path.length) {
          const forged = [...path];
          forged[pick % path.length] = flip(forged[pick % path.length], byte, bit);
          expect(verifyInclusion(leaves[i], i, n, forged, root)).toBe(false);
        }
        // The same proof claimed for another leaf (or another index) does not verify unless the leaves are equal.
        const j = (i + 1 + (pick % n)) % n;
        if (j !== i && !leaves[j].equals(leaves[i])) expect(verifyInclusion(leaves[j], i, n, path, root)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('consistency between any m ≤ n verifies; a forged proof or a changed prefix fails', () => {
    fc.assert(
      fc.property(treeArb, fc.nat(), fc.nat(), fc.nat(), fc.nat(), (leaves, m0, pick, byte, bit) => {
        const n = leaves.length;
        const m = m0 % (n + 1);
        const r1 = merkleRoot(leaves, 0, m);
        const r2 = merkleRoot(leaves);
        const proof = consistencyProof(leaves, m, n);
        expect(verifyConsistency(m, n, r1, r2, proof)).toBe(true);
        if (m > 0 && m < n) {
          const forged = [...proof];
          forged[pick % proof.length] = flip(forged[pick % proof.length], byte, bit);
          expect(verifyConsistency(m, n, r1, r2, forged)).toBe(false);
          expect(verifyConsistency(m, n, flip(r1, byte, bit), r2, proof)).toBe(false);
          expect(verifyConsistency(m, n, r1, flip(r2, byte, bit), proof)).toBe(false);
          // A history that rewrote an old leaf has a different old root: the new tree does not extend it.
          const rewritten = [...leaves];
          rewritten[pick % m] = flip(rewritten[pick % m], byte, bit);
          expect(verifyConsistency(m, n, merkleRoot(rewritten, 0, m), r2, proof)).toBe(false);
          expect(verifyConsistency(m, n, r1, merkleRoot(rewritten), consistencyProof(rewritten, m, n))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('signed checkpoints (Ed25519)', () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519Signer(privateKey);
  const body = { treeSize: 8, rootHash: ROOTS[8], timestamp: '2026-11-23T02:00:00.000Z' };

  it('signs the canonical text and verifies with the public key alone', () => {
    expect(checkpointText(body)).toBe(`duban-log-v1\n8\n${ROOTS[8]}\n2026-11-23T02:00:00.000Z`);
    const cp = signCheckpoint(body, signer);
    expect(signer.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(verifyCheckpointSignature(cp, signer.publicKeyPem)).toBe(true);
  });

  it('rejects a changed size, root, time, signature or another key', () => {
    const cp = signCheckpoint(body, signer);
    expect(verifyCheckpointSignature({ ...cp, treeSize: 9 }, signer.publicKeyPem)).toBe(false);
    expect(verifyCheckpointSignature({ ...cp, rootHash: ROOTS[7] }, signer.publicKeyPem)).toBe(false);
    expect(verifyCheckpointSignature({ ...cp, timestamp: '2026-11-23T02:00:00.001Z' }, signer.publicKeyPem)).toBe(false);
    const sig = Buffer.from(cp.signature, 'base64');
    sig[10] ^= 1;
    expect(verifyCheckpointSignature({ ...cp, signature: sig.toString('base64') }, signer.publicKeyPem)).toBe(false);
    const other = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
    expect(verifyCheckpointSignature(signCheckpoint(body, other), signer.publicKeyPem)).toBe(false);
    expect(verifyCheckpointSignature({ ...signCheckpoint(body, other), keyId: signer.keyId }, signer.publicKeyPem)).toBe(false);
  });
});
