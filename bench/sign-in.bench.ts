import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AddressInfo } from 'node:net';
import { DEMO_USERS } from '@duban/domain';
import { issueToken } from '../apps/api/src/auth/auth';
import { hashPassword, verifyPassword } from '../apps/api/src/auth/passwords';
import { SignInService } from '../apps/api/src/auth/sign-in.service';
import { createApiApp } from '../apps/api/src/bootstrap';
import { seedDemo } from '../apps/api/src/cli/demo-seed';
import { BenchServer, interleaved, measure, Row, say } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
const SIGN_INS = QUICK ? 60 : 300;
const REQUESTS = QUICK ? 1_000 : 5_000;
const PASSWORD = '河堤巡查-2026-春';

/**
 * The sign-in path over real HTTP and PostgreSQL. Sign-in is argon2id verification (19 MiB, two passes — CPU-bound
 * on purpose) plus the session, the refresh token and the SignedIn event; its baseline is the argon2id verification
 * alone, in the same process, so the ratio says what the rest costs. The guard's per-request price of a session
 * token (one primary-key read beside the directory's) is compared with a development token on the same endpoint,
 * which checks the directory only.
 */
export async function runSignInBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_sign_in');
  const app: INestApplication = await createApiApp(
    { adminDatabaseUrl: db.adminUrl, appDatabaseUrl: db.appUrl, port: 0, jwtSecret: 'bench-secret-bench-secret-bench-secret', logLevel: 'silent' },
    { logger: false },
  );
  await app.init();
  await app.listen(0, '127.0.0.1');
  try {
    await seedDemo(app);
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const people = DEMO_USERS.filter((u) => u.role !== 'admin').slice(0, 8);
    const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
    const signIn = app.get(SignInService);
    say(`sign-in: opening ${people.length} accounts…\n`);
    for (const [i, p] of people.entries()) {
      const issued = await signIn.createAccount(
        { userId: admin.id, name: admin.name, unitId: admin.unitId, role: 'admin' },
        { userId: p.id, login: `bench${i}` },
        { idempotencyKey: `bench-account-${p.id}`, correlationId: 'bench' },
      );
      await signIn.changePassword({ userId: p.id, name: p.name, unitId: p.unitId, role: p.role }, null, issued.temporaryPassword, PASSWORD, { clientAddress: '10.0.0.1', correlationId: 'bench' });
    }
    const post = async (path: string, body: object) => {
      const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<{ accessToken: string; refreshToken: string }>;
    };
    const stored = await hashPassword(PASSWORD);
    say(`sign-in: ${SIGN_INS} sign-ins against argon2id verification alone…\n`);
    const signIns = await interleaved(
      {
        verify: async () => {
          if (!(await verifyPassword(stored, PASSWORD))) throw new Error('verify failed');
        },
        signIn: async (i) => {
          await post('/auth/sign-in', { login: `bench${i % people.length}`, password: PASSWORD });
        },
      },
      SIGN_INS,
      2,
    );
    const session = await post('/auth/sign-in', { login: 'bench0', password: PASSWORD });
    let refreshToken = session.refreshToken;
    const refreshes = await measure(QUICK ? 100 : 500, 1, async () => {
      refreshToken = (await post('/auth/refresh', { refreshToken })).refreshToken;
    });
    const devToken = issueToken(app.get(JwtService), { userId: people[0].id, name: people[0].name, unitId: people[0].unitId, role: people[0].role });
    const fresh = await post('/auth/sign-in', { login: 'bench0', password: PASSWORD });
    const get = (token: string) => async () => {
      const res = await fetch(`${base}/reference/sources`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`guard: ${res.status}`);
      await res.arrayBuffer();
    };
    say(`sign-in: ${REQUESTS} guarded requests with each kind of token…\n`);
    const guard = await interleaved({ dev: get(devToken), session: get(fresh.accessToken) }, REQUESTS, 4);
    const verifyRow: Row = { bench: 'sign-in', variant: 'argon2id verify alone (19 MiB, t=2)', unit: 'verify', m: signIns.verify };
    const devRow: Row = { bench: 'sign-in', variant: 'GET with dev token (directory check)', unit: 'req', m: guard.dev };
    return [
      verifyRow,
      { bench: 'sign-in', variant: 'POST /auth/sign-in (verify + session + event)', unit: 'sign-in', m: signIns.signIn, baseline: verifyRow, note: '2 clients' },
      { bench: 'sign-in', variant: 'POST /auth/refresh (rotation)', unit: 'refresh', m: refreshes, baseline: verifyRow, note: '1 client' },
      devRow,
      { bench: 'sign-in', variant: 'GET with session token (+ session check)', unit: 'req', m: guard.session, baseline: devRow, note: '4 clients' },
    ];
  } finally {
    await app.close();
  }
}
