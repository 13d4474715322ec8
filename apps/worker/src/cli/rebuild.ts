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
const USAGE = `usage: npm run rebuild -- <projection>… | --all   [--batch-size N (default 2000)]\nprojections: ${ALL_PROJECTIONS.join(', ')}`;

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if ('error' in args) {
    process.stderr.write(`rebuild: ${args.error}\n${USAGE}\n`);
    return 2;
  }
  // A connection lost mid-rebuild fails the query that needed it (and the command), never the process by an event.
  const pool = guardPool(new Pool({ connectionString: appDatabaseUrl(resolveDatabase().adminUrl), max: 2 }), () => undefined);
  // Progress goes out at info (events done of the log's head, events/s, ETA) beside the bar.
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2));
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
    // Every named projection replays the log together: each batch is read once for all of them.
    const label = args.names.length === 1 ? args.names[0] : `${args.names.length} projections`;
    const bar = new ProgressBar(label, total, logger);
    let stopped: ProjectionApplyError[];
    try {
      const rebuilt = await runner.rebuildTogether(args.names, args.batchSize, (n) => bar.update(n));
      stopped = rebuilt.stopped;
      const failed = new Set(stopped.map((e) => e.projection.name));
      bar.done(rebuilt.events, args.names.filter((n) => !failed.has(n)));
    } catch (err) {
      bar.stop();
      throw err;
    }
    // The others are independent of a stopped one: they were rebuilt; say which ones stopped.
    for (const err of stopped) {
      const e = err.event;
      process.stderr.write(
        `rebuild: ${err.projection.name} stopped again at event ${e.type} ${e.eventId} (${e.streamId} v${e.version}, position ${e.position}): ` +
          `${err.cause instanceof Error ? err.cause.message : String(err.cause)}\n`,
      );
    }
    return stopped.length ? 1 : 0;
  } finally {
    await Promise.all([pool.end(), opened.dispose()]);
  }
}

function parseArgs(argv: string[]): { names: string[]; batchSize: number } | { error: string } {
  const names: string[] = [];
  let all = false;
  let batchSize = 2000;
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

/**
 * `name [#####.....]  45%  12,345/27,000 events  3,210 events/s  ETA 5 s` on stderr (one line per update when not a
 * terminal), and the same figures as a pino line at info every few seconds.
 */
class ProgressBar {
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastLog = 0;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(
    private readonly name: string,
    private readonly total: number,
    private readonly logger: pino.Logger,
  ) {
    this.draw(0, true);
  }

  update(read: number): void {
    const now = performance.now();
    if (now - this.lastLog >= 5000) {
      this.lastLog = now;
      this.log(read, 'rebuilding');
    }
    if (now - this.lastDraw < (this.tty ? 100 : 1000)) return;
    this.lastDraw = now;
    this.draw(read, false);
  }

  /** `rebuilt`: the projections that got to the end (one that stopped on an event is named by the caller). */
  done(read: number, rebuilt: string[]): void {
    this.log(read, 'rebuilt');
    this.draw(read, true);
    if (this.tty) process.stderr.write('\n');
    for (const name of rebuilt) {
      process.stderr.write(`rebuild: ${name} rebuilt from ${read.toLocaleString('en')} events at ${this.rate(read)} events/s\n`);
    }
  }

  stop(): void {
    if (this.tty) process.stderr.write('\n');
  }

  private eventsPerSecond(read: number): number {
    const seconds = (performance.now() - this.started) / 1000;
    return Math.round(seconds > 0 ? read / seconds : read);
  }

  private rate(read: number): string {
    return this.eventsPerSecond(read).toLocaleString('en');
  }

  /** Seconds left at the rate so far; null while nothing is known (no events yet, or no total from KurrentDB). */
  private etaSeconds(read: number): number | null {
    const perSecond = this.eventsPerSecond(read);
    return this.total > 0 && perSecond > 0 ? Math.max(0, Math.round((this.total - read) / perSecond)) : null;
  }

  private log(read: number, what: string): void {
    const head = Math.max(this.total, read);
    const eta = this.etaSeconds(read);
    this.logger.info(
      { projections: this.name, events: read, head: this.total || null, eventsPerSecond: this.eventsPerSecond(read), etaSeconds: eta },
      `${what} ${this.name}: ${read.toLocaleString('en')}/${head.toLocaleString('en')} events, ${this.rate(read)} events/s` +
        (eta === null ? '' : `, ETA ${eta} s`),
    );
  }

  private draw(read: number, force: boolean): void {
    // Events committed during the rebuild are read too, so the count can pass the total taken at the start.
    const total = Math.max(this.total, read);
    const fraction = total ? read / total : 1;
    const width = 30;
    const filled = Math.round(fraction * width);
    const line =
      `${this.name.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}%  ` +
      `${read.toLocaleString('en')}/${total.toLocaleString('en')} events  ${this.rate(read)} events/s` +
      (this.etaSeconds(read) === null ? '' : `  ETA ${this.etaSeconds(read)} s`);
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
