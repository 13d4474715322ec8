import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { CampaignPolicy } from '../campaigns/policy';
import { addDays, compareLocalDates, endOfShanghaiDay, shanghaiDateOf, type LocalDate } from '../shared/local-date';
import type { FindingEventType } from './events';
import type {
  Accountable,
  EscalationLevel,
  Finding,
  FindingContext,
  FindingEvent,
  FindingState,
  FindingSystemCommand,
} from './types';

/**
 * The finding's clock, as a pure function of its state: which consequence falls due next, when, and the system
 * command that establishes it. The workflow sleeps until `dueAt` and sends `command`; `decide` re-plans from the
 * stream at that moment, so a timer that no longer applies (the report came in, the deadline moved) appends nothing.
 *
 * Times follow DESIGN rule 4: "N workdays after t" ends at 24:00 of the Nth workday strictly after t's date. A rung of
 * the escalation ladder falls at 24:00 of a date and belongs to that date, so "interview after 3 more workdays" is
 * 24:00 of the 3rd workday after the due date: the owner gets three full workdays after the notice.
 */
export const TIMER_KINDS = [
  'dispatch_sla',
  'claim_sla',
  'daily_report',
  'deadline',
  'escalation',
  'verification_sla',
  'look_back',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

export type SystemCommandSpec = {
  [C in FindingSystemCommand as C['type']]: { type: C['type']; data: C['data'] };
}[FindingSystemCommand['type']];

export type PlannedTimer = {
  /** Unique per consequence of this finding; the idempotency key of the command it sends. */
  key: string;
  kind: TimerKind;
  dueAt: string;
  command: SystemCommandSpec;
};

/**
 * When a recorded finding becomes dispatch-overdue: 24:00 of the `dispatchWithinWorkdays`-th workday after it was
 * recorded. The finding's timer and the daily dispatch list (日交办) both ask this, so they flag the same findings.
 */
export const dispatchDueAt = (
  recordedAt: string,
  policy: Pick<CampaignPolicy, 'dispatchWithinWorkdays'>,
  calendar: WorkdayCalendar,
): string => calendar.addWorkdays(recordedAt, policy.dispatchWithinWorkdays).endsAt;

export const planTimers = (state: FindingState, ctx: FindingContext): PlannedTimer[] => {
  if (state.status === 'Empty') return [];
  const f = state;
  const { policy } = ctx.campaign;
  const cal = ctx.calendar;
  const timers: PlannedTimer[] = [];
  switch (f.status) {
    case 'Recorded':
      if (!f.dispatchOverdueFlagged) {
        timers.push({
          key: `dispatch-sla:${f.recordedAt}`,
          kind: 'dispatch_sla',
          dueAt: dispatchDueAt(f.recordedAt, policy, cal),
          command: { type: 'MarkDispatchOverdue', data: {} },
        });
      }
      break;
    case 'Dispatched':
      if (f.dispatchedAt && f.claimOverdueFlaggedFor !== f.dispatchedAt) {
        timers.push({
          key: `claim-sla:${f.dispatchedAt}`,
          kind: 'claim_sla',
          dueAt: cal.addWorkdays(f.dispatchedAt, policy.claimWithinWorkdays).endsAt,
          command: { type: 'MarkClaimOverdue', data: {} },
        });
      }
      pushDeadline(f, timers);
      break;
    case 'InRectification': {
      const workday = nextReportWorkday(f, ctx);
      if (workday) {
        timers.push({
          key: `daily-report:${workday}`,
          kind: 'daily_report',
          dueAt: cal.cutoffInstant(workday, policy.progressCutoff),
          command: { type: 'RecordMissedDailyReport', data: { workday } },
        });
      }
      pushDeadline(f, timers);
      break;
    }
    case 'AwaitingVerification':
      // The ladder waits while the work is with the verifier; a rejection resumes it.
      if (f.rectificationSubmittedAt && f.verificationOverdueFlaggedFor !== f.rectificationSubmittedAt) {
        timers.push({
          key: `verification-sla:${f.rectificationSubmittedAt}`,
          kind: 'verification_sla',
          dueAt: cal.addWorkdays(f.rectificationSubmittedAt, policy.verifyWithinWorkdays).endsAt,
          command: { type: 'MarkVerificationOverdue', data: {} },
        });
      }
      break;
    case 'Closed':
      // A finding the county's sheet already showed closed is history: no look-back is owed to anyone in Duban.
      if (f.importedClosed) break;
      if (f.closedAt && f.lookBackDueFor !== f.closedAt) {
        timers.push({
          key: `look-back:${f.closedAt}`,
          kind: 'look_back',
          // 00:00 of the Nth calendar day after the closing date.
          dueAt: endOfShanghaiDay(addDays(shanghaiDateOf(f.closedAt), policy.lookBackAfterDays - 1)),
          command: { type: 'MarkLookBackDue', data: {} },
        });
      }
      break;
    case 'Annulled':
      break;
    default: {
      const unreachable: never = f.status;
      void unreachable;
    }
  }
  return timers.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
};

/** Nothing left to time: the workflow may end. A reopen later starts it again. */
export const timersFinished = (state: FindingState): boolean =>
  state.status === 'Annulled' ||
  (state.status === 'Closed' && (state.importedClosed || state.lookBackDueFor === state.closedAt));

/**
 * Whether an event of this type must wake the finding's workflow: true when it can change what `planTimers` says, and
 * was signed by a person. A consequence a timer established is not sent back (the workflow that fired it re-plans by
 * itself), nor is closed history imported from a county's sheet (it has no timers). Steps that touch nothing
 * planTimers reads — a plan of measures, an extension asked for or refused, an acknowledged escalation — would only
 * cost a signal, a workflow task and a re-plan that comes out the same; `timers.spec.ts` checks that they plan the
 * same. Written as a Record so a new event type must be classified here to compile.
 */
const WAKES_FINDING_TIMERS: Record<FindingEventType, boolean> = {
  FindingRecorded: true,
  FindingImported: false,
  FindingAmended: true,
  FindingAnnulled: true,
  FindingDispatched: true,
  FindingClaimed: true,
  RectificationPlanSubmitted: false,
  ProgressReported: true,
  ExtensionRequested: false,
  ExtensionGranted: true,
  ExtensionRefused: false,
  RectificationSubmitted: true,
  FindingClosed: true,
  RectificationRejected: true,
  FindingReassigned: true,
  FindingReopened: true,
  EscalationAcknowledged: false,
  DispatchOverdue: false,
  ClaimOverdue: false,
  DailyReportMissed: false,
  FindingOverdue: false,
  FindingEscalated: false,
  VerificationOverdue: false,
  LookBackDue: false,
};

export const wakesFindingTimers = (type: string): boolean => WAKES_FINDING_TIMERS[type as FindingEventType] === true;

const pushDeadline = (f: Finding, timers: PlannedTimer[]): void => {
  if (!f.deadlineAt) return;
  if (!f.overdue || f.overdue.deadlineSeq !== f.deadlineSeq) {
    timers.push({
      key: `overdue:${f.deadlineSeq}`,
      kind: 'deadline',
      dueAt: f.deadlineAt,
      command: { type: 'MarkFindingOverdue', data: {} },
    });
    return;
  }
  const { nextLevel, nextDueAt } = f.overdue;
  if (nextLevel && nextLevel !== 'notice' && nextDueAt) {
    timers.push({
      key: `escalate:${nextLevel}:${f.deadlineSeq}`,
      kind: 'escalation',
      dueAt: nextDueAt,
      command: { type: 'EscalateFinding', data: { level: nextLevel } },
    });
  }
};

const maxDate = (...dates: Array<LocalDate | null>): LocalDate | null =>
  dates.reduce<LocalDate | null>((m, d) => (d && (!m || compareLocalDates(d, m) > 0) ? d : m), null);

/** The first workday after the last day already settled (claimed, reported, or recorded as missed). */
const nextReportWorkday = (f: Finding, ctx: FindingContext): LocalDate | null => {
  const after = maxDate(f.reportsRequiredAfter, f.lastProgressWorkday, f.lastMissedReportWorkday);
  return after ? ctx.calendar.addWorkdaysToDate(after, 1) : null;
};

/** Who answers for a consequence of the current rectification: the owner who signed, else the unit it was sent to. */
export const ownerAccountable = (f: Finding): Accountable =>
  f.owner && f.ownerStep
    ? { person: f.owner, unitId: f.unitId ?? f.owner.unitId, step: f.ownerStep.step, stepSignedAt: f.ownerStep.at }
    : {
        person: null,
        unitId: f.unitId ?? f.townUnitId,
        step: f.dispatchedVia ?? 'FindingDispatched',
        stepSignedAt: f.dispatchedAt ?? f.recordedAt,
      };

const LADDER: Record<EscalationLevel, EscalationLevel | null> = {
  notice: 'interview',
  interview: 'accountability',
  accountability: null,
};

/** Decides a system command: only the consequence the plan says is due, at or after its instant; else nothing. */
export const decideSystemCommand = (
  command: FindingSystemCommand,
  f: Finding,
  ctx: FindingContext,
  at: string,
): FindingEvent[] => {
  const due = planTimers(f, ctx).find((t) => sameCommand(t.command, command) && t.dueAt <= at);
  if (!due) return [];
  const signed = { signedBy: command.metadata.actor, at };
  const { policy } = ctx.campaign;
  const cal = ctx.calendar;
  switch (command.type) {
    case 'MarkDispatchOverdue':
      return [
        {
          type: 'DispatchOverdue',
          data: {
            recordedAt: f.recordedAt,
            dueAt: due.dueAt,
            accountable: { person: f.recordedBy, unitId: f.recordedBy.unitId, step: 'FindingRecorded', stepSignedAt: f.recordedAt },
            ...signed,
          },
        },
      ];
    case 'MarkClaimOverdue':
      return [
        {
          type: 'ClaimOverdue',
          data: { unitId: f.unitId!, dispatchedAt: f.dispatchedAt!, dueAt: due.dueAt, accountable: ownerAccountable(f), ...signed },
        },
      ];
    case 'RecordMissedDailyReport':
      return [
        {
          type: 'DailyReportMissed',
          data: { workday: command.data.workday, cutoffAt: due.dueAt, accountable: ownerAccountable(f), ...signed },
        },
      ];
    case 'MarkFindingOverdue': {
      const accountable = ownerAccountable(f);
      const dueDate = f.dueDate!;
      const nextDueDate = cal.addWorkdaysToDate(dueDate, policy.ladder.interviewAfterWorkdays);
      return [
        { type: 'FindingOverdue', data: { dueDate, deadlineAt: f.deadlineAt!, accountable, ...signed } },
        {
          type: 'FindingEscalated',
          data: {
            level: 'notice',
            dueDate,
            accountable,
            nextLevel: 'interview',
            nextDueDate,
            nextDueAt: cal.endOf(nextDueDate),
            calendarVersion: cal.version,
            ...signed,
          },
        },
      ];
    }
    case 'EscalateFinding': {
      const level = command.data.level;
      const next = LADDER[level];
      const levelDate = f.overdue!.nextDueDate!;
      const nextDueDate = next ? cal.addWorkdaysToDate(levelDate, policy.ladder.accountabilityAfterWorkdays) : null;
      return [
        {
          type: 'FindingEscalated',
          data: {
            level,
            dueDate: f.overdue!.dueDate,
            accountable: ownerAccountable(f),
            nextLevel: next,
            nextDueDate,
            nextDueAt: nextDueDate ? cal.endOf(nextDueDate) : null,
            calendarVersion: cal.version,
            ...signed,
          },
        },
      ];
    }
    case 'MarkVerificationOverdue': {
      // Verification is the supervision office's step; the supervisor who dispatched it answers for the wait.
      const by = f.dispatchedBy!;
      return [
        {
          type: 'VerificationOverdue',
          data: {
            submittedAt: f.rectificationSubmittedAt!,
            dueAt: due.dueAt,
            accountable: { person: by, unitId: by.unitId, step: f.dispatchedVia ?? 'FindingDispatched', stepSignedAt: f.dispatchedAt! },
            ...signed,
          },
        },
      ];
    }
    case 'MarkLookBackDue':
      return [
        { type: 'LookBackDue', data: { closedAt: f.closedAt!, owner: f.owner, verifiedBy: f.verifiedBy, ...signed } },
      ];
    default: {
      const unknownCommand: never = command;
      void unknownCommand;
      return [];
    }
  }
};

const sameCommand = (spec: SystemCommandSpec, command: FindingSystemCommand): boolean => {
  if (spec.type !== command.type) return false;
  if (spec.type === 'RecordMissedDailyReport') {
    return spec.data.workday === (command as Extract<FindingSystemCommand, { type: 'RecordMissedDailyReport' }>).data.workday;
  }
  if (spec.type === 'EscalateFinding') {
    return spec.data.level === (command as Extract<FindingSystemCommand, { type: 'EscalateFinding' }>).data.level;
  }
  return true;
};
