import { Inject, Injectable } from '@nestjs/common';
import { v5 as uuidv5 } from 'uuid';
import {

  calendarFor,
  CampaignState,
  campaignStreamId,
  decideCampaign,
  evolveCampaign,
  findingDecider,
  FindingCommand,
  FindingEvent,
  FindingState,
  findingStreamId,
  initialCampaignState,
  NotFoundError,
  CampaignEvent,
} from '@duban/domain';
import {
  AppendToStream,
  canonicalize,
  EVENT_STORE,
  EventStore,
  IdempotencyKeyReused,
  NewEvent,
  sha256Hex,
  StreamVersionConflict,
} from '@duban/event-store';
import { CLOCK, Clock } from '../../database/database.module';
import { ReferenceChecks } from './reference-checks';
import type { ExecuteFindingCommand, FindingCommandResult } from './finding-command';

/** Event ids derive from the command's idempotency key, so a retried command can never append twice. */
const EVENT_ID_NAMESPACE = '6f1c3a52-7d0e-4c55-9a61-2b9e8f4d0c11';
/** Dispatch numbering contends on the campaign stream; a lost race there is retried, not reported. */
const CAMPAIGN_RETRIES = 5;

@Injectable()
export class FindingCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly references: ReferenceChecks,
  ) {}

  async execute(cmd: ExecuteFindingCommand): Promise<FindingCommandResult> {
    // Keys are per signer: two people can never collide, and a replay must come from the same person.
    const key = `${cmd.actor.userId}:${cmd.idempotencyKey}`;
    const requestHash = sha256Hex(
      canonicalize({ findingId: cmd.findingId, type: cmd.type, data: cmd.data, expectedVersion: cmd.expectedVersion ?? null }),
    );
    const previous = await this.store.findProcessedCommand<FindingCommandResult>(key);
    if (previous) {
      if (previous.requestHash !== requestHash) throw new IdempotencyKeyReused(cmd.idempotencyKey);
      return previous.result;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(cmd, key, requestHash);
      } catch (err) {
        const campaignRace = err instanceof StreamVersionConflict && err.streamId.startsWith('campaign-');
        if (!campaignRace || attempt >= CAMPAIGN_RETRIES) throw err;
      }
    }
  }

  private async attempt(cmd: ExecuteFindingCommand, key: string, requestHash: string): Promise<FindingCommandResult> {
    const now = this.clock.now().toISOString();
    const streamId = findingStreamId(cmd.findingId);
    const stream = await this.store.readStream<FindingEvent['data']>(streamId);
    if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== stream.version) {
      throw new StreamVersionConflict(streamId, cmd.expectedVersion, stream.version);
    }
    const state = stream.events.reduce(
      (s, e) => findingDecider.evolve(s, { type: e.type, data: e.data } as FindingEvent),
      findingDecider.initialState() as FindingState,
    );
    if (state.status === 'Empty' && cmd.type !== 'RecordFinding') {
      throw new NotFoundError('FINDING_NOT_FOUND', `问题 ${cmd.findingId} 不存在`);
    }
    const campaignId = state.status === 'Empty' ? String(cmd.data.campaignId ?? '') : state.campaignId;
    const campaign = await this.loadCampaign(campaignId);
    await this.references.check(cmd, state);

    const metadata = { now, actor: cmd.actor };
    const appends: AppendToStream[] = [];
    let data = cmd.data;
    let noticeNo: string | undefined;
    if (cmd.type === 'DispatchFinding') {
      // The notice number comes from the campaign stream in the same atomic append: gapless, never reused.
      const issued = decideCampaign(
        { type: 'IssueDispatchNotice', data: { findingIds: [cmd.findingId] }, metadata },
        campaign.state,
      );
      noticeNo = (issued[0] as Extract<CampaignEvent, { type: 'DispatchNoticeIssued' }>).data.noticeNo;
      data = { ...data, noticeNo };
      appends.push({ streamId: campaignStreamId(campaignId), expectedVersion: campaign.version, events: this.toNew(issued, key, campaignStreamId(campaignId), cmd) });
    }
    if (campaign.state.status !== 'Active') throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
    const settings = campaign.state.settings;
    const events = findingDecider.decide({ type: cmd.type, data, metadata } as FindingCommand, state, {
      campaign: settings,
      calendar: calendarFor(settings),
    });
    appends.unshift({ streamId, expectedVersion: stream.version, events: this.toNew(events, key, streamId, cmd) });

    const outcome = await this.store.append(appends, {
      key,
      commandType: cmd.type,
      requestHash,
      result: (streams): FindingCommandResult => ({
        findingId: cmd.findingId,
        version: streams[0].toVersion,
        events: events.map((e) => e.type),
        ...(noticeNo ? { noticeNo } : {}),
      }),
    });
    return outcome.result;
  }

  private async loadCampaign(campaignId: string): Promise<{ state: CampaignState; version: number }> {
    if (!campaignId) throw new NotFoundError('CAMPAIGN_NOT_FOUND', '未指定专项行动');
    const stream = await this.store.readStream<CampaignEvent['data']>(campaignStreamId(campaignId));
    const state = stream.events.reduce(
      (s, e) => evolveCampaign(s, { type: e.type, data: e.data } as CampaignEvent),
      initialCampaignState(),
    );
    if (state.status === 'Empty') throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
    return { state, version: stream.version };
  }

  private toNew(
    events: ReadonlyArray<{ type: string; data: object }>,
    key: string,
    streamId: string,
    cmd: ExecuteFindingCommand,
  ): NewEvent[] {
    return events.map((e, i) => ({
      eventId: uuidv5(`${key}/${streamId}/${i}`, EVENT_ID_NAMESPACE),
      type: e.type,
      data: e.data as Record<string, unknown>,
      metadata: {
        correlationId: cmd.correlationId,
        causationId: key,
        commandId: key,
        commandType: cmd.type,
      },
    }));
  }
}

