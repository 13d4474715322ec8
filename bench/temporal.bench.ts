import { Client, Connection } from '@temporalio/client';
import {
  calendarFor,
  CampaignEvent,
  CampaignState,
  campaignStreamId,
  evolveCampaign,
  findingDecider,
  FindingEvent,
  FindingState,
  initialCampaignState,
  isSystemEventType,
  planTimers,
} from '@duban/domain';
import { createWriteSide } from '@duban/application';
import { PostgresEventStore, START, type RecordedEvent } from '@duban/event-store';
import { findingWorkflowId } from '@duban/contracts';
import { TemporalForwarder } from '../apps/worker/src/forwarder/temporal-forwarder';
import { startDevServer } from '../infra/temporal/dev-server';
import { generateLog } from './event-store-support';
import { BenchServer, interleaved, newPool, Row, say, timeOnce } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
const LOG_EVENTS = QUICK ? 600 : 4_000;
const clock = { now: () => new Date() };
const quiet = { info() {}, warn() {}, error() {} };

/**
 * What the deadlines cost. Each figure against a baseline of the same run:
 * - planning (pure): folding a finding's stream and planning its timers, against folding alone;
 * - the plan activity: reading the finding and its campaign from PostgreSQL and planning, against reading the stream;
 * - the forwarder: reading the log from its checkpoint, signalling each person-signed event and checkpointing, against
 *   issuing the same signalWithStart calls from memory. Both go to a task queue no worker polls, so the figure is the
 *   forwarder's own overhead on top of what Temporal charges for accepting a signal.
 */
export async function runTemporalBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_temporal');
  const pool = newPool(db.appUrl, 8);
  const rows: Row[] = [];
  try {
    say(`temporal: generating a log of ~${LOG_EVENTS} events…\n`);
    const log = await generateLog(pool, LOG_EVENTS);
    const store = new PostgresEventStore(pool, clock);
    const events = await store.readAll(START, 1_000_000);
    const streams = new Map<string, RecordedEvent[]>();
    for (const e of events) if (e.streamId.startsWith('finding-')) streams.set(e.streamId, [...(streams.get(e.streamId) ?? []), e]);
    const ids = [...streams.keys()].map((s) => s.slice('finding-'.length));
    const campaign = events
      .filter((e) => e.streamId === campaignStreamId('c1'))
      .reduce((s, e) => evolveCampaign(s, { type: e.type, data: e.data } as CampaignEvent), initialCampaignState()) as Extract<CampaignState, { status: 'Active' }>;
    const ctx = { campaign: campaign.settings, calendar: calendarFor(campaign.settings) };
    const fold = (id: string): FindingState =>
      streams.get(`finding-${id}`)!.reduce((s, e) => findingDecider.evolve(s, { type: e.type, data: e.data } as FindingEvent), findingDecider.initialState());

    // ---- pure planning
    const pure = await interleaved(
      {
        baseline: async (i) => void fold(ids[i % ids.length]),
        plan: async (i) => void planTimers(fold(ids[i % ids.length]), ctx),
      },
      ids.length * 5,
      1,
    );
    const pureBase: Row = { bench: '6 plan timers (pure)', variant: 'fold the finding stream (baseline)', unit: 'findings', m: pure.baseline };
    rows.push(pureBase, { bench: '6 plan timers (pure)', variant: 'fold + planTimers', unit: 'findings', m: pure.plan, baseline: pureBase, note: `${ids.length} findings` });

    // ---- the plan activity against PostgreSQL
    const write = createWriteSide({ store, clock });
    // Three years of invented notices in the official calendar stream, which every plan reads afresh.
    for (const year of [2031, 2032, 2033]) {
      await write.calendars.handle(
        {
          type: 'PublishOfficialCalendar',
          data: { year, title: `${year} 年节假日安排（基准测试虚构）`, documentNo: `测〔${year}〕1号`, holidays: [{ date: `${year}-01-01`, name: '元旦' }], makeupWorkdays: [] },
        },
        { userId: 'admin-1', name: '管理员', unitId: 'county-office', role: 'admin' },
        { idempotencyKey: `bench-notice-${year}`, correlationId: 'bench' },
      );
    }
    const timers = write.timers;
    const activity = await interleaved(
      {
        baseline: async (i) => void (await store.readStream(`finding-${ids[i % ids.length]}`)),
        calendar: async () => void (await write.officialCalendars.current()),
        plan: async (i) => void (await timers.plan(ids[i % ids.length])),
      },
      ids.length * 2,
      4,
    );
    const actBase: Row = { bench: '7 plan activity, 4 clients', variant: 'readStream of the finding (baseline)', unit: 'plans', m: activity.baseline };
    rows.push(
      actBase,
      {
        bench: '7 plan activity, 4 clients',
        variant: 'OfficialCalendars.current (read the official calendar stream)',
        unit: 'reads',
        m: activity.calendar,
        baseline: actBase,
        note: '3 published notices',
      },
      {
        bench: '7 plan activity, 4 clients',
        variant: 'FindingTimers.plan (finding + campaign + official calendar + plan)',
        unit: 'plans',
        m: activity.plan,
        baseline: actBase,
      },
    );

    // ---- the forwarder against a real dev server
    say('temporal: starting a dev server…\n');
    const port = 17_000 + Math.floor(Math.random() * 2_000);
    const dev = await startDevServer({ port });
    const connection = await Connection.connect({ address: dev.address });
    try {
      const client = new Client({ connection });
      const signalled = events.filter((e) => e.streamId.startsWith('finding-') && !isSystemEventType(e.type));
      const direct = await timeOnce(signalled.length, async () => {
        for (const e of signalled) {
          await client.workflow.signalWithStart('findingWorkflow', {
            workflowId: `baseline-${findingWorkflowId(e.streamId.slice('finding-'.length))}`,
            taskQueue: 'bench-no-worker',
            args: [{ findingId: e.streamId.slice('finding-'.length) }],
            signal: 'findingEvent',
            signalArgs: [{ version: e.version, type: e.type, at: e.recordedAt }],
          });
        }
      });
      const forwarder = new TemporalForwarder(pool, client, quiet, { taskQueue: 'bench-no-worker', batchSize: 500 });
      const forwarded = await timeOnce(events.length, () => forwarder.catchUp());
      forwarded.ops = signalled.length;
      const fwBase: Row = { bench: '8 forwarder', variant: 'signalWithStart from memory, one at a time (baseline)', unit: 'signals', m: direct };
      rows.push(fwBase, {
        bench: '8 forwarder',
        variant: 'TemporalForwarder.catchUp, 8 findings at a time (log → signals → checkpoint)',
        unit: 'signals',
        m: forwarded,
        baseline: fwBase,
        note: `${events.length} log events, ${signalled.length} signalled, ${log.findings} findings`,
      });
    } finally {
      await connection.close();
      await dev.stop();
    }
  } finally {
    await pool.end();
  }
  return rows;
}
