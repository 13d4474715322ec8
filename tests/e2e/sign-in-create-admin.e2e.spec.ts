import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/bootstrap';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, GOOD_PASSWORD } from '../support/sign-in-fixtures';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** A county with nobody in it (no demo seed): `npm run create-admin` opens the first administrator's account. */
describe('npm run create-admin on a fresh county', () => {
  let db: TestDatabase;
  let app: INestApplication;
  const cli = (...args: string[]) =>
    run(process.execPath, ['-r', '@swc-node/register', 'apps/api/src/cli/create-admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(40), DUBAN_APP_PASSWORD: 'duban_app_dev_override' },
    });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('refuses to start with development defaults in production', async () => {
    const refused = await cli('--login', 'wangjj', '--name', '王建军', '--phone', '13800000000').catch((e) => e);
    expect(refused.code).toBe(1);
    expect(String(refused.stderr)).toMatch(/create-admin failed: DUBAN_EVENT_SIGNING_KEY must be set in production/);
    expect((await db.adminPool.query('SELECT count(*)::int AS n FROM directory_users')).rows[0].n).toBe(0);
  });

  it('adds the county office and the administrator, prints a temporary password, and the administrator signs in with it', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/api/src/cli/create-admin.ts', '--login', 'wangjj', '--name', '王建军', '--phone', '13800000000', '--unit-name', '某某县巩固办'],
      { cwd: root, env: { ...process.env, DATABASE_URL: db.adminUrl, JWT_SECRET: 'z'.repeat(40) } },
    );
    const temporary = /temporary password[^:]*: (\S+)/.exec(stdout)?.[1];
    expect(temporary).toMatch(/^[A-Za-z0-9]{14}$/);
    expect((await db.adminPool.query(`SELECT user_id, role, unit_id FROM directory_users`)).rows).toEqual([
      { user_id: 'admin-wangjj', role: 'admin', unit_id: 'county-office' },
    ]);

    app = await createApiApp({ adminDatabaseUrl: db.adminUrl, appDatabaseUrl: db.appUrl, port: 0, jwtSecret: 'z'.repeat(40), logLevel: 'silent' }, { logger: false });
    await app.init();
    const http = () => request(app.getHttpServer());
    const first = await http().post('/auth/sign-in').send({ login: '13800000000', password: temporary });
    expect(first.body).toMatchObject({ mustChangePassword: true, person: { userId: 'admin-wangjj', role: 'admin', unitId: 'county-office' } });
    const changed = await http().post('/auth/change-password').set(bearer(first.body.accessToken)).send({ currentPassword: temporary, newPassword: GOOD_PASSWORD });
    expect(changed.body).toEqual({ changed: true });
    expect((await http().get('/units').set(bearer(first.body.accessToken))).body).toEqual([
      expect.objectContaining({ unitId: 'county-office', name: '某某县巩固办', kind: 'county_office' }),
    ]);
  });
});
