import type { WorkdayCalendar } from '../calendar/workday-calendar';
import type { CampaignSettings } from '../campaigns/campaign';
import type { Severity } from '../campaigns/policy';
import type { Actor } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import type { FindingSource } from './sources';

export const findingStreamId = (findingId: string): string => `finding-${findingId}`;

/** What decide needs besides the stream: the campaign's rules and its calendar (for deadlines). */
export type FindingContext = {
  campaign: CampaignSettings;
  calendar: WorkdayCalendar;
};

// ====================== commands ======================

export type RecordFinding = Command<
  'RecordFinding',
  {
    findingId: string;
    campaignId: string;
    source: FindingSource;
    /** Checklist item such as '1.3'; the caller checks it against the campaign's checklist. */
    categoryCode: string;
    severity: Severity;
    townUnitId: string;
    village?: string;
    household?: string;
    description: string;
    /** References (file ids, URLs), never the files. */
    evidence: string[];
  }
>;

export type AmendFinding = Command<
  'AmendFinding',
  { description?: string; categoryCode?: string; severity?: Severity; reason: string }
>;

export type AnnulFinding = Command<'AnnulFinding', { reason: string }>;

export type DispatchFinding = Command<
  'DispatchFinding',
  {
    unitId: string;
    /** Issued by the campaign aggregate (IssueDispatchNotice) and passed in. */
    noticeNo: string;
    /** Default: the campaign policy for the finding's severity. */
    deadlineWorkdays?: number;
    note?: string;
  }
>;

export type ClaimFinding = Command<'ClaimFinding', Record<string, never>>;

export type SubmitRectificationPlan = Command<
  'SubmitRectificationPlan',
  { plan: string; measures: string[]; plannedCompletionDate?: LocalDate }
>;

export type ReportProgress = Command<'ReportProgress', { summary: string; percent?: number; evidence: string[] }>;

export type RequestExtension = Command<'RequestExtension', { workdays: number; reason: string }>;

export type GrantExtension = Command<'GrantExtension', { reason?: string }>;

export type RefuseExtension = Command<'RefuseExtension', { reason: string }>;

export type SubmitRectification = Command<'SubmitRectification', { summary: string; evidence: string[] }>;

export type VerifyRectification = Command<'VerifyRectification', { note?: string }>;

export type RejectRectification = Command<'RejectRectification', { reason: string }>;

export type ReassignFinding = Command<
  'ReassignFinding',
  { toUnitId: string; reason: string; deadlineWorkdays?: number; noticeNo?: string }
>;

export type ReopenFinding = Command<'ReopenFinding', { reason: string; deadlineWorkdays?: number }>;

/** A supervisor signs that the interview (约谈) or accountability referral (问责) the ladder proposed goes ahead. */
export type AcknowledgeEscalation = Command<'AcknowledgeEscalation', { level: 'interview' | 'accountability'; note?: string }>;

// ---- system commands: sent by the finding's workflow when a timer fires; `metadata.now` is the timer's instant ----

export type MarkDispatchOverdue = Command<'MarkDispatchOverdue', Record<string, never>>;
export type MarkClaimOverdue = Command<'MarkClaimOverdue', Record<string, never>>;
export type RecordMissedDailyReport = Command<'RecordMissedDailyReport', { workday: LocalDate }>;
export type MarkFindingOverdue = Command<'MarkFindingOverdue', Record<string, never>>;
export type EscalateFinding = Command<'EscalateFinding', { level: 'interview' | 'accountability' }>;
export type MarkVerificationOverdue = Command<'MarkVerificationOverdue', Record<string, never>>;
export type MarkLookBackDue = Command<'MarkLookBackDue', Record<string, never>>;

export type FindingSystemCommand =
  | MarkDispatchOverdue
  | MarkClaimOverdue
  | RecordMissedDailyReport
  | MarkFindingOverdue
  | EscalateFinding
  | MarkVerificationOverdue
  | MarkLookBackDue;

export type FindingCommand =
  | FindingSystemCommand
  | AcknowledgeEscalation
  | RecordFinding
  | AmendFinding
  | AnnulFinding
  | DispatchFinding
  | ClaimFinding
  | SubmitRectificationPlan
  | ReportProgress
  | RequestExtension
  | GrantExtension
  | RefuseExtension
  | SubmitRectification
  | VerifyRectification
  | RejectRectification
  | ReassignFinding
  | ReopenFinding;

export type FindingCommandType = FindingCommand['type'];

// ====================== events ======================

export type FindingRecorded = DomainEvent<
  'FindingRecorded',
  {
    findingId: string;
    campaignId: string;
    source: FindingSource;
    categoryCode: string;
    severity: Severity;
    townUnitId: string;
    village: string | null;
    household: string | null;
    description: string;
    evidence: string[];
  } & Signed
>;

export type FindingChanges = { description?: string; categoryCode?: string; severity?: Severity };

