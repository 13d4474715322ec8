import { createWriteSide } from '@duban/application';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { ApiHarness, startApi } from '../support/api-harness';
import { findingBody, idempotencyKeys } from '../support/api-fixtures';
import { binary, open } from '../support/xlsx-reader';

const key = idempotencyKeys('official-calendar');
const CAMPAIGN = 'calendar-2031';

// An INVENTED notice for the year 2031 (no real dates are guessed): 虚构节 from Monday 03-03 to Wednesday 03-05, paid
// back on Saturday 03-08. Without it, 2031 has weekends only.
const notice = (over: Record<string, unknown> = {}) => ({
  year: 2031,
  title: '国务院办公厅关于2031年部分节假日安排的通知（测试虚构）',
  documentNo: '国办发明电〔2030〕99号',
  holidays: [
    { date: '2031-01-01', name: '元旦' },
    { date: '2031-03-03', name: '虚构节' },
    { date: '2031-03-04', name: '虚构节' },
    { date: '2031-03-05', name: '虚构节' },
  ],
  makeupWorkdays: [{ date: '2031-03-08', name: '虚构节' }],
  ...over,
});

/**
 * 发布年度节假日安排 over HTTP on a real PostgreSQL: publishing a year changes the due dates computed for it from then
 * on, while a deadline signed before the publication keeps its date and its calendar version — in the event, the
 * ledger, the export and what the finding workflow is told to wait for.
 */
