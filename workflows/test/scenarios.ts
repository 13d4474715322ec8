import {
  addDays,
  type CalendarOverrides,
  compareLocalDates,
  dayOfWeek,
  isoWeekOf,
  isWeekend,
  type LocalDate,
  monthOf,
  monthRange,
  officialCalendarData,
  type OfficialCalendarData,
  previousMonth,
  shanghaiInstant,
  WorkdayCalendar,
} from '@duban/domain';

/**
 * The dates the time-skipping workflow specs act on, as pure functions of "today".
 *
 * Temporal's test server starts its clock at the real now and only moves it forward, so a workflow scenario has to
 * start in the future, and a fixed date stops working the day the calendar passes it. Each builder here takes today
 * (and the official holiday data, so a new State Council notice cannot break it) and designs the calendar its scenario
 * needs: the campaign's own rest days and workdays (DESIGN: they win over the official notice) make exactly the
 * designed days rest and every other day of the window work. Each scenario also lists what it assumes, so
 * scenarios.spec.ts can build it for years of future "todays" and catch a month it cannot express on the day it is
 * written.
 */

const daysFrom = (start: LocalDate, end: LocalDate): LocalDate[] => {
  const days: LocalDate[] = [];
  for (let d = start; compareLocalDates(d, end) <= 0; d = addDays(d, 1)) days.push(d);
  return days;
};

const nextMonth = (month: string): string => addDays(monthRange(month).end, 1).slice(0, 7);

/** The first date on or after `from` that is the given weekday (0 = Sunday … 6 = Saturday). */
const onOrAfter = (from: LocalDate, weekday: number): LocalDate => addDays(from, (weekday - dayOfWeek(from) + 7) % 7);

/**
 * The campaign overrides that make, over [start, end], exactly the days `rest` names rest days and every other day a
 * workday, whatever the official data says about those days.
 */
export const designCalendar = (
  start: LocalDate,
  end: LocalDate,
  rest: (d: LocalDate) => boolean,
  official: OfficialCalendarData,
): Required<CalendarOverrides> => {
  const plain = new WorkdayCalendar({}, official);
  const restDays: LocalDate[] = [];
  const workDays: LocalDate[] = [];
  for (const d of daysFrom(start, end)) {
    const works = plain.isWorkday(d);
    if (rest(d) && works) restDays.push(d);
    if (!rest(d) && !works) workDays.push(d);
  }
  return { restDays, workDays };
};

/** Where the effective calendar (official data + the overrides) differs from the design, one line per day. */
const calendarDrift = (
  days: LocalDate[],
  rest: (d: LocalDate) => boolean,
  overrides: CalendarOverrides,
  official: OfficialCalendarData,
): string[] => {
  const calendar = new WorkdayCalendar(overrides, official);
  return days.filter((d) => calendar.isWorkday(d) === rest(d)).map((d) => `${d} should be a ${rest(d) ? 'rest day' : 'workday'}`);
};

// ---------- the cadence scenario (workflows/test/cadence.workflow.spec.ts) ----------

export interface CadenceScenario {
  today: LocalDate;
  /** The month the scenario runs through, 'YYYY-MM'. */
  month: string;
  days: LocalDate[];
  first: LocalDate;
  firstMonday: LocalDate;
  /** The weekdays the campaign rests: the 1st (standing in for a holiday that moves the monthly review) and the first Monday. */
  restDays: LocalDate[];
  /** A make-up Saturday (调休) in the first Monday's week. */
  makeUpSaturday: LocalDate;
  calendarOverrides: Required<CalendarOverrides>;
  /** The campaign's one phase: the month before (so the 1st's monthly review has a month to review) and the month. */
  phase: { startDate: LocalDate; endDate: LocalDate };
  workdays: LocalDate[];
  /** The first workday: two findings are recorded, one dispatched, one team files its report. */
  seedDay: LocalDate;
  /** The second workday: a daily inspection is triggered by hand in the morning. */
  earlyDay: LocalDate;
  /** When the seed day's acts happen (Asia/Shanghai). */
  seedTimes: { record: string[]; dispatch: string; inspectionReport: string };
}

