import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { FindingTimers } from '@duban/application';
import { addDays, shanghaiDateOf, shanghaiInstant } from '@duban/domain';
import { actors } from '@duban/domain/testing/fixtures';
import { PostgresEventStore } from '@duban/event-store';
import { createFindingActivities } from '../apps/worker/src/findings/finding.activities';
import { TemporalForwarder } from '../apps/worker/src/forwarder/temporal-forwarder';
import { startDevServer } from '../infra/temporal/dev-server';
import { bundleWorkflows } from '../workflows/bundle';
import { seedClaimedFindings } from './claimed-findings';
import { BenchServer, CampaignWriter, forEachConcurrently, newPool, Row, say } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
/** Findings whose own workflow holds the cutoff timer (today's mechanism): a dev server on this machine holds no more. */
const TIMER_FINDINGS = QUICK ? 200 : 2_000;
/** The campaign size, for the set-based sweep (no Temporal in the loop). */
const SWEEP_FINDINGS = QUICK ? 2_000 : 20_000;
const SWEEP_CONCURRENCY = 8;
const quiet = { info() {}, warn() {}, error() {} };
const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Bench 10, the daily missed-report cutoff (issue 15 item 6): every open finding owes today's progress report and
 * nobody files it. Figures: the time from the cutoff until every finding's DailyReportMissed is recorded,
 * - today's mechanism: each finding's workflow sleeps until the cutoff and fires its own timer (an activity each, all
 *   in the same instant), on a real dev server and worker;
 * - a set-based sweep, as one per-campaign run at the cutoff would do it: the open findings' ids (a read model's
 *   query in production; known here), each planned and fired through FindingTimers — the same command, idempotency
 *   key (`<finding>:daily-report:<workday>`), decision instant and attribution as the timer's — 8 at a time, on the
 *   same number of findings and on the issue's 20,000.
 */
export async function runCutoffBench(server: BenchServer): Promise<Row[]> {
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000);
  // Seeding and starting the workflows must fit between now and the cutoff, within today (Asia/Shanghai).
  const leadMinutes = QUICK ? 2 : 4;
  if (shanghaiNow.getUTCHours() * 60 + shanghaiNow.getUTCMinutes() + leadMinutes + 15 >= 24 * 60 || shanghaiNow.getUTCHours() === 0) {
    say('cutoff: too close to midnight in Asia/Shanghai for a cutoff later today; skipped\n');
    return [];
  }
  const rows: Row[] = [];
  const timed = await timerHerd(server, leadMinutes);
  rows.push(timed);
  const same = await sweep(server, 'same', TIMER_FINDINGS);
  rows.push({ ...same, baseline: timed });
  if (SWEEP_FINDINGS !== TIMER_FINDINGS) rows.push({ ...(await sweep(server, 'big', SWEEP_FINDINGS)), baseline: timed });
  return rows;
}

/** A campaign whose findings were claimed yesterday, so each owes a report today by `progressCutoff`. */
async function seedCampaign(server: BenchServer, key: string, findings: number, progressCutoff: string) {
  const db = await server.database(`bench_cutoff_${key}`);
  const pool = newPool(db.appUrl, 16);
  const now = new Date().toISOString();
  const today = shanghaiDateOf(now);
  const yesterday = addDays(today, -1);
  const weekend = [0, 6].includes(new Date(`${today}T12:00:00Z`).getUTCDay());
  const campaignId = `cutoff-${key}`;
  const writer = await CampaignWriter.create(
    pool,
    {
      campaignId,
      name: '截止基准测试专项行动',
      noticePrefix: '测截',
      phases: [{ code: 'rectification', name: '集中整改', startDate: addDays(today, -10), endDate: addDays(today, 180) }],
      policy: { progressCutoff },
      // Today owes a report whatever day the bench runs on.
      calendarOverrides: { restDays: [], workDays: weekend ? [today] : [] },
    },
    actors.admin,
    now,
  );
  say(`cutoff: seeding ${findings} findings claimed yesterday (${key})…\n`);
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const ids = Array.from({ length: findings }, (_, i) => `${key}-${String(i).padStart(6, '0')}`);
  const claimedAt = shanghaiInstant(yesterday, '10:00');
  await seedClaimedFindings(store, writer.ctx, campaignId, ids, claimedAt);
  return { pool, writer, ids, cutoffAt: shanghaiInstant(today, progressCutoff), today };
}

