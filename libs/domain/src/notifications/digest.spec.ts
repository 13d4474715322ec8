import { WorkdayCalendar } from '../calendar/workday-calendar';
import type { FindingEvent } from '../findings/events';
import { actors, sh } from '../testing/fixtures';
import {
  DEFAULT_REMINDER_SETTINGS,
  digestDayAt,
  digestText,
  EMPTY_ROUTING,
  evolveRouting,
  planUnitDigest,
  resolveReminderSettings,
  type NoticeRouting,
  type UnitDigest,
} from './index';

/** The official 2026 calendar as shipped: 国庆 2026-10-01..07 off, 2026-10-10 (Saturday) a make-up workday. */
const cal = new WorkdayCalendar();
const settings = DEFAULT_REMINDER_SETTINGS;
const { supervisor, officialA } = actors;
const accountable = { person: officialA, unitId: 'town-a', step: 'FindingClaimed' as const, stepSignedAt: sh('2026-09-28 15:00') };

const dispatched = (unitId: string, noticeNo: string, dueDate: string, at: string): FindingEvent => ({
  type: 'FindingDispatched',
  data: { unitId, noticeNo, deadlineWorkdays: 3, dueDate, deadlineAt: sh(`${dueDate} 23:59`), cappedByPhaseEnd: false, note: null, signedBy: supervisor, at: sh(at) },
});
const escalated = (at: string): FindingEvent => ({
  type: 'FindingEscalated',
  data: { level: 'notice', dueDate: '2026-09-30', accountable, nextLevel: 'interview', nextDueDate: '2026-10-14', nextDueAt: sh('2026-10-15 00:00'), signedBy: supervisor, at: sh(at) },
});

/** Each finding's events; the routing at an instant folds those signed by then, as the notifier would have. */
const history: Record<string, FindingEvent[]> = {
  f1: [dispatched('town-a', '督〔2026〕1号', '2026-09-30', '2026-09-28 14:00'), escalated('2026-10-01 00:00')],
  f2: [dispatched('town-a', '督〔2026〕2号', '2026-10-09', '2026-09-30 10:00')],
  f3: [dispatched('town-a', '督〔2026〕3号', '2026-10-10', '2026-10-02 11:00')],
  other: [dispatched('town-b', '督〔2026〕4号', '2026-09-29', '2026-09-28 09:00')],
};
const routingAt = (instant: string) =>
  Object.entries(history).map(([findingId, events]) => ({
    findingId,
    routing: events.filter((e) => Date.parse(e.data.at) <= Date.parse(instant)).reduce<NoticeRouting>(evolveRouting, EMPTY_ROUTING),
  }));

const ids = (d: UnitDigest | null) => (d ? Object.fromEntries(Object.entries(d.sections).map(([s, items]) => [s, items.map((i) => i.findingId)])) : null);

