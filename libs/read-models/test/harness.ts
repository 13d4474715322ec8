import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { GlobalPosition, loadAggregate, PostgresEventStore } from '@duban/event-store';
import { createWriteSide, type DispatchFindings, type FindingCommandRequest, type UnitDirectory, type WriteSide } from '@duban/application';
import { DirectoryProjector, type ProjectionRunner } from '../src';
import {
  evolve,
  findingStreamId,
  initialState,
  planTimers,
  type FindingContext,
  type FindingEvent,
  type FindingState,
  type TimerKind,
} from '@duban/domain/findings';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import type { Actor } from '@duban/domain/shared/actor';

/** The store's own clock only stamps recorded_at; the domain's `at` comes from each command's `now`. */
export const storeClock = { now: () => new Date('2026-10-08T02:00:00.000Z') };

/** The units the specs record, dispatch and reassign to: the write side checks each reference against the directory. */
const UNITS: Array<[string, string, 'town' | 'department']> = [
  ['town-a', '宁平镇', 'town'],
  ['town-c', '东关镇', 'town'],
  ['dept-b', '县住建局', 'department'],
  ['dept-d', '县水利局', 'department'],
];

type DataOf<T extends FindingCommandRequest['type']> = Extract<FindingCommandRequest, { type: T }>['data'];

/**
 * Drives findings through the write side the API and the worker use (libs/application's FindingCommands): campaign
 * `c1` (testCampaign) is created through CampaignCommands, notice numbers are the campaign's to issue, and timers fire
 * through the write side's FindingTimers, as the worker's activity fires them (at the test's instant when given).
 * States are mirrored from what each command appended (this driver is the only writer of finding streams in a test).
 */
export class FindingDriver {
  private readonly states = new Map<string, FindingState>();

  private constructor(
    readonly store: PostgresEventStore,
    readonly write: WriteSide,
    readonly ctx: FindingContext,
  ) {}

  /**
   * Seeds the directory units (if absent) through the directory's commands, creates campaign c1 as the admin would (unless it
   * is there already: property specs start a driver per run on one database) and writes through the app pool.
   */
  static async start(db: { appPool: Pool; adminPool: Pool }): Promise<FindingDriver> {
    const store = new PostgresEventStore(db.appPool, storeClock);
    const units: UnitDirectory = {
      unit: async (unitId) => (await db.appPool.query<{ kind: string }>('SELECT kind FROM directory_units WHERE unit_id = $1', [unitId])).rows[0] ?? null,
    };
    const write = createWriteSide({ store, clock: storeClock, units });
    // The directory as events, as the API writes it (a rebuild of the directory projection gives it back); the same
    // batch again replays under its key.
    await write.directory.handleBatch(
      UNITS.map(([unitId, name, kind]) => ({ type: 'CreateUnit' as const, data: { unitId, name, kind, parentId: null, reason: '测试目录' } })),
      actors.admin,
      { idempotencyKey: 'harness-directory', correlationId: randomUUID(), at: sh('2026-08-25 08:00') },
    );
    if (!(await new DirectoryProjector(db.appPool).settle())) throw new Error('the directory was not projected');
    const { campaignId, name, noticePrefix, phases } = testCampaign;
    if ((await write.campaignContexts.current(campaignId)).state.status === 'Empty') {
      await write.campaigns.handle({ type: 'CreateCampaign', data: { campaignId, name, noticePrefix, phases } }, actors.admin, {
        idempotencyKey: randomUUID(),
        correlationId: randomUUID(),
        at: sh('2026-08-25 09:00'),
      });
    }
    return new FindingDriver(store, write, await write.campaignContexts.requireContext(campaignId));
  }

  state(findingId: string): FindingState {
    return this.states.get(findingId) ?? initialState();
  }

  /** A person's command, decided at `now`, as the API sends it. Refusals throw the write side's error; nothing changes. */
  async exec<T extends FindingCommandRequest['type']>(
    findingId: string,
    type: T,
    data: DataOf<T>,
    actor: Actor,
    now: string,
  ): Promise<FindingEvent[]> {
    const command = { type, data, findingId } as FindingCommandRequest;
    return this.run(command, actor, { idempotencyKey: randomUUID(), correlationId: randomUUID(), at: now });
  }

