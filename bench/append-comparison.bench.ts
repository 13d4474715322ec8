import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { actors } from '@duban/domain/testing/fixtures';
import { canonicalize, CommandRunner, ed25519Signer, type NewEvent, PostgresEventStore, sha256Hex } from '@duban/event-store';
import { recordedPayload } from './event-store-appends';
import { clock, QUICK } from './event-store-support';
import { type BenchServer, interleaved, measure, type Measurement, newPool, rate, type Row, say } from './support';

/**
 * Duban's append against a raw INSERT of the same rows and against Emmett's PostgreSQL store on the same server, the
 * variants interleaved (issue 15, item 2: ≥ 0.8× raw and ≥ 1.2× Emmett at one event per command, 8 clients, and at
 * 100-event batches). Duban's store signs every event, as the API's and the worker's do.
 *
 * Emmett lives in bench/emmett with its own package.json: its peer dependencies want uuid 10 where the root has 11.
 * It is installed there on first use (npm, the registry the project already uses) and loaded from there.
 */
const EMMETT_DIR = join(__dirname, 'emmett');
const POOL = 10;
const CLIENTS = 8;
const SINGLE_OPS = QUICK ? 400 : 4000;
const BATCH = 100;
const BATCH_OPS = QUICK ? 40 : 400;

interface EmmettStore {
  appendToStream(streamName: string, events: Array<{ type: string; data: unknown; metadata?: unknown }>, options?: { expectedStreamVersion?: unknown }): Promise<unknown>;
  close(): Promise<void>;
  schema: { migrate(): Promise<unknown> };
}

