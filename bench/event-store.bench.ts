import { PostgresEventStore, RecordedEvent, START, verifyChains } from '@duban/event-store';
import { createProjections, ProjectionRunner } from '@duban/read-models';
import { appendBenches } from './event-store-appends';
import { clock, generateLog, SIZES, UNIT_NAMES } from './event-store-support';
import { BenchServer, newPool, Row, say, timeOnce } from './support';

/**
 * Event-store benchmarks. Every figure is a ratio to a baseline measured in the same run on the same server.
 * Sizes are bounded so that the whole run stays under ~2 minutes on 2 cores; BENCH_QUICK=1 shrinks them tenfold.
 */
export async function runEventStoreBench(server: BenchServer): Promise<Row[]> {
  const rows: Row[] = [];
  rows.push(...(await appendBenches(server)));
  rows.push(...(await logBenches(server)));
  return rows;
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
  const head = await store.head();
  const projected = await timeOnce(total, async () => {
    if (!(await runner.catchUpTo(head, { timeoutMs: 120_000, batchSize: SIZES.readBatch }))) {
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
