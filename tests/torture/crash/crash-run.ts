import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addDays, DEMO_USERS, isWeekend, officialCalendarData, shanghaiDateOf } from '@duban/domain';
import { createPublicKey } from 'node:crypto';
import {
  DEFAULT_APP_PASSWORD,
  migrate,
  verifyChains,
  verifyMerkleLog,
  withDatabase,
  appDatabaseUrl,
} from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { FINDING_TIMERS_QUERY, findingWorkflowId } from '@duban/contracts';
import { freePort } from '../../../infra/postgres/embedded';
import { dumpReadModels, headOf } from '../../../libs/read-models/test/harness';
import { designCalendar } from '../../../workflows/test/scenarios';
import { createDevServerEnv } from '../../support/temporal';
import { Postgres, Service } from './processes';
import { pngBytes } from '../../support/api-fixtures';

/**
 * The crash run: a bounded load of real commands over HTTP against a real API process, a real worker process (the
 * projection runner, the forwarder, the Temporal worker, the Merkle sealer) and a PostgreSQL of its own, while one of
 * them is SIGKILLed and started again every few seconds. Every client retries a command with the same idempotency key
 * until it is answered, as a real client would. Then, with everything up again, it checks that nothing was lost or
 * written twice. Loopback only; it stops by itself.
 */
export interface CrashRunOptions {
  seconds: number;
  clients: number;
  killEveryMs: number;
  log?: (line: string) => void;
}

/** How many acknowledged commands make a run worth judging (the spec asks for more). */
const MIN_ACKNOWLEDGED = 20;

export interface CrashRunReport {
  commandsAcknowledged: number;
  findings: number;
  openFindings: number;
  kills: Record<'api' | 'worker' | 'postgres', number>;
  /** Answers the clients saw while a process was down: 503 is the expected one; any other 5xx is a defect. */
  unavailable: number;
  other5xx: Array<{ path: string; status: number; body: string }>;
  lost: string[];
  duplicated: string[];
  chains: { ok: boolean; events: number; signedEvents: number; breaks: unknown[] };
  merkleLog: { ok: boolean; leaves: number };
  workflowsBehind: string[];
  consequencesTwice: string[];
  laddersIncomplete: string[];
  projectionsDiffering: string[];
}

interface Ack {
  key: string;
  userId: string;
  findingId: string;
  events: number;
}

const CAMPAIGN = 'c-crash';
const OFFSET_DAYS = 24;
const towns = DEMO_USERS.filter((u) => u.role === 'unit_official' && u.unitId.startsWith('town-') && u.id.endsWith('-a'));

