import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { insertRows, type Row, selectRowsByKey } from '../batch/row-set';
import { atOf, findingIdOf, signerOf } from '../support';
import { emptyTrailState, foldTrail, TrailState } from './changes';
import { describeEvent, UnitNameResolver } from './summaries';

/**
 * The streams the trail keeps: findings, campaigns, and the supervision teams' days (日督查: a discipline inspector
 * reads everything a person signed, the daily report included, and every missed report named against a leader).
 * Published cadence reports are the system's and are read from the reports themselves. A person's read receipts
 * (已阅回执) are kept too, on the reader's trail (signer): a finding's own trail stays its hash chain, link by link.
 * Webhook subscriptions too: who subscribed which outside system to what.
 */
export const TRAILED_STREAM_PREFIXES: readonly string[] = ['finding-', 'campaign-', 'inspection-', 'official-calendar', 'propagation-', 'selfcheck-', 'notice-receipts-', 'webhook-subscription-'];

export interface AuditTrailOptions {
  /**
   * Unit names for the human summary ("交办至 宁平镇") and the changes ("责任单位 宁平镇 → 县住建局"). Events carry
   * unit ids only; without a resolver the id is shown. The resolver must be stable (a unit directory), or a rebuild
   * would word old summaries differently.
   */
  unitName?: UnitNameResolver;
}

/**
 * One row per event on a finding, campaign or inspection-day stream: who signed (name, unit, role), when, why, a short summary,
 * what the event changed (field by field, before → after), whom a consequence is attributed to, and the hash chain
 * link exactly as stored, so the discipline inspector can hold the trail against verify-chains. It handles every
 * event type ('*') so a type added later (a system escalation) can never be missing from the trail.
 *
 * Version 2 keeps each stream's running state in audit_trail_streams_v2: an event first advances that row's
 * stream version (the guard: a replayed event finds it already there and changes nothing), and the changes are the
 * difference between the state before and after it. The event log itself is never read.
 */
export class AuditTrailProjection implements Projection {
  readonly name = 'audit_trail';
  readonly version = 2;
  readonly tables = ['audit_trail_v2', 'audit_trail_streams_v2'];
  readonly handles = ['*'];
  private readonly unitName: UnitNameResolver;

  constructor(options: AuditTrailOptions = {}) {
    this.unitName = options.unitName ?? ((id) => id);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!isTrailed(e)) return;
    const memo = await client.query<{ state: TrailState; stream_version: number }>(
      'SELECT state, stream_version FROM audit_trail_streams_v2 WHERE stream_id = $1',
      [e.streamId],
    );
    if (memo.rows.length && memo.rows[0].stream_version >= e.version) return; // already applied
    const before = memo.rows.length ? { ...emptyTrailState(), ...memo.rows[0].state } : emptyTrailState();
    const { state, row } = this.fold(before, e);
    await client.query(
      `INSERT INTO audit_trail_streams_v2 (stream_id, state, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET state = EXCLUDED.state, stream_version = EXCLUDED.stream_version
        WHERE audit_trail_streams_v2.stream_version < EXCLUDED.stream_version`,
      [e.streamId, JSON.stringify(state), e.version],
    );
    await insertRows(client, 'audit_trail_v2', [row], 'nothing');
  }

  /** The same rows as `apply` event after event: each stream's memo read once, the trail rows in one INSERT. */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    const trailed = events.filter(isTrailed);
    if (trailed.length === 0) return;
    const memos = await selectRowsByKey(client, 'audit_trail_streams_v2', 'stream_id', trailed.map((e) => e.streamId));
    const streams = new Map<string, { state: TrailState; version: number }>();
    for (const [id, m] of memos) streams.set(id, { state: { ...emptyTrailState(), ...(m.state as TrailState) }, version: Number(m.stream_version) });
    const rows: Row[] = [];
    const touched = new Set<string>();
    for (const e of trailed) {
      const memo = streams.get(e.streamId);
      if (memo && memo.version >= e.version) continue; // already applied
      const { state, row } = this.fold(memo?.state ?? emptyTrailState(), e);
      streams.set(e.streamId, { state, version: e.version });
      touched.add(e.streamId);
      rows.push(row);
    }
    if (rows.length === 0) return;
    await insertRows(
      client,
      'audit_trail_streams_v2',
      [...touched].map((id) => ({ stream_id: id, state: streams.get(id)!.state, stream_version: streams.get(id)!.version })),
      { target: ['stream_id'] },
    );
    await insertRows(client, 'audit_trail_v2', rows, 'nothing');
  }

  /** Pure: the stream's memo after the event, and the event's trail row. */
  private fold(before: TrailState, e: RecordedEvent): { state: TrailState; row: Row } {
    const { state, changes, attribution } = foldTrail(before, e, this.unitName);
    const signer = signerOf(e);
    const reason = (e.data as { reason?: unknown }).reason;
    const person = attribution?.person ?? null;
    const row: Row = {
      stream_id: e.streamId,
      version: e.version,
      finding_id: findingIdOf(e.streamId),
      position: e.position,
      event_id: e.eventId,
      event_type: e.type,
      signer_id: signer?.userId ?? null,
      signer_name: signer?.name ?? null,
      signer_unit_id: signer?.unitId || null,
      signer_unit_name: signer?.unitId ? (this.unitName(signer.unitId) ?? null) : null,
      signer_role: signer?.role || null,
      at: atOf(e),
      recorded_at: e.recordedAt,
      reason: typeof reason === 'string' ? reason : null,
      summary: describeEvent(e, this.unitName),
      changes,
      attributed_person_id: person?.id ?? null,
      attributed_person_name: person?.name ?? null,
      attributed_person_role: person?.role ?? null,
      attributed_unit_id: attribution?.unitId ?? null,
      attributed_unit_name: attribution?.unitName ?? null,
      hash: e.hash,
      prev_hash: e.prevHash,
      correlation_id: e.metadata?.correlationId ?? null,
      captured_at: typeof e.metadata?.capturedAt === 'string' ? e.metadata.capturedAt : null,
    };
    return { state, row };
  }
}

const isTrailed = (e: RecordedEvent): boolean => TRAILED_STREAM_PREFIXES.some((prefix) => e.streamId.startsWith(prefix));
