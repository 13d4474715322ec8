import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  ExtensionGranted,
  ExtensionRefused,
  ExtensionRequested,
  FindingAmended,
  FindingAnnulled,
  FindingDispatched,
  FindingReassigned,
  FindingRecorded,
  FindingReopened,
  RectificationRejected,
} from '@duban/domain/findings/types';
import type { Projection } from '../projection';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

/**
 * 问题台账. Every event but the first is a single guarded UPDATE (`stream_version < $version`), so a replayed
 * event matches no row and changes nothing; the first is an INSERT … ON CONFLICT DO NOTHING.
 */
export class FindingLedgerProjection implements Projection {
  readonly name = 'finding_ledger';
  readonly version = 1;
  readonly tables = ['finding_ledger_v1'];
  readonly handles = [
    'FindingRecorded',
    'FindingAmended',
    'FindingAnnulled',
    'FindingDispatched',
    'FindingClaimed',
    'RectificationPlanSubmitted',
    'ProgressReported',
    'ExtensionRequested',
    'ExtensionGranted',
    'ExtensionRefused',
    'RectificationSubmitted',
    'RectificationRejected',
    'FindingClosed',
    'FindingReassigned',
    'FindingReopened',
  ];

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const findingId = findingIdOf(e.streamId);
    if (!findingId) return;
    const signer = signerOf(e);
    const at = atOf(e);
    const by = [signer?.userId ?? null, signer?.name ?? null];

    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      await client.query(
        `INSERT INTO finding_ledger_v1 (finding_id, campaign_id, state, source, category_code, severity, town_unit_id,
           village, household, description, recorded_by_id, recorded_by_name, recorded_at, stream_version, updated_at)
         VALUES ($1, $2, 'Recorded', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
         ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.source, d.categoryCode, d.severity, d.townUnitId, d.village ?? null,
          d.household ?? null, d.description, ...by, at, e.version, e.recordedAt],
      );
      return;
    }

    // Each case names the columns it sets after the guard's own parameters ($1 id, $2 version, $3 updated_at).
    const set = async (assignments: string, values: unknown[]): Promise<void> => {
      await client.query(
        `UPDATE finding_ledger_v1 SET ${assignments}, stream_version = $2, updated_at = $3
          WHERE finding_id = $1 AND stream_version < $2`,
        [findingId, e.version, e.recordedAt, ...values],
      );
    };

    switch (e.type) {
      case 'FindingAmended': {
        const d = dataOf<Data<FindingAmended>>(e);
        // COALESCE keeps a field the amendment did not touch.
        await set(
          `description = COALESCE($4, description), category_code = COALESCE($5, category_code),
           severity = COALESCE($6, severity), last_reason = $7`,
          [d.changes.description ?? null, d.changes.categoryCode ?? null, d.changes.severity ?? null, d.reason],
        );
        return;
      }
      case 'FindingAnnulled': {
        const d = dataOf<Data<FindingAnnulled>>(e);
        await set(
          `state = 'Annulled', annulled_by_id = $4, annulled_by_name = $5, annulled_at = $6,
           extension_pending = false, last_reason = $7`,
          [...by, at, d.reason],
        );
        return;
      }
      case 'FindingDispatched': {
        const d = dataOf<Data<FindingDispatched>>(e);
        await set(
          `state = 'Dispatched', unit_id = $4, dispatched_by_id = $5, dispatched_by_name = $6, dispatched_at = $7,
           notice_no = $8, due_date = $9, deadline_at = $10`,
          [d.unitId, ...by, at, d.noticeNo, d.dueDate, d.deadlineAt],
        );
        return;
      }
      case 'FindingClaimed':
        await set(
          `state = 'InRectification', owner_id = $4, owner_name = $5, owner_unit_id = $6,
           claimed_by_id = $4, claimed_by_name = $5, claimed_at = $7`,
          [...by, signer?.unitId ?? null, at],
        );
        return;
      case 'RectificationPlanSubmitted':
        await set(`plan_submitted_at = $4`, [at]);
        return;
      case 'ProgressReported':
        await set(`last_progress_at = $4, progress_count = progress_count + 1`, [at]);
        return;
      case 'ExtensionRequested': {
        const d = dataOf<Data<ExtensionRequested>>(e);
        await set(`extension_pending = true, last_reason = $4`, [d.reason]);
        return;
      }
      case 'ExtensionGranted': {
        const d = dataOf<Data<ExtensionGranted>>(e);
        await set(
          `extension_pending = false, due_date = $4, deadline_at = $5, last_reason = COALESCE($6, last_reason)`,
          [d.dueDate, d.deadlineAt, d.reason ?? null],
        );
        return;
      }
      case 'ExtensionRefused': {
        const d = dataOf<Data<ExtensionRefused>>(e);
        await set(`extension_pending = false, last_reason = $4`, [d.reason]);
        return;
      }
      case 'RectificationSubmitted':
        await set(
          `state = 'AwaitingVerification', rectification_signed_by_id = $4, rectification_signed_by_name = $5,
           rectification_signed_at = $6`,
          [...by, at],
        );
        return;
      case 'RectificationRejected': {
        const d = dataOf<Data<RectificationRejected>>(e);
        await set(`state = 'InRectification', last_reason = $4`, [d.reason]);
        return;
      }
      case 'FindingClosed':
        await set(
          `state = 'Closed', verified_by_id = $4, verified_by_name = $5, verified_at = $6, closed_at = $6,
           extension_pending = false`,
          [...by, at],
        );
        return;
      case 'FindingReassigned': {
        const d = dataOf<Data<FindingReassigned>>(e);
        // The new unit must claim before anyone owns it again; the reassigner is the dispatcher of this assignment.
        await set(
          `state = 'Dispatched', unit_id = $4, owner_id = NULL, owner_name = NULL, owner_unit_id = NULL,
           claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL,
           dispatched_by_id = $5, dispatched_by_name = $6, dispatched_at = $7,
           notice_no = COALESCE($8, notice_no), due_date = $9, deadline_at = $10, extension_pending = false,
           reassigned_count = reassigned_count + 1, last_reason = $11`,
          [d.toUnitId, ...by, at, d.noticeNo ?? null, d.dueDate, d.deadlineAt, d.reason],
        );
        return;
      }
      case 'FindingReopened': {
        const d = dataOf<Data<FindingReopened>>(e);
        // verified_by stays: the closer is who a look-back reopen is attributed to.
        await set(
          `state = 'InRectification', owner_id = $4, owner_name = $5, owner_unit_id = $6, closed_at = NULL,
           due_date = $7, deadline_at = $8, reopened_count = reopened_count + 1, last_reason = $9`,
          [d.owner.userId, d.owner.name, d.owner.unitId, d.dueDate, d.deadlineAt, d.reason],
        );
        return;
      }
      default:
        return;
    }
  }
}
