import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { addDays, shanghaiDateOf } from '@duban/domain';
import { actors } from '@duban/domain/testing/fixtures';
import { PostgresEventStore, type RecordedEvent } from '@duban/event-store';
import { findingWorkflowId } from '@duban/contracts';
import { createFindingActivities } from '../apps/worker/src/findings/finding.activities';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_FORWARDER_POLL_MS,
  type ForwarderOptions,
  TemporalForwarder,
} from '../apps/worker/src/forwarder/temporal-forwarder';
import { startDevServer } from '../infra/temporal/dev-server';
import { bundleWorkflows } from '../workflows/bundle';
import { seedClaimedFindings } from './claimed-findings';
import { BenchServer, CampaignWriter, forEachConcurrently, newPool, Row, say } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
/** Enough that each finding reports about once every two seconds at the highest rate, as owners do at the cutoff hour. */
const FINDINGS = QUICK ? 60 : 600;
const PHASE_SECONDS = QUICK ? 3 : 10;
/** Offered rates, events/s (`BENCH_FORWARDER_RATES=25,50` to find the highest one a busy machine holds). */
const RATES = (process.env.BENCH_FORWARDER_RATES ?? '100,300').split(',').map(Number);
const ROUNDS = QUICK ? 1 : 2;
const quiet = { info() {}, warn() {}, error() {} };
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;
const TICKS_PER_SECOND = 100;

/** Forwarder set-ups compared in the same run; the first is the baseline (the forwarder before issue 15). */
const VARIANTS: Array<{ key: string; label: string; options: ForwarderOptions & { carryPlan: boolean }; pollMs: number }> = [
  { key: 'bare', label: 'bare signal per event, 8 findings at a time, poll 250 ms (baseline)', options: { concurrency: 8, carryPlan: false }, pollMs: 250 },
  { key: 'plan', label: 'plan in the signal, 8 at a time, poll 250 ms', options: { concurrency: 8, carryPlan: true }, pollMs: 250 },
  {
    key: 'fast',
    label: `plan in the signal, ${DEFAULT_CONCURRENCY} at a time, poll ${DEFAULT_FORWARDER_POLL_MS} ms (the defaults)`,
    options: { concurrency: DEFAULT_CONCURRENCY, carryPlan: true },
    pollMs: DEFAULT_FORWARDER_POLL_MS,
  },
];

/** CPU seconds (user + system) of a process, from /proc: the Temporal dev server runs apart from this process. */
const processCpuSeconds = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
};
const ownCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/** Records when each event committed, and when the forwarder's signal covering it was accepted. */
class TimedForwarder extends TemporalForwarder {
  readonly committedAt = new Map<string, Map<number, number>>();
  lags: number[] = [];
  signals = 0;

  protected override async forward(e: RecordedEvent): Promise<void> {
    await super.forward(e);
    const accepted = nowMs();
    this.signals++;
    const pending = this.committedAt.get(e.streamId);
    if (!pending) return;
    for (const [version, at] of pending) {
      if (version > e.version) continue;
      this.lags.push(accepted - at);
      pending.delete(version);
    }
  }
}

interface Variant {
  key: string;
  label: string;
  pool: Pool;
  store: PostgresEventStore;
  forwarder: TimedForwarder;
  worker: Worker;
  running: Promise<void>;
  findings: Array<{ id: string; version: number; busy: boolean }>;
  pollMs: number;
  /** Summed over the measured phases. */
  phases: Array<{ rate: number; events: number; seconds: number; lags: number[]; signals: number; temporalCpu: number; ownCpu: number }>;
}

/**
 * Bench 9, the forwarder and what Temporal does per forwarded event (issue 15 items 5 and 6). Each variant has its own
 * database (its own log and checkpoint), its own findings (claimed, owing a report tomorrow) and its own worker on one
 * shared Temporal dev server; the variants take turns (A B C A B C…) at each offered rate. The load is the cutoff
 * hour's: progress reports, appended to the findings' streams at a constant rate. Figures: the lag from each append's
 * commit to Temporal accepting the signal that covers it, the CPU of the dev server and of this process (the appender,
 * the forwarder and the worker) per event, and signals, workflow tasks and activities per event from the histories.
 */
