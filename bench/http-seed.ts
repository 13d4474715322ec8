import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { Pool } from 'pg';
import { CampaignCommands, FindingCommands, type DirectoryCommandRequest } from '@duban/application';
import { type Actor, DEMO_UNITS, DEMO_USERS, shanghaiDateOf, addDays } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { createApiApp } from '../apps/api/src/bootstrap';
import { CredentialsStore } from '../apps/api/src/auth/credentials.store';
import { seedDemo } from '../apps/api/src/cli/demo-seed';
import { PG_POOL } from '../apps/api/src/database/database.module';
import { DirectoryWriter } from '../apps/api/src/directory/directory-writer';
import { forEachConcurrently } from './support';

// The HTTP bench's county (bench/http.bench.ts): the demo directory plus `owners` town officials, one campaign of
// `findings` findings recorded, dispatched and claimed through the API's own write side (libs/application, in this
// process, before the measured API starts), a sign-in session per person and a session-bound token for each — what
// the guard checks on every request in production.

export const BENCH_JWT_SECRET = 'bench-http-secret-bench-http-secret-0123456789';
const CAMPAIGN = 'bench-http';
const WRITERS = 8;
/** A 督办通知书 names several findings of one unit: the campaign stream gets one notice per batch. */
const PER_NOTICE = 10;

export interface HttpCounty {
  campaignId: string;
  /** Every finding with its owner's bearer token. */
  findings: Array<{ findingId: string; token: string }>;
  /** Supervisors' tokens (the ledger's readers). */
  readers: string[];
  /** The campaign stream's events (dispatch notices included): what a command's campaign context is folded from. */
  campaignEvents: number;
  events: number;
}

