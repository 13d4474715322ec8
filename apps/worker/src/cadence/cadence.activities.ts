import { Context } from '@temporalio/activity';
import type { CadenceActivities } from '@duban/contracts';
import type { CadenceService } from '@duban/application';

/** Correlates appended events with the workflow run that caused them, for operators reading both. */
const correlation = (step: string): string => {
  const run = Context.current().info.workflowExecution;
  return `${run?.workflowId ?? 'cadence'}/${run?.runId ?? '-'}/${step}`;
};

/** The cadence workflow's activities, over the injected cadence service (the worker wires it; tests wire their own). */
export const createCadenceActivities = (cadence: CadenceService): CadenceActivities => ({
  planCadence: (input) => cadence.plan(input),
  recordMissedInspectionReports: (input) => cadence.recordMissedInspectionReports(input, correlation('missed-inspection')),
  sweepMissedDailyReports: (input) => {
    const ctx = Context.current();
    // A retried attempt resumes after the last page the previous one finished (each page is idempotent anyway).
    const after = ctx.info.heartbeatDetails as string | undefined;
    return cadence.sweepMissedDailyReports(input, correlation('daily-report-cutoff'), { after, progress: (id) => ctx.heartbeat(id) });
  },
  publishCadenceReport: (input) => cadence.publish(input, correlation('publish')),
});
