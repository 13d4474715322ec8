import { Context } from '@temporalio/activity';
import type { FindingTimers } from '@duban/application';
import type { FindingActivities } from '@duban/contracts';

/** The finding workflow's activities: a thin adapter over the write side's FindingTimers (tests wire their own). */
export const createFindingActivities = (timers: FindingTimers): FindingActivities => ({
  planFindingTimers: (findingId) => timers.plan(findingId),
  fireFindingTimer: async (findingId, timer) => {
    const run = Context.current().info.workflowExecution;
    // Correlates the appended events with the workflow run that fired them, for operators reading both.
    const fired = await timers.fire(findingId, timer, `${run?.workflowId ?? 'finding'}/${run?.runId ?? '-'}/${timer.key}`);
    // The next plan rides on the result: one activity per timer instead of a fire and a plan.
    return { ...fired, plan: await timers.plan(findingId) };
  },
});
