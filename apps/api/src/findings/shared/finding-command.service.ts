import { Inject, Injectable } from '@nestjs/common';
import {
  calendarFor,
  CampaignEvent,
  CampaignState,
  campaignStreamId,
  decideCampaign,
  evolveCampaign,
  Finding,
  FindingCommand,
  findingDecider,
  FindingEvent,
  FindingState,
  findingStreamId,
  initialCampaignState,
  InvalidInputError,
  NotFoundError,
} from '@duban/domain';
import {
  AppendToStream,
  EVENT_STORE,
  EventStore,
  KeyedMutex,
  STREAM_LOCKS,
  type StreamLocks,
  StreamVersionConflict,
} from '@duban/event-store';
import { CommandRunner, type DecisionTools } from '../../commands/command-runner';
import { loadAggregate } from '../../commands/load-aggregate';
import { ReferenceChecks } from './reference-checks';
import type { Actor } from '@duban/domain';
import type { ExecuteFindingCommand, FindingCommandResult } from './finding-command';

export interface DispatchBatch {
  findingIds: string[];
  unitId: string;
  deadlineWorkdays?: number;
  note?: string;
  actor: Actor;
  idempotencyKey: string;
  correlationId: string;
}

export interface DispatchBatchResult {
  noticeNo: string;
  findings: Array<{ findingId: string; version: number }>;
}

/** A campaign's notices are numbered one at a time (gapless): dispatches of one campaign take this lock. */
const noticeLock = (campaignId: string) => `dispatch-notice:${campaignId}`;

/**
 * A lost race is decided again on fresh state, not answered with a 409: on the campaign stream (another command of the
 * campaign, e.g. a pause, committed between our read and our append) and — only when the client sent no
 * `expectedVersion` — on the finding's own stream. A client that sent a version gets the conflict it asked about.
 */
const raceToRetry = (findingStreams: string[], clientSentVersion: boolean) => (err: unknown) =>
  err instanceof StreamVersionConflict &&
  (err.streamId.startsWith('campaign-') || (!clientSentVersion && findingStreams.includes(err.streamId)));

