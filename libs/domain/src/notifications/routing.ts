import type { LocalDate } from '../shared/local-date';
import type { EscalationLevel, FindingEvent } from '../findings/events';

/**
 * What the notifier keeps of one finding to know who must hear what: the unit it is with, who owns it now, and the
 * dates reminders are planned from. Folded from the finding's events alone, so it can be rebuilt from the log.
 */
export type NoticeRouting = {
  unitId: string | null;
  ownerUserId: string | null;
  /** The deadline; kept while the work is with the verifier (a rejection resumes it), null once closed. */
  dueDate: LocalDate | null;
  /** The fix is submitted and waits for verification: nothing is owed by the owner meanwhile. */
  awaitingVerification?: boolean;
  /** Daily progress reports are owed while the finding is in rectification. */
  reportsOwed: boolean;
  /** The next rung of the escalation ladder and the date whose 24:00 it falls at. */
  nextRung: { level: EscalationLevel; dueDate: LocalDate } | null;
  /** When it reached its unit (dispatch, reassignment, reopen): the digest's "new". Absent in rows folded before. */
  arrivedAt?: string | null;
  /** The 督办通知书 it went out under, for the digest's lines. */
  noticeNo?: string | null;
  /** The last rung it climbed and when: the digest's "escalated". */
  escalation?: { level: EscalationLevel; at: string } | null;
};

export const EMPTY_ROUTING: NoticeRouting = Object.freeze({
  unitId: null,
  ownerUserId: null,
  dueDate: null,
  reportsOwed: false,
  nextRung: null,
}) as NoticeRouting;

/** The routing after one more event of the finding. */
export const evolveRouting = (r: NoticeRouting, e: FindingEvent): NoticeRouting => {
  switch (e.type) {
    case 'FindingDispatched':
      return { ...r, unitId: e.data.unitId, ownerUserId: null, dueDate: e.data.dueDate, reportsOwed: false, nextRung: null, arrivedAt: e.data.at, noticeNo: e.data.noticeNo, escalation: null };
    case 'FindingReassigned':
      return {
        ...r,
        unitId: e.data.toUnitId,
        ownerUserId: null,
        dueDate: e.data.dueDate,
        reportsOwed: false,
        nextRung: null,
        arrivedAt: e.data.at,
        noticeNo: e.data.noticeNo ?? r.noticeNo ?? null,
        escalation: null,
      };
    case 'FindingClaimed':
      return { ...r, unitId: e.data.unitId, ownerUserId: e.data.signedBy.userId, reportsOwed: true };
    case 'FindingReopened':
      return {
        ...r,
        unitId: e.data.owner.unitId,
        ownerUserId: e.data.owner.userId,
        dueDate: e.data.dueDate,
        reportsOwed: true,
        nextRung: null,
        arrivedAt: e.data.at,
        escalation: null,
      };
    case 'ExtensionGranted':
      // A moved deadline restarts the ladder from the new due date.
      return { ...r, dueDate: e.data.dueDate, nextRung: null };
    case 'FindingEscalated':
      return {
        ...r,
        nextRung: e.data.nextLevel && e.data.nextDueDate ? { level: e.data.nextLevel, dueDate: e.data.nextDueDate } : null,
        escalation: { level: e.data.level, at: e.data.at },
      };
    case 'RectificationSubmitted':
      // The ladder waits while the work is with the verifier.
      return { ...r, reportsOwed: false, nextRung: null, awaitingVerification: true };
    case 'RectificationRejected':
      return { ...r, reportsOwed: true, awaitingVerification: false };
    case 'FindingClosed':
    case 'FindingAnnulled':
      return { ...r, dueDate: null, reportsOwed: false, nextRung: null, awaitingVerification: false };
    case 'FindingRecorded':
    case 'FindingImported':
    case 'FindingAmended':
    case 'RectificationPlanSubmitted':
    case 'ProgressReported':
    case 'ExtensionRequested':
    case 'ExtensionRefused':
    case 'DispatchOverdue':
    case 'ClaimOverdue':
    case 'DailyReportMissed':
    case 'FindingOverdue':
    case 'EscalationAcknowledged':
    case 'VerificationOverdue':
    case 'LookBackDue':
      return r;
    default: {
      const unreachable: never = e;
      return unreachable;
    }
  }
};