export async function crashRun(options: CrashRunOptions): Promise<CrashRunReport> {
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(join(__dirname, '..', '..', '..', '.duban', 'crash-run-'));
  // PostgreSQL runs as its own user (the embedded package creates it when run as root): it must reach its data.
  chmodSync(dir, 0o755);
  const pg = new Postgres(join(dir, 'pg'), await freePort());
  let temporal: TestWorkflowEnvironment | null = null;
  const services: Service[] = [];
  const pools: Pool[] = [];
  try {
    await pg.start();
    const boot = new Pool({ connectionString: pg.adminUrl, max: 1 });
    await boot.query('CREATE DATABASE duban');
    await boot.end();
    const dbUrl = withDatabase(pg.adminUrl, 'duban');
    await migrate(dbUrl, { appPassword: DEFAULT_APP_PASSWORD });
    temporal = await createDevServerEnv();

    const eventKey = generateKeyPairSync('ed25519').privateKey;
    const logKey = generateKeyPairSync('ed25519').privateKey;
    const files = { event: join(dir, 'event-key.pem'), log: join(dir, 'log-key.pem') };
    writeFileSync(files.event, eventKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(files.log, logKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const jwtSecret = randomBytes(32).toString('hex');
    const apiPort = await freePort();
    const env = (): NodeJS.ProcessEnv => ({
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: dbUrl,
      PORT: String(apiPort),
      TEMPORAL_ADDRESS: temporal!.address,
      JWT_SECRET: jwtSecret,
      DUBAN_EVENT_SIGNING_KEY: files.event,
      DUBAN_LOG_SIGNING_KEY: files.log,
      LOG_LEVEL: 'error',
      PROJECTION_POLL_MS: '100',
      FORWARDER_POLL_MS: '100',
      CADENCE_SCHEDULE_POLL_MS: '600000',
      DUBAN_LOG_SEAL_INTERVAL_MS: '1000',
      // The crash run's own county: no demo history, evidence kept in its folder.
      DUBAN_DEMO: 'off',
      DUBAN_EVIDENCE_DIR: join(dir, 'evidence'),
      CRASH_CLOCK_OFFSET_MS: String(-OFFSET_DAYS * 24 * 3600_000),
    });
    const seed = new Service('seed', 'apps/api/src/cli/seed.ts', env, log);
    seed.start();
    await waitFor(async () => !seed.running, 120_000, 'the demo county was not seeded');
    const api = new Service('api', 'tests/torture/crash/api-process.ts', env, log);
    const worker = new Service('worker', 'apps/worker/src/main.ts', env, log);
    services.push(api, worker);
    api.start();
    worker.start();

    const base = `http://127.0.0.1:${apiPort}`;
    const jwt = new JwtService({ secret: jwtSecret });
    const tokens = new Map(DEMO_USERS.map((u) => [u.id, jwt.sign({ sub: u.id, name: u.name, unitId: u.unitId, role: u.role }, { expiresIn: '2h' })]));
    const report: CrashRunReport = {
      commandsAcknowledged: 0,
      findings: 0,
      openFindings: 0,
      kills: { api: 0, worker: 0, postgres: 0 },
      unavailable: 0,
      other5xx: [],
      lost: [],
      duplicated: [],
      chains: { ok: false, events: 0, signedEvents: 0, breaks: [] },
      merkleLog: { ok: false, leaves: 0 },
      workflowsBehind: [],
      consequencesTwice: [],
      laddersIncomplete: [],
      projectionsDiffering: [],
    };
    const acks: Ack[] = [];
    const open: string[] = [];
    const closed: string[] = [];

    /** Sends until answered: a refused connection or a 5xx is retried with the same key, as a real client would. */
    const send = async (userId: string, path: string, body: object, findingId?: string): Promise<{ status: number; body: any }> => {
      const key = randomUUID();
      for (let attempt = 0; ; attempt++) {
        let res: Response | null = null;
        try {
          res = await fetch(`${base}${path}`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${tokens.get(userId)}`, 'Idempotency-Key': key, 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
          });
        } catch {
          res = null;
        }
        if (res && res.status < 500) {
          const json: any = await res.json().catch(() => ({}));
          if (res.status < 300) {
            const id = findingId ?? json.findingId;
            acks.push({ key: `${userId}:${key}`, userId, findingId: id, events: (json.events ?? []).length });
          }
          return { status: res.status, body: json };
        }
        if (res) {
          const text = await res.text().catch(() => '');
          if (res.status === 503) report.unavailable += 1;
          else report.other5xx.push({ path, status: res.status, body: text.slice(0, 300) });
        }
        if (attempt > 400) throw new Error(`${path} was never answered`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, 120_000, 'the API did not come up');
    // A campaign around the API's (set back) clock, every weekday a workday: the ladder's dates do not depend on
    // which holidays the official data knows.
    const apiToday = shanghaiDateOf(new Date(Date.now() - OFFSET_DAYS * 24 * 3600_000).toISOString());
    const phase = { startDate: addDays(apiToday, -7), endDate: addDays(apiToday, 90) };
    const created = await send('admin-1', '/campaigns', {
      campaignId: CAMPAIGN,
      name: '崩溃演练专项行动',
      noticePrefix: '演督',
      phases: [{ code: 'rectification', name: '集中整改', ...phase }],
      calendarOverrides: designCalendar(phase.startDate, phase.endDate, isWeekend, officialCalendarData()),
    });
    if (created.status !== 201) throw new Error(`campaign not created: ${JSON.stringify(created.body)}`);

    // The killer: API, worker, PostgreSQL in turn, each started again a moment later.
    const stopAt = Date.now() + options.seconds * 1000;
    // On a slow or busy machine the load keeps going past its time until enough commands were acknowledged for the
    // run to prove something (the spec asks for more than 20), within three times its time.
    const hardStopAt = Date.now() + options.seconds * 3000;
    const keepLoading = () => Date.now() < stopAt || (acks.length <= MIN_ACKNOWLEDGED && Date.now() < hardStopAt);
    const killer = (async () => {
      const victims = ['api', 'worker', 'postgres'] as const;
      for (let i = 0; Date.now() + options.killEveryMs < stopAt; i++) {
        await new Promise((r) => setTimeout(r, options.killEveryMs));
        const victim = victims[i % victims.length];
        log(`crash run: SIGKILL ${victim}`);
        if (victim === 'postgres') {
          pg.kill();
          await new Promise((r) => setTimeout(r, 500));
          await pg.start();
        } else {
          const s = victim === 'api' ? api : worker;
          await s.kill('SIGKILL');
          await new Promise((r) => setTimeout(r, 300));
          s.start();
        }
        report.kills[victim] += 1;
      }
    })();

    /** Uploads a photo until answered (the API may be down): content-addressed, so a retry stores nothing twice. */
    const upload = async (userId: string, seed: number): Promise<string> => {
      const bytes = await pngBytes(seed);
      for (let attempt = 0; ; attempt++) {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), `整改照片-${seed}.png`);
        const res = await fetch(`${base}/evidence`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.get(userId)}` },
          body: form,
          signal: AbortSignal.timeout(15_000),
        }).catch(() => null);
        if (res?.status === 201) return ((await res.json()) as { sha256: string }).sha256;
        if (res && res.status < 500) throw new Error(`upload: ${res.status} ${await res.text()}`);
        if (attempt > 400) throw new Error('upload was never answered');
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    const client = async (c: number) => {
      for (let n = 0; keepLoading(); n++) {
        const town = towns[(c * 7 + n) % towns.length];
        const rec = await send('insp-1', '/findings', {
          campaignId: CAMPAIGN,
          source: 'household_inspection',
          categoryCode: '2.3',
          severity: 'red',
          townUnitId: town.unitId,
          description: `崩溃演练 ${c}-${n}`,
          evidence: [],
        });
        if (rec.status !== 201) throw new Error(`record: ${rec.status} ${JSON.stringify(rec.body)}`);
        const id: string = rec.body.findingId;
        const step = async (userId: string, path: string, body: object) => {
          const r = await send(userId, `/findings/${id}/${path}`, body, id);
          if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
        };
        await step(n % 2 ? 'sup-1' : 'sup-2', 'dispatch', { unitId: town.unitId });
        await step(town.id, 'claim', {});
        await step(town.id, 'progress', { summary: '正在整改', evidence: [] });
        if (n % 2 === 0) {
          await step(town.id, 'rectification', { summary: '整改完成', evidence: [await upload(town.id, c * 10_000 + n)] });
          await step(n % 4 ? 'sup-1' : 'sup-2', 'verify', {});
          closed.push(id);
        } else open.push(id);
      }
    };
    await Promise.all([killer, ...Array.from({ length: options.clients }, (_, c) => client(c))]);
    report.commandsAcknowledged = acks.length;
    report.findings = open.length + closed.length;
    report.openFindings = open.length;

    // Everything up again, and the log followed to its end.
    for (const s of services) if (!s.running) s.start();
    await waitFor(async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, 120_000, 'the API did not come back');
    const admin = new Pool({ connectionString: dbUrl, max: 2 });
    const app = new Pool({ connectionString: appDatabaseUrl(dbUrl), max: 4 });
    pools.push(admin, app);
    const eventsOf = async (findingId: string) =>
      (await admin.query(`SELECT type, data::jsonb AS data, metadata::jsonb AS metadata, version FROM events WHERE stream_id = $1 ORDER BY version`, [`finding-${findingId}`])).rows;
    // The ladder of every open finding climbs to its top: accountability (all its dates are past on the real clock).
    await waitFor(
      async () => {
        for (const id of open) if (!(await eventsOf(id)).some((e) => e.type === 'FindingEscalated' && e.data.level === 'accountability')) return false;
        return true;
      },
      180_000,
      'the ladders did not reach accountability',
    ).catch((err) => log(String(err)));

    // 1. Every acknowledged command exactly once.
    for (const a of acks) {
      const { rows } = await admin.query(
        `SELECT (SELECT count(*)::int FROM processed_commands WHERE idempotency_key = $1) AS commands,
                (SELECT count(*)::int FROM events WHERE metadata::jsonb->>'commandId' = $1 AND stream_id LIKE 'finding-%') AS events`,
        [a.key],
      );
      if (rows[0].commands === 0 || rows[0].events < a.events) report.lost.push(a.key);
      if (rows[0].commands > 1 || rows[0].events > a.events) report.duplicated.push(a.key);
    }
    // 2. Chains, signatures, no version gap; 3. the Merkle log.
    const chains = await verifyChains(admin, { publicKeys: [createPublicKey(eventKey)] });
    report.chains = { ok: chains.ok, events: chains.eventsChecked, signedEvents: chains.signatures.signedEvents, breaks: chains.breaks };
    await waitFor(async () => (await admin.query('SELECT count(*)::int AS n FROM log_leaves')).rows[0].n >= chains.eventsChecked, 60_000, 'the log did not seal everything').catch((err) => log(String(err)));
    const merkle = await verifyMerkleLog(admin, { trustedKeys: [createPublicKey(logKey)] });
    report.merkleLog = { ok: merkle.ok, leaves: merkle.leavesChecked };
    // 4. Every finding's workflow has seen its stream's last version.
    for (const id of [...open, ...closed]) {
      const last = (await eventsOf(id)).at(-1).version;
      const ok = await waitFor(
        async () => {
          const status = await temporal!.client.workflow.getHandle(findingWorkflowId(id)).query<{ seenVersion: number }>(FINDING_TIMERS_QUERY);
          return status.seenVersion >= last;
        },
        30_000,
        '',
      ).then(
        () => true,
        () => false,
      );
      if (!ok) report.workflowsBehind.push(id);
    }
    // 5. Every due consequence once; every open finding's ladder complete.
    const twice = await admin.query(
      `SELECT stream_id, type, coalesce(data::jsonb->>'level', '') || coalesce(data::jsonb->>'workday', '') || coalesce(data::jsonb->>'dueDate', '') AS k, count(*)::int AS n
         FROM events
        WHERE type IN ('FindingEscalated', 'DailyReportMissed', 'FindingOverdue', 'ClaimOverdue', 'DispatchOverdue')
        GROUP BY 1, 2, 3 HAVING count(*) > 1`,
    );
    report.consequencesTwice = twice.rows.map((r) => `${r.stream_id} ${r.type} ${r.k} ×${r.n}`);
    for (const id of open) {
      const levels = (await eventsOf(id)).filter((e) => e.type === 'FindingEscalated').map((e) => e.data.level);
      if (JSON.stringify(levels) !== JSON.stringify(['notice', 'interview', 'accountability'])) report.laddersIncomplete.push(`${id}: ${levels.join(',')}`);
    }
    // 6. Every projection equals its rebuild (the worker stopped first, so nothing moves underneath).
    await worker.kill('SIGTERM');
    const { rows: units } = await app.query<{ unit_id: string; name: string }>('SELECT unit_id, name FROM directory_units');
    const names = new Map(units.map((r) => [r.unit_id, r.name]));
    const runner = new ProjectionRunner(app, createProjections({ unitName: (id) => names.get(id) }), { info() {}, warn() {}, error() {} });
    if (!(await runner.catchUpTo(await headOf(app), { timeoutMs: 60_000 }))) throw new Error('projections did not reach the head');
    const live = await dumpReadModels(admin);
    for (const p of createProjections()) await runner.rebuild(p.name);
    if (!(await runner.catchUpTo(await headOf(app), { timeoutMs: 60_000 }))) throw new Error('rebuilt projections did not reach the head');
    const rebuilt = await dumpReadModels(admin);
    report.projectionsDiffering = Object.keys(live).filter((t) => JSON.stringify(live[t]) !== JSON.stringify(rebuilt[t]));
    report.kills = { api: api.kills, worker: worker.kills, postgres: pg.kills };
    return report;
  } finally {
    for (const s of services) await s.kill('SIGTERM').catch(() => undefined);
    for (const p of pools) await p.end().catch(() => undefined);
    await temporal?.teardown().catch(() => undefined);
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > until) throw new Error(message || 'condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}


/** `node -r @swc-node/register tests/torture/crash/crash-run.ts <seconds> <clients> <killEveryMs>`: the report as JSON. */
if (require.main === module) {
  const [seconds, clients, killEveryMs] = process.argv.slice(2).map(Number);
  crashRun({ seconds, clients, killEveryMs, log: process.env.CRASH_RUN_LOG ? (l) => process.stderr.write(`${l}\n`) : undefined }).then(
    (report) => {
      process.stdout.write(`CRASH_RUN_REPORT ${JSON.stringify(report)}\n`);
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`crash run failed: ${err?.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
