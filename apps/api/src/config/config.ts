import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { EvidenceConfig } from '../evidence/storage/evidence-config';
import {
  appDatabaseUrl,
  DEFAULT_APP_PASSWORD,
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
  /** NODE_ENV=production: no development secrets, no development tokens, no development sign-in. */
  production?: boolean;
  /** Sign-in settings; absent, the defaults of `authSettings`. */
  auth?: Partial<AuthSettings>;
  /**
   * Express's `trust proxy` (DUBAN_TRUST_PROXY: `loopback`, a hop count, addresses): behind a reverse proxy the
   * client address — what lockouts count and the audit trail records — is the forwarded one, not the proxy's.
   */
  trustProxy?: string | number;
}

export interface LockoutSettings {
  /** Failures in a row that lock. */
  threshold: number;
  /** The first lockout; each further one in a row doubles it. */
  baseSeconds: number;
  maxSeconds: number;
}

/** A provincial 政务 identity provider (OpenID Connect, authorization code with PKCE). */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  /** The ID token / userinfo claim that names the person (e.g. `phone_number`, `sub`). */
  claim: string;
  /** Claim value → Duban user id; absent, the claim is matched against the local accounts' phone and login. */
  subjectMap: Record<string, string> | null;
  /** Where the browser goes after the callback, tokens in the fragment; absent, the callback answers JSON. */
  postLoginRedirect: string | null;
  /** Plain-HTTP issuers (a test provider on localhost); never in production. */
  allowInsecureIssuer: boolean;
}

export interface AuthSettings {
  accessTokenTtlSeconds: number;
  refreshIdleSeconds: number;
  refreshAbsoluteSeconds: number;
  accountLockout: LockoutSettings;
  addressLockout: LockoutSettings;
  /** Refuse bearer tokens without a session (`sid`): in production only sign-in issues tokens. */
  requireSession: boolean;
  oidc: OidcSettings | null;
}

const AUTH_DEFAULTS: AuthSettings = {
  accessTokenTtlSeconds: 15 * 60,
  refreshIdleSeconds: 12 * 3600,
  refreshAbsoluteSeconds: 7 * 24 * 3600,
  accountLockout: { threshold: 5, baseSeconds: 60, maxSeconds: 3600 },
  // One county office's NAT carries many people: the address threshold is higher than one account's.
  addressLockout: { threshold: 20, baseSeconds: 60, maxSeconds: 3600 },
  requireSession: false,
  oidc: null,
};

/** The sign-in settings in force, defaults filled in. */
export const authSettings = (config: Pick<DubanConfig, 'auth' | 'production'>): AuthSettings => ({
  ...AUTH_DEFAULTS,
  requireSession: !!config.production,
  ...config.auth,
});

/** The web app's development sign-in (`POST /auth/dev-sign-in`) and `npm run tokens`: never in production. */
export const devSignInAllowed = (config: Pick<DubanConfig, 'production'>): boolean => !config.production;

/** Refuses a development-only tool under NODE_ENV=production. */
export function refuseInProduction(tool: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV === 'production') throw new Error(`${tool} is for development only and refuses to run with NODE_ENV=production`);
}

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`${name} must be a positive whole number, not ${raw}`);
  return Number(raw);
};

function loadSubjectMap(raw: string | undefined): Record<string, string> | null {
  const text = raw?.trim();
  if (!text) return null;
  const json = text.startsWith('{') ? text : readFileSync(text, 'utf8');
  const parsed = JSON.parse(json) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== 'string')) {
    throw new Error('DUBAN_OIDC_SUBJECT_MAP must be a JSON object of claim value → user id (or the path of one)');
  }
  return parsed as Record<string, string>;
}

