import { Inject, Injectable } from '@nestjs/common';
import {
  Actor,
  calendarFor,
  CampaignEvent,
  CampaignState,
  campaignStreamId,
  decideInspectionDay,
  evolveCampaign,
  evolveInspectionDay,
  FileInspectionReport,
  ForbiddenError,
  findingDecider,
  FindingEvent,
  FindingState,
  findingStreamId,
  initialCampaignState,
  initialInspectionDayState,
  InspectionDayEvent,
  InspectionDayState,
  inspectionDayStreamId,
  InvalidInputError,
  NotFoundError,
  shanghaiDateOf,
} from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandRunner } from '../../commands/command-runner';
import { loadAggregate } from '../../commands/load-aggregate';
import { DirectoryRepository } from '../../directory/directory.repository';

export interface FileInspectionReportRequest {
  campaignId: string;
  /** The team the report is for; absent: the signer's own unit. Only the signer's own team may be named. */
  teamId?: string;
  /** Absent: today in Asia/Shanghai, by the server's clock when the command is decided. */
  date?: string;
  householdsVisited: number;
  unitsVisited: number;
  findingIds: string[];
  summary: string;
  actor: Actor;
  idempotencyKey: string;
  correlationId: string;
}

export interface InspectionReportResult {
  campaignId: string;
  teamId: string;
  date: string;
  /** The inspection day's stream version after filing (2 when the cutoff had already recorded the day missed). */
  version: number;
  /** Signed after the day's cutoff (policy.inspectionCutoff): the day's missed record, if any, stays. */
  late: boolean;
  cutoffAt: string;
  events: string[];
}

/** Reading a day's findings costs one stream each; a team's day is dozens at most. */
const FINDING_READS_AT_ONCE = 8;

/**
 * 日督查: a supervision team's daily report, signed by one of its inspectors for their own team, on the stream of
 * (campaign, team, day). The same write path as every command: replay check, decide on fresh state, one append.
 */
@Injectable()
export class InspectionReportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly directory: DirectoryRepository,
  ) {}

  file(req: FileInspectionReportRequest): Promise<InspectionReportResult> {
    const teamId = req.teamId ?? req.actor.unitId;
    const body = {
      campaignId: req.campaignId,
      teamId,
      // As sent: a retry the next morning of a request without a date is still the same request and replays.
      date: req.date ?? null,
      householdsVisited: req.householdsVisited,
      unitsVisited: req.unitsVisited,
      findingIds: req.findingIds,
      summary: req.summary,
    };
    const request = {
      commandType: 'FileInspectionReport',
      actor: req.actor,
      idempotencyKey: req.idempotencyKey,
      correlationId: req.correlationId,
      body,
    };
    return this.runner.run<InspectionReportResult>(request, async ({ now, toNewEvents }) => {
      const campaign = await loadAggregate<CampaignState, CampaignEvent>(
        this.store,
        campaignStreamId(req.campaignId),
        evolveCampaign,
        initialCampaignState(),
      );
      if (campaign.state.status !== 'Active') {
        throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${req.campaignId} 不存在`);
      }
      const settings = campaign.state.settings;
      const calendar = calendarFor(settings);
      const date = req.date ?? shanghaiDateOf(now);
      const data: FileInspectionReport['data'] = { ...body, date };

      // The signer's own team's day: naming another team is refused by the decider below (UNIT_SCOPE).
      const streamId = inspectionDayStreamId(req.campaignId, req.actor.unitId, date);
      const day = await loadAggregate<InspectionDayState, InspectionDayEvent>(
        this.store,
        streamId,
        evolveInspectionDay,
        initialInspectionDayState(),
      );
      // The decider answers first (role, own team, date, numbers, already filed), so a refusal never depends on
      // which findings happen to exist.
      const events = decideInspectionDay(
        { type: 'FileInspectionReport', data, metadata: { now, actor: req.actor } },
        day.state,
        {
          cutoffAt: calendar.cutoffInstant(date, settings.policy.inspectionCutoff),
          workday: calendar.isWorkday(date),
          campaignLifecycle: campaign.state.lifecycle,
        },
      );
      await this.checkTeam(teamId);
      await this.checkFindings(req.campaignId, data.findingIds);

      const filed = events[0] as Extract<InspectionDayEvent, { type: 'InspectionReportFiled' }>;
      return {
        appends: [{ streamId, expectedVersion: day.version, events: toNewEvents(streamId, events) }],
        result: (streams): InspectionReportResult => ({
          campaignId: req.campaignId,
          teamId,
          date,
          version: streams[0].toVersion,
          late: filed.data.late,
          cutoffAt: filed.data.cutoffAt,
          events: events.map((e) => e.type),
        }),
      };
    });
  }

  /** Only a supervision team files a daily inspection report; an inspector on record elsewhere signs for none. */
  private async checkTeam(teamId: string): Promise<void> {
    const unit = await this.directory.unit(teamId);
    if (!unit || unit.kind !== 'supervision_team') {
      throw new ForbiddenError('NOT_A_SUPERVISION_TEAM', 'UNIT_SCOPE', `单位 ${teamId} 不是督查组，不能报送日督查报告`);
    }
  }

  /**
   * What decide cannot know: that each listed finding exists and belongs to this campaign. Read from the findings'
   * own streams (the source of truth), so a finding recorded a moment ago counts before any read model has it.
   */
  private async checkFindings(campaignId: string, findingIds: readonly string[]): Promise<void> {
    for (let i = 0; i < findingIds.length; i += FINDING_READS_AT_ONCE) {
      const batch = findingIds.slice(i, i + FINDING_READS_AT_ONCE);
      const states = await Promise.all(
        batch.map(async (id) => {
          const { state } = await loadAggregate<FindingState, FindingEvent>(
            this.store,
            findingStreamId(id),
            findingDecider.evolve,
            findingDecider.initialState(),
          );
          return state;
        }),
      );
      states.forEach((state, j) => {
        const id = batch[j];
        if (state.status === 'Empty') {
          throw new InvalidInputError('UNKNOWN_FINDING', 'findingIds', `问题 ${id} 不存在`);
        }
        if (state.campaignId !== campaignId) {
          throw new InvalidInputError('FINDING_OF_ANOTHER_CAMPAIGN', 'findingIds', `问题 ${id} 不属于专项行动 ${campaignId}`);
        }
      });
    }
  }
}
