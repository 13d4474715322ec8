import { InvalidInputError, planSelfCheckTimers, type SelfCheckTimer, type SelfCheckTimerCommand, selfCheckStreamId, SYSTEM_ACTOR } from '@duban/domain';
import type { PropagationCommandResult, PropagationCommands } from './propagation-commands';

export interface SelfCheckTimerPlan {
  version: number;
  timers: SelfCheckTimer[];
  /** Attested, or at the ladder's last rung: no timer will be wanted again. */
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

  /**
   * A timer as planned: the deadline, or a rung of the ladder. A timer without its command is the deadline — the only
   * timer the workflows started before the ladder covered self-checks were ever given.
   */
  fire(
    propagationId: string,
    unitId: string,
    timer: { key: string; dueAt: string; command?: { type: string; data: Record<string, unknown> } },
    correlationId: string,
    at?: string,
  ): Promise<PropagationCommandResult> {
    const command = timerCommand(timer.command);
    return this.propagations.handle(
      command.type === 'EscalateSelfCheck'
        ? { type: 'EscalateSelfCheck', propagationId, unitId, data: { level: command.data.level } }
        : { type: 'MarkSelfCheckOverdue', propagationId, unitId, data: {} },
      SYSTEM_ACTOR,
      { idempotencyKey: `${selfCheckStreamId(propagationId, unitId)}:${timer.key}`, correlationId, at: at ?? timer.dueAt },
    );
  }
}

/** The command a timer carries across the workflow boundary (typed loosely there), checked back into its shape. */
const timerCommand = (c: { type: string; data: Record<string, unknown> } | undefined): SelfCheckTimerCommand => {
  if (!c || c.type === 'MarkSelfCheckOverdue') return { type: 'MarkSelfCheckOverdue', data: {} };
  if (c.type === 'EscalateSelfCheck' && (c.data?.level === 'interview' || c.data?.level === 'accountability')) {
    return { type: 'EscalateSelfCheck', data: { level: c.data.level } };
  }
  throw new InvalidInputError('UNKNOWN_TIMER', 'command', `未知自查计时器：${c.type}`);
};
