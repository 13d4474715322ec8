import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import {
  calendarFor,
  FindingCommand,
  findingDecider,
  findingStreamId,
} from '@duban/domain';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import type { Actor } from '@duban/domain';
import {
  canonicalize,
  PostgresEventStore,
  RecordedEvent,
  sha256Hex,
  START,
  StreamVersionConflict,
  verifyChains,
} from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { CommandRunner } from '@duban/event-store';
import { BenchServer, CampaignWriter, forEachConcurrently, interleaved, measure, newPool, Row, say, timeOnce } from './support';

/**
 * Event-store benchmarks. Every figure is a ratio to a baseline measured in the same run on the same server.
 * Sizes are bounded so that the whole run stays under ~2 minutes on 2 cores; BENCH_QUICK=1 shrinks them tenfold.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const scale = (n: number) => (QUICK ? Math.max(20, Math.round(n / 10)) : n);
const SIZES = {
  warmup: scale(200),
  sequential: scale(2000),
  concurrent: scale(4000),
  concurrency: 8,
  hot: scale(2000),
  hotConcurrent: scale(1000),
  /** Target size of the realistic log used by benches 3–5. */
  logEvents: scale(12000),
  readPasses: 3,
  verifyPasses: 3,
  readBatch: 500,
};

const clock = { now: () => new Date() };
const UNIT_NAMES: Record<string, string> = { 'town-a': '宁平镇', 'dept-b': '县住建局' };

export async function runEventStoreBench(server: BenchServer): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await appendBenches(server)));
  rows.push(...(await logBenches(server)));
  return rows;
}

// ---------- 1 & 2: appends ----------

/** A real FindingRecorded payload, decided by the domain, reused for every synthetic append. */
function recordedPayload(): { type: string; data: Record<string, unknown> } {
  const settings = testCampaign;
  const [e] = findingDecider.decide(
    {
      type: 'RecordFinding',
      data: recordData('bench'),
      metadata: { actor: actors.inspector, now: '2026-10-12T09:00:00+08:00' },
    } as FindingCommand,
    findingDecider.initialState(),
    { campaign: settings, calendar: calendarFor(settings) },
  );
  return { type: e.type, data: e.data as unknown as Record<string, unknown> };
}