/** Single sign-on is on when DUBAN_OIDC_ISSUER is set; then client id, secret and redirect URI are required. */
export function loadOidcSettings(env: NodeJS.ProcessEnv = process.env): OidcSettings | null {
  const issuer = env.DUBAN_OIDC_ISSUER?.trim();
  if (!issuer) return null;
  const need = (name: string): string => {
    const v = env[name]?.trim();
    if (!v) throw new Error(`${name} must be set when DUBAN_OIDC_ISSUER is`);
    return v;
  };
  const production = env.NODE_ENV === 'production';
  if (production && !issuer.startsWith('https://')) throw new Error('DUBAN_OIDC_ISSUER must be https:// in production');
  return {
    issuer,
    clientId: need('DUBAN_OIDC_CLIENT_ID'),
    clientSecret: need('DUBAN_OIDC_CLIENT_SECRET'),
    redirectUri: need('DUBAN_OIDC_REDIRECT_URI'),
    scope: env.DUBAN_OIDC_SCOPE?.trim() || 'openid profile phone',
    claim: env.DUBAN_OIDC_CLAIM?.trim() || 'phone_number',
    subjectMap: loadSubjectMap(env.DUBAN_OIDC_SUBJECT_MAP),
    postLoginRedirect: env.DUBAN_OIDC_POST_LOGIN_REDIRECT?.trim() || null,
    allowInsecureIssuer: !production && issuer.startsWith('http://'),
  };
}

export function loadAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const lockout = (prefix: string, d: LockoutSettings): LockoutSettings => ({
    threshold: positiveInt(env, `${prefix}_THRESHOLD`, d.threshold),
    baseSeconds: positiveInt(env, `${prefix}_SECONDS`, d.baseSeconds),
    maxSeconds: positiveInt(env, `${prefix}_MAX_SECONDS`, d.maxSeconds),
  });
  return {
    accessTokenTtlSeconds: positiveInt(env, 'DUBAN_ACCESS_TOKEN_TTL_SECONDS', AUTH_DEFAULTS.accessTokenTtlSeconds),
    refreshIdleSeconds: positiveInt(env, 'DUBAN_REFRESH_IDLE_SECONDS', AUTH_DEFAULTS.refreshIdleSeconds),
    refreshAbsoluteSeconds: positiveInt(env, 'DUBAN_REFRESH_ABSOLUTE_SECONDS', AUTH_DEFAULTS.refreshAbsoluteSeconds),
    accountLockout: lockout('DUBAN_LOCKOUT', AUTH_DEFAULTS.accountLockout),
    addressLockout: lockout('DUBAN_ADDRESS_LOCKOUT', AUTH_DEFAULTS.addressLockout),
    requireSession: env.NODE_ENV === 'production',
    oidc: loadOidcSettings(env),
  };
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

const trustProxyOf = (raw: string | undefined): string | number | undefined => {
  const v = raw?.trim();
  if (!v) return undefined;
  return /^\d+$/.test(v) ? Number(v) : v;
};

/** Production refuses the development defaults anyone can read in the source: the application role's password. */
function refuseDevelopmentDefaults(env: NodeJS.ProcessEnv): void {
  if (env.NODE_ENV !== 'production' || env.APP_DATABASE_URL?.trim()) return;
  const password = env.DUBAN_APP_PASSWORD?.trim();
  if (!password || password === DEFAULT_APP_PASSWORD) throw new Error('DUBAN_APP_PASSWORD (or APP_DATABASE_URL) must be set to a non-default value in production');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DubanConfig {
  refuseDevelopmentDefaults(env);
  // Without DATABASE_URL, the embedded server that `npm start` runs, found the way every CLI finds it.
  const adminDatabaseUrl = resolveDatabase(env).adminUrl;
  const jwtSecret = loadJwtSecret(env);
  return {
    production: env.NODE_ENV === 'production',
    auth: loadAuthSettings(env),
    trustProxy: trustProxyOf(env.DUBAN_TRUST_PROXY),
    adminDatabaseUrl,
    appDatabaseUrl: appDatabaseUrl(adminDatabaseUrl, env),
    port: Number(env.PORT ?? 3000),
    jwtSecret,
    logLevel: env.LOG_LEVEL ?? 'info',
    eventSigner: loadSigningKey(EVENT_SIGNING_KEY, env).signer,
    eventStore: selectEventStore(env),
  };
}
