import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedPostgres, EmbeddedPostgresHandle } from '../infra/postgres/embedded';
import { createWriteSide, type FindingCommandRequest, type UnitDirectory, type WriteSide } from '@duban/application';
import {
  type Actor,
  type CreateCampaign,
  type FindingCommand,
  type FindingContext,
  findingDecider,
  type FindingEvent,
  type FindingState,
  planTimers,
  SYSTEM_ACTOR,
} from '@duban/domain';
import { appDatabaseUrl, DEFAULT_APP_PASSWORD, migrate, PostgresEventStore, withDatabase, guardPool } from '@duban/event-store';

/**
 * The benchmarks' PostgreSQL, started exactly as the tests start theirs (tests/support/global-setup.ts):
 * DATABASE_URL's server when set, else an embedded one in a fresh directory under .duban, stopped at the end.
 */
export interface BenchServer {
  adminUrl: string;
  /** Creates (or recreates) a database, migrates it and returns the owner's and the application's URLs. */
  database(name: string): Promise<{ adminUrl: string; appUrl: string }>;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  let pg: EmbeddedPostgresHandle | null = null;
  let dataDir: string | null = null;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    const parent = join(__dirname, '..', '.duban');
    mkdirSync(parent, { recursive: true });
    dataDir = mkdtempSync(join(parent, 'bench-postgres-'));
    rmSync(dataDir, { recursive: true, force: true });
    pg = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = pg.adminUrl;
  }
  const owner = adminUrl;
  const created: string[] = [];
  return {
    adminUrl: owner,
    async database(name: string) {
      const admin = new Client({ connectionString: owner });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${name}`);
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      created.push(name);
      const dbAdminUrl = withDatabase(owner, name);
      await migrate(dbAdminUrl, { appPassword: process.env.DUBAN_APP_PASSWORD ?? DEFAULT_APP_PASSWORD });
      return { adminUrl: dbAdminUrl, appUrl: appDatabaseUrl(dbAdminUrl) };
    },
    async stop() {
      if (pg) {
        await pg.stop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        return;
      }
      // A shared server (DATABASE_URL): leave it as we found it.
      const admin = new Client({ connectionString: owner });
      await admin.connect();
      try {
        for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      } finally {
        await admin.end();
      }
    },
  };
}

export function newPool(url: string, max: number): Pool {
  return guardPool(new Pool({ connectionString: url, max }), () => undefined);
}

// ---------- measurement ----------

export interface Measurement {
  ops: number;
  seconds: number;
  /** Per-operation latencies in milliseconds (empty when only the total is meaningful). */
  latencies: number[];
  /** Percentiles from the load tool's own histogram (autocannon), when there are no per-operation latencies. */
  p50?: number;
  p99?: number;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs `op(i)` for i in [0, ops) with `concurrency` clients pulling from one shared counter. */
export async function measure(ops: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Measurement> {
  const latencies = new Array<number>(ops);
  let next = 0;
  const started = nowMs();
  const client = async () => {
    for (;;) {
      const i = next++;
      if (i >= ops) return;
      const t0 = nowMs();
      await op(i);
      latencies[i] = nowMs() - t0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  return { ops, seconds: (nowMs() - started) / 1000, latencies };
}

/**
 * Runs several variants in alternating rounds (A B C A B C …) so that background work of the server
 * (checkpoints, autovacuum, WAL recycling) lands on all of them alike rather than on whichever ran last.
 */
export async function interleaved(
  variants: Record<string, (i: number) => Promise<void>>,
  ops: number,
  concurrency: number,
  rounds = 4,
): Promise<Record<string, Measurement>> {
  const out: Record<string, Measurement> = {};
  for (const name of Object.keys(variants)) out[name] = { ops: 0, seconds: 0, latencies: [] };
  for (let r = 0; r < rounds; r++) {
    const n = Math.floor(ops / rounds) + (r < ops % rounds ? 1 : 0);
    for (const [name, op] of Object.entries(variants)) {
      const m = await measure(n, concurrency, op);
      out[name].ops += m.ops;
      out[name].seconds += m.seconds;
      out[name].latencies.push(...m.latencies);
    }
  }
  return out;
}

/** Times one whole job that handles `items` things (events); no per-op latency. */
export async function timeOnce(items: number, job: () => Promise<unknown>): Promise<Measurement> {
  const started = nowMs();
  await job();
  return { ops: items, seconds: (nowMs() - started) / 1000, latencies: [] };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx];
}

export interface Row {
  bench: string;
  variant: string;
  unit: string;
  m: Measurement;
  /** The row this one is compared with; undefined for a baseline. */
  baseline?: Row;
  note?: string;
}

export const rate = (m: Measurement): number => m.ops / m.seconds;

export function formatTable(rows: Row[]): string {
  const head = ['bench', 'variant', 'n', 'throughput', 'p50 ms', 'p99 ms', 'vs baseline', 'note'];
  const body = rows.map((r) => {
    const sorted = [...r.m.latencies].sort((a, b) => a - b);
    const ratio = r.baseline ? `${(rate(r.m) / rate(r.baseline.m)).toFixed(2)}×` : 'baseline';
    return [
      r.bench,
      r.variant,
      String(r.m.ops),
      `${Math.round(rate(r.m)).toLocaleString('en-US')} ${r.unit}/s`,
      sorted.length ? percentile(sorted, 50).toFixed(2) : r.m.p50 !== undefined ? r.m.p50.toFixed(2) : '–',
      sorted.length ? percentile(sorted, 99).toFixed(2) : r.m.p99 !== undefined ? r.m.p99.toFixed(2) : '–',
      ratio,
      r.note ?? '',
    ];
  });
  const widths = head.map((h, i) => Math.max(width(h), ...body.map((b) => width(b[i]))));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c + ' '.repeat(widths[i] - width(c))).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n') + '\n';
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
  return w;
}

export const say = (text: string): void => {
  process.stdout.write(text);
};

// ---------- writing a campaign's findings the way the API does (shared by the benches that need a real log) ----------

/**
 * The bench measures the write path, not the directory: every unit it names exists and may hold a finding. (The API
 * reads the directory table here; one indexed lookup per record, dispatch or reassignment.)
 */
export const EVERY_UNIT: UnitDirectory = { unit: async () => ({ kind: 'town' }) };

/**
 * One campaign's findings, written through the application layer the API uses (libs/application): FindingCommands
 * decides on the finding's current state and appends with the expected version and an idempotency record; a dispatch
 * or a reassignment goes out under the campaign's next notice number in the same atomic append (decideDispatch), one
 * campaign at a time. Each finding must be driven by one caller at a time (several findings may be driven
 * concurrently); the writer keeps each finding's state to plan its timers.
 */
export class CampaignWriter {
  /** Every event appended so far, the campaign's included. */
  events = 0;
  private readonly findings = new Map<string, { state: FindingState; version: number }>();

  private constructor(
    /** The write side it writes through, for the commands of other aggregates (a team's day, a report). */
    readonly write: WriteSide,
    readonly campaignId: string,
    readonly ctx: FindingContext,
  ) {}

  /** `units`: the directory the write side checks references against (default: every unit exists, as a town). */
  static async create(
    pool: Pool,
    data: CreateCampaign['data'],
    admin: Actor,
    now: string,
    units: UnitDirectory = EVERY_UNIT,
  ): Promise<CampaignWriter> {
    const store = new PostgresEventStore(pool, { now: () => new Date() });
    const write = createWriteSide({ store, clock: { now: () => new Date() }, units });
    const created = await write.campaigns.handle({ type: 'CreateCampaign', data }, admin, {
      idempotencyKey: `create-${data.campaignId}`,
      correlationId: randomUUID(),
      at: now,
    });
    const writer = new CampaignWriter(write, data.campaignId, await write.campaignContexts.requireContext(data.campaignId));
    writer.events = created.version;
    return writer;
  }

  state(findingId: string): FindingState {
    return this.findings.get(findingId)?.state ?? findingDecider.initialState();
  }

  /**
   * Decides `type` on the finding at `now` and appends what it decided (nothing when it decides nothing, as a moot
   * timer). A dispatch and a reassignment go out under the campaign's next notice number, as the API's do.
   */
  async exec(
    findingId: string,
    type: FindingCommand['type'],
    data: Record<string, unknown>,
    actor: Actor,
    now: string,
  ): Promise<FindingEvent[]> {
    const current = this.findings.get(findingId) ?? { state: findingDecider.initialState(), version: 0 };
    const command = { type, findingId, data } as FindingCommandRequest;
    const meta = { idempotencyKey: `${findingId}/${current.version}`, correlationId: randomUUID(), at: now };
    const outcome = await this.write.findings.run(command, actor, meta, (o) => ({ version: o.version, events: o.events, noticed: o.noticeNo !== undefined }));
    this.findings.set(findingId, { state: outcome.events.reduce(findingDecider.evolve, current.state), version: outcome.version });
    this.events += outcome.events.length + (outcome.noticed ? 1 : 0);
    return outcome.events;
  }

  /**
   * Fires the finding's timers that fall due by `until`, earliest first, each at its own instant and signed by the
   * system, as its workflow would: re-planned after every one, so a timer another consequence made moot never fires.
   */
  async fireDue(findingId: string, until: string): Promise<number> {
    const limit = Date.parse(until);
    let fired = 0;
    for (;;) {
      const next = planTimers(this.state(findingId), this.ctx)[0];
      if (!next || Date.parse(next.dueAt) > limit) return fired;
      const events = await this.exec(findingId, next.command.type, next.command.data as Record<string, unknown>, SYSTEM_ACTOR, next.dueAt);
      if (events.length === 0) return fired;
      fired += events.length;
    }
  }
}

export function toNewEvent(e: { type: string; data: unknown }, commandType: string) {
  return { eventId: randomUUID(), type: e.type, data: e.data as Record<string, unknown>, metadata: { correlationId: randomUUID(), commandType } };
}

/** Runs `work(i)` for i in [0, count) with `concurrency` workers pulling from one shared counter. */
export async function forEachConcurrently(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        await work(i);
      }
    }),
  );
}
