import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { CampaignLifecycle } from '../campaigns/campaign';
import type { CampaignPhase } from '../campaigns/phases';
import { InvalidInputError } from '../shared/errors';
import {
  type LocalDate,
  type LocalTime,
  addDays,
  assertLocalDate,
  compareLocalDates,
  dayOfWeek,
} from '../shared/local-date';

/** DESIGN "The cadence": 日督查、日交办、周调度、月讲评. */
export const CADENCES = ['daily_inspection', 'daily_dispatch', 'weekly_dispatch', 'monthly_review'] as const;
export type Cadence = (typeof CADENCES)[number];

export const CADENCE_LABELS: Record<Cadence, string> = {
  daily_inspection: '日督查',
  daily_dispatch: '日交办',
  weekly_dispatch: '周调度',
  monthly_review: '月讲评',
};

/**
 * The daily missed-progress-report cutoff (issue 15 item 6): one run per campaign at policy.progressCutoff records the
 * daily reports its findings owed and did not file — what each finding's own timer did, without a herd of timers at
 * the same instant. Scheduled beside the cadences, but no report is published: it runs on every workday of the
 * campaign calendar (make-up days included), whatever the phases or a pause, as the findings' timers did.
 */
export const REPORT_CUTOFF = 'report_cutoff' as const;
export type ScheduledCadence = Cadence | typeof REPORT_CUTOFF;
export const SCHEDULED_CADENCES: readonly ScheduledCadence[] = [...CADENCES, REPORT_CUTOFF];
export const SCHEDULED_CADENCE_LABELS: Record<ScheduledCadence, string> = { ...CADENCE_LABELS, report_cutoff: '日报截止' };

export const isCadence = (value: unknown): value is Cadence =>
  typeof value === 'string' && (CADENCES as readonly string[]).includes(value);

/**
 * When each cadence's schedule fires, in Asia/Shanghai wall time. The daily inspection fires at the campaign's
 * inspection cutoff (policy); the others at the start of the office's day, so the lists are on the desk at 09:00.
 * Weekly fires on Monday and monthly on the 1st; when that day is a rest day the run waits for the first workday
 * of the same week / month (a Monday holiday moves the weekly dispatch to Tuesday, 1 October moves the monthly
 * review to the first workday after National Day).
 */
export type CadenceFiring = { cadence: ScheduledCadence; time: LocalTime; dayOfWeek?: 'MONDAY'; dayOfMonth?: 1 };

export const DISPATCH_CHECK_TIME: LocalTime = '09:00';
export const WEEKLY_DISPATCH_TIME: LocalTime = '09:00';
export const MONTHLY_REVIEW_TIME: LocalTime = '09:00';

export const cadenceFirings = (inspectionCutoff: LocalTime): CadenceFiring[] => [
  { cadence: 'daily_inspection', time: inspectionCutoff },
  { cadence: 'daily_dispatch', time: DISPATCH_CHECK_TIME },
  { cadence: 'weekly_dispatch', time: WEEKLY_DISPATCH_TIME, dayOfWeek: 'MONDAY' },
  { cadence: 'monthly_review', time: MONTHLY_REVIEW_TIME, dayOfMonth: 1 },
];

/** The report cutoff's firing: daily at the campaign's progress cutoff. */
export const reportCutoffFiring = (progressCutoff: LocalTime): CadenceFiring => ({ cadence: REPORT_CUTOFF, time: progressCutoff });

// ---------- periods ----------

/** ISO 8601 week of a date: weeks start on Monday, week 1 holds the year's first Thursday. */
export const isoWeekOf = (date: LocalDate): { key: string; monday: LocalDate; sunday: LocalDate } => {
  assertLocalDate(date);
  const monday = addDays(date, -((dayOfWeek(date) + 6) % 7));
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = (() => {
    const jan1 = `${year}-01-01`;
    return addDays(jan1, (4 - dayOfWeek(jan1) + 7) % 7);
  })();
  const week = Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000)) + 1;
  return { key: `${year}-W${String(week).padStart(2, '0')}`, monday, sunday: addDays(monday, 6) };
};

export const monthOf = (date: LocalDate): string => assertLocalDate(date).slice(0, 7);

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const isMonthKey = (value: unknown): value is string => typeof value === 'string' && MONTH_RE.test(value);

export const assertMonthKey = (value: unknown, field = 'month'): string => {
  if (!isMonthKey(value)) throw new InvalidInputError('INVALID_MONTH', field, `月份格式应为 YYYY-MM：${String(value)}`);
  return value;
};

export const monthRange = (month: string): { start: LocalDate; end: LocalDate } => {
  assertMonthKey(month);
  const start = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { start, end: addDays(next, -1) };
};

export const previousMonth = (month: string): string => {
  const [y, m] = assertMonthKey(month).split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
};

