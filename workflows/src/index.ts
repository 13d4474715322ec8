// The workflow bundle's entry point: every workflow type the worker registers.
export { findingWorkflow, findingEvent, findingTimers } from './finding.workflow';
export { cadenceWorkflow, cadenceStatus } from './cadence.workflow';
export { selfCheckWorkflow, selfCheckEvent } from './self-check.workflow';