export type FindingAmended = DomainEvent<
  'FindingAmended',
  {
    changes: FindingChanges;
    /** The replaced values, so the audit trail reads without replaying. */
    previous: FindingChanges;
    reason: string;
  } & Signed
>;

export type FindingAnnulled = DomainEvent<'FindingAnnulled', { reason: string } & Signed>;

export type FindingDispatched = DomainEvent<
  'FindingDispatched',
  {
    unitId: string;
    noticeNo: string;
    deadlineWorkdays: number;
    dueDate: LocalDate;
    deadlineAt: string;
    cappedByPhaseEnd: boolean;
    note: string | null;
  } & Signed
>;

export type FindingClaimed = DomainEvent<'FindingClaimed', { unitId: string } & Signed>;

export type RectificationPlanSubmitted = DomainEvent<
  'RectificationPlanSubmitted',
  { plan: string; measures: string[]; plannedCompletionDate: LocalDate | null } & Signed
>;

export type ProgressReported = DomainEvent<
  'ProgressReported',
  {
    /** Asia/Shanghai date of the report; the daily-report timer matches on it. */
    workday: LocalDate;
    summary: string;
    percent: number | null;
    evidence: string[];
  } & Signed
>;

export type ExtensionRequested = DomainEvent<
  'ExtensionRequested',
  { workdays: number; reason: string; currentDueDate: LocalDate } & Signed
>;

export type ExtensionGranted = DomainEvent<
  'ExtensionGranted',
  {
    workdays: number;
    previousDueDate: LocalDate;
    dueDate: LocalDate;
    deadlineAt: string;
    cappedByPhaseEnd: boolean;
    reason: string | null;
  } & Signed
>;

export type ExtensionRefused = DomainEvent<'ExtensionRefused', { workdays: number; reason: string } & Signed>;

export type RectificationSubmitted = DomainEvent<
  'RectificationSubmitted',
  { summary: string; evidence: string[] } & Signed
>;

export type FindingClosed = DomainEvent<'FindingClosed', { note: string | null } & Signed>;

export type RectificationRejected = DomainEvent<'RectificationRejected', { reason: string } & Signed>;

export type FindingReassigned = DomainEvent<
  'FindingReassigned',
  {
    fromUnitId: string;
    toUnitId: string;
    /** Kept so later consequences stay attributed to who held it then. */
    previousOwner: Actor | null;
    reason: string;
    noticeNo: string | null;
    deadlineWorkdays: number;
    dueDate: LocalDate;
    deadlineAt: string;
    cappedByPhaseEnd: boolean;
  } & Signed
>;

export type FindingReopened = DomainEvent<
  'FindingReopened',
  {
    reason: string;
    /** The signer of the fix gets it back: 谁整改谁签字谁清零. */
    owner: Actor;
    deadlineWorkdays: number;
    dueDate: LocalDate;
    deadlineAt: string;
    cappedByPhaseEnd: boolean;
  } & Signed
>;

// ---- consequences: established by a timer, each naming who answers for it ----

/** The signed steps a consequence can rest on (the ledger shows "the step they signed"). */
export type AccountableStep =
  | 'FindingRecorded'
  | 'FindingDispatched'
  | 'FindingReassigned'
  | 'FindingClaimed'
  | 'RectificationSubmitted'
  | 'FindingReopened';

export type Accountable = {
  /** The person whose signature holds this step; null while no one in the unit has signed (an unclaimed dispatch). */
  person: Actor | null;
  unitId: string;
  step: AccountableStep;
  stepSignedAt: string;
};

