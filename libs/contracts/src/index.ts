/**
 * Types and names shared by the worker and the Temporal workflows. Safe to bundle into workflow code:
 * nothing here may import a runtime library, and workflows import only types from here besides these constants.
 */
export const FINDING_TASK_QUEUE = 'duban-findings';

/** Workflows are keyed by the finding's stream id so that signalWithStart is idempotent per finding. */
export const findingWorkflowId = (findingId: string): string => `finding-${findingId}`;

/** The signal the forwarder sends for each event of the finding's stream. */
export const FINDING_EVENT_SIGNAL = 'findingEvent';
/** Query: what the workflow holds (for operators and tests). */
export const FINDING_TIMERS_QUERY = 'findingTimers';

export interface FindingWorkflowInput {
  findingId: string;
  /** Carried across continue-as-new: stream versions up to here were already seen. */
  seenVersion?: number;
  /** Continue-as-new at this history length even if the server does not suggest it (default 8,000). */
  historyLimit?: number;
  /** The plan the forwarder read when it started the run (signalWithStart): the first plan needs no activity. */
  plan?: FindingTimerPlan;
}

/**
 * Just enough of an event to wake the workflow. A forwarder with the write side at hand carries the plan it read from
 * the event store after the event (`plan.version` ≥ `version`), so the workflow needs no plan activity; a plan older
 * than the one the workflow holds is ignored. Without `plan` (signals recorded before it existed) the workflow asks
 * the event store itself.
 */
export interface FindingEventSignal {
  version: number;
  type: string;
  at: string;
  plan?: FindingTimerPlan;
}

export type FindingTimerKind =
  | 'dispatch_sla'
  | 'claim_sla'
  | 'daily_report'
  | 'deadline'
  | 'escalation'
  | 'verification_sla'
  | 'look_back';

export interface FindingTimer {
  /** Unique per consequence; the idempotency key of the system command the timer sends. */
  key: string;
  kind: FindingTimerKind;
  /** ISO instant, UTC. */
  dueAt: string;
  command: { type: string; data: Record<string, unknown> };
}

export interface FindingTimerPlan {
  /** The stream version the plan was made from. */
  version: number;
  status: string;
  timers: FindingTimer[];
  /** Nothing left to time: the workflow may end (a later event starts it again). */
  finished: boolean;
  /**
   * Nothing can ever be timed again (the finding is annulled, or its campaign is not there): the workflow
   * ends at once instead of lingering. Absent in plans recorded before it existed.
   */
  final?: boolean;
}

export interface FireTimerResult {
  /** Event types appended; empty when the consequence no longer applied or was already recorded. */
  appended: string[];
  version: number;
  /**
   * The finding's plan read after the firing (never stored with the command's result: a retried activity reads it
   * afresh), so the workflow needs no plan activity after each timer. Absent in results recorded before it existed.
   */
  plan?: FindingTimerPlan;
}

/** Activities the finding workflow calls; implemented in apps/worker as factories over injected services. */
export interface FindingActivities {
  planFindingTimers(findingId: string): Promise<FindingTimerPlan>;
  fireFindingTimer(findingId: string, timer: FindingTimer): Promise<FireTimerResult>;
}

export interface FindingWorkflowStatus {
  seenVersion: number;
  plan: FindingTimerPlan | null;
  fired: number;
}

// ---------- 举一反三: a self-check task's deadline ----------

/** One workflow per self-check task, keyed by the task's stream id (signalWithStart is idempotent per task). */
export const selfCheckWorkflowId = (propagationId: string, unitId: string): string => `selfcheck-${propagationId}-${unitId}`;
export const SELF_CHECK_EVENT_SIGNAL = 'selfCheckEvent';
export const SELF_CHECK_WORKFLOW_TYPE = 'selfCheckWorkflow';

export interface SelfCheckWorkflowInput {
  propagationId: string;
  unitId: string;
  /** Carried across runs: stream versions up to here were already seen. */
  seenVersion?: number;
}

export interface SelfCheckTimerPlan {
  version: number;
  timers: Array<{ key: string; dueAt: string; command: { type: string; data: Record<string, unknown> } }>;
  /** Attested, or at the ladder's last rung: nothing left to time. */
  finished: boolean;
}

