import type { CommandRequest } from '@duban/event-store';
import type {
  Actor,
  CadenceReportCommand,
  CampaignCommand,
  FileInspectionReport,
  FindingCommand,
  LocalDate,
  OfficialCalendarCommand,
  RecordMissedInspectionReport,
} from '@duban/domain';

/**
 * The commands every entry point (HTTP, timers, cadence, bench, test drivers) sends to the write side, typed from the
 * domain's own unions: a misspelt command name or a missing field does not compile. Metadata (signer, clock) is not
 * part of a command here — the service adds it when it decides.
 */
type Sent<C extends { type: string; data: object }> = C extends unknown ? { type: C['type']; data: C['data'] } : never;

/** Notice numbers are the campaign's to issue (decideDispatch): a dispatch or reassignment never carries one. */
type Unnumbered<C> = C extends { type: 'DispatchFinding' | 'ReassignFinding'; data: infer D }
  ? { type: C['type']; data: Omit<D, 'noticeNo'> }
  : C;

/** One finding's command; `expectedVersion` is the client's optimistic check (absent: a lost race is decided again). */
export type FindingCommandRequest = Unnumbered<Sent<FindingCommand>> & { findingId: string; expectedVersion?: number };

/** 批量交办: recorded findings of one campaign to one unit under one notice, all or nothing. */
export interface DispatchFindings {
  type: 'DispatchFindings';
  findingIds: string[];
  data: { unitId: string; deadlineWorkdays?: number; note?: string };
}

/**
 * 导入问题清单: the accepted rows of one file into one campaign, all at once or nothing. Rows whose finding is already
 * in the store (the same file again, or the same finding in a re-saved file) are skipped, not refused.
 */
export interface ImportFindings {
  type: 'ImportFindings';
  campaignId: string;
  sha256: string;
  rows: Array<Extract<FindingCommand, { type: 'ImportFinding' }>['data']>;
}

/** A campaign's commands; the notice number is issued only with a dispatch (decideDispatch), never on its own. */
export type CampaignCommandRequest =
  | Sent<Extract<CampaignCommand, { type: 'CreateCampaign' }>>
  | (Sent<Extract<CampaignCommand, { type: 'PauseCampaign' | 'ResumeCampaign' | 'EndCampaign' }>> & { campaignId: string })
  | (Sent<Extract<CampaignCommand, { type: 'ChangeReminderSettings' }>> & { campaignId: string });

export type CampaignLifecycleCommandType = Extract<CampaignCommandRequest, { type: 'PauseCampaign' | 'ResumeCampaign' | 'EndCampaign' }>['type'];

/** 发布年度节假日安排 (admin): a year's notice, or a correction of it with a reason. */
export type OfficialCalendarCommandRequest = Sent<OfficialCalendarCommand>;

/** 日督查 commands on a (campaign, team, day) stream. */
export type InspectionCommandRequest =
  | {
      type: 'FileInspectionReport';
      /** Absent `teamId`: the signer's own unit; absent `date`: today in Asia/Shanghai when decided. */
      data: Omit<FileInspectionReport['data'], 'teamId' | 'date'> & { teamId?: string; date?: LocalDate };
    }
  | Sent<RecordMissedInspectionReport>;

/** 日报/通报, 日交办, 周调度, 月讲评: a period's report, its content and provenance computed from the read side. */
export type CadenceReportCommandRequest = Sent<CadenceReportCommand>;

/** Who asks is the signer (an argument of its own); this is how the request travels. */
export interface CommandMeta {
  idempotencyKey: string;
  correlationId: string;
  /**
   * The instant to decide at. Absent for people (the server's clock); a timer passes the instant it was due, so a
   * retried or late activity decides — and hashes — exactly the same facts.
   */
  at?: string;
  /**
   * A system command only: decide on the stream as it stood at this instant (the events decided at or before it),
   * appending after whatever came since. The daily cutoff sweep passes the cutoff, so a report filed after it but
   * before the sweep reaches the finding does not settle the day. Not part of the request: a timer firing the same
   * consequence under the same key without it is the same request.
   */
  asOf?: string;
  /** The client's capture time (offline capture sent later), kept in the events' metadata beside the server's time. */
  capturedAt?: string;
}

/**
 * The write path's request for a command: who signs, its key and correlation, the instant to decide at, and `body` —
 * what makes the request what it is (the same key with another body is refused).
 */
export const commandRequest = (commandType: string, signer: Actor, meta: CommandMeta, body: unknown): CommandRequest => ({
  commandType,
  actor: signer,
  idempotencyKey: meta.idempotencyKey,
  correlationId: meta.correlationId,
  at: meta.at,
  ...(meta.capturedAt ? { capturedAt: meta.capturedAt } : {}),
  body,
});
