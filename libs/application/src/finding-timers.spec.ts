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

/**
 * The daily cutoff sweep: one per campaign at policy.progressCutoff (17:30 by default) instead of a timer per finding.
 * Findings claimed Monday 2026-10-12 owe a report from Tuesday on.
 */
describe('FindingTimers.sweepDailyReports (libs/application)', () => {
  let db: TestDatabase;
  let write: WriteSide;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    const units = { unit: async () => ({ kind: 'town' }) };
    store = new PostgresEventStore(db.appPool, clock);
    write = createWriteSide({ store, clock, units });
    await write.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-sweep', policy: undefined } }, actors.admin, {
      idempotencyKey: 'create',
      correlationId: 'c-1',
      at: sh('2026-08-25 09:00'),
    });
  });
  afterAll(async () => db.drop());

  const act = (findingId: string, type: string, data: object, who: (typeof actors)[keyof typeof actors], at: string) =>
    write.findings.handle({ type, findingId, data } as never, who, { idempotencyKey: `${findingId}-${type}-${at}`, correlationId: 'c-1', at: sh(at) });
  const claimed = async (findingId: string) => {
    await act(
      findingId,
      'RecordFinding',
      {
        findingId,
        campaignId: 'c-sweep',
        source: 'household_inspection',
        categoryCode: '2.3',
        severity: 'blue',
        townUnitId: 'town-a',
        village: '张庄村',
        household: '张某某',
        description: '住房安全鉴定后未落实改造',
        evidence: ['photo-1'],
      },
      actors.inspector,
      '2026-10-12 09:00',
    );
    await act(findingId, 'DispatchFinding', { unitId: 'town-a' }, actors.supervisor, '2026-10-12 09:30');
    await act(findingId, 'ClaimFinding', {}, actors.officialA, '2026-10-12 10:00');
  };
  const report = (findingId: string, at: string) => act(findingId, 'ReportProgress', { summary: '正在整改', evidence: [] }, actors.officialA, at);
  const missed = async (findingId: string) =>
    (await store.readStream(`finding-${findingId}`)).events
      .filter((e) => e.type === 'DailyReportMissed')
      .map((e) => {
        const d = e.data as { workday: string; cutoffAt: string; at: string; accountable: { person: { userId: string } | null } };
        return [d.workday, d.cutoffAt, d.at, d.accountable.person?.userId, e.metadata.commandId !== undefined];
      });
  const cutoff = (day: string) => new Date(sh(`${day} 17:30`)).toISOString();

  it('records exactly one miss per owing finding at the cutoff, as its timer would; a report after the cutoff does not settle the day', async () => {
    for (const id of ['s-silent', 's-reported', 's-late']) await claimed(id);
    await report('s-reported', '2026-10-13 10:00');
    // Filed after the cutoff, before the sweep reaches the finding: the day was missed as of 17:30.
    await report('s-late', '2026-10-13 18:00');

    const swept = await write.timers.sweepDailyReports('c-sweep', '2026-10-13', ['s-silent', 's-reported', 's-late', 's-unknown'], 'sweep-1');

    expect(swept).toEqual({ findings: 4, missed: 2 });
    const oneMiss = [['2026-10-13', cutoff('2026-10-13'), cutoff('2026-10-13'), actors.officialA.userId, true]];
    expect(await missed('s-silent')).toEqual(oneMiss);
    expect(await missed('s-late')).toEqual(oneMiss);
    expect(await missed('s-reported')).toEqual([]);
    // The late report stays on record after the miss, and the next day is owed as before.
    expect((await store.readStream('finding-s-late')).events.map((e) => e.type).slice(-2)).toEqual(['ProgressReported', 'DailyReportMissed']);
    expect((await write.timers.plan('s-late')).timers.find((t) => t.kind === 'daily_report')?.key).toBe('daily-report:2026-10-14');

    // A re-run (a retried activity, a second firing of the schedule) appends nothing.
    const versions = await Promise.all(['s-silent', 's-reported', 's-late'].map(async (id) => (await store.readStream(`finding-${id}`)).version));
    expect(await write.timers.sweepDailyReports('c-sweep', '2026-10-13', ['s-silent', 's-reported', 's-late'], 'sweep-2')).toEqual({ findings: 3, missed: 0 });
    expect(await Promise.all(['s-silent', 's-reported', 's-late'].map(async (id) => (await store.readStream(`finding-${id}`)).version))).toEqual(versions);
  });

  it("overlaps an old run's timer under the same key: whichever fires first records the day, the other appends nothing", async () => {
    await claimed('s-timer');
    const timer = (await write.timers.plan('s-timer')).timers.find((t) => t.kind === 'daily_report')!;
    expect(timer.key).toBe('daily-report:2026-10-13');
    expect((await write.timers.fire('s-timer', timer, 'old-run')).appended).toEqual(['DailyReportMissed']);
    expect(await write.timers.sweepDailyReports('c-sweep', '2026-10-13', ['s-timer'], 'sweep-3')).toEqual({ findings: 1, missed: 0 });
    expect(await missed('s-timer')).toHaveLength(1);

    await claimed('s-sweep-first');
    expect(await write.timers.sweepDailyReports('c-sweep', '2026-10-13', ['s-sweep-first'], 'sweep-4')).toEqual({ findings: 1, missed: 1 });
    const version = (await store.readStream('finding-s-sweep-first')).version;
    // The old run's timer replays the sweep's result under the same key and request.
    expect(await write.timers.fire('s-sweep-first', timer, 'old-run')).toEqual({ appended: ['DailyReportMissed'], version });
    expect((await store.readStream('finding-s-sweep-first')).version).toBe(version);
    expect(await missed('s-sweep-first')).toHaveLength(1);
  });

  it('catches up the days an earlier sweep did not reach, each decided at its own cutoff', async () => {
    // Known limit: a day no sweep reached is judged as of the later cutoff, so a report filed in between settles it
    // (a timer would have recorded it at its own cutoff). Sweeps run every workday; this is the outage case.
    await claimed('s-catch-up');
    await report('s-catch-up', '2026-10-14 09:00');
    expect(await write.timers.sweepDailyReports('c-sweep', '2026-10-14', ['s-catch-up'], 'sweep-5')).toEqual({ findings: 1, missed: 0 });
    expect(await missed('s-catch-up')).toEqual([]);
    await claimed('s-two-days');
    expect(await write.timers.sweepDailyReports('c-sweep', '2026-10-14', ['s-two-days'], 'sweep-6')).toEqual({ findings: 1, missed: 2 });
    expect((await missed('s-two-days')).map((m) => m[0])).toEqual(['2026-10-13', '2026-10-14']);
  });
});
