import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';

/**
 * A signed checkpoint (signed tree head): the log's size and Merkle root at a moment, signed with Ed25519.
 * The signature covers exactly this text (UTF-8, no trailing newline), so an inspector can rebuild and check it with
 * any Ed25519 tool (e.g. `openssl pkeyutl -verify -rawin`):
 *
 *   duban-log-v1
 *   <tree size, decimal>
 *   <root hash, 64 lower-case hex digits>
 *   <timestamp, ISO 8601 UTC with milliseconds>
 */
export const CHECKPOINT_ORIGIN = 'duban-log-v1';

export interface CheckpointBody {
  treeSize: number;
  rootHash: string;
  timestamp: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  keyId: string;
  /** Ed25519 signature over `checkpointText`, base64. */
  signature: string;
}

export function checkpointText(c: CheckpointBody): string {
  if (!Number.isSafeInteger(c.treeSize) || c.treeSize < 0) throw new RangeError('tree size must be a whole number');
  if (!/^[0-9a-f]{64}$/.test(c.rootHash)) throw new TypeError('root hash must be 64 lower-case hex digits');
  if (new Date(c.timestamp).toISOString() !== c.timestamp) throw new TypeError('timestamp must be ISO 8601 UTC');
  return `${CHECKPOINT_ORIGIN}\n${c.treeSize}\n${c.rootHash}\n${c.timestamp}`;
}

/** Key id: the first 16 hex digits of SHA-256 over the public key's SPKI DER encoding. */
export function keyIdOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  sign(text: string): Buffer;
}

/** A signer over an Ed25519 private key object (node:crypto, no extra package). */
export function ed25519Signer(privateKey: KeyObject): CheckpointSigner {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new TypeError('the log signing key must be an Ed25519 key');
  const publicKey = createPublicKey(privateKey);
  return {
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (text) => sign(null, Buffer.from(text, 'utf8'), privateKey),
  };
}

export function signCheckpoint(body: CheckpointBody, signer: CheckpointSigner): SignedCheckpoint {
  return { ...body, keyId: signer.keyId, signature: signer.sign(checkpointText(body)).toString('base64') };
}

/** True when the signature is a valid Ed25519 signature by `publicKey` over the checkpoint's text. */
export function verifyCheckpointSignature(c: SignedCheckpoint, publicKey: KeyObject | string): boolean {
  try {
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    if (key.asymmetricKeyType !== 'ed25519') return false;
    if (keyIdOf(key) !== c.keyId) return false;
    const sig = Buffer.from(c.signature, 'base64');
    if (sig.length !== 64) return false;
    return verify(null, Buffer.from(checkpointText(c), 'utf8'), key, sig);
  } catch {
    return false;
  }
}
