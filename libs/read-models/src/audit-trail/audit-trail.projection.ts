import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { atOf, findingIdOf, signerOf } from '../support';
import { describeEvent, UnitNameResolver } from './summaries';

export interface AuditTrailOptions {
  /**
   * Unit names for the human summary ("交办至 宁平镇"). Events carry unit ids only; without a resolver the id is
   * shown. The resolver must be stable (a unit directory), or a rebuild would word old summaries differently.
   */
  unitName?: UnitNameResolver;
}

/**
 * One row per event on a finding or campaign stream: who signed, when, why, a short summary, and the hash chain
 * link exactly as stored, so the discipline inspector can hold the trail against verify-chains. It handles every
 * event type ('*') so a type added later (a system escalation) can never be missing from the trail.
 */
export class AuditTrailProjection implements Projection {
  readonly name = 'audit_trail';
  readonly version = 1;
  readonly tables = ['audit_trail_v1'];
  readonly handles = ['*'];
  private readonly unitName: UnitNameResolver;

  constructor(options: AuditTrailOptions = {}) {
    this.unitName = options.unitName ?? ((id) => id);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!e.streamId.startsWith('finding-') && !e.streamId.startsWith('campaign-')) return;
    const signer = signerOf(e);
    const reason = (e.data as { reason?: unknown }).reason;
    await client.query(
      `INSERT INTO audit_trail_v1 (stream_id, version, finding_id, position, event_id, event_type, signer_id,
         signer_name, signer_unit_id, signer_role, at, recorded_at, reason, summary, hash, prev_hash, correlation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
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
        signer?.unitId ?? null,
        signer?.role ?? null,
        atOf(e),
        e.recordedAt,
        typeof reason === 'string' ? reason : null,
        describeEvent(e, this.unitName),
        e.hash,
        e.prevHash,
        e.metadata?.correlationId ?? null,
      ],
    );
  }
}
