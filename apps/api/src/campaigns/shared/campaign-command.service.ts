import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import {
  Actor,
  campaignStreamId,
  CampaignEvent,
  CreateCampaign,
  decideCampaign,
  evolveCampaign,
  initialCampaignState,
} from '@duban/domain';
import { canonicalize, EVENT_STORE, EventStore, IdempotencyKeyReused, sha256Hex } from '@duban/event-store';
import { CLOCK, Clock } from '../../database/database.module';

const EVENT_ID_NAMESPACE = 'c2b7e0a4-1f3d-4e8b-9a56-0d4c3b2a1f90';

export interface CampaignCommandResult {
  campaignId: string;
  version: number;
}

/** Creating a campaign: the same decide/append path as findings, used by the API and the seed command. */
@Injectable()
export class CampaignCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    data: CreateCampaign['data'],
    actor: Actor,
    idempotencyKey: string,
    correlationId: string,
  ): Promise<CampaignCommandResult> {
    const key = `${actor.userId}:${idempotencyKey}`;
    const requestHash = sha256Hex(canonicalize({ type: 'CreateCampaign', data }));
    const previous = await this.store.findProcessedCommand<CampaignCommandResult>(key);
    if (previous) {
      if (previous.requestHash !== requestHash) throw new IdempotencyKeyReused(idempotencyKey);
      return previous.result;
    }
    const streamId = campaignStreamId(data.campaignId);
    const stream = await this.store.readStream<CampaignEvent['data']>(streamId);
    const state = stream.events.reduce(
      (s, e) => evolveCampaign(s, { type: e.type, data: e.data } as CampaignEvent),
      initialCampaignState(),
    );
    const events = decideCampaign(
      { type: 'CreateCampaign', data, metadata: { now: this.clock.now().toISOString(), actor } },
      state,
    );
    const outcome = await this.store.append(
      [
        {
          streamId,
          expectedVersion: stream.version,
          events: events.map((e, i) => ({
            eventId: uuidv5(`${key}/${streamId}/${i}`, EVENT_ID_NAMESPACE),
            type: e.type,
            data: e.data as unknown as Record<string, unknown>,
            metadata: { correlationId, causationId: key, commandId: key, commandType: 'CreateCampaign' },
          })),
        },
      ],
      {
        key,
        commandType: 'CreateCampaign',
        requestHash,
        result: (s): CampaignCommandResult => ({ campaignId: data.campaignId, version: s[0].toVersion }),
      },
    );
    return outcome.result;
  }
}
