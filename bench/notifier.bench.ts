import { randomUUID } from 'node:crypto';
import { createWriteSide } from '@duban/application';
import { type Actor, DEFAULT_REMINDER_SETTINGS, WorkdayCalendar } from '@duban/domain';
import { testCampaign } from '@duban/domain/testing/fixtures';
import { compareGlobalPositions, PostgresEventStore } from '@duban/event-store';
import { DirectoryProjector, InboxNotifier, sendDueDigests } from '@duban/read-models';
import { BenchServer, CampaignWriter, measure, newPool, Row, say, timeOnce } from './support';

const QUICK = process.env.BENCH_QUICK === '1';
const BACKLOG = QUICK ? 300 : 2_000;
const LAGGED = QUICK ? 200 : 1_000;
/** Writers at once at the cutoff hour (every town reporting and dispatching before 17:30). */
const CUTOFF_WRITERS = 8;
/** A county's towns and the officials each has on record (镇长, 分管副镇长, 办公室): every dispatch reaches all of them. */
const TOWNS = 20;
const OFFICIALS_PER_TOWN = 3;

const admin: Actor = { userId: 'admin-1', name: '王建军', unitId: 'county-office', role: 'admin' };
const inspector: Actor = { userId: 'insp-1', name: '张督查', unitId: 'team-1', role: 'inspector' };
const supervisor: Actor = { userId: 'sup-1', name: '李秀英', unitId: 'county-office', role: 'supervisor' };

/**
 * The inbox notifier's lag behind the log: the baseline is its catch-up rate over a backlog (events per second); under
 * load, each op records and dispatches a finding and waits until the notifier's checkpoint has passed the log's head
 * as it was then — the per-op latency is the notifier's lag, one writer alone and CUTOFF_WRITERS at once, while the
 * notifier polls every 50 ms in the background as the worker runs it. The directory holds a county's officials
 * (TOWNS × OFFICIALS_PER_TOWN), so each dispatch writes an inbox notice per official of its town. Last, one digest
 * pass over everything still open: a digest per town with its officials' notices and texts.
 */
