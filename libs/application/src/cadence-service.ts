import {
  type Actor,
  type Cadence,
  CADENCE_REPORT_EVENT,
  type CadenceReportCommand,
  cadenceFirings,
  cadenceReportStreamId,
  type CampaignLifecycle,
  type CampaignSettings,
  scoringFormulaForMonth,
  type DailyBulletinContent,
  type DailyDispatchListContent,
  type LocalDate,
  planCadenceOccasion,
  REPORT_CUTOFF,
  reportCutoffFiring,
  type ScheduledCadence,
  type ReportProvenance,
  shanghaiDateOf,
  shanghaiInstant,
  SYSTEM_ACTOR,
  toUtcIso,
  type UnitMonthMetrics,
  type WeeklyUnitInput,
  type WorkdayCalendar,
} from '@duban/domain';
import type { CadenceReportCommandRequest } from './commands';
import type { WriteSide } from './write-side';
import type {
  CadencePlan,
  CadencePublishResult,
  CadenceWorkflowInput,
  MissedDailyReportsResult,
  MissedInspectionResult,
} from '@duban/contracts';

type RunPlan = Extract<CadencePlan, { action: 'run' }>;

/** Findings per page of the daily report cutoff: one read-model query, then each decided on its own stream. */
const SWEEP_PAGE = 500;

/** A supervision team that owes a daily inspection report, with its leader if it has one. */
export interface CadenceTeam {
  teamId: string;
  leader: Pick<Actor, 'userId' | 'name' | 'unitId' | 'role'> | null;
}

/** A report's numbers, with the read-model checkpoint they were computed at. */
export interface CadenceSnapshot<T> {
  provenance: ReportProvenance;
  value: T;
}

/**
 * What the cadence reads from the read side: the teams that owe a daily report, and each report's numbers as of an
 * instant. Declared here, where it is used, because the write side may not import the read models; CadenceSources in
 * @duban/read-models is the implementation the worker and the demo seed pass in.
 */
export interface CadenceReportSources {
  activeTeams(): Promise<CadenceTeam[]>;
  /** A page of the campaign's findings that may owe a daily report as of `since`, by id after `after`. */
  findingsToSweep(campaignId: string, since: string, after: string, limit: number): Promise<string[]>;
  /** Resolves once every projection has applied the log as it stood when called (throws on timeout). */
  waitForProjections(options?: { timeoutMs?: number; pollMs?: number }): Promise<unknown>;
  dailyBulletin(campaignId: string, date: LocalDate, asOf: string): Promise<CadenceSnapshot<DailyBulletinContent>>;
  dailyDispatchList(
    campaignId: string,
    date: LocalDate,
    asOf: string,
    sinceSequence: number,
  ): Promise<CadenceSnapshot<DailyDispatchListContent>>;
  weeklyUnits(
    campaignId: string,
    week: { key: string; monday: LocalDate; sunday: LocalDate },
    asOf: string,
  ): Promise<CadenceSnapshot<WeeklyUnitInput[]>>;
  monthlyMetrics(campaignId: string, month: string, asOf: string): Promise<CadenceSnapshot<UnitMonthMetrics[]>>;
  /** The last notice sequence the latest dispatch list published before `beforeDate` covered (0 if none). */
  lastDispatchListSequence(campaignId: string, beforeDate: LocalDate): Promise<number>;
}

export interface CadenceLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
}

const SILENT: CadenceLogger = { info: () => undefined, warn: () => undefined };

/**
 * The write side of the cadence (日督查、日交办、周调度、月讲评): what a schedule's firing does on the campaign
 * calendar, the cutoff's missed inspection reports, and publishing a period's report once. Every effect is a system
 * command through the shared decide/append path, at an instant derived from the period (never the clock), under a
 * key derived from the period — so a retried activity or a second firing of the same period decides the same facts
 * and appends nothing new.
 */
export class CadenceService {
  constructor(
    private readonly write: Pick<WriteSide, 'campaignContexts' | 'inspections' | 'cadenceReports' | 'timers'>,
    private readonly sources: CadenceReportSources,
    private readonly logger: CadenceLogger = SILENT,
  ) {}

