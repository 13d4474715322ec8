import type { Pool } from 'pg';
import { Poller, type PollingLoopState } from '@duban/event-store';
import { CampaignsQuery } from '@duban/read-models';
import {
  type Client,
  type ScheduleDescription,
  type ScheduleHandle,
  type ScheduleOptions,
  type ScheduleOptionsStartWorkflowAction,
  type ScheduleSpec,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  type Workflow,
} from '@temporalio/client';
import {
  type CadenceFiring,
  CAMPAIGN_LIFECYCLES,
  cadenceFirings,
  REPORT_CUTOFF,
  reportCutoffFiring,
  SCHEDULED_CADENCE_LABELS as CADENCE_LABELS,
  SCHEDULED_CADENCES,
  type CampaignLifecycle,
  DEFAULT_POLICY,
  isLocalTime,
} from '@duban/domain';
import {
  CADENCE_TASK_QUEUE,
  CADENCE_WORKFLOW_TYPE,
  type CadenceName,
  type CadenceWorkflowInput,
  cadenceScheduleId,
  cadenceWorkflowId,
} from '@duban/contracts';

export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';
/** A server outage shorter than this still takes the missed firings (each decides its own day from its scheduled time). */
export const DEFAULT_CATCHUP_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;
/** Besides reacting to campaign changes, every schedule is checked this often (one deleted by hand comes back). */
const DEFAULT_FULL_SWEEP_MS = 10 * 60 * 1000;

export interface ScheduleLogger {
  info(obj: unknown, msg?: string): void;
  warn(obj: unknown, msg?: string): void;
  error(obj: unknown, msg?: string): void;
}

export interface CadenceScheduleOptions {
  taskQueue?: string;
  /** How often the campaign read models are polled for changes. */
  pollIntervalMs: number;
  catchupWindowMs?: number;
  fullSweepMs?: number;
}

/** What the schedules of one campaign follow (CampaignsQuery.scheduleRows, from the campaigns read model). */
export interface CampaignScheduleSource {
  campaignId: string;
  name: string;
  inspectionCutoff: string;
  /** policy.progressCutoff: when the daily report cutoff sweeps the campaign's findings. */
  progressCutoff: string;
  lifecycle: CampaignLifecycle;
  reason: string | null;
}

export type ScheduleOutcome = 'created' | 'updated' | 'paused' | 'unpaused' | 'unchanged' | 'deleted' | 'absent';

// ---------- the desired schedule, a pure function of the campaign ----------

const hm = (time: string): { hour: number; minute: number } => {
  const [hour, minute] = time.split(':').map(Number);
  return { hour, minute };
};

const range = <T>(start: T, end: T = start) => ({ start, end, step: 1 });

/**
 * The calendar of one cadence's firing, every field spelled out so that what the server describes back compares equal.
 * Schedules fire on every matching calendar day; the workflow decides rest days, make-up days and deferrals on the
 * campaign calendar, which the scheduler does not know.
 */
export const firingCalendar = (firing: CadenceFiring) => {
  const { hour, minute } = hm(firing.time);
  const days =
    firing.dayOfWeek === 'MONDAY' ? '每周一' : firing.dayOfMonth === 1 ? '每月1日' : '每天';
  return {
    second: [range(0)],
    minute: [range(minute)],
    hour: [range(hour)],
    dayOfMonth: [firing.dayOfMonth === 1 ? range(1) : range(1, 31)],
    month: [range('JANUARY' as const, 'DECEMBER' as const)],
    year: [] as Array<{ start: number; end: number; step: number }>,
    dayOfWeek: [firing.dayOfWeek === 'MONDAY' ? range('MONDAY' as const) : range('SUNDAY' as const, 'SATURDAY' as const)],
    comment: `${CADENCE_LABELS[firing.cadence]}：${days} ${firing.time}（北京时间）触发，是否执行由专项行动工作日历决定`,
  };
};

const lifecycleNote = (c: CampaignScheduleSource, cadence: CadenceName): string => {
  const label = CADENCE_LABELS[cadence];
  if (c.lifecycle === 'paused') return `专项行动已暂停，${label}暂停执行。原因：${c.reason ?? '未说明'}`;
  return `专项行动进行中，按工作日历执行${label}${c.reason ? `（已恢复：${c.reason}）` : ''}`;
};

export interface DesiredSchedule {
  scheduleId: string;
  spec: ScheduleSpec;
  action: ScheduleOptionsStartWorkflowAction<Workflow> & { workflowId: string; args: [CadenceWorkflowInput] };
  policies: { overlap: 'BUFFER_ALL'; catchupWindow: number; pauseOnFailure: false };
  memo: Record<string, unknown>;
  state: { paused: boolean; note: string };
}

