import type { Actor } from '../shared/actor';
import { InvalidInputError } from '../shared/errors';
import { optionalText, requireRole, requireText, validateMetadata } from '../shared/guards';
import { assertLocalDate, dayOfWeek, type LocalDate, toUtcIso, yearOf } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';

/**
 * The State Council's yearly holiday notice (国务院办公厅关于某年部分节假日安排的通知) as data: an administrator types it
 * in and signs it. One stream holds every year's publications, so its version is the calendar version a deadline
 * records ("computed with official calendar v3"); version 0 is the data shipped with the code.
 */
export const OFFICIAL_CALENDAR_STREAM = 'official-calendar';

/** The data shipped in code (chinese-days); a published notice raises the version. */
export const SHIPPED_CALENDAR_VERSION = 0;

export type NoticeDay = { date: LocalDate; name: string };

export type PublishOfficialCalendar = Command<
  'PublishOfficialCalendar',
  {
    year: number;
    title: string;
    /** 文号, e.g. 国办发明电〔2031〕7号. */
    documentNo: string;
    /** Every day off, including the weekend days folded into a holiday block. */
    holidays: NoticeDay[];
    /** Weekend days that become workdays (调休上班). */
    makeupWorkdays: NoticeDay[];
    /** Required when the year already has a notice (a correction). */
    reason?: string | null;
  }
>;

export type OfficialCalendarCommand = PublishOfficialCalendar;

export type OfficialCalendarPublished = DomainEvent<
  'OfficialCalendarPublished',
  {
    year: number;
    /** 1 for the year's first notice, then 2, 3 … for each correction. */
    yearVersion: number;
    /** The calendar version this publication makes: the stream's version after it. */
    calendarVersion: number;
    title: string;
    documentNo: string;
    holidays: NoticeDay[];
    makeupWorkdays: NoticeDay[];
    reason: string | null;
  } & Signed
>;

export type OfficialCalendarEvent = OfficialCalendarPublished;

export type PublishedYear = {
  year: number;
  yearVersion: number;
  calendarVersion: number;
  title: string;
  documentNo: string;
  holidays: readonly NoticeDay[];
  makeupWorkdays: readonly NoticeDay[];
  reason: string | null;
  publishedBy: Actor;
  publishedAt: string;
};

export type OfficialCalendarState = {
  /** Publications so far: the calendar version now in force. */
  version: number;
  /** The notice in force for each published year (the latest correction). */
  years: ReadonlyMap<number, PublishedYear>;
};

export const initialOfficialCalendarState = (): OfficialCalendarState => ({ version: SHIPPED_CALENDAR_VERSION, years: new Map() });

/** Years a notice may be published for: far enough either way for any real use, narrow enough to catch a typo. */
export const NOTICE_YEAR_MIN = 2000;
export const NOTICE_YEAR_MAX = 2100;
const MAX_DAYS_PER_LIST = 120;

