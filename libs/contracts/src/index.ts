/**
 * Types and names shared by the worker and the Temporal workflows. Safe to bundle into workflow code:
 * nothing here may import a runtime library.
 */
export const FINDING_TASK_QUEUE = 'duban-findings';

/** Workflows are keyed by the finding's stream id so that signalWithStart is idempotent per finding. */
export const findingWorkflowId = (findingId: string): string => `finding-${findingId}`;