  /** 批量交办 as the API's /dispatch-notices sends it: one notice number for all. Returns the number issued. */
  async dispatchBatch(findingIds: string[], data: DispatchFindings['data'], actor: Actor, now: string): Promise<string> {
    const meta = { idempotencyKey: randomUUID(), correlationId: randomUUID(), at: now };
    const { noticeNo } = await this.write.findings.dispatchBatch({ type: 'DispatchFindings', findingIds, data }, actor, meta);
    for (const findingId of findingIds) await this.reload(findingId);
    return noticeNo;
  }

  /**
   * Fires the finding's planned timer of this kind as the worker does: the system command, signed by the system, under
   * the timer's key, decided at the timer's instant (or at `at`, when the workflow woke later). Throws if no such
   * timer is planned, so a test cannot silently skip a step.
   */
  async fire(findingId: string, kind: TimerKind, at?: string): Promise<FindingEvent[]> {
    const timer = this.timers(findingId).find((t) => t.kind === kind);
    if (!timer) throw new Error(`no ${kind} timer is planned for ${findingId}`);
    const { events } = await this.write.timers.fireAt(findingId, timer, { correlationId: randomUUID(), at }, (o) => o);
    return this.mirror(findingId, events);
  }

  /** The timers the finding's workflow would sleep on now. */
  timers(findingId: string) {
    return planTimers(this.state(findingId), this.ctx);
  }

  private async run(command: FindingCommandRequest, signer: Actor, meta: { idempotencyKey: string; correlationId: string; at: string }) {
    const { events } = await this.write.findings.run(command, signer, meta, (o) => o);
    return this.mirror(command.findingId, events);
  }

  private mirror(findingId: string, events: FindingEvent[]): FindingEvent[] {
    this.states.set(findingId, events.reduce(evolve, this.state(findingId)));
    return events;
  }

  /** A finding's state as its stream holds it, after a command that did not hand its events back. */
  private async reload(findingId: string): Promise<void> {
    const { state } = await loadAggregate<FindingState, FindingEvent>(this.store, findingStreamId(findingId), evolve, initialState());
    this.states.set(findingId, state);
  }
}

/** Every read-model table, ordered by its key, as plain JSON: what "the same contents" means in these tests. */
export const READ_MODEL_TABLES: Record<string, string> = {
  finding_ledger_v2: 'finding_id',
  claim_list_v1: 'unit_id, finding_id',
  claim_list_findings_v1: 'finding_id',
  rectification_ledger_v2: 'finding_id',
  rectification_progress_v2: 'finding_id, stream_version',
  audit_trail_v2: 'stream_id, version',
  audit_trail_streams_v2: 'stream_id',
  campaigns_v1: 'campaign_id',
  accountability_ledger_v1: 'finding_id, stream_version',
  accountability_findings_v1: 'finding_id',
  dispatch_notices_v1: 'notice_no, finding_id',
  dispatch_notice_findings_v1: 'finding_id',
  inspection_reports_v1: 'campaign_id, team_id, date',
  cadence_reports_v1: 'campaign_id, cadence, period_key',
  monthly_review_units_v1: 'campaign_id, month, unit_id',
  campaign_lifecycle_v1: 'campaign_id',
  self_check_accountability_v1: 'propagation_id, unit_id, stream_version',
  self_check_accountability_tasks_v1: 'propagation_id, unit_id',
};

export async function dumpReadModels(pool: Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(READ_MODEL_TABLES)) {
    const { rows } = await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY ${order}`);
    out[table] = rows.map((r) => r.row);
  }
  return out;
}

/** Shanghai wall-clock → ISO instant, as the API's clock would hand it to decide. */
export const sh = (local: string): string => `${local.replace(' ', 'T')}:00+08:00`;

/** The last event in commit order: what "fully caught up" means in a test. */
export function headOf(pool: Pool): Promise<GlobalPosition> {
  return new PostgresEventStore(pool, storeClock).head();
}

/** catchUp can stop short of an in-flight transaction anywhere in the cluster; tests wait for the head. */
export async function catchUpFully(runner: ProjectionRunner, pool: Pool, batchSize?: number): Promise<void> {
  if (!(await runner.catchUpTo(await headOf(pool), { timeoutMs: 10_000, batchSize }))) {
    throw new Error('projections did not reach the head of the log');
  }
}
