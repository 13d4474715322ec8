import { defaultPayloadConverter } from '@temporalio/common';
import { v4 as uuidv4 } from 'uuid';
import { CadenceService, type FindingCommandRequest, type FindingTimers } from '@duban/application';
import { type Actor, type FindingCommandType } from '@duban/domain';
import { actors } from '@duban/domain/testing';
import type { RecordedEvent } from '@duban/event-store';
import { CadenceSources, createProjections, ProjectionRunner } from '@duban/read-models';
import {
  CADENCE_STATUS_QUERY,
  type CadenceName,
  type CadenceWorkflowResult,
  type CadenceWorkflowStatus,
} from '@duban/contracts';
import { createCadenceActivities } from '../../apps/worker/src/cadence/cadence.activities';
import { desiredSchedule } from '../../apps/worker/src/cadence/cadence-schedules';
import { quiet, sleepMs, TimeSkippingHarness } from './harness';

type DataOf<T extends FindingCommandType> = Extract<FindingCommandRequest, { type: T }>['data'];

/** One firing of a cadence schedule, started as the schedule's action starts it. */
export interface Firing {
  workflowId: string;
  cadence: CadenceName;
  firedAt: string;
}

/**
 * The cadence workflow on the shared time-skipping harness: the real cadence activities over the real write path and
 * the real read models (a projection runner keeps them up to date, as the worker's does), and firings started exactly
 * as the schedule's action would start them.
 */
export class CadenceTimeline {
  private constructor(
    readonly h: TimeSkippingHarness,
    readonly campaignId: string,
    readonly timers: FindingTimers,
    private readonly projections: ProjectionRunner,
  ) {}

  static async start(campaignId: string): Promise<CadenceTimeline> {
    let timers!: FindingTimers;
    let projections!: ProjectionRunner;
    const h = await TimeSkippingHarness.start(({ db, write }) => {
      timers = write.timers;
      projections = new ProjectionRunner(db.appPool, createProjections(), quiet);
      return createCadenceActivities(new CadenceService(write, new CadenceSources(db.appPool, projections)));
    });
    projections.start(20);
    return new CadenceTimeline(h, campaignId, timers, projections);
  }

  async teardown(): Promise<void> {
    await this.projections.stop();
    await this.h.teardown();
  }

  /** Units and people the reports name; supervision teams with their leaders (who answer for a missed report). */
  async seedDirectory(units: Array<{ id: string; name: string; kind: string; leader?: Actor }>, people: Actor[]): Promise<void> {
    for (const u of units) {
      await this.h.db.adminPool.query(`INSERT INTO directory_units (unit_id, name, kind) VALUES ($1, $2, $3)`, [u.id, u.name, u.kind]);
    }
    for (const p of people) {
      await this.h.db.adminPool.query(
        `INSERT INTO directory_users (user_id, name, unit_id, role, title) VALUES ($1, $2, $3, $4, '')`,
        [p.userId, p.name, p.unitId, p.role],
      );
    }
    for (const u of units.filter((x) => x.leader)) {
      await this.h.db.adminPool.query(`UPDATE directory_units SET leader_user_id = $2 WHERE unit_id = $1`, [u.id, u.leader!.userId]);
    }
  }

  /** A person's finding command at an instant of Temporal's clock, through the write side the API uses. */
  async act<T extends FindingCommandType>(findingId: string, type: T, data: DataOf<T>, actor: Actor, at: string): Promise<void> {
    const command = { type, findingId, data } as FindingCommandRequest;
    await this.h.write.findings.handle(command, actor, { idempotencyKey: uuidv4(), correlationId: 'test', at });
  }