/** The first workday of the scenario in [from, until], or undefined. */
export const firstWorkdayFrom = (s: CadenceScenario, from: LocalDate, until: LocalDate): LocalDate | undefined =>
  s.workdays.find((w) => w >= from && w <= until);

/**
 * The first whole month that starts at least two days after today, with the campaign's own days: a weekday rest day on
 * the 1st and on the first Monday, a make-up Saturday that same week, every other weekday a workday and every other
 * weekend day a rest day.
 */
export const cadenceScenario = (today: LocalDate, official: OfficialCalendarData = officialCalendarData()): CadenceScenario => {
  let month = nextMonth(monthOf(today));
  while (compareLocalDates(`${month}-01`, addDays(today, 2)) < 0) month = nextMonth(month);
  const { start, end } = monthRange(month);
  const days = daysFrom(start, end);
  const first = start;
  const firstMonday = onOrAfter(first, 1);
  const restDays = [...new Set([first, firstMonday])].filter((d) => !isWeekend(d));
  const makeUpSaturday = addDays(firstMonday, 5);
  const rests = (d: LocalDate) => restDays.includes(d) || (isWeekend(d) && d !== makeUpSaturday);
  const phase = { startDate: monthRange(previousMonth(month)).start, endDate: end };
  // The whole phase is designed: the previous month's official holidays would otherwise shape its monthly review.
  const calendarOverrides = designCalendar(phase.startDate, phase.endDate, rests, official);
  const workdays = days.filter((d) => !rests(d));
  return {
    today,
    month,
    days,
    first,
    firstMonday,
    restDays,
    makeUpSaturday,
    calendarOverrides,
    phase,
    workdays,
    seedDay: workdays[0],
    earlyDay: workdays[1],
    seedTimes: { record: ['10:00', '10:30'], dispatch: '11:00', inspectionReport: '17:00' },
  };
};

/** What cadence.workflow.spec.ts assumes of its month; empty when the month can express the scenario. */
export const cadenceScenarioProblems = (s: CadenceScenario, official: OfficialCalendarData = officialCalendarData()): string[] => {
  const problems: string[] = [];
  const calendar = new WorkdayCalendar(s.calendarOverrides, official);
  const workdays = s.days.filter((d) => calendar.isWorkday(d));
  const rests = (d: LocalDate) => s.restDays.includes(d) || (isWeekend(d) && d !== s.makeUpSaturday);
  if (compareLocalDates(s.first, addDays(s.today, 2)) < 0) problems.push(`the month starts ${s.first}, less than two days after ${s.today}`);
  problems.push(...calendarDrift(s.days, rests, s.calendarOverrides, official));
  if (JSON.stringify(workdays) !== JSON.stringify(s.workdays)) problems.push('the workdays listed are not the calendar’s');
  if (dayOfWeek(s.firstMonday) !== 1 || monthOf(s.firstMonday) !== s.month) problems.push('no first Monday in the month');
  if (calendar.isWorkday(s.first)) problems.push('the 1st is a workday: the monthly review would not be deferred');
  if (calendar.isWorkday(s.firstMonday)) problems.push('the first Monday is a workday: no weekly dispatch would be deferred');
  if (!s.restDays.includes(s.firstMonday)) problems.push('the first Monday is not among the weekday rest days');
  if (dayOfWeek(s.makeUpSaturday) !== 6 || monthOf(s.makeUpSaturday) !== s.month || !calendar.isWorkday(s.makeUpSaturday)) {
    problems.push('no make-up Saturday in the month');
  }
  if (isoWeekOf(s.makeUpSaturday).key !== isoWeekOf(s.firstMonday).key) problems.push('the make-up Saturday is not in the first Monday’s week');
  if (!calendar.isWorkday(addDays(s.firstMonday, 1))) problems.push('the Tuesday after the first Monday rests: the deferred weekly dispatch would move further');
  const ordinaryWeekend = s.days.filter((d) => isWeekend(d) && d !== s.makeUpSaturday);
  if (ordinaryWeekend.length < 7 || ordinaryWeekend.some((d) => calendar.isWorkday(d))) problems.push('fewer than 7 ordinary weekend rest days');
  if (s.seedDay !== workdays[0] || s.earlyDay !== workdays[1]) problems.push('the seed day and the early day are not the first two workdays');
  // The bulletin test reads the dispatch lists of the two workdays after the seed day.
  if (workdays.filter((d) => d > s.seedDay).length < 2) problems.push('fewer than two workdays after the seed day');
  // "Every weekly dispatch run after the dispatch lists it": at least one must run after it, or the check is vacuous.
  const dispatchedAt = Date.parse(shanghaiInstant(s.seedDay, s.seedTimes.dispatch));
  const weeklyRuns = s.days
    .filter((d) => dayOfWeek(d) === 1)
    .map((m) => workdays.find((w) => w >= m && w <= isoWeekOf(m).sunday))
    .filter((d): d is LocalDate => d !== undefined)
    .map((d) => Date.parse(shanghaiInstant(d, '09:00')));
  if (!weeklyRuns.some((at) => at > dispatchedAt)) problems.push('no weekly dispatch runs after the seed day’s dispatch');
  if (s.phase.startDate !== monthRange(previousMonth(s.month)).start || s.phase.endDate !== monthRange(s.month).end) {
    problems.push('the phase is not the month before and the month');
  }
  return problems;
};