export const decideOfficialCalendar = (
  command: OfficialCalendarCommand,
  state: OfficialCalendarState,
): OfficialCalendarEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  switch (command.type) {
    case 'PublishOfficialCalendar': {
      requireRole(actor, ['admin']);
      const d = command.data;
      if (!Number.isInteger(d.year) || d.year < NOTICE_YEAR_MIN || d.year > NOTICE_YEAR_MAX) {
        throw new InvalidInputError('INVALID_YEAR', 'year', `年份应为 ${NOTICE_YEAR_MIN}–${NOTICE_YEAR_MAX} 之间的整数：${String(d.year)}`);
      }
      const year = d.year;
      const title = requireText(d.title, 'title', '通知标题');
      const documentNo = requireText(d.documentNo, 'documentNo', '通知文号');
      const holidays = noticeDays(d.holidays, 'holidays', '放假日期', year, { min: 1 });
      const makeupWorkdays = noticeDays(d.makeupWorkdays, 'makeupWorkdays', '调休上班日期', year, { min: 0 });
      makeupWorkdays.forEach((m, i) => {
        const dow = dayOfWeek(m.date);
        if (dow !== 0 && dow !== 6) {
          throw new InvalidInputError('MAKEUP_DAY_NOT_WEEKEND', `makeupWorkdays[${i}].date`, `调休上班日 ${m.date} 不是周六或周日`);
        }
        if (holidays.some((h) => h.date === m.date)) {
          throw new InvalidInputError('DAY_BOTH_HOLIDAY_AND_WORKDAY', `makeupWorkdays[${i}].date`, `${m.date} 不能既放假又调休上班`);
        }
      });
      const previous = state.years.get(year);
      const reason = optionalText(d.reason, 'reason', '更正理由');
      if (previous && !reason) {
        throw new InvalidInputError(
          'CORRECTION_REASON_REQUIRED',
          'reason',
          `${year} 年已发布第 ${previous.yearVersion} 版（${previous.documentNo}），再次发布即为更正，须说明理由`,
        );
      }
      return [
        {
          type: 'OfficialCalendarPublished',
          data: {
            year,
            yearVersion: (previous?.yearVersion ?? 0) + 1,
            calendarVersion: state.version + 1,
            title,
            documentNo,
            holidays,
            makeupWorkdays,
            reason,
            signedBy: actor,
            at: toUtcIso(now),
          },
        },
      ];
    }
    default: {
      const unknownCommand: never = command.type;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${String(unknownCommand)}`);
    }
  }
};

export const evolveOfficialCalendar = (state: OfficialCalendarState, event: OfficialCalendarEvent): OfficialCalendarState => {
  switch (event.type) {
    case 'OfficialCalendarPublished': {
      const d = event.data;
      const years = new Map(state.years);
      years.set(d.year, {
        year: d.year,
        yearVersion: d.yearVersion,
        calendarVersion: d.calendarVersion,
        title: d.title,
        documentNo: d.documentNo,
        holidays: d.holidays,
        makeupWorkdays: d.makeupWorkdays,
        reason: d.reason,
        publishedBy: d.signedBy,
        publishedAt: d.at,
      });
      return { version: d.calendarVersion, years };
    }
    default: {
      const unknownEvent: never = event.type;
      void unknownEvent;
      return state;
    }
  }
};

export const officialCalendarDecider = {
  decide: decideOfficialCalendar,
  evolve: evolveOfficialCalendar,
  initialState: initialOfficialCalendarState,
};

/** Validates one list of the notice: each entry a date inside the year with a name, no date twice. */
const noticeDays = (value: unknown, field: string, label: string, year: number, options: { min: number }): NoticeDay[] => {
  if (!Array.isArray(value)) throw new InvalidInputError('INVALID_LIST', field, `${label}应为列表`);
  if (value.length < options.min) throw new InvalidInputError('LIST_TOO_SHORT', field, `${label}至少 ${options.min} 项`);
  if (value.length > MAX_DAYS_PER_LIST) throw new InvalidInputError('LIST_TOO_LONG', field, `${label}最多 ${MAX_DAYS_PER_LIST} 项`);
  const seen = new Set<LocalDate>();
  return value.map((entry: unknown, i) => {
    const at = `${field}[${i}]`;
    if (!entry || typeof entry !== 'object') throw new InvalidInputError('INVALID_NOTICE_DAY', at, `${label}第 ${i + 1} 项应为 { date, name }`);
    const e = entry as { date?: unknown; name?: unknown };
    const date = assertLocalDate(e.date, `${at}.date`);
    if (yearOf(date) !== year) {
      throw new InvalidInputError('DATE_OUTSIDE_YEAR', `${at}.date`, `${date} 不在 ${year} 年内`);
    }
    if (seen.has(date)) throw new InvalidInputError('DUPLICATE_DATE', `${at}.date`, `${label}中 ${date} 重复`);
    seen.add(date);
    return { date, name: requireText(e.name, `${at}.name`, '节日名称') };
  });
};
