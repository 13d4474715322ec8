import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { startEmbeddedPostgres, EmbeddedPostgresHandle } from '../infra/postgres/embedded';
import {
  type Actor,
  calendarFor,
  type CampaignEvent,
  type CampaignState,
  campaignStreamId,
  type CreateCampaign,
  decideCampaign,
  evolveCampaign,
  type FindingCommand,
  type FindingContext,
  findingDecider,
  type FindingEvent,
  type FindingState,
  findingStreamId,
  initialCampaignState,
  planTimers,
  SYSTEM_ACTOR,
} from '@duban/domain';
import {
  type AppendToStream,
  appDatabaseUrl,
  canonicalize,
  DEFAULT_APP_PASSWORD,
  migrate,
  PostgresEventStore,
  sha256Hex,
  withDatabase,
  guardPool,
} from '@duban/event-store';

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
      sorted.length ? percentile(sorted, 50).toFixed(2) : '–',
      sorted.length ? percentile(sorted, 99).toFixed(2) : '–',
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
 * One campaign's findings, written through the domain the way the API writes them: decide on the finding's current
 * state, append with the expected version and an idempotency record; a dispatch (or a reassignment under a new
 * notice) appends the campaign's DispatchNoticeIssued atomically with the finding's event. Notice numbers are
 * serialised in-process, as the API's retry on the campaign stream would end up. Each finding must be driven by one
 * caller at a time (several findings may be driven concurrently).
 */
export class CampaignWriter {
  /** Every event appended so far, the campaign's included. */
  events = 0;
  private campaign: { state: CampaignState; version: number };
  private readonly findings = new Map<string, { state: FindingState; version: number }>();
  private campaignLock: Promise<void> = Promise.resolve();

  private constructor(
    private readonly store: PostgresEventStore,
    readonly campaignId: string,
    readonly ctx: FindingContext,
    campaign: { state: CampaignState; version: number },
  ) {
    this.campaign = campaign;
  }

  static async create(pool: Pool, data: CreateCampaign['data'], admin: Actor, now: string): Promise<CampaignWriter> {
    const store = new PostgresEventStore(pool, { now: () => new Date() });
    const created = decideCampaign({ type: 'CreateCampaign', data, metadata: { actor: admin, now } }, initialCampaignState());
    await store.append([
      { streamId: campaignStreamId(data.campaignId), expectedVersion: 0, events: created.map((e) => toNewEvent(e, 'CreateCampaign')) },
    ]);
    const state = created.reduce(evolveCampaign, initialCampaignState());
    const settings = (state as Extract<CampaignState, { status: 'Active' }>).settings;
    const writer = new CampaignWriter(store, data.campaignId, { campaign: settings, calendar: calendarFor(settings) }, {
      state,
      version: created.length,
    });
    writer.events = created.length;
    return writer;
  }

  state(findingId: string): FindingState {
    return this.findings.get(findingId)?.state ?? findingDecider.initialState();
  }

  /**
   * Decides `type` on the finding and appends what it decided (nothing when it decides nothing, as a moot timer).
   * DispatchFinding always goes out under the campaign's next notice number; ReassignFinding does with `notice`.
   */
  async exec(
    findingId: string,
    type: FindingCommand['type'],
    data: Record<string, unknown>,
    actor: Actor,
    now: string,
    options: { notice?: boolean } = {},
  ): Promise<FindingEvent[]> {
    const metadata = { actor, now };
    const withNotice = type === 'DispatchFinding' || (type === 'ReassignFinding' && options.notice === true);
    const step = async (): Promise<FindingEvent[]> => {
      const current = this.findings.get(findingId) ?? { state: findingDecider.initialState(), version: 0 };
      const streamId = findingStreamId(findingId);
      const appends: AppendToStream[] = [];
      let commandData = data;
      let issued: CampaignEvent[] = [];
      if (withNotice) {
        issued = decideCampaign({ type: 'IssueDispatchNotice', data: { findingIds: [findingId] }, metadata }, this.campaign.state);
        commandData = { ...data, noticeNo: (issued[0] as Extract<CampaignEvent, { type: 'DispatchNoticeIssued' }>).data.noticeNo };
        appends.push({ streamId: campaignStreamId(this.campaignId), expectedVersion: this.campaign.version, events: issued.map((e) => toNewEvent(e, type)) });
      }
      const decided = findingDecider.decide({ type, data: commandData, metadata } as FindingCommand, current.state, this.ctx);
      if (decided.length === 0) return decided;
      appends.unshift({ streamId, expectedVersion: current.version, events: decided.map((e) => toNewEvent(e, type)) });
      await this.store.append(appends, {
        key: `${actor.userId}:${findingId}/${current.version}`,
        commandType: type,
        requestHash: sha256Hex(canonicalize({ type, body: { findingId, data: commandData } })),
        result: (streams: { toVersion: number }[]) => ({ id: findingId, version: streams[0].toVersion }),
      });
      this.findings.set(findingId, { state: decided.reduce(findingDecider.evolve, current.state), version: current.version + decided.length });
      this.events += decided.length + issued.length;
      if (issued.length) {
        this.campaign = { state: issued.reduce(evolveCampaign, this.campaign.state), version: this.campaign.version + issued.length };
      }
      return decided;
    };
    return withNotice ? this.exclusive(step) : step();
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

  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const prev = this.campaignLock;
    let release!: () => void;
    this.campaignLock = new Promise((r) => (release = r));
    await prev;
    try {
      return await work();
    } finally {
      release();
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