// ---------- the finding timer scenario (workflows/test/finding.workflow.spec.ts) ----------

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Week = Record<(typeof WEEKDAYS)[number], LocalDate>;

export interface FindingScenario {
  today: LocalDate;
  /** Monday of week 0; every act of the spec happens in weeks 0 … 18 after it. */
  anchor: LocalDate;
  /** The dates of week n after the anchor, Monday to Sunday. */
  week: (n: number) => Week;
  /** A Spring-Festival-like break: Monday to Friday of week 1, with the weekends around it. */
  breakDays: LocalDate[];
  /** The make-up Saturday (调休) of week 2. */
  makeUpSaturday: LocalDate;
  phase: { startDate: LocalDate; endDate: LocalDate };
  calendarOverrides: Required<CalendarOverrides>;
}

/** Weeks after the anchor that the spec's acts reach (the last finding runs to Monday of week 18). */
export const FINDING_SCENARIO_WEEKS = 19;

/**
 * Nineteen weeks from the first Monday at least three days after today, on a designed calendar: weekends rest, a
 * five-weekday break in week 1, a make-up Saturday in week 2, every other day works — official holidays included
 * (the campaign works through them, so the spec's workday arithmetic does not depend on which notice is in the data).
 */
export const findingScenario = (today: LocalDate, official: OfficialCalendarData = officialCalendarData()): FindingScenario => {
  const anchor = onOrAfter(addDays(today, 3), 1);
  const week = (n: number): Week =>
    Object.fromEntries(WEEKDAYS.map((name, i) => [name, addDays(anchor, 7 * n + i)])) as Week;
  const breakDays = [0, 1, 2, 3, 4].map((i) => addDays(week(1).mon, i));
  const makeUpSaturday = week(2).sat;
  const rests = (d: LocalDate) => breakDays.includes(d) || (isWeekend(d) && d !== makeUpSaturday);
  // The phase is under way today (the campaign is created at the real now) and runs on well past the last act, so no
  // deadline of the spec is capped by its end.
  const phase = { startDate: addDays(today, -30), endDate: addDays(anchor, 7 * (FINDING_SCENARIO_WEEKS + 8)) };
  return {
    today,
    anchor,
    week,
    breakDays,
    makeUpSaturday,
    phase,
    calendarOverrides: designCalendar(phase.startDate, phase.endDate, rests, official),
  };
};

