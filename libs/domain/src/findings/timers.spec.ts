import { SYSTEM_ACTOR, type Actor } from '../shared/actor';
import { actors, sh, testContext, utc } from '../testing/fixtures';
import {
  decide,
  findingDecider,
  planTimers,
  timersFinished,
  wakesFindingTimers,
  type FindingCommand,
  type FindingCommandType,
  type FindingEvent,
  type FindingState,
} from './index';

const ctx = testContext();
const { inspector, supervisor, supervisor2, officialA, officialB } = actors;

type DataOf<T extends FindingCommandType> = Extract<FindingCommand, { type: T }>['data'];
const cmd = <T extends FindingCommandType>(type: T, data: DataOf<T>, actor: Actor, local: string): FindingCommand =>
  ({ type, data, metadata: { now: sh(local), actor } }) as FindingCommand;
const sys = <T extends FindingCommandType>(type: T, data: DataOf<T>, instantIso: string): FindingCommand =>
  ({ type, data, metadata: { now: instantIso, actor: SYSTEM_ACTOR } }) as FindingCommand;

/** Decides each command on the state so far, like the write path does; returns the log and the final state. */
class Life {
  state: FindingState = findingDecider.initialState();
  log: FindingEvent[] = [];
  do(c: FindingCommand): FindingEvent[] {
    const events = decide(c, this.state, ctx);
    this.log.push(...events);
    this.state = events.reduce(findingDecider.evolve, this.state);
    return events;
  }
  plan() {
    return planTimers(this.state, ctx);
  }
  /** Fires the earliest planned timer at its own instant, as the workflow does. */
  fireNext(): FindingEvent[] {
    const [next] = this.plan();
    if (!next) throw new Error('nothing planned');
    return this.do(sys(next.command.type, next.command.data as never, next.dueAt));
  }
}

const record = (at: string) =>
  cmd(
    'RecordFinding',
    {
      findingId: 'f1',
      campaignId: 'c1',
      source: 'household_inspection',
      categoryCode: '2.3',
      severity: 'red',
      townUnitId: 'town-a',
      description: '危房未改造',
      evidence: ['file-1'],
    },
    inspector,
    at,
  );

/** Dispatched Thursday 02-12 (red: 3 workdays → Fri 13, make-up Sat 14, Tue 24 after the Spring Festival). */
const claimedBeforeSpringFestival = (): Life => {
  const life = new Life();
  life.do(record('2026-02-12 09:00'));
  life.do(cmd('DispatchFinding', { unitId: 'town-a', noticeNo: 'n1' }, supervisor, '2026-02-12 10:00'));
  life.do(cmd('ClaimFinding', {}, officialA, '2026-02-13 10:00'));
  return life;
};

