import { actors, testCampaign } from '@duban/domain/testing';
import { PostgresEventStore } from '@duban/event-store';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database';
import { createWriteSide, type WriteSide } from './write-side';

const clock = { now: () => new Date('2026-10-12T02:00:00.000Z') };
const sh = (local: string) => `${local.replace(' ', 'T')}:00+08:00`;

/**
 * The timers' side of the write path, as the worker's activity and the test drivers use it: planned from the stream,
 * fired as the system's command under the timer's key — the same code for both, so a driver cannot drift from the worker.
 */
describe('FindingTimers (libs/application)', () => {
  let db: TestDatabase;
  let write: WriteSide;

  beforeAll(async () => {
    db = await createTestDatabase();
    const units = { unit: async () => ({ kind: 'town' }) };
    write = createWriteSide({ store: new PostgresEventStore(db.appPool, clock), clock, units });
    await write.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-timers', policy: undefined } }, actors.admin, {
      idempotencyKey: 'create',
      correlationId: 'c-1',
      at: sh('2026-08-25 09:00'),
    });
  });
  afterAll(async () => db.drop());

  const record = (findingId: string) =>
    write.findings.handle(
      {
        type: 'RecordFinding',
        findingId,
        data: {
          findingId,
          campaignId: 'c-timers',
          source: 'household_inspection',
          categoryCode: '2.3',
          severity: 'yellow',
          townUnitId: 'town-a',
          village: '张庄村',
          household: '张某某',
          description: '住房安全鉴定后未落实改造',
          evidence: ['photo-1'],
        },
      },
      actors.inspector,
      { idempotencyKey: `record-${findingId}`, correlationId: 'c-1', at: sh('2026-10-12 09:00') },
    );

  it('plans from the stream and fires under the timer key at its instant: a repeat gets the first result, appends nothing', async () => {
    await record('f-1');
    const plan = await write.timers.plan('f-1');
    const sla = plan.timers.find((t) => t.kind === 'dispatch_sla')!;
    expect(sla.command.type).toBe('MarkDispatchOverdue');
    const fired = await write.timers.fire('f-1', sla, 'wf-run-1');
    expect(fired).toEqual({ appended: ['DispatchOverdue'], version: 2 });
    expect(await write.timers.fire('f-1', sla, 'wf-run-2')).toEqual(fired);
    const stream = await new PostgresEventStore(db.appPool, clock).readStream('finding-f-1');
    expect(stream.events.map((e) => [e.type, (e.data as { at: string }).at])).toEqual([
      ['FindingRecorded', new Date(sh('2026-10-12 09:00')).toISOString()],
      ['DispatchOverdue', new Date(sla.dueAt).toISOString()],
    ]);
    expect((await write.timers.plan('f-1')).timers.some((t) => t.kind === 'dispatch_sla')).toBe(false);
  });

  it('decides at the instant it is given (a workflow that woke late), and refuses a timer naming no system command', async () => {
    await record('f-2');
    const sla = (await write.timers.plan('f-2')).timers.find((t) => t.kind === 'dispatch_sla')!;
    const later = new Date(Date.parse(sla.dueAt) + 3_600_000).toISOString();
    const { events } = await write.timers.fireAt('f-2', sla, { correlationId: 'driver', at: later }, (o) => o);
    expect(events.map((e) => [e.type, (e.data as { at: string }).at])).toEqual([['DispatchOverdue', later]]);
    await expect(write.timers.fire('f-2', { ...sla, key: 'forged', command: { type: 'AnnulFinding', data: {} } }, 'x')).rejects.toThrow(
      'timer forged names AnnulFinding, not a system command',
    );
  });
});
