import {
  findingStreamId,
  type LocalDate,
  isSystemCommandType,
  planTimers,
  SYSTEM_ACTOR,
  timersFinished,
} from '@duban/domain';
import type { EventStore } from '@duban/event-store';
import type { FindingTimerPlan, FireTimerResult } from '@duban/contracts';
import type { CampaignContexts } from './campaign-contexts';
import type { FindingCommandRequest } from './commands';
import type { FindingCommands, FindingOutcome } from './finding-commands';
import { loadFindingStream } from './finding-stream';

const timerResult = (o: FindingOutcome): FireTimerResult => ({ appended: o.events.map((e) => e.type), version: o.version });

/** A planned timer as the workflow hands it back: its key, its instant and the system command it fires. */
export interface FiredTimer {
  key: string;
  dueAt: string;
  command: { type: string; data: object };
}

/**
 * What the finding workflow asks of the write side: the timers its stream implies now, and firing one of them as a
 * system command through FindingCommands, the path people's commands take. Temporal holds only time; the plan is
 * always re-derived from the event store. The worker's activities and the test drivers both fire through here.
 */
export class FindingTimers {
  constructor(
    private readonly store: EventStore,
    private readonly findings: FindingCommands,
    private readonly campaigns: CampaignContexts,
  ) {}

  /** With `asOf`, the timers the stream implied as it stood at that instant (see loadFindingStream). */
  async plan(findingId: string, asOf?: string): Promise<FindingTimerPlan> {
    const { state, version } = await loadFindingStream(this.store, findingStreamId(findingId), asOf);
    // A stream not there yet may be about to be (the forwarder's signal can overtake nothing, but a caller may start
    // the workflow first): it lingers. A finding whose campaign is gone can never be planned again.
    if (state.status === 'Empty') return { version, status: state.status, timers: [], finished: true };
    const ctx = await this.campaigns.context(state.campaignId);
    if (!ctx) return { version, status: state.status, timers: [], finished: true, final: true };
    return {
      version,
      status: state.status,
      timers: planTimers(state, ctx).map((t) => ({ ...t, command: { type: t.command.type, data: { ...t.command.data } } })),
      finished: timersFinished(state),
      // Annulment is terminal: no command applies to an annulled finding, so no event will ever want a timer again.
      final: state.status === 'Annulled',
    };
  }

  /**
   * Idempotent twice over: the command's key is the timer's (so its event ids are deterministic and a retried
   * activity gets the first result), and decide appends nothing once the consequence is on record. Decided at the
   * instant the timer was due, signed by the system.
   */
  fire(findingId: string, timer: FiredTimer, correlationId: string): Promise<FireTimerResult> {
    return this.fireAt(findingId, timer, { correlationId }, timerResult);
  }

  /**
   * As `fire`, decided at `at` when given (a workflow that woke after the due instant, as a test driver plays it), with
   * the result shaped by the caller (stored as the command's first result, returned on every replay).
   */
  async fireAt<R>(
    findingId: string,
    timer: FiredTimer,
    meta: { correlationId: string; at?: string; asOf?: string },
    result: (outcome: FindingOutcome) => R,
  ): Promise<R> {
    // The workflow hands the command back as plain data: only the system's own commands are a timer's to fire.
    if (!isSystemCommandType(timer.command.type)) throw new Error(`timer ${timer.key} names ${timer.command.type}, not a system command`);
    const command = { type: timer.command.type, data: timer.command.data, findingId } as FindingCommandRequest;
    return this.findings.run(
      command,
      SYSTEM_ACTOR,
      { idempotencyKey: `${findingId}:${timer.key}`, correlationId: meta.correlationId, at: meta.at ?? timer.dueAt, asOf: meta.asOf },
      result,
    );
  }

  /**
   * The daily cutoff sweep (one per campaign at policy.progressCutoff, instead of a timer per finding): each finding
   * given records every daily report it owed up to `workday`'s cutoff and did not file, exactly as its own timer would
   * — the same system command, key (`<finding>:daily-report:<day>`), decision instant and attribution — so a re-run,
   * or an old run's timer firing the same day, appends nothing. Each day is decided on the stream as it stood at that
   * day's cutoff: a report filed after it does not settle the day, however long the sweep takes to reach the finding.
   * The ids may be a superset (a stale read model's): a finding owing nothing appends nothing.
   */
  async sweepDailyReports(
    campaignId: string,
    workday: LocalDate,
    findingIds: readonly string[],
    correlationId: string,
    concurrency = 8,
  ): Promise<{ findings: number; missed: number }> {
    const ctx = await this.campaigns.context(campaignId);
    if (!ctx) return { findings: findingIds.length, missed: 0 };
    const cutoffAt = ctx.calendar.cutoffInstant(workday, ctx.campaign.policy.progressCutoff);
    let missed = 0;
    let next = 0;
    const sweepOne = async (findingId: string): Promise<void> => {
      const fired = new Set<string>();
      for (;;) {
        const due = (await this.plan(findingId, cutoffAt)).timers.find((t) => t.kind === 'daily_report' && Date.parse(t.dueAt) <= Date.parse(cutoffAt));
        // A day already fired is settled (a replayed key returns its first result without appending again).
        if (!due || fired.has(due.key)) return;
        fired.add(due.key);
        // The timer's result shape: whichever of the sweep and an old run's timer fires first, the other replays it.
        const { appended } = await this.fireAt(findingId, due, { correlationId, asOf: due.dueAt }, timerResult);
        if (appended.length === 0) return;
        missed += 1;
      }
    };
    await Promise.all(
      Array.from({ length: Math.max(1, Math.min(concurrency, findingIds.length)) }, async () => {
        for (let i = next++; i < findingIds.length; i = next++) await sweepOne(findingIds[i]);
      }),
    );
    return { findings: findingIds.length, missed };
  }
}
