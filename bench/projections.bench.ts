import type { Pool, PoolClient } from 'pg';
import { PostgresEventStore, RecordedEvent, START } from '@duban/event-store';
import { ALL_PROJECTIONS, createProjections, hasBatchPath, type Projection, ProjectionRunner } from '@duban/read-models';
import { generateLog, QUICK, SIZES, UNIT_NAMES } from './event-store-support';
import { BenchServer, Measurement, newPool, rate, Row, say, timeOnce } from './support';

/** Events per batch, for the rebuild and for the scan it is compared with. */
const BATCH = 2000;
/** Log sizes rebuilt (after the base log written through the domain); BENCH_PROJECTION_SIZES=200000,1000000. */
const SIZES_TO_REBUILD = (process.env.BENCH_PROJECTION_SIZES ?? (QUICK ? '6000' : '200000,1000000')).split(',').map(Number);

/**
 * Rebuild of every projection (createProjections(), as `npm run rebuild -- --all` runs it) against a raw ordered scan
 * of the same log. The base log is the realistic campaign of bench 4 written through the domain (~12k events); larger
 * logs replicate it under new finding and campaign ids with INSERT … SELECT (one campaign per copy, as counties
 * would be), so reaching a million events takes seconds instead of the ~15 minutes writing them would.
 *
 * Per size, interleaved: the scan (`readAll` in commit order, batches of BATCH, nothing applied) — the baseline —, the
 * rebuild of every projection together (`rebuildTogether`, batches of BATCH), the scan again. At the base size also
 * the per-event path (each projection without its batch method, rebuilt one after another as before).
 */
