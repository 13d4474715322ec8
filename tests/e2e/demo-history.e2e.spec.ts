import { DEMO_HISTORY_CAMPAIGN_ID as CAMPAIGN, DEMO_HISTORY_NAME_PREFIX } from '@duban/domain';
import { createWriteSide } from '@duban/application';
import { EVENT_STORE, type EventStore } from '@duban/event-store';
import { demoFindingId, demoHistoryWanted, seedDemoHistoryIn } from '../../apps/api/src/cli/demo-history';
import { ApiHarness, startApi } from '../support/api-harness';

// Monday 2026-11-23 10:00 in Asia/Shanghai: the history runs from 2026-10-19, October's review is published on 2 November.
const NOW = '2026-11-23T02:00:00.000Z';

describe('the demo county’s month of history (real PostgreSQL, written through the write side)', () => {
  let h: ApiHarness;
  const get = (userId: string, path: string) => h.http().get(path).set({ Authorization: `Bearer ${h.token(userId)}` });
  const accountability = async (query: string) => (await get('jw-1', `/ledgers/accountability?campaignId=${CAMPAIGN}&pageSize=200&${query}`)).body;

  beforeAll(async () => {
    h = await startApi(NOW);
    const first = await seedDemoHistoryIn(h.app, new Date(NOW));
    expect(first).toMatchObject({ campaignId: CAMPAIGN, firstDay: '2026-10-19', findings: 10, monthlyReview: '2026-10', alreadyThere: false });
    await h.catchUp();
  }, 120_000);
  afterAll(async () => h.close());

  it('is marked as demo data in the campaigns API', async () => {
    const list = await get('sup-1', '/campaigns');
    const demo = list.body.find((c: { campaignId: string }) => c.campaignId === CAMPAIGN);
    expect(demo).toMatchObject({ demo: true });
    expect(demo.name.startsWith(DEMO_HISTORY_NAME_PREFIX)).toBe(true);
    expect(list.body.find((c: { campaignId: string }) => c.campaignId !== CAMPAIGN)).toMatchObject({ demo: false });
  });

  it('shows overdue findings, one never dispatched and one awaiting verification', async () => {
    const overdue = await get('sup-1', `/findings?campaignId=${CAMPAIGN}&overdue=true&pageSize=100`);
    expect(overdue.status).toBe(200);
    const ids = overdue.body.items.map((f: { findingId: string }) => f.findingId);
    expect(ids).toContain(demoFindingId(2));
    const all = (await get('sup-1', `/findings?campaignId=${CAMPAIGN}&pageSize=100`)).body.items as Array<{ findingId: string; state: string }>;
    expect(all).toHaveLength(10);
    const state = (n: number) => all.find((f) => f.findingId === demoFindingId(n))?.state;
    expect([state(1), state(3), state(6), state(5), state(2)]).toEqual(['Closed', 'Closed', 'Recorded', 'AwaitingVerification', 'InRectification']);
  });

  it('holds a ladder with a notice (通报) and an interview (约谈) that the office acknowledged, and missed daily reports', async () => {
    const ladder = await accountability(`findingId=${demoFindingId(2)}&kind=escalation`);
    const levels = ladder.items.map((r: { level: string }) => r.level);
    expect(levels).toEqual(expect.arrayContaining(['notice', 'interview', 'accountability']));
    const interview = ladder.items.find((r: { level: string }) => r.level === 'interview');
    expect(interview.acknowledgement).toMatchObject({ by: { id: 'sup-1' } });
    const missed = await accountability(`findingId=${demoFindingId(2)}&kind=missed_report`);
    expect(missed.total).toBeGreaterThan(5);
    expect(missed.items[0].person).toMatchObject({ id: 'off-town-02-a' });
    const totals = (await accountability('')).totals;
    expect(totals.byKind).toMatchObject({ dispatch_overdue: 1, claim_overdue: 1 });
    expect(totals.byKind.overdue).toBeGreaterThanOrEqual(2);
  });

  it('holds a reopen after the look-back, against the official who had signed the fix', async () => {
    const reopen = await accountability(`findingId=${demoFindingId(1)}&kind=reopen`);
    expect(reopen.total).toBe(1);
    const trail = await get('jw-1', `/findings/${demoFindingId(1)}/audit-trail`);
    const types: string[] = trail.body.map((e: { eventType: string }) => e.eventType);
    expect(types.indexOf('LookBackDue')).toBeGreaterThan(types.indexOf('FindingClosed'));
    expect(types.indexOf('FindingReopened')).toBeGreaterThan(types.indexOf('LookBackDue'));
    expect(types.lastIndexOf('FindingClosed')).toBeGreaterThan(types.indexOf('FindingReopened'));
    expect(types.filter((t) => t === 'FindingClosed')).toHaveLength(2);
  });

  it('holds missed daily inspection reports and a published monthly ranking', async () => {
    const day = await get('sup-1', `/inspection-reports?campaignId=${CAMPAIGN}&date=2026-10-23`);
    expect(day.status).toBe(200);
    expect(JSON.stringify(day.body)).toContain('missed');
    const review = await get('off-town-01-a', `/campaigns/${CAMPAIGN}/monthly-reviews/2026-10`);
    expect(review.status).toBe(200);
    expect(review.body.content.units.some((u: { rank: number | null }) => u.rank === 1)).toBe(true);
  });

  it('leaves no timer due before now: the live workflows, which plan from the stream, fire nothing of the past', async () => {
    const store = h.app.get<EventStore>(EVENT_STORE);
    const timers = createWriteSide({ store, clock: h.clock }).timers;
    for (let n = 1; n <= 10; n++) {
      const plan = await timers.plan(demoFindingId(n));
      for (const t of plan.timers) expect({ n, key: t.key, future: t.dueAt > NOW }).toEqual({ n, key: t.key, future: true });
    }
    // A timer the history fired, fired again by a workflow under its key (a workflow started before the history was
    // complete), gets the first result back and appends nothing.
    const { rows } = await h.db.adminPool.query(`SELECT data FROM events WHERE stream_id = $1 AND type = 'DispatchOverdue'`, [
      `finding-${demoFindingId(6)}`,
    ]);
    const { recordedAt, dueAt } = JSON.parse(rows[0].data);
    const before = await h.eventCount();
    const again = await timers.fire(
      demoFindingId(6),
      { key: `dispatch-sla:${recordedAt}`, dueAt, command: { type: 'MarkDispatchOverdue', data: {} } },
      'replay',
    );
    expect(again.appended).toEqual(['DispatchOverdue']);
    expect(await h.eventCount()).toBe(before);
  });

  it('adds nothing when seeded again', async () => {
    const events = await h.eventCount();
    const uploads = (await h.db.adminPool.query('SELECT count(*)::int AS n FROM evidence_uploads')).rows[0].n;
    const second = await seedDemoHistoryIn(h.app, new Date(NOW));
    expect(second.alreadyThere).toBe(true);
    expect(await h.eventCount()).toBe(events);
    expect((await h.db.adminPool.query('SELECT count(*)::int AS n FROM evidence_uploads')).rows[0].n).toBe(uploads);
  }, 60_000);

  it('is left out with --no-history or DUBAN_DEMO=no-history (or off)', () => {
    expect(demoHistoryWanted(['node', 'seed.ts'], {})).toBe(true);
    expect(demoHistoryWanted(['node', 'seed.ts', '--no-history'], {})).toBe(false);
    expect(demoHistoryWanted(['node', 'seed.ts'], { DUBAN_DEMO: 'no-history' })).toBe(false);
    expect(demoHistoryWanted(['node', 'seed.ts'], { DUBAN_DEMO: 'off' })).toBe(false);
  });
});
