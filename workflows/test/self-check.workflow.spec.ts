import { v4 as uuidv4 } from 'uuid';
import { addDays, shanghaiDateOf, type SelfCheckRequested } from '@duban/domain';
import { actors } from '@duban/domain/testing';
import { createWriteSide } from '@duban/application';
import type { RecordedEvent } from '@duban/event-store';
import { selfCheckWorkflowId } from '@duban/contracts';
import { createSelfCheckActivities } from '../../apps/worker/src/findings/self-check.activities';
import { FORWARDER_CHECKPOINT, TemporalForwarder } from '../../apps/worker/src/forwarder/temporal-forwarder';
import { quiet, TimeSkippingHarness } from './harness';
import { recordHistoriesIfAsked } from './histories';

const { supervisor, officialA } = actors;

/**
 * A 举一反三 task's deadline on a real time-skipping Temporal server and a real PostgreSQL: the real forwarder starts
 * one workflow per task, the workflow sleeps until the deadline and fires MarkSelfCheckOverdue through the write side.
 * The attested task's workflow ends with nothing recorded; the unclaimed one's records the unit, then climbs the ladder.
 */
describe('self-check workflow (time-skipping Temporal)', () => {
  let h: TimeSkippingHarness;
  let forwarder: TemporalForwarder;

  beforeAll(async () => {
    h = await TimeSkippingHarness.start(({ write }) => createSelfCheckActivities(write.selfCheckTimers));
    await h.db.adminPool.query(`INSERT INTO directory_units (unit_id, name, kind) VALUES ('town-a', '宁平镇', 'town'), ('dept-b', '住建局', 'department')`);
    forwarder = new TemporalForwarder(h.db.appPool, h.env.client, quiet);
    // Temporal's test clock starts at the real now: the campaign's phase runs from today for three months.
    const today = shanghaiDateOf(new Date().toISOString());
    await h.createCampaign('c-selfcheck', { phases: [{ code: 'rectification', name: '集中整改', startDate: today, endDate: addDays(today, 90) }] });
  }, 120_000);
  afterAll(async () => h?.teardown());

  const streamOf = (p: string, unit: string) => `selfcheck-${p}-${unit}`;
  const events = async (streamId: string): Promise<RecordedEvent[]> => (await h.store.readStream<Record<string, unknown>>(streamId)).events;

  /** Forwards until the stream's last event is behind the forwarder's checkpoint. */
  const forward = async (streamId: string) => {
    const last = (await events(streamId)).at(-1)!;
    const deadline = Date.now() + 20_000;
    for (;;) {
      await forwarder.catchUp();
      const { rows } = await h.db.appPool.query(
        `SELECT (transaction_id, position) >= ($2::text::xid8, $3::bigint) AS past FROM subscription_checkpoints WHERE name = $1`,
        [FORWARDER_CHECKPOINT, last.transactionId, last.position],
      );
      if (rows[0]?.past) return;
      if (Date.now() > deadline) throw new Error(`the forwarder did not reach ${streamId}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('records a missing attestation at the deadline against the unit; an attested task ends with nothing', async () => {
    // The directory check for chosen units reads the harness's directory tables; the write side is the one the API uses.
    const write = createWriteSide({ store: h.store, clock: { now: () => new Date() }, units: { unit: async (id) => (id === 'town-a' ? { kind: 'town' } : id === 'dept-b' ? { kind: 'department' } : null) } });
    const meta = () => ({ idempotencyKey: uuidv4(), correlationId: 'test', at: new Date(Date.now()).toISOString() });
    const p = uuidv4();
    const launch = { propagationId: p, campaignId: 'c-selfcheck', origin: { kind: 'checklist_item' as const, categoryCode: '2.3' }, scope: 'chosen' as const, unitIds: ['town-a', 'dept-b'], instruction: '对照清单 2.3 自查', deadlineWorkdays: 2 };
    await write.propagations.handle({ type: 'LaunchPropagation', data: launch }, supervisor, meta());
    await write.propagations.handle({ type: 'ClaimSelfCheck', propagationId: p, unitId: 'town-a', data: {} }, officialA, meta());
    await write.propagations.handle({ type: 'AttestSelfCheck', propagationId: p, unitId: 'town-a', data: { outcome: 'none_found', checked: '逐户自查', evidence: [] } }, officialA, meta());
    await forward(streamOf(p, 'town-a'));
    await forward(streamOf(p, 'dept-b'));

    const requested = (await events(streamOf(p, 'dept-b')))[0] as unknown as SelfCheckRequested;
    await h.advanceTo(new Date(Date.parse(requested.data.deadlineAt) + 60_000).toISOString());

    const deadline = Date.now() + 20_000;
    let overdue: RecordedEvent[] = [];
    while (Date.now() < deadline) {
      overdue = (await events(streamOf(p, 'dept-b'))).filter((e) => e.type === 'SelfCheckOverdue');
      if (overdue.length) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(overdue).toHaveLength(1);
    expect(overdue[0].data).toMatchObject({
      unitId: 'dept-b',
      at: requested.data.deadlineAt,
      accountable: { person: null, unitId: 'dept-b', step: 'SelfCheckRequested' },
    });
    expect((await events(streamOf(p, 'town-a'))).map((e) => e.type)).toEqual(['SelfCheckRequested', 'SelfCheckClaimed', 'SelfCheckAttested']);
    await h.untilWorkflow(selfCheckWorkflowId(p, 'town-a'), (s) => s === 'COMPLETED');
    // The missing one now waits for the ladder's next rung (the next test climbs it).
    expect((await write.selfCheckTimers.plan(p, 'dept-b')).timers.map((t) => t.command.type)).toEqual(['EscalateSelfCheck']);
    expect(await h.untilWorkflow(selfCheckWorkflowId(p, 'dept-b'), (s) => s === 'RUNNING')).toBe('RUNNING');
  });

  /** Waits until the stream holds `n` events of the type (the workflow fires on its own once the clock passes). */
  const until = async (streamId: string, type: string, n: number): Promise<RecordedEvent[]> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = (await events(streamId)).filter((e) => e.type === type);
      if (found.length >= n) return found;
      if (Date.now() > deadline) throw new Error(`${streamId} has ${found.length} ${type}, not ${n}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('missing attestations climb the campaign ladder (通报 → 约谈 → 问责), each rung at its instant, then the workflows end', async () => {
    const write = createWriteSide({ store: h.store, clock: { now: () => new Date() }, units: { unit: async (id) => (id === 'town-a' ? { kind: 'town' } : id === 'dept-b' ? { kind: 'department' } : null) } });
    const meta = () => ({ idempotencyKey: uuidv4(), correlationId: 'test', at: new Date(Date.now()).toISOString() });
    const p = uuidv4();
    const launch = { propagationId: p, campaignId: 'c-selfcheck', origin: { kind: 'checklist_item' as const, categoryCode: '2.3' }, scope: 'chosen' as const, unitIds: ['town-a', 'dept-b'], instruction: '对照清单 2.3 自查', deadlineWorkdays: 2 };
    await write.propagations.handle({ type: 'LaunchPropagation', data: launch }, supervisor, meta());
    // town-a's official claims and never signs; nobody claims dept-b's task.
    await write.propagations.handle({ type: 'ClaimSelfCheck', propagationId: p, unitId: 'town-a', data: {} }, officialA, meta());
    await forward(streamOf(p, 'town-a'));
    await forward(streamOf(p, 'dept-b'));

    const requested = (await events(streamOf(p, 'town-a')))[0] as unknown as SelfCheckRequested;
    const rungs = async (unit: string) => (await events(streamOf(p, unit))).filter((e) => e.type === 'SelfCheckEscalated').map((e) => e.data as Record<string, unknown>);

    await h.advanceTo(new Date(Date.parse(requested.data.deadlineAt) + 60_000).toISOString());
    await until(streamOf(p, 'town-a'), 'SelfCheckEscalated', 1);
    await until(streamOf(p, 'dept-b'), 'SelfCheckEscalated', 1);
    const [notice] = await rungs('town-a');
    expect(notice).toMatchObject({ level: 'notice', nextLevel: 'interview', at: requested.data.deadlineAt, accountable: { person: officialA, step: 'SelfCheckClaimed' } });

    await h.advanceTo(new Date(Date.parse(notice.nextDueAt as string) + 60_000).toISOString());
    await until(streamOf(p, 'town-a'), 'SelfCheckEscalated', 2);
    const interview = (await rungs('town-a'))[1];
    expect(interview).toMatchObject({ level: 'interview', at: notice.nextDueAt, nextLevel: 'accountability' });

    await h.advanceTo(new Date(Date.parse(interview.nextDueAt as string) + 60_000).toISOString());
    await until(streamOf(p, 'town-a'), 'SelfCheckEscalated', 3);
    await until(streamOf(p, 'dept-b'), 'SelfCheckEscalated', 3);
    expect((await rungs('town-a')).map((r) => [r.level, r.at])).toEqual([
      ['notice', requested.data.deadlineAt],
      ['interview', notice.nextDueAt],
      ['accountability', interview.nextDueAt],
    ]);
    // The unclaimed task climbs the same rungs on the same days, against its unit.
    expect((await rungs('dept-b')).map((r) => [r.level, r.at, (r.accountable as { person: unknown; unitId: string }).person, (r.accountable as { unitId: string }).unitId])).toEqual([
      ['notice', requested.data.deadlineAt, null, 'dept-b'],
      ['interview', notice.nextDueAt, null, 'dept-b'],
      ['accountability', interview.nextDueAt, null, 'dept-b'],
    ]);
    // Each rung once: the overdue record once, three rungs, nothing after the last.
    expect((await events(streamOf(p, 'town-a'))).map((e) => e.type)).toEqual([
      'SelfCheckRequested', 'SelfCheckClaimed', 'SelfCheckOverdue', 'SelfCheckEscalated', 'SelfCheckEscalated', 'SelfCheckEscalated',
    ]);
    await h.untilWorkflow(selfCheckWorkflowId(p, 'town-a'), (s) => s === 'COMPLETED');
    await h.untilWorkflow(selfCheckWorkflowId(p, 'dept-b'), (s) => s === 'COMPLETED');
    // The climb's history is replayed by finding.replay.spec.ts (RECORD_WORKFLOW_HISTORIES=1 refreshes it).
    await recordHistoriesIfAsked({ 'self-check-ladder': selfCheckWorkflowId(p, 'town-a') }, (id) => h.handle(id).fetchHistory());
  });
});
