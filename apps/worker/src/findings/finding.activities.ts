import { Context } from '@temporalio/activity';
import type { FindingActivities } from '@duban/contracts';
import type { FindingTimerService } from './finding-timers';

/** The finding workflow's activities, over the injected timer service (the worker wires it; tests wire their own). */
export const createFindingActivities = (timers: FindingTimerService): FindingActivities => ({
  planFindingTimers: (findingId) => timers.plan(findingId),
  fireFindingTimer: (findingId, timer) => {
    const run = Context.current().info.workflowExecution;
    // Correlates the appended events with the workflow run that fired them, for operators reading both.
    return timers.fire(findingId, timer, `${run?.workflowId ?? 'finding'}/${run?.runId ?? '-'}/${timer.key}`);
  },
});
