import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { EscalationLevel } from '../findings/events';
import { ESCALATION_LEVEL_LABELS } from '../findings/events';
import { compareLocalDates, type LocalDate, shanghaiInstant } from '../shared/local-date';
import { nextWorkday, previousWorkday, sendableAt } from './reminders';
import type { NoticeRouting } from './routing';
import { checkReminderSettings, isEnabled, type ReminderSettings } from './settings';

/**
 * 每日摘要: one message per unit per workday of a campaign, at the campaign's digest hour, saying what is new, due,
 * overdue and escalated for that unit — instead of a message per item. Pure: the caller passes the unit's findings
 * (their routing as the notifier folded it), the calendar, the settings and the instant.
 */

export const DIGEST_SECTIONS = ['new', 'due', 'overdue', 'escalated'] as const;
export type DigestSection = (typeof DIGEST_SECTIONS)[number];
export const DIGEST_SECTION_LABELS: Record<DigestSection, string> = { new: '新交办', due: '今日到期', overdue: '已逾期', escalated: '逾期升级' };

export type DigestItem = { findingId: string; noticeNo: string | null; dueDate: LocalDate | null; level?: EscalationLevel };

export type UnitDigest = {
  /** One per campaign, unit and workday: the digest is recorded under it once and sent once. */
  key: string;
  campaignId: string;
  unitId: string;
  workday: LocalDate;
  /** The digest instant of that workday, and the window whose news it carries: (since, at]. */
  at: string;
  since: string;
  sections: Record<DigestSection, DigestItem[]>;
  title: string;
};

export const digestKey = (campaignId: string, unitId: string, workday: LocalDate): string => `digest:${campaignId}:${unitId}:${workday}`;

/** The digest instant of a day, or null when the day is a rest day of the campaign (holidays; make-up days work). */
export const digestInstant = (calendar: WorkdayCalendar, date: LocalDate, settings: ReminderSettings): string | null =>
  calendar.isWorkday(date) ? shanghaiInstant(date, settings.digestAt) : null;

/**
 * The workday whose digest may go out at `now`: today, once its digest hour has come, outside the quiet hours, with
 * digests switched on. A digest never goes out on another day than its own: a worker away all day sends none for it,
 * and the next digest's window reaches back to the last one sent, so nothing new is left out.
 */
export const digestDayAt = (now: string, calendar: WorkdayCalendar, settings: ReminderSettings): LocalDate | null => {
  checkReminderSettings(settings);
  if (!isEnabled(settings, 'digest') || !sendableAt(now, calendar, settings)) return null;
  const today = calendar.localDateOf(now);
  const at = digestInstant(calendar, today, settings);
  return at !== null && Date.parse(at) <= Date.parse(now) ? today : null;
};

export type UnitDigestInput = {
  campaignId: string;
  unitId: string;
  workday: LocalDate;
  /** Every finding of the campaign the notifier routes; those with another unit are left out here. */
  findings: Array<{ findingId: string; routing: NoticeRouting }>;
  /** The instant of the last digest sent to this unit in this campaign; absent, the previous workday's digest hour. */
  lastDigestAt?: string | null;
};

const within = (instant: string | null | undefined, since: string, at: string): boolean =>
  !!instant && Date.parse(instant) > Date.parse(since) && Date.parse(instant) <= Date.parse(at);

/**
 * The unit's digest for a workday, or null when there is nothing to say (an empty digest every morning teaches
 * people to ignore it) or the day is not a workday. "Due" is a deadline from today up to the next workday (a deadline
 * on a rest day in between falls in today's digest); "overdue" is a deadline before today; neither while the fix waits
 * for the verifier. "New" and "escalated" are what happened since the last digest.
 */
export const planUnitDigest = (input: UnitDigestInput, calendar: WorkdayCalendar, settings: ReminderSettings): UnitDigest | null => {
  const { campaignId, unitId, workday } = input;
  const at = digestInstant(calendar, workday, checkReminderSettings(settings));
  if (at === null) return null;
  const since = input.lastDigestAt && Date.parse(input.lastDigestAt) < Date.parse(at) ? input.lastDigestAt : shanghaiInstant(previousWorkday(calendar, workday), settings.digestAt);
  const next = nextWorkday(calendar, workday);
  const sections: Record<DigestSection, DigestItem[]> = { new: [], due: [], overdue: [], escalated: [] };
  const mine = input.findings.filter((f) => f.routing.unitId === unitId).sort((a, b) => (a.findingId < b.findingId ? -1 : a.findingId > b.findingId ? 1 : 0));
  for (const { findingId, routing: r } of mine) {
    const item: DigestItem = { findingId, noticeNo: r.noticeNo ?? null, dueDate: r.dueDate };
    if (r.dueDate === null) continue; // closed or annulled
    if (within(r.arrivedAt, since, at)) sections.new.push(item);
    if (!r.awaitingVerification && compareLocalDates(r.dueDate, workday) >= 0 && compareLocalDates(r.dueDate, next) < 0) sections.due.push(item);
    if (!r.awaitingVerification && compareLocalDates(r.dueDate, workday) < 0) sections.overdue.push(item);
    if (r.escalation && within(r.escalation.at, since, at)) sections.escalated.push({ ...item, level: r.escalation.level });
  }
  if (DIGEST_SECTIONS.every((s) => sections[s].length === 0)) return null;
  return { key: digestKey(campaignId, unitId, workday), campaignId, unitId, workday, at, since, sections, title: digestTitle(workday, sections) };
};

export const digestTitle = (workday: LocalDate, sections: Record<DigestSection, DigestItem[]>): string =>
  `督办每日摘要（${workday}）：${DIGEST_SECTIONS.map((s) => `${DIGEST_SECTION_LABELS[s]} ${sections[s].length} 项`).join('，')}`;

/** The digest as a short text message (SMS / 政务 IM): the counts, then each item's notice number and date. */
export const digestText = (d: UnitDigest, maxItems = 5): string => {
  const lines = [d.title];
  for (const s of DIGEST_SECTIONS) {
    const items = d.sections[s];
    if (!items.length) continue;
    const shown = items.slice(0, maxItems).map((i) => `${i.noticeNo ?? i.findingId}${s === 'escalated' && i.level ? `（${ESCALATION_LEVEL_LABELS[i.level]}）` : i.dueDate ? `（期限 ${i.dueDate}）` : ''}`);
    lines.push(`${DIGEST_SECTION_LABELS[s]}：${shown.join('；')}${items.length > maxItems ? ` 等 ${items.length} 项` : ''}`);
  }
  return lines.join('\n');
};