async function appendBenches(server: BenchServer): Promise<Row[]> {
  const { adminUrl, appUrl } = await server.database('duban_bench_append');
  const admin = newPool(adminUrl, 2);
  // Same columns, defaults, identity and indexes as `events` (LIKE … INCLUDING ALL); no trigger, no chain, no checks.
  await admin.query('CREATE TABLE bench_scratch_events (LIKE events INCLUDING ALL)');
  await admin.query('GRANT SELECT, INSERT ON bench_scratch_events TO duban_app');
  await admin.end();

  const pool = newPool(appUrl, SIZES.concurrency + 2);
  const store = new PostgresEventStore(pool, clock);
  const runner = new CommandRunner(store, clock);
  const payload = recordedPayload();
  const dataText = canonicalize(payload.data);
  const metadataText = canonicalize({ correlationId: randomUUID(), commandType: 'RecordFinding' });
  const fakeHash = sha256Hex('bench');
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}`;

  const ops: Record<string, (i: number) => Promise<void>> = {
    baseline: async () => {
      await pool.query(
        `INSERT INTO bench_scratch_events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [unique('scratch'), 1, randomUUID(), payload.type, dataText, metadataText, new Date(), fakeHash, fakeHash],
      );
    },
    append: async () => {
      await store.append([{ streamId: unique('plain'), expectedVersion: 0, events: [newEvent(payload)] }]);
    },
    appendIdem: async () => {
      const streamId = unique('idem');
      await store.append([{ streamId, expectedVersion: 0, events: [newEvent(payload)] }], idempotency(streamId, payload.data));
    },
    runner: async () => {
      const findingId = unique('cmd');
      await runner.run(
        {
          commandType: 'RecordFinding',
          actor: actors.inspector,
          idempotencyKey: randomUUID(),
          correlationId: randomUUID(),
          body: { findingId, data: payload.data, expectedVersion: null },
        },
        async ({ toNewEvents }) => {
          const streamId = findingStreamId(findingId);
          return {
            appends: [{ streamId, expectedVersion: 0, events: toNewEvents(streamId, [payload]) }],
            result: (streams) => ({ findingId, version: streams[0].toVersion }),
          };
        },
      );
    },
  };
  const labels: Record<string, string> = {
    baseline: 'plain INSERT, 1 row, autocommit (baseline)',
    append: 'store.append, no idempotency',
    appendIdem: 'store.append + idempotency record',
    runner: 'CommandRunner.run (replay check + append + idem)',
  };

  const checkpoint = async () => {
    // Start every phase from a clean slate: nothing dirty left over from the previous one.
    const a = newPool(adminUrl, 1);
    await a.query('CHECKPOINT');
    await a.end();
  };

  const out: Row[] = [];
  for (const [mode, concurrency, n] of [
    ['sequential', 1, SIZES.sequential],
    [`${SIZES.concurrency} clients`, SIZES.concurrency, SIZES.concurrent],
  ] as const) {
    say(`  1. distinct streams, ${mode}…\n`);
    for (const op of Object.values(ops)) await measure(SIZES.warmup, concurrency, op);
    await checkpoint();
    const results = await interleaved(ops, n, concurrency);
    const base: Row = { bench: `1 append, ${mode}`, variant: labels.baseline, unit: 'ops', m: results.baseline };
    out.push(base);
    for (const name of ['append', 'appendIdem', 'runner']) {
      out.push({ bench: `1 append, ${mode}`, variant: labels[name], unit: 'ops', m: results[name], baseline: base });
    }
  }

  // 2. One hot stream: every append reads the head (version, hash) and chains onto it.
  say('  2. one hot stream vs distinct streams…\n');
  const hotStream = 'bench-hot-sequential';
  let hotVersion = 0;
  const hotOp = async () => {
    const r = await store.append(
      [{ streamId: hotStream, expectedVersion: hotVersion, events: [newEvent(payload)] }],
      idempotency(unique('hot'), payload.data),
    );
    if (r.kind === 'appended') hotVersion = r.streams[0].toVersion;
  };
  await measure(SIZES.warmup, 1, hotOp);
  await checkpoint();
  const seq2 = await interleaved({ distinct: ops.appendIdem, hot: hotOp }, SIZES.hot, 1);
  const distinct = seq2.distinct;
  const hot = seq2.hot;

  // Eight writers on one stream: each appends at the version it last saw and, on a conflict, re-reads the head and
  // retries after CommandRunner's jittered backoff (attempt × 2–10 ms).
  const contended = 'bench-hot-contended';
  let known = 0;
  let conflicts = 0;
  const contendedOp = async () => {
    for (let attempt = 1; ; attempt++) {
      const expected = known;
      try {
        const r = await store.append(
          [{ streamId: contended, expectedVersion: expected, events: [newEvent(payload)] }],
          idempotency(unique('hotc'), payload.data),
        );
        if (r.kind === 'appended') known = Math.max(known, r.streams[0].toVersion);
        return;
      } catch (err) {
        if (!(err instanceof StreamVersionConflict)) throw err;
        conflicts += 1;
        const { rows } = await pool.query<{ v: number }>(
          'SELECT coalesce(max(version), 0)::int AS v FROM events WHERE stream_id = $1',
          [contended],
        );
        known = Math.max(known, rows[0].v);
        await new Promise((resolve) => setTimeout(resolve, attempt * (2 + Math.random() * 8)));
      }
    }
  };
  await checkpoint();
  const conc2 = await interleaved({ distinct: ops.appendIdem, hot: contendedOp }, SIZES.hotConcurrent, SIZES.concurrency);
  const hotConc = conc2.hot;
  const distinctConc = conc2.distinct;
  await pool.end();

  const d: Row = { bench: '2 hot stream, sequential', variant: 'distinct streams, append + idem (baseline)', unit: 'ops', m: distinct };
  const dc: Row = { bench: `2 hot stream, ${SIZES.concurrency} clients`, variant: 'distinct streams, append + idem (baseline)', unit: 'ops', m: distinctConc };
  out.push(
    d,
    { bench: '2 hot stream, sequential', variant: 'one stream, expected version + chain', unit: 'ops', m: hot, baseline: d },
    dc,
    {
      bench: `2 hot stream, ${SIZES.concurrency} clients`,
      variant: 'one stream, retry on VERSION_CONFLICT',
      unit: 'ops',
      m: hotConc,
      baseline: dc,
      note: `${conflicts} conflicts (${(conflicts / SIZES.hotConcurrent).toFixed(2)}/append)`,
    },
  );
  return out;
}

function newEvent(payload: { type: string; data: Record<string, unknown> }) {
  return { eventId: randomUUID(), type: payload.type, data: payload.data, metadata: { correlationId: randomUUID(), commandType: 'RecordFinding' } };
}

