import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  FindingDispatched,
  FindingImported,
  FindingReassigned,
  FindingRecorded,
  FindingReopened,
  ProgressReported,
  RectificationPlanSubmitted,
  RectificationRejected,
  RectificationSubmitted,
} from '@duban/domain/findings/types';
import { insertRows, type Row } from '../batch/row-set';
import { applyStreamRows, type StreamRowFold } from '../batch/stream-rows';
import type { Projection } from '../projection';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

export type EvidenceSource = 'recording' | 'progress' | 'submission';

/** One evidence reference and the step that brought it, so 一题一策一台账 shows where each photo or file came from. */
export interface EvidenceEntry {
  /** The uploaded file's SHA-256 (GET /evidence/:sha256), or a bare reference in events older than uploads. */
  ref: string;
  source: EvidenceSource;
  version: number;
  at: string;
  /** The uploaded file's name, MIME type and size, when the event names them. */
  name?: string;
  type?: string;
  size?: number;
}

type FileInfo = { sha256?: unknown; name?: unknown; type?: unknown; size?: unknown };

// Events before evidence uploads carry bare references only; the file's name, type and size come when they exist.
const evidenceOf = (refs: unknown, source: EvidenceSource, e: RecordedEvent, files?: unknown): EvidenceEntry[] => {
  const byRef = new Map((Array.isArray(files) ? (files as FileInfo[]) : []).map((f) => [String(f.sha256), f]));
  return (Array.isArray(refs) ? refs : []).map((ref) => {
    const f = byRef.get(String(ref));
    const file = f ? { name: String(f.name), type: String(f.type), size: Number(f.size) } : {};
    return { ref: String(ref), source, version: e.version, at: atOf(e), ...file };
  });
};

// The submission an undoing step set aside: its evidence stays in the list, its text and signer in the audit trail.
const NO_SUBMISSION = `submission_summary = NULL, submission_signed_by_id = NULL, submission_signed_by_name = NULL,
  submission_signed_at = NULL`;
const NO_SUBMISSION_ROW = { submission_summary: null, submission_signed_by_id: null, submission_signed_by_name: null, submission_signed_at: null };

/** The day's progress row a ProgressReported adds (when the ledger row's guard passed). */
function progressRow(e: RecordedEvent): Row {
  const d = dataOf<Data<ProgressReported>>(e);
  const signer = signerOf(e);
  return {
    finding_id: findingIdOf(e.streamId), stream_version: e.version, workday: d.workday ?? null, summary: d.summary,
    percent: d.percent ?? null, evidence: d.evidence ?? [], signed_by_id: signer?.userId ?? null,
    signed_by_name: signer?.name ?? null, at: atOf(e),
  };
}

/**
 * The ledger row each per-event statement below leaves, as pure functions (the batch path; held to the per-event
 * path column by column by test/batch-apply.spec.ts).
 */
const rectificationLedgerFold: StreamRowFold = {
  table: 'rectification_ledger_v2',
  key: 'finding_id',
  keyOf: (e) => findingIdOf(e.streamId),
  create(e) {
    const findingId = findingIdOf(e.streamId);
    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      return { finding_id: findingId, campaign_id: d.campaignId, evidence: evidenceOf(d.evidence, 'recording', e, d.evidenceFiles), stream_version: e.version, updated_at: e.recordedAt };
    }
    if (e.type === 'FindingImported') {
      const d = dataOf<Data<FindingImported>>(e);
      return { finding_id: findingId, campaign_id: d.campaignId, unit_id: d.unitId, evidence: [], stream_version: e.version, updated_at: e.recordedAt };
    }
    return null;
  },
  evolve(row, e) {
    const signer = signerOf(e);
    const at = atOf(e);
    const byId = signer?.userId ?? null;
    const byName = signer?.name ?? null;
    const set = (changes: Row): Row => ({ ...row, ...changes, stream_version: e.version, updated_at: e.recordedAt });
    const evidence = (more: EvidenceEntry[]): unknown[] => [...(row.evidence as unknown[]), ...more];
    switch (e.type) {
      case 'FindingDispatched':
        return set({ unit_id: dataOf<Data<FindingDispatched>>(e).unitId });
      case 'FindingClaimed':
        return set({ owner_id: byId, owner_name: byName, owner_unit_id: signer?.unitId ?? null });
      case 'FindingReassigned':
        return set({ unit_id: dataOf<Data<FindingReassigned>>(e).toUnitId, owner_id: null, owner_name: null, owner_unit_id: null, ...NO_SUBMISSION_ROW });
      case 'FindingReopened': {
        const owner = dataOf<Data<FindingReopened>>(e).owner;
        return set({ owner_id: owner.userId, owner_name: owner.name, owner_unit_id: owner.unitId, ...NO_SUBMISSION_ROW });
      }
      case 'RectificationPlanSubmitted': {
        const d = dataOf<Data<RectificationPlanSubmitted>>(e);
        return set({
          plan: d.plan, measures: d.measures ?? [], planned_completion_date: d.plannedCompletionDate ?? null,
          plan_signed_by_id: byId, plan_signed_by_name: byName, plan_signed_at: at,
        });
      }
      case 'ProgressReported': {
        const d = dataOf<Data<ProgressReported>>(e);
        return set({ evidence: evidence(evidenceOf(d.evidence, 'progress', e, d.evidenceFiles)) });
      }
      case 'RectificationSubmitted': {
        const d = dataOf<Data<RectificationSubmitted>>(e);
        return set({
          submission_summary: d.summary, submission_signed_by_id: byId, submission_signed_by_name: byName,
          submission_signed_at: at, evidence: evidence(evidenceOf(d.evidence, 'submission', e, d.evidenceFiles)),
        });
      }
      case 'RectificationRejected':
        return set({
          rejections: Number(row.rejections) + 1, last_rejection_reason: dataOf<Data<RectificationRejected>>(e).reason,
          ...NO_SUBMISSION_ROW,
        });
      default:
        return null;
    }
  },
};

