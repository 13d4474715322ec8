import { JwtService } from '@nestjs/jwt';
import { ApiHarness, startApi } from '../support/api-harness';
import { activeAccount, bearer, createAccount, GOOD_PASSWORD, newKey, signIn } from '../support/sign-in-fixtures';

/**
 * Local accounts over HTTP with a real PostgreSQL: an administrator opens an account, its holder signs in with the
 * login name or the phone, must change the temporary password before anything else, and repeated failures lock the
 * account and the client address with a growing pause — the same way for a login that names nobody.
 */
describe('sign-in with local accounts', () => {
  let h: ApiHarness;
  const T0 = '2026-11-23T02:00:00.000Z';
  const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

  beforeAll(async () => {
    h = await startApi(T0);
  });
  afterAll(async () => h?.close());

  it('opens an account, forces the change of the temporary password, then signs in by login or phone', async () => {
    const created = await createAccount(h, 'insp-1', 'ChenHM', '138-0000-0001');
    expect(created).toMatchObject({ userId: 'insp-1', login: 'chenhm', phone: '13800000001', mustChangePassword: true });
    expect(created.temporaryPassword).toMatch(/^[A-Za-z0-9]{14}$/);

    const first = await signIn(h, 'chenhm', created.temporaryPassword);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mustChangePassword: true, person: { userId: 'insp-1', name: '陈红梅', unitId: 'team-1', role: 'inspector' } });
    const claims = h.app.get(JwtService).decode(first.body.accessToken) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'insp-1', role: 'inspector', unitId: 'team-1' });
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect((claims.exp as number) - (claims.iat as number)).toBe(15 * 60);
    expect(first.body.accessTokenExpiresAt).toBe(new Date((claims.exp as number) * 1000).toISOString());

    // Until changed, the token opens nothing but the holder's own account.
    const blocked = await h.http().get('/findings').set(bearer(first.body.accessToken));
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    expect(blocked.body.message).toMatch(/\(PASSWORD_CHANGE_REQUIRED\)$/);
    const me = await h.http().get('/auth/me').set(bearer(first.body.accessToken));
    expect(me.body).toMatchObject({ mustChangePassword: true, account: { login: 'chenhm', phone: '13800000001' } });

    const change = (newPassword: string, currentPassword = created.temporaryPassword) =>
      h.http().post('/auth/change-password').set(bearer(first.body.accessToken)).send({ currentPassword, newPassword });
    expect((await change('short-1')).body).toMatchObject({ statusCode: 400, code: 'PASSWORD_TOO_SHORT', field: 'newPassword' });
    expect((await change('xx-chenhm-2026')).body).toMatchObject({ statusCode: 400, code: 'PASSWORD_CONTAINS_LOGIN', field: 'newPassword' });
    expect((await change(GOOD_PASSWORD, 'not-the-temporary-1')).body).toMatchObject({ statusCode: 400, code: 'WRONG_PASSWORD', field: 'currentPassword' });
    expect((await change(GOOD_PASSWORD)).body).toEqual({ changed: true });
    expect((await h.http().get('/findings').set(bearer(first.body.accessToken))).status).toBe(200);

    const byPhone = await signIn(h, '+86 138 0000 0001', GOOD_PASSWORD);
    expect(byPhone.status).toBe(200);
    expect(byPhone.body).toMatchObject({ mustChangePassword: false, person: { userId: 'insp-1' } });
    expect((await signIn(h, 'CHENHM', GOOD_PASSWORD)).status).toBe(200);
    expect((await signIn(h, 'chenhm', created.temporaryPassword)).status).toBe(401);
  });

  it('answers a wrong password and an unknown login alike, and refuses bad input with a 400 naming the field', async () => {
    const wrong = await signIn(h, 'chenhm', 'wrong-password-1');
    const unknown = await signIn(h, 'nobody-here', 'wrong-password-1');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    expect((await h.http().post('/auth/sign-in').send({ login: 'chenhm' })).body).toMatchObject({ statusCode: 400, field: 'password' });
    const dup = await h.http().post('/accounts').set(bearer(h.token('admin-1'))).set('Idempotency-Key', newKey()).send({ userId: 'insp-2', login: 'chenhm' });
    expect(dup.body).toMatchObject({ statusCode: 409, code: 'LOGIN_TAKEN' });
    const notAdmin = await h.http().post('/accounts').set(bearer(h.token('sup-1'))).set('Idempotency-Key', newKey()).send({ userId: 'insp-2', login: 'yangwb' });
    expect(notAdmin.body).toMatchObject({ statusCode: 403, rule: 'ROLE_REQUIRED' });
    const nobody = await h.http().post('/accounts').set(bearer(h.token('admin-1'))).set('Idempotency-Key', newKey()).send({ userId: 'no-such-person', login: 'nobody' });
    expect(nobody.body).toMatchObject({ statusCode: 404, code: 'PERSON_NOT_FOUND' });
    const badLogin = await h.http().post('/accounts').set(bearer(h.token('admin-1'))).set('Idempotency-Key', newKey()).send({ userId: 'insp-2', login: '1abc' });
    expect(badLogin.body).toMatchObject({ statusCode: 400, field: 'login', code: 'INVALID_LOGIN' });
    // Single sign-on is off unless configured.
    expect((await h.http().get('/auth/oidc/start')).body).toMatchObject({ statusCode: 404, code: 'OIDC_NOT_CONFIGURED' });
  });

  it('locks an account after five failures, with Retry-After, doubling the pause — and an unknown login just the same', async () => {
    await activeAccount(h, 'insp-2', 'yangwb');
    h.clock.set(later(100));
    for (let i = 0; i < 5; i++) expect((await signIn(h, 'yangwb', `wrong-password-${i}`)).status).toBe(401);
    const locked = await signIn(h, 'yangwb', GOOD_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.headers['retry-after']).toBe('60');
    expect(locked.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_ATTEMPTS' });
    expect(locked.body.message).toMatch(/^登录失败次数过多.*\(TOO_MANY_ATTEMPTS\)$/);

    for (let i = 0; i < 5; i++) expect((await signIn(h, 'ghost-user', `wrong-password-${i}`)).status).toBe(401);
    const ghost = await signIn(h, 'ghost-user', GOOD_PASSWORD);
    expect(ghost.status).toBe(429);
    expect(ghost.body).toEqual(locked.body);

    h.clock.set(later(100 + 30));
    expect((await signIn(h, 'yangwb', GOOD_PASSWORD)).headers['retry-after']).toBe('30');
    h.clock.set(later(100 + 61));
    for (let i = 0; i < 5; i++) expect((await signIn(h, 'yangwb', `wrong-again-${i}`)).status).toBe(401);
    expect((await signIn(h, 'yangwb', GOOD_PASSWORD)).headers['retry-after']).toBe('120');
    h.clock.set(later(100 + 61 + 121));
    expect((await signIn(h, 'yangwb', GOOD_PASSWORD)).status).toBe(200);
  });

  it('locks a client address that keeps failing across many logins, until its pause is over', async () => {
    h.clock.set(later(1000));
    // A success cleared the address's count; twenty failures over as many logins lock the address, not the logins.
    for (let i = 0; i < 20; i++) expect((await signIn(h, `spray-${i}`, 'guessed-password-1')).status).toBe(401);
    const res = await signIn(h, 'yangwb', GOOD_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('60');
    h.clock.set(later(1061));
    expect((await signIn(h, 'yangwb', GOOD_PASSWORD)).status).toBe(200);
  });

  it('counts parallel guesses before checking them: ten at once get five answers and five refusals', async () => {
    await activeAccount(h, 'insp-5', 'zhouht');
    // Successes never add up: each clears the counters. (Six good sign-ins sent at the same instant are counted in
    // flight like guesses, by design — whether the sixth is refused depends on which finish first, so not asserted.)
    for (let i = 0; i < 6; i++) expect((await signIn(h, 'zhouht', GOOD_PASSWORD)).status).toBe(200);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(h, 'zhouht', `parallel-guess-${i}`)));
    expect(answers.map((r) => r.status).sort()).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
  });

  it('writes every sign-in, failure, lockout and password change on the account trail, for the discipline inspector', async () => {
    await h.catchUp();
    const res = await h.http().get('/accounts/insp-2/audit-trail?pageSize=200').set(bearer(h.token('jw-1')));
    expect(res.status).toBe(200);
    const types = res.body.items.map((e: { eventType: string }) => e.eventType);
    expect(types[0]).toBe('AccountCreated');
    expect(new Set(types)).toEqual(new Set(['AccountCreated', 'SignedIn', 'PasswordChanged', 'SignInFailed', 'AccountLockedOut']));
    expect(types.filter((t: string) => t === 'AccountLockedOut')).toHaveLength(2);
    const lockout = res.body.items.find((e: { eventType: string }) => e.eventType === 'AccountLockedOut');
    expect(lockout).toMatchObject({ signer: { userId: 'system' }, detail: { lockedUntil: later(160) } });
    expect(lockout.clientAddress).toMatch(/127\.0\.0\.1/);
    const reasons = new Set(res.body.items.filter((e: { eventType: string }) => e.eventType === 'SignInFailed').map((e: { detail: { reason: string } }) => e.detail.reason));
    expect(reasons).toEqual(new Set(['wrong_password', 'locked_out']));
    const signedIn = res.body.items.find((e: { eventType: string }) => e.eventType === 'SignedIn');
    expect(signedIn).toMatchObject({ method: 'password', signer: { userId: 'insp-2', name: '杨文博' } });
    expect(res.body.items.find((e: { eventType: string }) => e.eventType === 'AccountCreated').signer).toMatchObject({ userId: 'admin-1' });

    expect((await h.http().get('/accounts/insp-2/audit-trail').set(bearer(h.token('admin-1')))).status).toBe(200);
    expect((await h.http().get('/accounts/insp-2/audit-trail').set(bearer(h.token('off-town-01-a')))).body).toMatchObject({ statusCode: 403 });
    expect((await h.http().get('/accounts/nobody/audit-trail').set(bearer(h.token('jw-1')))).status).toBe(404);
  });

  it('never stores a password, its hash or a token in an event', async () => {
    const { rows } = await h.db.adminPool.query(`SELECT data, metadata FROM events WHERE stream_id LIKE 'account-%'`);
    const { rows: hashes } = await h.db.adminPool.query(`SELECT password_hash FROM auth_credentials`);
    const { rows: refresh } = await h.db.adminPool.query(`SELECT token_hash FROM auth_refresh_tokens`);
    const text = JSON.stringify(rows);
    expect(rows.length).toBeGreaterThan(10);
    for (const secret of [GOOD_PASSWORD, 'wrong-password-0', 'guessed-password-1', ...hashes.map((r) => r.password_hash), ...refresh.map((r) => r.token_hash)]) {
      expect(text).not.toContain(secret);
    }
    expect(hashes.every((r) => r.password_hash.startsWith('$argon2id$'))).toBe(true);
  });

  it('lets the read-only discipline inspector change their own password, and nothing else', async () => {
    const tokens = await activeAccount(h, 'jw-1', 'lushaohua');
    const me = await h.http().get('/auth/me').set(bearer(tokens.accessToken));
    expect(me.body).toMatchObject({ mustChangePassword: false, person: { role: 'discipline_inspector' } });
    const write = await h.http().post('/campaigns').set(bearer(tokens.accessToken)).set('Idempotency-Key', newKey()).send({});
    expect(write.body).toMatchObject({ statusCode: 403, code: 'READ_ONLY_ROLE' });
  });
});