/** Activities the self-check workflow calls; implemented in apps/worker over the write side's SelfCheckTimers. */
export interface SelfCheckActivities {
  planSelfCheckTimers(propagationId: string, unitId: string): Promise<SelfCheckTimerPlan>;
  /** The timer as planned (the deadline or a rung of the ladder); its command says which. */
  fireSelfCheckTimer(
    propagationId: string,
    unitId: string,
    timer: { key: string; dueAt: string; command?: { type: string; data: Record<string, unknown> } },
  ): Promise<FireTimerResult>;
}

// ---------- the cadence (日督查、日交办、周调度、月讲评) ----------

/** Cadence workflows run on the same task queue as the finding workflows: one worker, one bundle. */
export const CADENCE_TASK_QUEUE = FINDING_TASK_QUEUE;

export type CadenceName = 'daily_inspection' | 'daily_dispatch' | 'weekly_dispatch' | 'monthly_review' | 'report_cutoff';

/** One schedule per campaign and cadence; the id is stable so that creating it again finds the existing one. */
export const cadenceScheduleId = (campaignId: string, cadence: CadenceName): string => `duban-${campaignId}-${cadence}`;

/** The schedule's action: the same input every time; the run reads which day it is from its scheduled time. */
export interface CadenceWorkflowInput {
  campaignId: string;
  cadence: CadenceName;
}

export type CadencePlan =
  | {
      action: 'run';
      cadence: CadenceName;
      periodKey: string;
      periodStart: string;
      periodEnd: string;
      runDate: string;
      /** ISO instant the run happens at: the firing itself, or the first workday's cadence time when deferred. */
      runAt: string;
    }
  | { action: 'skip'; cadence: CadenceName; firedDate: string; reason: string };

export interface CadencePublishResult {
  /** The report's event type, and whether this run appended it (false: it was already published, and stays frozen). */
  eventType: string;
  appended: boolean;
  streamId: string;
}

export interface MissedInspectionResult {
  teams: number;
  /**
   * Teams the cutoff recorded as missing the day's report. Idempotent: a re-run of the day returns the first decision
   * (and appends nothing), so it reports the same number.
   */
  missed: number;
}

export interface MissedDailyReportsResult {
  /** Findings looked at (a superset of those owing the day's report). */
  findings: number;
  /** DailyReportMissed appended by this run (0 on a re-run). */
  missed: number;
}

export interface CadenceActivities {
  /** What a firing at `firedAt` does, decided on the campaign calendar. */
  planCadence(input: CadenceWorkflowInput & { firedAt: string }): Promise<CadencePlan>;
  /** Daily inspection cutoff: every active team without a report for `date` gets InspectionReportMissed. */
  recordMissedInspectionReports(input: { campaignId: string; date: string }): Promise<MissedInspectionResult>;
  /**
   * The daily report cutoff: the campaign's findings that may owe `date`'s progress report, in pages (the heartbeat
   * carries the cursor), each swept through FindingTimers under its timer's key. Idempotent: a re-run appends nothing.
   */
  sweepMissedDailyReports(input: { campaignId: string; date: string }): Promise<MissedDailyReportsResult>;
  /** Computes the period's report from the caught-up read models and publishes it once. */
  publishCadenceReport(input: { campaignId: string; plan: Extract<CadencePlan, { action: 'run' }> }): Promise<CadencePublishResult>;
}

export type CadenceWorkflowResult =
  | { status: 'skipped'; firedDate: string; reason: string }
  | { status: 'published'; periodKey: string; runDate: string; appended: boolean; eventType: string; missedInspectionReports?: number }
  | { status: 'swept'; runDate: string; findings: number; missedDailyReports: number };

/** The workflow type the schedules start (exported by the workflow bundle under this name). */
export const CADENCE_WORKFLOW_TYPE = 'cadenceWorkflow';

/**
 * The schedule action's workflow id; Temporal appends the scheduled time (`…-2026-12-01T01:00:00Z`), so every
 * firing is its own execution and two firings of one day never share an id.
 */
export const cadenceWorkflowId = (campaignId: string, cadence: CadenceName): string => `cadence-${campaignId}-${cadence}`;

/** Query: what a cadence run is doing (for operators and tests: a deferred run sleeps in 'waiting'). */
export const CADENCE_STATUS_QUERY = 'cadenceStatus';

export interface CadenceWorkflowStatus {
  /** The firing instant the run plans from (the schedule's scheduled time, else the start time). */
  firedAt: string;
  stage: 'planning' | 'waiting' | 'recording' | 'sweeping' | 'publishing' | 'done';
  plan: CadencePlan | null;
}
