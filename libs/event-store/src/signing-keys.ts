import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CheckpointSigner, ed25519Signer } from './merkle/checkpoint';

/** Where one of the server's Ed25519 keys comes from: its variable, its public half's variable, its development file. */
export interface SigningKeySpec {
  variable: string;
  publicVariable: string;
  devFile: string;
}

/** Signs every event's chain hash as it is appended (API and worker), so an INSERT without the key is a forgery. */
export const EVENT_SIGNING_KEY: SigningKeySpec = {
  variable: 'DUBAN_EVENT_SIGNING_KEY',
  publicVariable: 'DUBAN_EVENT_PUBLIC_KEY',
  devFile: 'event-signing-key.pem',
};

/** Signs the Merkle log's checkpoints (worker). */
export const LOG_SIGNING_KEY: SigningKeySpec = {
  variable: 'DUBAN_LOG_SIGNING_KEY',
  publicVariable: 'DUBAN_LOG_PUBLIC_KEY',
  devFile: 'log-signing-key.pem',
};

export interface LoadedSigningKey {
  signer: CheckpointSigner;
  /** Where the key came from, for the start-up log line (never the key itself). */
  source: string;
  path?: string;
}

/** The repository's `.duban/keys`, next to the embedded database's data. */
export function defaultKeyDir(): string {
  return resolve(__dirname, '..', '..', '..', '.duban', 'keys');
}

/**
 * A server key: the variable holds a PKCS#8 PEM (Ed25519) or the path of one. Unset, a development key is generated on
 * first start under `.duban/keys/` (mode 0600) and reused afterwards; production refuses to run without a configured
 * key, since a key minted on the server proves less than one held in custody. The database never holds it.
 */
export function loadSigningKey(spec: SigningKeySpec, env: NodeJS.ProcessEnv = process.env, keyDir = defaultKeyDir()): LoadedSigningKey {
  const configured = env[spec.variable]?.trim();
  if (configured) {
    if (configured.startsWith('-----BEGIN')) return { signer: ed25519Signer(parsePrivatePem(configured, spec)), source: `${spec.variable} (PEM)` };
    const path = resolve(configured);
    return { signer: ed25519Signer(parsePrivatePem(readFileSync(path, 'utf8'), spec)), source: `${spec.variable} (file)`, path };
  }
  if (env.NODE_ENV === 'production') throw new Error(`${spec.variable} must be set in production`);
  const path = join(keyDir, spec.devFile);
  const reuse = (): LoadedSigningKey => ({ signer: ed25519Signer(parsePrivatePem(readFileSync(path, 'utf8'), spec)), source: 'development key (reused)', path });
  if (existsSync(path)) return reuse();
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // 'wx': two processes starting together never overwrite each other's key; the loser reads the winner's.
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return reuse();
    throw err;
  }
  chmodSync(path, 0o600);
  return { signer: ed25519Signer(privateKey), source: 'development key (generated)', path };
}

/**
 * The public keys a verifier trusts, in order of preference: given on the command line, the public variable (PEM or
 * path), the configured private key's public half, the development key file. Null when there is none.
 */
export function trustedPublicKeys(
  spec: SigningKeySpec,
  given: string[],
  env: NodeJS.ProcessEnv = process.env,
  keyDir = defaultKeyDir(),
): { keys: KeyObject[]; from: string } | null {
  const pem = (v: string) => (v.startsWith('-----BEGIN') ? v : readFileSync(v, 'utf8'));
  if (given.length) return { keys: given.map((k) => createPublicKey(k)), from: '--public-key' };
  const published = env[spec.publicVariable]?.trim();
  if (published) return { keys: [createPublicKey(pem(published))], from: spec.publicVariable };
  const signing = env[spec.variable]?.trim();
  if (signing) return { keys: [createPublicKey(pem(signing))], from: spec.variable };
  const dev = join(keyDir, spec.devFile);
  if (existsSync(dev)) return { keys: [createPublicKey(readFileSync(dev, 'utf8'))], from: `development key ${dev}` };
  return null;
}

function parsePrivatePem(pem: string, spec: SigningKeySpec): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${spec.variable} must be an Ed25519 private key (PKCS#8 PEM)`);
  return key;
}