  async plan(input: CadenceWorkflowInput & { firedAt: string }): Promise<CadencePlan> {
    const firedAt = toUtcIso(input.firedAt);
    const firedDate = shanghaiDateOf(firedAt);
    const campaign = await this.campaign(input.campaignId);
    if (!campaign) return { action: 'skip', cadence: input.cadence, firedDate, reason: 'CAMPAIGN_NOT_FOUND' };
    const { settings, lifecycle, calendar } = campaign;
    const occasion = planCadenceOccasion(input.cadence, firedDate, calendar, { phases: settings.phases, lifecycle });
    if (occasion.action === 'skip') return { ...occasion };
    const scheduledAt = shanghaiInstant(occasion.runDate, firingTime(settings, input.cadence));
    // A deferred run happens at the cadence's time on its workday. The daily inspection is a cutoff: a firing before it
    // (a manual trigger in the morning) waits for it, or it would record teams as missing a report they may still file.
    // So is the daily report cutoff. The lists (dispatch, weekly, monthly) are "as of" their run and may run early.
    const runAt =
      occasion.runDate !== firedDate || ((input.cadence === 'daily_inspection' || input.cadence === REPORT_CUTOFF) && Date.parse(firedAt) < Date.parse(scheduledAt))
        ? scheduledAt
        : firedAt;
    return { ...occasion, runAt };
  }

  async recordMissedInspectionReports(
    input: { campaignId: string; date: LocalDate },
    correlationId: string,
  ): Promise<MissedInspectionResult> {
    const ctx = await this.write.inspections.dayContext(input.campaignId, input.date);
    if (!ctx) return { teams: 0, missed: 0 };
    const teams = await this.sources.activeTeams();
    let missed = 0;
    for (const team of teams) {
      const leader: Actor | null = team.leader
        ? { userId: team.leader.userId, name: team.leader.name, unitId: team.leader.unitId, role: team.leader.role }
        : null;
      const appended = await this.write.inspections.handle(
        {
          type: 'RecordMissedInspectionReport',
          data: { campaignId: input.campaignId, teamId: team.teamId, date: input.date, leader },
        },
        SYSTEM_ACTOR,
        // Stored as `system:inspection:<campaign>:<team>:<date>`, decided at the day's cutoff.
        { idempotencyKey: `inspection:${input.campaignId}:${team.teamId}:${input.date}`, correlationId, at: ctx.cutoffAt },
      );
      if (appended.appended.length > 0) missed++;
    }
    if (missed > 0) this.logger.info({ campaignId: input.campaignId, date: input.date, missed, teams: teams.length }, 'missed inspection reports recorded');
    return { teams: teams.length, missed };
  }

  /**
   * The daily report cutoff: every finding of the campaign that may owe `date`'s progress report, page by page, swept
   * through FindingTimers (the timers' command, key, instant and attribution, decided as of the cutoff). The read
   * model is caught up first, so a finding that entered rectification before the cutoff is on a page. `progress`
   * hears each page's last id (the activity's heartbeat), and `after` resumes past it on a retry.
   */
  async sweepMissedDailyReports(
    input: { campaignId: string; date: LocalDate },
    correlationId: string,
    resume: { after?: string; progress?: (after: string) => void } = {},
  ): Promise<MissedDailyReportsResult> {
    const ctx = await this.write.campaignContexts.context(input.campaignId);
    if (!ctx) return { findings: 0, missed: 0 };
    const cutoffAt = ctx.calendar.cutoffInstant(input.date, ctx.campaign.policy.progressCutoff);
    await this.sources.waitForProjections();
    let after = resume.after ?? '';
    let findings = 0;
    let missed = 0;
    for (;;) {
      const page = await this.sources.findingsToSweep(input.campaignId, cutoffAt, after, SWEEP_PAGE);
      if (page.length === 0) break;
      const swept = await this.write.timers.sweepDailyReports(input.campaignId, input.date, page, correlationId);
      findings += swept.findings;
      missed += swept.missed;
      after = page[page.length - 1];
      resume.progress?.(after);
    }
    if (missed > 0) this.logger.info({ campaignId: input.campaignId, date: input.date, missed, findings }, 'missed daily reports recorded');
    return { findings, missed };
  }

