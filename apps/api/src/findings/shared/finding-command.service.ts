import { Inject, Injectable } from '@nestjs/common';
import {
  calendarFor,
  CampaignEvent,
  CampaignState,
  campaignStreamId,
  decideCampaign,
  evolveCampaign,
  FindingCommand,
  findingDecider,
  FindingEvent,
  FindingState,
  findingStreamId,
  initialCampaignState,
  NotFoundError,
} from '@duban/domain';
import { AppendToStream, EVENT_STORE, EventStore, StreamVersionConflict } from '@duban/event-store';
import { CommandRunner } from '../../commands/command-runner';
import { loadAggregate } from '../../commands/load-aggregate';
import { ReferenceChecks } from './reference-checks';
import type { ExecuteFindingCommand, FindingCommandResult } from './finding-command';

/** Dispatch numbering contends on the campaign stream; losing that race means deciding again, not a 409. */
const isCampaignRace = (err: unknown) => err instanceof StreamVersionConflict && err.streamId.startsWith('campaign-');

@Injectable()
export class FindingCommandService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly references: ReferenceChecks,
  ) {}

  execute(cmd: ExecuteFindingCommand): Promise<FindingCommandResult> {
    const request = {
      commandType: cmd.type,
      actor: cmd.actor,
      idempotencyKey: cmd.idempotencyKey,
      correlationId: cmd.correlationId,
      body: { findingId: cmd.findingId, data: cmd.data, expectedVersion: cmd.expectedVersion ?? null },
    };
    return this.runner.run<FindingCommandResult>(
      request,
      async ({ now, toNewEvents }) => {
        const streamId = findingStreamId(cmd.findingId);
        const stream = await loadAggregate<FindingState, FindingEvent>(
          this.store,
          streamId,
          findingDecider.evolve,
          findingDecider.initialState(),
        );
        if (cmd.expectedVersion !== undefined && cmd.expectedVersion !== stream.version) {
          throw new StreamVersionConflict(streamId, cmd.expectedVersion, stream.version);
        }
        const state = stream.state;
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
        if (cmd.type === 'DispatchFinding' || cmd.type === 'ReassignFinding') {
          // Every dispatch, and every reassignment to a new unit, goes out under a notice number from the campaign
          // stream, issued in the same atomic append: gapless, never reused.
          const issued = decideCampaign({ type: 'IssueDispatchNotice', data: { findingIds: [cmd.findingId] }, metadata }, campaign.state);
          noticeNo = (issued[0] as Extract<CampaignEvent, { type: 'DispatchNoticeIssued' }>).data.noticeNo;
          data = { ...data, noticeNo };
          const campaignStream = campaignStreamId(campaignId);
          appends.push({ streamId: campaignStream, expectedVersion: campaign.version, events: toNewEvents(campaignStream, issued) });
        }
        const settings = campaign.state.settings;
        const events = findingDecider.decide({ type: cmd.type, data, metadata } as FindingCommand, state, {
          campaign: settings,
          calendar: calendarFor(settings),
        });
        appends.unshift({ streamId, expectedVersion: stream.version, events: toNewEvents(streamId, events) });
        return {
          appends,
          result: (streams): FindingCommandResult => ({
            findingId: cmd.findingId,
            version: streams[0].toVersion,
            events: events.map((e) => e.type),
            ...(noticeNo ? { noticeNo } : {}),
          }),
        };
      },
      isCampaignRace,
    );
  }

  private async loadCampaign(
    campaignId: string,
  ): Promise<{ state: Extract<CampaignState, { status: 'Active' }>; version: number }> {
    const { state, version } = campaignId
      ? await loadAggregate<CampaignState, CampaignEvent>(this.store, campaignStreamId(campaignId), evolveCampaign, initialCampaignState())
      : { state: initialCampaignState(), version: 0 };
    if (state.status !== 'Active') throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId || '（未指定）'} 不存在`);
    return { state, version };
  }
}
