import { ApiHarness, startApi } from '../support/api-harness';
import { fireTimer, findingBody, idempotencyKeys } from '../support/api-fixtures';

const key = idempotencyKeys('dir');

describe('the directory as events, administered over HTTP (real PostgreSQL)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object, idem: string | null = key()) => {
    const r = h.http().post(path).set(as(userId));
    if (idem) r.set('Idempotency-Key', idem);
    return r.send(body);
  };
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));

  beforeAll(async () => {
    h = await startApi('2026-11-23T02:00:00.000Z');
  });
  afterAll(async () => h.close());

  it('the seed wrote the demo directory as signed events, and seeding again adds nothing', async () => {
    const { rows } = await h.db.adminPool.query(
      `SELECT count(*)::int AS n FROM events WHERE stream_id LIKE 'directory-%' AND signature IS NOT NULL`,
    );
    expect(rows[0].n).toBeGreaterThan(80);
    const before = await h.eventCount();
    const { seedDemo } = await import('../../apps/api/src/cli/demo-seed');
    await seedDemo(h.app);
    expect(await h.eventCount()).toBe(before);
    const team = await get('admin-1', '/directory/units?kind=supervision_team&pageSize=20');
    expect(team.status).toBe(200);
    expect(team.body.items.find((u: { unitId: string }) => u.unitId === 'team-1')).toMatchObject({ leaderUserId: 'insp-1', active: true });
  });

  it('creates a town and a village under it, renames, moves, and answers the tree; each change is audited with its reason', async () => {
    const town = await post('admin-1', '/directory/units', {
      unitId: 'town-20',
      name: '城关镇',
      kind: 'town',
      divisionCode: '411625100000',
      reason: '区划调整新设',
    });
    expect(town.status).toBe(201);
    expect(town.body).toMatchObject({ id: 'town-20', streamId: 'directory-unit-town-20', version: 1, events: ['UnitCreated'], projected: true });
    expect(
      (await post('admin-1', '/directory/units', { unitId: 'vil-dongguan', name: '东关村', kind: 'village', parentId: 'town-20', divisionCode: '411625100201', reason: '建村' })).status,
    ).toBe(201);
    expect((await post('admin-1', '/directory/units/town-20/rename', { name: '城关街道', reason: '撤镇设街道' })).status).toBe(200);
    expect((await post('admin-1', '/directory/units/vil-dongguan/move', { parentId: 'town-04', reason: '村划归宁平镇' })).status).toBe(200);

    const tree = await get('jw-1', '/directory/units/tree');
    expect(tree.status).toBe(200);
    const ningping = tree.body.find((n: { unitId: string }) => n.unitId === 'town-04');
    expect(ningping.children.map((c: { unitId: string }) => c.unitId)).toEqual(['vil-dongguan']);
    expect(tree.body.find((n: { unitId: string }) => n.unitId === 'town-20')).toMatchObject({ name: '城关街道', children: [] });

    const trail = await get('jw-1', '/directory/changes?subjectId=town-20');
    expect(trail.status).toBe(200);
    expect(trail.body.items.map((c: { eventType: string; reason: string }) => [c.eventType, c.reason])).toEqual([
      ['UnitRenamed', '撤镇设街道'],
      ['UnitCreated', '区划调整新设'],
    ]);
    expect(trail.body.items[0]).toMatchObject({
      signer: { id: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin' },
      changes: [{ field: 'name', before: '城关镇', after: '城关街道' }],
    });
  });

  it('refuses bad input with the field, unknown ids with 404, and what the state forbids with 409 — appending nothing', async () => {
    const before = await h.eventCount();
    const bad = await post('admin-1', '/directory/units', { unitId: 'Bad Id', name: '某镇', kind: 'town', reason: 'r' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('unitId');
    const noReason = await post('admin-1', '/directory/units/town-01/rename', { name: '新名' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');
    const village = await post('admin-1', '/directory/units', { unitId: 'vil-x', name: '某村', kind: 'village', reason: '建村' });
    expect(village.status).toBe(400);
    expect(village.body).toMatchObject({ code: 'PARENT_REQUIRED', field: 'parentId' });
    const phone = await post('admin-1', '/directory/people', { personId: 'p-x', name: '某人', phone: '12345678901', unitId: 'town-01', role: 'unit_official', reason: '登记' });
    expect(phone.status).toBe(400);
    expect(phone.body).toMatchObject({ code: 'INVALID_PHONE', field: 'phone' });
    expect((await post('admin-1', '/directory/units/no-such-unit/rename', { name: 'x', reason: 'r' })).status).toBe(404);
    expect((await post('admin-1', '/directory/people/no-such-person/deactivate', { reason: 'r' })).status).toBe(404);
    const busy = await post('admin-1', '/directory/units/town-01/deactivate', { reason: '撤并' });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('UNIT_HAS_ACTIVE_PEOPLE');
    const taken = await post('admin-1', '/directory/people', { personId: 'p-dup', name: '重号', phone: '19900000001', unitId: 'town-01', role: 'unit_official', reason: '登记' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('PHONE_TAKEN');
    expect(await h.eventCount()).toBe(before);
  });

  it('only an administrator changes the directory; the discipline inspector reads it, others read nothing of it', async () => {
    const before = await h.eventCount();
    const body = { unitId: 'town-21', name: '新镇', kind: 'town', reason: '新设' };
    const sup = await post('sup-1', '/directory/units', body);
    expect(sup.status).toBe(403);
    expect(sup.body.rule).toBe('ROLE_REQUIRED');
    expect((await post('jw-1', '/directory/units', body)).body.rule).toBe('READ_ONLY_ROLE');
    expect((await post('off-town-01-a', '/directory/people/off-town-01-b/deactivate', { reason: 'r' })).status).toBe(403);
    expect(await h.eventCount()).toBe(before);
    expect((await get('jw-1', '/directory/people?unitId=town-01')).body.total).toBe(2);
    expect((await get('sup-1', '/directory/people')).status).toBe(403);
    expect((await get('off-town-01-a', '/directory/changes')).status).toBe(403);
  });

  it('an administrator still cannot sign a finding step', async () => {
    const res = await post('admin-1', '/findings', findingBody());
    expect(res.status).toBe(403);
    expect(res.body.rule).toBe('ADMIN_CANNOT_SIGN');
  });

  it('a deactivated person’s token is refused from the next request on; reactivated, it works again', async () => {
    const token = h.token('off-town-02-b');
    const me = () => h.http().get('/units/town-02/claim-list').set({ Authorization: `Bearer ${token}` });
    expect((await me()).status).toBe(200);
    const off = await post('admin-1', '/directory/people/off-town-02-b/deactivate', { reason: '调离本县' });
    expect(off.status).toBe(200);
    const refused = await me();
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('USER_INACTIVE');
    expect((await post('admin-1', '/directory/people/off-town-02-b/deactivate', { reason: '再停' })).status).toBe(409);
    expect((await post('admin-1', '/directory/people/off-town-02-b/reactivate', { reason: '返回本县' })).status).toBe(200);
    expect((await me()).status).toBe(200);
  });

  it('a role change outdates the old token', async () => {
    expect((await post('admin-1', '/directory/people', { personId: 'insp-new', name: '新督查', phone: '13700000001', unitId: 'county-office', role: 'inspector', reason: '新进' })).status).toBe(201);
    const token = h.tokenFor({ userId: 'insp-new', name: '新督查', unitId: 'county-office', role: 'inspector' });
    expect((await h.http().get('/units').set({ Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await post('admin-1', '/directory/people/insp-new/role', { role: 'supervisor', reason: '提任' })).status).toBe(200);
    const old = await h.http().get('/units').set({ Authorization: `Bearer ${token}` });
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('TOKEN_OUTDATED');
  });

  it('a person moved to another unit keeps their past consequences attributed to the unit of that day, and history says where they were', async () => {
    h.clock.set('2026-11-23T02:00:00.000Z');
    const rec = await post('insp-1', '/findings', findingBody());
    expect(rec.status).toBe(201);
    const id = rec.body.findingId;
    expect((await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01' })).status).toBe(200);
    expect((await post('off-town-01-a', `/findings/${id}/claim`, {})).status).toBe(200);
    expect((await fireTimer(h, id, 'daily_report')).length).toBeGreaterThan(0);
    const claimedAt = '2026-11-23T02:00:00.000Z';

    h.clock.set('2026-11-25T02:00:00.000Z');
    const moved = await post('admin-1', '/directory/people/off-town-01-a/move', { unitId: 'town-02', title: '洺南街道党工委副书记', reason: '干部交流' });
    expect(moved.status).toBe(200);
    await h.catchUp();
    await h.runner.rebuild('accountability_ledger');

    const ledger = await get('jw-1', `/ledgers/accountability?userId=off-town-01-a&findingId=${id}`);
    expect(ledger.status).toBe(200);
    expect(ledger.body.items.length).toBeGreaterThan(0);
    for (const row of ledger.body.items) expect(row.unitId).toBe('town-01');

    const signed = await get('jw-1', `/findings/${id}/audit-trail`);
    const claim = signed.body.find((e: { eventType: string }) => e.eventType === 'FindingClaimed');
    expect(claim.signer).toMatchObject({ id: 'off-town-01-a', unitId: 'town-01' });

    const then = await get('jw-1', `/directory/people/off-town-01-a/memberships?at=${encodeURIComponent(claimedAt)}`);
    expect(then.status).toBe(200);
    expect(then.body.membershipAt).toMatchObject({ unitId: 'town-01', role: 'unit_official' });
    expect(then.body.memberships.map((m: { unitId: string }) => m.unitId)).toEqual(['town-01', 'town-02']);
    const now = await get('jw-1', `/directory/people/off-town-01-a/memberships?at=2026-11-25T03:00:00Z`);
    expect(now.body.membershipAt.unitId).toBe('town-02');
    expect((await get('jw-1', '/directory/people/nobody-here/memberships')).status).toBe(404);
  });

  it('rebuilding the directory projection from the log gives the same directory', async () => {
    const snapshot = async () =>
      (await h.db.adminPool.query('SELECT * FROM directory_users ORDER BY user_id')).rows.concat(
        (await h.db.adminPool.query('SELECT * FROM directory_units ORDER BY unit_id')).rows,
      );
    await h.catchUp();
    const before = await snapshot();
    await h.runner.rebuild('directory');
    expect(await snapshot()).toEqual(before);
  });
});