  async publish(input: { campaignId: string; plan: RunPlan }, correlationId: string): Promise<CadencePublishResult> {
    const { campaignId, plan } = input;
    if (plan.cadence === 'report_cutoff') throw new Error('the daily report cutoff publishes no report');
    const cadence = plan.cadence as Cadence;
    // A published report is frozen: a second run (a schedule's catch-up, a manual trigger) computes nothing.
    if (await this.write.cadenceReports.published(campaignId, cadence, plan.periodKey)) {
      return { eventType: CADENCE_REPORT_EVENT[cadence], appended: false, streamId: cadenceReportStreamId(campaignId, cadence, plan.periodKey) };
    }
    await this.sources.waitForProjections();
    const command = await this.reportCommand(campaignId, plan);
    // Stored as `system:cadence:<campaign>:<cadence>:<periodKey>`, decided at the run's instant.
    const result = await this.write.cadenceReports.handle(command, SYSTEM_ACTOR, {
      idempotencyKey: `cadence:${campaignId}:${cadence}:${plan.periodKey}`,
      correlationId,
      at: plan.runAt,
    });
    if (result.appended) this.logger.info({ campaignId, cadence, periodKey: plan.periodKey, eventType: result.eventType }, 'cadence report published');
    return result;
  }

  /** The Publish* command for the period, its content computed from the read models as of the run's instant. */
  private async reportCommand(
    campaignId: string,
    plan: RunPlan,
  ): Promise<CadenceReportCommandRequest> {
    const asOf = plan.runAt;
    const publish = <C>(type: CadenceReportCommand['type'], snap: CadenceSnapshot<unknown>, content: C) => ({
      type,
      data: { campaignId, periodKey: plan.periodKey, provenance: snap.provenance as ReportProvenance, content },
    });
    switch (plan.cadence) {
      case 'daily_inspection': {
        const snap = await this.sources.dailyBulletin(campaignId, plan.runDate, asOf);
        return publish('PublishDailyBulletin', snap, snap.value) as CadenceReportCommandRequest;
      }
      case 'daily_dispatch': {
        const since = await this.sources.lastDispatchListSequence(campaignId, plan.runDate);
        const snap = await this.sources.dailyDispatchList(campaignId, plan.runDate, asOf, since);
        return publish('PublishDailyDispatchList', snap, snap.value) as CadenceReportCommandRequest;
      }
      case 'weekly_dispatch': {
        const week = { key: plan.periodKey, monday: plan.periodStart, sunday: plan.periodEnd };
        const snap = await this.sources.weeklyUnits(campaignId, week, asOf);
        return publish('PublishWeeklyDispatch', snap, {
          week: plan.periodKey,
          periodStart: plan.periodStart,
          periodEnd: plan.periodEnd,
          units: snap.value,
        }) as CadenceReportCommandRequest;
      }
      case 'monthly_review': {
        const snap = await this.sources.monthlyMetrics(campaignId, plan.periodKey, asOf);
        return publish('PublishMonthlyReview', snap, {
          month: plan.periodKey,
          // The version in force for the month reviewed (a new version applies from its first month on).
          formulaVersion: scoringFormulaForMonth(plan.periodKey).version,
          units: snap.value,
        }) as CadenceReportCommandRequest;
      }
      case 'report_cutoff':
        throw new Error('the daily report cutoff publishes no report');
      default: {
        const unknown: never = plan.cadence;
        throw new Error(`unknown cadence ${String(unknown)}`);
      }
    }
  }

  /** The campaign now (a pause, a resume or the end may have been appended since), with its kept calendar. */
  private async campaign(
    campaignId: string,
  ): Promise<{ settings: CampaignSettings; lifecycle: CampaignLifecycle; calendar: WorkdayCalendar } | null> {
    const { state } = await this.write.campaignContexts.current(campaignId);
    const ctx = await this.write.campaignContexts.context(campaignId);
    if (state.status !== 'Active' || !ctx) return null;
    return { settings: state.settings, lifecycle: state.lifecycle, calendar: ctx.calendar };
  }
}

/** The wall time the cadence's schedule fires at: the time a deferred run happens on its workday too. */
export const firingTime = (settings: Pick<CampaignSettings, 'policy'>, cadence: ScheduledCadence): string =>
  cadence === REPORT_CUTOFF
    ? reportCutoffFiring(settings.policy.progressCutoff).time
    : cadenceFirings(settings.policy.inspectionCutoff).find((f) => f.cadence === cadence)!.time;
