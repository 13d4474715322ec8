import { Context } from '@temporalio/activity';
import type { SelfCheckTimers } from '@duban/application';
import type { SelfCheckActivities } from '@duban/contracts';

/** The self-check workflow's activities: a thin adapter over the write side's SelfCheckTimers. */
export const createSelfCheckActivities = (timers: SelfCheckTimers): SelfCheckActivities => ({
  planSelfCheckTimers: (propagationId, unitId) => timers.plan(propagationId, unitId),
  fireSelfCheckTimer: async (propagationId, unitId, timer) => {
    const run = Context.current().info.workflowExecution;
    const result = await timers.fire(propagationId, unitId, timer, `${run?.workflowId ?? 'selfcheck'}/${run?.runId ?? '-'}/${timer.key}`);
    return { appended: result.events, version: result.version };
  },
});