export const desiredSchedule = (
  c: CampaignScheduleSource,
  cadence: CadenceName,
  options: { taskQueue?: string; catchupWindowMs?: number } = {},
): DesiredSchedule => {
  const firing = cadence === REPORT_CUTOFF ? reportCutoffFiring(c.progressCutoff) : cadenceFirings(c.inspectionCutoff).find((f) => f.cadence === cadence)!;
  // The findings' report timers never paused with the campaign; the sweep that replaced them does not either.
  const paused = c.lifecycle === 'paused' && cadence !== REPORT_CUTOFF;
  return {
    scheduleId: cadenceScheduleId(c.campaignId, cadence),
    spec: { calendars: [firingCalendar(firing)], timezone: SCHEDULE_TIME_ZONE },
    action: {
      type: 'startWorkflow',
      workflowType: CADENCE_WORKFLOW_TYPE,
      workflowId: cadenceWorkflowId(c.campaignId, cadence),
      taskQueue: options.taskQueue ?? CADENCE_TASK_QUEUE,
      args: [{ campaignId: c.campaignId, cadence }],
    },
    // A run waiting for the week's first workday must not be overtaken by the next firing, nor make it vanish.
    policies: { overlap: 'BUFFER_ALL', catchupWindow: options.catchupWindowMs ?? DEFAULT_CATCHUP_WINDOW_MS, pauseOnFailure: false },
    memo: {
      campaignId: c.campaignId,
      campaignName: c.name,
      cadence,
      说明: `${c.name}：${CADENCE_LABELS[cadence]}。由督办系统按专项行动自动维护：暂停时暂停，恢复时恢复，结束时删除。`,
    },
    state: { paused, note: paused || cadence !== REPORT_CUTOFF ? lifecycleNote(c, cadence) : '按工作日历执行日报截止（专项行动暂停不影响已交办问题的日报）' },
  };
};

// ---------- comparing with what the server holds ----------

type Ranges = Array<{ start: unknown; end?: unknown; step?: number }>;
const rangesKey = (rs: Ranges | undefined): string =>
  JSON.stringify((rs ?? []).map((r) => [r.start, r.end ?? r.start, r.step && r.step > 0 ? r.step : 1]));

const specKey = (spec: {
  calendars?: Array<Record<string, unknown>>;
  intervals?: unknown[];
  skip?: unknown[];
  cronExpressions?: unknown[];
  timezone?: string;
}): string =>
  JSON.stringify({
    calendars: (spec.calendars ?? []).map((cal) => ({
      ...Object.fromEntries(
        ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'year', 'dayOfWeek'].map((f) => [f, rangesKey(cal[f] as Ranges)]),
      ),
      comment: cal.comment ?? '',
    })),
    intervals: spec.intervals?.length ?? 0,
    skip: spec.skip?.length ?? 0,
    cron: spec.cronExpressions?.length ?? 0,
    timezone: spec.timezone ?? '',
  });

const actionKey = (a: { workflowType: unknown; workflowId?: string; taskQueue?: unknown; args?: unknown }): string =>
  JSON.stringify([a.workflowType, a.workflowId, a.taskQueue, a.args ?? []]);

/** What differs between the server's schedule and the desired one: the definition, the paused state, or nothing. */
export const scheduleDrift = (current: ScheduleDescription, desired: DesiredSchedule): { definition: boolean; paused: boolean } => ({
  definition:
    specKey(current.spec as never) !== specKey(desired.spec as never) ||
    actionKey(current.action) !== actionKey(desired.action) ||
    current.policies.overlap !== desired.policies.overlap ||
    current.policies.catchupWindow !== desired.policies.catchupWindow ||
    current.policies.pauseOnFailure !== desired.policies.pauseOnFailure,
  paused: current.state.paused !== desired.state.paused,
});

// ---------- the reconciler ----------

/**
 * Keeps five Temporal Schedules per campaign (日督查、日交办、周调度、月讲评, and the daily report cutoff) in line with the campaign read models:
 * created when missing, updated only where their definition drifted, paused while the campaign is paused (the note
 * gives the reason), unpaused on resume, deleted when it ends. Run at worker start, then whenever a campaign's row
 * changes (polled), and in full every few minutes. Every step is idempotent: a second worker, or a restart, finds
 * the schedules as they should be and changes nothing.
 */
export class CadenceScheduleReconciler {
  private readonly seen = new Map<string, string>();
  private lastFullSweep = 0;
  private passes = 0;
  private lastPassFailed = false;
  private readonly poller = new Poller(async () => {
    try {
      await this.reconcile();
      if (this.lastPassFailed) throw new Error('some campaigns were not reconciled');
    } finally {
      this.passes += 1;
    }
  });

  constructor(
    private readonly pool: Pool,
    private readonly temporal: Pick<Client, 'schedule'>,
    private readonly logger: ScheduleLogger,
    private readonly options: CadenceScheduleOptions,
  ) {}