  /**
   * Starts the cadence workflow as the schedule's action does: its workflow type, task queue and arguments, and the id
   * with the scheduled time appended. The test server has no Schedules and refuses the TemporalScheduledStartTime
   * search attribute a schedule sets, so the run falls back to its start time — Temporal's clock, moved to the firing
   * instant beforehand (the dev-server suite covers the scheduled time itself, with a backfill of a past day).
   */
  async fire(cadence: CadenceName, firedAt: string, suffix = ''): Promise<Firing> {
    const { action } = desiredSchedule(
      { campaignId: this.campaignId, name: '', inspectionCutoff: '18:00', progressCutoff: '17:30', lifecycle: 'active', reason: null },
      cadence,
    );
    const workflowId = `${action.workflowId}-${firedAt.replace(/\.000Z$/, 'Z')}${suffix}`;
    await this.h.env.client.workflow.start(action.workflowType as string, { workflowId, taskQueue: action.taskQueue, args: action.args });
    return { workflowId, cadence, firedAt };
  }

  /**
   * Until the run has completed (its result) or — unless `completed` is asked for — sleeps until a later workday
   * (result null, with its status).
   */
  async settle(
    firing: Firing,
    options: { completed?: boolean; timeoutMs?: number } = {},
  ): Promise<{ result: CadenceWorkflowResult | null; status: CadenceWorkflowStatus | null }> {
    const timeoutMs = options.timeoutMs ?? 20_000;
    const handle = this.h.handle(firing.workflowId);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await handle.describe()).status.name;
      if (status === 'COMPLETED') return { result: await this.result(firing.workflowId), status: null };
      if (status !== 'RUNNING') throw new Error(`${firing.workflowId} ended ${status}: ${await this.failure(firing.workflowId)}`);
      const query = options.completed ? null : await handle.query<CadenceWorkflowStatus>(CADENCE_STATUS_QUERY).catch(() => null);
      if (query?.stage === 'waiting') return { result: null, status: query };
      if (Date.now() > deadline) throw new Error(`${firing.workflowId} did not settle: ${JSON.stringify(query)}`);
      await sleepMs(25);
    }
  }

  /** A completed run's result, read from its history (awaiting handle.result() would let the clock run free). */
  async result(workflowId: string): Promise<CadenceWorkflowResult> {
    const history = await this.h.handle(workflowId).fetchHistory();
    const completed = history.events!.find((e) => e.workflowExecutionCompletedEventAttributes)!;
    return defaultPayloadConverter.fromPayload(completed.workflowExecutionCompletedEventAttributes!.result!.payloads![0] as never);
  }

  private async failure(workflowId: string): Promise<string> {
    const history = await this.h.handle(workflowId).fetchHistory();
    const failed = history.events!.find((e) => e.workflowExecutionFailedEventAttributes);
    return failed?.workflowExecutionFailedEventAttributes?.failure?.message ?? 'no failure recorded';
  }

  /** A team's daily inspection report, filed and signed by one of its inspectors at an instant. */
  async fileInspectionReport(teamId: string, date: string, actor: Actor, at: string): Promise<void> {
    const data = { campaignId: this.campaignId, teamId, date, householdsVisited: 12, unitsVisited: 2, findingIds: [], summary: '走访农户12户，未见新问题' };
    await this.h.write.inspections.handle({ type: 'FileInspectionReport', data }, actor, { idempotencyKey: uuidv4(), correlationId: 'test', at });
  }

  /** Every event of the streams whose id starts with the prefix, in commit order. */
  async eventsOf(prefix: string): Promise<RecordedEvent[]> {
    const { rows } = await this.h.db.appPool.query<{ stream_id: string; version: number; type: string; data: string }>(
      `SELECT stream_id, version, type, data FROM events WHERE stream_id LIKE $1 || '%' ORDER BY position`,
      [prefix],
    );
    return rows.map((r) => ({ streamId: r.stream_id, version: r.version, type: r.type, data: typeof r.data === 'string' ? JSON.parse(r.data) : r.data }) as never);
  }

  async eventCount(): Promise<number> {
    const { rows } = await this.h.db.appPool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0].n);
  }
}

export { actors };
