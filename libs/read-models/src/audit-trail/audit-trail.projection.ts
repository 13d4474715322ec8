import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
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
    if (!TRAILED_STREAM_PREFIXES.some((prefix) => e.streamId.startsWith(prefix))) return;
    const memo = await client.query<{ state: TrailState; stream_version: number }>(
      'SELECT state, stream_version FROM audit_trail_streams_v2 WHERE stream_id = $1',
      [e.streamId],
    );
    if (memo.rows.length && memo.rows[0].stream_version >= e.version) return; // already applied
    const before = memo.rows.length ? { ...emptyTrailState(), ...memo.rows[0].state } : emptyTrailState();
    const { state, changes, attribution } = foldTrail(before, e, this.unitName);
    await client.query(
      `INSERT INTO audit_trail_streams_v2 (stream_id, state, stream_version) VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE SET state = EXCLUDED.state, stream_version = EXCLUDED.stream_version
        WHERE audit_trail_streams_v2.stream_version < EXCLUDED.stream_version`,
      [e.streamId, JSON.stringify(state), e.version],
    );

    const signer = signerOf(e);
    const reason = (e.data as { reason?: unknown }).reason;
    const person = attribution?.person ?? null;
    await client.query(
      `INSERT INTO audit_trail_v2 (stream_id, version, finding_id, position, event_id, event_type, signer_id,
         signer_name, signer_unit_id, signer_unit_name, signer_role, at, recorded_at, reason, summary, changes,
         attributed_person_id, attributed_person_name, attributed_person_role, attributed_unit_id, attributed_unit_name,
         hash, prev_hash, correlation_id, captured_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
         $23, $24, $25)
       ON CONFLICT (stream_id, version) DO NOTHING`,
      [
        e.streamId,
        e.version,
        findingIdOf(e.streamId),
        e.position,
        e.eventId,
        e.type,
        signer?.userId ?? null,
        signer?.name ?? null,
        signer?.unitId || null,
        signer?.unitId ? (this.unitName(signer.unitId) ?? null) : null,
        signer?.role || null,
        atOf(e),
        e.recordedAt,
        typeof reason === 'string' ? reason : null,
        describeEvent(e, this.unitName),
        JSON.stringify(changes),
        person?.id ?? null,
        person?.name ?? null,
        person?.role ?? null,
        attribution?.unitId ?? null,
        attribution?.unitName ?? null,
        e.hash,
        e.prevHash,
        e.metadata?.correlationId ?? null,
        typeof e.metadata?.capturedAt === 'string' ? e.metadata.capturedAt : null,
      ],
    );
  }
}

