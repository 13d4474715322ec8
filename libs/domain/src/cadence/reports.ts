import { InvalidInputError } from '../shared/errors';
import { requireRole, requireText, validateMetadata } from '../shared/guards';
import { type LocalDate, toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import type { Cadence } from './cadence';
import { scoreAndRank, scoringFormula, type UnitMonthMetrics, type UnitScore } from './scoring';

/**
 * Where a report's numbers come from: the read models had applied the log up to `checkpoint` (transaction:position)
 * when the report was computed at `asOf`. A published report is a frozen document; this lets anyone recompute it.
 */
export type ReportProvenance = { asOf: string; checkpoint: string };

export type NamedPerson = { userId: string; name: string };

// ---------- 日报 / 通报 ----------

export const BULLETIN_ITEM_KINDS = [
  'new',
  'dispatched',
  'closed',
  'overdue',
  'missed_progress_report',
  'missed_inspection_report',
  'escalated',
] as const;
export type BulletinItemKind = (typeof BULLETIN_ITEM_KINDS)[number];
export const BULLETIN_ITEM_LABELS: Record<BulletinItemKind, string> = {
  new: '新发现问题',
  dispatched: '交办',
  closed: '销号',
  overdue: '逾期未整改',
  missed_progress_report: '未按时上报整改进度',
  missed_inspection_report: '督查组未报日督查报告',
  escalated: '升级督办',
};

/** 点人点事: one named item of the bulletin — a finding or a team, the unit and the person whose name is on it. */
export type BulletinItem = {
  kind: BulletinItemKind;
  findingId: string | null;
  noticeNo: string | null;
  unitId: string;
  unitName: string;
  person: NamedPerson | null;
  detail: string;
};

export type BulletinUnitRow = {
  unitId: string;
  unitName: string;
  newFindings: number;
  dispatched: number;
  closed: number;
  overdue: number;
  missedProgressReports: number;
  missedInspectionReports: number;
  escalations: number;
};

export type BulletinTotals = Omit<BulletinUnitRow, 'unitId' | 'unitName'>;

export type DailyBulletinContent = {
  date: LocalDate;
  totals: BulletinTotals;
  byUnit: BulletinUnitRow[];
  items: BulletinItem[];
};

// ---------- 日交办 ----------

export type DispatchListItem = {
  findingId: string;
  townUnitId: string | null;
  severity: string | null;
  recordedAt: string;
  recordedBy: NamedPerson | null;
  /** End of the dispatch SLA. */
  dueAt: string;
};

export type DailyDispatchListContent = {
  date: LocalDate;
  /** Recorded, not dispatched, past the dispatch SLA: flagged to the supervision office. */
  flagged: DispatchListItem[];
  /** Recorded, not dispatched, still within the SLA. */
  pending: DispatchListItem[];
  /** Notices issued since the previous list, in sequence order, and whether the numbers run without a gap. */
  notices: { noticeNo: string; sequence: number; unitId: string | null; findingCount: number; at: string }[];
  lastNoticeSequence: number;
  noticeSequenceGapless: boolean;
};

// ---------- 周调度 ----------

/** Weeks in a row a unit must carry overdue findings before it is listed for an interview (约谈). */
export const CHRONIC_OVERDUE_WEEKS = 3;

export type WeeklyUnitInput = {
  unitId: string;
  unitName: string;
  open: number;
  dueThisWeek: number;
  overdue: number;
  escalated: number;
  /** Consecutive earlier weekly dispatches, up to the last one, in which the unit had overdue findings. */
  previousOverdueWeeks: number;
};

export type WeeklyUnitRow = WeeklyUnitInput & { overdueWeeks: number; chronicOverdue: boolean };

export type WeeklyDispatchContent = {
  week: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  rows: WeeklyUnitRow[];
  /** Units with chronic overdue, listed for an interview. */
  interviewList: { unitId: string; unitName: string; overdue: number; overdueWeeks: number }[];
};

export const weeklyRows = (inputs: readonly WeeklyUnitInput[]): WeeklyUnitRow[] =>
  inputs.map((u) => {
    const overdueWeeks = u.overdue > 0 ? u.previousOverdueWeeks + 1 : 0;
    return { ...u, overdueWeeks, chronicOverdue: overdueWeeks >= CHRONIC_OVERDUE_WEEKS };
  });

// ---------- 月讲评 ----------

export type MonthlyReviewContent = {
  month: string;
  formulaVersion: string;
  formula: ReturnType<typeof scoringFormula>;
  units: UnitScore[];
  commended: string[];
  namedLast: string[];
};

// ---------- the aggregate: one stream per (campaign, cadence, period), published once ----------

type Publish<Type extends string, Content> = Command<
  Type,
  { campaignId: string; periodKey: string; provenance: ReportProvenance; content: Content }
>;

export type PublishDailyBulletin = Publish<'PublishDailyBulletin', DailyBulletinContent>;
export type PublishDailyDispatchList = Publish<'PublishDailyDispatchList', DailyDispatchListContent>;
export type PublishWeeklyDispatch = Publish<
  'PublishWeeklyDispatch',
  { week: string; periodStart: LocalDate; periodEnd: LocalDate; units: WeeklyUnitInput[] }
>;
export type PublishMonthlyReview = Publish<
  'PublishMonthlyReview',
  { month: string; formulaVersion: string; units: UnitMonthMetrics[] }
>;

export type CadenceReportCommand = PublishDailyBulletin | PublishDailyDispatchList | PublishWeeklyDispatch | PublishMonthlyReview;

type Published<Type extends string, Content> = DomainEvent<
  Type,
  { campaignId: string; periodKey: string; provenance: ReportProvenance } & Content & Signed
>;

export type DailyBulletinPublished = Published<'DailyBulletinPublished', DailyBulletinContent>;
export type DailyDispatchListPublished = Published<'DailyDispatchListPublished', DailyDispatchListContent>;
export type WeeklyDispatchPublished = Published<'WeeklyDispatchPublished', WeeklyDispatchContent>;
export type MonthlyReviewPublished = Published<'MonthlyReviewPublished', MonthlyReviewContent>;

export type CadenceReportEvent =
  | DailyBulletinPublished
  | DailyDispatchListPublished
  | WeeklyDispatchPublished
  | MonthlyReviewPublished;

export const CADENCE_REPORT_EVENT_TYPES: ReadonlyArray<CadenceReportEvent['type']> = [
  'DailyBulletinPublished',
  'DailyDispatchListPublished',
  'WeeklyDispatchPublished',
  'MonthlyReviewPublished',
];

export const CADENCE_REPORT_EVENT: Record<Cadence, CadenceReportEvent['type']> = {
  daily_inspection: 'DailyBulletinPublished',
  daily_dispatch: 'DailyDispatchListPublished',
  weekly_dispatch: 'WeeklyDispatchPublished',
  monthly_review: 'MonthlyReviewPublished',
};

export type CadenceReportState = { published: boolean };
export const initialCadenceReportState = (): CadenceReportState => ({ published: false });
export const evolveCadenceReport = (state: CadenceReportState, event: CadenceReportEvent): CadenceReportState => {
  switch (event.type) {
    case 'DailyBulletinPublished':
    case 'DailyDispatchListPublished':
    case 'WeeklyDispatchPublished':
    case 'MonthlyReviewPublished':
      return { published: true };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

/**
 * A report is published once per period and then frozen: a second run of the same period (a retried activity, a
 * schedule's catch-up, a worker restart) appends nothing, even if the numbers would now differ.
 */
export const decideCadenceReport = (command: CadenceReportCommand, state: CadenceReportState): CadenceReportEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  requireRole(actor, ['system']);
  const at = toUtcIso(now);
  const campaignId = requireText(command.data.campaignId, 'campaignId', '专项行动编号');
  const periodKey = requireText(command.data.periodKey, 'periodKey', '报告期');
  const provenance = command.data.provenance;
  if (state.published) return [];
  const base = { campaignId, periodKey, provenance, signedBy: actor, at };

  switch (command.type) {
    case 'PublishDailyBulletin':
      return [{ type: 'DailyBulletinPublished', data: { ...base, ...command.data.content } }];
    case 'PublishDailyDispatchList':
      return [{ type: 'DailyDispatchListPublished', data: { ...base, ...command.data.content } }];
    case 'PublishWeeklyDispatch': {
      const { units, ...week } = command.data.content;
      const rows = weeklyRows(units);
      const interviewList = rows
        .filter((r) => r.chronicOverdue)
        .map((r) => ({ unitId: r.unitId, unitName: r.unitName, overdue: r.overdue, overdueWeeks: r.overdueWeeks }));
      return [{ type: 'WeeklyDispatchPublished', data: { ...base, ...week, rows, interviewList } }];
    }
    case 'PublishMonthlyReview': {
      const { month, formulaVersion, units } = command.data.content;
      const formula = scoringFormula(formulaVersion);
      const scored = scoreAndRank(units, formula);
      return [
        {
          type: 'MonthlyReviewPublished',
          data: {
            ...base,
            month,
            formulaVersion,
            formula,
            units: scored,
            commended: scored.filter((u) => u.commended).map((u) => u.unitId),
            namedLast: scored.filter((u) => u.namedLast).map((u) => u.unitId),
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

export const cadenceReportDecider = {
  decide: decideCadenceReport,
  evolve: evolveCadenceReport,
  initialState: initialCadenceReportState,
};
