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
}

/** Just enough of an event to wake the workflow; the plan is re-read from the event store, the source of truth. */
export interface FindingEventSignal {
  version: number;
  type: string;
  at: string;
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
}

export interface FireTimerResult {
  /** Event types appended; empty when the consequence no longer applied or was already recorded. */
  appended: string[];
  version: number;
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
