import type { LocalDate } from '../shared/local-date';

/** Shape of `chinese-days/dist/chinese-days.json`: each value is 'English,中文,n'. */
export type ChineseDaysData = {
  holidays: Record<LocalDate, string>;
  workdays: Record<LocalDate, string>;
  inLieuDays: Record<LocalDate, string>;
};

export type OfficialCalendarData = {
  /** Days off by State Council notice (including the weekends folded into a holiday block). */
  holidays: ReadonlyMap<LocalDate, HolidayName>;
  /** Weekend days made working days (调休). */
  makeupWorkdays: ReadonlyMap<LocalDate, HolidayName>;
  /** Years for which a notice exists in the data; outside them only weekends rest. */
  years: ReadonlySet<number>;
};

export type HolidayName = { en: string; zh: string };

const parseName = (raw: string): HolidayName => {
  const [en = '', zh = ''] = raw.split(',');
  return { en, zh: zh || en };
};

export const buildOfficialData = (raw: ChineseDaysData): OfficialCalendarData => {
  const holidays = new Map<LocalDate, HolidayName>();
  const makeupWorkdays = new Map<LocalDate, HolidayName>();
  const years = new Set<number>();
  for (const [date, name] of Object.entries(raw.holidays)) {
    holidays.set(date, parseName(name));
    years.add(Number(date.slice(0, 4)));
  }
  for (const [date, name] of Object.entries(raw.workdays)) {
    makeupWorkdays.set(date, parseName(name));
    years.add(Number(date.slice(0, 4)));
  }
  return { holidays, makeupWorkdays, years };
};

let cached: OfficialCalendarData | undefined;

/**
 * China's official holidays and make-up workdays, read once from the `chinese-days` package.
 * Loaded lazily with require so the domain stays importable without paying for the parse.
 */
export const officialCalendarData = (): OfficialCalendarData => {
  if (!cached) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
    cached = buildOfficialData(raw);
  }
  return cached;
};