export async function runForwarderBench(server: BenchServer): Promise<Row[]> {
  say('forwarder: bundling the workflows and starting a dev server…\n');
  const bundle = await bundleWorkflows({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never });
  const dev = await startDevServer({ port: 17_000 + Math.floor(Math.random() * 2_000) });
  const connection = await Connection.connect({ address: dev.address });
  const native = await NativeConnection.connect({ address: dev.address });
  const client = new Client({ connection });
  const variants: Variant[] = [];
  try {
    for (const v of VARIANTS) variants.push(await setUp(server, v, client, native, bundle));
    // Warm-up: every variant's forwarder catches up with the seeding (record, dispatch, claim), so the workflows exist.
    for (const v of variants) {
      await v.forwarder.catchUp();
      v.forwarder.lags = [];
    }
    await idle(variants);
    const before = new Map<string, Counts>();
    for (const v of variants) before.set(v.key, await historyCounts(client, v));
    for (const rate of RATES) {
      for (let round = 0; round < ROUNDS; round++) {
        for (const v of variants) {
          say(`forwarder: ${v.key} at ${rate} events/s (round ${round + 1})…\n`);
          v.phases.push(await phase(v, rate, dev.pid, variants));
        }
      }
    }
    const rows: Row[] = [];
    const baselines = new Map<number, Row>();
    for (const v of variants) {
      const counts = await historyCounts(client, v);
      const b = before.get(v.key)!;
      const events = v.phases.reduce((s, p) => s + p.events, 0);
      const per = (n: number) => (n / events).toFixed(2);
      const temporal = `per event: ${per(counts.signals - b.signals)} signals, ${per(counts.workflowTasks - b.workflowTasks)} workflow tasks, ${per(counts.activities - b.activities)} activities`;
      for (const rate of RATES) {
        const ps = v.phases.filter((p) => p.rate === rate);
        const n = ps.reduce((s, p) => s + p.events, 0);
        const cpu = (k: 'temporalCpu' | 'ownCpu') => ((ps.reduce((s, p) => s + p[k], 0) / n) * 1000).toFixed(2);
        const row: Row = {
          bench: `9 forwarder lag at ${rate} events/s offered`,
          variant: v.label,
          unit: 'events',
          m: { ops: n, seconds: ps.reduce((s, p) => s + p.seconds, 0), latencies: ps.flatMap((p) => p.lags) },
          note:
            `commit → signal accepted (p50/p99 columns); CPU ms/event: Temporal ${cpu('temporalCpu')}, bench process ${cpu('ownCpu')}; ` +
            `${(ps.reduce((s, p) => s + p.signals, 0) / n).toFixed(2)} signals/event; ${temporal} (all rates)`,
        };
        const base = baselines.get(rate);
        if (base) row.baseline = base;
        else baselines.set(rate, row);
        rows.push(row);
      }
    }
    return rows.sort((a, b) => a.bench.localeCompare(b.bench));
  } finally {
    for (const v of variants) {
      await v.forwarder.stop();
      v.worker.shutdown();
      await v.running.catch(() => undefined);
      await v.pool.end();
    }
    await connection.close();
    await native.close();
    await dev.stop();
  }
}

async function setUp(
  server: BenchServer,
  spec: (typeof VARIANTS)[number],
  client: Client,
  native: NativeConnection,
  bundle: WorkflowBundleWithSourceMap,
): Promise<Variant> {
  const db = await server.database(`bench_forwarder_${spec.key}`);
  const pool = newPool(db.appUrl, 16);
  const now = new Date().toISOString();
  const today = shanghaiDateOf(now);
  const campaignId = `fw-${spec.key}`;
  const writer = await CampaignWriter.create(
    pool,
    {
      campaignId,
      name: '转发基准测试专项行动',
      noticePrefix: '测转',
      phases: [{ code: 'rectification', name: '集中整改', startDate: addDays(today, -10), endDate: addDays(today, 180) }],
    },
    actors.admin,
    now,
  );
  say(`forwarder: seeding ${FINDINGS} claimed findings for ${spec.key}…\n`);
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const ids = Array.from({ length: FINDINGS }, (_, i) => `${spec.key}-${String(i).padStart(5, '0')}`);
  await seedClaimedFindings(store, writer.ctx, campaignId, ids, new Date().toISOString());
  const findings = await Promise.all(ids.map(async (id) => ({ id, version: (await store.readStream(`finding-${id}`)).version, busy: false })));
  const taskQueue = `bench-forwarder-${spec.key}`;
  const worker = await Worker.create({
    connection: native,
    taskQueue,
    workflowBundle: bundle,
    activities: createFindingActivities(writer.write.timers),
  });
  const running = worker.run();
  const { carryPlan, ...options } = spec.options;
  const forwarder = new TimedForwarder(pool, client, quiet, { ...options, taskQueue, planner: carryPlan ? writer.write.timers : undefined });
  return { key: spec.key, label: spec.label, pool, store, forwarder, worker, running, findings, pollMs: spec.pollMs, phases: [] };
}