const missedCount = async (pool: Pool): Promise<number> =>
  Number((await pool.query(`SELECT count(*)::int AS n FROM events WHERE type = 'DailyReportMissed'`)).rows[0].n);

/** Today's mechanism: one workflow per finding, each holding a timer at the same cutoff. */
async function timerHerd(server: BenchServer, leadMinutes: number): Promise<Row> {
  const at = new Date(Date.now() + 8 * 3600_000 + leadMinutes * 60_000 + 60_000);
  const cutoff = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
  const seeded = await seedCampaign(server, 'timers', TIMER_FINDINGS, cutoff);
  const bundle = await bundleWorkflows({ logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never });
  const dev = await startDevServer({ port: 17_000 + Math.floor(Math.random() * 2_000) });
  const connection = await Connection.connect({ address: dev.address });
  const native = await NativeConnection.connect({ address: dev.address });
  const worker = await Worker.create({
    connection: native,
    taskQueue: 'bench-cutoff',
    workflowBundle: bundle,
    activities: createFindingActivities(seeded.writer.write.timers),
  });
  const running = worker.run();
  try {
    say(`cutoff: starting ${TIMER_FINDINGS} finding workflows (cutoff ${cutoff} Asia/Shanghai)…\n`);
    const forwarder = new TemporalForwarder(seeded.pool, new Client({ connection }), quiet, { taskQueue: 'bench-cutoff', planner: seeded.writer.write.timers });
    await forwarder.catchUp();
    if (Date.now() >= Date.parse(seeded.cutoffAt)) throw new Error(`cutoff bench: the workflows were not all started before ${seeded.cutoffAt}`);
    await new Promise((r) => setTimeout(r, Date.parse(seeded.cutoffAt) - Date.now()));
    const from = nowMs();
    const deadline = Date.now() + 30 * 60_000;
    while ((await missedCount(seeded.pool)) < TIMER_FINDINGS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const recorded = await missedCount(seeded.pool);
    return {
      bench: '10 missed-report cutoff: cutoff → every DailyReportMissed recorded',
      variant: `a timer per finding's workflow (today), ${TIMER_FINDINGS} open findings`,
      unit: 'missed reports',
      m: { ops: recorded, seconds: (nowMs() - from) / 1000, latencies: [] },
      note: `${recorded}/${TIMER_FINDINGS} recorded in ${((nowMs() - from) / 1000).toFixed(1)} s; dev server + worker in this process`,
    };
  } finally {
    worker.shutdown();
    await running.catch(() => undefined);
    await connection.close();
    await native.close();
    await dev.stop();
    await seeded.pool.end();
  }
}

/** The set-based sweep: what a per-campaign run at the cutoff does for the findings owing today's report. */
async function sweep(server: BenchServer, key: string, findings: number): Promise<Row> {
  // A cutoff already past today: the sweep runs at once (it decides at the cutoff's instant, as the timer does).
  const seeded = await seedCampaign(server, key, findings, '00:00');
  try {
    say(`cutoff: sweeping ${findings} findings…\n`);
    const from = nowMs();
    await forEachConcurrently(seeded.ids.length, SWEEP_CONCURRENCY, (i) => recordMissed(seeded.writer.write.timers, seeded.ids[i], seeded.cutoffAt));
    const seconds = (nowMs() - from) / 1000;
    const recorded = await missedCount(seeded.pool);
    return {
      bench: '10 missed-report cutoff: cutoff → every DailyReportMissed recorded',
      variant: `set-based sweep through FindingTimers, ${SWEEP_CONCURRENCY} at a time, ${findings} open findings`,
      unit: 'missed reports',
      m: { ops: recorded, seconds, latencies: [] },
      note: `${recorded}/${findings} recorded in ${seconds.toFixed(1)} s; no Temporal in the loop`,
    };
  } finally {
    await seeded.pool.end();
  }
}

/** Every report the finding owes up to the cutoff, each at its own cutoff instant, as the finding's timers would fire. */
async function recordMissed(timers: FindingTimers, findingId: string, cutoffAt: string): Promise<void> {
  for (;;) {
    const due = (await timers.plan(findingId)).timers.find((t) => t.kind === 'daily_report' && t.dueAt <= cutoffAt);
    if (!due) return;
    const fired = await timers.fire(findingId, due, `sweep/${randomUUID()}`);
    if (fired.appended.length === 0) return;
  }
}
