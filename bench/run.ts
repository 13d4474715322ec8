import 'reflect-metadata';
import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import { runEventStoreBench } from './event-store.bench';
import { runTemporalBench } from './temporal.bench';
import { runForwarderBench } from './forwarder.bench';
import { runCutoffBench } from './cutoff.bench';
import { runExportBench } from './export.bench';
import { runCadenceBench } from './cadence.bench';
import { runRosterImportBench } from './roster-import.bench';
import { runSignInBench } from './sign-in.bench';
import { runFindingImportBench } from './finding-import.bench';
import { runWebLoadBench } from './web-load.bench';
import { runNotifierBench } from './notifier.bench';
import { runCommandPathBench } from './command-path.bench';
import { runAppendComparisonBench } from './append-comparison.bench';
import { formatTable, say, startBenchServer } from './support';

/**
 * `npm run bench`: starts its own PostgreSQL (as the tests do), runs every benchmark, prints one table of
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
    const only = process.env.BENCH_ONLY;
    if (only === 'web') {
      say(`${await runWebLoadBench(server)}\n`);
      return;
    }
    const solo = ['temporal', 'forwarder', 'cutoff', 'export', 'cadence', 'roster', 'sign-in', 'import', 'notifier', 'commands', 'append'];
    const table = only && solo.includes(only) ? [] : await runEventStoreBench(server);
    if (!only || only === 'append') table.push(...(await runAppendComparisonBench(server)));
    if (!only || only === 'commands') table.push(...(await runCommandPathBench(server)));
    if (!only || only === 'temporal' || !solo.includes(only)) table.push(...(await runTemporalBench(server)));
    if (!only || only === 'forwarder') table.push(...(await runForwarderBench(server)));
    if (!only || only === 'cutoff') table.push(...(await runCutoffBench(server)));
    if (!only || only === 'export') table.push(...(await runExportBench(server)));
    if (!only || only === 'cadence') table.push(...(await runCadenceBench(server)));
    if (!only || only === 'roster') table.push(...(await runRosterImportBench(server)));
    if (!only || only === 'sign-in') table.push(...(await runSignInBench(server)));
    if (!only || only === 'import') table.push(...(await runFindingImportBench(server)));
    if (!only || only === 'notifier') table.push(...(await runNotifierBench(server)));
    say('\n' + formatTable(table));
    if (!only) say(`\n${await runWebLoadBench(server)}\n`);
    say(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } finally {
    await stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
