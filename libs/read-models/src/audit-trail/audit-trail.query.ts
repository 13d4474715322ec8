import type { Pool } from 'pg';
import { iso, normalisePaging, Page, Paging } from '../support';

export interface AuditEntry {
  streamId: string;
  version: number;
  findingId: string | null;
  position: string;
  eventId: string;
  eventType: string;
  signer: { id: string; name: string; unitId: string | null; role: string | null } | null;
  /** When the signer acted (the event's `at`). */
  at: string | null;
  /** When the store committed it. */
  recordedAt: string;
  reason: string | null;
  summary: string;
  hash: string;
  prevHash: string;
  correlationId: string | null;
}

const COLUMNS = `stream_id, version, finding_id, position::text AS position, event_id::text AS event_id, event_type,
  signer_id, signer_name, signer_unit_id, signer_role, at, recorded_at, reason, summary, hash, prev_hash, correlation_id`;

/** Reads the audit trail: one finding's whole history, or everything one person signed. Read-only for everyone. */
export class AuditTrailQuery {
  constructor(private readonly pool: Pool) {}

  /** Every event of the finding in stream order; the chain can be checked link by link (prevHash = previous hash). */
  async forFinding(findingId: string): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM audit_trail_v1 WHERE finding_id = $1 ORDER BY version`,
      [findingId],
    );
    return rows.map(toEntry);
  }

  /** What one person signed, oldest first (谁签字谁负责). */
  async forSigner(userId: string, paging: Paging = {}): Promise<Page<AuditEntry>> {
    const { page, pageSize, offset } = normalisePaging(paging);
    const total = await this.pool.query<{ n: string }>(
      'SELECT count(*)::text AS n FROM audit_trail_v1 WHERE signer_id = $1',
      [userId],
    );
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM audit_trail_v1 WHERE signer_id = $1
        ORDER BY recorded_at, position LIMIT $2 OFFSET $3`,
      [userId, pageSize, offset],
    );
    return { items: rows.map(toEntry), total: Number(total.rows[0].n), page, pageSize };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toEntry(r: any): AuditEntry {
  return {
    streamId: r.stream_id,
    version: r.version,
    findingId: r.finding_id,
    position: r.position,
    eventId: r.event_id,
    eventType: r.event_type,
    signer: r.signer_id
      ? { id: r.signer_id, name: r.signer_name ?? '', unitId: r.signer_unit_id, role: r.signer_role }
      : null,
    at: iso(r.at),
    recordedAt: iso(r.recorded_at)!,
    reason: r.reason,
    summary: r.summary,
    hash: r.hash,
    prevHash: r.prev_hash,
    correlationId: r.correlation_id,
  };
}
