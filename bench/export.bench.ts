import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Actor } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { checkpointName, FindingLedgerExport, FindingLedgerProjection } from '@duban/read-models';
import { findingLedgerPlan, streamLedgerExport } from '../apps/api/src/exports/ledger-export';
import { BenchServer, newPool, Row, say } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
/** Export sizes; the first is the baseline. BENCH_EXPORT_ROWS=10000,100000,1000000 adds a million rows (minutes). */
const SIZES = (process.env.BENCH_EXPORT_ROWS ?? (QUICK ? '2000,20000' : '10000,100000')).split(',').map(Number);
const SMALL = SIZES[0];
const LARGE = SIZES[SIZES.length - 1];
const SAMPLE_MS = 10;

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const actor: Actor = { userId: 'sup-1', name: '李秀英', unitId: 'county-office', role: 'supervisor' };

/** Counts bytes and throws them away: the export's only consumer. */
class ByteCounter extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.bytes += chunk.length;
    done();
  }
}

/**
 * Memory of the 问题台账 export (what GET /exports/finding-ledger.xlsx streams) at two sizes. The read model and the
 * event heads are seeded directly with synthetic rows; the export runs exactly as the API runs it (one REPEATABLE READ
 * snapshot, keyset batches of EXPORT_BATCH_SIZE (100), exceljs's streaming writer, heads digest, 导出说明) into a byte counter while
 * process.memoryUsage() is sampled. Flat memory means the 100k (and 1M) peak is about the 10k peak, not 10× (100×).
 */
