import { WorkdayCalendar } from '../calendar/workday-calendar';
import type { FindingEvent } from '../findings/events';
import { actors, sh } from '../testing/fixtures';
import {
  DEFAULT_REMINDER_SETTINGS,
  EMPTY_ROUTING,
  checkReminderSettings,
  decideReceipt,
  evolveReceipts,
  initialReceiptsState,
  dueReminders,
  evolveRouting,
  noticesFor,
  planReminders,
  previousWorkday,
  type NoticeRouting,
} from './index';

/** The official 2026 calendar as shipped: 国庆 2026-10-01..07 off, 2026-09-20 (Sun) and 2026-10-10 (Sat) worked. */
const cal = new WorkdayCalendar();
const { supervisor, officialA } = actors;
const settings = DEFAULT_REMINDER_SETTINGS;

const dispatched = (dueDate: string): FindingEvent => ({
  type: 'FindingDispatched',
  data: {
    unitId: 'town-a',
    noticeNo: '督交〔2026〕1号',
    deadlineWorkdays: 3,
    dueDate,
    deadlineAt: sh(`${dueDate} 23:59`),
    cappedByPhaseEnd: false,
    note: null,
    signedBy: supervisor,
    at: sh('2026-09-24 10:00'),
  },
});
const claimed: FindingEvent = { type: 'FindingClaimed', data: { unitId: 'town-a', signedBy: officialA, at: sh('2026-09-24 11:00') } };
const given = (...events: FindingEvent[]): NoticeRouting => events.reduce(evolveRouting, EMPTY_ROUTING);
const accountable = { person: officialA, unitId: 'town-a', step: 'FindingClaimed' as const, stepSignedAt: sh('2026-09-24 11:00') };

describe('who must hear what', () => {
  it('given nothing, when a finding is dispatched, then the unit’s officials hear of it with the due date', () => {
    const [notice] = noticesFor(dispatched('2026-09-29'), EMPTY_ROUTING);
    expect(notice).toEqual({ kind: 'dispatched', to: [{ kind: 'unit', unitId: 'town-a' }], title: expect.stringContaining('2026-09-29') });
  });

  it('given a dispatch, when the claim is overdue, then the unit hears (nobody in it has signed)', () => {
    const e: FindingEvent = {
      type: 'ClaimOverdue',
      data: { unitId: 'town-a', dispatchedAt: sh('2026-09-24 10:00'), dueAt: sh('2026-09-26 00:00'), accountable: { ...accountable, person: null, step: 'FindingDispatched' }, signedBy: supervisor, at: sh('2026-09-26 00:00') },
    };
    expect(noticesFor(e, given(dispatched('2026-09-29')))).toEqual([{ kind: 'claim_overdue', to: [{ kind: 'unit', unitId: 'town-a' }], title: expect.any(String) }]);
  });

  it('given a claimed finding, when it is escalated to an interview, then the owner and the unit hear', () => {
    const e: FindingEvent = {
      type: 'FindingEscalated',
      data: { level: 'interview', dueDate: '2026-09-29', accountable, nextLevel: 'accountability', nextDueDate: '2026-10-14', nextDueAt: sh('2026-10-15 00:00'), signedBy: supervisor, at: sh('2026-10-01 00:00') },
    };
    const [notice] = noticesFor(e, given(dispatched('2026-09-29'), claimed));
    expect(notice.to).toEqual([{ kind: 'person', userId: officialA.userId }, { kind: 'unit', unitId: 'town-a' }]);
    expect(notice.title).toContain('约谈');
  });

  it('given a claimed finding, when the fix is rejected, then its owner hears with the reason', () => {
    const e: FindingEvent = { type: 'RectificationRejected', data: { reason: '照片不清', signedBy: supervisor, at: sh('2026-09-28 10:00') } };
    expect(noticesFor(e, given(dispatched('2026-09-29'), claimed))).toEqual([
      { kind: 'rejected', to: [{ kind: 'person', userId: officialA.userId }], title: '整改被退回：照片不清' },
    ]);
  });

  it('when the owner takes a step themselves (a progress report), then nobody is told', () => {
    const e: FindingEvent = { type: 'ProgressReported', data: { workday: '2026-09-25', summary: '进行中', percent: 50, evidence: [], signedBy: officialA, at: sh('2026-09-25 10:00') } };
    expect(noticesFor(e, given(dispatched('2026-09-29'), claimed))).toEqual([]);
  });
});

