import { defineQuery, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type {
  CadenceActivities,
  CadencePlan,
  CadenceWorkflowInput,
  CadenceWorkflowResult,
  CadenceWorkflowStatus,
} from '@duban/contracts';
import { CADENCE_STATUS_QUERY } from '@duban/contracts';

export const cadenceStatus = defineQuery<CadenceWorkflowStatus>(CADENCE_STATUS_QUERY);

/** Failures no retry can mend: the domain refused the command, or the key was reused with another body. */
const NON_RETRYABLE = ['InvalidInputError', 'InvalidStateError', 'ForbiddenError', 'NotFoundError', 'IdempotencyKeyReused'];

const { planCadence } = proxyActivities<CadenceActivities>({
  startToCloseTimeout: '30 seconds',
  // A schedule buffers its next firing behind a running one (BUFFER_ALL): a run must end eventually, so a database
  // that stays down this long fails the run rather than holding back every later day.
  scheduleToCloseTimeout: '2 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: NON_RETRYABLE },
});

const { sweepMissedDailyReports } = proxyActivities<CadenceActivities>({
  // A campaign of 20,000 findings sweeps in minutes; the heartbeat carries the page cursor, so a lost worker's attempt
  // is retried from the last page it finished.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: NON_RETRYABLE },
});

const { recordMissedInspectionReports, publishCadenceReport } = proxyActivities<CadenceActivities>({
  // Publishing first waits for the read models to catch up with the log.
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '2 minutes', nonRetryableErrorTypes: NON_RETRYABLE },
});

/** Set by the server on every run a Schedule starts: the firing time, also when the run is a late catch-up. */
const SCHEDULED_START_TIME = { name: 'TemporalScheduledStartTime', type: 'DATETIME' } as const;

/**
 * One firing of a campaign's cadence schedule (日督查、日交办、周调度、月讲评, or the daily report cutoff, which sweeps the
 * findings' missed progress reports instead of publishing). The schedule fires on every matching
 * calendar day; the campaign calendar decides what the firing does (planCadence): nothing on a rest day, or — for the
 * weekly and monthly cadences — a run on the first workday of the week or month, which this workflow sleeps until.
 * The daily inspection records the teams that missed the cutoff first, so the bulletin names them. Every effect goes
 * through the event store's write path with keys derived from the period, so a retry or a second firing of the same
 * period appends nothing.
 */
export async function cadenceWorkflow(input: CadenceWorkflowInput): Promise<CadenceWorkflowResult> {
  const { campaignId, cadence } = input;
  const info = workflowInfo();
  const firedAt = (info.typedSearchAttributes.get(SCHEDULED_START_TIME) ?? info.startTime).toISOString();
  let stage: CadenceWorkflowStatus['stage'] = 'planning';
  let plan: CadencePlan | null = null;
  setHandler(cadenceStatus, () => ({ firedAt, stage, plan }));

  plan = await planCadence({ campaignId, cadence, firedAt });
  if (plan.action === 'run') {
    const wait = Date.parse(plan.runAt) - Date.now();
    if (wait > 0) {
      stage = 'waiting';
      await sleep(wait);
      // Days may pass while the run waits for the first workday: a campaign paused or ended meanwhile skips it.
      stage = 'planning';
      plan = await planCadence({ campaignId, cadence, firedAt });
    }
  }
  if (plan.action === 'skip') {
    stage = 'done';
    return { status: 'skipped', firedDate: plan.firedDate, reason: plan.reason };
  }
  const run = plan;

  if (cadence === 'report_cutoff') {
    // The daily report cutoff publishes nothing: it records the findings' missed reports for the workday.
    stage = 'sweeping';
    const swept = await sweepMissedDailyReports({ campaignId, date: run.runDate });
    stage = 'done';
    return { status: 'swept', runDate: run.runDate, findings: swept.findings, missedDailyReports: swept.missed };
  }
  let missedInspectionReports: number | undefined;
  if (cadence === 'daily_inspection') {
    stage = 'recording';
    missedInspectionReports = (await recordMissedInspectionReports({ campaignId, date: run.runDate })).missed;
  }
  stage = 'publishing';
  const published = await publishCadenceReport({ campaignId, plan: run });
  stage = 'done';
  return {
    status: 'published',
    periodKey: run.periodKey,
    runDate: run.runDate,
    appended: published.appended,
    eventType: published.eventType,
    ...(missedInspectionReports === undefined ? {} : { missedInspectionReports }),
  };
}
