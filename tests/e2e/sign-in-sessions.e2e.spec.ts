import { ApiHarness, startApi } from '../support/api-harness';
import { activeAccount, bearer, GOOD_PASSWORD, newKey, signIn } from '../support/sign-in-fixtures';

/**
 * Sessions over HTTP with a real PostgreSQL: refresh tokens rotate and a spent one presented again ends the whole
 * session; signing out, an administrator's reset and a deactivation in the directory stop the tokens at once.
 */
describe('sign-in sessions', () => {
  let h: ApiHarness;
  const T0 = '2026-11-23T02:00:00.000Z';
  const later = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();
  const refresh = (refreshToken: string) => h.http().post('/auth/refresh').send({ refreshToken });
  const findings = (accessToken: string) => h.http().get('/findings').set(bearer(accessToken));

  beforeAll(async () => {
    h = await startApi(T0);
  });
  afterAll(async () => h?.close());

  it('rotates refresh tokens, and a spent one presented again revokes the whole session', async () => {
    const s = await activeAccount(h, 'sup-1', 'lixiuying');
    const r1 = await refresh(s.refreshToken);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ mustChangePassword: false, person: { userId: 'sup-1', role: 'supervisor' } });
    expect(r1.body.refreshToken).not.toBe(s.refreshToken);
    const r2 = await refresh(r1.body.refreshToken);
    expect(r2.status).toBe(200);
    expect((await findings(r2.body.accessToken)).status).toBe(200);

    // The first token comes back (a stolen copy): the session ends for everyone holding any of its tokens.
    const reuse = await refresh(s.refreshToken);
    expect(reuse.body).toMatchObject({ statusCode: 401, code: 'REFRESH_TOKEN_REUSED' });
    expect(reuse.body.message).toMatch(/\(REFRESH_TOKEN_REUSED\)$/);
    expect((await refresh(r2.body.refreshToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await findings(r2.body.accessToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await findings(s.accessToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await refresh('not-a-token')).body).toMatchObject({ statusCode: 401, code: 'INVALID_REFRESH_TOKEN' });

    await h.catchUp();
    const trail = await h.http().get('/accounts/sup-1/audit-trail').set(bearer(h.token('jw-1')));
    const ended = trail.body.items.filter((e: { eventType: string }) => e.eventType === 'SessionEnded');
    expect(ended).toEqual([expect.objectContaining({ detail: { reason: 'refresh_token_reused' }, signer: expect.objectContaining({ userId: 'system' }) })]);
  });

  it('ends a session idle longer than the refresh window, whatever its absolute end', async () => {
    const s = await signIn(h, 'lixiuying', GOOD_PASSWORD);
    h.clock.set(later(11 * 3600));
    const r1 = await refresh(s.body.refreshToken);
    expect(r1.status).toBe(200);
    h.clock.set(later(11 * 3600 + 12 * 3600 + 1));
    expect((await refresh(r1.body.refreshToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_EXPIRED' });
    h.clock.set(T0);
  });

  it('signs out: the access and refresh tokens of that session stop at once, other sessions carry on', async () => {
    const a = await signIn(h, 'lixiuying', GOOD_PASSWORD);
    const b = await signIn(h, 'lixiuying', GOOD_PASSWORD);
    const out = await h.http().post('/auth/sign-out').set(bearer(a.body.accessToken));
    expect(out.body).toEqual({ signedOut: true });
    expect((await findings(a.body.accessToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await refresh(a.body.refreshToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await findings(b.body.accessToken)).status).toBe(200);
    // A development token has no session to end.
    expect((await h.http().post('/auth/sign-out').set(bearer(h.token('sup-1')))).body).toMatchObject({ statusCode: 400, code: 'NO_SESSION' });
  });

  it("an administrator's reset ends every session and forces a change; the temporary password is shown once", async () => {
    const before = await signIn(h, 'lixiuying', GOOD_PASSWORD);
    const key = newKey();
    const reset = () => h.http().post('/accounts/sup-1/reset-password').set(bearer(h.token('admin-1'))).set('Idempotency-Key', key).send({ reason: '本人遗忘密码，电话核实' });
    const res = await reset();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: 'sup-1', login: 'lixiuying', mustChangePassword: true });
    expect((await reset()).body).toMatchObject({ statusCode: 409, code: 'PASSWORD_ALREADY_RESET' });
    expect((await findings(before.body.accessToken)).body).toMatchObject({ statusCode: 401, code: 'SESSION_REVOKED' });
    expect((await signIn(h, 'lixiuying', GOOD_PASSWORD)).status).toBe(401);
    const temp = await signIn(h, 'lixiuying', res.body.temporaryPassword);
    expect(temp.body.mustChangePassword).toBe(true);
    expect((await findings(temp.body.accessToken)).body).toMatchObject({ statusCode: 403, code: 'PASSWORD_CHANGE_REQUIRED' });
    // A refresh does not get around the change.
    const refreshed = await refresh(temp.body.refreshToken);
    expect(refreshed.body.mustChangePassword).toBe(true);
    expect((await findings(refreshed.body.accessToken)).body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED' });
    const notAdmin = await h.http().post('/accounts/sup-1/reset-password').set(bearer(h.token('sup-2'))).set('Idempotency-Key', newKey()).send({ reason: '越权' });
    expect(notAdmin.body).toMatchObject({ statusCode: 403 });
    const noAccount = await h.http().post('/accounts/sup-2/reset-password').set(bearer(h.token('admin-1'))).set('Idempotency-Key', newKey()).send({ reason: '无账号' });
    expect(noAccount.body).toMatchObject({ statusCode: 404, code: 'ACCOUNT_NOT_FOUND' });

    await h.catchUp();
    const trail = await h.http().get('/accounts/sup-1/audit-trail?pageSize=200').set(bearer(h.token('admin-1')));
    const resetEntry = trail.body.items.find((e: { eventType: string }) => e.eventType === 'PasswordReset');
    expect(resetEntry).toMatchObject({ signer: { userId: 'admin-1' }, detail: { reason: '本人遗忘密码，电话核实', mustChangePassword: true } });
    expect(JSON.stringify(trail.body)).not.toContain(res.body.temporaryPassword);
    expect(trail.body.items.map((e: { eventType: string }) => e.eventType)).toContain('SessionEnded');
  });

  it("a deactivated person's tokens are refused at once, and they can neither refresh nor sign in", async () => {
    await h.db.adminPool.query(`INSERT INTO directory_users (user_id, name, unit_id, role) VALUES ('insp-temp', '临时督查员', 'team-1', 'inspector')`);
    const s = await activeAccount(h, 'insp-temp', 'linshi');
    expect((await findings(s.accessToken)).status).toBe(200);
    await h.db.adminPool.query(`UPDATE directory_users SET active = false WHERE user_id = 'insp-temp'`);
    expect((await findings(s.accessToken)).body).toMatchObject({ statusCode: 401, code: 'USER_INACTIVE' });
    expect((await refresh(s.refreshToken)).body).toMatchObject({ statusCode: 401, code: 'USER_INACTIVE' });
    expect((await signIn(h, 'linshi', GOOD_PASSWORD)).body).toMatchObject({ statusCode: 401, code: 'USER_INACTIVE' });
    await h.catchUp();
    const trail = await h.http().get('/accounts/insp-temp/audit-trail').set(bearer(h.token('jw-1')));
    expect(trail.body.items.at(-1)).toMatchObject({ eventType: 'SignInFailed', detail: { reason: 'person_inactive' } });
    // Moved to another role: the token names the old one and is refused; a new sign-in carries the new one.
    await h.db.adminPool.query(`UPDATE directory_users SET active = true, role = 'supervisor', unit_id = 'county-office' WHERE user_id = 'insp-temp'`);
    expect((await findings(s.accessToken)).body).toMatchObject({ statusCode: 401, code: 'TOKEN_OUTDATED' });
    expect((await signIn(h, 'linshi', GOOD_PASSWORD)).body.person).toMatchObject({ role: 'supervisor', unitId: 'county-office' });
  });
});
