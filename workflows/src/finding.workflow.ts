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
 * One workflow per finding (`finding-<id>`). It holds time and nothing else: each event wakes it, it asks the
 * event store what is due next (planFindingTimers), sleeps until then, and fires the consequence as a system command
 * (fireFindingTimer), which decides on the stream as it is at that moment. A moved deadline, a report filed in time or
 * a closing simply produce a different plan; the timer that was pending is dropped.
 */
export async function findingWorkflow(input: FindingWorkflowInput): Promise<void> {
  const { findingId } = input;
  let seenVersion = input.seenVersion ?? 0;
  let dirty = true;
  let plan: FindingTimerPlan | null = null;
  let fired = 0;

  setHandler(findingEvent, (event) => {
    // The forwarder delivers at least once (it may crash between signal and checkpoint): versions seen are ignored.
    if (event.version <= seenVersion) return;
    seenVersion = event.version;
    dirty = true;
  });
  setHandler(findingTimers, () => ({ seenVersion, plan, fired }));

  for (;;) {
    if (dirty) {
      dirty = false;
      plan = await planFindingTimers(findingId);
      // The plan read the stream up to its version: signals for those versions bring nothing new.
      seenVersion = Math.max(seenVersion, plan.version);
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength >= (input.historyLimit ?? DEFAULT_HISTORY_LIMIT)) {
      // Nothing is lost: the plan is re-read from the event store, and seenVersion keeps redeliveries ignored.
      await continueAsNew<typeof findingWorkflow>({ findingId, seenVersion, historyLimit: input.historyLimit });
    }
    const next = plan!.timers[0];
    if (!next) {
      // An annulled finding (or one whose campaign is gone) can never owe anything again: no reason to
      // linger for stragglers, whose signalWithStart would start a fresh run anyway.
      if (plan!.final && patched(END_WHEN_FINAL_PATCH)) return;
      if (plan!.finished) {
        if (await condition(() => dirty, LINGER_AFTER_FINISHED_MS)) continue;
        return;
      }
      await condition(() => dirty);
      continue;
    }
    const wait = Date.parse(next.dueAt) - Date.now();
    if (wait > 0 && (await condition(() => dirty, wait))) continue;
    await fireFindingTimer(findingId, next);
    fired++;
    dirty = true;
  }
}
