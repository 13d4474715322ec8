/**
 * DATABASE_URL is the owner's connection (migrations, superuser checks); the application itself connects
 * as duban_app, which cannot change events. APP_DATABASE_URL overrides the derived one.
 */
export const DEFAULT_APP_PASSWORD = 'duban_app_dev';

export function appDatabaseUrl(adminUrl: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.APP_DATABASE_URL) return env.APP_DATABASE_URL;
  const url = new URL(adminUrl);
  url.username = 'duban_app';
  url.password = env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD;
  return url.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
