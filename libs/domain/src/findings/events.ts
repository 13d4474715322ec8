import type { Severity } from '../campaigns/policy';
import type { Actor } from '../shared/actor';
import type { LocalDate } from '../shared/local-date';
import type { DomainEvent, Signed } from '../shared/messages';
import type { EvidenceFile } from './evidence';
import type { ImportedFrom, PropagatedFrom } from './commands';
import type { FindingSource } from './sources';

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
    /** What each reference is (present since evidence files are uploaded). */
    evidenceFiles?: EvidenceFile[];
    /**
     * Present when the finding came from a county's existing 问题清单 (the file and row; the sheet's 责任单位 and
     * 整改时限 as a proposal for the dispatch). Absent on every finding recorded in Duban, and on all older events.
     */
    importedFrom?: ImportedFrom & { sheetUnitId: string | null; sheetDueDate: LocalDate | null };
    /** Present when a unit found it in a 举一反三 self-check (absent on every other finding and on older events). */
    propagatedFrom?: PropagatedFrom;
  } & Signed
>;

/**
 * A finding the county's 问题清单 already shows closed, brought in as history. Signed by the importer, who attests the
 * transcription only: nobody claimed, signed the fix or verified it in Duban, so no owner or verifier is named, the
 * sheet's dates are kept as the sheet's, and no timer runs for it.
 */
export type FindingImported = DomainEvent<
  'FindingImported',
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
    importedFrom: ImportedFrom;
    sourceState: 'closed';
    /** The sheet's 责任单位 (resolved to a unit) and 整改时限; null where the sheet leaves them empty. */
    unitId: string | null;
    dueDate: LocalDate | null;
    closedOn: LocalDate;
    /** The sheet's 整改情况, verbatim. */
    statusText: string;
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
    /** The official calendar version that computed dueDate; absent on events recorded before calendars were versioned. */
    calendarVersion?: number;
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
    evidenceFiles?: EvidenceFile[];
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
    /** The official calendar version that computed dueDate; absent on events recorded before calendars were versioned. */
    calendarVersion?: number;
    reason: string | null;
  } & Signed
>;

export type ExtensionRefused = DomainEvent<'ExtensionRefused', { workdays: number; reason: string } & Signed>;

export type RectificationSubmitted = DomainEvent<
  'RectificationSubmitted',
  { summary: string; evidence: string[]; evidenceFiles?: EvidenceFile[] } & Signed
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
    /** The official calendar version that computed dueDate; absent on events recorded before calendars were versioned. */
    calendarVersion?: number;
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
    /** The official calendar version that computed dueDate; absent on events recorded before calendars were versioned. */
    calendarVersion?: number;
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
    /** The official calendar version that computed nextDueDate; absent on events recorded before versions. */
    calendarVersion?: number;
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
  | FindingImported
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
  FindingImported: true,
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
