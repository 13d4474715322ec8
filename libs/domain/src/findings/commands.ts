import type { Severity } from '../campaigns/policy';
import type { LocalDate } from '../shared/local-date';
import type { Command } from '../shared/messages';
import type { EvidenceFile } from './evidence';
import type { FindingSource } from './sources';

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
    /** References (the SHA-256 of uploaded files), never the files. */
    evidence: string[];
    /** Filled by the write side from the uploads behind `evidence`; never the caller's to give. */
    evidenceFiles?: EvidenceFile[];
    /** Set when a unit found it in its own 举一反三 self-check: the unit's official records it, for their own unit. */
    propagatedFrom?: PropagatedFrom;
  }
>;

/** The self-check a finding came from: the propagation, the unit that found it, and the origin finding (if any). */
export type PropagatedFrom = { propagationId: string; unitId: string; originFindingId: string | null };

/** Which file and row an imported finding came from: the file's SHA-256 (hex) and its 1-based sheet row. */
export type ImportedFrom = { sha256: string; row: number };

/**
 * Brings one row of a county's existing 问题清单 in. The importer (a supervisor or administrator of the county office)
 * signs that the row was transcribed from that file — never a step of the finding. An open row comes in recorded,
 * to be dispatched; a row the sheet already shows closed comes in as history with the sheet's dates.
 */
export type ImportFinding = Command<
  'ImportFinding',
  {
    findingId: string;
    campaignId: string;
    source: FindingSource;
    categoryCode: string;
    severity: Severity;
    townUnitId: string;
    village?: string;
    household?: string;
    description: string;
    importedFrom: ImportedFrom;
    /** The sheet's 责任单位 and 整改时限, as the sheet has them (a proposal for the dispatch, or the closed history). */
    sheetUnitId?: string;
    sheetDueDate?: LocalDate;
    /** Set when the sheet shows the finding closed (已完成/已销号): the date it was closed and the sheet's own words. */
    closed?: { closedOn: LocalDate; statusText: string };
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

export type ReportProgress = Command<
  'ReportProgress',
  { summary: string; percent?: number; evidence: string[]; evidenceFiles?: EvidenceFile[] }
>;

export type RequestExtension = Command<'RequestExtension', { workdays: number; reason: string }>;

export type GrantExtension = Command<'GrantExtension', { reason?: string }>;

export type RefuseExtension = Command<'RefuseExtension', { reason: string }>;

export type SubmitRectification = Command<
  'SubmitRectification',
  { summary: string; evidence: string[]; evidenceFiles?: EvidenceFile[] }
>;

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
  | ImportFinding
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
  ImportFinding: true,
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
