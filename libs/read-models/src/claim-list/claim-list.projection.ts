import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  ExtensionGranted,
  FindingDispatched,
  FindingReassigned,
  FindingRecorded,
  FindingReopened,
} from '@duban/domain/findings/types';
import type { Projection } from '../projection';
import { applyClaimListBatch } from './claim-list.fold';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

/**
 * 问题认领清单, per unit. A finding can have rows in several units' lists (after a reassignment), so the guard is
 * one row per finding in `claim_list_findings_v1`: an event first advances that row's stream version, and only if
 * that matched (the event is new) does it touch the list rows. The same table remembers the finding's campaign
 * and current unit, which later events do not repeat.
 */
export class ClaimListProjection implements Projection {
  readonly name = 'claim_list';
  readonly version = 1;
  readonly tables = ['claim_list_v1', 'claim_list_findings_v1'];
  readonly handles = [
    'FindingRecorded',
    'FindingDispatched',
    'FindingClaimed',
    'ExtensionGranted',
    'FindingReassigned',
    'FindingClosed',
    'FindingReopened',
    'FindingAnnulled',
  ];

  /** The same rows as `apply` event after event, set-wise (claim-list.fold.ts). */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await applyClaimListBatch(client, events);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const findingId = findingIdOf(e.streamId);
    if (!findingId) return;
    const signer = signerOf(e);
    const at = atOf(e);

    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      await client.query(
        `INSERT INTO claim_list_findings_v1 (finding_id, campaign_id, current_unit_id, stream_version)
         VALUES ($1, $2, NULL, $3) ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, e.version],
      );
      return;
    }

    const newUnit =
      e.type === 'FindingDispatched'
        ? dataOf<Data<FindingDispatched>>(e).unitId
        : e.type === 'FindingReassigned'
          ? dataOf<Data<FindingReassigned>>(e).toUnitId
          : null;
    const guard = await client.query<{ campaign_id: string; previous_unit_id: string | null; current_unit_id: string | null }>(
      `UPDATE claim_list_findings_v1 f
          SET stream_version = $2, current_unit_id = COALESCE($3, f.current_unit_id)
         FROM claim_list_findings_v1 old
        WHERE f.finding_id = $1 AND old.finding_id = f.finding_id AND f.stream_version < $2
        RETURNING f.campaign_id, old.current_unit_id AS previous_unit_id, f.current_unit_id`,
      [findingId, e.version, newUnit],
    );
    if (guard.rowCount === 0) return; // already applied
    const { campaign_id: campaignId, previous_unit_id: previousUnit, current_unit_id: currentUnit } = guard.rows[0];

    const setCurrent = async (assignments: string, values: unknown[]): Promise<void> => {
      await client.query(
        `UPDATE claim_list_v1 SET ${assignments}, stream_version = $3 WHERE unit_id = $1 AND finding_id = $2`,
        [currentUnit, findingId, e.version, ...values],
      );
    };
    const assign = async (unitId: string, noticeNo: string | null, dueDate: string, deadlineAt: string): Promise<void> => {
      // A unit that had the finding before and gets it back starts a fresh claim: the old signature is in the audit trail.
      await client.query(
        `INSERT INTO claim_list_v1 (unit_id, finding_id, campaign_id, notice_no, dispatched_by_id, dispatched_by_name,
           dispatched_at, due_date, deadline_at, status, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'awaiting_claim', $10)
         ON CONFLICT (unit_id, finding_id) DO UPDATE SET
           notice_no = COALESCE(EXCLUDED.notice_no, claim_list_v1.notice_no),
           dispatched_by_id = EXCLUDED.dispatched_by_id, dispatched_by_name = EXCLUDED.dispatched_by_name,
           dispatched_at = EXCLUDED.dispatched_at, due_date = EXCLUDED.due_date, deadline_at = EXCLUDED.deadline_at,
           claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL,
           status = 'awaiting_claim', stream_version = EXCLUDED.stream_version`,
        [unitId, findingId, campaignId, noticeNo, signer?.userId ?? null, signer?.name ?? null, at, dueDate, deadlineAt,
          e.version],
      );
    };

    switch (e.type) {
      case 'FindingDispatched': {
        const d = dataOf<Data<FindingDispatched>>(e);
        await assign(d.unitId, d.noticeNo, d.dueDate, d.deadlineAt);
        return;
      }
      case 'FindingClaimed':
        await setCurrent(`status = 'claimed', claimed_by_id = $4, claimed_by_name = $5, claimed_at = $6`, [
          signer?.userId ?? null,
          signer?.name ?? null,
          at,
        ]);
        return;
      case 'ExtensionGranted': {
        const d = dataOf<Data<ExtensionGranted>>(e);
        await setCurrent(`due_date = $4, deadline_at = $5`, [d.dueDate, d.deadlineAt]);
        return;
      }
      case 'FindingReassigned': {
        const d = dataOf<Data<FindingReassigned>>(e);
        if (previousUnit && previousUnit !== d.toUnitId) {
          await client.query(
            `UPDATE claim_list_v1 SET status = 'reassigned_away', stream_version = $3 WHERE unit_id = $1 AND finding_id = $2`,
            [previousUnit, findingId, e.version],
          );
        }
        // A reassignment without its own notice keeps pointing at the notice the finding was first dispatched with.
        const notice =
          d.noticeNo ??
          (
            await client.query<{ notice_no: string | null }>(
              'SELECT notice_no FROM claim_list_v1 WHERE unit_id = $1 AND finding_id = $2',
              [previousUnit, findingId],
            )
          ).rows[0]?.notice_no ??
          null;
        await assign(d.toUnitId, notice, d.dueDate, d.deadlineAt);
        return;
      }
      case 'FindingClosed':
        await setCurrent(`status = 'closed'`, []);
        return;
      case 'FindingReopened': {
        const d = dataOf<Data<FindingReopened>>(e);
        await setCurrent(`status = 'claimed', due_date = $4, deadline_at = $5`, [d.dueDate, d.deadlineAt]);
        return;
      }
      case 'FindingAnnulled':
        // Rows of units it was reassigned away from keep that status: they no longer held it when it was annulled.
        await client.query(
          `UPDATE claim_list_v1 SET status = 'annulled', stream_version = $2
            WHERE finding_id = $1 AND status <> 'reassigned_away'`,
          [findingId, e.version],
        );
        return;
      default:
        return;
    }
  }
}