export const ESCALATION_LEVELS = ['notice', 'interview', 'accountability'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
export const ESCALATION_LEVEL_LABELS: Record<EscalationLevel, string> = {
  notice: '通报',
  interview: '约谈',
  accountability: '问责',
};

export type DispatchOverdue = DomainEvent<
  'DispatchOverdue',
  { recordedAt: string; dueAt: string; accountable: Accountable } & Signed
>;

export type ClaimOverdue = DomainEvent<
  'ClaimOverdue',
  { unitId: string; dispatchedAt: string; dueAt: string; accountable: Accountable } & Signed
>;

export type DailyReportMissed = DomainEvent<
  'DailyReportMissed',
  { workday: LocalDate; cutoffAt: string; accountable: Accountable } & Signed
>;

export type FindingOverdue = DomainEvent<
  'FindingOverdue',
  { dueDate: LocalDate; deadlineAt: string; accountable: Accountable } & Signed
>;

export type FindingEscalated = DomainEvent<
  'FindingEscalated',
  {
    level: EscalationLevel;
    dueDate: LocalDate;
    accountable: Accountable;
    /** The next rung and when it falls due, unless the deadline moves or the work is submitted first. */
    nextLevel: EscalationLevel | null;
    /** The date whose 24:00 the next rung falls at, and that instant. */
    nextDueDate: LocalDate | null;
    nextDueAt: string | null;
  } & Signed
>;

export type EscalationAcknowledged = DomainEvent<
  'EscalationAcknowledged',
  { level: 'interview' | 'accountability'; dueDate: LocalDate; accountable: Accountable; note: string | null } & Signed
>;

export type VerificationOverdue = DomainEvent<
  'VerificationOverdue',
  { submittedAt: string; dueAt: string; accountable: Accountable } & Signed
>;

export type LookBackDue = DomainEvent<
  'LookBackDue',
  { closedAt: string; owner: Actor | null; verifiedBy: Actor | null } & Signed
>;

export type FindingEvent =
  | DispatchOverdue
  | ClaimOverdue
  | DailyReportMissed
  | FindingOverdue
  | FindingEscalated
  | EscalationAcknowledged
  | VerificationOverdue
  | LookBackDue
  | FindingRecorded
  | FindingAmended
  | FindingAnnulled
  | FindingDispatched
  | FindingClaimed
  | RectificationPlanSubmitted
  | ProgressReported
  | ExtensionRequested
  | ExtensionGranted
  | ExtensionRefused
  | RectificationSubmitted
  | FindingClosed
  | RectificationRejected
  | FindingReassigned
  | FindingReopened;

export type FindingEventType = FindingEvent['type'];

// Written as a Record so adding an event type without listing it fails to compile.
const EVENT_TYPE_SET: Record<FindingEventType, true> = {
  DispatchOverdue: true,
  ClaimOverdue: true,
  DailyReportMissed: true,
  FindingOverdue: true,
  FindingEscalated: true,
  EscalationAcknowledged: true,
  VerificationOverdue: true,
  LookBackDue: true,
  FindingRecorded: true,
  FindingAmended: true,
  FindingAnnulled: true,
  FindingDispatched: true,
  FindingClaimed: true,
  RectificationPlanSubmitted: true,
  ProgressReported: true,
  ExtensionRequested: true,
  ExtensionGranted: true,
  ExtensionRefused: true,
  RectificationSubmitted: true,
  FindingClosed: true,
  RectificationRejected: true,
  FindingReassigned: true,
  FindingReopened: true,
};
export const FINDING_EVENT_TYPES = Object.keys(EVENT_TYPE_SET) as FindingEventType[];

export type FindingSystemEventType = Extract<
  FindingEventType,
  | 'DispatchOverdue'
  | 'ClaimOverdue'
  | 'DailyReportMissed'
  | 'FindingOverdue'
  | 'FindingEscalated'
  | 'VerificationOverdue'
  | 'LookBackDue'
>;
const SYSTEM_EVENT_TYPE_SET: Record<FindingSystemEventType, true> = {
  DispatchOverdue: true,
  ClaimOverdue: true,
  DailyReportMissed: true,
  FindingOverdue: true,
  FindingEscalated: true,
  VerificationOverdue: true,
  LookBackDue: true,
};
/** Facts a timer establishes; every other finding event is signed by a person. */
export const FINDING_SYSTEM_EVENT_TYPES = Object.keys(SYSTEM_EVENT_TYPE_SET) as FindingSystemEventType[];
export const isSystemEventType = (type: string): boolean => type in SYSTEM_EVENT_TYPE_SET;

const COMMAND_TYPE_SET: Record<FindingCommandType, true> = {
  AcknowledgeEscalation: true,
  MarkDispatchOverdue: true,
  MarkClaimOverdue: true,
  RecordMissedDailyReport: true,
  MarkFindingOverdue: true,
  EscalateFinding: true,
  MarkVerificationOverdue: true,
  MarkLookBackDue: true,
  RecordFinding: true,
  AmendFinding: true,
  AnnulFinding: true,
  DispatchFinding: true,
  ClaimFinding: true,
  SubmitRectificationPlan: true,
  ReportProgress: true,
  RequestExtension: true,
  GrantExtension: true,
  RefuseExtension: true,
  SubmitRectification: true,
  VerifyRectification: true,
  RejectRectification: true,
  ReassignFinding: true,
  ReopenFinding: true,
};
export const FINDING_COMMAND_TYPES = Object.keys(COMMAND_TYPE_SET) as FindingCommandType[];

const SYSTEM_COMMAND_TYPE_SET: Record<FindingSystemCommand['type'], true> = {
  MarkDispatchOverdue: true,
  MarkClaimOverdue: true,
  RecordMissedDailyReport: true,
  MarkFindingOverdue: true,
  EscalateFinding: true,
  MarkVerificationOverdue: true,
  MarkLookBackDue: true,
};
/** The commands a timer sends, signed by the system: the consequences of time, never a person's step. */
export const isSystemCommandType = (type: string): type is FindingSystemCommand['type'] =>
  Object.prototype.hasOwnProperty.call(SYSTEM_COMMAND_TYPE_SET, type);

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
  /** Current responsible unit; null until dispatched. */
  unitId: string | null;
  /** Current owner: the unit official who claimed it; null until claimed and after reassignment. */
  owner: Actor | null;
  dispatchedBy: Actor | null;
  dispatchedAt: string | null;
  noticeNo: string | null;
  dueDate: LocalDate | null;
  deadlineAt: string | null;
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
