import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  FindingAmended,
  FindingDispatched,
  FindingReassigned,
  FindingRecorded,
} from '@duban/domain/findings/types';
import type { UnitNameResolver } from '../audit-trail/summaries';
import type { Projection } from '../projection';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

export interface DispatchNoticesOptions {
  /** Unit names as the notice prints them (主送单位, issuing office); the id is kept beside each name. */
  unitName?: UnitNameResolver;
}

interface FindingMemo {
  campaign_id: string;
  source: string | null;
  category_code: string | null;
  severity: string | null;
  town_unit_id: string | null;
  village: string | null;
  household: string | null;
  description: string | null;
}

/**
 * 督办通知书: one row per notice × finding, from every FindingDispatched and every FindingReassigned that went out
 * under a notice number, holding the notice as issued — addressee, signer, deadline, and the finding as it stood.
 *
 * The guard is one row per finding in `dispatch_notice_findings_v1` (as in the accountability ledger): an event
 * first advances that row's stream version, and only if it moved does anything else change. The same row keeps
 * the finding's details from FindingRecorded / FindingAmended (later events do not repeat them) and the notice
 * of its current dispatch, so the projection never reads the event log.
 */
export class DispatchNoticesProjection implements Projection {
  readonly name = 'dispatch_notices';
  readonly version = 1;
  readonly tables = ['dispatch_notices_v1', 'dispatch_notice_findings_v1'];
  readonly handles = ['FindingRecorded', 'FindingAmended', 'FindingDispatched', 'FindingReassigned'];
  private readonly unitName: UnitNameResolver;

  constructor(options: DispatchNoticesOptions = {}) {
    this.unitName = options.unitName ?? ((id) => id);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const findingId = findingIdOf(e.streamId);
    if (!findingId) return;

    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      await client.query(
        `INSERT INTO dispatch_notice_findings_v1 (finding_id, campaign_id, source, category_code, severity, town_unit_id,
           village, household, description, stream_version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.source ?? null, d.categoryCode ?? null, d.severity ?? null, d.townUnitId ?? null,
          d.village ?? null, d.household ?? null, d.description ?? null, e.version],
      );
      return;
    }

    // What this event changes in the memo (COALESCE keeps what it does not touch).
    let description: string | null = null;
    let categoryCode: string | null = null;
    let severity: string | null = null;
    let noticeNo: string | null = null;
    if (e.type === 'FindingAmended') {
      const changes = dataOf<Data<FindingAmended>>(e).changes ?? {};
      description = changes.description ?? null;
      categoryCode = changes.categoryCode ?? null;
      severity = changes.severity ?? null;
    }
    if (e.type === 'FindingDispatched') noticeNo = dataOf<Data<FindingDispatched>>(e).noticeNo ?? null;
    if (e.type === 'FindingReassigned') noticeNo = dataOf<Data<FindingReassigned>>(e).noticeNo ?? null;
    const dispatching = e.type === 'FindingDispatched' || e.type === 'FindingReassigned';

    // The memo after this event (a dispatch changes no detail): the notice carries the finding as it was when issued.
    const guard = await client.query<FindingMemo>(
      `UPDATE dispatch_notice_findings_v1 f
          SET stream_version = $2, description = COALESCE($3, f.description), category_code = COALESCE($4, f.category_code),
              severity = COALESCE($5, f.severity),
              current_notice_no = CASE WHEN $6::boolean THEN $7::text ELSE f.current_notice_no END
        WHERE f.finding_id = $1 AND f.stream_version < $2
        RETURNING f.campaign_id, f.source, f.category_code, f.severity, f.town_unit_id, f.village, f.household, f.description`,
      [findingId, e.version, description, categoryCode, severity, dispatching, noticeNo],
    );
    if (guard.rowCount === 0) return; // already applied (FindingRecorded, version 1, always came first)
    const memo = guard.rows[0];

    if (e.type === 'FindingAmended') {
      // A printed notice reads the same later; it only learns that the ledger now holds corrected details.
      await client.query('UPDATE dispatch_notices_v1 SET amended_after_issue = true WHERE finding_id = $1', [findingId]);
      return;
    }
    if (!noticeNo) return; // a reassignment that went out without a notice number: no document to print

    const signer = signerOf(e);
    const name = (id: string | null | undefined): string | null => (id ? (this.unitName(id) ?? null) : null);
    let row: {
      kind: 'dispatch' | 'reassignment';
      unitId: string;
      fromUnitId: string | null;
      reason: string | null;
      note: string | null;
      deadlineWorkdays: number | null;
      dueDate: string;
      deadlineAt: string;
      capped: boolean;
    };
    if (e.type === 'FindingDispatched') {
      const d = dataOf<Data<FindingDispatched>>(e);
      row = {
        kind: 'dispatch',
        unitId: d.unitId,
        fromUnitId: null,
        reason: null,
        note: d.note ?? null,
        deadlineWorkdays: d.deadlineWorkdays ?? null,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        capped: !!d.cappedByPhaseEnd,
      };
    } else {
      const d = dataOf<Data<FindingReassigned>>(e);
      row = {
        kind: 'reassignment',
        unitId: d.toUnitId,
        fromUnitId: d.fromUnitId ?? null,
        reason: d.reason ?? null,
        note: null,
        deadlineWorkdays: d.deadlineWorkdays ?? null,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        capped: !!d.cappedByPhaseEnd,
      };
    }
    await client.query(
      `INSERT INTO dispatch_notices_v1 (notice_no, finding_id, campaign_id, stream_version, event_id, kind, unit_id,
         unit_name, from_unit_id, from_unit_name, reason, note, signer_id, signer_name, signer_role, signer_unit_id,
         signer_unit_name, issued_at, deadline_workdays, due_date, deadline_at, capped_by_phase_end, source,
         category_code, severity, town_unit_id, town_unit_name, village, household, description)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
         $23, $24, $25, $26, $27, $28, $29, $30)
       ON CONFLICT (notice_no, finding_id) DO NOTHING`,
      [
        noticeNo,
        findingId,
        memo.campaign_id,
        e.version,
        e.eventId,
        row.kind,
        row.unitId,
        name(row.unitId),
        row.fromUnitId,
        name(row.fromUnitId),
        row.reason,
        row.note,
        signer?.userId ?? 'unknown',
        signer?.name ?? '',
        signer?.role || null,
        signer?.unitId || null,
        name(signer?.unitId),
        atOf(e),
        row.deadlineWorkdays,
        row.dueDate,
        row.deadlineAt,
        row.capped,
        memo.source,
        memo.category_code,
        memo.severity,
        memo.town_unit_id,
        name(memo.town_unit_id),
        memo.village,
        memo.household,
        memo.description,
      ],
    );
  }
}
