import { createPrivateKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CheckpointSigner, ed25519Signer } from '@duban/event-store';

export interface LoadedSigningKey {
  signer: CheckpointSigner;
  /** Where the key came from, for the start-up log line (never the key itself). */
  source: 'DUBAN_LOG_SIGNING_KEY (PEM)' | 'DUBAN_LOG_SIGNING_KEY (file)' | 'development key (generated)' | 'development key (reused)';
  path?: string;
}

export const DEV_KEY_FILE = 'log-signing-key.pem';

/** The repository's `.duban/keys`, next to the embedded database's data. */
export function defaultKeyDir(): string {
  return resolve(__dirname, '..', '..', '..', '..', '.duban', 'keys');
}

/**
 * The checkpoint signing key: `DUBAN_LOG_SIGNING_KEY` holds a PKCS#8 PEM (Ed25519) or the path of one. Unset, a
 * development key is generated on first start under `.duban/keys/` (mode 0600) and reused afterwards; production
 * refuses to run without a configured key, since a key minted on the server proves less than one held in custody.
 */
export function loadLogSigningKey(env: NodeJS.ProcessEnv = process.env, keyDir = defaultKeyDir()): LoadedSigningKey {
  const configured = env.DUBAN_LOG_SIGNING_KEY?.trim();
  if (configured) {
    if (configured.startsWith('-----BEGIN')) return { signer: ed25519Signer(parsePem(configured)), source: 'DUBAN_LOG_SIGNING_KEY (PEM)' };
    const path = resolve(configured);
    return { signer: ed25519Signer(parsePem(readFileSync(path, 'utf8'))), source: 'DUBAN_LOG_SIGNING_KEY (file)', path };
  }
  if (env.NODE_ENV === 'production') throw new Error('DUBAN_LOG_SIGNING_KEY must be set in production');
  const path = join(keyDir, DEV_KEY_FILE);
  if (existsSync(path)) return { signer: ed25519Signer(parsePem(readFileSync(path, 'utf8'))), source: 'development key (reused)', path };
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // 'wx': two workers starting together never overwrite each other's key; the loser reads the winner's.
  try {
    writeFileSync(path, pem, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      return { signer: ed25519Signer(parsePem(readFileSync(path, 'utf8'))), source: 'development key (reused)', path };
    }
    throw err;
  }
  chmodSync(path, 0o600);
  return { signer: ed25519Signer(privateKey), source: 'development key (generated)', path };
}

function parsePem(pem: string): KeyObject {
  const key = createPrivateKey({ key: pem, format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('DUBAN_LOG_SIGNING_KEY must be an Ed25519 private key (PKCS#8 PEM)');
  return key;
}
