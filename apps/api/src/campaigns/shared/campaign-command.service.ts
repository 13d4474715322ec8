import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  CampaignCommand,
  campaignStreamId,
  CampaignEvent,
  CampaignState,
  CreateCampaign,
  decideCampaign,
  evolveCampaign,
  initialCampaignState,
} from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandRunner } from '../../commands/command-runner';
import { loadAggregate } from '../../commands/load-aggregate';

export interface CampaignCommandResult {
  campaignId: string;
  version: number;
}

export interface CampaignLifecycleResult extends CampaignCommandResult {
  /** The event appended: CampaignPaused, CampaignResumed or CampaignEnded. */
  events: string[];
}

/** The lifecycle commands an administrator signs: 暂停、恢复、结束. */
export type CampaignLifecycleCommand = Extract<CampaignCommand, { type: 'PauseCampaign' | 'ResumeCampaign' | 'EndCampaign' }>['type'];

/** Campaign commands: the same decide/append path as findings, used by the API and the seed command. */
@Injectable()
export class CampaignCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  create(
    data: CreateCampaign['data'],
    actor: Actor,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<CampaignCommandResult> {
    const request = { commandType: 'CreateCampaign', actor, idempotencyKey, correlationId, body: data };
    return this.runner.run<CampaignCommandResult>(request, async ({ now, toNewEvents }) => {
      const streamId = campaignStreamId(data.campaignId);
      const { state, version } = await this.load(streamId);
      const events = decideCampaign({ type: 'CreateCampaign', data, metadata: { now, actor } }, state);
      return {
        appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
        result: (s) => ({ campaignId: data.campaignId, version: s[0].toVersion }),
      };
    });
  }

  /**
   * Pause, resume or end a campaign (admin). The decider refuses what the lifecycle does not allow (pausing a paused
   * campaign, anything after the end) as an invalid state, which the API answers with 409.
   */
  changeLifecycle(
    type: CampaignLifecycleCommand,
    campaignId: string,
    reason: string,
    actor: Actor,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<CampaignLifecycleResult> {
    const request = { commandType: type, actor, idempotencyKey, correlationId, body: { campaignId, reason } };
    return this.runner.run<CampaignLifecycleResult>(request, async ({ now, toNewEvents }) => {
      const streamId = campaignStreamId(campaignId);
      const { state, version } = await this.load(streamId);
      const events = decideCampaign({ type, data: { reason }, metadata: { now, actor } }, state);
      return {
        appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
        result: (s) => ({ campaignId, version: s[0].toVersion, events: events.map((e) => e.type) }),
      };
    });
  }

  private load(streamId: string): Promise<{ state: CampaignState; version: number }> {
    return loadAggregate<CampaignState, CampaignEvent>(this.store, streamId, evolveCampaign, initialCampaignState());
  }
}
