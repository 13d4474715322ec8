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

export type FindingCommand =
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

export type FindingEvent =
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

const COMMAND_TYPE_SET: Record<FindingCommandType, true> = {
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
  /** Signer of the latest RectificationSubmitted; the verifier must be someone else. */
  rectificationSignedBy: Actor | null;
  verifiedBy: Actor | null;
  closedAt: string | null;
  lastProgressWorkday: LocalDate | null;
  previousOwners: Actor[];
};

export type FindingState = { status: 'Empty' } | Finding;