/** Offers `rate` progress reports a second for PHASE_SECONDS with the variant's forwarder polling, then drains. */
async function phase(v: Variant, rate: number, temporalPid: number, all: Variant[]) {
  v.forwarder.lags = [];
  v.forwarder.signals = 0;
  const cpu0 = { temporal: processCpuSeconds(temporalPid), own: ownCpuSeconds() };
  v.forwarder.start(v.pollMs);
  const total = rate * PHASE_SECONDS;
  const started = nowMs();
  let next = 0;
  let cursor = 0;
  const inFlight = new Set<Promise<void>>();
  while (next < total) {
    const due = started + (next * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Round robin over the findings; one append per finding at a time (each knows its expected version).
    let f = v.findings[cursor++ % v.findings.length];
    for (let tries = 0; f.busy && tries < v.findings.length; tries++) f = v.findings[cursor++ % v.findings.length];
    if (f.busy) {
      await Promise.race(inFlight);
      continue;
    }
    next++;
    const p = report(v, f).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const offeredSeconds = (nowMs() - started) / 1000;
  // Until every append is covered by an accepted signal, then the workflows' tasks drain.
  const deadline = Date.now() + 120_000;
  while ([...v.forwarder.committedAt.values()].some((m) => m.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await v.forwarder.stop();
  await idle(all);
  return {
    rate,
    events: total,
    seconds: offeredSeconds,
    lags: v.forwarder.lags,
    signals: v.forwarder.signals,
    temporalCpu: processCpuSeconds(temporalPid) - cpu0.temporal,
    ownCpu: ownCpuSeconds() - cpu0.own,
  };
}

async function report(v: Variant, f: Variant['findings'][number]): Promise<void> {
  f.busy = true;
  try {
    const at = new Date().toISOString();
    const streamId = `finding-${f.id}`;
    const data = { workday: shanghaiDateOf(at), summary: '按计划推进', percent: 50, evidence: [], signedBy: actors.officialA, at };
    await v.store.append([
      {
        streamId,
        expectedVersion: f.version,
        events: [{ eventId: randomUUID(), type: 'ProgressReported', data, metadata: { correlationId: randomUUID(), commandType: 'ReportProgress' } }],
      },
    ]);
    f.version++;
    const pending = v.forwarder.committedAt.get(streamId) ?? new Map<number, number>();
    pending.set(f.version, nowMs());
    v.forwarder.committedAt.set(streamId, pending);
  } finally {
    f.busy = false;
  }
}

/** Until no worker has a workflow task or an activity in hand for half a second. */
async function idle(variants: Variant[]): Promise<void> {
  let quietSince = Date.now();
  const deadline = Date.now() + 60_000;
  while (Date.now() - quietSince < 500 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
    const busy = variants.some((v) => {
      const s = v.worker.getStatus();
      return s.numInFlightWorkflowActivations > 0 || s.numInFlightActivities > 0;
    });
    if (busy) quietSince = Date.now();
  }
}

interface Counts {
  signals: number;
  workflowTasks: number;
  activities: number;
}

/** Summed over the variant's findings' workflow histories. */
async function historyCounts(client: Client, v: Variant): Promise<Counts> {
  const counts: Counts = { signals: 0, workflowTasks: 0, activities: 0 };
  await forEachConcurrently(v.findings.length, 8, async (i) => {
    const history = await client.workflow.getHandle(findingWorkflowId(v.findings[i].id)).fetchHistory();
    for (const e of history.events ?? []) {
      if (e.workflowExecutionSignaledEventAttributes) counts.signals++;
      if (e.workflowTaskCompletedEventAttributes) counts.workflowTasks++;
      if (e.activityTaskScheduledEventAttributes) counts.activities++;
    }
  });
  return counts;
}
