import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { PropagationLaunched, SelfCheckAttested, SelfCheckClaimed, SelfCheckEscalated, SelfCheckOverdue, SelfCheckRequested } from '@duban/domain/propagation';
import type { Projection } from '../projection';
import { atOf, dataOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

/**
 * 举一反三: the propagations and every unit's self-check task. The launch row is inserted once (ON CONFLICT DO
 * NOTHING); a task row changes only when the event's stream version is past the row's, so a replay changes nothing.
 */
export class PropagationProjection implements Projection {
  readonly name = 'propagation';
  readonly version = 1;
  readonly tables = ['propagations_v1', 'propagation_tasks_v1'];
  readonly handles = ['PropagationLaunched', 'SelfCheckRequested', 'SelfCheckClaimed', 'SelfCheckAttested', 'SelfCheckOverdue', 'SelfCheckEscalated'];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const at = atOf(e);
    const signer = signerOf(e);
    switch (e.type) {
      case 'PropagationLaunched': {
        const d = dataOf<Data<PropagationLaunched>>(e);
        await client.query(
          `INSERT INTO propagations_v1 (propagation_id, campaign_id, origin_kind, origin_finding_id, origin_category_code, scope,
             instruction, deadline_workdays, due_date, deadline_at, launched_by_id, launched_by_name, launched_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (propagation_id) DO NOTHING`,
          [
            d.propagationId, d.campaignId, d.origin.kind, d.origin.kind === 'finding' ? d.origin.findingId : null,
            d.origin.kind === 'checklist_item' ? d.origin.categoryCode : null, d.scope, d.instruction, d.deadlineWorkdays,
            d.dueDate, d.deadlineAt, signer?.userId ?? null, signer?.name ?? null, at,
          ],
        );
        return;
      }
      case 'SelfCheckRequested': {
        const d = dataOf<Data<SelfCheckRequested>>(e);
        await client.query(
          `INSERT INTO propagation_tasks_v1 (propagation_id, unit_id, campaign_id, origin_finding_id, status, due_date, deadline_at, stream_version)
           VALUES ($1, $2, $3, $4, 'requested', $5, $6, $7) ON CONFLICT (propagation_id, unit_id) DO NOTHING`,
          [d.propagationId, d.unitId, d.campaignId, d.origin.kind === 'finding' ? d.origin.findingId : null, d.dueDate, d.deadlineAt, e.version],
        );
        return;
      }
      case 'SelfCheckClaimed': {
        const d = dataOf<Data<SelfCheckClaimed>>(e);
        await client.query(
          `UPDATE propagation_tasks_v1 SET status = 'claimed', owner_id = $3, owner_name = $4, claimed_at = $5, stream_version = $6
            WHERE propagation_id = $1 AND unit_id = $2 AND stream_version < $6`,
          [d.propagationId, d.unitId, signer?.userId ?? null, signer?.name ?? null, at, e.version],
        );
        return;
      }
      case 'SelfCheckAttested': {
        const d = dataOf<Data<SelfCheckAttested>>(e);
        await client.query(
          `UPDATE propagation_tasks_v1 SET status = 'attested', outcome = $3, checked = $4, evidence = $5, finding_ids = $6,
                  found_count = $7, attested_at = $8, late = $9, stream_version = $10
            WHERE propagation_id = $1 AND unit_id = $2 AND stream_version < $10`,
          [d.propagationId, d.unitId, d.outcome, d.checked, JSON.stringify(d.evidence), JSON.stringify(d.findingIds), d.findingIds.length, at, d.late, e.version],
        );
        return;
      }
      case 'SelfCheckOverdue': {
        const d = dataOf<Data<SelfCheckOverdue>>(e);
        await client.query(
          `UPDATE propagation_tasks_v1 SET overdue_recorded_at = $3, overdue_accountable_id = $4, overdue_accountable_name = $5, stream_version = $6
            WHERE propagation_id = $1 AND unit_id = $2 AND stream_version < $6`,
          [d.propagationId, d.unitId, at, d.accountable.person?.userId ?? null, d.accountable.person?.name ?? null, e.version],
        );
        return;
      }
      case 'SelfCheckEscalated': {
        // The rung the missing attestation reached (通报 → 约谈 → 问责) and when the next one falls.
        const d = dataOf<Data<SelfCheckEscalated>>(e);
        await client.query(
          `UPDATE propagation_tasks_v1 SET ladder_level = $3, ladder_next_due_date = $4, stream_version = $5
            WHERE propagation_id = $1 AND unit_id = $2 AND stream_version < $5`,
          [d.propagationId, d.unitId, d.level, d.nextDueDate, e.version],
        );
        return;
      }
      default:
        return;
    }
  }
}
