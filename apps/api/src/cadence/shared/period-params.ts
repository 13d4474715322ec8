import { PipeTransform } from '@nestjs/common';
import { addDays, dayOfWeek, InvalidInputError, isLocalDate, isMonthKey, isoWeekOf, isQuarterKey } from '@duban/domain';

// The keys a published report is filed under, as path parameters: a malformed one is a 400 naming the parameter,
// never a 404 ("not published") for a period that cannot exist.

export type PeriodKind = 'date' | 'week' | 'month' | 'quarter' | 'year';

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const YEAR_RE = /^\d{4}$/;

/** 'YYYY-Www' that names a real ISO week (W53 only in years that have one). */
export const isIsoWeekKey = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  const m = WEEK_RE.exec(value);
  if (!m) return false;
  const week = Number(m[2]);
  if (week < 1 || week > 53) return false;
  // Week 1 holds 4 January; its Monday plus (week − 1) weeks must land in a week with the same key.
  const jan4 = `${m[1]}-01-04`;
  const monday = addDays(addDays(jan4, -((dayOfWeek(jan4) + 6) % 7)), (week - 1) * 7);
  return isoWeekOf(monday).key === value;
};

const RULES: Record<PeriodKind, { code: string; valid: (v: unknown) => boolean; expected: string }> = {
  date: { code: 'INVALID_DATE', valid: isLocalDate, expected: '日期格式应为 YYYY-MM-DD' },
  week: { code: 'INVALID_WEEK', valid: isIsoWeekKey, expected: '周应为 ISO 周 YYYY-Www（如 2026-W48）' },
  month: { code: 'INVALID_MONTH', valid: isMonthKey, expected: '月份格式应为 YYYY-MM' },
  quarter: { code: 'INVALID_QUARTER', valid: isQuarterKey, expected: '季度格式应为 YYYY-Qn（n 为 1–4）' },
  year: { code: 'INVALID_YEAR', valid: (v) => typeof v === 'string' && YEAR_RE.test(v), expected: '年份格式应为 YYYY' },
};

/** Throws the 400 for a malformed period key; returns the key otherwise. */
export function assertPeriod(kind: PeriodKind, value: unknown, field: string = kind): string {
  const rule = RULES[kind];
  if (!rule.valid(value)) throw new InvalidInputError(rule.code, field, `${rule.expected}：${String(value)}`);
  return value as string;
}

/** `@Param('month', new PeriodPipe('month'))`. */
export class PeriodPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly kind: PeriodKind,
    private readonly field: string = kind,
  ) {}

  transform(value: unknown): string {
    return assertPeriod(this.kind, value, this.field);
  }
}

/** Both ends real dates, `from` not after `to` (a 400 naming `to`, as in the ledgers). */
export function assertDateRange(range: { from?: string; to?: string }): void {
  if (range.from) assertPeriod('date', range.from, 'from');
  if (range.to) assertPeriod('date', range.to, 'to');
  if (range.from && range.to && range.from > range.to) {
    throw new InvalidInputError('INVALID_DATE_RANGE', 'to', `截止日期 ${range.to} 早于起始日期 ${range.from}`);
  }
}