/** The idempotency record the API writes with every command (libs/event-store/src/command-runner.ts). */
function idempotency(id: string, body: unknown) {
  return {
    key: `${actors.inspector.userId}:${id}`,
    commandType: 'RecordFinding',
    requestHash: sha256Hex(canonicalize({ type: 'RecordFinding', body })),
    result: (streams: { toVersion: number }[]) => ({ id, version: streams[0].toVersion }),
  };
}

// ---------- the realistic log: findings driven through the domain ----------

const sh = (local: string): string => `${local.replace(' ', 'T')}:00+08:00`;

const recordData = (findingId: string, severity: 'red' | 'yellow' | 'blue' = 'yellow', categoryCode = '2.3') => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode,
  severity,
  townUnitId: 'town-a',
  village: '张庄村',
  household: '张某某',
  description: '住房安全鉴定后未落实改造',
  evidence: ['photo-1'],
});

type Step = [type: FindingCommand['type'], data: Record<string, unknown>, actor: Actor, at: string];

/** Three lifecycles, as in libs/read-models/test/projections.spec.ts: closed after a rejection, reassigned, annulled. */
function lifecycle(findingId: string, kind: number): Step[] {
  const { inspector, supervisor, supervisor2, officialA, officialB } = actors;
  const dispatch: Step = ['DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00')];
  if (kind === 0 || kind === 1) {
    return [
      ['RecordFinding', recordData(findingId, kind === 0 ? 'yellow' : 'red'), inspector, sh('2026-10-12 09:00')],
      dispatch,
      ['ClaimFinding', {}, officialA, sh('2026-10-13 09:00')],
      ['SubmitRectificationPlan', { plan: '一户一策改造', measures: ['鉴定', '施工'], plannedCompletionDate: '2026-10-20' }, officialA, sh('2026-10-13 10:00')],
      ['ReportProgress', { summary: '已完成鉴定', percent: 30, evidence: ['p-1'] }, officialA, sh('2026-10-13 17:00')],
      ['ReportProgress', { summary: '施工过半', percent: 60, evidence: ['p-2'] }, officialA, sh('2026-10-14 17:00')],
      ['RequestExtension', { workdays: 3, reason: '材料未到' }, officialA, sh('2026-10-15 09:00')],
      ['GrantExtension', {}, supervisor, sh('2026-10-15 10:00')],
      ['SubmitRectification', { summary: '改造完成', evidence: ['done-1'] }, officialA, sh('2026-10-16 09:00')],
      ['RejectRectification', { reason: '佐证不全' }, supervisor2, sh('2026-10-16 15:00')],
      ['SubmitRectification', { summary: '补充佐证', evidence: ['done-2'] }, officialA, sh('2026-10-19 09:00')],
      ['VerifyRectification', { note: '同意销号' }, supervisor, sh('2026-10-19 15:00')],
    ];
  }
  if (kind === 2) {
    return [
      ['RecordFinding', recordData(findingId, 'red', '2.4'), inspector, sh('2026-10-12 09:30')],
      dispatch,
      ['ClaimFinding', {}, officialA, sh('2026-10-13 09:00')],
      ['ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责' }, supervisor, sh('2026-10-14 09:00')],
      ['ClaimFinding', {}, officialB, sh('2026-10-14 10:00')],
    ];
  }
  return [
    ['RecordFinding', recordData(findingId), inspector, sh('2026-10-12 10:00')],
    ['AnnulFinding', { reason: '重复登记' }, supervisor, sh('2026-10-12 11:00')],
  ];
}
/** Events per finding of each kind, including the campaign's notice event for a dispatch. */
const EVENTS_PER_KIND = [13, 13, 6, 2];

/**
 * Writes findings the way the API does (CampaignWriter in ./support: decide on current state, append with the expected
 * version and an idempotency record; a dispatch appends the campaign's notice number atomically with the finding's
 * event), 8 findings at a time.
 */
export async function generateLog(pool: Pool, targetEvents: number): Promise<{ findings: number; events: number; seconds: number }> {
  const writer = await CampaignWriter.create(
    pool,
    { campaignId: 'c1', name: testCampaign.name, noticePrefix: testCampaign.noticePrefix, phases: testCampaign.phases },
    actors.admin,
    sh('2026-09-01 09:00'),
  );
  const plan: number[] = [];
  let events = writer.events;
  while (events < targetEvents) {
    const kind = plan.length % 4;
    plan.push(kind);
    events += EVENTS_PER_KIND[kind];
  }
  const started = Date.now();
  await forEachConcurrently(plan.length, SIZES.concurrency, async (n) => {
    const findingId = `bench-${String(n).padStart(5, '0')}`;
    for (const [type, data, actor, now] of lifecycle(findingId, plan[n])) await writer.exec(findingId, type, data, actor, now);
  });
  return { findings: plan.length, events: writer.events, seconds: (Date.now() - started) / 1000 };
}

