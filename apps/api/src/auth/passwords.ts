import { hash, verify } from '@node-rs/argon2';
import { createHash, randomBytes, randomInt } from 'node:crypto';

// argon2id (the enum is a `const enum` the compiler cannot inline across packages under isolated modules).
const ARGON2ID = 2;
/** OWASP's argon2id floor: 19 MiB, two passes, one lane. */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** A hash of nothing anyone knows: an unknown login is verified against it, so it costs what a known one does. */
let decoy: Promise<string> | null = null;

/** True when `password` matches; an unknown login (`stored` null) spends the same time and answers false. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  const against = stored ?? (await (decoy ??= hashPassword(randomBytes(24).toString('base64url'))));
  try {
    const ok = await verify(against, password);
    return ok && stored !== null;
  } catch {
    return false;
  }
}

// No 0/O, 1/l/I: an administrator reads it out over the phone.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time temporary password: 14 characters, letters and digits both. */
export function temporaryPassword(): string {
  for (;;) {
    const p = Array.from({ length: 14 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    if (/\d/.test(p) && /[a-zA-Z]/.test(p)) return p;
  }
}

/** A random opaque token (refresh token, OIDC state); only its sha256 is ever stored. */
export const opaqueToken = (): string => randomBytes(32).toString('base64url');
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