function loadEmmett(): { getPostgreSQLEventStore: (url: string) => EmmettStore; STREAM_DOES_NOT_EXIST: unknown } {
  if (!existsSync(join(EMMETT_DIR, 'node_modules', '@event-driven-io', 'emmett-postgresql'))) {
    say('  installing Emmett into bench/emmett…\n');
    execFileSync('npm', ['install', '--prefix', EMMETT_DIR, '--no-audit', '--no-fund'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const load = createRequire(join(EMMETT_DIR, 'package.json'));
  const postgres = load('@event-driven-io/emmett-postgresql') as { getPostgreSQLEventStore: (url: string) => EmmettStore };
  const core = load('@event-driven-io/emmett') as { STREAM_DOES_NOT_EXIST: unknown };
  return { getPostgreSQLEventStore: postgres.getPostgreSQLEventStore, STREAM_DOES_NOT_EXIST: core.STREAM_DOES_NOT_EXIST };
}

export async function runAppendComparisonBench(server: BenchServer): Promise<Row[]> {
  const emmett = loadEmmett();
  const ours = await server.database('duban_bench_compare');
  const theirs = await server.database('duban_bench_emmett');
  const admin = newPool(ours.adminUrl, 1);
  // Same columns, defaults, identity and indexes as `events` (LIKE … INCLUDING ALL); no trigger, no chain, no checks.
  await admin.query('CREATE TABLE bench_raw_events (LIKE events INCLUDING ALL)');
  await admin.query('GRANT SELECT, INSERT ON bench_raw_events TO duban_app');
  await admin.end();

  const pool = newPool(ours.appUrl, POOL);
  const signer = ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  const store = new PostgresEventStore(pool, clock, signer);
  // The same store without the signing key: what the per-event Ed25519 signature costs (~60–70 µs of CPU each here).
  const unsignedStore = new PostgresEventStore(pool, clock);
  const runner = new CommandRunner(store, clock);
  const es = emmett.getPostgreSQLEventStore(theirs.adminUrl);
  await es.schema.migrate();

  const payload = recordedPayload();
  const dataText = canonicalize(payload.data);
  const metadata = { correlationId: randomUUID(), commandType: 'RecordFinding' };
  const fakeHash = sha256Hex('bench');
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}`;
  const newEvent = (): NewEvent => ({ eventId: randomUUID(), type: payload.type, data: payload.data, metadata: { ...metadata, correlationId: randomUUID() } });
  const idem = (id: string) => ({
    key: `${actors.inspector.userId}:${id}`,
    commandType: 'RecordFinding',
    requestHash: sha256Hex(id),
    result: (streams: { toVersion: number }[]) => ({ id, version: streams[0].toVersion }),
  });
  // The rows Duban writes, built without any crypto: distinct metadata, hashes and signatures of the same sizes.
  const rawRows = (n: number) => {
    const stream = unique('raw');
    const c = { streams: [] as string[], versions: [] as number[], ids: [] as string[], metadata: [] as string[], prev: [] as string[], hashes: [] as string[], sigs: [] as string[] };
    let prev = fakeHash;
    for (let v = 1; v <= n; v++) {
      const hash = randomBytes(32).toString('hex');
      c.streams.push(stream);
      c.versions.push(v);
      c.ids.push(randomUUID());
      c.metadata.push(canonicalize({ ...metadata, correlationId: randomUUID() }));
      c.prev.push(prev);
      c.hashes.push(hash);
      c.sigs.push(randomBytes(64).toString('base64'));
      prev = hash;
    }
    return c;
  };
  const raw = async (n: number) => {
    const c = rawRows(n);
    // One statement, n rows, autocommit: the least any store can do to put these rows in this table.
    await pool.query(
      `INSERT INTO bench_raw_events (stream_id, version, event_id, type, data, metadata, recorded_at, prev_hash, hash, signing_key_id, signature)
       SELECT u.s, u.v, u.id, $8, $9, u.m, $10, u.p, u.h, $11, u.sig
         FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, v, id, m, p, h, sig)`,
      [c.streams, c.versions, c.ids, c.metadata, c.prev, c.hashes, c.sigs, payload.type, dataText, new Date(), signer.keyId],
    );
  };
  const emmettEvents = (n: number) => Array.from({ length: n }, () => ({ type: payload.type, data: payload.data, metadata: { correlationId: randomUUID() } }));

  const single: Record<string, () => Promise<void>> = {
    raw: () => raw(1),
    append: async () => {
      const id = unique('one');
      await store.append([{ streamId: id, expectedVersion: 0, events: [newEvent()] }], idem(id));
    },
    runner: async () => {
      const findingId = unique('cmd');
      await runner.run(
        { commandType: 'RecordFinding', actor: actors.inspector, idempotencyKey: randomUUID(), correlationId: randomUUID(), body: { findingId } },
        async ({ toNewEvents }) => ({
          appends: [{ streamId: findingId, expectedVersion: 0, events: toNewEvents(findingId, [payload]) }],
          result: (streams) => ({ findingId, version: streams[0].toVersion }),
        }),
      );
    },
    emmett: async () => void (await es.appendToStream(unique('emt'), emmettEvents(1), { expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST })),
  };
  const batch: Record<string, () => Promise<void>> = {
    raw: () => raw(BATCH),
    append: async () => {
      const id = unique('batch');
      await store.append([{ streamId: id, expectedVersion: 0, events: Array.from({ length: BATCH }, newEvent) }], idem(id));
    },
    unsigned: async () => {
      const id = unique('batchu');
      await unsignedStore.append([{ streamId: id, expectedVersion: 0, events: Array.from({ length: BATCH }, newEvent) }], idem(id));
    },
    emmett: async () => void (await es.appendToStream(unique('emtb'), emmettEvents(BATCH), { expectedStreamVersion: emmett.STREAM_DOES_NOT_EXIST })),
  };

  const out: Row[] = [];
  const emit = (bench: string, unit: string, perOp: number, results: Record<string, Measurement>, labels: Record<string, string>) => {
    const scaled = (m: Measurement): Measurement => ({ ...m, ops: m.ops * perOp });
    const base: Row = { bench, variant: labels.raw, unit, m: scaled(results.raw) };
    const em: Row = { bench, variant: labels.emmett, unit, m: scaled(results.emmett), baseline: base };
    out.push(base, em);
    for (const name of Object.keys(labels).filter((k) => k !== 'raw' && k !== 'emmett')) {
      const m = scaled(results[name]);
      out.push({ bench, variant: labels[name], unit, m, baseline: base, note: `${(rate(m) / rate(em.m)).toFixed(2)}× Emmett` });
    }
  };
  for (const clients of [1, CLIENTS]) {
    say(`  9. one event per command, ${clients} client(s): raw, Duban, Emmett…\n`);
    for (const op of Object.values(single)) await measure(QUICK ? 20 : 200, clients, op);
    const r1 = await interleaved(single, clients === 1 ? SINGLE_OPS / 2 : SINGLE_OPS, clients);
    emit(`9 append 1 event, ${clients} client${clients > 1 ? 's' : ''}`, 'ops', 1, r1, {
      raw: 'raw INSERT of the same row, autocommit (baseline)',
      emmett: 'Emmett appendToStream (0.42.0)',
      append: 'Duban store.append + idempotency, signed',
      runner: 'Duban CommandRunner.run (replay check + append), signed',
    });
    say(`  9. ${BATCH}-event batches into a new stream, ${clients} client(s)…\n`);
    for (const op of Object.values(batch)) await measure(QUICK ? 4 : 20, clients, op);
    const r2 = await interleaved(batch, clients === 1 ? BATCH_OPS / 2 : BATCH_OPS, clients);
    emit(`9 append ${BATCH}-event batch, ${clients} client${clients > 1 ? 's' : ''}`, 'events', BATCH, r2, {
      raw: `raw INSERT … SELECT unnest of the same ${BATCH} rows (baseline)`,
      emmett: 'Emmett appendToStream (0.42.0)',
      append: 'Duban store.append + idempotency, signed',
      unsigned: 'Duban store.append + idempotency, no signing key',
    });
  }
  await es.close();
  await pool.end();
  return out;
}
