import { actors, testCampaign } from '@duban/domain/testing';
import { type EventStore, PostgresEventStore, type ReadStreamOptions } from '@duban/event-store';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/test-database';
import { createWriteSide, type WriteSide } from './write-side';

const clock = { now: () => new Date('2026-10-12T02:00:00.000Z') };
const meta = (idempotencyKey: string) => ({ idempotencyKey, correlationId: 'c-1' });

describe('CampaignContexts: the campaign stream folded once per command, never stale for a decision', () => {
  let db: TestDatabase;
  let write: WriteSide;

  beforeAll(async () => {
    db = await createTestDatabase();
    write = createWriteSide({ store: new PostgresEventStore(db.appPool, clock), clock });
  });
  afterAll(async () => db.drop());

  it('knows a campaign created after it was first asked about', async () => {
    expect(await write.campaignContexts.context('c-late')).toBeNull();
    await expect(write.campaignContexts.active('c-late')).rejects.toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
    await write.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-late', policy: undefined } }, actors.admin, meta('create-late'));
    expect((await write.campaignContexts.context('c-late'))?.campaign.campaignId).toBe('c-late');
  });

  it('reads what moves (lifecycle, version) afresh while the settings it keeps stay the same', async () => {
    await write.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-moves', policy: undefined } }, actors.admin, meta('create-moves'));
    const kept = await write.campaignContexts.context('c-moves');
    const paused = await write.campaigns.handle({ type: 'PauseCampaign', campaignId: 'c-moves', data: { reason: '汛期' } }, actors.admin, meta('pause-moves'));
    expect(paused).toEqual({ campaignId: 'c-moves', version: 2, events: ['CampaignPaused'] });
    const now = await write.campaignContexts.active('c-moves');
    expect([now.state.lifecycle, now.version]).toEqual(['paused', 2]);
    expect(await write.campaignContexts.context('c-moves')).toBe(kept);
    // A second pause is decided on the fresh state, not on the kept one: refused.
    await expect(
      write.campaigns.handle({ type: 'PauseCampaign', campaignId: 'c-moves', data: { reason: '再次' } }, actors.admin, meta('pause-again')),
    ).rejects.toMatchObject({ code: 'CAMPAIGN_ALREADY_PAUSED' });
  });

  it('computes with the official calendar in force: a notice published after the context was first read counts at once', async () => {
    await write.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-cal', policy: undefined } }, actors.admin, meta('create-cal'));
    const before = await write.campaignContexts.context('c-cal');
    // An invented notice: 2031-03-03 (a Monday) off.
    expect(before?.calendar.isWorkday('2031-03-03')).toBe(true);
    const published = await write.calendars.handle(
      {
        type: 'PublishOfficialCalendar',
        data: { year: 2031, title: '关于2031年部分节假日安排的通知', documentNo: '国办发明电〔2030〕99号', holidays: [{ date: '2031-03-03', name: '虚构节' }], makeupWorkdays: [] },
      },
      actors.admin,
      meta('publish-2031'),
    );
    expect(published).toEqual({ year: 2031, yearVersion: 1, calendarVersion: 1 });
    const after = await write.campaignContexts.context('c-cal');
    expect(after?.calendar.version).toBe(1);
    expect(after?.calendar.isWorkday('2031-03-03')).toBe(false);
    expect(before?.calendar.version).toBe(0);
  });

  it('reads only the campaign events after the version it folded, and sees another process\'s at once', async () => {
    const store = new PostgresEventStore(db.appPool, clock);
    const reads: Array<{ afterVersion: number; events: number }> = [];
    const counting: EventStore = Object.assign(Object.create(store) as EventStore, {
      readStream: async (streamId: string, options?: ReadStreamOptions) => {
        const read = await store.readStream(streamId, options);
        if (streamId === 'campaign-c-tail') reads.push({ afterVersion: options?.afterVersion ?? 0, events: read.events.length });
        return read;
      },
    });
    const mine = createWriteSide({ store: counting, clock });
    await mine.campaigns.handle({ type: 'CreateCampaign', data: { ...testCampaign, campaignId: 'c-tail', policy: undefined } }, actors.admin, meta('create-tail'));
    for (let i = 0; i < 3; i++) {
      const pause = i % 2 === 0 ? ('PauseCampaign' as const) : ('ResumeCampaign' as const);
      await mine.campaigns.handle({ type: pause, campaignId: 'c-tail', data: { reason: `第${i}次` } }, actors.admin, meta(`tail-${i}`));
    }
    // Another process (its own write side) resumes it: the next read here folds that event too.
    await write.campaigns.handle({ type: 'ResumeCampaign', campaignId: 'c-tail', data: { reason: '另一进程' } }, actors.admin, meta('tail-other'));
    const now = await mine.campaignContexts.active('c-tail');
    expect([now.state.lifecycle, now.version]).toEqual(['active', 5]);
    // Each command reads what was appended since the one before (its own last event), never the stream from the start.
    expect(reads).toEqual([
      { afterVersion: 0, events: 0 },
      { afterVersion: 0, events: 1 },
      { afterVersion: 1, events: 1 },
      { afterVersion: 2, events: 1 },
      { afterVersion: 3, events: 2 },
    ]);
  });
});
