import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  ExtensionGranted,
  ExtensionRefused,
  ExtensionRequested,
  FindingAmended,
  FindingAnnulled,
  FindingClosed,
  FindingDispatched,
  FindingReassigned,
  FindingImported,
  FindingRecorded,
  FindingReopened,
  RectificationRejected,
} from '@duban/domain/findings/types';
import { startOfShanghaiDay } from '@duban/domain';
import { applyStreamRows } from '../batch/stream-rows';
import type { Projection } from '../projection';
import { findingLedgerFold } from './finding-ledger.fold';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

// What the domain's fold clears when a step is undone: the ledger must not keep a signature the finding no longer has.
const NO_RECTIFICATION_SIGNER = `rectification_signed_by_id = NULL, rectification_signed_by_name = NULL, rectification_signed_at = NULL`;
const NO_VERIFIER = `verified_by_id = NULL, verified_by_name = NULL, verified_at = NULL, closed_at = NULL`;

/**
 * 问题台账: each row says what \`evolve\` says of the finding (test/ledger.model.property.spec.ts). Every event but the first is a single guarded UPDATE (`stream_version < $version`), so a replayed
 * event matches no row and changes nothing; the first is an INSERT … ON CONFLICT DO NOTHING.
 */
export class FindingLedgerProjection implements Projection {
  readonly name = 'finding_ledger';
  // v2: an undone step clears its signers (issue 11); v1 rows kept them and need the replay a new version gives.
  readonly version = 2;
  readonly tables = ['finding_ledger_v2'];
  readonly handles = [
    'FindingRecorded',
    'FindingImported',
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

  /** The same rows as `apply` event after event, in three statements (finding-ledger.fold.ts). */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await applyStreamRows(client, findingLedgerFold, events);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const findingId = findingIdOf(e.streamId);
    if (!findingId) return;
    const signer = signerOf(e);
    const at = atOf(e);
    const by = [signer?.userId ?? null, signer?.name ?? null];

    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      await client.query(
        `INSERT INTO finding_ledger_v2 (finding_id, campaign_id, state, source, category_code, severity, town_unit_id,
           village, household, description, recorded_by_id, recorded_by_name, recorded_at, stream_version, updated_at,
           imported_sha256, imported_row)
         VALUES ($1, $2, 'Recorded', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.source, d.categoryCode, d.severity, d.townUnitId, d.village ?? null,
          d.household ?? null, d.description, ...by, at, e.version, e.recordedAt,
          d.importedFrom?.sha256 ?? null, d.importedFrom?.row ?? null],
      );
      return;
    }
    if (e.type === 'FindingImported') {
      const d = dataOf<Data<FindingImported>>(e);
      // History from the sheet: closed on the sheet's date, with no claimant, fix signer or verifier — the importer
      // is shown as who brought it in (recorded_by), the row as where it came from.
      await client.query(
        `INSERT INTO finding_ledger_v2 (finding_id, campaign_id, state, source, category_code, severity, town_unit_id,
           village, household, description, recorded_by_id, recorded_by_name, recorded_at, stream_version, updated_at,
           imported_sha256, imported_row, unit_id, due_date, closed_at, last_reason)
         VALUES ($1, $2, 'Closed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
         ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.source, d.categoryCode, d.severity, d.townUnitId, d.village ?? null,
          d.household ?? null, d.description, ...by, at, e.version, e.recordedAt,
          d.importedFrom.sha256, d.importedFrom.row, d.unitId, d.dueDate, startOfShanghaiDay(d.closedOn), d.statusText],
      );
      return;
    }

    // Each case names the columns it sets after the guard's own parameters ($1 id, $2 version, $3 updated_at).
    const set = async (assignments: string, values: unknown[]): Promise<void> => {
      await client.query(
        `UPDATE finding_ledger_v2 SET ${assignments}, stream_version = $2, updated_at = $3
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
           notice_no = $8, due_date = $9, deadline_at = $10, calendar_version = $11`,
          [d.unitId, ...by, at, d.noticeNo, d.dueDate, d.deadlineAt, d.calendarVersion ?? null],
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
          `extension_pending = false, due_date = $4, deadline_at = $5, last_reason = COALESCE($6, last_reason),
           calendar_version = $7`,
          [d.dueDate, d.deadlineAt, d.reason ?? null, d.calendarVersion ?? null],
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
        // The rejected submission is no longer signed work: 整改完成签字人 is whoever signs the next one.
        await set(`state = 'InRectification', ${NO_RECTIFICATION_SIGNER}, last_reason = $4`, [d.reason]);
        return;
      }
      case 'FindingClosed': {
        const d = dataOf<Data<FindingClosed>>(e);
        // The verifier's note (or none) replaces whatever reason came before, e.g. an earlier rejection's.
        await set(
          `state = 'Closed', verified_by_id = $4, verified_by_name = $5, verified_at = $6, closed_at = $6,
           extension_pending = false, last_reason = $7`,
          [...by, at, d.note ?? null],
        );
        return;
      }
      case 'FindingReassigned': {
        const d = dataOf<Data<FindingReassigned>>(e);
        // The new unit must claim before anyone owns it again; the reassigner is the dispatcher of this assignment.
        await set(
          `state = 'Dispatched', unit_id = $4, owner_id = NULL, owner_name = NULL, owner_unit_id = NULL,
           claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL,
           dispatched_by_id = $5, dispatched_by_name = $6, dispatched_at = $7,
           notice_no = COALESCE($8, notice_no), due_date = $9, deadline_at = $10, extension_pending = false,
           ${NO_RECTIFICATION_SIGNER},
           reassigned_count = reassigned_count + 1, last_reason = $11, calendar_version = $12`,
          [d.toUnitId, ...by, at, d.noticeNo ?? null, d.dueDate, d.deadlineAt, d.reason, d.calendarVersion ?? null],
        );
        return;
      }
      case 'FindingReopened': {
        const d = dataOf<Data<FindingReopened>>(e);
        // The closing is undone, and the fix it accepted with it; who closed it stays in the audit trail and the
        // 问责台账 (a look-back reopen is attributed there), not on the open finding's row.
        await set(
          `state = 'InRectification', owner_id = $4, owner_name = $5, owner_unit_id = $6, ${NO_VERIFIER},
           ${NO_RECTIFICATION_SIGNER},
           due_date = $7, deadline_at = $8, reopened_count = reopened_count + 1, last_reason = $9, calendar_version = $10`,
          [d.owner.userId, d.owner.name, d.owner.unitId, d.dueDate, d.deadlineAt, d.reason, d.calendarVersion ?? null],
        );
        return;
      }
      default:
        return;
    }
  }
}
