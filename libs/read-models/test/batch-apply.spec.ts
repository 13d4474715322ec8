import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { createTestDatabase, TestDatabase } from '../../../tests/support/test-database';
import { createProjections, DirectoryQuery, type Projection, ProjectionRunner } from '../src';
import { catchUpFully, dumpReadModels, FindingDriver } from './harness';
import { ALL_FINDING_EVENTS, FULL_LIFECYCLE, playSteps, step } from './command-model';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

/** The projection as it was before batches: the runner sees no `applyBatch` and applies event by event. */
const perEvent = (p: Projection): Projection => ({
  name: p.name,
  version: p.version,
  tables: p.tables,
  handles: p.handles,
  apply: (client, e) => p.apply(client, e),
});

describe('batched projections leave exactly the rows the per-event path leaves', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.drop());

  it('rebuilding a varied log set-wise, in batches of several sizes, gives every table the per-event rebuild gives', async () => {
    const driver = await FindingDriver.start(db);
    // The whole lifecycle (every finding event type, timers included), then seeded random command sequences.
    await playSteps(driver, FULL_LIFECYCLE, ['full-0', 'full-1', 'full-2']);
    const runs = fc.sample(fc.array(step, { minLength: 30, maxLength: 60 }), { numRuns: 6, seed: 1511 });
    for (const [i, steps] of runs.entries()) await playSteps(driver, steps, [0, 1, 2].map((j) => `rand-${i}-${j}`));

    // Unit names from the directory, as the worker and `npm run rebuild` name them.
    const names = await new DirectoryQuery(db.appPool).allUnitNames();
    const projections = createProjections({ unitName: (id) => names.get(id) });
    const batched = projections.filter((p) => p.applyBatch).map((p) => p.name);
    expect(batched).toEqual(
      expect.arrayContaining(['finding_ledger', 'claim_list', 'rectification_ledger', 'audit_trail', 'campaigns', 'dispatch_notices', 'accountability_ledger']),
    );

    const reference = new ProjectionRunner(db.appPool, projections.map(perEvent));
    for (const p of projections) await reference.rebuild(p.name, 500);
    await catchUpFully(reference, db.adminPool);
    const expected = await dumpReadModels(db.adminPool);
    const types = new Set(((expected.audit_trail_v2 ?? []) as { event_type: string }[]).map((r) => r.event_type));
    for (const t of ALL_FINDING_EVENTS) expect(types).toContain(t);
    // Every kind of accountability row a finding can get, and an escalation the supervisor acknowledged.
    const ledger = (expected.accountability_ledger_v1 ?? []) as { kind: string; acknowledged_version: number | null }[];
    expect(new Set(ledger.map((r) => r.kind))).toEqual(
      new Set(['dispatch_overdue', 'claim_overdue', 'missed_report', 'overdue', 'escalation', 'verification_overdue', 'reopen']),
    );
    expect(ledger.some((r) => r.kind === 'escalation' && r.acknowledged_version !== null)).toBe(true);

    // A batch that fails set-wise is applied event by event (and logged): that must not be what made them equal.
    const warnings: unknown[] = [];
    const logger = { info: () => undefined, warn: (obj: unknown) => void warnings.push(obj), error: (obj: unknown) => void warnings.push(obj) };
    const runner = new ProjectionRunner(db.appPool, projections, logger);
    // One event per batch, a batch that splits streams mid-life, and the whole log in one batch.
    for (const size of [1, 7, 5000]) {
      for (const p of projections) await runner.rebuild(p.name, size);
      await catchUpFully(runner, db.adminPool);
      expect(await dumpReadModels(db.adminPool)).toEqual(expected);
    }

    // Replayed batches change nothing: the checkpoints go back to zero without emptying the tables.
    await db.adminPool.query(`UPDATE subscription_checkpoints SET transaction_id = '0', position = 0 WHERE name LIKE 'projection:%'`);
    await catchUpFully(runner, db.adminPool, 13);
    expect(await dumpReadModels(db.adminPool)).toEqual(expected);
    expect(warnings).toEqual([]);

    // `npm run rebuild -- --all` rebuilds them together and says how far it is in its log lines.
    const env = { ...process.env, DATABASE_URL: db.adminUrl, LOG_LEVEL: 'info' };
    const { stderr } = await run(process.execPath, ['-r', '@swc-node/register', 'apps/worker/src/cli/rebuild.ts', '--all', '--batch-size', '50'], { cwd: ROOT, env });
    const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    const total = Number((await db.adminPool.query('SELECT count(*)::int AS n FROM events')).rows[0].n);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, events: total, head: total, eventsPerSecond: expect.any(Number), etaSeconds: 0, msg: expect.stringMatching(new RegExp(`^rebuilt ${projections.length} projections: [\\d,]+/[\\d,]+ events, [\\d,]+ events/s, ETA 0 s$`)) }),
    );
    expect(await dumpReadModels(db.adminPool)).toEqual(expected);
  }, 300_000);
});