describe('finding timers', () => {
  describe('dispatch and claim SLAs', () => {
    it('a finding not dispatched by the end of the next workday is flagged against its recorder', () => {
      const life = new Life();
      life.do(record('2026-10-09 16:00')); // Friday; Saturday 10-10 is a make-up workday
      expect(life.plan()).toEqual([
        expect.objectContaining({ kind: 'dispatch_sla', dueAt: utc('2026-10-11 00:00'), command: { type: 'MarkDispatchOverdue', data: {} } }),
      ]);
      // Early: nothing, whatever the workflow believes.
      expect(life.do(sys('MarkDispatchOverdue', {}, utc('2026-10-10 23:59')))).toEqual([]);
      const [e] = life.fireNext();
      expect(e).toMatchObject({
        type: 'DispatchOverdue',
        data: {
          dueAt: utc('2026-10-11 00:00'),
          accountable: { person: inspector, unitId: 'team-1', step: 'FindingRecorded', stepSignedAt: utc('2026-10-09 16:00') },
          signedBy: SYSTEM_ACTOR,
          at: utc('2026-10-11 00:00'),
        },
      });
      expect(life.plan()).toEqual([]);
      // A retried timer appends nothing the second time.
      expect(life.do(sys('MarkDispatchOverdue', {}, utc('2026-10-11 00:00')))).toEqual([]);
    });

    it('an unclaimed dispatch is the unit\'s: no person has signed for it yet', () => {
      const life = new Life();
      life.do(record('2026-10-12 09:00'));
      life.do(cmd('DispatchFinding', { unitId: 'town-a', noticeNo: 'n1', deadlineWorkdays: 5 }, supervisor, '2026-10-12 10:00'));
      expect(life.plan().map((t) => [t.kind, t.dueAt])).toEqual([
        ['claim_sla', utc('2026-10-14 00:00')],
        ['deadline', utc('2026-10-20 00:00')],
      ]);
      const [e] = life.fireNext();
      expect(e).toMatchObject({
        type: 'ClaimOverdue',
        data: { unitId: 'town-a', accountable: { person: null, unitId: 'town-a', step: 'FindingDispatched' } },
      });
      life.do(cmd('ClaimFinding', {}, officialA, '2026-10-14 09:00'));
      expect(life.plan().map((t) => t.kind)).toEqual(['daily_report', 'deadline']);
    });
  });

  describe('a finding claimed on the Friday before the Spring Festival', () => {
    it('owes a report on the make-up Saturday, none during the holiday, and the next on the first workday after', () => {
      const life = claimedBeforeSpringFestival();
      expect(life.state).toMatchObject({ dueDate: '2026-02-24' });
      expect(life.plan().map((t) => [t.kind, t.dueAt])).toEqual([
        ['daily_report', utc('2026-02-14 17:30')],
        ['deadline', utc('2026-02-25 00:00')],
      ]);
      const [missed] = life.fireNext();
      expect(missed).toMatchObject({
        type: 'DailyReportMissed',
        data: {
          workday: '2026-02-14',
          cutoffAt: utc('2026-02-14 17:30'),
          accountable: { person: officialA, unitId: 'town-a', step: 'FindingClaimed', stepSignedAt: utc('2026-02-13 10:00') },
        },
      });
      expect(life.plan()[0]).toMatchObject({ key: 'daily-report:2026-02-24', dueAt: utc('2026-02-24 17:30') });
    });

    it('a report filed before the cutoff settles the day: the timer for it appends nothing', () => {
      const life = claimedBeforeSpringFestival();
      life.do(cmd('ReportProgress', { summary: '已拆除危房', evidence: [] }, officialA, '2026-02-14 11:00'));
      expect(life.do(sys('RecordMissedDailyReport', { workday: '2026-02-14' }, utc('2026-02-14 17:30')))).toEqual([]);
      expect(life.plan()[0]).toMatchObject({ kind: 'daily_report', dueAt: utc('2026-02-24 17:30') });
    });
  });

  describe('the escalation ladder', () => {
    const overdue = (): Life => {
      const life = claimedBeforeSpringFestival();
      life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-02-14 11:00'));
      life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-02-24 11:00'));
      const events = life.fireNext(); // the deadline comes before the 02-25 report cutoff
      expect(events.map((e) => e.type)).toEqual(['FindingOverdue', 'FindingEscalated']);
      return life;
    };

    it('overdue at 24:00 of the due date: notice at once, interview after 3 more workdays, accountability after 5 more', () => {
      const life = overdue();
      const [notice] = life.log.slice(-1);
      expect(notice).toMatchObject({
        type: 'FindingEscalated',
        data: {
          level: 'notice',
          dueDate: '2026-02-24',
          accountable: { person: officialA, step: 'FindingClaimed' },
          nextLevel: 'interview',
          nextDueDate: '2026-02-27',
          nextDueAt: utc('2026-02-28 00:00'),
          at: utc('2026-02-25 00:00'),
        },
      });
      // Reports keep being owed while overdue; the daily ones come first.
      life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-02-25 11:00'));
      life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-02-26 11:00'));
      life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-02-27 11:00'));
      expect(life.plan().find((t) => t.kind === 'escalation')).toMatchObject({
        key: 'escalate:interview:1',
        dueAt: utc('2026-02-28 00:00'),
        command: { type: 'EscalateFinding', data: { level: 'interview' } },
      });
      const interview = life.do(sys('EscalateFinding', { level: 'interview' }, utc('2026-02-28 00:00')));
      // 5 workdays after Friday 02-27: the make-up Saturday 02-28, then 03-02 … 03-05.
      expect(interview[0]).toMatchObject({
        data: { level: 'interview', nextLevel: 'accountability', nextDueDate: '2026-03-05', nextDueAt: utc('2026-03-06 00:00') },
      });
      const referral = life.do(sys('EscalateFinding', { level: 'accountability' }, utc('2026-03-06 00:00')));
      expect(referral[0]).toMatchObject({ data: { level: 'accountability', nextLevel: null, nextDueAt: null } });
      expect(life.plan().map((t) => t.kind)).toEqual(['daily_report']);
      // A rung cannot be climbed twice or early.
      expect(life.do(sys('EscalateFinding', { level: 'accountability' }, utc('2026-03-07 00:00')))).toEqual([]);
    });

    it('the ladder proposes; a supervisor acknowledges the interview, and only once', () => {
      const life = overdue();
      life.do(sys('EscalateFinding', { level: 'interview' }, utc('2026-02-28 00:00')));
      expect(() => life.do(cmd('AcknowledgeEscalation', { level: 'interview' }, officialA, '2026-03-02 09:00'))).toThrow(
        expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }),
      );
      const [ack] = life.do(cmd('AcknowledgeEscalation', { level: 'interview', note: '3月3日约谈' }, supervisor, '2026-03-02 09:00'));
      expect(ack).toMatchObject({
        type: 'EscalationAcknowledged',
        data: { level: 'interview', dueDate: '2026-02-24', accountable: { person: officialA }, note: '3月3日约谈', signedBy: supervisor },
      });
      expect(() => life.do(cmd('AcknowledgeEscalation', { level: 'interview' }, supervisor, '2026-03-02 09:05'))).toThrow(
        expect.objectContaining({ kind: 'invalid_state', code: 'NO_ESCALATION_TO_ACKNOWLEDGE' }),
      );
      expect(() => life.do(cmd('AcknowledgeEscalation', { level: 'accountability' }, supervisor, '2026-03-02 09:05'))).toThrow(
        expect.objectContaining({ code: 'NO_ESCALATION_TO_ACKNOWLEDGE' }),
      );
    });

    it('a granted extension moves the deadline and cancels the pending ladder; what happened stays', () => {
      const life = overdue();
      life.do(cmd('RequestExtension', { workdays: 5, reason: '材料未到' }, officialA, '2026-02-25 09:00'));
      life.do(cmd('GrantExtension', {}, supervisor, '2026-02-25 10:00'));
      // 5 workdays after 02-24 include the make-up Saturday 02-28.
      expect(life.state).toMatchObject({ dueDate: '2026-03-02', overdue: null, deadlineSeq: 2 });
      const plan = life.plan();
      expect(plan.find((t) => t.kind === 'escalation')).toBeUndefined();
      expect(plan.find((t) => t.kind === 'deadline')).toMatchObject({ key: 'overdue:2', dueAt: utc('2026-03-03 00:00') });
      // The interview that was pending never comes.
      expect(life.do(sys('EscalateFinding', { level: 'interview' }, utc('2026-02-28 00:00')))).toEqual([]);
      expect(life.log.filter((e) => e.type === 'FindingEscalated')).toHaveLength(1);
    });

    it('steps that wake no workflow plan exactly the same; a progress report moves the report timer and wakes it', () => {
      const life = overdue();
      life.do(sys('EscalateFinding', { level: 'interview' }, utc('2026-02-28 00:00')));
      const quiet: FindingCommand[] = [
        cmd('SubmitRectificationPlan', { plan: '一户一策', measures: ['鉴定'] }, officialA, '2026-03-02 08:00'),
        cmd('RequestExtension', { workdays: 3, reason: '材料未到' }, officialA, '2026-03-02 08:30'),
        cmd('RefuseExtension', { reason: '理由不足' }, supervisor, '2026-03-02 08:40'),
        cmd('AcknowledgeEscalation', { level: 'interview' }, supervisor, '2026-03-02 09:00'),
      ];
      for (const c of quiet) {
        const before = life.plan();
        const [event] = life.do(c);
        expect(wakesFindingTimers(event.type)).toBe(false);
        expect(life.plan()).toEqual(before);
      }
      const before = life.plan();
      const [report] = life.do(cmd('ReportProgress', { summary: 's', evidence: [] }, officialA, '2026-03-02 11:00'));
      expect(wakesFindingTimers(report.type)).toBe(true);
      expect(life.plan()).not.toEqual(before);
      // Consequences the workflow fired itself are not sent back to it.
      expect(life.log.filter((e) => e.type === 'FindingEscalated').map((e) => wakesFindingTimers(e.type))).toEqual([false, false]);
    });

    it('the ladder waits while the work is with the verifier and resumes on rejection', () => {
      const life = overdue();
      life.do(cmd('SubmitRectification', { summary: 'done', evidence: ['e'] }, officialA, '2026-02-25 09:00'));
      expect(life.plan().map((t) => [t.kind, t.dueAt])).toEqual([['verification_sla', utc('2026-03-01 00:00')]]);
      expect(life.do(sys('EscalateFinding', { level: 'interview' }, utc('2026-02-28 00:00')))).toEqual([]);
      const [late] = life.fireNext();
      expect(late).toMatchObject({
        type: 'VerificationOverdue',
        data: { accountable: { person: supervisor, step: 'FindingDispatched' } },
      });
      life.do(cmd('RejectRectification', { reason: '不到位' }, supervisor2, '2026-03-02 10:00'));
      expect(life.plan().map((t) => [t.kind, t.dueAt])).toEqual([
        ['escalation', utc('2026-02-28 00:00')],
        ['daily_report', utc('2026-03-03 17:30')],
      ]);
    });
  });

  describe('reassignment', () => {
    it('moves future consequences to the new owner and leaves past ones on the old', () => {
      const life = claimedBeforeSpringFestival();
      const [missedByA] = life.fireNext();
      life.do(cmd('ReassignFinding', { toUnitId: 'dept-b', reason: '职责调整', noticeNo: 'n2' }, supervisor, '2026-02-24 09:00'));
      expect(life.plan().map((t) => t.kind)).toEqual(['claim_sla', 'deadline']);
      life.do(cmd('ClaimFinding', {}, officialB, '2026-02-24 10:00'));
      const [missedByB] = life.fireNext();
      expect(missedByA).toMatchObject({ data: { workday: '2026-02-14', accountable: { person: officialA, unitId: 'town-a' } } });
      expect(missedByB).toMatchObject({
        data: { workday: '2026-02-25', accountable: { person: officialB, unitId: 'dept-b', stepSignedAt: utc('2026-02-24 10:00') } },
      });
      // The old owner's deadline is gone with the old dispatch: the new one has its own identity.
      expect(life.plan().find((t) => t.kind === 'deadline')).toMatchObject({ key: 'overdue:2' });
    });
  });

  describe('closing and look-back', () => {
    it('closing cancels every timer but the look-back, 30 days on; after it the finding needs no clock', () => {
      const life = claimedBeforeSpringFestival();
      life.do(cmd('SubmitRectification', { summary: 'done', evidence: ['e'] }, officialA, '2026-02-14 09:00'));
      life.do(cmd('VerifyRectification', {}, supervisor, '2026-02-14 15:00'));
      expect(life.plan()).toEqual([
        expect.objectContaining({ kind: 'look_back', key: `look-back:${utc('2026-02-14 15:00')}`, dueAt: utc('2026-03-16 00:00') }),
      ]);
      expect(life.do(sys('RecordMissedDailyReport', { workday: '2026-02-24' }, utc('2026-02-24 17:30')))).toEqual([]);
      expect(life.do(sys('MarkFindingOverdue', {}, utc('2026-02-25 00:00')))).toEqual([]);
      expect(timersFinished(life.state)).toBe(false);
      const [due] = life.fireNext();
      expect(due).toMatchObject({ type: 'LookBackDue', data: { owner: officialA, verifiedBy: supervisor } });
      expect(life.plan()).toEqual([]);
      expect(timersFinished(life.state)).toBe(true);
      // The look-back reopens it: the clock starts again for the signer of the fix.
      life.do(cmd('ReopenFinding', { reason: '回头看发现反弹' }, supervisor2, '2026-03-16 10:00'));
      expect(timersFinished(life.state)).toBe(false);
      expect(life.plan().map((t) => t.kind)).toEqual(['daily_report', 'deadline']);
    });

    it('an annulled finding has no timers', () => {
      const life = new Life();
      life.do(record('2026-10-12 09:00'));
      life.do(cmd('AnnulFinding', { reason: '重复登记' }, supervisor, '2026-10-12 10:00'));
      expect(life.plan()).toEqual([]);
      expect(timersFinished(life.state)).toBe(true);
    });
  });

  describe('who may send a system command', () => {
    it('only the system; and the system signs nothing a person must sign', () => {
      const life = claimedBeforeSpringFestival();
      expect(() => life.do(cmd('RecordMissedDailyReport', { workday: '2026-02-14' }, supervisor, '2026-02-14 18:00'))).toThrow(
        expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }),
      );
      expect(() => life.do(sys('ReportProgress', { summary: 's', evidence: [] }, utc('2026-02-14 10:00')))).toThrow(
        expect.objectContaining({ kind: 'forbidden', rule: 'ROLE_REQUIRED' }),
      );
    });
  });
});
