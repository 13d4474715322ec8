import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../infra/postgres/embedded';
import { stopInOrder, Supervisor, type SupervisorLogger } from '../../infra/dev/supervisor';

/**
 * The supervisor of `npm start` with real child processes: small Node scripts that stand in for the API, the worker
 * and PostgreSQL, and write what happens to them to one journal file.
 */
describe('npm start supervisor (real child processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'duban-supervisor-'));
  const journal = join(dir, 'journal.log');
  const lines = (): string[] => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter(Boolean) : []);
  const script = (name: string, body: string): string => {
    const path = join(dir, `${name}.js`);
    writeFileSync(
      path,
      `const fs = require('node:fs');\nconst note = (s) => fs.appendFileSync(${JSON.stringify(journal)}, s + '\\n');\n${body}\n`,
    );
    return path;
  };
  const node = (name: string, path: string, args: string[] = []) => ({ name, command: process.execPath, args: [path, ...args], options: { stdio: 'ignore' as const } });
  const logged: Array<{ level: string; obj: any; msg?: string }> = [];
  const logger: SupervisorLogger = {
    info: (obj, msg) => logged.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logged.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => logged.push({ level: 'error', obj, msg }),
  };
  const until = async (what: string, condition: () => boolean, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; journal: ${lines().join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeEach(() => {
    rmSync(journal, { force: true });
    logged.length = 0;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restarts a child that exits unexpectedly, with a pause that doubles, and logs each exit', async () => {
    const crash = script('crash', `note('crash started'); process.exit(3);`);
    const supervisor = new Supervisor([node('crash', crash)], { logger, initialBackoffMs: 20, maxBackoffMs: 80 });
    supervisor.start();
    const exits = () => logged.filter((l) => l.msg === 'crash exited unexpectedly; restarting');
    await until('four unexpected exits', () => exits().length >= 4);
    await supervisor.stop();

    const [state] = supervisor.state;
    expect(state.restarts).toBeGreaterThanOrEqual(3);
    expect(state.lastExit).toEqual({ code: 3, signal: null });
    expect(state.pid).toBeNull();
    expect(lines().filter((l) => l === 'crash started').length).toBeGreaterThanOrEqual(4);
    expect(exits().slice(0, 4).map((l) => l.obj.restartInMs)).toEqual([20, 40, 80, 80]);
    expect(exits().every((l) => l.level === 'error' && l.obj.code === 3)).toBe(true);
  });

  it('stops API and worker first — the worker drains against a database still up — and the database last', async () => {
    const port = await freePort();
    const db = spawn(
      process.execPath,
      [
        script(
          'db',
          `const server = require('node:net').createServer((s) => s.end('ok'));
           server.listen(${port}, '127.0.0.1', () => note('db up'));
           process.on('SIGTERM', () => { note('db stopped'); server.close(); process.exit(0); });`,
        ),
      ],
      { stdio: 'ignore' },
    );
    const dbExited = new Promise((r) => db.once('exit', r));
    const api = script('api', `note('api up'); process.on('SIGTERM', () => { note('api stopped'); process.exit(0); }); setInterval(() => {}, 1000);`);
    // Draining: on SIGTERM the worker finishes its work against the database, which must still answer.
    const worker = script(
      'worker',
      `note('worker up');
       process.on('SIGTERM', () => {
         note('worker draining');
         setTimeout(() => {
           const s = require('node:net').connect(${port}, '127.0.0.1');
           s.on('data', () => { note('worker drained'); process.exit(0); });
           s.on('error', () => { note('worker drain failed'); process.exit(1); });
         }, 300);
       });
       setInterval(() => {}, 1000);`,
    );
    const supervisor = new Supervisor([node('api', api), node('worker', worker)], { logger });
    supervisor.start();
    await until('every process up', () => ['db up', 'api up', 'worker up'].every((l) => lines().includes(l)));

    await stopInOrder(
      [
        { name: 'API and worker', stop: () => supervisor.stop() },
        {
          name: 'database',
          stop: async () => {
            db.kill('SIGTERM');
            await dbExited;
          },
        },
      ],
      logger,
    );

    const journalLines = lines();
    expect(journalLines).not.toContain('worker drain failed');
    expect(journalLines.indexOf('worker drained')).toBeGreaterThan(journalLines.indexOf('worker draining'));
    expect(journalLines.indexOf('db stopped')).toBeGreaterThan(journalLines.indexOf('worker drained'));
    expect(journalLines.indexOf('db stopped')).toBeGreaterThan(journalLines.indexOf('api stopped'));
    // Stopping is not a crash: nothing was restarted.
    expect(supervisor.state.map((s) => s.restarts)).toEqual([0, 0]);
    expect(logged.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('kills a child that ignores SIGTERM once the stop timeout has passed', async () => {
    const stubborn = script('stubborn', `process.on('SIGTERM', () => note('ignored SIGTERM')); note('stubborn up'); setInterval(() => {}, 1000);`);
    const supervisor = new Supervisor([node('stubborn', stubborn)], { logger, stopTimeoutMs: 200 });
    supervisor.start();
    await until('the child up', () => lines().includes('stubborn up'));
    await supervisor.stop();
    expect(lines()).toContain('ignored SIGTERM');
    expect(supervisor.state[0].lastExit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(supervisor.state[0].restarts).toBe(0);
  });
});
