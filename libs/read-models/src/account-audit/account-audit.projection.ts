import type { PoolClient } from 'pg';
import { ACCOUNT_EVENT_TYPES, type AccountEvent } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { signerOf } from '../support';

const ACCOUNT_PREFIX = 'account-';

/**
 * The sign-in audit trail: one row per event of an account stream — who (or the system) signed it, when, the session,
 * the method and the client address, and the rest of the event's facts. Events carry no password material or token,
 * so neither does the trail. Idempotent by (stream, version).
 */
export class AccountAuditProjection implements Projection {
  readonly name = 'account_audit';
  readonly version = 1;
  readonly tables = ['account_audit_v1'];
  readonly handles = [...ACCOUNT_EVENT_TYPES];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (!e.streamId.startsWith(ACCOUNT_PREFIX)) return;
    const d = e.data as AccountEvent['data'] & Record<string, unknown>;
    const { signedBy: _signer, at, userId, sessionId, method, clientAddress, ...detail } = d as Record<string, unknown>;
    const signer = signerOf(e);
    await client.query(
      `INSERT INTO account_audit_v1 (stream_id, version, user_id, position, event_id, event_type, signer_id, signer_name,
         signer_role, at, session_id, method, client_address, detail, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT (stream_id, version) DO NOTHING`,
      [
        e.streamId,
        e.version,
        typeof userId === 'string' ? userId : e.streamId.slice(ACCOUNT_PREFIX.length),
        e.position,
        e.eventId,
        e.type,
        signer?.userId ?? null,
        signer?.name ?? null,
        signer?.role ?? null,
        typeof at === 'string' ? at : e.recordedAt,
        typeof sessionId === 'string' ? sessionId : null,
        typeof method === 'string' ? method : null,
        typeof clientAddress === 'string' ? clientAddress : null,
        JSON.stringify(detail),
        e.hash,
      ],
    );
  }
}
