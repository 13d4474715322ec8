import {
  findingDecider,
  FindingEvent,
  FindingState,
  findingStreamId,
  isSystemCommandType,
  planTimers,
  SYSTEM_ACTOR,
  timersFinished,
} from '@duban/domain';
import type { FindingCommandRequest, WriteSide } from '@duban/application';
import { EventStore, loadAggregate } from '@duban/event-store';
import type { FindingTimer, FindingTimerPlan, FireTimerResult } from '@duban/contracts';

/**
 * What the finding workflow asks of the write side: the timers its stream implies now, and firing one of them as a
 * system command through FindingCommands, the path people's commands take. Temporal holds only time; the plan is
 * always re-derived from the event store.
 */
export class FindingTimerService {
  constructor(
    private readonly store: EventStore,
    private readonly write: Pick<WriteSide, 'findings' | 'campaignContexts'>,
  ) {}

  async plan(findingId: string): Promise<FindingTimerPlan> {
    const { state, version } = await loadAggregate<FindingState, FindingEvent>(
      this.store,
      findingStreamId(findingId),
      findingDecider.evolve,
      findingDecider.initialState(),
    );
    // A stream not there yet may be about to be (the forwarder's signal can overtake nothing, but a caller may start
    // the workflow first): it lingers. A finding whose campaign is gone can never be planned again.
    if (state.status === 'Empty') return { version, status: state.status, timers: [], finished: true };
    const ctx = await this.write.campaignContexts.context(state.campaignId);
    if (!ctx) return { version, status: state.status, timers: [], finished: true, final: true };
    return {
      version,
      status: state.status,
      timers: planTimers(state, ctx).map((t) => ({ ...t, command: { type: t.command.type, data: { ...t.command.data } } })),
      finished: timersFinished(state),
      // Annulment is terminal: no command applies to an annulled finding, so no event will ever want a timer again.
      final: state.status === 'Annulled',
    };
  }

  /**
   * Idempotent twice over: the command's key is the timer's (so its event ids are deterministic and a retried
   * activity gets the first result), and decide appends nothing once the consequence is on record. Decided at the
   * instant the timer was due, signed by the system.
   */
  fire(findingId: string, timer: FindingTimer, correlationId: string): Promise<FireTimerResult> {
    // The workflow hands the command back as plain data: only the system's own commands are a timer's to fire.
    if (!isSystemCommandType(timer.command.type)) throw new Error(`timer ${timer.key} names ${timer.command.type}, not a system command`);
    const command = { type: timer.command.type, data: timer.command.data, findingId } as FindingCommandRequest;
    return this.write.findings.run(
      command,
      SYSTEM_ACTOR,
      { idempotencyKey: `${findingId}:${timer.key}`, correlationId, at: timer.dueAt },
      (o): FireTimerResult => ({ appended: o.events.map((e) => e.type), version: o.version }),
    );
  }
}
