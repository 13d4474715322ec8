import type { WorkdayCalendar } from '../calendar/workday-calendar';
import { ESCALATION_LEVEL_LABELS } from '../findings/events';
import { InvalidInputError } from '../shared/errors';
import { addDays, compareLocalDates, isLocalTime, SHANGHAI_OFFSET_MS, shanghaiInstant, type LocalDate, type LocalTime } from '../shared/local-date';
import type { Recipient } from './audience';
import type { NoticeRouting } from './routing';

/** When reminders may reach people (Asia/Shanghai wall-clock times). */
export type ReminderSettings = {
  /** 临近提醒 of a due date or a ladder rung, on the workday before it. */
  remindAt: LocalTime;
  /** The morning reminder of a progress report owed that day. */
  morningAt: LocalTime;
  /** Nothing is sent from `from` until `to` (overnight when from > to). */
  quietHours: { from: LocalTime; to: LocalTime };
};

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = Object.freeze({
  remindAt: '09:00',
  morningAt: '08:30',
  quietHours: Object.freeze({ from: '21:00', to: '08:00' }),
}) as ReminderSettings;

export const REMINDER_KINDS = ['due_tomorrow', 'report_today', 'rung_tomorrow'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

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

const inQuietHours = (t: LocalTime, q: ReminderSettings['quietHours']): boolean =>
  q.from <= q.to ? t >= q.from && t < q.to : t >= q.from || t < q.to;

/** Settings with every time valid and the reminder hours outside the quiet hours; a clear error otherwise. */
export const checkReminderSettings = (s: ReminderSettings): ReminderSettings => {
  for (const [field, value] of [
    ['remindAt', s.remindAt],
    ['morningAt', s.morningAt],
    ['quietHours.from', s.quietHours.from],
    ['quietHours.to', s.quietHours.to],
  ] as const) {
    if (!isLocalTime(value)) throw new InvalidInputError('INVALID_REMINDER_SETTINGS', field, `${field} 应为 HH:MM 时间`);
  }
  for (const field of ['remindAt', 'morningAt'] as const) {
    if (inQuietHours(s[field], s.quietHours)) {
      throw new InvalidInputError('INVALID_REMINDER_SETTINGS', field, `${field} 落在免打扰时段内`);
    }
  }
  return s;
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
    if (calendar.isWorkday(date) && compareLocalDates(date, today) >= 0) out.push({ key: `${findingId}:${key}`, kind, date, at, to: owner, title });
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
export const sendableAt = (now: string, calendar: WorkdayCalendar, settings: ReminderSettings): boolean => {
  const today = calendar.localDateOf(now);
  const local = new Date(Date.parse(now) + SHANGHAI_OFFSET_MS).toISOString().slice(11, 16);
  return calendar.isWorkday(today) && !inQuietHours(local, settings.quietHours);
};

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
