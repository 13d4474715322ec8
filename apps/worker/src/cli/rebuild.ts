import pino from 'pino';
import { Pool } from 'pg';
import { appDatabaseUrl, guardPool, openEventStore, resolveDatabase, selectEventStore } from '@duban/event-store';
import { ALL_PROJECTIONS, createProjections, DirectoryQuery, ProjectionApplyError, ProjectionRunner } from '@duban/read-models';

/**
 * `npm run rebuild -- <projection>… | --all`: empties a projection's tables and replays the whole log into them,
 * with a progress bar and the rate on stderr, and clears the projection's recorded failure. For an operator after a
 * projection stopped on an event (see /operations/projections) and its code was mended. Safe beside a running
 * worker: a batch of either locks the projection's checkpoint, so no event is applied twice.
 *
 * Finds the database like the other CLIs (resolveDatabase: DATABASE_URL, DUBAN_PG_PORT, the running embedded server); as the application role
 * (APP_DATABASE_URL, or DATABASE_URL with user duban_app), which owns the read models' rows.
 * Exit 0 when every one was rebuilt, 1 when one stopped on an event again (named), 2 on bad arguments.
 */
const USAGE = `usage: npm run rebuild -- <projection>… | --all   [--batch-size N]\nprojections: ${ALL_PROJECTIONS.join(', ')}`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`rebuild: ${args.error}\n${USAGE}\n`);
    return 2;
  }
  // A connection lost mid-rebuild fails the query that needed it (and the command), never the process by an event.
  const pool = guardPool(new Pool({ connectionString: appDatabaseUrl(resolveDatabase().adminUrl), max: 2 }), () => undefined);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  // With EVENT_STORE=kurrentdb the log is replayed from KurrentDB; without this a rebuild would empty the ledgers and
  // replay PostgreSQL's (empty) events table.
  const opened = await openEventStore(selectEventStore(), { pool, clock: { now: () => new Date() } });
  try {
    // Audit summaries name units as people know them, as the worker's projections do.
    const names = await new DirectoryQuery(pool).allUnitNames();
    const runner = new ProjectionRunner(pool, createProjections({ unitName: (id) => names.get(id) }), logger, {
      source: opened.logSource,
    });
    // The progress bar's total; KurrentDB offers no count of the filtered log, so its bar shows the events read only.
    const total = opened.logSource ? 0 : Number((await pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0].n);
    let stopped = 0;
    for (const name of args.names) {
      const bar = new ProgressBar(name, total);
      try {
        const read = await runner.rebuild(name, args.batchSize, (n) => bar.update(n));
        bar.done(read);
      } catch (err) {
        bar.stop();
        if (!(err instanceof ProjectionApplyError)) throw err;
        // The others are independent of this one: rebuild them too, and say which ones stopped.
        stopped += 1;
        const e = err.event;
        process.stderr.write(
          `rebuild: ${name} stopped again at event ${e.type} ${e.eventId} (${e.streamId} v${e.version}, position ${e.position}): ` +
            `${err.cause instanceof Error ? err.cause.message : String(err.cause)}\n`,
        );
      }
    }
    return stopped ? 1 : 0;
  } finally {
    await Promise.all([pool.end(), opened.dispose()]);
  }
}

function parseArgs(argv: string[]): { names: string[]; batchSize: number } | { error: string } {
  const names: string[] = [];
  let all = false;
  let batchSize = 500;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all') all = true;
    else if (a === '--batch-size') {
      batchSize = Number(argv[++i]);
      if (!Number.isInteger(batchSize) || batchSize < 1) return { error: '--batch-size needs a positive integer' };
    } else if ((ALL_PROJECTIONS as readonly string[]).includes(a)) names.push(a);
    else return { error: `unknown projection or argument ${a}` };
  }
  if (all && names.length) return { error: 'give projection names or --all, not both' };
  if (!all && !names.length) return { error: 'name a projection, or --all' };
  return { names: all ? [...ALL_PROJECTIONS] : names, batchSize };
}

/** `name [#####.....]  45%  12,345/27,000 events  3,210 events/s` on stderr; one line per update when not a terminal. */
class ProgressBar {
  private readonly started = performance.now();
  private lastDraw = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly name: string,
    private readonly total: number,
  ) {
    this.draw(0, true);
  }

  update(read: number): void {
    const now = performance.now();
    if (now - this.lastDraw < (this.tty ? 100 : 1000)) return;
    this.lastDraw = now;
    this.draw(read, false);
  }

  done(read: number): void {
    this.draw(read, true);
    if (this.tty) process.stderr.write('\n');
    process.stderr.write(`rebuild: ${this.name} rebuilt from ${read.toLocaleString('en')} events at ${this.rate(read)} events/s\n`);
  }

  stop(): void {
    if (this.tty) process.stderr.write('\n');
  }

  private rate(read: number): string {
    const seconds = (performance.now() - this.started) / 1000;
    return Math.round(seconds > 0 ? read / seconds : read).toLocaleString('en');
  }

  private draw(read: number, force: boolean): void {
    // Events committed during the rebuild are read too, so the count can pass the total taken at the start.
    const total = Math.max(this.total, read);
    const fraction = total ? read / total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line =
      `${this.name.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
      `${read.toLocaleString('en')}/${total.toLocaleString('en')} events  ${this.rate(read)} events/s`;
    if (this.tty) process.stderr.write(`\r${line}`);
    else if (force || read > 0) process.stderr.write(`${line}\n`);
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`rebuild: could not run: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
