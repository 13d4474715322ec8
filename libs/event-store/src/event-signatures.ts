import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { type CheckpointSigner, keyIdOf } from './merkle/checkpoint';

/**
 * Every event's chain hash is signed with a server key the database does not hold (Ed25519 over
 * `duban-event-v1\n<hash hex>`). The chain alone proves order and content, but its algorithm is public: anyone who can
 * INSERT can compute a valid next hash. The signature is what only the API and the worker can produce.
 */
export const EVENT_SIGNATURE_ORIGIN = 'duban-event-v1';

export type EventSigner = CheckpointSigner;

export const eventSignatureText = (hash: string): string => `${EVENT_SIGNATURE_ORIGIN}\n${hash}`;

export function signEventHash(signer: EventSigner, hash: string): { keyId: string; signature: string } {
  return { keyId: signer.keyId, signature: signer.sign(eventSignatureText(hash)).toString('base64') };
}

/** Public keys by key id, as a verifier trusts them. */
export function keyRing(keys: ReadonlyArray<KeyObject | string>): Map<string, KeyObject> {
  return new Map(
    keys.map((k) => {
      const key = typeof k === 'string' ? createPublicKey(k) : k;
      return [keyIdOf(key), key] as const;
    }),
  );
}

export function verifyEventSignature(hash: string, keyId: string, signature: string, ring: ReadonlyMap<string, KeyObject>): boolean {
  const key = ring.get(keyId);
  if (!key) return false;
  try {
    const sig = Buffer.from(signature, 'base64');
    return sig.length === 64 && verify(null, Buffer.from(eventSignatureText(hash), 'utf8'), key, sig);
  } catch {
    return false;
  }
}