export async function runExportBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_export');
  const owner = newPool(db.adminUrl, 2);
  const app = newPool(db.appUrl, 4);
  try {
    say(`export: seeding ${LARGE} finding streams (one event each) and the projection checkpoint…\n`);
    await owner.query(
      `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
       SELECT 'finding-' || md5('f' || i)::uuid, 1, md5('e' || i)::uuid, 'FindingRecorded', '{}', '{}',
              timestamptz '2026-11-02 00:00+08' + i * interval '1 second', '', encode(sha256(('h' || i)::bytea), 'hex')
         FROM generate_series(1, $1::int) AS i`,
      [LARGE],
    );
    const head = await new PostgresEventStore(owner, { now: () => new Date() }).head();
    await owner.query(
      `INSERT INTO subscription_checkpoints (name, transaction_id, position) VALUES ($3, $1::text::xid8, $2::bigint)`,
      [head.transactionId, head.position, checkpointName(new FindingLedgerProjection())],
    );
    const results: Array<{ rows: number; heapPeak: number; rssPeak: number; seconds: number; bytes: number }> = [];
    const seed = async (from: number, to: number) =>
      owner.query(
        `INSERT INTO finding_ledger_v2 (finding_id, campaign_id, state, source, category_code, severity, town_unit_id, village,
           household, description, unit_id, owner_id, owner_name, owner_unit_id, recorded_by_id, recorded_by_name, recorded_at,
           dispatched_by_id, dispatched_by_name, dispatched_at, notice_no, due_date, deadline_at, claimed_by_id, claimed_by_name,
           claimed_at, progress_count, stream_version, updated_at)
         SELECT md5('f' || i)::uuid::text, 'campaign-2026-q4', (ARRAY['Dispatched','InRectification','Closed'])[1 + i % 3],
                'household_inspection', '2.3', (ARRAY['red','yellow','blue'])[1 + i % 3], 'town-' || lpad((1 + i % 18)::text, 2, '0'),
                '张庄村' || (i % 300), '户主' || i, '脱贫户住房为C级危房，未纳入改造（第 ' || i || ' 条，合成数据）',
                'town-' || lpad((1 + i % 18)::text, 2, '0'), 'off-' || (i % 40), '郑爱民', 'town-01', 'insp-1', '陈红梅',
                timestamptz '2026-11-02 00:00+08' + i * interval '1 second', 'sup-1', '李秀英',
                timestamptz '2026-11-03 09:00+08' + i * interval '1 second', '郸巩督〔2026〕' || i || '号', date '2026-11-20',
                timestamptz '2026-11-20 16:00Z', 'off-1', '郑爱民', timestamptz '2026-11-04 09:00+08', i % 7, 1, now()
           FROM generate_series($1::int, $2::int) AS i`,
        [from, to],
      );
    const run = async (expected: number) => {
      const sink = new ByteCounter();
      gc();
      await new Promise((r) => setTimeout(r, 50));
      gc();
      const base = process.memoryUsage();
      let heapPeak = 0;
      let rssPeak = 0;
      let buffersPeak = 0;
      const sample = () => {
        const m = process.memoryUsage();
        heapPeak = Math.max(heapPeak, m.heapUsed - base.heapUsed);
        rssPeak = Math.max(rssPeak, m.rss - base.rss);
        // Node Buffers (zip chunks waiting to be written) live outside the JS heap: growth here would be a real backlog.
        buffersPeak = Math.max(buffersPeak, m.external + m.arrayBuffers - (base.external + base.arrayBuffers));
      };
      const timer = setInterval(sample, SAMPLE_MS);
      const started = process.hrtime.bigint();
      const now = new Date();
      const result = await streamLedgerExport(
        app,
        findingLedgerPlan({ actor, now, scope: {}, filters: [] }, new FindingLedgerExport({}, {}, now)),
        () => sink,
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      clearInterval(timer);
      sample();
      const rows = result.sheets[0].rows;
      if (rows !== expected) throw new Error(`export wrote ${rows} rows, expected ${expected}`);
      if (result.digest.streams !== expected || result.digest.missing !== 0) throw new Error('heads digest did not cover every row');
      say(`export: ${rows} rows, peak Buffer/external growth ${(buffersPeak / 2 ** 20).toFixed(1)} MiB\n`);
      return { rows, heapPeak, rssPeak, seconds, bytes: sink.bytes };
    };

    await seed(1, SMALL);
    await owner.query('ANALYZE finding_ledger_v2; ANALYZE events');
    await run(SMALL); // warm-up: module loading, JIT, pool connections
    results.push(await run(SMALL));
    for (let i = 1; i < SIZES.length; i++) {
      await seed(SIZES[i - 1] + 1, SIZES[i]);
      await owner.query('ANALYZE finding_ledger_v2; ANALYZE events');
      results.push(await run(SIZES[i]));
    }

    const mb = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    for (const r of results) {
      say(
        `export 问题台账 ${r.rows.toLocaleString('en')} rows: ${r.seconds.toFixed(2)} s, ${Math.round(r.rows / r.seconds).toLocaleString('en')} rows/s, ` +
          `${mb(r.bytes)} xlsx; peak heap growth ${mb(r.heapPeak)}, peak RSS growth ${mb(r.rssPeak)}\n`,
      );
    }
    const [small] = results;
    for (const large of results.slice(1)) {
      say(
        `export memory ratio ${large.rows / small.rows}x rows: heap ${(large.heapPeak / small.heapPeak).toFixed(2)}x, ` +
          `RSS ${(large.rssPeak / Math.max(small.rssPeak, 1)).toFixed(2)}x (flat ≈ 1x; growing with rows would be ${large.rows / small.rows}x)\n`,
      );
    }
    const row = (r: (typeof results)[number]): Row => ({
      bench: '8 xlsx export (问题台账)',
      variant: `${r.rows.toLocaleString('en')} rows, peak heap +${mb(r.heapPeak)}, RSS +${mb(r.rssPeak)}`,
      unit: 'rows',
      m: { ops: r.rows, seconds: r.seconds, latencies: [] },
    });
    const base = row(small);
    return [
      base,
      ...results.slice(1).map((large) => ({
        ...row(large),
        baseline: base,
        note: `heap ${(large.heapPeak / small.heapPeak).toFixed(2)}x, RSS +${mb(large.rssPeak)} vs +${mb(small.rssPeak)} for ${large.rows / small.rows}x rows`,
      })),
    ];
  } finally {
    await owner.end();
    await app.end();
  }
}
