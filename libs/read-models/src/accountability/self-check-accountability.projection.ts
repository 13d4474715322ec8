import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { SelfCheckEscalated, SelfCheckEscalationAcknowledged, SelfCheckOverdue, SelfCheckRequested } from '@duban/domain/propagation';
import type { Projection } from '../projection';
import { atOf, dataOf, shanghaiDeadlineText, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

const LEVEL_LABELS: Record<string, string> = { notice: '通报', interview: '约谈', accountability: '问责' };

/**
 * 问责台账's 举一反三 half: a missing self-check attestation (SelfCheckOverdue) and each rung of the ladder it climbs
 * (SelfCheckEscalated), attributed to whoever held the task — the claimant, else the unit — as the event names them.
 * A projection of its own beside AccountabilityLedgerProjection, so that it builds from the start of the log without
 * rebuilding the finding rows; AccountabilityLedgerQuery reads both tables as one ledger.
 *
 * The guard is one row per task (`self_check_accountability_tasks_v1`): an event first advances that row's stream
 * version, and only if it moved does a ledger row go in. The same row remembers the task's campaign and origin.
 */
export class SelfCheckAccountabilityProjection implements Projection {
  readonly name = 'self_check_accountability';
  readonly version = 1;
  readonly tables = ['self_check_accountability_v1', 'self_check_accountability_tasks_v1'];
  readonly handles = ['SelfCheckRequested', 'SelfCheckOverdue', 'SelfCheckEscalated', 'SelfCheckEscalationAcknowledged'];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    if (e.type === 'SelfCheckRequested') {
      const d = dataOf<Data<SelfCheckRequested>>(e);
      await client.query(
        `INSERT INTO self_check_accountability_tasks_v1 (propagation_id, unit_id, campaign_id, origin_finding_id, stream_version)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (propagation_id, unit_id) DO NOTHING`,
        [d.propagationId, d.unitId, d.campaignId, d.origin.kind === 'finding' ? d.origin.findingId : null, e.version],
      );
      return;
    }
    const d = dataOf<Data<SelfCheckOverdue> | Data<SelfCheckEscalated> | Data<SelfCheckEscalationAcknowledged>>(e);
    const guard = await client.query<{ campaign_id: string; origin_finding_id: string | null }>(
      `UPDATE self_check_accountability_tasks_v1 SET stream_version = $3
        WHERE propagation_id = $1 AND unit_id = $2 AND stream_version < $3
        RETURNING campaign_id, origin_finding_id`,
      [d.propagationId, d.unitId, e.version],
    );
    if (guard.rowCount === 0) return; // already applied (the request, version 1, always came first)
    const memo = guard.rows[0];
    if (e.type === 'SelfCheckEscalationAcknowledged') {
      // The latest unacknowledged row of that rung for the task: the one the supervisor signed for.
      const a = dataOf<Data<SelfCheckEscalationAcknowledged>>(e);
      const signer = signerOf(e);
      await client.query(
        `UPDATE self_check_accountability_v1 l
            SET acknowledged_by_id = $4, acknowledged_by_name = $5, acknowledged_at = $6, acknowledgement_note = $7
          WHERE (l.propagation_id, l.unit_id, l.stream_version) = (
            SELECT propagation_id, unit_id, stream_version FROM self_check_accountability_v1
             WHERE propagation_id = $1 AND unit_id = $2 AND kind = 'escalation' AND level = $3 AND acknowledged_at IS NULL
               AND stream_version < $8
             ORDER BY stream_version DESC LIMIT 1)`,
        [a.propagationId, a.unitId, a.level, signer?.userId ?? null, signer?.name ?? null, atOf(e), a.note ?? null, e.version],
      );
      return;
    }
    const row = rowOf(e);
    if (!row) return;
    const person = d.accountable.person;
    const signer = signerOf(e);
    await client.query(
      `INSERT INTO self_check_accountability_v1 (propagation_id, unit_id, stream_version, event_id, event_type, campaign_id,
         origin_finding_id, kind, level, person_id, person_name, person_role, step, step_signed_at, occurred_at, due_date,
         due_at, next_level, next_due_date, signed_by_id, signed_by_name, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
       ON CONFLICT (propagation_id, unit_id, stream_version) DO NOTHING`,
      [
        d.propagationId,
        d.unitId,
        e.version,
        e.eventId,
        e.type,
        memo.campaign_id,
        memo.origin_finding_id,
        row.kind,
        row.level,
        person?.userId ?? null,
        person?.name ?? null,
        person?.role ?? null,
        d.accountable.step,
        row.stepSignedAt,
        atOf(e),
        d.dueDate,
        row.dueAt,
        row.nextLevel,
        row.nextDueDate,
        signer?.userId ?? null,
        signer?.name ?? null,
        row.detail,
      ],
    );
  }
}

interface Row {
  kind: 'self_check_overdue' | 'escalation';
  level: string | null;
  stepSignedAt: string | null;
  dueAt: string | null;
  nextLevel: string | null;
  nextDueDate: string | null;
  detail: string;
}

function rowOf(e: RecordedEvent): Row | null {
  switch (e.type) {
    case 'SelfCheckOverdue': {
      const d = dataOf<Data<SelfCheckOverdue>>(e);
      return {
        kind: 'self_check_overdue',
        level: null,
        // The overdue record names the step, not when it was signed; the notice beside it carries that.
        stepSignedAt: null,
        dueAt: d.deadlineAt,
        nextLevel: null,
        nextDueDate: null,
        detail: `逾期未完成举一反三自查签字（期限 ${shanghaiDeadlineText(d.deadlineAt)}）`,
      };
    }
    case 'SelfCheckEscalated': {
      const d = dataOf<Data<SelfCheckEscalated>>(e);
      const label = LEVEL_LABELS[d.level] ?? d.level;
      const next = d.nextLevel && d.nextDueDate ? `；${d.nextDueDate} 后${LEVEL_LABELS[d.nextLevel] ?? d.nextLevel}` : '';
      return {
        kind: 'escalation',
        level: d.level,
        stepSignedAt: d.accountable.stepSignedAt ?? null,
        dueAt: null,
        nextLevel: d.nextLevel,
        nextDueDate: d.nextDueDate,
        detail: `举一反三自查未签字升级：${label}${d.level === 'notice' ? '' : '（建议，待督查办确认）'}，自查期限 ${d.dueDate}${next}`,
      };
    }
    default:
      return null;
  }
}
