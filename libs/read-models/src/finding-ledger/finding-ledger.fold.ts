import type {
  ExtensionGranted,
  ExtensionRefused,
  ExtensionRequested,
  FindingAmended,
  FindingAnnulled,
  FindingClosed,
  FindingDispatched,
  FindingImported,
  FindingReassigned,
  FindingRecorded,
  FindingReopened,
  RectificationRejected,
} from '@duban/domain/findings/types';
import { startOfShanghaiDay } from '@duban/domain';
import type { Row } from '../batch/row-set';
import type { StreamRowFold } from '../batch/stream-rows';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

const NO_RECTIFICATION_SIGNER = { rectification_signed_by_id: null, rectification_signed_by_name: null, rectification_signed_at: null };
const NO_VERIFIER = { verified_by_id: null, verified_by_name: null, verified_at: null, closed_at: null };

/**
 * The finding ledger's batch path: the row each per-event statement of FindingLedgerProjection leaves, as pure
 * functions (the projection spec that rebuilds the same log both ways holds them to it, column by column).
 */
export const findingLedgerFold: StreamRowFold = {
  table: 'finding_ledger_v2',
  key: 'finding_id',
  keyOf: (e) => findingIdOf(e.streamId),

  create(e) {
    const findingId = findingIdOf(e.streamId);
    const signer = signerOf(e);
    const by = { recorded_by_id: signer?.userId ?? null, recorded_by_name: signer?.name ?? null };
    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      return {
        finding_id: findingId, campaign_id: d.campaignId, state: 'Recorded', source: d.source, category_code: d.categoryCode,
        severity: d.severity, town_unit_id: d.townUnitId, village: d.village ?? null, household: d.household ?? null,
        description: d.description, ...by, recorded_at: atOf(e), stream_version: e.version, updated_at: e.recordedAt,
        imported_sha256: d.importedFrom?.sha256 ?? null, imported_row: d.importedFrom?.row ?? null,
      };
    }
    if (e.type === 'FindingImported') {
      const d = dataOf<Data<FindingImported>>(e);
      return {
        finding_id: findingId, campaign_id: d.campaignId, state: 'Closed', source: d.source, category_code: d.categoryCode,
        severity: d.severity, town_unit_id: d.townUnitId, village: d.village ?? null, household: d.household ?? null,
        description: d.description, ...by, recorded_at: atOf(e), stream_version: e.version, updated_at: e.recordedAt,
        imported_sha256: d.importedFrom.sha256, imported_row: d.importedFrom.row, unit_id: d.unitId, due_date: d.dueDate,
        closed_at: startOfShanghaiDay(d.closedOn), last_reason: d.statusText,
      };
    }
    return null;
  },

  evolve(row, e) {
    const signer = signerOf(e);
    const at = atOf(e);
    const byId = signer?.userId ?? null;
    const byName = signer?.name ?? null;
    const set = (changes: Row): Row => ({ ...row, ...changes, stream_version: e.version, updated_at: e.recordedAt });
    switch (e.type) {
      case 'FindingAmended': {
        const d = dataOf<Data<FindingAmended>>(e);
        return set({
          description: d.changes.description ?? row.description,
          category_code: d.changes.categoryCode ?? row.category_code,
          severity: d.changes.severity ?? row.severity,
          last_reason: d.reason,
        });
      }
      case 'FindingAnnulled':
        return set({
          state: 'Annulled', annulled_by_id: byId, annulled_by_name: byName, annulled_at: at, extension_pending: false,
          last_reason: dataOf<Data<FindingAnnulled>>(e).reason,
        });
      case 'FindingDispatched': {
        const d = dataOf<Data<FindingDispatched>>(e);
        return set({
          state: 'Dispatched', unit_id: d.unitId, dispatched_by_id: byId, dispatched_by_name: byName, dispatched_at: at,
          notice_no: d.noticeNo, due_date: d.dueDate, deadline_at: d.deadlineAt, calendar_version: d.calendarVersion ?? null,
        });
      }
      case 'FindingClaimed':
        return set({
          state: 'InRectification', owner_id: byId, owner_name: byName, owner_unit_id: signer?.unitId ?? null,
          claimed_by_id: byId, claimed_by_name: byName, claimed_at: at,
        });
      case 'RectificationPlanSubmitted':
        return set({ plan_submitted_at: at });
      case 'ProgressReported':
        return set({ last_progress_at: at, progress_count: Number(row.progress_count) + 1 });
      case 'ExtensionRequested':
        return set({ extension_pending: true, last_reason: dataOf<Data<ExtensionRequested>>(e).reason });
      case 'ExtensionGranted': {
        const d = dataOf<Data<ExtensionGranted>>(e);
        return set({
          extension_pending: false, due_date: d.dueDate, deadline_at: d.deadlineAt, last_reason: d.reason ?? row.last_reason,
          calendar_version: d.calendarVersion ?? null,
        });
      }
      case 'ExtensionRefused':
        return set({ extension_pending: false, last_reason: dataOf<Data<ExtensionRefused>>(e).reason });
      case 'RectificationSubmitted':
        return set({
          state: 'AwaitingVerification', rectification_signed_by_id: byId, rectification_signed_by_name: byName,
          rectification_signed_at: at,
        });
      case 'RectificationRejected':
        return set({ state: 'InRectification', ...NO_RECTIFICATION_SIGNER, last_reason: dataOf<Data<RectificationRejected>>(e).reason });
      case 'FindingClosed':
        return set({
          state: 'Closed', verified_by_id: byId, verified_by_name: byName, verified_at: at, closed_at: at,
          extension_pending: false, last_reason: dataOf<Data<FindingClosed>>(e).note ?? null,
        });
      case 'FindingReassigned': {
        const d = dataOf<Data<FindingReassigned>>(e);
        return set({
          state: 'Dispatched', unit_id: d.toUnitId, owner_id: null, owner_name: null, owner_unit_id: null,
          claimed_by_id: null, claimed_by_name: null, claimed_at: null,
          dispatched_by_id: byId, dispatched_by_name: byName, dispatched_at: at,
          notice_no: d.noticeNo ?? row.notice_no, due_date: d.dueDate, deadline_at: d.deadlineAt, extension_pending: false,
          ...NO_RECTIFICATION_SIGNER,
          reassigned_count: Number(row.reassigned_count) + 1, last_reason: d.reason, calendar_version: d.calendarVersion ?? null,
        });
      }
      case 'FindingReopened': {
        const d = dataOf<Data<FindingReopened>>(e);
        return set({
          state: 'InRectification', owner_id: d.owner.userId, owner_name: d.owner.name, owner_unit_id: d.owner.unitId,
          ...NO_VERIFIER, ...NO_RECTIFICATION_SIGNER,
          due_date: d.dueDate, deadline_at: d.deadlineAt, reopened_count: Number(row.reopened_count) + 1, last_reason: d.reason,
          calendar_version: d.calendarVersion ?? null,
        });
      }
      default:
        return null;
    }
  },
};