  /**
   * Reconciles once now (failures are logged, not thrown), then keeps polling; after a failed pass (the database or
   * Temporal away, a campaign not reconciled) the next one waits longer, up to half a minute.
   */
  start(): Promise<void> {
    return this.poller.start({ name: 'cadence schedules', intervalMs: this.options.pollIntervalMs, logger: this.logger });
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  get loopState(): PollingLoopState | null {
    return this.poller.state;
  }

  /** Polling passes finished since start, failed or not: lets a caller wait for the next pass instead of guessing. */
  get completedPasses(): number {
    return this.passes;
  }

  /**
   * Reconciles the campaigns whose row changed since the last successful pass (all of them on the first pass and on a
   * full sweep). Returns what was done per schedule id.
   */
  async reconcile(options: { full?: boolean } = {}): Promise<Map<string, ScheduleOutcome>> {
    const full = options.full || Date.now() - this.lastFullSweep >= (this.options.fullSweepMs ?? DEFAULT_FULL_SWEEP_MS);
    this.lastPassFailed = true;
    const campaigns = await this.campaigns();
    const outcomes = new Map<string, ScheduleOutcome>();
    let failed = false;
    for (const c of campaigns) {
      const fingerprint = JSON.stringify([c.name, c.inspectionCutoff, c.progressCutoff, c.lifecycle, c.reason]);
      if (!full && this.seen.get(c.campaignId) === fingerprint) continue;
      try {
        for (const [id, outcome] of await this.reconcileCampaign(c)) outcomes.set(id, outcome);
        this.seen.set(c.campaignId, fingerprint);
      } catch (err) {
        failed = true;
        this.logger.warn({ err, campaignId: c.campaignId }, 'cadence schedules: campaign not reconciled; retrying');
      }
    }
    if (full && !failed) this.lastFullSweep = Date.now();
    this.lastPassFailed = failed;
    return outcomes;
  }

  async reconcileCampaign(c: CampaignScheduleSource): Promise<Array<[string, ScheduleOutcome]>> {
    const results: Array<[string, ScheduleOutcome]> = [];
    for (const cadence of SCHEDULED_CADENCES) {
      const desired = desiredSchedule(c, cadence, this.options);
      // An ended campaign's findings still owe their reports (their timers did not stop at the end): the cutoff stays.
      const outcome = c.lifecycle === 'ended' && cadence !== REPORT_CUTOFF ? await this.remove(desired.scheduleId) : await this.ensure(desired);
      results.push([desired.scheduleId, outcome]);
      if (outcome !== 'unchanged' && outcome !== 'absent') {
        this.logger.info(
          { campaignId: c.campaignId, cadence, scheduleId: desired.scheduleId, outcome, lifecycle: c.lifecycle, reason: c.reason },
          `cadence schedule ${outcome}`,
        );
      }
    }
    return results;
  }

  private async ensure(desired: DesiredSchedule): Promise<ScheduleOutcome> {
    try {
      const options: ScheduleOptions = {
        scheduleId: desired.scheduleId,
        spec: desired.spec,
        action: desired.action,
        policies: desired.policies,
        memo: desired.memo,
        state: desired.state,
      };
      await this.temporal.schedule.create(options);
      return 'created';
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    }
    const handle = this.temporal.schedule.getHandle(desired.scheduleId);
    const drift = scheduleDrift(await handle.describe(), desired);
    if (drift.definition) {
      await handle.update((previous) => ({
        ...previous,
        spec: desired.spec,
        action: desired.action,
        policies: desired.policies,
        state: { paused: desired.state.paused, note: desired.state.note, remainingActions: previous.state.remainingActions },
      }));
      return 'updated';
    }
    if (drift.paused) return this.setPaused(handle, desired);
    return 'unchanged';
  }

  private async setPaused(handle: ScheduleHandle, desired: DesiredSchedule): Promise<ScheduleOutcome> {
    if (desired.state.paused) {
      await handle.pause(desired.state.note);
      return 'paused';
    }
    await handle.unpause(desired.state.note);
    return 'unpaused';
  }

  private async remove(scheduleId: string): Promise<ScheduleOutcome> {
    try {
      await this.temporal.schedule.getHandle(scheduleId).delete();
      return 'deleted';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }

  private async campaigns(): Promise<CampaignScheduleSource[]> {
    const rows = await new CampaignsQuery(this.pool).scheduleRows();
    return rows.map((r) => ({
      campaignId: r.campaignId,
      name: r.name,
      // Campaigns created before the policy had the field run at the default cutoff (as evolveCampaign reads them).
      inspectionCutoff: isLocalTime(r.inspectionCutoff) ? r.inspectionCutoff : DEFAULT_POLICY.inspectionCutoff,
      progressCutoff: isLocalTime(r.progressCutoff) ? r.progressCutoff : DEFAULT_POLICY.progressCutoff,
      lifecycle: (CAMPAIGN_LIFECYCLES as readonly string[]).includes(r.lifecycle ?? '') ? (r.lifecycle as CampaignLifecycle) : 'active',
      reason: r.reason,
    }));
  }
}
