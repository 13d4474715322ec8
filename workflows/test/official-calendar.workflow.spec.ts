import { v4 as uuidv4 } from 'uuid';
import { addDays, type LocalDate, shanghaiDateOf } from '@duban/domain';
import { actors, FindingTimeline, ofType, sh } from './finding-timeline';
import { publicationScenario, publicationScenarioProblems } from './scenarios';

const { inspector, supervisor, officialA, admin } = actors;

/**
 * A new year's notice published while finding workflows are running, on a real time-skipping Temporal server and a
 * real PostgreSQL. The workflow reads the calendar only through its activities (planFindingTimers, fireFindingTimer),
 * which fold the official calendar stream afresh, so the notice reaches it with no restart and no workflow code
 * reading a database.
 *
 * What the spec pins down: a deadline signed before the publication keeps its recorded instant — it is the date on
 * the notice the unit signed for, and only another signed step may move it — while what is planned afresh (the days a
 * progress report is owed, the next rung of the ladder) follows the notice. A deadline signed after it uses it.
 *
 * The dates come from today (./scenarios.ts): a Monday ahead whose Tuesday … Thursday the official data makes workdays;
 * the invented notice makes them holidays.
 */
const s = publicationScenario(shanghaiDateOf(new Date().toISOString()));
const mon = s.monday;
const day = (n: number): LocalDate => addDays(mon, n);
const at = (d: LocalDate, time: string) => sh(`${d} ${time}`);

describe('finding workflow when an official notice is published (time-skipping Temporal)', () => {
  let t: FindingTimeline;

  const recordDispatchClaim = async (id: string, time: [string, string, string]) => {
    await t.advanceTo(at(mon, time[0]));
    await t.act(
      id,
      'RecordFinding',
      { findingId: id, campaignId: 'c-timers', source: 'household_inspection', categoryCode: '2.3', severity: 'red', townUnitId: 'town-a', description: '危房未改造', evidence: [] },
      inspector,
      at(mon, time[0]),
    );
    await t.advanceTo(at(mon, time[1]));
    await t.act(id, 'DispatchFinding', { unitId: 'town-a', deadlineWorkdays: 2 }, supervisor, at(mon, time[1]));
    await t.advanceTo(at(mon, time[2]));
    await t.act(id, 'ClaimFinding', {}, officialA, at(mon, time[2]));
  };

  beforeAll(async () => {
    t = await FindingTimeline.start();
    await t.createCampaign({ phases: [{ code: 'rectification', name: '集中整改', ...s.phase }], calendarOverrides: s.calendarOverrides });
  }, 120_000);
  afterAll(async () => t?.teardown());

  it('the weeks from today hold what the scenario needs', () => {
    expect(publicationScenarioProblems(s)).toEqual([]);
    expect(s.noticeDays).toEqual([day(1), day(2), day(3)]);
  });

  it('a deadline signed before the notice keeps its instant; reports and rungs planned afterwards follow the notice', async () => {
    // Two workdays after Monday: Wednesday, on the calendar before the notice (version 0).
    await recordDispatchClaim('before', ['09:00', '10:00', '11:00']);
    const planned = await t.settled('before');
    expect(planned.plan?.timers.map((x) => [x.kind, x.dueAt])).toEqual([
      ['daily_report', at(day(1), '17:30')],
      ['deadline', at(day(3), '00:00')],
    ]);

    await t.advanceTo(at(mon, '12:00'));
    const published = await t.write.calendars.handle(
      {
        type: 'PublishOfficialCalendar',
        data: {
          year: Number(day(1).slice(0, 4)),
          title: '关于部分节假日安排的通知（测试虚构）',
          documentNo: '测发明电〔0000〕1号',
          holidays: s.noticeDays.map((date) => ({ date, name: '虚构节' })),
          makeupWorkdays: [],
        },
      },
      admin,
      { idempotencyKey: uuidv4(), correlationId: 'test', at: at(mon, '12:00') },
    );
    expect(published).toMatchObject({ yearVersion: 1, calendarVersion: 1 });

    // Signed after the notice: Tuesday … Thursday are holidays, so two workdays are Friday and the next Monday.
    await recordDispatchClaim('after', ['13:00', '13:30', '14:00']);

    await t.advanceTo(at(day(3), '01:00'));
    const before = await t.until('before', (es) => ofType(es, 'FindingEscalated').length === 1);
    await t.settled('before');
    expect(ofType(before, 'FindingDispatched').map((d) => [d.dueDate, d.calendarVersion])).toEqual([[day(2), 0]]);
    // The recorded deadline held: overdue at 24:00 on Wednesday, although Wednesday is now a holiday.
    expect(ofType(before, 'FindingOverdue').map((d) => [d.dueDate, d.at])).toEqual([[day(2), at(day(3), '00:00')]]);
    // The report timer planned for Tuesday fired into the new calendar and established nothing: no report is owed on
    // a holiday. The interview rung is three workdays of the new calendar after Wednesday: Friday, Monday, Tuesday.
    expect(ofType(before, 'DailyReportMissed')).toEqual([]);
    expect(ofType(before, 'FindingEscalated').map((d) => [d.level, d.nextDueDate, d.calendarVersion])).toEqual([['notice', day(8), 1]]);
    expect(ofType(await t.events('after'), 'FindingDispatched').map((d) => [d.dueDate, d.calendarVersion])).toEqual([[day(7), 1]]);
    expect(ofType(await t.events('after'), 'FindingOverdue')).toEqual([]);

    await t.advanceTo(at(day(8), '01:00'));
    const after = await t.until('after', (es) => ofType(es, 'FindingOverdue').length === 1);
    expect(ofType(after, 'FindingOverdue').map((d) => [d.dueDate, d.at])).toEqual([[day(7), at(day(8), '00:00')]]);
    const later = await t.until('before', (es) => ofType(es, 'DailyReportMissed').length === 2);
    expect(ofType(later, 'DailyReportMissed').map((d) => d.workday)).toEqual([day(4), day(7)]);
    expect(ofType(later, 'FindingOverdue')).toHaveLength(1);
  });
});
