import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { actors } from '@duban/domain/testing/fixtures';
import {
  createProjections,
  FindingLedgerProjection,
  FindingLedgerQuery,
  ProjectionLogger,
  ProjectionRunner,
  readProjectionHealth,
  storable,
} from '../src';
import { catchUpFully, FindingDriver, sh } from './harness';
import { insertPoisoned, UnmendedFindingLedger, untilReadable } from './poison';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');
const now = new Date('2026-10-20T02:00:00.000Z');

const record = (findingId: string) => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode: '2.3',
  severity: 'red' as const,
  townUnitId: 'town-a',
  description: `问题 ${findingId}`,
  evidence: [],
});

class CapturingLogger implements ProjectionLogger {
  readonly errors: Array<{ obj: unknown; msg?: string }> = [];
  info(): void {}
  warn(): void {}
  error(obj: unknown, msg?: string): void {
    this.errors.push({ obj, msg });
  }
}

describe('a poisoned event (NUL, lone surrogates) never stops the ledgers silently', () => {
  let db: TestDatabase;
  let driver: FindingDriver;
  beforeAll(async () => {
    db = await createTestDatabase();
    driver = await FindingDriver.start(db);
    await driver.exec('before', 'RecordFinding', record('before'), actors.inspector, sh('2026-10-15 09:00'));
    await insertPoisoned(db, 'poisoned');
    await driver.exec('after', 'RecordFinding', record('after'), actors.inspector, sh('2026-10-15 10:00'));
  });
  afterAll(async () => db.drop());

  it('storable() replaces only what PostgreSQL cannot hold, and copies nothing otherwise', () => {
    const clean = { a: ['问题', { b: '😀' }] };
    expect(storable(clean)).toBe(clean);
    expect(storable({ 'k\u0000': ['a\u0000b', '\ud800', 'x\udc00y', '😀'] })).toEqual({ 'k\ufffd': ['a\ufffdb', '\ufffd', 'x\ufffdy', '😀'] });
  });

  it('every projection applies it, with U+FFFD in the read model; the event in the log is unchanged', async () => {
    const runner = new ProjectionRunner(db.appPool, createProjections());
    await catchUpFully(runner, db.adminPool);
    const row = await new FindingLedgerQuery(db.appPool).get('poisoned', now);
    expect(row).toMatchObject({ description: 'a\ufffdb', village: '\ufffd村', household: 'x\ufffd' });
    const trail = await db.adminPool.query(`SELECT changes FROM audit_trail_v2 WHERE finding_id = 'poisoned'`);
    expect(JSON.stringify(trail.rows[0].changes)).toContain('a\ufffdb');
    const health = await readProjectionHealth(db.appPool, createProjections());
    expect(health.filter((p) => p.failed || p.lag > 0)).toEqual([]);
    const { rows } = await db.adminPool.query(`SELECT data FROM events WHERE stream_id = 'finding-poisoned'`);
    expect(JSON.parse(rows[0].data).description).toBe('a\u0000b');
  });

  it('a lost connection is no fault of the event: thrown for the next poll to retry, not recorded against it', async () => {
    class ServerShuttingDown extends FindingLedgerProjection {
      override async apply(): Promise<void> {
        throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
      }
    }
    await driver.exec('during-restart', 'RecordFinding', record('during-restart'), actors.inspector, sh('2026-10-15 11:00'));
    await untilReadable(db.adminPool);
    await expect(new ProjectionRunner(db.appPool, [new ServerShuttingDown()]).runOnce()).rejects.toMatchObject({ code: '57P01' });
    expect((await db.adminPool.query('SELECT count(*)::int AS n FROM projection_failures')).rows[0].n).toBe(0);
    await catchUpFully(new ProjectionRunner(db.appPool, createProjections()), db.adminPool);
    expect(await new FindingLedgerQuery(db.appPool).get('during-restart', now)).not.toBeNull();
  });

  it('a projection that cannot apply it stops there loudly, the others go on, and the rebuild command recovers it', async () => {
    const logger = new CapturingLogger();
    const unmended = [new UnmendedFindingLedger(), ...createProjections().filter((p) => p.name !== 'finding_ledger')];
    const runner = new ProjectionRunner(db.appPool, unmended, logger, { retryFailedAfterMs: 0 });
    // A rebuild under the unmended code stops at the event and names it (what came before it in its batch is kept).
    await untilReadable(db.adminPool);
    await expect(runner.rebuild('finding_ledger', 500)).rejects.toThrow(/cannot apply event FindingRecorded \(finding-poisoned v1/);
    await driver.exec('later', 'RecordFinding', record('later'), actors.inspector, sh('2026-10-16 10:00'));
    await untilReadable(db.adminPool);
    await runner.catchUp(); // the polling loop: the failing projection is recorded, the others are not held back
    await runner.catchUp();

    const ledger = new FindingLedgerQuery(db.appPool);
    expect(await ledger.get('before', now)).not.toBeNull();
    // Stopped, never skipped: nothing at or after the poisoned event is in the ledger.
    expect(await ledger.get('poisoned', now)).toBeNull();
    expect(await ledger.get('later', now)).toBeNull();
    const laterInTrail = await db.adminPool.query(`SELECT count(*)::int AS n FROM audit_trail_v2 WHERE finding_id = 'later'`);
    expect(laterInTrail.rows[0].n).toBe(1);

    const { rows: poisoned } = await db.adminPool.query<{ position: string; transaction_id: string; event_id: string }>(
      `SELECT position::text AS position, transaction_id::text AS transaction_id, event_id::text AS event_id FROM events WHERE stream_id = 'finding-poisoned'`,
    );
    const health = await readProjectionHealth(db.appPool, unmended);
    const failed = health.find((p) => p.name === 'finding_ledger')!;
    expect(failed).toMatchObject({
      failed: true,
      lag: 4, // the poisoned event and every one after it: 'after', 'during-restart', 'later'
      failure: {
        event: { streamId: 'finding-poisoned', version: 1, type: 'FindingRecorded', position: poisoned[0].position, transactionId: poisoned[0].transaction_id, eventId: poisoned[0].event_id },
        error: 'invalid byte sequence for encoding "UTF8": 0x00',
      },
    });
    expect(failed.failure!.attempts).toBeGreaterThanOrEqual(3);
    expect(health.filter((p) => p.name !== 'finding_ledger').map((p) => [p.name, p.failed, p.lag])).toEqual(
      unmended.filter((p) => p.name !== 'finding_ledger').map((p) => [p.name, false, 0]),
    );
    expect(logger.errors.length).toBeGreaterThanOrEqual(3);
    expect(logger.errors[0]).toMatchObject({
      obj: { projection: 'finding_ledger', event: { streamId: 'finding-poisoned', version: 1, type: 'FindingRecorded', position: poisoned[0].position } },
      msg: expect.stringContaining('npm run rebuild -- finding_ledger'),
    });

    // Mended (this code), the operator rebuilds it with the command; it reports progress and rate, and clears the failure.
    const env = { ...process.env, DATABASE_URL: db.adminUrl, LOG_LEVEL: 'silent' };
    const cli = ['-r', '@swc-node/register', 'apps/worker/src/cli/rebuild.ts'];
    const { stderr } = await run(process.execPath, [...cli, 'finding_ledger', '--batch-size', '2'], { cwd: ROOT, env });
    expect(stderr).toMatch(/finding_ledger\s+\[#{30}\] 100%\s+\d+\/\d+ events\s+[\d,]+ events\/s/);
    expect(stderr).toMatch(/rebuild: finding_ledger rebuilt from \d+ events at [\d,]+ events\/s/);
    expect(await ledger.get('poisoned', now)).toMatchObject({ description: 'a\ufffdb' });
    expect(await ledger.get('later', now)).not.toBeNull();
    const after = await readProjectionHealth(db.appPool, createProjections());
    expect(after.filter((p) => p.failed || p.lag > 0)).toEqual([]);

    const all = await run(process.execPath, [...cli, '--all'], { cwd: ROOT, env });
    for (const name of createProjections().map((p) => p.name)) expect(all.stderr).toContain(`rebuild: ${name} rebuilt from`);
    expect((await readProjectionHealth(db.appPool, createProjections())).filter((p) => p.failed || p.lag > 0)).toEqual([]);

    // An unknown projection name is refused before anything is touched.
    await expect(run(process.execPath, [...cli, 'no_such'], { cwd: ROOT, env })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown projection or argument no_such'),
    });
  }, 60_000);
});