export async function runProjectionsBench(server: BenchServer): Promise<Row[]> {
  const { adminUrl, appUrl } = await server.database('duban_bench_projections');
  const pool = newPool(appUrl, 4);
  const admin = newPool(adminUrl, 2);
  const store = new PostgresEventStore(pool, { now: () => new Date() });
  const rows: Row[] = [];
  try {
    say(`projections: writing the base log (~${SIZES.logEvents} events) through the domain…\n`);
    const gen = await generateLog(pool, SIZES.logEvents);
    const base = await countEvents(admin);
    const baseHead = await store.head();
    await settle(admin);
    const projections = createProjections({ unitName: (id) => UNIT_NAMES[id] ?? id });
    const names = [...ALL_PROJECTIONS];

    // The base log: scan, per-event rebuild, batched rebuild, scan.
    const scanA = await scan(store, base);
    const perEvent = await timeOnce(base, async () => {
      const runner = new ProjectionRunner(pool, projections.map(withoutBatch));
      for (const name of names) await runner.rebuild(name, BATCH);
    });
    const reference = await dump(admin);
    const timings = new Map<string, number>();
    const batched = await timeOnce(base, () => rebuildAll(pool, projections.map((p) => timed(p, timings)), names));
    if (JSON.stringify(await dump(admin)) !== JSON.stringify(reference)) throw new Error('the batched rebuild left other rows than the per-event one');
    const scanB = await scan(store, base);
    const baseline = mean(scanA, scanB);
    const scanRow: Row = { bench: `6 rebuild ${base}`, variant: `readAll in commit order, batches of ${BATCH}, nothing applied (baseline)`, unit: 'events', m: baseline };
    rows.push(
      scanRow,
      { bench: `6 rebuild ${base}`, variant: `every projection (${names.length}), per event (before)`, unit: 'events', m: perEvent, baseline: scanRow, note: `${gen.findings} findings` },
      { bench: `6 rebuild ${base}`, variant: `every projection (${names.length}), batched, together`, unit: 'events', m: batched, baseline: scanRow, note: 'tables equal to per-event' },
    );
    say(
      `  ${base} events: scan ${Math.round(rate(baseline))} events/s, per event ${Math.round(rate(perEvent))} events/s (${perEvent.seconds.toFixed(1)} s), ` +
        `batched ${Math.round(rate(batched))} events/s (${batched.seconds.toFixed(1)} s)\n`,
    );
    const spent = [...timings.entries()].sort((a, b) => b[1] - a[1]);
    say(`  where the batched rebuild's time goes (apply only): ${spent.map(([n, ms]) => `${n} ${Math.round(ms)} ms`).join(', ')}\n`);

    let events = base;
    let copy = 0;
    for (const target of SIZES_TO_REBUILD) {
      if (target <= base) continue;
      say(`projections: replicating the base log to ${target} events…\n`);
      const t0 = performance.now();
      while (events + base <= target) {
        copy += 1;
        events += await replicate(admin, baseHead.position, copy);
      }
      say(`  ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      await settle(admin);
      const a = await scan(store, events);
      const spentHere = new Map<string, number>();
      const rebuilt = await timeOnce(events, () => rebuildAll(pool, projections.map((p) => timed(p, spentHere)), names));
      const b = await scan(store, events);
      const { rows: ledger } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_ledger_v2');
      if (ledger[0].n !== gen.findings * (copy + 1)) throw new Error(`finding ledger has ${ledger[0].n} of ${gen.findings * (copy + 1)} findings`);
      const baselineRow: Row = { bench: `6 rebuild ${events}`, variant: `readAll in commit order, batches of ${BATCH}, nothing applied (baseline)`, unit: 'events', m: mean(a, b) };
      rows.push(baselineRow, {
        bench: `6 rebuild ${events}`,
        variant: `every projection (${names.length}), batched, together`,
        unit: 'events',
        m: rebuilt,
        baseline: baselineRow,
        note: `${ledger[0].n} findings`,
      });
      say(`  ${events} events: scan ${Math.round(rate(mean(a, b)))} events/s, rebuild ${Math.round(rate(rebuilt))} events/s (${rebuilt.seconds.toFixed(1)} s)\n`);
      say(`  apply time: ${[...spentHere.entries()].sort((x, y) => y[1] - x[1]).map(([n, ms]) => `${n} ${Math.round(ms)} ms`).join(', ')}\n`);
    }
  } finally {
    await Promise.all([pool.end(), admin.end()]);
  }
  return rows;
}

async function rebuildAll(pool: Pool, projections: Projection[], names: readonly string[]): Promise<void> {
  const { stopped } = await new ProjectionRunner(pool, projections).rebuildTogether(names, BATCH);
  if (stopped.length) throw stopped[0];
}

/** The projection as it was before batches: no batch method, so the runner applies event by event. */
function withoutBatch(p: Projection): Projection {
  return { name: p.name, version: p.version, tables: p.tables, handles: p.handles, apply: (c, e) => p.apply(c, e) };
}

/** The same projection, adding the time spent applying to `into` (its batch method kept only where it has one). */
function timed(p: Projection, into: Map<string, number>): Projection {
  const add = async <T>(job: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await job();
    } finally {
      into.set(p.name, (into.get(p.name) ?? 0) + performance.now() - t0);
    }
  };
  return {
    name: p.name,
    version: p.version,
    tables: p.tables,
    handles: p.handles,
    apply: (c, e) => add(() => p.apply(queriesTimed(c, p.name, into), e)),
    applyBatch: hasBatchPath(p) ? (c, es) => add(() => p.applyBatch!(queriesTimed(c, p.name, into), es)) : undefined,
  };
}

/** The client with its queries' time added to `into` under `<name> sql`. */
function queriesTimed(client: PoolClient, name: string, into: Map<string, number>): PoolClient {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (target.query as (...a: unknown[]) => Promise<unknown>)(...args);
        } finally {
          into.set(`${name} sql`, (into.get(`${name} sql`) ?? 0) + performance.now() - t0);
        }
      };
    },
  });
}

/** One pass over the whole log in commit order, as a projection reads it, applying nothing. */
async function scan(store: PostgresEventStore, expected: number): Promise<Measurement> {
  return timeOnce(expected, async () => {
    let after = START;
    let n = 0;
    let batch: RecordedEvent[];
    do {
      batch = await store.readAll(after, BATCH);
      n += batch.length;
      if (batch.length) after = { transactionId: batch[batch.length - 1].transactionId, position: batch[batch.length - 1].position };
    } while (batch.length === BATCH);
    if (n !== expected) throw new Error(`scan read ${n} of ${expected} events`);
  });
}

const mean = (a: Measurement, b: Measurement): Measurement => ({ ops: a.ops + b.ops, seconds: a.seconds + b.seconds, latencies: [] });

/**
 * One more copy of the base log (every event up to `lastPosition`) under new ids, in commit order, in one transaction:
 * finding `x` becomes `r<copy>-x`, campaign `c1` becomes `c1-r<copy>`; hashes are copied as they are (a projection
 * stores them, never checks them).
 */
async function replicate(admin: Pool, lastPosition: string, copy: number): Promise<number> {
  const r = await admin.query(
    `INSERT INTO events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash)
     SELECT CASE WHEN stream_id LIKE 'finding-%' THEN 'finding-r' || $2::text || '-' || substr(stream_id, 9)
                 ELSE stream_id || '-r' || $2::text END,
            version, gen_random_uuid(), type,
            replace(replace(data, '"findingId":"', '"findingId":"r' || $2::text || '-'),
                    '"campaignId":"c1"', '"campaignId":"c1-r' || $2::text || '"'),
            metadata, recorded_at, prev_hash, hash
       FROM events WHERE position <= $1::bigint
      ORDER BY transaction_id, position`,
    [lastPosition, copy],
  );
  return r.rowCount ?? 0;
}

async function countEvents(admin: Pool): Promise<number> {
  return (await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0].n;
}

/** Statistics fresh, and no transaction of ours left open below the commit-order horizon. */
async function settle(admin: Pool): Promise<void> {
  await admin.query('VACUUM ANALYZE events');
}

/** Every table the projections write, as text, to compare two rebuilds of the same log. */
async function dump(admin: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const p of createProjections()) {
    for (const table of p.tables) {
      const { rows } = await admin.query(`SELECT to_jsonb(t)::text AS r FROM ${table} t ORDER BY 1`);
      out[table] = rows.map((x) => x.r);
    }
  }
  return out;
}
