import { SYSTEM_ACTOR } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database';
import type { CadenceReportCommandRequest } from './commands';
import { createWriteSide, type WriteSide } from './write-side';

const clock = { now: () => new Date('2026-11-23T02:00:00.000Z') };

const weekly: CadenceReportCommandRequest = {
  type: 'PublishWeeklyDispatch',
  data: {
    campaignId: 'c-1',
    periodKey: '2026-W48',
    provenance: { asOf: '2026-11-23T01:00:00.000Z', checkpoint: '7:42' },
    content: { week: '2026-W48', periodStart: '2026-11-23', periodEnd: '2026-11-29', units: [] },
  },
};

describe('CadenceReportCommands: one report per period, published once, then frozen', () => {
  let db: TestDatabase;
  let write: WriteSide;

  beforeAll(async () => {
    db = await createTestDatabase();
    write = createWriteSide({ store: new PostgresEventStore(db.appPool, clock), clock });
  });
  afterAll(async () => db.drop());

  it('appends the report under the period, replays a retry, and appends nothing for a second run under another key', async () => {
    expect(await write.cadenceReports.published('c-1', 'weekly_dispatch', '2026-W48')).toBe(false);
    const meta = { idempotencyKey: 'cadence:c-1:weekly_dispatch:2026-W48', correlationId: 'run-1', at: '2026-11-23T01:00:00.000Z' };
    const first = await write.cadenceReports.handle(weekly, SYSTEM_ACTOR, meta);
    expect(first).toEqual({ eventType: 'WeeklyDispatchPublished', appended: true, streamId: 'cadence-c-1-weekly_dispatch-2026-W48' });
    // A retried activity (same key) gets the first result, even with numbers computed again: the request names the
    // period and the run's instant, and the first publication stands.
    const recomputed = { ...weekly, data: { ...weekly.data, provenance: { asOf: '2026-11-23T01:00:00.000Z', checkpoint: '9:77' } } };
    expect(await write.cadenceReports.handle(recomputed, SYSTEM_ACTOR, { ...meta, correlationId: 'run-2' })).toEqual(first);
    expect(await write.cadenceReports.published('c-1', 'weekly_dispatch', '2026-W48')).toBe(true);
    const another = await write.cadenceReports.handle(weekly, SYSTEM_ACTOR, { ...meta, idempotencyKey: 'manual-trigger' });
    expect(another).toEqual({ ...first, appended: false });
    const stream = await new PostgresEventStore(db.appPool, clock).readStream(first.streamId);
    expect(stream.events.map((e) => e.type)).toEqual(['WeeklyDispatchPublished']);
  });
});