export async function seedHttpCounty(db: { adminUrl: string; appUrl: string }, findings: number, owners: number, log: (m: string) => void): Promise<HttpCounty> {
  const app = await createApiApp(
    { adminDatabaseUrl: db.adminUrl, appDatabaseUrl: db.appUrl, port: 0, jwtSecret: BENCH_JWT_SECRET, logLevel: 'silent' },
    { logger: false },
  );
  await app.init();
  try {
    await seedDemo(app);
    const admin = DEMO_USERS.find((u) => u.role === 'admin')!;
    const adminActor: Actor = { userId: admin.id, name: admin.name, unitId: admin.unitId, role: 'admin' };
    const towns = DEMO_UNITS.filter((u) => u.kind === 'town').map((u) => u.id);
    const people: Actor[] = Array.from({ length: owners }, (_, i) => ({
      userId: `bench-off-${i}`,
      name: `压测干部${i}`,
      unitId: towns[i % towns.length],
      role: 'unit_official',
    }));
    const register: DirectoryCommandRequest[] = people.map((p, i) => ({
      type: 'RegisterPerson',
      data: { personId: p.userId, name: p.name, phone: `1370${String(i).padStart(7, '0')}`, title: '压测干部', unitId: p.unitId, role: 'unit_official', reason: '压测' },
    }));
    await app.get(DirectoryWriter).handleBatch(register, adminActor, { idempotencyKey: `bench-people-${owners}`, correlationId: 'bench' }, 'SeedBenchPeople');

    // Phases around today, whatever day the bench runs: the API decides with the real clock.
    const today = shanghaiDateOf(new Date().toISOString());
    await app.get(CampaignCommands).handle(
      {
        type: 'CreateCampaign',
        data: {
          campaignId: CAMPAIGN,
          name: '压测专项行动',
          noticePrefix: '压测督',
          phases: [{ code: 'rectification', name: '集中整改阶段', startDate: addDays(today, -30), endDate: addDays(today, 60) }],
          calendarOverrides: { restDays: [], workDays: [] },
        },
      },
      adminActor,
      { idempotencyKey: `bench-campaign-${CAMPAIGN}`, correlationId: 'bench' },
    );
    const commands = app.get(FindingCommands);
    const inspector = DEMO_USERS.find((u) => u.role === 'inspector')!;
    const supervisor = DEMO_USERS.find((u) => u.role === 'supervisor')!;
    const asActor = (u: (typeof DEMO_USERS)[number]): Actor => ({ userId: u.id, name: u.name, unitId: u.unitId, role: u.role });
    const meta = () => ({ idempotencyKey: randomUUID(), correlationId: 'bench-seed' });
    const ids = Array.from({ length: findings }, () => randomUUID());
    const ownerOf = (i: number) => people[i % owners];
    const t0 = Date.now();
    await forEachConcurrently(findings, WRITERS, async (i) => {
      await commands.handle(
        {
          type: 'RecordFinding',
          findingId: ids[i],
          data: {
            findingId: ids[i],
            campaignId: CAMPAIGN,
            source: 'household_inspection',
            categoryCode: '2.3',
            severity: 'yellow',
            townUnitId: ownerOf(i).unitId,
            village: '压测村',
            household: `户主${i}`,
            description: '脱贫户住房安全鉴定后未落实改造（压测数据）',
            evidence: [],
          },
        } as never,
        asActor(inspector),
        meta(),
      );
    });
    // Notices: up to PER_NOTICE findings of one unit each (one campaign at a time takes the notice lock anyway).
    const byUnit = new Map<string, string[]>();
    ids.forEach((id, i) => byUnit.set(ownerOf(i).unitId, [...(byUnit.get(ownerOf(i).unitId) ?? []), id]));
    const batches = [...byUnit].flatMap(([unitId, list]) =>
      Array.from({ length: Math.ceil(list.length / PER_NOTICE) }, (_, k) => ({ unitId, findingIds: list.slice(k * PER_NOTICE, (k + 1) * PER_NOTICE) })),
    );
    for (const b of batches) {
      await commands.dispatchBatch({ type: 'DispatchFindings', findingIds: b.findingIds, data: { unitId: b.unitId } }, asActor(supervisor), meta());
    }
    await forEachConcurrently(findings, WRITERS, async (i) => {
      await commands.handle({ type: 'ClaimFinding', findingId: ids[i], data: {} } as never, ownerOf(i), meta());
    });
    log(`  seeded ${findings} findings (recorded, ${batches.length} notices, claimed by ${owners} owners) in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

    // A session per person, as the password sign-in would open (its argon2 check is sign-in's cost, not a request's).
    const credentials = app.get(CredentialsStore);
    const jwt = app.get(JwtService);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 12 * 3600_000);
    const tokenOf = async (p: Actor): Promise<string> => {
      const sessionId = randomUUID();
      await credentials.transaction((c) => credentials.createSession(c, { sessionId, userId: p.userId, method: 'password', expiresAt }, randomUUID(), now));
      return jwt.sign({ sub: p.userId, name: p.name, unitId: p.unitId, role: p.role, sid: sessionId }, { expiresIn: '2h' });
    };
    const ownerTokens: string[] = [];
    for (const p of people) ownerTokens.push(await tokenOf(p));
    const readers: string[] = [];
    for (const u of DEMO_USERS.filter((x) => x.role === 'supervisor')) readers.push(await tokenOf(asActor(u)));

    const pool = app.get<Pool>(PG_POOL);
    await catchUpProjections(pool);
    const { rows } = await pool.query<{ n: number; c: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE stream_id = $1)::int AS c FROM events`,
      [`campaign-${CAMPAIGN}`],
    );
    return {
      campaignId: CAMPAIGN,
      findings: ids.map((findingId, i) => ({ findingId, token: ownerTokens[i % owners] })),
      readers,
      campaignEvents: rows[0].c,
      events: rows[0].n,
    };
  } finally {
    await app.close();
  }
}

async function catchUpProjections(pool: Pool): Promise<void> {
  const units = new Map(DEMO_UNITS.map((u) => [u.id, u.name]));
  const runner = new ProjectionRunner(pool, createProjections({ unitName: (id) => units.get(id) }));
  const head = await new PostgresEventStore(pool, { now: () => new Date() }).head();
  if (!(await runner.catchUpTo(head, { timeoutMs: 600_000, batchSize: 500 }))) throw new Error('projections did not catch up');
}
