import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { GlobalPosition, PostgresEventStore, START } from '@duban/event-store';
import type { ProjectionRunner } from '../src';
import {
  decide,
  evolve,
  findingStreamId,
  initialState,
  planTimers,
  type FindingCommand,
  type FindingEvent,
  type FindingState,
  type TimerKind,
} from '@duban/domain/findings';
import { testContext } from '@duban/domain/testing/fixtures';
import { SYSTEM_ACTOR, type Actor } from '@duban/domain/shared/actor';

/** The store's own clock only stamps recorded_at; the domain's `at` comes from each command's `now`. */
export const storeClock = { now: () => new Date('2026-10-08T02:00:00.000Z') };

type CommandOf<T extends FindingCommand['type']> = Extract<FindingCommand, { type: T }>;

/**
 * Drives findings the way the API will: load the stream, decide, append with the expected version.
 * States are cached per finding (this driver is the only writer in a test).
 */
export class FindingDriver {
  readonly store: PostgresEventStore;
  readonly ctx = testContext();
  private readonly states = new Map<string, { state: FindingState; version: number }>();

  constructor(pool: Pool) {
    this.store = new PostgresEventStore(pool, storeClock);
  }

  state(findingId: string): FindingState {
    return this.states.get(findingId)?.state ?? initialState();
  }

  async exec<T extends FindingCommand['type']>(
    findingId: string,
    type: T,
    data: CommandOf<T>['data'],
    actor: Actor,
    now: string,
  ): Promise<FindingEvent[]> {
    const current = this.states.get(findingId) ?? { state: initialState(), version: 0 };
    const command = { type, data, metadata: { actor, now } } as unknown as FindingCommand;
    const events = decide(command, current.state, this.ctx);
    if (events.length === 0) return events; // a timer that no longer applies appends nothing
    const correlationId = randomUUID();
    await this.store.append([
      {
        streamId: findingStreamId(findingId),
        expectedVersion: current.version,
        events: events.map((e) => ({
          eventId: randomUUID(),
          type: e.type,
          data: e.data as unknown as Record<string, unknown>,
          metadata: { correlationId, commandType: type },
        })),
      },
    ]);
    this.states.set(findingId, {
      state: events.reduce(evolve, current.state),
      version: current.version + events.length,
    });
    return events;
  }

  /**
   * Fires the finding's planned timer of this kind as its workflow would: the system command, signed by the system,
   * at the timer's instant (or later). Throws if no such timer is planned, so a test cannot silently skip a step.
   */
  async fire(findingId: string, kind: TimerKind, at?: string): Promise<FindingEvent[]> {
    const timer = planTimers(this.state(findingId), this.ctx).find((t) => t.kind === kind);
    if (!timer) throw new Error(`no ${kind} timer is planned for ${findingId}`);
    return this.exec(findingId, timer.command.type, timer.command.data as never, SYSTEM_ACTOR, at ?? timer.dueAt);
  }

  /** The timers the finding's workflow would sleep on now. */
  timers(findingId: string) {
    return planTimers(this.state(findingId), this.ctx);
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
export async function headOf(pool: Pool): Promise<GlobalPosition> {
  const { rows } = await pool.query<{ t: string; p: string }>(
    `SELECT transaction_id::text AS t, position::text AS p FROM events ORDER BY transaction_id DESC, position DESC LIMIT 1`,
  );
  return rows.length ? { transactionId: rows[0].t, position: rows[0].p } : START;
}

/** catchUp can stop short of an in-flight transaction anywhere in the cluster; tests wait for the head. */
export async function catchUpFully(runner: ProjectionRunner, pool: Pool, batchSize?: number): Promise<void> {
  if (!(await runner.catchUpTo(await headOf(pool), { timeoutMs: 10_000, batchSize }))) {
    throw new Error('projections did not reach the head of the log');
  }
}