describe('official calendar as data (POST/GET /calendar/official-years)', () => {
  let h: ApiHarness;
  const as = (userId: string) => ({ Authorization: `Bearer ${h.token(userId)}` });
  const post = (userId: string, path: string, body: object, idem = key()) =>
    h.http().post(path).set(as(userId)).set('Idempotency-Key', idem).send(body);
  const get = (userId: string, path: string) => h.http().get(path).set(as(userId));
  const timers = () => {
    const store = h.app.get<EventStore>(EVENT_STORE);
    return createWriteSide({ store, clock: h.clock }).timers;
  };
  const deadlineTimer = async (findingId: string) => (await timers().plan(findingId)).timers.find((t) => t.kind === 'deadline');
  const dispatchedEvent = async (findingId: string) =>
    (await h.app.get<EventStore>(EVENT_STORE).readStream(`finding-${findingId}`)).events.find((e) => e.type === 'FindingDispatched')?.data;
  const recordAndDispatch = async (description: string) => {
    const recorded = await post('insp-1', '/findings', findingBody({ campaignId: CAMPAIGN, description }));
    expect(recorded.status).toBe(201);
    const id = recorded.body.findingId as string;
    const dispatched = await post('sup-1', `/findings/${id}/dispatch`, { unitId: 'town-01', deadlineWorkdays: 1 });
    expect(dispatched.status).toBe(200);
    return id;
  };
  let before: string;
  let beforeDeadlineAt: string;

  beforeAll(async () => {
    h = await startApi('2030-12-02T02:00:00.000Z');
    const created = await post('admin-1', '/campaigns', {
      campaignId: CAMPAIGN,
      name: '日历测试专项行动',
      noticePrefix: '历督',
      phases: [{ code: 'rectification', name: '集中整改阶段', startDate: '2030-12-01', endDate: '2031-12-31' }],
    });
    expect(created.status).toBe(201);
    // The calendar previews read the campaign's own days from its ledger.
    await h.catchUp();
    // Friday 2031-02-28, 10:00 in Shanghai.
    h.clock.set('2031-02-28T02:00:00.000Z');
  });
  afterAll(async () => h.close());

  it('before any publication: 2031 has no official data, and one workday after Friday 02-28 is Monday 03-03 (calendar v0)', async () => {
    const years = await get('jw-1', '/calendar/official-years');
    expect(years.status).toBe(200);
    expect(years.body.calendarVersion).toBe(0);
    expect(years.body.years).toContainEqual({ year: 2026, source: 'shipped' });
    expect(years.body.years.map((y: { year: number }) => y.year)).not.toContain(2031);
    const due = await get('sup-1', `/calendar/due-date?workdays=1&from=2031-02-28&campaignId=${CAMPAIGN}`);
    expect(due.body).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });

    before = await recordAndDispatch('日历发布前交办的问题');
    expect(await dispatchedEvent(before)).toMatchObject({ dueDate: '2031-03-03', deadlineAt: '2031-03-03T16:00:00.000Z', calendarVersion: 0 });
    beforeDeadlineAt = (await deadlineTimer(before))!.dueAt;
    expect(beforeDeadlineAt).toBe('2031-03-03T16:00:00.000Z');
  });

  it('an administrator publishes 2031; a replay of the same request returns the same, and due dates for 2031 change', async () => {
    const idem = key();
    const published = await post('admin-1', '/calendar/official-years', notice(), idem);
    expect(published.status).toBe(201);
    expect(published.body).toEqual({ year: 2031, yearVersion: 1, calendarVersion: 1 });
    const events = await h.eventCount();
    expect((await post('admin-1', '/calendar/official-years', notice(), idem)).body).toEqual(published.body);
    expect(await h.eventCount()).toBe(events);

    const years = await get('off-town-01-a', '/calendar/official-years');
    expect(years.body.calendarVersion).toBe(1);
    expect(years.body.years).toContainEqual(
      expect.objectContaining({
        year: 2031,
        source: 'published',
        title: '国务院办公厅关于2031年部分节假日安排的通知（测试虚构）',
        documentNo: '国办发明电〔2030〕99号',
        yearVersion: 1,
        calendarVersion: 1,
        publishedBy: { userId: 'admin-1', name: expect.any(String) },
        replacesShipped: false,
      }),
    );
    const detail = await get('jw-1', '/calendar/official-years/2031');
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      year: 2031,
      source: 'published',
      yearVersion: 1,
      holidays: notice().holidays,
      makeupWorkdays: [{ date: '2031-03-08', name: '虚构节' }],
    });
    expect((await get('jw-1', '/calendar/official-years/2026')).body).toMatchObject({
      year: 2026,
      source: 'shipped',
      holidays: expect.arrayContaining([{ date: '2026-10-01', name: '国庆节' }]),
      makeupWorkdays: expect.arrayContaining([{ date: '2026-10-10', name: '国庆节' }]),
    });
    expect((await get('jw-1', '/calendar/official-years/2035')).status).toBe(404);
    expect((await get('jw-1', '/calendar/official-years/20x1')).body).toMatchObject({ statusCode: 400, field: 'year' });
    // Thursday 03-06 now; four workdays count the make-up Saturday 03-08.
    expect((await get('sup-1', `/calendar/due-date?workdays=1&from=2031-02-28&campaignId=${CAMPAIGN}`)).body).toMatchObject({
      dueDate: '2031-03-06',
      calendarVersion: 1,
    });
    expect((await get('sup-1', '/calendar/due-date?workdays=4&from=2031-02-28')).body).toMatchObject({ dueDate: '2031-03-10' });
    expect((await get('sup-1', '/calendar/days/2031-03-08')).body).toMatchObject({
      workday: true,
      kind: 'makeup_workday',
      holidayName: '虚构节',
      officialDataAvailable: true,
      calendarVersion: 1,
    });
  });

  it('a deadline signed before the publication is unchanged: the event, the ledger, the export and the workflow’s timer', async () => {
    expect(await dispatchedEvent(before)).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });
    expect((await deadlineTimer(before))!.dueAt).toBe(beforeDeadlineAt);

    const after = await recordAndDispatch('日历发布后交办的问题');
    expect(await dispatchedEvent(after)).toMatchObject({ dueDate: '2031-03-06', calendarVersion: 1 });
    expect((await deadlineTimer(after))!.dueAt).toBe('2031-03-06T16:00:00.000Z');

    await h.catchUp();
    expect((await get('sup-1', `/findings/${before}`)).body).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });
    expect((await get('sup-1', `/findings/${after}`)).body).toMatchObject({ dueDate: '2031-03-06', calendarVersion: 1 });

    for (const [path, sheet] of [
      ['/exports/finding-ledger.xlsx', '问题台账'],
      ['/exports/rectification-ledger.xlsx', '整改台账'],
    ]) {
      const res = await h.http().get(`${path}?campaignId=${CAMPAIGN}`).set(as('sup-1')).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      const rows = open(res.body as Buffer).sheets[sheet].data;
      const version = (id: string) => rows.find((r) => r['问题编号'] === id)?.['期限所用日历版本'];
      expect([path, version(before), version(after)]).toEqual([path, 0, 1]);
    }
  });

  it('a second notice for the year is a correction: refused without a reason, a new version with one; old deadlines stay', async () => {
    const events = await h.eventCount();
    const noReason = await post('admin-1', '/calendar/official-years', notice({ documentNo: '国办发明电〔2030〕100号' }));
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ code: 'CORRECTION_REASON_REQUIRED', field: 'reason' });
    expect(await h.eventCount()).toBe(events);

    const corrected = await post(
      'admin-1',
      '/calendar/official-years',
      notice({ documentNo: '国办发明电〔2030〕100号', reason: '虚构节调休日更正', makeupWorkdays: [{ date: '2031-03-09', name: '虚构节' }] }),
    );
    expect(corrected.status).toBe(201);
    expect(corrected.body).toEqual({ year: 2031, yearVersion: 2, calendarVersion: 2 });
    const years = await get('sup-1', '/calendar/official-years');
    expect(years.body.years).toContainEqual(expect.objectContaining({ year: 2031, yearVersion: 2, calendarVersion: 2, documentNo: '国办发明电〔2030〕100号' }));
    expect((await get('sup-1', '/calendar/days/2031-03-08')).body).toMatchObject({ kind: 'weekend', calendarVersion: 2 });
    expect(await dispatchedEvent(before)).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });
    expect((await deadlineTimer(before))!.dueAt).toBe(beforeDeadlineAt);

    // Both publications are on the administrator's audit trail, the correction with its reason.
    await h.catchUp();
    const trail = await get('jw-1', '/signers/admin-1/audit-trail');
    expect(trail.status).toBe(200);
    expect(JSON.stringify(trail.body)).toContain('发布 2031 年节假日安排 国办发明电〔2030〕99号（该年第 1 版，日历版本 1）');
    expect(JSON.stringify(trail.body)).toContain('更正 2031 年节假日安排 国办发明电〔2030〕100号（该年第 2 版，日历版本 2）');
    expect(JSON.stringify(trail.body)).toContain('虚构节调休日更正');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a year out of range', { year: 1999 }, 'year'],
    ['a year that is not a number', { year: '2032' }, 'year'],
    ['no title', { title: '' }, 'title'],
    ['no document number', { documentNo: undefined }, 'documentNo'],
    ['holidays not a list', { holidays: '2032-01-01' }, 'holidays'],
    ['no holidays', { holidays: [] }, 'holidays'],
    ['a date that is not a date', { holidays: [{ date: '01/01/2032', name: '元旦' }] }, 'holidays.0.date'],
    ['a date that does not exist', { holidays: [{ date: '2032-02-30', name: '虚构节' }] }, 'holidays[0].date'],
    ['a holiday outside the year', { holidays: [{ date: '2031-12-31', name: '元旦' }] }, 'holidays[0].date'],
    ['a make-up day outside the year', { makeupWorkdays: [{ date: '2033-01-02', name: '元旦' }] }, 'makeupWorkdays[0].date'],
    ['a make-up day on a weekday', { makeupWorkdays: [{ date: '2032-03-05', name: '虚构节' }] }, 'makeupWorkdays[0].date'],
    ['a day both off and worked', { makeupWorkdays: [{ date: '2032-03-06', name: '虚构节' }], holidays: [{ date: '2032-03-06', name: '虚构节' }] }, 'makeupWorkdays[0].date'],
    ['a holiday listed twice', { holidays: [{ date: '2032-01-01', name: '元旦' }, { date: '2032-01-01', name: '元旦' }] }, 'holidays[1].date'],
    ['an unknown field', { extra: 1 }, 'extra'],
  ])('a notice with %s is 400 naming %s; nothing is appended', async (_what, over, field) => {
    const events = await h.eventCount();
    // A valid notice for 2032 (an invented New Year's Day, no make-up day) but for the one thing wrong.
    const res = await post('admin-1', '/calendar/official-years', notice({ year: 2032, holidays: [{ date: '2032-01-01', name: '元旦' }], makeupWorkdays: [], ...over }));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.message).toMatch(/\([A-Z_]+\)$/);
    expect(await h.eventCount()).toBe(events);
  });

  it('only an administrator publishes: a supervisor is 403, an anonymous caller 401, nothing appended', async () => {
    const events = await h.eventCount();
    const res = await post('sup-1', '/calendar/official-years', notice({ year: 2032 }));
    expect(res.status).toBe(403);
    expect(res.body.rule).toBe('ROLE_REQUIRED');
    const anonymous = await h.http().post('/calendar/official-years').set('Idempotency-Key', key()).send(notice({ year: 2032 }));
    expect(anonymous.status).toBe(401);
    expect(await h.eventCount()).toBe(events);
  });
});
