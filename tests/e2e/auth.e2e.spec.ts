import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { loadJwtSecret } from '../../apps/api/src/config/config';
import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('auth');

/**
 * The directory, not the token, decides who is signing: a token signed with the right secret is still refused when
 * the person is unknown, inactive, or no longer holds the unit or role it names, and a token must expire.
 */
describe('every request checks the directory, whatever issued the token', () => {
  let h: ApiHarness;
  const campaign = (campaignId: string) => ({
    campaignId,
    name: `测试专项行动 ${campaignId}`,
    noticePrefix: '测督',
    phases: [{ code: 'rectification', name: '集中整改阶段', startDate: '2026-11-16', endDate: '2026-12-31' }],
  });
  const send = (token: string, path: string, body: object) =>
    h.http().post(path).set({ Authorization: `Bearer ${token}` }).set('Idempotency-Key', key()).send(body);

  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(async () => h.close());

  it("a town official's id with the role admin in the token creates no campaign", async () => {
    const before = await h.eventCount();
    const res = await send(h.token('off-town-01-a', { role: 'admin' }), '/campaigns', campaign('c-forged'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'TOKEN_OUTDATED' });
    expect(res.body.message).toMatch(/TOKEN_OUTDATED\)$/);
    // Another unit in the token is refused the same way.
    const moved = await send(h.token('off-town-01-a', { unitId: 'town-02' }), '/findings', findingBody());
    expect(moved.body).toMatchObject({ statusCode: 401, code: 'TOKEN_OUTDATED' });
    expect(await h.eventCount()).toBe(before);
    // The real administrator may.
    expect((await send(h.token('admin-1'), '/campaigns', campaign('c-real'))).status).toBe(201);
  });

  it('an unknown person is refused, even with a well-signed token', async () => {
    const before = await h.eventCount();
    const res = await send(h.tokenFor({ userId: 'nobody', name: '无名', unitId: 'county-office', role: 'admin' }), '/campaigns', campaign('c-x'));
    expect(res.body).toMatchObject({ statusCode: 401, code: 'UNKNOWN_USER' });
    const read = await h.http().get('/findings').set({ Authorization: `Bearer ${h.tokenFor({ userId: 'nobody', name: '无名', unitId: 'county-office', role: 'discipline_inspector' })}` });
    expect(read.status).toBe(401);
    expect(await h.eventCount()).toBe(before);
  });

  it('a token signed with the secret as a string (the API holds it as a key object) is the same token', async () => {
    const asString = new JwtService({ secret: 'test-secret', signOptions: { algorithm: 'HS256' } });
    const token = asString.sign({ sub: 'insp-1', name: '张督查', unitId: 'team-1', role: 'inspector' }, { expiresIn: '1h' });
    expect((await send(token, '/findings', findingBody())).status).toBe(201);
    const issued = h.token('insp-1');
    expect(asString.verify(issued)).toMatchObject({ sub: 'insp-1', role: 'inspector' });
  });

  it('a token without an expiry, or signed another way, is refused', async () => {
    const jwt = h.app.get(JwtService);
    const forever = jwt.sign({ sub: 'insp-1', name: '张督查', unitId: 'team-1', role: 'inspector' }, { noTimestamp: true });
    expect(jwt.decode(forever)).not.toHaveProperty('exp');
    expect((await send(forever, '/findings', findingBody())).body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
    const otherSecret = new JwtService({ secret: 'another-secret' }).sign({ sub: 'insp-1', unitId: 'team-1', role: 'inspector' }, { expiresIn: '1h' });
    expect((await send(otherSecret, '/findings', findingBody())).status).toBe(401);
    const expired = jwt.sign({ sub: 'insp-1', unitId: 'team-1', role: 'inspector', exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await send(expired, '/findings', findingBody())).body).toMatchObject({ statusCode: 401, code: 'INVALID_TOKEN' });
  });

  it('a deactivated person’s token stops working at once; the directory’s name is the one signed', async () => {
    await h.db.adminPool.query(
      `INSERT INTO directory_users (user_id, name, unit_id, role) VALUES ('insp-temp', '临时督查员', 'team-1', 'inspector')`,
    );
    const token = h.tokenFor({ userId: 'insp-temp', name: '冒名顶替', unitId: 'team-1', role: 'inspector' });
    const ok = await send(token, '/findings', findingBody());
    expect(ok.status).toBe(201);
    const { rows } = await h.db.adminPool.query(
      `SELECT data::jsonb->'signedBy'->>'name' AS name FROM events WHERE stream_id = $1`,
      [`finding-${ok.body.findingId}`],
    );
    expect(rows).toEqual([{ name: '临时督查员' }]);

    await h.db.adminPool.query(`UPDATE directory_users SET active = false WHERE user_id = 'insp-temp'`);
    const before = await h.eventCount();
    expect((await send(token, '/findings', findingBody())).body).toMatchObject({ statusCode: 401, code: 'USER_INACTIVE' });
    expect(await h.eventCount()).toBe(before);
  });
});

describe('the token secret', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'duban-jwt-'));

  it('is required in production', () => {
    expect(() => loadJwtSecret({ NODE_ENV: 'production' }, dir())).toThrow(/JWT_SECRET must be set in production/);
  });

  it('must be long enough when configured', () => {
    expect(() => loadJwtSecret({ JWT_SECRET: 'short' }, dir())).toThrow(/at least 32/);
    expect(loadJwtSecret({ JWT_SECRET: 'x'.repeat(40) }, dir())).toBe('x'.repeat(40));
  });

  it('on a developer machine is generated once, private, and reused — never a constant from the source', () => {
    const d1 = dir();
    const first = loadJwtSecret({}, d1);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadJwtSecret({}, d1)).toBe(first);
    expect(statSync(join(d1, 'jwt-secret')).mode & 0o777).toBe(0o600);
    expect(loadJwtSecret({}, dir())).not.toBe(first);
  });
});
