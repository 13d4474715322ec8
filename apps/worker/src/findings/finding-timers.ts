import {
  type Actor,
  calendarFor,
  CampaignEvent,
  CampaignState,
  campaignStreamId,
  evolveCampaign,
  findingDecider,
  FindingCommand,
  FindingContext,
  FindingEvent,
  FindingState,
  findingStreamId,
  initialCampaignState,
  planTimers,
  SYSTEM_ACTOR,
  timersFinished,
} from '@duban/domain';
import { CommandRunner, EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { FindingTimer, FindingTimerPlan, FireTimerResult } from '@duban/contracts';

/**
 * What the finding workflow asks of the write side: the timers its stream implies now, and firing one of them as a
 * system command through the same decide/append path people use. Temporal holds only time; the plan is always
 * re-derived from the event store.
 */
export class FindingTimerService {
  /**
   * A campaign's settings (phases, policy, calendar) are fixed by CampaignCreated; later events on its stream only
   * number dispatch notices. Folding that stream on every plan cost ~20× the finding's own read (bench 7), so the
   * settings are kept once read. A command that changes settings would have to bump this cache.
   */
  private readonly contexts = new Map<string, FindingContext>();

  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  async plan(findingId: string): Promise<FindingTimerPlan> {
    const { state, version, ctx } = await this.load(findingId);
    // A stream not there yet may be about to be (the forwarder's signal can overtake nothing, but a caller may start
    // the workflow first): it lingers. A finding whose campaign is gone can never be planned again.
    if (state.status === 'Empty') return { version, status: state.status, timers: [], finished: true };
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
   * activity gets the first result), and decide appends nothing once the consequence is on record.
   */
  fire(findingId: string, timer: FindingTimer, correlationId: string): Promise<FireTimerResult> {
    return this.decideAt(findingId, timer.command, SYSTEM_ACTOR, timer.dueAt, `${findingId}:${timer.key}`, correlationId);
  }

  /**
   * A finding command decided at a given instant through the shared write path: what a timer does when it fires,
   * and what the workflow tests do to act as a person at a chosen moment of Temporal's clock.
   */
  decideAt(
    findingId: string,
    command: { type: string; data: object },
    actor: Actor,
    at: string,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<FireTimerResult> {
    return this.runner.run<FireTimerResult>(
      { commandType: command.type, actor, idempotencyKey, correlationId, at, body: { findingId, command, dueAt: at } },
      async ({ now, toNewEvents }) => {
        const campaignOfNew = (command.data as { campaignId?: unknown }).campaignId;
        const { state, version, ctx } = await this.load(findingId, typeof campaignOfNew === 'string' ? campaignOfNew : null);
        const streamId = findingStreamId(findingId);
        const decided = { ...command, metadata: { now, actor } } as FindingCommand;
        // No campaign context: a timer for a finding that is not there (or lost its campaign) has nothing to establish.
        const events = ctx ? findingDecider.decide(decided, state, ctx) : [];
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: (streams) => ({ appended: events.map((e) => e.type), version: streams[0]?.toVersion ?? version }),
        };
      },
      // Someone acted on the finding meanwhile: decide again on the new state (a consequence may be gone).
      (err) => err instanceof StreamVersionConflict,
    );
  }

  private async load(
    findingId: string,
    campaignOfNew: string | null = null,
  ): Promise<{ state: FindingState; version: number; ctx: FindingContext | null }> {
    const { state, version } = await loadAggregate<FindingState, FindingEvent>(
      this.store,
      findingStreamId(findingId),
      findingDecider.evolve,
      findingDecider.initialState(),
    );
    if (state.status === 'Empty') return { state, version, ctx: campaignOfNew ? await this.context(campaignOfNew) : null };
    return { state, version, ctx: await this.context(state.campaignId) };
  }

  private async context(campaignId: string): Promise<FindingContext | null> {
    const known = this.contexts.get(campaignId);
    if (known) return known;
    const campaign = await loadAggregate<CampaignState, CampaignEvent>(
      this.store,
      campaignStreamId(campaignId),
      evolveCampaign,
      initialCampaignState(),
    );
    if (campaign.state.status !== 'Active') return null;
    const settings = campaign.state.settings;
    const ctx = { campaign: settings, calendar: calendarFor(settings) };
    this.contexts.set(campaignId, ctx);
    return ctx;
  }
}