// ---------- 3, 4, 5: reading the log, projections, chain verification ----------

async function logBenches(server: BenchServer): Promise<Row[]> {
  const { adminUrl, appUrl } = await server.database('duban_bench_log');
  const pool = newPool(appUrl, SIZES.concurrency + 2);
  const adminPool = newPool(adminUrl, 2);
  const store = new PostgresEventStore(pool, clock);

  say(`  generating a realistic log of ~${SIZES.logEvents} events through the domain…\n`);
  const gen = await generateLog(pool, SIZES.logEvents);
  const { rows: countRows } = await adminPool.query<{ n: number; streams: number }>(
    'SELECT count(*)::int AS n, count(DISTINCT stream_id)::int AS streams FROM events',
  );
  const total = countRows[0].n;
  say(`  ${gen.findings} findings, ${total} events in ${countRows[0].streams} streams (${gen.seconds.toFixed(1)} s, ${Math.round(gen.events / gen.seconds)} events/s with 8 writers)\n`);
  await adminPool.query('VACUUM ANALYZE events');
  // ANALYZE's transaction must be gone before a commit-order read can pass it.
  await adminPool.end();

  // 3. Commit-order reads in batches of 500 vs a plain keyset scan by position.
  say('  3. reading the log…\n');
  const batchLatencies = { readAll: [] as number[], keyset: [] as number[] };
  const scanTime = { readAll: 0, keyset: 0 };
  let readCount = { readAll: 0, keyset: 0 };
  const scanReadAll = async () => {
    let after = START;
    for (;;) {
      const t0 = performance.now();
      const batch = await store.readAll(after, SIZES.readBatch);
      batchLatencies.readAll.push(performance.now() - t0);
      readCount.readAll += batch.length;
      if (batch.length < SIZES.readBatch) return;
      const last = batch[batch.length - 1];
      after = { transactionId: last.transactionId, position: last.position };
    }
  };
  const scanKeyset = async () => {
    let after = '0';
    for (;;) {
      const t0 = performance.now();
      const { rows } = await pool.query<{ position: string }>(
        `SELECT position::text AS position, transaction_id::text AS transaction_id, stream_id, version,
                event_id::text AS event_id, type, data, metadata, recorded_at, prev_hash, hash
           FROM events WHERE events.position > $1::bigint ORDER BY events.position LIMIT $2`,
        [after, SIZES.readBatch],
      );
      batchLatencies.keyset.push(performance.now() - t0);
      readCount.keyset += rows.length;
      if (rows.length < SIZES.readBatch) return;
      after = rows[rows.length - 1].position;
    }
  };
  await scanKeyset();
  await scanReadAll();
  batchLatencies.readAll = [];
  batchLatencies.keyset = [];
  readCount = { readAll: 0, keyset: 0 };
  for (let pass = 0; pass < SIZES.readPasses; pass++) {
    let t = performance.now();
    await scanKeyset();
    scanTime.keyset += performance.now() - t;
    t = performance.now();
    await scanReadAll();
    scanTime.readAll += performance.now() - t;
  }
  if (readCount.keyset !== total * SIZES.readPasses) {
    throw new Error(`keyset scan returned ${readCount.keyset / SIZES.readPasses} of ${total} events per pass`);
  }
  if (readCount.readAll !== total * SIZES.readPasses) {
    throw new Error(`readAll returned ${readCount.readAll / SIZES.readPasses} of ${total} events per pass`);
  }
  const keysetRow: Row = {
    bench: '3 read log',
    variant: `SELECT … ORDER BY position LIMIT ${SIZES.readBatch} (baseline)`,
    unit: 'events',
    m: { ops: readCount.keyset, seconds: scanTime.keyset / 1000, latencies: batchLatencies.keyset },
    note: `p50/p99 per batch of ${SIZES.readBatch}, ${SIZES.readPasses} passes`,
  };
  const readAllRow: Row = {
    bench: '3 read log',
    variant: `readAll in commit order, batches of ${SIZES.readBatch}`,
    unit: 'events',
    m: { ops: readCount.readAll, seconds: scanTime.readAll / 1000, latencies: batchLatencies.readAll },
    baseline: keysetRow,
    note: `p50/p99 per batch of ${SIZES.readBatch}`,
  };

  // 4. Projections catching up from zero vs only reading the same events.
  say('  4. projections catching up…\n');
  const readOnly = async (passes: number) => {
    for (let p = 0; p < passes; p++) {
      let after = START;
      let batch: RecordedEvent[];
      do {
        batch = await store.readAll(after, SIZES.readBatch);
        if (batch.length) after = { transactionId: batch[batch.length - 1].transactionId, position: batch[batch.length - 1].position };
      } while (batch.length === SIZES.readBatch);
    }
  };
  const projections = createProjections({ unitName: (id) => UNIT_NAMES[id] ?? id });
  const readOnce = await timeOnce(total, () => readOnly(1));
  const readPerProjection = await timeOnce(total, () => readOnly(projections.length));
  const runner = new ProjectionRunner(pool, projections);
  const { rows: head } = await pool.query<{ t: string; p: string }>(
    'SELECT transaction_id::text AS t, position::text AS p FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1',
  );
  const projected = await timeOnce(total, async () => {
    if (!(await runner.catchUpTo({ transactionId: head[0].t, position: head[0].p }, { timeoutMs: 120_000, batchSize: SIZES.readBatch }))) {
      throw new Error('projections did not reach the head of the log');
    }
  });
  const { rows: ledger } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_ledger_v2');
  if (ledger[0].n !== gen.findings) throw new Error(`finding ledger has ${ledger[0].n} of ${gen.findings} findings`);
  const readOnceRow: Row = { bench: '4 projections', variant: 'readAll over the log, nothing applied (baseline)', unit: 'events', m: readOnce };

  // 5. Chain verification vs reading every row in the same order.
  say('  5. verifying chains…\n');
  const plainRead = async () => {
    let cursor = { streamId: '', version: 0 };
    let n = 0;
    for (;;) {
      const { rows } = await pool.query<{ stream_id: string; version: number }>(
        `SELECT position::text AS position, stream_id, version, event_id::text AS event_id, type, data, metadata,
                recorded_at, prev_hash, hash
           FROM events WHERE (stream_id, version) > ($1, $2) ORDER BY stream_id, version LIMIT $3`,
        [cursor.streamId, cursor.version, 5000],
      );
      if (rows.length === 0) return n;
      n += rows.length;
      cursor = { streamId: rows[rows.length - 1].stream_id, version: rows[rows.length - 1].version };
    }
  };
  await plainRead();
  const verifyMs: number[] = [];
  const plainMs: number[] = [];
  for (let pass = 0; pass < SIZES.verifyPasses; pass++) {
    let t = performance.now();
    if ((await plainRead()) !== total) throw new Error('plain read missed rows');
    plainMs.push(performance.now() - t);
    t = performance.now();
    const report = await verifyChains(pool);
    verifyMs.push(performance.now() - t);
    if (!report.ok || report.eventsChecked !== total) throw new Error(`verifyChains: ok=${report.ok}, ${report.eventsChecked} of ${total}`);
  }
  await pool.end();
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / 1000;
  const plainRow: Row = {
    bench: '5 verify chains',
    variant: 'read every row by (stream_id, version), no hashing (baseline)',
    unit: 'events',
    m: { ops: total * SIZES.verifyPasses, seconds: sum(plainMs), latencies: [] },
    note: `${SIZES.verifyPasses} passes`,
  };

  return [
    keysetRow,
    readAllRow,
    readOnceRow,
    {
      bench: '4 projections',
      variant: `readAll once per projection (${projections.length}×), nothing applied`,
      unit: 'events',
      m: readPerProjection,
      baseline: readOnceRow,
      note: 'events/s counts each log event once',
    },
    {
      bench: '4 projections',
      variant: `ProjectionRunner, ${projections.length} projections, catch-up from zero`,
      unit: 'events',
      m: projected,
      baseline: readOnceRow,
      note: `${gen.findings} findings`,
    },
    plainRow,
    {
      bench: '5 verify chains',
      variant: 'verifyChains over the whole log',
      unit: 'events',
      m: { ops: total * SIZES.verifyPasses, seconds: sum(verifyMs), latencies: [] },
      baseline: plainRow,
      note: `${SIZES.verifyPasses} passes, all chains ok`,
    },
  ];
}
