import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
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

/** Creating a campaign: the same decide/append path as findings, used by the API and the seed command. */
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
      const { state, version } = await loadAggregate<CampaignState, CampaignEvent>(
        this.store,
        streamId,
        evolveCampaign,
        initialCampaignState(),
      );
      const events = decideCampaign({ type: 'CreateCampaign', data, metadata: { now, actor } }, state);
      return {
        appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
        result: (s) => ({ campaignId: data.campaignId, version: s[0].toVersion }),
      };
    });
  }
}
