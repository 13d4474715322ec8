import type { WorkdayCalendar } from '../calendar/workday-calendar';
import { ESCALATION_LEVEL_LABELS } from '../findings/events';
import { InvalidInputError } from '../shared/errors';
import { addDays, compareLocalDates, SHANGHAI_OFFSET_MS, shanghaiInstant, type LocalDate, type LocalTime } from '../shared/local-date';
import { checkReminderSettings, inQuietHours, isEnabled, type ReminderKind, type ReminderSettings } from './settings';
import type { Recipient } from './audience';
import type { NoticeRouting } from './routing';

export type PlannedReminder = {
  /** Unique per finding and reminder: a re-plan yields the same key, so a reminder is sent once. */
  key: string;
  kind: ReminderKind;
  /** The workday it goes out on and the instant. */
  date: LocalDate;
  at: string;
  to: Recipient[];
  title: string;
};

/** The first workday strictly after `date`. */
export const nextWorkday = (calendar: WorkdayCalendar, date: LocalDate): LocalDate => {
  let d = addDays(date, 1);
  for (let i = 0; i < 366; i++, d = addDays(d, 1)) if (calendar.isWorkday(d)) return d;
  throw new InvalidInputError('NO_WORKDAYS_IN_RANGE', 'date', `${date} 之后一年内没有工作日`);
};

/** The last workday strictly before `date` (make-up workdays count, holidays and weekends do not). */
export const previousWorkday = (calendar: WorkdayCalendar, date: LocalDate): LocalDate => {
  let d = addDays(date, -1);
  // A year of rest days cannot happen; the bound only keeps a broken calendar from looping.
  for (let i = 0; i < 366; i++, d = addDays(d, -1)) if (calendar.isWorkday(d)) return d;
  throw new InvalidInputError('NO_WORKDAYS_IN_RANGE', 'date', `${date} 之前一年内没有工作日`);
};

/**
 * The reminders one finding is owed from `today` on (Asia/Shanghai date of now), in the campaign's workdays:
 * the workday before its due date, the morning of each workday a progress report is owed (today's only: tomorrow's
 * is planned tomorrow, when the finding may have moved on), the workday before its next ladder rung. Only workdays,
 * only at hours outside the quiet hours; nothing for a day before `today` (a reminder a day late misleads).
 */
export const planReminders = (
  findingId: string,
  r: NoticeRouting,
  calendar: WorkdayCalendar,
  settings: ReminderSettings,
  today: LocalDate,
): PlannedReminder[] => {
  checkReminderSettings(settings);
  const owner: Recipient[] = r.ownerUserId ? [{ kind: 'person', userId: r.ownerUserId }] : r.unitId ? [{ kind: 'unit', unitId: r.unitId }] : [];
  if (owner.length === 0 || r.awaitingVerification) return [];
  const out: PlannedReminder[] = [];
  const push = (kind: ReminderKind, key: string, date: LocalDate, time: LocalTime, title: string) => {
    const at = shanghaiInstant(date, time);
    if (isEnabled(settings, kind) && calendar.isWorkday(date) && compareLocalDates(date, today) >= 0) out.push({ key: `${findingId}:${key}`, kind, date, at, to: owner, title });
  };
  if (r.dueDate && compareLocalDates(r.dueDate, today) > 0) {
    push('due_tomorrow', `due:${r.dueDate}`, previousWorkday(calendar, r.dueDate), settings.remindAt, `整改期限将至：${r.dueDate} 24时`);
  }
  if (r.reportsOwed && r.ownerUserId && calendar.isWorkday(today)) {
    push('report_today', `report:${today}`, today, settings.morningAt, `今日（${today}）请上报整改进度`);
  }
  if (r.nextRung && compareLocalDates(r.nextRung.dueDate, today) > 0) {
    const label = ESCALATION_LEVEL_LABELS[r.nextRung.level];
    push('rung_tomorrow', `rung:${r.nextRung.level}:${r.nextRung.dueDate}`, previousWorkday(calendar, r.nextRung.dueDate), settings.remindAt, `${r.nextRung.dueDate} 24时前未整改将升级为${label}`);
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
};

/**
 * Whether anything may reach a person at `now`: a workday of the campaign, outside the quiet hours. A sender that
 * was away (a worker restart) sends what fell due today only when this holds, never at night or on a rest day.
 */
export const sendableAt = (now: string, calendar: WorkdayCalendar, settings: ReminderSettings): boolean =>
  calendar.isWorkday(calendar.localDateOf(now)) && !inQuietHours(shanghaiTimeOf(now), settings.quietHours);

/** The Asia/Shanghai wall-clock time (HH:MM) of an instant. */
export const shanghaiTimeOf = (now: string): LocalTime => new Date(Date.parse(now) + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);

/** Of a plan, what goes out at `now`: due today by `now`, and only when sending is allowed at all. */
export const dueReminders = (
  plan: PlannedReminder[],
  now: string,
  calendar: WorkdayCalendar,
  settings: ReminderSettings,
): PlannedReminder[] => {
  if (!sendableAt(now, calendar, settings)) return [];
  const today = calendar.localDateOf(now);
  return plan.filter((p) => p.date === today && Date.parse(p.at) <= Date.parse(now));
};
