import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { FindingEventSignal, SelfCheckActivities, SelfCheckTimerPlan, SelfCheckWorkflowInput } from '@duban/contracts';
import { SELF_CHECK_EVENT_SIGNAL } from '@duban/contracts';

export const selfCheckEvent = defineSignal<[FindingEventSignal]>(SELF_CHECK_EVENT_SIGNAL);

const { planSelfCheckTimers, fireSelfCheckTimer } = proxyActivities<SelfCheckActivities>({
  startToCloseTimeout: '1 minute',
  // No attempt limit: the missing attestation must land even if the database is down for a while.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * One workflow per 举一反三 self-check task, as the finding workflow: it holds time and nothing else. Each event of the
 * task wakes it; it asks the event store what is due (the deadline, until the task is attested), sleeps until then and
 * fires MarkSelfCheckOverdue, decided on the stream as it is at that moment. A task has one timer and a short life, so
 * its history stays small: no continue-as-new.
 */
export async function selfCheckWorkflow(input: SelfCheckWorkflowInput): Promise<void> {
  const { propagationId, unitId } = input;
  let seenVersion = input.seenVersion ?? 0;
  let dirty = true;
  let plan: SelfCheckTimerPlan | null = null;

  setHandler(selfCheckEvent, (event) => {
    // The forwarder delivers at least once: versions seen are ignored.
    if (event.version <= seenVersion) return;
    seenVersion = event.version;
    dirty = true;
  });

  for (;;) {
    if (dirty) {
      dirty = false;
      plan = await planSelfCheckTimers(propagationId, unitId);
      seenVersion = Math.max(seenVersion, plan.version);
    }
    const next = plan!.timers[0];
    if (!next) {
      // Attested or recorded: a straggling signal starts a fresh run (signalWithStart), which plans nothing.
      if (plan!.finished) return;
      await condition(() => dirty);
      continue;
    }
    const wait = Date.parse(next.dueAt) - Date.now();
    if (wait > 0 && (await condition(() => dirty, wait))) continue;
    await fireSelfCheckTimer(propagationId, unitId, next);
    dirty = true;
  }
}
