import { appDatabaseUrl, resolveDatabase } from '@duban/event-store';

export interface DubanConfig {
  /** The owner's connection: migrations only. */
  adminDatabaseUrl: string;
  /** The application role's connection: everything else. */
  appDatabaseUrl: string;
  port: number;
  jwtSecret: string;
  logLevel: string;
}

export const DUBAN_CONFIG = Symbol('DUBAN_CONFIG');

/** A development secret is fine on a developer's machine and refused in production. */
const DEV_JWT_SECRET = 'duban-dev-secret-do-not-use-in-production';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): DubanConfig {
  // Without DATABASE_URL, the embedded server that `npm start` runs, found the way every CLI finds it.
  const adminDatabaseUrl = resolveDatabase(env).adminUrl;
  const jwtSecret = env.JWT_SECRET ?? (env.NODE_ENV === 'production' ? '' : DEV_JWT_SECRET);
  if (!jwtSecret) throw new Error('JWT_SECRET must be set in production');
  return {
    adminDatabaseUrl,
    appDatabaseUrl: appDatabaseUrl(adminDatabaseUrl, env),
    port: Number(env.PORT ?? 3000),
    jwtSecret,
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
