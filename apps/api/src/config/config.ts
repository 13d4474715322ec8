import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EvidenceConfig } from '../evidence/storage/evidence-config';
import {
  appDatabaseUrl,
  EVENT_SIGNING_KEY,
  type EventSigner,
  type EventStoreSelection,
  loadSigningKey,
  resolveDatabase,
  selectEventStore,
} from '@duban/event-store';

export interface DubanConfig {
  /** The owner's connection: migrations only. */
  adminDatabaseUrl: string;
  /** The application role's connection: everything else. */
  appDatabaseUrl: string;
  port: number;
  jwtSecret: string;
  logLevel: string;
  /** Signs every appended event (DUBAN_EVENT_SIGNING_KEY); absent, the development key in `.duban/keys`. */
  eventSigner?: EventSigner;
  /** `EVENT_STORE` / `KURRENTDB_URL`; absent, PostgreSQL. */
  eventStore?: EventStoreSelection;
  /** Evidence storage and limits (DUBAN_EVIDENCE_*); absent, read from the environment when the API starts. */
  evidence?: EvidenceConfig;
}

export const DUBAN_CONFIG = Symbol('DUBAN_CONFIG');

/** The repository's `.duban/keys`, next to the embedded database's data. */
const defaultKeyDir = (): string => resolve(__dirname, '..', '..', '..', '..', '.duban', 'keys');

/**
 * The HS256 secret: `JWT_SECRET`, or — never in production — a random development secret generated on first start in
 * `.duban/keys/jwt-secret` (0600) and reused after, so no secret that anyone can read in the source signs tokens.
 */
export function loadJwtSecret(env: NodeJS.ProcessEnv = process.env, keyDir = defaultKeyDir()): string {
  const configured = env.JWT_SECRET?.trim();
  if (configured) {
    if (configured.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    return configured;
  }
  if (env.NODE_ENV === 'production') throw new Error('JWT_SECRET must be set in production');
  const path = join(keyDir, 'jwt-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': an API and a `npm run tokens` starting together never overwrite each other's secret.
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return readFileSync(path, 'utf8').trim();
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DubanConfig {
  // Without DATABASE_URL, the embedded server that `npm start` runs, found the way every CLI finds it.
  const adminDatabaseUrl = resolveDatabase(env).adminUrl;
  const jwtSecret = loadJwtSecret(env);
  return {
    adminDatabaseUrl,
    appDatabaseUrl: appDatabaseUrl(adminDatabaseUrl, env),
    port: Number(env.PORT ?? 3000),
    jwtSecret,
    logLevel: env.LOG_LEVEL ?? 'info',
    eventSigner: loadSigningKey(EVENT_SIGNING_KEY, env).signer,
    eventStore: selectEventStore(env),
  };
}
