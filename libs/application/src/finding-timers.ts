import {
  findingDecider,
  type FindingEvent,
  type FindingState,
  findingStreamId,
  isSystemCommandType,
  planTimers,
  SYSTEM_ACTOR,
  timersFinished,
} from '@duban/domain';
import { type EventStore, loadAggregate } from '@duban/event-store';
import type { FindingTimerPlan, FireTimerResult } from '@duban/contracts';
import type { CampaignContexts } from './campaign-contexts';
import type { FindingCommandRequest } from './commands';
import type { FindingCommands, FindingOutcome } from './finding-commands';

/** A planned timer as the workflow hands it back: its key, its instant and the system command it fires. */
export interface FiredTimer {
  key: string;
  dueAt: string;
  command: { type: string; data: object };
}

/**
 * What the finding workflow asks of the write side: the timers its stream implies now, and firing one of them as a
 * system command through FindingCommands, the path people's commands take. Temporal holds only time; the plan is
 * always re-derived from the event store. The worker's activities and the test drivers both fire through here.
 */
export class FindingTimers {
  constructor(
    private readonly store: EventStore,
    private readonly findings: FindingCommands,
    private readonly campaigns: CampaignContexts,
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
    const ctx = await this.campaigns.context(state.campaignId);
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
  fire(findingId: string, timer: FiredTimer, correlationId: string): Promise<FireTimerResult> {
    return this.fireAt(findingId, timer, { correlationId }, (o): FireTimerResult => ({ appended: o.events.map((e) => e.type), version: o.version }));
  }

  /**
   * As `fire`, decided at `at` when given (a workflow that woke after the due instant, as a test driver plays it), with
   * the result shaped by the caller (stored as the command's first result, returned on every replay).
   */
  async fireAt<R>(
    findingId: string,
    timer: FiredTimer,
    meta: { correlationId: string; at?: string },
    result: (outcome: FindingOutcome) => R,
  ): Promise<R> {
    // The workflow hands the command back as plain data: only the system's own commands are a timer's to fire.
    if (!isSystemCommandType(timer.command.type)) throw new Error(`timer ${timer.key} names ${timer.command.type}, not a system command`);
    const command = { type: timer.command.type, data: timer.command.data, findingId } as FindingCommandRequest;
    return this.findings.run(
      command,
      SYSTEM_ACTOR,
      { idempotencyKey: `${findingId}:${timer.key}`, correlationId: meta.correlationId, at: meta.at ?? timer.dueAt },
      result,
    );
  }
}
