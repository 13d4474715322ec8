import { planSelfCheckTimers, selfCheckStreamId, SYSTEM_ACTOR } from '@duban/domain';
import type { PropagationCommandResult, PropagationCommands } from './propagation-commands';

export interface SelfCheckTimerPlan {
  version: number;
  timers: Array<{ key: string; dueAt: string; command: { type: 'MarkSelfCheckOverdue'; data: Record<string, never> } }>;
  /** Attested or recorded overdue: no timer will be wanted again. */
  finished: boolean;
}

/**
 * A self-check task's deadline, as a finding's timers are: the plan is re-derived from the task's stream, and firing
 * sends the system command through PropagationCommands at the instant it was due, under a key that is the timer's
 * (a retried or late firing records the one fact once). What holds the time (a Temporal workflow per task, as for a
 * finding) calls these two; see the README's 举一反三 section for what is not wired yet.
 */
export class SelfCheckTimers {
  constructor(private readonly propagations: PropagationCommands) {}

  async plan(propagationId: string, unitId: string): Promise<SelfCheckTimerPlan> {
    const { state, version } = await this.propagations.loadTask(selfCheckStreamId(propagationId, unitId));
    const timers = planSelfCheckTimers(state);
    return { version, timers, finished: state.status !== 'Empty' && timers.length === 0 };
  }

  fire(propagationId: string, unitId: string, timer: { key: string; dueAt: string }, correlationId: string, at?: string): Promise<PropagationCommandResult> {
    return this.propagations.handle(
      { type: 'MarkSelfCheckOverdue', propagationId, unitId, data: {} },
      SYSTEM_ACTOR,
      { idempotencyKey: `${selfCheckStreamId(propagationId, unitId)}:${timer.key}`, correlationId, at: at ?? timer.dueAt },
    );
  }
}