const QUARTER_RE = /^(\d{4})-Q([1-4])$/;
export const isQuarterKey = (value: unknown): value is string => typeof value === 'string' && QUARTER_RE.test(value);
export const quarterOf = (month: string): string => {
  const [y, m] = assertMonthKey(month).split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
};
export const monthsOfQuarter = (quarter: string): string[] => {
  const match = QUARTER_RE.exec(quarter);
  if (!match) throw new InvalidInputError('INVALID_QUARTER', 'quarter', `季度格式应为 YYYY-Qn：${String(quarter)}`);
  const first = (Number(match[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${match[1]}-${String(first + i).padStart(2, '0')}`);
};

// ---------- which run a firing makes ----------

export type CadenceCampaign = {
  phases: readonly CampaignPhase[];
  lifecycle: CampaignLifecycle;
};

export type CadenceSkipReason = 'REST_DAY' | 'NO_WORKDAY_IN_PERIOD' | 'OUTSIDE_CAMPAIGN' | 'CAMPAIGN_PAUSED' | 'CAMPAIGN_ENDED';

export const CADENCE_SKIP_LABELS: Record<CadenceSkipReason, string> = {
  REST_DAY: '休息日（节假日或周末）不督查、不交办',
  NO_WORKDAY_IN_PERIOD: '本周（月）余下无工作日',
  OUTSIDE_CAMPAIGN: '不在专项行动期间',
  CAMPAIGN_PAUSED: '专项行动已暂停',
  CAMPAIGN_ENDED: '专项行动已结束',
};

export type CadenceOccasion =
  | {
      action: 'run';
      cadence: ScheduledCadence;
      /** The report's key: the date (daily), ISO week (weekly) or the reviewed month (monthly). */
      periodKey: string;
      periodStart: LocalDate;
      periodEnd: LocalDate;
      /** The workday the run happens on; later than the firing day when that day is a rest day. */
      runDate: LocalDate;
    }
  | { action: 'skip'; cadence: ScheduledCadence; firedDate: LocalDate; reason: CadenceSkipReason };

const firstWorkdayIn = (calendar: WorkdayCalendar, from: LocalDate, to: LocalDate): LocalDate | null => {
  for (let d = from; compareLocalDates(d, to) <= 0; d = addDays(d, 1)) if (calendar.isWorkday(d)) return d;
  return null;
};

const overlaps = (phases: readonly CampaignPhase[], start: LocalDate, end: LocalDate): boolean =>
  phases.length > 0 &&
  compareLocalDates(start, phases[phases.length - 1].endDate) <= 0 &&
  compareLocalDates(phases[0].startDate, end) <= 0;

/**
 * A schedule fires on a calendar day; this says what, if anything, that firing does. Schedules fire on every
 * matching day and this decides, so holidays and make-up workdays (调休) follow the campaign calendar and not
 * the scheduler's.
 */
export const planCadenceOccasion = (
  cadence: ScheduledCadence,
  firedDate: LocalDate,
  calendar: WorkdayCalendar,
  campaign: CadenceCampaign,
): CadenceOccasion => {
  assertLocalDate(firedDate, 'firedDate');
  const skip = (reason: CadenceSkipReason): CadenceOccasion => ({ action: 'skip', cadence, firedDate, reason });
  if (cadence === REPORT_CUTOFF) {
    // The findings' reports are owed on the calendar's workdays alone: neither a phase nor a pause stops them.
    if (!calendar.isWorkday(firedDate)) return skip('REST_DAY');
    return { action: 'run', cadence, periodKey: firedDate, periodStart: firedDate, periodEnd: firedDate, runDate: firedDate };
  }
  if (campaign.lifecycle === 'ended') return skip('CAMPAIGN_ENDED');
  if (campaign.lifecycle === 'paused') return skip('CAMPAIGN_PAUSED');

  switch (cadence) {
    case 'daily_inspection':
    case 'daily_dispatch': {
      if (!overlaps(campaign.phases, firedDate, firedDate)) return skip('OUTSIDE_CAMPAIGN');
      if (!calendar.isWorkday(firedDate)) return skip('REST_DAY');
      return { action: 'run', cadence, periodKey: firedDate, periodStart: firedDate, periodEnd: firedDate, runDate: firedDate };
    }
    case 'weekly_dispatch': {
      const week = isoWeekOf(firedDate);
      if (!overlaps(campaign.phases, week.monday, week.sunday)) return skip('OUTSIDE_CAMPAIGN');
      const runDate = firstWorkdayIn(calendar, firedDate, week.sunday);
      if (!runDate) return skip('NO_WORKDAY_IN_PERIOD');
      return { action: 'run', cadence, periodKey: week.key, periodStart: week.monday, periodEnd: week.sunday, runDate };
    }
    case 'monthly_review': {
      // The review on the 1st covers the month just ended; the last month of a campaign is reviewed after it.
      const reviewed = previousMonth(monthOf(firedDate));
      const range = monthRange(reviewed);
      if (!overlaps(campaign.phases, range.start, range.end)) return skip('OUTSIDE_CAMPAIGN');
      const runDate = firstWorkdayIn(calendar, firedDate, monthRange(monthOf(firedDate)).end);
      if (!runDate) return skip('NO_WORKDAY_IN_PERIOD');
      return { action: 'run', cadence, periodKey: reviewed, periodStart: range.start, periodEnd: range.end, runDate };
    }
    default: {
      const unknown: never = cadence;
      throw new InvalidInputError('UNKNOWN_CADENCE', 'cadence', `未知督办节奏：${String(unknown)}`);
    }
  }
};

/** The stream a cadence's report for one period lives in; publishing twice appends nothing. */
export const cadenceReportStreamId = (campaignId: string, cadence: Cadence, periodKey: string): string =>
  `cadence-${campaignId}-${cadence}-${periodKey}`;
