import type { Severity } from '../campaigns/policy';
import type { Actor } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { FindingSource } from './sources';
import type { ImportedFrom, PropagatedFrom } from './commands';
import type { Accountable, EscalationLevel } from './events';

// ====================== state ======================

export const FINDING_STATUSES = [
  'Recorded',
  'Dispatched',
  'InRectification',
  'AwaitingVerification',
  'Closed',
  'Annulled',
] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export const FINDING_STATUS_LABELS: Record<FindingStatus, string> = {
  Recorded: '已登记',
  Dispatched: '已交办',
  InRectification: '整改中',
  AwaitingVerification: '待验收',
  Closed: '已销号',
  Annulled: '已撤销',
};

export type PendingExtension = {
  workdays: number;
  reason: string;
  requestedBy: Actor;
  requestedAt: string;
};

export type Finding = {
  status: FindingStatus;
  findingId: string;
  campaignId: string;
  source: FindingSource;
  townUnitId: string;
  village: string | null;
  household: string | null;
  description: string;
  categoryCode: string;
  severity: Severity;
  recordedBy: Actor;
  recordedAt: string;
  /** The file and row of a county's 问题清单 this finding was imported from; null when recorded in Duban. */
  importedFrom: ImportedFrom | null;
  /** The 举一反三 self-check the unit found it in; null otherwise. */
  propagatedFrom: PropagatedFrom | null;
  /** True for a finding the sheet already showed closed: history, with no timers and no signed steps behind it. */
  importedClosed: boolean;
  /** Current responsible unit; null until dispatched. */
  unitId: string | null;
  /** Current owner: the unit official who claimed it; null until claimed and after reassignment. */
  owner: Actor | null;
  dispatchedBy: Actor | null;
  dispatchedAt: string | null;
  noticeNo: string | null;
  dueDate: LocalDate | null;
  deadlineAt: string | null;
  /** The official calendar version that computed dueDate; null when recorded before calendars were versioned. */
  calendarVersion: number | null;
  pendingExtension: PendingExtension | null;
  /** Signer of the submission awaiting (or accepted by) verification; null once rejected, reassigned or reopened. */
  rectificationSignedBy: Actor | null;
  verifiedBy: Actor | null;
  closedAt: string | null;
  lastProgressWorkday: LocalDate | null;
  previousOwners: Actor[];

  // ---- what the timers need; every field is set by an event, so a rebuild gives the same timers ----
  /** The owner's signed step (claim, or the reopen that handed it back) and when. */
  ownerStep: { step: 'FindingClaimed' | 'FindingReopened'; at: string } | null;
  /** Daily reports are due on workdays strictly after this date while in rectification. */
  reportsRequiredAfter: LocalDate | null;
  lastMissedReportWorkday: LocalDate | null;
  /** Bumped by every event that sets a deadline, so each deadline's consequences have their own identity. */
  deadlineSeq: number;
  dispatchOverdueFlagged: boolean;
  /** dispatchedAt of the dispatch whose claim SLA has been flagged. */
  claimOverdueFlaggedFor: string | null;
  rectificationSubmittedAt: string | null;
  verificationOverdueFlaggedFor: string | null;
  lookBackDueFor: string | null;
  /** The ladder for the current deadline; null until it passes, and again once the deadline moves. */
  overdue: {
    deadlineSeq: number;
    dueDate: LocalDate;
    level: EscalationLevel;
    nextLevel: EscalationLevel | null;
    nextDueDate: LocalDate | null;
    nextDueAt: string | null;
  } | null;
  /** How the current unit got it: the first dispatch or a reassignment (the step an unclaimed consequence rests on). */
  dispatchedVia: 'FindingDispatched' | 'FindingReassigned' | null;
  /** Interviews and referrals proposed and not yet acknowledged by a supervisor. */
  unacknowledgedEscalations: Array<{ level: 'interview' | 'accountability'; dueDate: LocalDate; accountable: Accountable }>;
};

export type FindingState = { status: 'Empty' } | Finding;
