import { InvalidInputError } from './errors';

/**
 * A calendar date in Asia/Shanghai, 'YYYY-MM-DD'. Kept as a plain string so it survives JSON,
 * canonical hashing and SQL untouched; `isLocalDate` is the gate.
 */
export type LocalDate = string;

/** 'HH:MM', 24-hour, local to Asia/Shanghai. */
export type LocalTime = string;

/**
 * Asia/Shanghai has had no DST since 1991, so a fixed +8h offset is exact for every date this system
 * handles, and it keeps results independent of the process time zone.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
// Requires an explicit offset or Z: an instant without one would be read in the process time zone.
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export const isLocalDate = (value: unknown): value is LocalDate => {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d;
};

export const isLocalTime = (value: unknown): value is LocalTime =>
  typeof value === 'string' && LOCAL_TIME_RE.test(value);

export const isInstant = (value: unknown): value is string =>
  typeof value === 'string' && INSTANT_RE.test(value) && !Number.isNaN(Date.parse(value));

export const assertLocalDate = (value: unknown, field = 'date'): LocalDate => {
  if (!isLocalDate(value)) {
    throw new InvalidInputError('INVALID_DATE', field, `日期格式应为 YYYY-MM-DD：${String(value)}`);
  }
  return value;
};

export const assertInstant = (value: unknown, field = 'at'): string => {
  if (!isInstant(value)) {
    throw new InvalidInputError('INVALID_INSTANT', field, `时间应为带时区的 ISO 8601 时刻：${String(value)}`);
  }
  return value;
};

const utcMidnightMs = (date: LocalDate): number => {
  const m = LOCAL_DATE_RE.exec(assertLocalDate(date))!;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
};

const fromUtcMidnightMs = (ms: number): LocalDate => new Date(ms).toISOString().slice(0, 10);

/** Normalises any ISO instant to UTC 'Z' form so events compare and hash the same way. */
export const toUtcIso = (instantIso: string): string => new Date(Date.parse(assertInstant(instantIso))).toISOString();

/** The Asia/Shanghai calendar date of an instant. */
export const shanghaiDateOf = (instantIso: string): LocalDate =>
  fromUtcMidnightMs(Date.parse(assertInstant(instantIso)) + SHANGHAI_OFFSET_MS);

export const addDays = (date: LocalDate, days: number): LocalDate =>
  fromUtcMidnightMs(utcMidnightMs(date) + days * DAY_MS);

/** 0 = Sunday … 6 = Saturday. */
export const dayOfWeek = (date: LocalDate): number => new Date(utcMidnightMs(date)).getUTCDay();

export const isWeekend = (date: LocalDate): boolean => {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
};

export const yearOf = (date: LocalDate): number => Number(assertLocalDate(date).slice(0, 4));

/** 'YYYY-MM-DD' strings order lexicographically, which is all comparison needs. */
export const compareLocalDates = (a: LocalDate, b: LocalDate): number => (a < b ? -1 : a > b ? 1 : 0);

/** Calendar days from a to b (negative when b is earlier). */
export const daysBetween = (a: LocalDate, b: LocalDate): number =>
  Math.round((utcMidnightMs(b) - utcMidnightMs(a)) / DAY_MS);

/** 00:00 Asia/Shanghai of the date, as a UTC instant. */
export const startOfShanghaiDay = (date: LocalDate): string =>
  new Date(utcMidnightMs(date) - SHANGHAI_OFFSET_MS).toISOString();

/** 24:00 Asia/Shanghai of the date (= next day 00:00+08:00), as a UTC instant. Deadlines end here. */
export const endOfShanghaiDay = (date: LocalDate): string => startOfShanghaiDay(addDays(date, 1));

/** The instant of a local wall-clock time on a date in Asia/Shanghai. */
export const shanghaiInstant = (date: LocalDate, time: LocalTime): string => {
  if (!isLocalTime(time)) {
    throw new InvalidInputError('INVALID_TIME', 'time', `时间格式应为 HH:MM：${String(time)}`);
  }
  const [h, m] = time.split(':').map(Number);
  return new Date(utcMidnightMs(date) - SHANGHAI_OFFSET_MS + (h * 60 + m) * 60 * 1000).toISOString();
};
