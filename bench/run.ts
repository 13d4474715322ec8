import 'reflect-metadata';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { runEventStoreBench } from './event-store.bench';
import { runTemporalBench } from './temporal.bench';
import { runExportBench } from './export.bench';
import { runCadenceBench } from './cadence.bench';
import { runRosterImportBench } from './roster-import.bench';
import { runSignInBench } from './sign-in.bench';
import { runFindingImportBench } from './finding-import.bench';
import { runWebLoadBench } from './web-load.bench';
import { runNotifierBench } from './notifier.bench';
import { runHttpBench } from './http.bench';
import { runCommandPathBench } from './command-path.bench';
import { runAppendComparisonBench } from './append-comparison.bench';
import { runProjectionsBench } from './projections.bench';
import { runForwarderBench } from './forwarder.bench';
import { runCutoffBench } from './cutoff.bench';
import { type BenchServer, formatTable, type Row, say, startBenchServer } from './support';

/**
 * Every bench, by name: `npm run bench` runs them all in this order, `npm run bench -- http cadence` (or
 * BENCH_ONLY=http,cadence) only those. A bench returns table rows (each figure with its same-run baseline) or text.
 * BENCH_QUICK=1 asks each for a CI-sized run.
 */
const BENCHES: Array<{ name: string; run: (server: BenchServer) => Promise<Row[] | string> }> = [
  { name: 'event-store', run: runEventStoreBench },
  { name: 'append', run: runAppendComparisonBench },
  { name: 'commands', run: runCommandPathBench },
  { name: 'projections', run: runProjectionsBench },
  { name: 'temporal', run: runTemporalBench },
  { name: 'forwarder', run: runForwarderBench },
  { name: 'cutoff', run: runCutoffBench },
  { name: 'export', run: runExportBench },
  { name: 'cadence', run: runCadenceBench },
  { name: 'roster', run: runRosterImportBench },
  { name: 'sign-in', run: runSignInBench },
  { name: 'import', run: runFindingImportBench },
  { name: 'notifier', run: runNotifierBench },
  { name: 'http', run: runHttpBench },
  { name: 'web', run: runWebLoadBench },
];

/**
 * `npm run bench`: starts its own PostgreSQL (as the tests do), runs the benchmarks (BENCHES), prints one table of
 * throughput and latency with each figure's ratio to a baseline measured in the same run, and stops the server.
 */
async function main(): Promise<void> {
  const started = Date.now();
  say('duban bench: starting PostgreSQL…\n');
  const server = await startBenchServer();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    const info = new Client({ connectionString: server.adminUrl });
    await info.connect();
    const { rows } = await info.query(
      `SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
              current_setting('synchronous_commit') AS sync, current_setting('shared_buffers') AS shared_buffers`,
    );
    await info.end();
    say(
      `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ` +
        `PostgreSQL ${rows[0].version} (fsync=${rows[0].fsync}, synchronous_commit=${rows[0].sync}, shared_buffers=${rows[0].shared_buffers})\n`,
    );
    const picked = [...process.argv.slice(2), ...(process.env.BENCH_ONLY ?? '').split(',')].map((n) => n.trim()).filter(Boolean);
    const unknown = picked.filter((n) => !BENCHES.some((b) => b.name === n));
    if (unknown.length) throw new Error(`no bench named ${unknown.join(', ')}; the benches: ${BENCHES.map((b) => b.name).join(', ')}`);
    const table: Row[] = [];
    for (const bench of BENCHES.filter((b) => !picked.length || picked.includes(b.name))) {
      say(`\n== ${bench.name}\n`);
      const out = await bench.run(server);
      if (typeof out === 'string') say(`${out}\n`);
      else table.push(...out);
    }
    if (table.length) say('\n' + formatTable(table));
    say(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
