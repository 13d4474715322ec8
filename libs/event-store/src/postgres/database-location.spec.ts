import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { DEFAULT_EMBEDDED_PG_PORT, embeddedDataDir, resolveDatabase } from './database-location';

/**
 * Every process and CLI finds the database through resolveDatabase. The case that broke `npm run tokens` and
 * `npm run verify`: `npm start` ran the embedded server on another DUBAN_PG_PORT in another shell.
 */
describe('resolveDatabase', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'duban-state-'));
  const pidFile = join(embeddedDataDir(stateDir), 'postmaster.pid');
  // PostgreSQL's postmaster.pid: pid, data directory, start time, port, socket directory, listen address, …
  const writePidFile = (pid: number, port: number) =>
    writeFileSync(pidFile, `${pid}\n${embeddedDataDir(stateDir)}\n1796000000\n${port}\n/tmp\n127.0.0.1\n  5432001  1\nready   \n`);
  beforeAll(() => mkdirSync(embeddedDataDir(stateDir), { recursive: true }));
  afterEach(() => rmSync(pidFile, { force: true }));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('finds the port of the embedded server npm start is running, when nothing says otherwise', () => {
    writePidFile(process.pid, 55431);
    expect(resolveDatabase({}, stateDir)).toEqual({
      adminUrl: 'postgres://postgres:postgres@127.0.0.1:55431/duban',
      source: 'running embedded server',
      port: 55431,
    });
  });

  it('ignores the pid file of a server that is no longer running', () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    writePidFile(gone, 55431);
    expect(resolveDatabase({}, stateDir)).toMatchObject({ source: 'default port', port: DEFAULT_EMBEDDED_PG_PORT });
  });

  it('DATABASE_URL, then DUBAN_PG_PORT, win over the running server', () => {
    writePidFile(process.pid, 55431);
    expect(resolveDatabase({ DATABASE_URL: 'postgres://u:p@db:5432/duban', DUBAN_PG_PORT: '1' }, stateDir)).toEqual({
      adminUrl: 'postgres://u:p@db:5432/duban',
      source: 'DATABASE_URL',
    });
    expect(resolveDatabase({ DUBAN_PG_PORT: '55500' }, stateDir)).toMatchObject({ port: 55500, source: 'DUBAN_PG_PORT' });
  });

  it('refuses a DUBAN_PG_PORT that is not a port, naming it', () => {
    expect(() => resolveDatabase({ DUBAN_PG_PORT: 'fast' }, stateDir)).toThrow('DUBAN_PG_PORT is not a port: fast');
  });
});
