import {
  type Actor,
  type FileInspectionReport,
  findingDecider,
  type FindingEvent,
  type FindingState,
  findingStreamId,
  ForbiddenError,
  inspectionDayDecider,
  type InspectionDayContext,
  type InspectionDayEvent,
  type InspectionDayState,
  inspectionDayStreamId,
  InvalidInputError,
  type LocalDate,
  type RecordMissedInspectionReport,
  shanghaiDateOf,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CampaignContexts } from './campaign-contexts';
import type { CommandMeta, InspectionCommandRequest } from './commands';
import { commandRequest } from './commands';
import type { UnitDirectory } from './reference-checks';

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

export interface MissedReportOutcome {
  appended: string[];
}

export type InspectionResultOf<C extends InspectionCommandRequest> = C extends { type: 'FileInspectionReport' }
  ? InspectionReportResult
  : MissedReportOutcome;

/** Reading a day's findings costs one stream each; a team's day is dozens at most. */
const FINDING_READS_AT_ONCE = 8;

/**
 * 日督查 on the stream of (campaign, team, day): a team's report, signed by one of its inspectors for their own team,
 * and the cutoff's record of a report that did not come. Replay check, decide on fresh state, one append.
 */
export class InspectionCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
    private readonly campaigns: CampaignContexts,
    private readonly units: UnitDirectory,
  ) {}

  handle<C extends InspectionCommandRequest>(command: C, signer: Actor, meta: CommandMeta): Promise<InspectionResultOf<C>> {
    const c: InspectionCommandRequest = command;
    return (c.type === 'FileInspectionReport' ? this.file(c, signer, meta) : this.recordMissed(c, signer, meta)) as Promise<
      InspectionResultOf<C>
    >;
  }

  private file(
    command: Extract<InspectionCommandRequest, { type: 'FileInspectionReport' }>,
    signer: Actor,
    meta: CommandMeta,
  ): Promise<InspectionReportResult> {
    const d = command.data;
    const teamId = d.teamId ?? signer.unitId;
    const body = {
      campaignId: d.campaignId,
      teamId,
      // As sent: a retry the next morning of a request without a date is still the same request and replays.
      date: d.date ?? null,
      householdsVisited: d.householdsVisited,
      unitsVisited: d.unitsVisited,
      findingIds: d.findingIds,
      summary: d.summary,
    };
    const request = commandRequest(command.type, signer, meta, body);
    return this.runner.run<InspectionReportResult>(request, async ({ now, toNewEvents }) => {
      const campaign = await this.campaigns.active(d.campaignId);
      const settings = campaign.state.settings;
      const { calendar } = await this.campaigns.requireContext(d.campaignId);
      const date = d.date ?? shanghaiDateOf(now);
      const data: FileInspectionReport['data'] = { ...body, date };

      // The signer's own team's day: naming another team is refused by the decider below (UNIT_SCOPE).
      const streamId = inspectionDayStreamId(d.campaignId, signer.unitId, date);
      const day = await this.loadDay(streamId);
      // The decider answers first (role, own team, date, numbers, already filed), so a refusal never depends on
      // which findings happen to exist.
      const events = inspectionDayDecider.decide({ type: 'FileInspectionReport', data, metadata: { now, actor: signer } }, day.state, {
        cutoffAt: calendar.cutoffInstant(date, settings.policy.inspectionCutoff),
        workday: calendar.isWorkday(date),
        campaignLifecycle: campaign.state.lifecycle,
      });
      await this.checkTeam(teamId);
      await this.checkFindings(d.campaignId, data.findingIds);

      const filed = events[0] as Extract<InspectionDayEvent, { type: 'InspectionReportFiled' }>;
      return {
        appends: [{ streamId, expectedVersion: day.version, events: toNewEvents(streamId, events) }],
        result: (streams): InspectionReportResult => ({
          campaignId: d.campaignId,
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

  /**
   * The cutoff's record against a team without a report, decided at the cutoff instant (`meta.at`). The body names the
   * day, not the leader: a retry after the directory changed returns the first decision instead of refusing a
   * "reused" key.
   */
  private recordMissed(command: Omit<RecordMissedInspectionReport, 'metadata'>, signer: Actor, meta: CommandMeta): Promise<MissedReportOutcome> {
    const { campaignId, teamId, date } = command.data;
    const streamId = inspectionDayStreamId(campaignId, teamId, date);
    const request = commandRequest(command.type, signer, meta, { campaignId, teamId, date, cutoffAt: meta.at });
    return this.runner.run<MissedReportOutcome>(
      request,
      async ({ now, toNewEvents }) => {
        const ctx = await this.dayContext(campaignId, date);
        const { state, version } = await this.loadDay(streamId);
        const events = ctx ? inspectionDayDecider.decide({ ...command, metadata: { now, actor: signer } }, state, ctx) : [];
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: () => ({ appended: events.map((e) => e.type) }),
        };
      },
      // The team filed while we decided: decide again (the miss is then moot).
      (err) => err instanceof StreamVersionConflict,
    );
  }

  /** The day's cutoff, whether it is a workday and the campaign's lifecycle now; null without such a campaign. */
  async dayContext(campaignId: string, date: LocalDate): Promise<InspectionDayContext | null> {
    const { state } = await this.campaigns.current(campaignId);
    const ctx = await this.campaigns.context(campaignId);
    if (state.status !== 'Active' || !ctx) return null;
    return {
      campaignLifecycle: state.lifecycle,
      cutoffAt: ctx.calendar.cutoffInstant(date, state.settings.policy.inspectionCutoff),
      workday: ctx.calendar.isWorkday(date),
    };
  }

  private loadDay(streamId: string) {
    return loadAggregate<InspectionDayState, InspectionDayEvent>(this.store, streamId, inspectionDayDecider.evolve, inspectionDayDecider.initialState());
  }

  /** Only a supervision team files a daily inspection report; an inspector on record elsewhere signs for none. */
  private async checkTeam(teamId: string): Promise<void> {
    const unit = await this.units.unit(teamId);
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
          const { state } = await loadAggregate<FindingState, FindingEvent>(this.store, findingStreamId(id), findingDecider.evolve, findingDecider.initialState());
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
