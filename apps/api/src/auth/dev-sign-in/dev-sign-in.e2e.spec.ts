import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApiApp } from '../../bootstrap';
import { ApiHarness, startApi } from '../../../../../tests/support/api-harness';

describe('development sign-in, the web app at / and the client capture time', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
  });
  afterAll(() => h?.close());
  afterEach(() => {
    delete process.env.DUBAN_DEV_SIGN_IN;
  });

  it('lists active people by role and signs one in with a token the API accepts', async () => {
    const people = await h.http().get('/auth/dev-people');
    expect(people.status).toBe(200);
    expect(people.body.map((g: { role: string }) => g.role)).toEqual([
      'inspector',
      'supervisor',
      'unit_official',
      'discipline_inspector',
      'admin',
    ]);
    expect(people.body[1].people[0]).toMatchObject({ userId: 'sup-1', name: '李秀英', unitName: expect.any(String) });

    const res = await h.http().post('/auth/dev-sign-in').send({ userId: 'off-town-01-a' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      refreshToken: null,
      mustChangePassword: false,
      person: { userId: 'off-town-01-a', unitId: 'town-01', role: 'unit_official' },
    });
    expect(Date.parse(res.body.accessTokenExpiresAt)).toBeGreaterThan(Date.now());
    const claims = await h.http().get('/units/town-01/claim-list').set('Authorization', `Bearer ${res.body.accessToken}`);
    expect(claims.status).toBe(200);
  });

  it('refuses an unknown person with 404 and a missing userId with 400 naming the field', async () => {
    expect((await h.http().post('/auth/dev-sign-in').send({ userId: 'nobody' })).body.code).toBe('UNKNOWN_USER');
    const bad = await h.http().post('/auth/dev-sign-in').send({});
    expect([bad.status, bad.body.field]).toEqual([400, 'userId']);
  });

  it('is not there when turned off', async () => {
    process.env.DUBAN_DEV_SIGN_IN = 'off';
    expect((await h.http().get('/auth/dev-people')).status).toBe(404);
    expect((await h.http().post('/auth/dev-sign-in').send({ userId: 'sup-1' })).status).toBe(404);
  });

  it('keeps the capture time a client sends beside the server time, and refuses a malformed one', async () => {
    const key = randomUUID();
    const body = {
      campaignId: 'campaign-2026-q4',
      source: 'household_inspection',
      categoryCode: '2.3',
      severity: 'blue',
      townUnitId: 'town-01',
      village: '张庄村',
      description: '离线采集的问题',
      evidence: [],
    };
    const send = (capturedAt: string) =>
      h.http().post('/findings').set('Authorization', `Bearer ${h.token('insp-1')}`).set('Idempotency-Key', key).set('X-Captured-At', capturedAt).send(body);
    const bad = await send('yesterday');
    expect([bad.status, bad.body.field]).toEqual([400, 'X-Captured-At']);
    const first = await send('2026-11-23T01:30:00+08:00');
    expect(first.status).toBe(201);
    const before = await h.eventCount();
    // The response was lost; the phone sends the same capture again.
    expect((await send('2026-11-23T01:30:00+08:00')).body).toEqual(first.body);
    expect(await h.eventCount()).toBe(before);
    const { rows } = await h.db.adminPool.query(
      `SELECT metadata::jsonb->>'capturedAt' AS "capturedAt", recorded_at AS "recordedAt" FROM events WHERE stream_id LIKE $1`,
      [`%${first.body.findingId}`],
    );
    expect(rows).toEqual([{ capturedAt: '2026-11-22T17:30:00.000Z', recordedAt: new Date('2026-11-23T02:00:00.000Z') }]);

    // The discipline inspector's audit trail shows both times; a step sent online has no capture time.
    const dispatched = await h.http().post(`/findings/${first.body.findingId}/dispatch`).set('Authorization', `Bearer ${h.token('sup-1')}`).set('Idempotency-Key', randomUUID()).send({ unitId: 'town-01' });
    expect(dispatched.status).toBe(200);
    await h.catchUp();
    const trail = await h.http().get(`/findings/${first.body.findingId}/audit-trail`).set('Authorization', `Bearer ${h.token('jw-1')}`);
    expect(trail.status).toBe(200);
    expect(trail.body.map((e: { eventType: string; capturedAt: string | null; recordedAt: string }) => [e.eventType, e.capturedAt, e.recordedAt])).toEqual([
      ['FindingRecorded', '2026-11-22T17:30:00.000Z', '2026-11-23T02:00:00.000Z'],
      ['FindingDispatched', null, '2026-11-23T02:00:00.000Z'],
    ]);

    // Rows projected before the column existed get it from the log when migration 1140 runs (it may run again).
    await h.db.adminPool.query('UPDATE audit_trail_v2 SET captured_at = NULL');
    await h.db.adminPool.query(readFileSync(join(__dirname, '../../../../../libs/read-models/migrations/1140_audit_trail_captured_at.sql'), 'utf8'));
    const again = await h.http().get(`/findings/${first.body.findingId}/audit-trail`).set('Authorization', `Bearer ${h.token('jw-1')}`);
    expect(again.body.map((e: { capturedAt: string | null }) => e.capturedAt)).toEqual(['2026-11-22T17:30:00.000Z', null]);
  });

  it('serves a built app at / and for client routes, while every API prefix still answers as the API', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'duban-web-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>督办</title>');
    const app = await createApiApp(
      { adminDatabaseUrl: h.db.adminUrl, appDatabaseUrl: h.db.appUrl, port: 0, jwtSecret: 'test-secret', logLevel: 'silent' },
      { logger: false, webDist: dist },
    );
    await app.init();
    try {
      const page = (path: string) => request(app.getHttpServer()).get(path).set('Accept', 'text/html');
      expect((await page('/')).text).toContain('督办');
      expect((await page('/office/dispatch')).text).toContain('督办');
      const doc = await request(app.getHttpServer()).get('/api/docs-json');
      const prefixes = new Set(Object.keys(doc.body.paths).map((p) => p.split('/')[1]));
      for (const prefix of prefixes) {
        const res = await page(`/${prefix}`);
        expect([prefix, res.text?.includes('<title>督办</title>') ?? false]).toEqual([prefix, false]);
      }
      expect((await request(app.getHttpServer()).get('/health')).body).toHaveProperty('status');
    } finally {
      await app.close();
    }
  });
});
