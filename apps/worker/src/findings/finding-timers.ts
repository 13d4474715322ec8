import {
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
    if (state.status === 'Empty' || !ctx) return { version, status: state.status, timers: [], finished: true };
    return {
      version,
      status: state.status,
      timers: planTimers(state, ctx).map((t) => ({ ...t, command: { type: t.command.type, data: { ...t.command.data } } })),
      finished: timersFinished(state),
    };
  }

  /**
   * Idempotent twice over: the command's key is the timer's (so its event ids are deterministic and a retried
   * activity gets the first result), and decide appends nothing once the consequence is on record.
   */
  fire(findingId: string, timer: FindingTimer, correlationId: string): Promise<FireTimerResult> {
    const key = `${findingId}:${timer.key}`;
    return this.runner.run<FireTimerResult>(
      {
        commandType: timer.command.type,
        actor: SYSTEM_ACTOR,
        idempotencyKey: key,
        correlationId,
        at: timer.dueAt,
        body: { findingId, command: timer.command, dueAt: timer.dueAt },
      },
      async ({ now, toNewEvents }) => {
        const { state, version, ctx } = await this.load(findingId);
        const streamId = findingStreamId(findingId);
        const command = { ...timer.command, metadata: { now, actor: SYSTEM_ACTOR } } as FindingCommand;
        const events = state.status === 'Empty' || !ctx ? [] : findingDecider.decide(command, state, ctx);
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: (streams) => ({ appended: events.map((e) => e.type), version: streams[0]?.toVersion ?? version }),
        };
      },
      // A person acted on the finding meanwhile: decide again on the new state (the consequence may be gone).
      (err) => err instanceof StreamVersionConflict,
    );
  }

  private async load(findingId: string): Promise<{ state: FindingState; version: number; ctx: FindingContext | null }> {
    const { state, version } = await loadAggregate<FindingState, FindingEvent>(
      this.store,
      findingStreamId(findingId),
      findingDecider.evolve,
      findingDecider.initialState(),
    );
    if (state.status === 'Empty') return { state, version, ctx: null };
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