describe('每日摘要: one digest per unit per workday, over the week of 国庆 2026 (official calendar)', () => {
  /** Given the unit's findings as they stood at 08:30 of a day, when its digest is planned, then it says: */
  const digestOf = (day: string, lastDigestAt?: string) =>
    planUnitDigest({ campaignId: 'c1', unitId: 'town-a', workday: day, findings: routingAt(sh(`${day} 08:30`)), lastDigestAt }, cal, settings);

  it('Monday 09-28 before anything was dispatched: no digest (nothing to say)', () => {
    expect(digestOf('2026-09-28')).toBeNull();
  });

  it('Tuesday 09-29: f1, dispatched the afternoon before, is new; another unit’s finding is not in it', () => {
    expect(ids(digestOf('2026-09-29'))).toEqual({ new: ['f1'], due: [], overdue: [], escalated: [] });
  });

  it('Wednesday 09-30, the last workday before the holiday: f1 is due today', () => {
    const d = digestOf('2026-09-30');
    expect(ids(d)).toEqual({ new: [], due: ['f1'], overdue: [], escalated: [] });
    expect(d).toMatchObject({ key: 'digest:c1:town-a:2026-09-30', at: new Date(sh('2026-09-30 08:30')).toISOString(), since: new Date(sh('2026-09-29 08:30')).toISOString() });
  });

  it('国庆 10-01 … 10-07: no digest on any day of the holiday, whatever happened', () => {
    for (let d = 1; d <= 7; d++) expect(digestOf(`2026-10-0${d}`)).toBeNull();
  });

  it('Thursday 10-08, the first workday after: everything since 09-30 08:30 — new f2 and f3, f1 overdue and escalated', () => {
    const d = digestOf('2026-10-08')!;
    expect(ids(d)).toEqual({ new: ['f2', 'f3'], due: [], overdue: ['f1'], escalated: ['f1'] });
    expect(d.since).toBe(new Date(sh('2026-09-30 08:30')).toISOString());
    expect(d.sections.escalated[0]).toMatchObject({ level: 'notice', noticeNo: '督〔2026〕1号' });
  });

  it('Friday 10-09: f2 due; Saturday 10-10, a make-up workday, gets a digest with f3 due; Sunday 10-11 none', () => {
    expect(ids(digestOf('2026-10-09'))).toEqual({ new: [], due: ['f2'], overdue: ['f1'], escalated: [] });
    expect(ids(digestOf('2026-10-10'))).toEqual({ new: [], due: ['f3'], overdue: ['f1', 'f2'], escalated: [] });
    expect(digestOf('2026-10-11')).toBeNull();
  });

  it('given no digest went out on 10-08 (the sender was away), the 10-09 digest reaches back to the last one sent', () => {
    const d = digestOf('2026-10-09', new Date(sh('2026-09-30 08:30')).toISOString());
    expect(ids(d)).toEqual({ new: ['f2', 'f3'], due: ['f2'], overdue: ['f1'], escalated: ['f1'] });
  });

  it('the text message names each item by its notice number, with its date or rung', () => {
    expect(digestText(digestOf('2026-10-08')!)).toBe(
      [
        '督办每日摘要（2026-10-08）：新交办 2 项，今日到期 0 项，已逾期 1 项，逾期升级 1 项',
        '新交办：督〔2026〕2号（期限 2026-10-09）；督〔2026〕3号（期限 2026-10-10）',
        '已逾期：督〔2026〕1号（期限 2026-09-30）',
        '逾期升级：督〔2026〕1号（通报）',
      ].join('\n'),
    );
  });

  it('a fix waiting for the verifier is neither due nor overdue; a closed finding is not in the digest', () => {
    const submitted: FindingEvent = { type: 'RectificationSubmitted', data: { summary: '已完成', evidence: [], signedBy: officialA, at: sh('2026-10-09 10:00') } };
    const closed: FindingEvent = { type: 'FindingClosed', data: { signedBy: supervisor, at: sh('2026-10-09 11:00') } } as FindingEvent;
    const findings = [
      { findingId: 'f2', routing: [...history.f2, submitted].reduce(evolveRouting, EMPTY_ROUTING) },
      { findingId: 'f1', routing: [...history.f1, closed].reduce(evolveRouting, EMPTY_ROUTING) },
    ];
    expect(planUnitDigest({ campaignId: 'c1', unitId: 'town-a', workday: '2026-10-10', findings }, cal, settings)).toBeNull();
  });
});

describe('when a digest may go out: its workday, its hour, never in the quiet hours', () => {
  it('on the make-up Saturday from 08:30 on, not before; on a holiday never', () => {
    expect(digestDayAt(sh('2026-10-10 08:29'), cal, settings)).toBeNull();
    expect(digestDayAt(sh('2026-10-10 08:30'), cal, settings)).toBe('2026-10-10');
    expect(digestDayAt(sh('2026-10-03 09:00'), cal, settings)).toBeNull();
    expect(digestDayAt(sh('2026-10-11 09:00'), cal, settings)).toBeNull();
  });

  it('a sender back late at night sends nothing until the next workday’s hour', () => {
    expect(digestDayAt(sh('2026-10-09 21:30'), cal, settings)).toBeNull();
    expect(digestDayAt(sh('2026-10-10 07:59'), cal, settings)).toBeNull();
  });

  it('a campaign’s own hour (10:00) and quiet hours (until 09:30) are kept; a campaign that switched digests off gets none', () => {
    const own = resolveReminderSettings({ digestAt: '10:00', remindAt: '10:00', morningAt: '09:30', quietHours: { from: '20:00', to: '09:30' } });
    expect(digestDayAt(sh('2026-10-09 09:45'), cal, own)).toBeNull();
    expect(digestDayAt(sh('2026-10-09 10:00'), cal, own)).toBe('2026-10-09');
    const off = resolveReminderSettings({ enabled: ['due_tomorrow', 'rung_tomorrow'] });
    expect(digestDayAt(sh('2026-10-09 10:00'), cal, off)).toBeNull();
  });

  it('a digest hour inside the quiet hours, an unknown switch or an unknown setting is refused, naming the field', () => {
    expect(() => resolveReminderSettings({ digestAt: '06:30' })).toThrow(expect.objectContaining({ field: 'digestAt', code: 'INVALID_REMINDER_SETTINGS' }));
    expect(() => resolveReminderSettings({ enabled: ['sms' as never] })).toThrow(expect.objectContaining({ field: 'enabled[0]' }));
    expect(() => resolveReminderSettings({ digestHour: '08:00' } as never)).toThrow(expect.objectContaining({ field: 'digestHour' }));
    expect(() => resolveReminderSettings({ quietHours: { from: '21:00', to: '21:00' } })).toThrow(expect.objectContaining({ field: 'quietHours' }));
  });
});
