import {
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  FindingActivities,
  FindingEventSignal,
  FindingTimerPlan,
  FindingWorkflowInput,
  FindingWorkflowStatus,
} from '@duban/contracts';
import { FINDING_EVENT_SIGNAL, FINDING_TIMERS_QUERY } from '@duban/contracts';

export const findingEvent = defineSignal<[FindingEventSignal]>(FINDING_EVENT_SIGNAL);
export const findingTimers = defineQuery<FindingWorkflowStatus>(FINDING_TIMERS_QUERY);

const { planFindingTimers, fireFindingTimer } = proxyActivities<FindingActivities>({
  startToCloseTimeout: '1 minute',
  // No attempt limit: a consequence must land even if the database is down for a while.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Continue-as-new when the server suggests it, or at the latest at this many history events: a finding in
 * rectification for months adds a dozen events per workday, and a server that never suggests must not let it grow
 * towards the hard limit.
 */
const DEFAULT_HISTORY_LIMIT = 8_000;

/** A finished finding lingers this long before the run ends, so a straggling event reopens nothing by accident. */
const LINGER_AFTER_FINISHED_MS = 24 * 60 * 60 * 1000;

/**
 * Patch id of "end at once when the plan is final". Histories recorded before it lingered a day after an annulment;
 * they replay that way, new runs end at once (and record the marker).
 */
export const END_WHEN_FINAL_PATCH = 'end-when-final';

/**
 * Patch id of "the daily report cutoff is swept per campaign". Runs that recorded it leave `daily_report` timers to the
 * campaign's report cutoff schedule (one sweep at policy.progressCutoff instead of a timer per finding, the same
 * command and key); histories recorded before it, and runs that started before it, keep firing their own.
 */
export const DAILY_REPORTS_SWEPT_PATCH = 'daily-reports-swept';

/**
 * One workflow per finding (`finding-<id>`). It holds time and nothing else: each event wakes it with the plan the
 * forwarder read from the event store (or, for a signal without one, it asks: planFindingTimers), it sleeps until the
 * first timer, and fires the consequence as a system command (fireFindingTimer), which decides on the stream as it is
 * at that moment and hands back the plan after it. A moved deadline, a report filed in time or a closing simply
 * produce a different plan; the timer that was pending is dropped.
 *
 * Replay: what the workflow does depends only on what its history recorded (an input, a signal or an activity result
 * with or without a plan), so histories recorded before plans were carried replay through the activity path.
 */
export async function findingWorkflow(input: FindingWorkflowInput): Promise<void> {
  const { findingId } = input;
  let plan: FindingTimerPlan | null = input.plan ?? null;
  let seenVersion = Math.max(input.seenVersion ?? 0, plan?.version ?? 0);
  /** A signal without a plan came: the event store must be asked. */
  let dirty = !plan;
  /** A signal brought a newer plan: whatever the loop waits for is re-decided from it. */
  let woken = false;
  let fired = 0;
  // Decided once, at the run's first task: a run keeps one way of settling the daily report for its whole life.
  const swept = patched(DAILY_REPORTS_SWEPT_PATCH);

  /** A plan read no earlier than the one held replaces it; stream versions only grow. */
  const adopt = (next: FindingTimerPlan): boolean => {
    if (plan && next.version < plan.version) return false;
    plan = next;
    return true;
  };

  setHandler(findingEvent, (event) => {
    if (event.plan) {
      // At least once, and possibly overtaken by a fresher plan (a fired timer's): only a newer plan counts.
      if (plan && event.plan.version <= plan.version) return;
      adopt(event.plan);
      if (event.plan.version >= seenVersion) {
        seenVersion = event.plan.version;
        dirty = false;
      }
      woken = true;
      return;
    }
    // The forwarder delivers at least once (it may crash between signal and checkpoint): versions seen are ignored.
    if (event.version <= seenVersion) return;
    seenVersion = event.version;
    dirty = true;
  });
  setHandler(findingTimers, () => ({ seenVersion, plan, fired }));

  const changed = () => dirty || woken;
  for (;;) {
    woken = false;
    if (dirty) {
      dirty = false;
      adopt(await planFindingTimers(findingId));
      // The plan read the stream up to its version: signals for those versions bring nothing new.
      seenVersion = Math.max(seenVersion, plan!.version);
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= (input.historyLimit ?? DEFAULT_HISTORY_LIMIT)) {
      // Nothing is lost: the plan is re-read from the event store, and seenVersion keeps redeliveries ignored.
      await continueAsNew<typeof findingWorkflow>({ findingId, seenVersion, historyLimit: input.historyLimit });
    }
    const next = swept ? plan!.timers.find((t) => t.kind !== 'daily_report') : plan!.timers[0];
    if (!next) {
      // An annulled finding (or one whose campaign is gone) can never owe anything again: no reason to
      // linger for stragglers, whose signalWithStart would start a fresh run anyway.
      if (plan!.final && patched(END_WHEN_FINAL_PATCH)) return;
      if (plan!.finished) {
        if (await condition(changed, LINGER_AFTER_FINISHED_MS)) continue;
        return;
      }
      await condition(changed);
      continue;
    }
    const wait = Date.parse(next.dueAt) - Date.now();
    if (wait > 0 && (await condition(changed, wait))) continue;
    const result = await fireFindingTimer(findingId, next);
    fired++;
    if (result.plan) {
      adopt(result.plan);
      seenVersion = Math.max(seenVersion, result.plan.version);
    } else {
      dirty = true;
    }
  }
}
