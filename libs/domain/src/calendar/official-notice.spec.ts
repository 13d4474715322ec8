import { deciderSpec } from '../testing/decider-spec';
import { actors, sh, testCampaign, utc } from '../testing/fixtures';
import { deadlineFor } from '../campaigns/deadline';
import { findingDecider, planTimers } from '../findings';
import type { FindingEvent } from '../findings';
import { officialCalendarData, officialYears, withPublishedNotices } from './official-data';
import {
  type NoticeDay,
  type OfficialCalendarCommand,
  type OfficialCalendarEvent,
  officialCalendarDecider,
  type OfficialCalendarState,
  type PublishOfficialCalendar,
} from './official-notice';
import { WorkdayCalendar } from './workday-calendar';

// An INVENTED notice for 2031 (no real dates are guessed): 虚构节 Monday 03-03 to Wednesday 03-05, paid back on
// Saturday 03-08, and New Year's Day on Wednesday 01-01.
const HOLIDAYS_2031: NoticeDay[] = [
  { date: '2031-01-01', name: '元旦' },
  { date: '2031-03-03', name: '虚构节' },
  { date: '2031-03-04', name: '虚构节' },
  { date: '2031-03-05', name: '虚构节' },
];
const MAKEUP_2031: NoticeDay[] = [{ date: '2031-03-08', name: '虚构节' }];

const spec = deciderSpec(
  {
    decide: (c: OfficialCalendarCommand, s: OfficialCalendarState, _ctx: undefined) => officialCalendarDecider.decide(c, s),
    evolve: officialCalendarDecider.evolve,
    initialState: officialCalendarDecider.initialState,
  },
  undefined,
);
const { admin, supervisor, discipline } = actors;

const publish = (over: Partial<PublishOfficialCalendar['data']> = {}, actor = admin, local = '2030-11-20 10:00'): PublishOfficialCalendar => ({
  type: 'PublishOfficialCalendar',
  data: {
    year: 2031,
    title: ' 国务院办公厅关于2031年部分节假日安排的通知 ',
    documentNo: '国办发明电〔2030〕99号',
    holidays: HOLIDAYS_2031,
    makeupWorkdays: MAKEUP_2031,
    ...over,
  },
  metadata: { now: sh(local), actor },
});

const published2031: OfficialCalendarEvent = {
  type: 'OfficialCalendarPublished',
  data: {
    year: 2031,
    yearVersion: 1,
    calendarVersion: 1,
    title: '国务院办公厅关于2031年部分节假日安排的通知',
    documentNo: '国办发明电〔2030〕99号',
    holidays: HOLIDAYS_2031,
    makeupWorkdays: MAKEUP_2031,
    reason: null,
    signedBy: admin,
    at: utc('2030-11-20 10:00'),
  },
};

const fold = (events: OfficialCalendarEvent[]) => events.reduce(officialCalendarDecider.evolve, officialCalendarDecider.initialState());

