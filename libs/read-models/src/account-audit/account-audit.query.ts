import type { Pool } from 'pg';
import { normalisePaging, type Page, type Paging } from '../support';

export interface AccountAuditEntry {
  version: number;
  eventType: string;
  at: string;
  signer: { userId: string; name: string; role: string } | null;
  sessionId: string | null;
  method: string | null;
  clientAddress: string | null;
  /** The event's other facts (login, failures, lockedUntil, reason…), never password material. */
  detail: Record<string, unknown>;
  hash: string;
}

export class AccountAuditQuery {
  constructor(private readonly pool: Pool) {}

  /** One person's sign-in trail, oldest first. */
  async forPerson(userId: string, paging: Paging = {}): Promise<Page<AccountAuditEntry>> {
    const { page, pageSize, offset } = normalisePaging(paging);
    const { rows } = await this.pool.query(
      `SELECT version, event_type, at, signer_id, signer_name, signer_role, session_id, method, client_address, detail, hash,
              count(*) OVER () AS total
         FROM account_audit_v1 WHERE user_id = $1 ORDER BY at, version LIMIT $2 OFFSET $3`,
      [userId, pageSize, offset],
    );
    return {
      items: rows.map((r) => ({
        version: r.version,
        eventType: r.event_type,
        at: new Date(r.at).toISOString(),
        signer: r.signer_id ? { userId: r.signer_id, name: r.signer_name ?? '', role: r.signer_role ?? '' } : null,
        sessionId: r.session_id,
        method: r.method,
        clientAddress: r.client_address,
        detail: r.detail,
        hash: r.hash,
      })),
      total: rows.length ? Number(rows[0].total) : 0,
      page,
      pageSize,
    };
  }
}
