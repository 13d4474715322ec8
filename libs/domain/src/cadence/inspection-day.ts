import type { CampaignLifecycle } from '../campaigns/campaign';
import type { Actor } from '../shared/actor';
import { ForbiddenError, InvalidInputError, InvalidStateError } from '../shared/errors';
import { requireInteger, requireRole, requireText, validateMetadata } from '../shared/guards';
import { assertLocalDate, compareLocalDates, type LocalDate, shanghaiDateOf, toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';

/**
 * 日督查: one supervision team's daily report for one day of one campaign. Each (campaign, team, day) is its own
 * stream, so the team's filing and the cutoff's "missed" record race on one stream version and exactly one of them
 * decides what the day was.
 */
export const inspectionDayStreamId = (campaignId: string, teamId: string, date: LocalDate): string =>
  `inspection-${campaignId}-${teamId}-${date}`;

/** What the deciding side knows about the day; looked up from the campaign calendar and the directory. */
export type InspectionDayContext = {
  /** The day's cutoff instant (policy.inspectionCutoff, Asia/Shanghai). */
  cutoffAt: string;
  workday: boolean;
  /** Absent: active. A paused campaign enforces no cutoff; an ended one takes no more reports. */
  campaignLifecycle?: CampaignLifecycle;
};

// ---------- commands ----------

export type FileInspectionReport = Command<
  'FileInspectionReport',
  {
    campaignId: string;
    teamId: string;
    date: LocalDate;
    householdsVisited: number;
    unitsVisited: number;
    /** The findings the team recorded that day, as the signer lists them. */
    findingIds: string[];
    summary: string;
  }
>;

/** The cutoff's system command: a team without a report on a workday is recorded against its leader. */
export type RecordMissedInspectionReport = Command<
  'RecordMissedInspectionReport',
  { campaignId: string; teamId: string; date: LocalDate; leader: Actor | null }
>;

export type InspectionDayCommand = FileInspectionReport | RecordMissedInspectionReport;

// ---------- events ----------

export type InspectionReportFiled = DomainEvent<
  'InspectionReportFiled',
  {
    campaignId: string;
    teamId: string;
    date: LocalDate;
    householdsVisited: number;
    unitsVisited: number;
    findingIds: string[];
    summary: string;
    /** Filed after the cutoff: the day may already carry a missed record, which stays. */
    late: boolean;
    cutoffAt: string;
  } & Signed
>;

export type InspectionReportMissed = DomainEvent<
  'InspectionReportMissed',
  {
    campaignId: string;
    teamId: string;
    date: LocalDate;
    cutoffAt: string;
    /** The team leader at the cutoff; null when the team has no leader on record (then the team answers). */
    accountable: { person: Actor | null; unitId: string; role: 'team_leader' };
  } & Signed
>;

export type InspectionDayEvent = InspectionReportFiled | InspectionReportMissed;

export const INSPECTION_DAY_EVENT_TYPES: ReadonlyArray<InspectionDayEvent['type']> = [
  'InspectionReportFiled',
  'InspectionReportMissed',
];

// ---------- state ----------

export type InspectionDayState = { filed: boolean; missed: boolean };

export const initialInspectionDayState = (): InspectionDayState => ({ filed: false, missed: false });

export const evolveInspectionDay = (state: InspectionDayState, event: InspectionDayEvent): InspectionDayState => {
  switch (event.type) {
    case 'InspectionReportFiled':
      return { ...state, filed: true };
    case 'InspectionReportMissed':
      return { ...state, missed: true };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

// A team visits dozens of households a day; the bound only catches a slipped digit.
const MAX_VISITS = 10_000;

export const decideInspectionDay = (
  command: InspectionDayCommand,
  state: InspectionDayState,
  ctx: InspectionDayContext,
): InspectionDayEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  const at = toUtcIso(now);
  const campaignId = requireText(command.data.campaignId, 'campaignId', '专项行动编号');
  const teamId = requireText(command.data.teamId, 'teamId', '督查组');
  const date = assertLocalDate(command.data.date, 'date');

  switch (command.type) {
    case 'FileInspectionReport': {
      requireRole(actor, ['inspector']);
      if (actor.unitId !== teamId) {
        throw new ForbiddenError('OWN_TEAM_ONLY', 'UNIT_SCOPE', '只能为本督查组填报日督查报告');
      }
      if (compareLocalDates(date, shanghaiDateOf(at)) > 0) {
        throw new InvalidInputError('REPORT_DATE_IN_FUTURE', 'date', '不能填报未来日期的日督查报告');
      }
      const d = command.data;
      const householdsVisited = requireInteger(d.householdsVisited, 'householdsVisited', '走访农户数', 0, MAX_VISITS);
      const unitsVisited = requireInteger(d.unitsVisited, 'unitsVisited', '走访单位数', 0, MAX_VISITS);
      if (!Array.isArray(d.findingIds) || d.findingIds.some((x) => typeof x !== 'string' || !x.trim())) {
        throw new InvalidInputError('INVALID_LIST', 'findingIds', '当日发现问题应为问题编号列表');
      }
      const findingIds = d.findingIds.map((x) => x.trim());
      if (new Set(findingIds).size !== findingIds.length) {
        throw new InvalidInputError('DUPLICATE_FINDINGS', 'findingIds', '当日发现问题列表中有重复');
      }
      const summary = requireText(d.summary, 'summary', '督查情况');
      if (ctx.campaignLifecycle === 'ended') {
        throw new InvalidStateError('CAMPAIGN_ENDED', '专项行动已结束，不再报送日督查报告');
      }
      if (state.filed) {
        throw new InvalidStateError('INSPECTION_REPORT_ALREADY_FILED', `本督查组 ${date} 的日督查报告已签字报送`);
      }
      const late = Date.parse(at) > Date.parse(ctx.cutoffAt);
      return [
        {
          type: 'InspectionReportFiled',
          data: {
            campaignId,
            teamId,
            date,
            householdsVisited,
            unitsVisited,
            findingIds,
            summary,
            late,
            cutoffAt: ctx.cutoffAt,
            signedBy: actor,
            at,
          },
        },
      ];
    }

    case 'RecordMissedInspectionReport': {
      requireRole(actor, ['system']);
      // Moot unless the day was a workday, its cutoff has passed and nobody filed: a timer that fires late or twice
      // records the same single fact.
      const enforced = (ctx.campaignLifecycle ?? 'active') === 'active';
      if (!enforced || !ctx.workday || state.filed || state.missed || Date.parse(at) < Date.parse(ctx.cutoffAt)) return [];
      return [
        {
          type: 'InspectionReportMissed',
          data: {
            campaignId,
            teamId,
            date,
            cutoffAt: ctx.cutoffAt,
            accountable: { person: command.data.leader ?? null, unitId: teamId, role: 'team_leader' },
            signedBy: actor,
            at,
          },
        },
      ];
    }

    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

export const inspectionDayDecider = {
  decide: decideInspectionDay,
  evolve: evolveInspectionDay,
  initialState: initialInspectionDayState,
};
