import type { Pool } from 'pg';
import { iso, normalisePaging, Page, Paging } from '../support';
import type { AuditChange } from './changes';

export interface AuditEntry {
  streamId: string;
  version: number;
  findingId: string | null;
  position: string;
  eventId: string;
  eventType: string;
  signer: { id: string; name: string; unitId: string | null; unitName: string | null; role: string | null } | null;
  /** When the signer acted (the event's `at`). */
  at: string | null;
  /** When the store committed it. */
  recordedAt: string;
  /**
   * When the person captured it on the phone, for a command captured without signal and sent later (the request's
   * X-Captured-At, kept in the event's metadata); null for one sent at once. Client-reported: it never replaces `at`.
   */
  capturedAt: string | null;
  reason: string | null;
  summary: string;
  /** What the event changed, field by field (状态 已登记 → 已交办, 整改期限 …, 责任单位 …). */
  changes: AuditChange[];
  /**
   * A consequence's answerable person and unit (谁签字谁负责): the `accountable` a timer's event names, or the fix's
   * signer for a look-back reopen. Null for an event that attributes nothing.
   */
  attributedTo: {
    person: { id: string; name: string; role: string | null } | null;
    unitId: string | null;
    unitName: string | null;
  } | null;
  hash: string;
  prevHash: string;
  correlationId: string | null;
}

/** In one person's view: whether they signed the event, or it is a consequence attributed to them (or both). */
export type AuditRelation = 'signed' | 'attributed';

export interface PersonAuditEntry extends AuditEntry {
  relation: AuditRelation[];
  /** 本人签字 / 记在本人名下. */
  relationLabel: string;
}

const COLUMNS = `stream_id, version, finding_id, position::text AS position, event_id::text AS event_id, event_type,
  signer_id, signer_name, signer_unit_id, signer_unit_name, signer_role, at, recorded_at, reason, summary, changes,
  attributed_person_id, attributed_person_name, attributed_person_role, attributed_unit_id, attributed_unit_name,
  hash, prev_hash, correlation_id, captured_at`;

/** Reads the audit trail: one finding's whole history, or one person's. Read-only for everyone. */
export class AuditTrailQuery {
  constructor(private readonly pool: Pool) {}

  /** Every event of the finding in stream order; the chain can be checked link by link (prevHash = previous hash). */
  async forFinding(findingId: string): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM audit_trail_v2 WHERE finding_id = $1 ORDER BY version`,
      [findingId],
    );
    return rows.map(toEntry);
  }

  /**
   * One person's record, oldest first: what they signed, and every consequence attributed to them (a missed
   * report, an overdue deadline, an escalation, a look-back reopen) though the system or a supervisor signed it.
   */
  async forSigner(userId: string, paging: Paging = {}): Promise<Page<PersonAuditEntry>> {
    const { page, pageSize, offset } = normalisePaging(paging);
    const where = 'WHERE signer_id = $1 OR attributed_person_id = $1';
    const total = await this.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM audit_trail_v2 ${where}`, [userId]);
    // `position` is also an output column (as text): order by the table's bigint, or '10' sorts before '4'.
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS} FROM audit_trail_v2 ${where} ORDER BY recorded_at, audit_trail_v2.position LIMIT $2 OFFSET $3`,
      [userId, pageSize, offset],
    );
    const items = rows.map((r): PersonAuditEntry => {
      const entry = toEntry(r);
      const relation: AuditRelation[] = [];
      if (r.signer_id === userId) relation.push('signed');
      if (r.attributed_person_id === userId) relation.push('attributed');
      const relationLabel = relation.map((x) => (x === 'signed' ? '本人签字' : '记在本人名下（后果归责）')).join('；');
      return { ...entry, relation, relationLabel };
    });
    return { items, total: Number(total.rows[0].n), page, pageSize };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toEntry(r: any): AuditEntry {
  const attributed = r.attributed_person_id || r.attributed_unit_id;
  return {
    streamId: r.stream_id,
    version: r.version,
    findingId: r.finding_id,
    position: r.position,
    eventId: r.event_id,
    eventType: r.event_type,
    signer: r.signer_id
      ? { id: r.signer_id, name: r.signer_name ?? '', unitId: r.signer_unit_id, unitName: r.signer_unit_name, role: r.signer_role }
      : null,
    at: iso(r.at),
    recordedAt: iso(r.recorded_at)!,
    capturedAt: iso(r.captured_at),
    reason: r.reason,
    summary: r.summary,
    changes: r.changes ?? [],
    attributedTo: attributed
      ? {
          person: r.attributed_person_id
            ? { id: r.attributed_person_id, name: r.attributed_person_name ?? '', role: r.attributed_person_role }
            : null,
          unitId: r.attributed_unit_id,
          unitName: r.attributed_unit_name,
        }
      : null,
    hash: r.hash,
    prevHash: r.prev_hash,
    correlationId: r.correlation_id,
  };
}
