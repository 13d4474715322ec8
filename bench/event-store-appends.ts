import { randomUUID } from 'node:crypto';
import { calendarFor, type FindingCommand, findingDecider, findingStreamId } from '@duban/domain';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import { canonicalize, CommandRunner, PostgresEventStore, sha256Hex, StreamVersionConflict } from '@duban/event-store';
import { clock, recordData, SIZES } from './event-store-support';
import { BenchServer, forEachConcurrently, interleaved, measure, newPool, Row, say, timeOnce } from './support';

// ---------- 1 & 2: appends ----------

/** A real FindingRecorded payload, decided by the domain, reused for every synthetic append. */
export function recordedPayload(): { type: string; data: Record<string, unknown> } {
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

export async function appendBenches(server: BenchServer): Promise<Row[]> {
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
