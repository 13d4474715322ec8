import { InvalidInputError } from '../shared/errors';
import { isLocalTime, type LocalTime } from '../shared/local-date';

export const REMINDER_KINDS = ['due_tomorrow', 'report_today', 'rung_tomorrow'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** What a campaign may switch on or off: each kind of 临近提醒, and the daily digest per unit (每日摘要). */
export const NOTIFICATION_SWITCHES = [...REMINDER_KINDS, 'digest'] as const;
export type NotificationSwitch = (typeof NOTIFICATION_SWITCHES)[number];

/** When reminders and digests may reach people (Asia/Shanghai wall-clock times, the only time zone a county uses). */
export type ReminderSettings = {
  /** 临近提醒 of a due date or a ladder rung, on the workday before it. */
  remindAt: LocalTime;
  /** The morning reminder of a progress report owed that day. */
  morningAt: LocalTime;
  /** The daily digest per unit, on each workday of the campaign. */
  digestAt: LocalTime;
  /** Nothing is sent from `from` until `to` (overnight when from > to). */
  quietHours: { from: LocalTime; to: LocalTime };
  /** What is sent at all; a kind left out is never planned. */
  enabled: NotificationSwitch[];
};

/** A campaign's changes to the defaults: only what it sets (a campaign that never set any keeps the defaults). */
export type ReminderSettingsOverrides = Partial<ReminderSettings>;

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = Object.freeze({
  remindAt: '09:00',
  morningAt: '08:30',
  digestAt: '08:30',
  quietHours: Object.freeze({ from: '21:00', to: '08:00' }),
  enabled: Object.freeze([...NOTIFICATION_SWITCHES]),
}) as ReminderSettings;

export const inQuietHours = (t: LocalTime, q: ReminderSettings['quietHours']): boolean =>
  q.from <= q.to ? t >= q.from && t < q.to : t >= q.from || t < q.to;

const refuse = (field: string, message: string): never => {
  throw new InvalidInputError('INVALID_REMINDER_SETTINGS', field, message);
};

/** Settings with every time valid, the sending hours outside the quiet hours, known switches; a clear error otherwise. */
export const checkReminderSettings = (s: ReminderSettings): ReminderSettings => {
  if (!s || typeof s !== 'object' || !s.quietHours || typeof s.quietHours !== 'object') return refuse('quietHours', '提醒设置不完整');
  for (const [field, value] of [
    ['remindAt', s.remindAt],
    ['morningAt', s.morningAt],
    ['digestAt', s.digestAt],
    ['quietHours.from', s.quietHours.from],
    ['quietHours.to', s.quietHours.to],
  ] as const) {
    if (!isLocalTime(value)) refuse(field, `${field} 应为 HH:MM 时间`);
  }
  if (s.quietHours.from === s.quietHours.to) refuse('quietHours', '免打扰时段的起止不能相同');
  for (const field of ['remindAt', 'morningAt', 'digestAt'] as const) {
    if (inQuietHours(s[field], s.quietHours)) refuse(field, `${field} 落在免打扰时段内`);
  }
  if (!Array.isArray(s.enabled)) return refuse('enabled', 'enabled 应为提醒种类的列表');
  s.enabled.forEach((k, i) => {
    if (!(NOTIFICATION_SWITCHES as readonly string[]).includes(k)) refuse(`enabled[${i}]`, `未知的提醒种类：${String(k)}`);
  });
  if (new Set(s.enabled).size !== s.enabled.length) refuse('enabled', '提醒种类重复');
  return s;
};

/**
 * `base` (the defaults, or the settings in force) with a campaign's overrides on top, checked; unknown keys are refused
 * (a misspelt hour is not ignored).
 */
export const resolveReminderSettings = (overrides: ReminderSettingsOverrides = {}, base: ReminderSettings = DEFAULT_REMINDER_SETTINGS): ReminderSettings => {
  if (!overrides || typeof overrides !== 'object' || Array.isArray(overrides)) return refuse('reminderSettings', '提醒设置应为对象');
  const known = new Set(['remindAt', 'morningAt', 'digestAt', 'quietHours', 'enabled']);
  const unknown = Object.keys(overrides).find((k) => !known.has(k));
  if (unknown) refuse(unknown, `未知的提醒设置项：${unknown}`);
  const d = base;
  return checkReminderSettings({
    remindAt: overrides.remindAt ?? d.remindAt,
    morningAt: overrides.morningAt ?? d.morningAt,
    digestAt: overrides.digestAt ?? d.digestAt,
    quietHours: overrides.quietHours ? { from: overrides.quietHours.from, to: overrides.quietHours.to } : { ...d.quietHours },
    enabled: overrides.enabled ? [...overrides.enabled] : [...d.enabled],
  });
};

/** Whether a kind is switched on; settings stored before `enabled` existed have every kind on. */
export const isEnabled = (s: ReminderSettings, kind: NotificationSwitch): boolean => !Array.isArray(s.enabled) || s.enabled.includes(kind);

/** Field by field (stored settings come back with their keys in another order). */
export const sameReminderSettings = (a: ReminderSettings, b: ReminderSettings): boolean =>
  a.remindAt === b.remindAt &&
  a.morningAt === b.morningAt &&
  a.digestAt === b.digestAt &&
  a.quietHours.from === b.quietHours.from &&
  a.quietHours.to === b.quietHours.to &&
  (a.enabled ?? []).join(',') === (b.enabled ?? []).join(',');