/** What finding.workflow.spec.ts assumes of its weeks; empty when they can express the scenario. */
export const findingScenarioProblems = (s: FindingScenario, official: OfficialCalendarData = officialCalendarData()): string[] => {
  const problems: string[] = [];
  if (dayOfWeek(s.anchor) !== 1) problems.push(`the anchor ${s.anchor} is not a Monday`);
  if (compareLocalDates(s.anchor, addDays(s.today, 3)) < 0) problems.push(`the anchor ${s.anchor} is less than three days after ${s.today}`);
  if (compareLocalDates(s.phase.startDate, s.today) > 0) problems.push('the phase starts after today');
  const last = s.week(FINDING_SCENARIO_WEEKS - 1).sun;
  if (compareLocalDates(s.phase.endDate, addDays(last, 30)) < 0) problems.push('the phase ends within 30 days of the last act');
  const window = daysFrom(s.anchor, last);
  const rests = (d: LocalDate) => s.breakDays.includes(d) || (isWeekend(d) && d !== s.makeUpSaturday);
  problems.push(...calendarDrift(window, rests, s.calendarOverrides, official));
  if (s.breakDays.some((d, i) => dayOfWeek(d) !== i + 1)) problems.push('the break is not Monday to Friday');
  if (dayOfWeek(s.makeUpSaturday) !== 6) problems.push('the make-up day is not a Saturday');
  return problems;
};

// ---------- the publication scenario (workflows/test/official-calendar.workflow.spec.ts) ----------

export interface PublicationScenario {
  today: LocalDate;
  /** A Monday at least three days ahead: the findings are dispatched on it. */
  monday: LocalDate;
  /** Tuesday … Thursday after it: the days the invented notice declares holidays once published. */
  noticeDays: LocalDate[];
  phase: { startDate: LocalDate; endDate: LocalDate };
  /** Every weekday a workday and every weekend day a rest day — except the notice days, left to the official data. */
  calendarOverrides: Required<CalendarOverrides>;
}

/**
 * Two weeks of plain weekdays from a Monday, where the official data (whatever it is) makes Tuesday … Thursday
 * workdays, so that a notice published for them is what changes them: the campaign's own days leave those three
 * alone and make every other day of the window what a plain week would be.
 */
export const publicationScenario = (today: LocalDate, official: OfficialCalendarData = officialCalendarData()): PublicationScenario => {
  const plain = new WorkdayCalendar({}, official);
  let monday = onOrAfter(addDays(today, 3), 1);
  const usable = (m: LocalDate) =>
    [1, 2, 3].every((i) => plain.isWorkday(addDays(m, i))) && addDays(m, 1).slice(0, 4) === addDays(m, 3).slice(0, 4);
  while (!usable(monday)) monday = addDays(monday, 7);
  const phase = { startDate: addDays(today, -30), endDate: addDays(monday, 90) };
  return {
    today,
    monday,
    noticeDays: [1, 2, 3].map((i) => addDays(monday, i)),
    phase,
    calendarOverrides: designCalendar(phase.startDate, phase.endDate, isWeekend, official),
  };
};

/** What official-calendar.workflow.spec.ts assumes of its weeks; empty when they can express the scenario. */
export const publicationScenarioProblems = (s: PublicationScenario, official: OfficialCalendarData = officialCalendarData()): string[] => {
  const problems: string[] = [];
  if (dayOfWeek(s.monday) !== 1) problems.push(`${s.monday} is not a Monday`);
  if (compareLocalDates(s.monday, addDays(s.today, 3)) < 0) problems.push(`${s.monday} is less than three days after ${s.today}`);
  if (compareLocalDates(s.phase.startDate, s.today) > 0) problems.push('the phase starts after today');
  const overridden = [...s.calendarOverrides.restDays, ...s.calendarOverrides.workDays];
  for (const d of s.noticeDays) if (overridden.includes(d)) problems.push(`the campaign decides ${d}, not the notice`);
  problems.push(...calendarDrift(daysFrom(s.monday, addDays(s.monday, 20)), isWeekend, s.calendarOverrides, official));
  return problems;
};
