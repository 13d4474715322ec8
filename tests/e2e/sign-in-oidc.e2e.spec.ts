import { ApiHarness, startApi } from '../support/api-harness';
import { startTestProvider, TestProvider } from '../support/oidc-test-provider';
import { bearer, createAccount } from '../support/sign-in-fixtures';

/**
 * Single sign-on against a real OpenID provider (oidc-provider, run by the test): authorization code with PKCE,
 * state and nonce; the provider's phone_number claim names a Duban person, who gets Duban's own session.
 */
describe('single sign-on through OpenID Connect', () => {
  let h: ApiHarness;
  let provider: TestProvider;
  let mapped: ApiHarness | undefined;
  const redirectUri = 'http://127.0.0.1:3999/auth/oidc/callback';

  beforeAll(async () => {
    provider = await startTestProvider({
      clientId: 'duban',
      clientSecret: 'duban-test-client-secret',
      redirectUri,
      accounts: {
        'zw-zhao': { phone_number: '13900000003', phone_number_verified: true },
        'zw-stranger': { phone_number: '13911112222', phone_number_verified: true },
        'zw-gone': { phone_number: '13900000099', phone_number_verified: true },
        'zw-4f1c': {},
      },
    });
    h = await startApi(undefined, {
      config: {
        auth: {
          oidc: {
            issuer: provider.issuer,
            clientId: 'duban',
            clientSecret: 'duban-test-client-secret',
            redirectUri,
            scope: 'openid phone',
            claim: 'phone_number',
            subjectMap: null,
            postLoginRedirect: null,
            allowInsecureIssuer: true,
          },
        },
      },
    });
    await createAccount(h, 'insp-3', 'zhaoys', '13900000003');
  });
  afterAll(async () => {
    await h?.close();
    await mapped?.close();
    await provider?.stop();
  });

  /** Start at Duban, sign in at the provider, come back: the callback's query string. */
  async function throughProvider(accountId: string, api = h): Promise<string> {
    const start = await api.http().get('/auth/oidc/start');
    expect(start.status).toBe(302);
    const authorization = new URL(start.headers.location);
    expect(authorization.origin).toBe(provider.issuer);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('state')).toBeTruthy();
    expect(authorization.searchParams.get('nonce')).toBeTruthy();
    const back = await provider.authorize(authorization.toString(), accountId);
    expect(`${back.origin}${back.pathname}`).toBe(redirectUri);
    return back.search;
  }

  it('signs the mapped person in with Duban tokens, and the trail records the method', async () => {
    const query = await throughProvider('zw-zhao');
    const res = await h.http().get(`/auth/oidc/callback${query}`);
    expect(res.status).toBe(200);
    // The local account still holds a temporary password; single sign-on does not ask for it.
    expect(res.body).toMatchObject({ mustChangePassword: false, person: { userId: 'insp-3', name: '赵永胜', role: 'inspector' } });
    expect((await h.http().get('/findings').set(bearer(res.body.accessToken))).status).toBe(200);
    expect((await h.http().post('/auth/refresh').send({ refreshToken: res.body.refreshToken })).status).toBe(200);

    // The same callback again: its state was used once and is gone.
    const replay = await h.http().get(`/auth/oidc/callback${query}`);
    expect(replay.body).toMatchObject({ statusCode: 400, code: 'OIDC_STATE_INVALID', field: 'state' });

    await h.catchUp();
    const trail = await h.http().get('/accounts/insp-3/audit-trail').set(bearer(h.token('jw-1')));
    expect(trail.body.items.filter((e: { eventType: string }) => e.eventType === 'SignedIn')).toEqual([
      expect.objectContaining({ method: 'oidc', signer: expect.objectContaining({ userId: 'insp-3' }) }),
    ]);
  });

  it('refuses a provider account that maps to nobody, and an inactive person', async () => {
    const stranger = await h.http().get(`/auth/oidc/callback${await throughProvider('zw-stranger')}`);
    expect(stranger.body).toMatchObject({ statusCode: 403, code: 'OIDC_PERSON_UNKNOWN' });
    expect(stranger.body.message).toMatch(/\(OIDC_PERSON_UNKNOWN\)$/);

    await h.db.adminPool.query(`INSERT INTO directory_users (user_id, name, unit_id, role, active) VALUES ('insp-gone', '已调离', 'team-1', 'inspector', true)`);
    await createAccount(h, 'insp-gone', 'yidiaoli', '13900000099');
    await h.db.adminPool.query(`UPDATE directory_users SET active = false WHERE user_id = 'insp-gone'`);
    const gone = await h.http().get(`/auth/oidc/callback${await throughProvider('zw-gone')}`);
    expect(gone.body).toMatchObject({ statusCode: 403, code: 'USER_INACTIVE' });
  });

  it('refuses a callback whose code or state was tampered with', async () => {
    const query = new URLSearchParams(await throughProvider('zw-zhao'));
    const forgedState = await h.http().get(`/auth/oidc/callback?code=${query.get('code')}&state=forged-state`);
    expect(forgedState.body).toMatchObject({ statusCode: 400, code: 'OIDC_STATE_INVALID' });
    query.set('code', 'forged-code');
    const forgedCode = await h.http().get(`/auth/oidc/callback?${query.toString()}`);
    expect(forgedCode.body).toMatchObject({ statusCode: 401, code: 'OIDC_FAILED' });
  });

  it('maps the provider subject through a configured table, for a person without a local account', async () => {
    mapped = await startApi(undefined, {
      config: {
        auth: {
          oidc: {
            issuer: provider.issuer,
            clientId: 'duban',
            clientSecret: 'duban-test-client-secret',
            redirectUri,
            scope: 'openid',
            claim: 'sub',
            subjectMap: { 'zw-4f1c': 'insp-4' },
            postLoginRedirect: null,
            allowInsecureIssuer: true,
          },
        },
      },
    });
    const res = await mapped.http().get(`/auth/oidc/callback${await throughProvider('zw-4f1c', mapped)}`);
    expect(res.body).toMatchObject({ mustChangePassword: false, person: { userId: 'insp-4', name: '黄丽娟' } });
    const me = await mapped.http().get('/auth/me').set(bearer(res.body.accessToken));
    expect(me.body).toMatchObject({ account: null, person: { userId: 'insp-4' } });
    expect((await mapped.http().post('/auth/sign-out').set(bearer(res.body.accessToken))).body).toEqual({ signedOut: true });
    expect((await mapped.http().get('/auth/me').set(bearer(res.body.accessToken))).body).toMatchObject({ code: 'SESSION_REVOKED' });
    // A subject the table does not name is nobody, even if it is someone's phone or login.
    const unmapped = await mapped.http().get(`/auth/oidc/callback${await throughProvider('zw-zhao', mapped)}`);
    expect(unmapped.body).toMatchObject({ statusCode: 403, code: 'OIDC_PERSON_UNKNOWN' });
  });
});