@Injectable()
export class FindingCommandService {
  /** Commands on one finding in this process go one at a time, so they do not collide and retry among themselves. */
  private readonly perFinding = new KeyedMutex();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly references: ReferenceChecks,
    @Inject(STREAM_LOCKS) private readonly locks: StreamLocks,
  ) {}

  async execute(cmd: ExecuteFindingCommand): Promise<FindingCommandResult> {
    const streamId = findingStreamId(cmd.findingId);
    const run = () => this.decideAndAppend(cmd);
    if (cmd.type === 'DispatchFinding' || cmd.type === 'ReassignFinding') {
      const campaignId = await this.campaignOf(streamId);
      if (campaignId) return this.locks.withLock(noticeLock(campaignId), () => this.perFinding.withLock(streamId, run));
    }
    return this.perFinding.withLock(streamId, run);
  }

  private decideAndAppend(cmd: ExecuteFindingCommand): Promise<FindingCommandResult> {
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
          const notice = issueNotice(campaignId, campaign, [cmd.findingId], metadata, toNewEvents);
          noticeNo = notice.noticeNo;
          data = { ...data, noticeNo };
          appends.push(notice.append);
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
      raceToRetry([findingStreamId(cmd.findingId)], cmd.expectedVersion !== undefined),
    );
  }

  /** The campaign a finding belongs to, or null when it does not exist yet (the decision then says 404). */
  private async campaignOf(streamId: string): Promise<string | null> {
    const { state } = await loadAggregate<FindingState, FindingEvent>(this.store, streamId, findingDecider.evolve, findingDecider.initialState());
    return state.status === 'Empty' ? null : state.campaignId;
  }

  /**
   * 批量交办: several recorded findings of one campaign to one unit under a single dispatch notice number, in one
   * atomic append (every finding's FindingDispatched and the campaign's DispatchNoticeIssued) — all or nothing.
   */
  async dispatchBatch(cmd: DispatchBatch): Promise<DispatchBatchResult> {
    const campaignId = cmd.findingIds.length ? await this.campaignOf(findingStreamId(cmd.findingIds[0])) : null;
    const run = () => this.decideAndAppendBatch(cmd);
    return campaignId ? this.locks.withLock(noticeLock(campaignId), run) : run();
  }

  private decideAndAppendBatch(cmd: DispatchBatch): Promise<DispatchBatchResult> {
    const request = {
      commandType: 'DispatchFindings',
      actor: cmd.actor,
      idempotencyKey: cmd.idempotencyKey,
      correlationId: cmd.correlationId,
      body: { findingIds: cmd.findingIds, unitId: cmd.unitId, deadlineWorkdays: cmd.deadlineWorkdays ?? null, note: cmd.note ?? null },
    };
    return this.runner.run<DispatchBatchResult>(
      request,
      async ({ now, toNewEvents }) => {
        const findings: Array<{ findingId: string; streamId: string; version: number; state: Finding }> = [];
        for (const findingId of cmd.findingIds) {
          const streamId = findingStreamId(findingId);
          const stream = await loadAggregate<FindingState, FindingEvent>(this.store, streamId, findingDecider.evolve, findingDecider.initialState());
          if (stream.state.status === 'Empty') throw new NotFoundError('FINDING_NOT_FOUND', `问题 ${findingId} 不存在`);
          findings.push({ findingId, streamId, version: stream.version, state: stream.state });
        }
        const campaignId = findings[0]?.state.campaignId ?? '';
        if (findings.some((f) => f.state.campaignId !== campaignId)) {
          throw new InvalidInputError('MIXED_CAMPAIGNS', 'findingIds', '同一份督办通知书只能交办同一专项行动的问题');
        }
        const data = { unitId: cmd.unitId, deadlineWorkdays: cmd.deadlineWorkdays, note: cmd.note };
        await this.references.check(
          { findingId: findings[0]?.findingId ?? '', type: 'DispatchFinding', data, actor: cmd.actor, idempotencyKey: cmd.idempotencyKey, correlationId: cmd.correlationId },
          findings[0]?.state ?? findingDecider.initialState(),
        );
        const campaign = await this.loadCampaign(campaignId);
        const metadata = { now, actor: cmd.actor };
        const { noticeNo, append: noticeAppend } = issueNotice(campaignId, campaign, cmd.findingIds, metadata, toNewEvents);
        const settings = campaign.state.settings;
        const ctx = { campaign: settings, calendar: calendarFor(settings) };
        const appends: AppendToStream[] = findings.map((f) => {
          const events = findingDecider.decide({ type: 'DispatchFinding', data: { ...data, noticeNo }, metadata } as FindingCommand, f.state, ctx);
          return { streamId: f.streamId, expectedVersion: f.version, events: toNewEvents(f.streamId, events) };
        });
        appends.push(noticeAppend);
        return {
          appends,
          result: (streams): DispatchBatchResult => ({
            noticeNo,
            findings: findings.map((f, i) => ({ findingId: f.findingId, version: streams[i].toVersion })),
          }),
        };
      },
      raceToRetry(cmd.findingIds.map(findingStreamId), false),
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

/** The campaign's next gapless notice number for these findings, as an append to go in the same atomic write. */
function issueNotice(
  campaignId: string,
  campaign: { state: Extract<CampaignState, { status: 'Active' }>; version: number },
  findingIds: string[],
  metadata: { now: string; actor: Actor },
  toNewEvents: DecisionTools['toNewEvents'],
): { noticeNo: string; append: AppendToStream } {
  const issued = decideCampaign({ type: 'IssueDispatchNotice', data: { findingIds }, metadata }, campaign.state);
  const noticeNo = (issued[0] as Extract<CampaignEvent, { type: 'DispatchNoticeIssued' }>).data.noticeNo;
  const streamId = campaignStreamId(campaignId);
  return { noticeNo, append: { streamId, expectedVersion: campaign.version, events: toNewEvents(streamId, issued) } };
}
