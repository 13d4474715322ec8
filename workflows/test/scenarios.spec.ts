import {
  addDays,
  buildOfficialData,
  type ChineseDaysData,
  dayOfWeek,
  isoWeekOf,
  type LocalDate,
  monthRange,
  officialCalendarData,
  shanghaiDateOf,
  WorkdayCalendar,
} from '@duban/domain';
import {
  cadenceScenario,
  cadenceScenarioProblems,
  FINDING_SCENARIO_WEEKS,
  findingScenario,
  findingScenarioProblems,
  publicationScenario,
  publicationScenarioProblems,
} from './scenarios';

/**
 * The workflow specs' scenarios are built from today's date, so they must hold for every today to come, not only
 * this one. Each is built here for the first day of each of the next 36 months and for a few awkward days, against
 * the shipped holiday data and against a made-up notice dense with holidays (the data a future `chinese-days` could
 * bring), and must satisfy everything its spec assumes.
 */
const today = shanghaiDateOf(new Date().toISOString());

const monthStarts = (from: LocalDate, n: number): LocalDate[] => {
  const starts: LocalDate[] = [];
  let d = `${from.slice(0, 7)}-01`;
  for (let i = 0; i < n; i++) {
    d = addDays(monthRange(d.slice(0, 7)).end, 1);
    starts.push(d);
  }
  return starts;
};

const AWKWARD: Array<[LocalDate, string]> = [
  ['2028-02-29', 'a 29 February'],
  ['2026-12-31', 'a year end'],
  ['2027-12-31', 'a year end with no notice in the data'],
  ['2026-10-05', 'a Monday holiday (National Day)'],
  ['2027-08-01', 'a 1st that is a Sunday'],
  ['2026-11-30', 'the day this check was written (a Monday)'],
];

/**
 * A made-up notice for the years the data lacks: the first three days of every month and every Tuesday after a first
 * Monday off, every second Saturday a make-up workday — the worst a real notice could do to these scenarios.
 */
const denseNotice = (() => {
  const raw: ChineseDaysData = { holidays: {}, workdays: {}, inLieuDays: {} };
  for (const start of monthStarts('2026-12-01', 48)) {
    for (const i of [0, 1, 2]) raw.holidays[addDays(start, i)] = 'Made-up Day,假想节,3';
    const firstMonday = addDays(start, (8 - dayOfWeek(start)) % 7);
    raw.holidays[addDays(firstMonday, 1)] = 'Made-up Day,假想节,3';
    const secondSaturday = addDays(start, ((6 - dayOfWeek(start) + 7) % 7) + 7);
    raw.workdays[secondSaturday] = 'Made-up Day,假想节,3';
  }
  const shipped = officialCalendarData();
  return {
    holidays: new Map([...shipped.holidays, ...buildOfficialData(raw).holidays]),
    makeupWorkdays: new Map([...shipped.makeupWorkdays, ...buildOfficialData(raw).makeupWorkdays]),
    years: new Set([...shipped.years, ...buildOfficialData(raw).years]),
    version: shipped.version,
  };
})();

const todays: Array<[LocalDate, string]> = [
  ...monthStarts(today, 36).map((d): [LocalDate, string] => [d, 'a month start']),
  ...AWKWARD,
];

describe('workflow scenarios hold for any today', () => {
  it('the awkward days are what they claim to be', () => {
    expect(dayOfWeek('2026-10-05')).toBe(1);
    expect(new WorkdayCalendar().dayInfo('2026-10-05').kind).toBe('holiday');
    expect(dayOfWeek('2027-08-01')).toBe(0);
    expect(todays.filter(([, why]) => why === 'a month start')).toHaveLength(36);
  });

  describe.each([
    ['the shipped holiday data', officialCalendarData()],
    ['a dense made-up notice', denseNotice],
  ])('against %s', (_, official) => {
    it.each(todays)('the cadence scenario for %s (%s)', (day) => {
      const s = cadenceScenario(day, official);
      expect(cadenceScenarioProblems(s, official)).toEqual([]);
      // The month is in the future of that day, and the weekly dispatch of the holiday week moves to Tuesday.
      expect(s.first > day).toBe(true);
      expect(new WorkdayCalendar(s.calendarOverrides, official).isWorkday(addDays(s.firstMonday, 1))).toBe(true);
    });

    it.each(todays)('the finding timer scenario for %s (%s)', (day) => {
      const s = findingScenario(day, official);
      expect(findingScenarioProblems(s, official)).toEqual([]);
      expect(s.anchor > addDays(day, 2)).toBe(true);
      expect(isoWeekOf(s.week(FINDING_SCENARIO_WEEKS - 1).mon).monday).toBe(addDays(s.anchor, 7 * (FINDING_SCENARIO_WEEKS - 1)));
    });

    it.each(todays)('the publication scenario for %s (%s)', (day) => {
      const s = publicationScenario(day, official);
      expect(publicationScenarioProblems(s, official)).toEqual([]);
      // Tuesday … Thursday are the official data's to decide, and it makes them workdays until the notice.
      const calendar = new WorkdayCalendar(s.calendarOverrides, official);
      expect(s.noticeDays.map((d) => [dayOfWeek(d), calendar.dayInfo(d).kind.startsWith('campaign')])).toEqual([
        [2, false],
        [3, false],
        [4, false],
      ]);
    });
  });

  it('the checks catch a scenario whose calendar is not its design', () => {
    // Built against the shipped data but run on the dense notice: the made-up holidays are not worked through.
    const day = '2027-02-15';
    const cadence = cadenceScenario(day);
    expect(cadenceScenarioProblems(cadence, denseNotice)).toEqual(
      expect.arrayContaining([`${addDays(cadence.firstMonday, 1)} should be a workday`]),
    );
    const finding = findingScenario(day);
    expect(findingScenarioProblems(finding, denseNotice).length).toBeGreaterThan(0);
    expect(findingScenarioProblems({ ...finding, anchor: addDays(finding.anchor, 1) })).toEqual(
      expect.arrayContaining([`the anchor ${addDays(finding.anchor, 1)} is not a Monday`]),
    );
  });
});