export async function runNotifierBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_notifier');
  const pool = newPool(db.appUrl, 12);
  try {
    const clock = { now: () => new Date() };
    const store = new PostgresEventStore(pool, clock);
    const directory = createWriteSide({ store, clock }).directory;
    const towns = Array.from({ length: TOWNS }, (_, t) => `town-${t}`);
    await directory.handleBatch(
      [
        ...towns.map((unitId, t) => ({ type: 'CreateUnit' as const, data: { unitId, name: `基准${t}镇`, kind: 'town' as const, parentId: null, reason: '基准' } })),
        ...towns.flatMap((unitId, t) =>
          Array.from({ length: OFFICIALS_PER_TOWN }, (_, k) => ({
            type: 'RegisterPerson' as const,
            data: { personId: `off-${t}-${k}`, name: `官员${t}-${k}`, phone: `137${String(10_000_000 + t * 10 + k)}`, unitId, role: 'unit_official' as const, reason: '基准' },
          })),
        ),
      ],
      admin,
      { idempotencyKey: 'bench-notifier-directory', correlationId: randomUUID() },
    );
    if (!(await new DirectoryProjector(pool).settle())) throw new Error('the directory was not projected');
    const { campaignId, name, noticePrefix, phases } = { ...testCampaign, campaignId: 'bench-notify' };
    const writer = await CampaignWriter.create(pool, { campaignId, name, noticePrefix, phases }, admin, '2026-10-12T01:00:00.000Z');
    const life = async (i: number) => {
      const id = randomUUID();
      await writer.exec(id, 'RecordFinding', {
        findingId: id, campaignId, source: 'household_inspection', categoryCode: '2.3', severity: 'red',
        townUnitId: `town-${i % TOWNS}`, description: '合成数据', evidence: ['photo-1'],
      }, inspector, '2026-10-12T02:00:00.000Z');
      await writer.exec(id, 'DispatchFinding', { unitId: `town-${i % TOWNS}` }, supervisor, '2026-10-12T07:00:00.000Z');
    };

    say(`notifier: writing a backlog of ${BACKLOG} findings…\n`);
    for (let i = 0; i < BACKLOG; i++) await life(i);
    const backlogEvents = writer.events;
    const notifier = new InboxNotifier(pool, { batchSize: 200 });
    const catchUp = await timeOnce(backlogEvents, () => notifier.subscription.catchUp());
    const notices = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM inbox_notices_v1')).rows[0].n);
    // The same backlog again with nobody on record (the officials deactivated through the directory's commands), then
    // with them back: the cost of writing each official's notices, interleaved so the shared machine's drift shows.
    const people = towns.flatMap((_, t) => Array.from({ length: OFFICIALS_PER_TOWN }, (__, k) => `off-${t}-${k}`));
    const again = async (type: 'DeactivatePerson' | 'ReactivatePerson') => {
      await directory.handleBatch(people.map((personId) => ({ type, data: { personId, reason: '基准' } })), admin, { idempotencyKey: `bench-notifier-${type}`, correlationId: randomUUID() });
      if (!(await new DirectoryProjector(pool).settle())) throw new Error('the directory was not projected');
      await notifier.subscription.rewind(async (tx) => {
        await tx.query('DELETE FROM inbox_notices_v1');
        await tx.query('DELETE FROM notification_routing_v1');
      });
      return timeOnce(backlogEvents, () => notifier.subscription.catchUp());
    };
    const bare = await again('DeactivatePerson');
    const catchUpAgain = await again('ReactivatePerson');

    notifier.subscription.start(50);
    const lagOp = async (i: number) => {
      await life(i);
      const head = await store.head();
      while (compareGlobalPositions(await notifier.subscription.position(), head) < 0) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      const alone = await measure(LAGGED / 4, 1, lagOp);
      const cutoff = await measure(LAGGED, CUTOFF_WRITERS, lagOp);
      await notifier.subscription.stop();
      const open = Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM notification_routing_v1')).rows[0].n);
      // Tuesday 2026-10-13 08:30 in Asia/Shanghai, the default digest hour; the shipped official calendar.
      const calendar = new WorkdayCalendar();
      let digests = 0;
      const digest = await timeOnce(open, async () => {
        digests = await sendDueDigests(pool, '2026-10-13T00:30:00.000Z', async () => ({ calendar, settings: DEFAULT_REMINDER_SETTINGS }));
      });
      if (digests !== TOWNS) throw new Error(`expected a digest per town, got ${digests}`);
      const base: Row = { bench: 'inbox notifier', variant: 'catch-up, nobody on record', unit: 'events', m: bare, note: `${backlogEvents} events: routing and checkpoint only` };
      const withOfficials = (m: typeof catchUp, when: string): Row => ({
        bench: 'inbox notifier',
        variant: `catch-up, ${TOWNS * OFFICIALS_PER_TOWN} officials (${when})`,
        unit: 'events',
        m,
        baseline: base,
        note: `${notices} notices written`,
      });
      const one: Row = { bench: 'inbox notifier', variant: 'lag, 1 writer', unit: 'findings', m: alone, note: 'p50/p99: record + dispatch until checkpointed' };
      return [
        withOfficials(catchUp, 'before'),
        base,
        withOfficials(catchUpAgain, 'after'),
        one,
        { bench: 'inbox notifier', variant: `lag, ${CUTOFF_WRITERS} writers (cutoff hour)`, unit: 'findings', m: cutoff, baseline: one, note: 'p50/p99: record + dispatch until checkpointed' },
        { bench: 'daily digest', variant: 'one pass, every town', unit: 'findings', m: digest, note: `${digests} digests, ${TOWNS * OFFICIALS_PER_TOWN} notices + texts` },
      ];
    } finally {
      await notifier.subscription.stop();
    }
  } finally {
    await pool.end();
  }
}