describe('临近提醒 on the official 2026 calendar', () => {
  it('given a due date right after 国庆, then the reminder is on the last workday before the holiday, at the reminder hour', () => {
    const plan = planReminders('f1', given(dispatched('2026-10-08')), cal, settings, '2026-09-28');
    expect(plan).toEqual([
      expect.objectContaining({ kind: 'due_tomorrow', date: '2026-09-30', at: new Date(sh('2026-09-30 09:00')).toISOString(), to: [{ kind: 'unit', unitId: 'town-a' }] }),
    ]);
  });

  it('given a due date on a Monday after a make-up Saturday, then the reminder goes out on that Saturday (调休上班)', () => {
    const [r] = planReminders('f1', given(dispatched('2026-10-12')), cal, settings, '2026-10-09');
    expect(r.date).toBe('2026-10-10');
  });

  it('given a due date on Monday 2026-09-21, then the make-up Sunday before it is the workday before', () => {
    expect(previousWorkday(cal, '2026-09-21')).toBe('2026-09-20');
  });

  it('given a claimed finding, on a workday the owner is reminded of the progress report in the morning; on a holiday not at all', () => {
    const r = given(dispatched('2026-10-20'), claimed);
    const monday = planReminders('f1', r, cal, settings, '2026-09-28').filter((p) => p.kind === 'report_today');
    expect(monday).toEqual([expect.objectContaining({ date: '2026-09-28', at: new Date(sh('2026-09-28 08:30')).toISOString(), to: [{ kind: 'person', userId: officialA.userId }] })]);
    expect(planReminders('f1', r, cal, settings, '2026-10-02').filter((p) => p.kind === 'report_today')).toEqual([]);
  });

  it('given an escalation with a next rung after the holiday, then the day-before reminder is the last workday before it', () => {
    const escalated: FindingEvent = {
      type: 'FindingEscalated',
      data: { level: 'notice', dueDate: '2026-09-29', accountable, nextLevel: 'interview', nextDueDate: '2026-10-09', nextDueAt: sh('2026-10-10 00:00'), signedBy: supervisor, at: sh('2026-09-30 00:00') },
    };
    const plan = planReminders('f1', given(dispatched('2026-09-29'), claimed, escalated), cal, settings, '2026-09-30');
    expect(plan.find((p) => p.kind === 'rung_tomorrow')).toMatchObject({ date: '2026-10-08', key: 'f1:rung:interview:2026-10-09' });
  });

  it('given the work submitted, then no reminder is planned', () => {
    const submitted: FindingEvent = { type: 'RectificationSubmitted', data: { summary: '已完成', evidence: [], signedBy: officialA, at: sh('2026-09-25 10:00') } };
    expect(planReminders('f1', given(dispatched('2026-10-08'), claimed, submitted), cal, settings, '2026-09-28')).toEqual([]);
  });

  it('a plan made again gives the same keys (a reminder is sent once)', () => {
    const r = given(dispatched('2026-10-08'));
    expect(planReminders('f1', r, cal, settings, '2026-09-28').map((p) => p.key)).toEqual(planReminders('f1', r, cal, settings, '2026-09-29').map((p) => p.key));
  });
});

describe('never on rest days or in quiet hours', () => {
  const plan = planReminders('f1', given(dispatched('2026-10-08')), cal, settings, '2026-09-28');

  it('what is due goes out once its hour has come on its workday', () => {
    expect(dueReminders(plan, sh('2026-09-30 08:59'), cal, settings)).toEqual([]);
    expect(dueReminders(plan, sh('2026-09-30 09:00'), cal, settings)).toHaveLength(1);
  });

  it('a sender that comes back in the quiet hours, or only the next day, sends nothing stale', () => {
    expect(dueReminders(plan, sh('2026-09-30 21:30'), cal, settings)).toEqual([]);
    expect(dueReminders(plan, sh('2026-10-01 09:00'), cal, settings)).toEqual([]);
  });

  it('a reminder hour inside the quiet hours is refused, naming the field', () => {
    expect(() => checkReminderSettings({ ...settings, remindAt: '22:00' })).toThrow(expect.objectContaining({ field: 'remindAt' }));
    expect(() => checkReminderSettings({ ...settings, morningAt: '07:30' })).toThrow(expect.objectContaining({ field: 'morningAt' }));
  });
});

describe('已阅回执', () => {
  const read = (actor = officialA) =>
    ({
      type: 'RecordNoticeRead',
      data: { noticeId: 'n1', recipientUserId: officialA.userId, findingId: 'f1', about: 'evt-1', kind: 'dispatched', title: '新交办问题' },
      metadata: { now: sh('2026-09-24 10:05'), actor },
    }) as const;

  it('given no receipt, when the recipient opens the notice, then a receipt signed by them is recorded', () => {
    expect(decideReceipt(read(), initialReceiptsState())).toEqual([
      { type: 'NoticeRead', data: { noticeId: 'n1', findingId: 'f1', about: 'evt-1', kind: 'dispatched', title: '新交办问题', signedBy: officialA, at: sh('2026-09-24 10:05') } },
    ]);
  });

  it('given a receipt, when it is opened again, then nothing more is recorded', () => {
    const s = decideReceipt(read(), initialReceiptsState()).reduce(evolveReceipts, initialReceiptsState());
    expect(decideReceipt(read(), s)).toEqual([]);
  });

  it('when someone else tries to sign it read, then it is refused', () => {
    expect(() => decideReceipt(read(supervisor), initialReceiptsState())).toThrow(expect.objectContaining({ code: 'NOT_YOUR_NOTICE' }));
  });
});