describe('publishing a year’s official holiday notice (发布年度节假日安排)', () => {
  it('given nothing published, when an administrator publishes 2031, then the notice is calendar version 1, the year’s first', () => {
    spec.given([]).when(publish()).then([published2031]);
  });

  it('given 2031 published, when it is published again without a reason, then it is refused naming reason', () => {
    spec.given([published2031]).when(publish()).thenThrows({ kind: 'invalid_input', code: 'CORRECTION_REASON_REQUIRED', field: 'reason' });
  });

  it('given 2031 published, when a correction comes with a reason, then it is the year’s version 2 and calendar version 2', () => {
    const [correction] = spec
      .given([published2031])
      .when(publish({ documentNo: '国办发明电〔2030〕100号', reason: '更正虚构节调休日期', makeupWorkdays: [{ date: '2031-03-09', name: '虚构节' }] }))
      .thenEvents();
    expect(correction.data).toMatchObject({ year: 2031, yearVersion: 2, calendarVersion: 2, reason: '更正虚构节调休日期' });
    const state = fold([published2031, correction]);
    expect(state.version).toBe(2);
    expect(state.years.get(2031)).toMatchObject({ yearVersion: 2, documentNo: '国办发明电〔2030〕100号' });
  });

  it('given 2031 published, when 2032 is published, then it is that year’s first notice and calendar version 2', () => {
    const [e] = spec
      .given([published2031])
      .when(publish({ year: 2032, holidays: [{ date: '2032-01-01', name: '元旦' }], makeupWorkdays: [] }))
      .thenEvents();
    expect(e.data).toMatchObject({ year: 2032, yearVersion: 1, calendarVersion: 2 });
  });

  it('only an administrator publishes', () => {
    spec.given([]).when(publish({}, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    spec.given([]).when(publish({}, discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
  });

  it.each<[string, Partial<PublishOfficialCalendar['data']>, string, string]>([
    ['a year out of range', { year: 1999 }, 'INVALID_YEAR', 'year'],
    ['a fractional year', { year: 2031.5 }, 'INVALID_YEAR', 'year'],
    ['no title', { title: '  ' }, 'TEXT_REQUIRED', 'title'],
    ['no document number', { documentNo: '' }, 'TEXT_REQUIRED', 'documentNo'],
    ['no holidays', { holidays: [] }, 'LIST_TOO_SHORT', 'holidays'],
    ['a date that does not exist', { holidays: [{ date: '2031-02-30', name: '虚构节' }] }, 'INVALID_DATE', 'holidays[0].date'],
    ['a holiday in another year', { holidays: [HOLIDAYS_2031[0], { date: '2030-12-31', name: '元旦' }] }, 'DATE_OUTSIDE_YEAR', 'holidays[1].date'],
    ['a make-up day in another year', { makeupWorkdays: [{ date: '2032-01-03', name: '元旦' }] }, 'DATE_OUTSIDE_YEAR', 'makeupWorkdays[0].date'],
    ['a make-up day on a weekday', { makeupWorkdays: [{ date: '2031-03-07', name: '虚构节' }] }, 'MAKEUP_DAY_NOT_WEEKEND', 'makeupWorkdays[0].date'],
    ['a day both off and worked', { makeupWorkdays: [MAKEUP_2031[0], { date: '2031-03-02', name: '虚构节' }], holidays: [...HOLIDAYS_2031, { date: '2031-03-02', name: '虚构节' }] }, 'DAY_BOTH_HOLIDAY_AND_WORKDAY', 'makeupWorkdays[1].date'],
    ['a holiday listed twice', { holidays: [...HOLIDAYS_2031, HOLIDAYS_2031[2]] }, 'DUPLICATE_DATE', 'holidays[4].date'],
    ['a make-up day listed twice', { makeupWorkdays: [MAKEUP_2031[0], MAKEUP_2031[0]] }, 'DUPLICATE_DATE', 'makeupWorkdays[1].date'],
    ['a day without a name', { holidays: [{ date: '2031-01-01', name: '' }] }, 'TEXT_REQUIRED', 'holidays[0].name'],
  ])('refuses %s, naming the field', (_what, over, code, field) => {
    spec.given([]).when(publish(over)).thenThrows({ kind: 'invalid_input', code, field });
  });
});

describe('the calendar deadlines are computed with: shipped data + published notices', () => {
  const shipped = officialCalendarData();
  const v1 = withPublishedNotices(shipped, fold([published2031]));

  it('a published year counts its holidays and make-up days; before it, 2031 had weekends only', () => {
    const before = new WorkdayCalendar({}, shipped);
    const after = new WorkdayCalendar({}, v1);
    expect(before.version).toBe(0);
    expect(after.version).toBe(1);
    expect(before.officialDataAvailableFor(2031)).toBe(false);
    expect(after.officialDataAvailableFor(2031)).toBe(true);
    // Friday 2031-02-28: one workday later is Monday without the notice, Thursday with it.
    expect(before.addWorkdaysToDate('2031-02-28', 1)).toBe('2031-03-03');
    expect(after.addWorkdaysToDate('2031-02-28', 1)).toBe('2031-03-06');
    // The make-up Saturday counts: 06, 07, Saturday 08, Monday 10.
    expect(after.addWorkdaysToDate('2031-02-28', 4)).toBe('2031-03-10');
    expect(after.dayInfo('2031-03-08')).toMatchObject({ workday: true, kind: 'makeup_workday', holidayName: '虚构节' });
  });

  it('keeps the shipped years untouched, and a published year replaces the shipped data of that year whole', () => {
    expect(new WorkdayCalendar({}, v1).dayInfo('2026-10-01')).toMatchObject({ kind: 'holiday', holidayName: '国庆节' });
    const corrected2026 = withPublishedNotices(
      shipped,
      fold([{ ...published2031, data: { ...published2031.data, year: 2026, holidays: [{ date: '2026-01-01', name: '元旦' }], makeupWorkdays: [] } }]),
    );
    const cal = new WorkdayCalendar({}, corrected2026);
    expect(cal.dayInfo('2026-10-01')).toMatchObject({ kind: 'workday' });
    expect(cal.dayInfo('2026-09-20')).toMatchObject({ kind: 'weekend' });
    expect(officialYears(shipped, fold([published2031])).slice(-2)).toEqual([
      { year: 2026, source: 'shipped' },
      expect.objectContaining({ year: 2031, source: 'published', yearVersion: 1, calendarVersion: 1, documentNo: '国办发明电〔2030〕99号', replacesShipped: false }),
    ]);
  });

  it('a campaign’s own days still win over a published notice', () => {
    const cal = new WorkdayCalendar({ workDays: ['2031-03-04'] }, v1);
    expect(cal.dayInfo('2031-03-04')).toMatchObject({ workday: true, kind: 'campaign_workday' });
  });

  it('a deadline records the calendar version that computed it', () => {
    const phases = [{ code: 'rectification' as const, name: '整改', startDate: '2031-01-01', endDate: '2031-12-31' }];
    expect(deadlineFor({ phases }, new WorkdayCalendar({}, v1), sh('2031-02-28 10:00'), 1)).toEqual({
      dueDate: '2031-03-06',
      deadlineAt: '2031-03-06T16:00:00.000Z',
      cappedByPhaseEnd: false,
      calendarVersion: 1,
    });
  });
});

describe('a deadline signed before a publication never moves', () => {
  const campaign = { ...testCampaign, phases: [{ code: 'rectification' as const, name: '整改', startDate: '2031-01-01', endDate: '2031-12-31' }] };
  const shippedCtx = { campaign, calendar: new WorkdayCalendar({}, officialCalendarData()) };
  const publishedCtx = { campaign, calendar: new WorkdayCalendar({}, withPublishedNotices(officialCalendarData(), fold([published2031]))) };
  const run = (events: FindingEvent[], command: Parameters<typeof findingDecider.decide>[0], ctx: typeof shippedCtx) =>
    findingDecider.decide(command, events.reduce(findingDecider.evolve, findingDecider.initialState()), ctx);

  const recorded = run(
    [],
    {
      type: 'RecordFinding',
      data: { findingId: 'f1', campaignId: 'c1', source: 'household_inspection', categoryCode: '2.3', severity: 'red', townUnitId: 'town-a', description: '危房未改造', evidence: [] },
      metadata: { now: sh('2031-02-27 09:00'), actor: actors.inspector },
    },
    shippedCtx,
  );
  const dispatch = (ctx: typeof shippedCtx) =>
    run(recorded, { type: 'DispatchFinding', data: { unitId: 'town-a', noticeNo: '郸巩督〔2031〕1号', deadlineWorkdays: 1 }, metadata: { now: sh('2031-02-28 10:00'), actor: supervisor } }, ctx);

  it('given a finding dispatched with the shipped calendar, its due date and calendar version stay on the event and in the state', () => {
    const before = dispatch(shippedCtx);
    expect(before[0].data).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });
    const after = dispatch(publishedCtx);
    expect(after[0].data).toMatchObject({ dueDate: '2031-03-06', calendarVersion: 1 });

    // Planned under the published calendar, the old dispatch's deadline timer still falls on the recorded date.
    const state = [...recorded, ...before].reduce(findingDecider.evolve, findingDecider.initialState());
    expect(state).toMatchObject({ dueDate: '2031-03-03', calendarVersion: 0 });
    const deadline = planTimers(state, publishedCtx).find((t) => t.kind === 'deadline');
    expect(deadline?.dueAt).toBe('2031-03-03T16:00:00.000Z');
  });

  it('an event recorded before calendars were versioned replays with no version', () => {
    const [legacy] = dispatch(shippedCtx);
    const { calendarVersion: _dropped, ...data } = legacy.data as { calendarVersion?: number };
    const state = [...recorded, { ...legacy, data } as FindingEvent].reduce(findingDecider.evolve, findingDecider.initialState());
    expect(state).toMatchObject({ dueDate: '2031-03-03', calendarVersion: null });
  });
});