/**
 * 整改台账 (一题一策一台账): the plan, measures, evidence and rejections per finding, and the daily progress
 * history. The ledger row's stream version guards every change; progress rows are keyed by the event's version.
 */
export class RectificationLedgerProjection implements Projection {
  readonly name = 'rectification_ledger';
  // v2: a rejection, reassignment or reopen clears the submission it undid (issue 11).
  readonly version = 2;
  readonly tables = ['rectification_ledger_v2', 'rectification_progress_v2'];
  readonly handles = [
    'FindingRecorded',
    'FindingImported',
    'FindingDispatched',
    'FindingClaimed',
    'FindingReassigned',
    'FindingReopened',
    'RectificationPlanSubmitted',
    'ProgressReported',
    'RectificationSubmitted',
    'RectificationRejected',
  ];

  /** The same rows as `apply` event after event: the ledger rows in three statements, the progress rows in one. */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    const applied = await applyStreamRows(client, rectificationLedgerFold, events);
    const progress = applied.filter((e) => e.type === 'ProgressReported').map(progressRow);
    if (progress.length) await insertRows(client, 'rectification_progress_v2', progress, 'nothing');
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
        `INSERT INTO rectification_ledger_v2 (finding_id, campaign_id, evidence, stream_version, updated_at)
         VALUES ($1, $2, $3::jsonb, $4, $5) ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, JSON.stringify(evidenceOf(d.evidence, 'recording', e, d.evidenceFiles)), e.version, e.recordedAt],
      );
      return;
    }

    if (e.type === 'FindingImported') {
      const d = dataOf<Data<FindingImported>>(e);
      // History from a county's sheet: no plan, progress or signed fix in Duban, so the row has none of them.
      await client.query(
        `INSERT INTO rectification_ledger_v2 (finding_id, campaign_id, unit_id, evidence, stream_version, updated_at)
         VALUES ($1, $2, $3, '[]'::jsonb, $4, $5) ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.unitId, e.version, e.recordedAt],
      );
      return;
    }

    /** Returns false when the event was applied before (the guard matched no row). */
    const set = async (assignments: string, values: unknown[]): Promise<boolean> => {
      const r = await client.query(
        `UPDATE rectification_ledger_v2 SET ${assignments}, stream_version = $2, updated_at = $3
          WHERE finding_id = $1 AND stream_version < $2`,
        [findingId, e.version, e.recordedAt, ...values],
      );
      return (r.rowCount ?? 0) > 0;
    };

    switch (e.type) {
      case 'FindingDispatched':
        await set(`unit_id = $4`, [dataOf<Data<FindingDispatched>>(e).unitId]);
        return;
      case 'FindingClaimed':
        await set(`owner_id = $4, owner_name = $5, owner_unit_id = $6`, [...by, signer?.unitId ?? null]);
        return;
      case 'FindingReassigned':
        await set(`unit_id = $4, owner_id = NULL, owner_name = NULL, owner_unit_id = NULL, ${NO_SUBMISSION}`, [
          dataOf<Data<FindingReassigned>>(e).toUnitId,
        ]);
        return;
      case 'FindingReopened': {
        const owner = dataOf<Data<FindingReopened>>(e).owner;
        await set(`owner_id = $4, owner_name = $5, owner_unit_id = $6, ${NO_SUBMISSION}`, [owner.userId, owner.name, owner.unitId]);
        return;
      }
      case 'RectificationPlanSubmitted': {
        const d = dataOf<Data<RectificationPlanSubmitted>>(e);
        await set(
          `plan = $4, measures = $5::jsonb, planned_completion_date = $6, plan_signed_by_id = $7,
           plan_signed_by_name = $8, plan_signed_at = $9`,
          [d.plan, JSON.stringify(d.measures ?? []), d.plannedCompletionDate ?? null, ...by, at],
        );
        return;
      }
      case 'ProgressReported': {
        const d = dataOf<Data<ProgressReported>>(e);
        const evidence = evidenceOf(d.evidence, 'progress', e, d.evidenceFiles);
        if (!(await set(`evidence = evidence || $4::jsonb`, [JSON.stringify(evidence)]))) return;
        await insertRows(client, 'rectification_progress_v2', [progressRow(e)], 'nothing');
        return;
      }
      case 'RectificationSubmitted': {
        const d = dataOf<Data<RectificationSubmitted>>(e);
        await set(
          `submission_summary = $4, submission_signed_by_id = $5, submission_signed_by_name = $6,
           submission_signed_at = $7, evidence = evidence || $8::jsonb`,
          [d.summary, ...by, at, JSON.stringify(evidenceOf(d.evidence, 'submission', e, d.evidenceFiles))],
        );
        return;
      }
      case 'RectificationRejected':
        await set(`rejections = rejections + 1, last_rejection_reason = $4, ${NO_SUBMISSION}`, [
          dataOf<Data<RectificationRejected>>(e).reason,
        ]);
        return;
      default:
        return;
    }
  }
}
