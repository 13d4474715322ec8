import { InvalidInputError } from '../shared/errors';
import {
  type LocalDate,
  type LocalTime,
  addDays,
  assertLocalDate,
  compareLocalDates,
  endOfShanghaiDay,
  isWeekend,
  shanghaiDateOf,
  shanghaiInstant,
  yearOf,
} from '../shared/local-date';
import { type OfficialCalendarData, officialCalendarData } from './official-data';

/** A campaign's own days; they win over the official notice (e.g. a weekend drive, a local rest day). */
export type CalendarOverrides = {
  restDays?: LocalDate[];
  workDays?: LocalDate[];
};

export type DayKind =
  | 'workday'
  | 'weekend'
  | 'holiday'
  | 'makeup_workday'
  | 'campaign_rest_day'
  | 'campaign_workday';

export const DAY_KIND_LABELS: Record<DayKind, string> = {
  workday: '工作日',
  weekend: '周末',
  holiday: '法定节假日',
  makeup_workday: '调休上班',
  campaign_rest_day: '专项行动休息日',
  campaign_workday: '专项行动工作日',
};

export type DayInfo = {
  date: LocalDate;
  workday: boolean;
  kind: DayKind;
  /** Chinese name of the holiday, also set on a make-up workday (which holiday it pays for). */
  holidayName?: string;
  holidayNameEn?: string;
  /** False when the year has no official notice in the data: weekends are then the only rest days. */
  officialDataAvailable: boolean;
};

export type WorkdaysResult = {
  date: LocalDate;
  /** 24:00 Asia/Shanghai of `date`, as a UTC instant. */
  endsAt: string;
};

// Far beyond any real deadline; guards against a calendar whose overrides make every day a rest day.
const MAX_SCAN_DAYS = 366 * 20;

export class WorkdayCalendar {
  private readonly restDays: ReadonlySet<LocalDate>;
  private readonly workDays: ReadonlySet<LocalDate>;
  private readonly official: OfficialCalendarData;

  constructor(overrides: CalendarOverrides = {}, official: OfficialCalendarData = officialCalendarData()) {
    const rest = (overrides.restDays ?? []).map((d, i) => assertLocalDate(d, `calendarOverrides.restDays[${i}]`));
    const work = (overrides.workDays ?? []).map((d, i) => assertLocalDate(d, `calendarOverrides.workDays[${i}]`));
    const clash = rest.find((d) => work.includes(d));
    if (clash) {
      throw new InvalidInputError(
        'CALENDAR_OVERRIDE_CONFLICT',
        'calendarOverrides',
        `${clash} 不能同时设为休息日和工作日`,
      );
    }
    this.restDays = new Set(rest);
    this.workDays = new Set(work);
    this.official = official;
  }

  /** The official calendar version this calendar computes with; recorded beside each deadline it gives. */
  get version(): number {
    return this.official.version;
  }

  officialDataAvailableFor(year: number): boolean {
    return this.official.years.has(year);
  }

  dayInfo(date: LocalDate): DayInfo {
    assertLocalDate(date);
    const officialDataAvailable = this.official.years.has(yearOf(date));
    if (this.restDays.has(date)) {
      return { date, workday: false, kind: 'campaign_rest_day', officialDataAvailable };
    }
    if (this.workDays.has(date)) {
      return { date, workday: true, kind: 'campaign_workday', officialDataAvailable };
    }
    const holiday = this.official.holidays.get(date);
    if (holiday) {
      return {
        date,
        workday: false,
        kind: 'holiday',
        holidayName: holiday.zh,
        holidayNameEn: holiday.en,
        officialDataAvailable,
      };
    }
    const makeup = this.official.makeupWorkdays.get(date);
    if (makeup) {
      return {
        date,
        workday: true,
        kind: 'makeup_workday',
        holidayName: makeup.zh,
        holidayNameEn: makeup.en,
        officialDataAvailable,
      };
    }
    if (isWeekend(date)) {
      return { date, workday: false, kind: 'weekend', officialDataAvailable };
    }
    return { date, workday: true, kind: 'workday', officialDataAvailable };
  }

  isWorkday(date: LocalDate): boolean {
    return this.dayInfo(date).workday;
  }

  /** The Asia/Shanghai calendar date of an instant. */
  localDateOf(instantIso: string): LocalDate {
    return shanghaiDateOf(instantIso);
  }

  /**
   * The Nth workday strictly after `date` (the date itself never counts).
   */
  addWorkdaysToDate(date: LocalDate, n: number): LocalDate {
    assertLocalDate(date);
    assertWorkdayCount(n);
    let current = date;
    let left = n;
    for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++) {
      current = addDays(current, 1);
      if (this.isWorkday(current) && --left === 0) return current;
    }
    throw new InvalidInputError('NO_WORKDAYS_IN_RANGE', 'n', `${date} 之后找不到 ${n} 个工作日`);
  }

  /**
   * DESIGN rule 4: "N workdays after an event at time t" ends at 24:00 Asia/Shanghai of the Nth workday
   * strictly after t's calendar day — whatever the hour of t, its own day never counts.
   */
  addWorkdays(fromInstantIso: string, n: number): WorkdaysResult {
    const date = this.addWorkdaysToDate(this.localDateOf(fromInstantIso), n);
    return { date, endsAt: endOfShanghaiDay(date) };
  }

  /** Number of workdays in (a, b]; 0 when b is not after a. Used for "workdays overdue". */
  workdaysBetween(a: LocalDate, b: LocalDate): number {
    assertLocalDate(a);
    assertLocalDate(b);
    let count = 0;
    for (let d = addDays(a, 1); compareLocalDates(d, b) <= 0; d = addDays(d, 1)) {
      if (this.isWorkday(d)) count++;
    }
    return count;
  }

  /** The instant of a local cutoff such as '17:30'. Only meaningful on workdays; callers check `isWorkday`. */
  cutoffInstant(date: LocalDate, time: LocalTime): string {
    return shanghaiInstant(date, time);
  }

  /** 24:00 Asia/Shanghai of the date, as a UTC instant. */
  endOf(date: LocalDate): string {
    return endOfShanghaiDay(date);
  }
}

const assertWorkdayCount = (n: number): void => {
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidInputError('INVALID_WORKDAY_COUNT', 'workdays', `工作日数应为正整数：${String(n)}`);
  }
};
