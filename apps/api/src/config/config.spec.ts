import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authSettings, devSignInAllowed, loadAuthSettings, loadConfig, loadJwtSecret, loadOidcSettings, refuseInProduction } from './config';

describe('production refuses development secrets and tools', () => {
  const production = { NODE_ENV: 'production' } as NodeJS.ProcessEnv;

  it('refuses to run without JWT_SECRET, or with the default application password', () => {
    expect(() => loadJwtSecret(production, mkdtempSync(join(tmpdir(), 'keys-')))).toThrow(/JWT_SECRET must be set in production/);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'x'.repeat(40) })).toThrow(/DUBAN_APP_PASSWORD/);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'x'.repeat(40), DUBAN_APP_PASSWORD: 'duban_app_dev' })).toThrow(/DUBAN_APP_PASSWORD/);
  });

  it('refuses `npm run tokens` and the development sign-in, and demands session tokens', () => {
    expect(() => refuseInProduction('npm run tokens', production)).toThrow(/development only/);
    expect(() => refuseInProduction('npm run tokens', {} as NodeJS.ProcessEnv)).not.toThrow();
    expect(devSignInAllowed({ production: true })).toBe(false);
    expect(devSignInAllowed({})).toBe(true);
    expect(authSettings({ production: true }).requireSession).toBe(true);
    expect(authSettings({}).requireSession).toBe(false);
  });

  it('reads the sign-in settings from the environment, refusing nonsense', () => {
    const s = loadAuthSettings({ DUBAN_ACCESS_TOKEN_TTL_SECONDS: '300', DUBAN_LOCKOUT_THRESHOLD: '3' } as NodeJS.ProcessEnv);
    expect(s).toMatchObject({ accessTokenTtlSeconds: 300, refreshIdleSeconds: 43200, accountLockout: { threshold: 3, baseSeconds: 60 }, oidc: null });
    expect(() => loadAuthSettings({ DUBAN_REFRESH_IDLE_SECONDS: '-5' } as NodeJS.ProcessEnv)).toThrow(/DUBAN_REFRESH_IDLE_SECONDS/);
  });

  it('configures single sign-on only completely, and only over https in production', () => {
    const oidc = { DUBAN_OIDC_ISSUER: 'http://idp.local', DUBAN_OIDC_CLIENT_ID: 'duban', DUBAN_OIDC_CLIENT_SECRET: 's', DUBAN_OIDC_REDIRECT_URI: 'https://duban/cb' };
    expect(loadOidcSettings(oidc as NodeJS.ProcessEnv)).toMatchObject({ claim: 'phone_number', allowInsecureIssuer: true, subjectMap: null });
    expect(() => loadOidcSettings({ ...oidc, DUBAN_OIDC_CLIENT_SECRET: '' } as NodeJS.ProcessEnv)).toThrow(/DUBAN_OIDC_CLIENT_SECRET/);
    expect(() => loadOidcSettings({ ...oidc, NODE_ENV: 'production' } as NodeJS.ProcessEnv)).toThrow(/https/);
    expect(loadOidcSettings({ ...oidc, DUBAN_OIDC_CLAIM: 'sub', DUBAN_OIDC_SUBJECT_MAP: '{"abc":"insp-1"}' } as NodeJS.ProcessEnv)?.subjectMap).toEqual({ abc: 'insp-1' });
    expect(() => loadOidcSettings({ ...oidc, DUBAN_OIDC_SUBJECT_MAP: '{"abc":1}' } as NodeJS.ProcessEnv)).toThrow(/SUBJECT_MAP/);
  });
});
