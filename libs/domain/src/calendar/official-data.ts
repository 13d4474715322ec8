import type { LocalDate } from '../shared/local-date';
import { type OfficialCalendarState, SHIPPED_CALENDAR_VERSION } from './official-notice';

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
  /**
   * Which official calendar this is: 0 for the data shipped in code, else the number of notices published since
   * (the official calendar stream's version). Recorded beside every deadline computed with it.
   */
  version: number;
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
  return { holidays, makeupWorkdays, years, version: SHIPPED_CALENDAR_VERSION };
};

/**
 * The calendar deadlines are computed with: the shipped data, with each published year replacing the shipped data of
 * that year whole (a published notice wins for its year, so a correction can also remove a day).
 */
export const withPublishedNotices = (shipped: OfficialCalendarData, published: OfficialCalendarState): OfficialCalendarData => {
  if (published.years.size === 0) return { ...shipped, version: published.version };
  const ofPublishedYear = (date: LocalDate) => published.years.has(Number(date.slice(0, 4)));
  const holidays = new Map([...shipped.holidays].filter(([date]) => !ofPublishedYear(date)));
  const makeupWorkdays = new Map([...shipped.makeupWorkdays].filter(([date]) => !ofPublishedYear(date)));
  for (const notice of published.years.values()) {
    for (const h of notice.holidays) holidays.set(h.date, { en: h.name, zh: h.name });
    for (const m of notice.makeupWorkdays) makeupWorkdays.set(m.date, { en: m.name, zh: m.name });
  }
  return { holidays, makeupWorkdays, years: new Set([...shipped.years, ...published.years.keys()]), version: published.version };
};

export type OfficialYear =
  | { year: number; source: 'shipped' }
  | {
      year: number;
      source: 'published';
      title: string;
      documentNo: string;
      yearVersion: number;
      calendarVersion: number;
      publishedAt: string;
      publishedBy: { userId: string; name: string };
      /** The shipped data this notice replaced, if the year had any. */
      replacesShipped: boolean;
    };

/** Which years have official data and where it comes from, oldest first. */
export const officialYears = (shipped: OfficialCalendarData, published: OfficialCalendarState): OfficialYear[] =>
  [...new Set([...shipped.years, ...published.years.keys()])]
    .sort((a, b) => a - b)
    .map((year): OfficialYear => {
      const notice = published.years.get(year);
      if (!notice) return { year, source: 'shipped' };
      return {
        year,
        source: 'published',
        title: notice.title,
        documentNo: notice.documentNo,
        yearVersion: notice.yearVersion,
        calendarVersion: notice.calendarVersion,
        publishedAt: notice.publishedAt,
        publishedBy: { userId: notice.publishedBy.userId, name: notice.publishedBy.name },
        replacesShipped: shipped.years.has(year),
      };
    });

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

/** A year's days off and make-up workdays in the given calendar, in date order (empty lists: no official data). */
export const officialDaysOf = (
  data: OfficialCalendarData,
  year: number,
): { holidays: Array<{ date: LocalDate; name: string }>; makeupWorkdays: Array<{ date: LocalDate; name: string }> } => {
  const ofYear = (days: ReadonlyMap<LocalDate, HolidayName>) =>
    [...days]
      .filter(([date]) => Number(date.slice(0, 4)) === year)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([date, name]) => ({ date, name: name.zh }));
  return { holidays: ofYear(data.holidays), makeupWorkdays: ofYear(data.makeupWorkdays) };
};
