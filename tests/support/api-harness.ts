import { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { DEMO_UNITS, DEMO_USERS } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { createApiApp } from '../../apps/api/src/bootstrap';
import type { DubanConfig } from '../../apps/api/src/config/config';
import { issueToken } from '../../apps/api/src/auth/auth';
import { seedDemo } from '../../apps/api/src/cli/demo-seed';
import type { EvidenceConfig } from '../../apps/api/src/evidence/storage/evidence-config';
import { createTestDatabase, TestDatabase } from './test-database';

/** A clock the test moves by hand: the server's "now" for events, deadlines and overdue. */
export class TestClock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(iso: string): void {
    this.current = new Date(iso);
  }
}

export interface ApiHarness {
  app: INestApplication;
  db: TestDatabase;
  clock: TestClock;
  runner: ProjectionRunner;
  http: () => ReturnType<typeof request>;
  token(userId: string, override?: Partial<{ role: string; unitId: string; name: string }>): string;
  /** A token for anyone, in the directory or not (a demo person is only a shortcut for `token`). */
  tokenFor(user: { userId: string; name: string; unitId: string; role: string }): string;
  /** Brings every ledger up to date, as the worker would. */
  catchUp(): Promise<void>;
  eventCount(): Promise<number>;
  close(): Promise<void>;
}

/** The real API over HTTP, on a fresh database cloned from the migrated template, seeded with the demo county. */
export async function startApi(
  nowIso = '2026-11-23T02:00:00.000Z',
  options: { db?: TestDatabase; evidence?: Partial<EvidenceConfig>; config?: Pick<DubanConfig, 'auth' | 'production'> } = {},
): Promise<ApiHarness> {
  const db = options.db ?? (await createTestDatabase());
  const clock = new TestClock(new Date(nowIso));
  // Each harness stores evidence in a folder of its own, removed on close.
  const evidenceDir = await mkdtemp(join(tmpdir(), 'duban-evidence-'));
  const evidence: EvidenceConfig = { dir: evidenceDir, maxBytes: 20 * 1024 * 1024, ...options.evidence };
  const app = await createApiApp(
    { adminDatabaseUrl: db.adminUrl, appDatabaseUrl: db.appUrl, port: 0, jwtSecret: 'test-secret', logLevel: 'silent', evidence, ...options.config },
    { logger: false, clock },
  );
  await app.init();
  await seedDemo(app);
  const units = new Map(DEMO_UNITS.map((u) => [u.id, u.name]));
  const runner = new ProjectionRunner(db.appPool, createProjections({ unitName: (id) => units.get(id) }));
  const jwt = app.get(JwtService);
  return {
    app,
    db,
    clock,
    runner,
    http: () => request(app.getHttpServer()),
    token: (userId, override = {}) => {
      const u = DEMO_USERS.find((x) => x.id === userId);
      if (!u) throw new Error(`no demo user ${userId}`);
      return issueToken(jwt, { userId: u.id, name: u.name, unitId: u.unitId, role: u.role, ...override });
    },
    tokenFor: (user) => issueToken(jwt, user),
    catchUp: async () => {
      // Another test file's open transaction holds back the cluster-wide read horizon, so wait for the last
      // committed event rather than assuming one pass reaches it.
      const head = await new PostgresEventStore(db.adminPool, clock).head();
      if (!(await runner.catchUpTo(head, { timeoutMs: 30_000 }))) {
        throw new Error('projections did not reach the last event within 30 s');
      }
    },
    eventCount: async () => Number((await db.adminPool.query('SELECT count(*)::int AS n FROM events')).rows[0].n),
    close: async () => {
      await app.close();
      await db.drop();
      await rm(evidenceDir, { recursive: true, force: true });
    },
  };
}
