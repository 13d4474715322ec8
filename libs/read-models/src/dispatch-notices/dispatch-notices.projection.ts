import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type {
  FindingAmended,
  FindingDispatched,
  FindingReassigned,
  FindingRecorded,
} from '@duban/domain/findings/types';
import type { UnitNameResolver } from '../audit-trail/summaries';
import { insertRows, isNewFor, type Row, RowSet } from '../batch/row-set';
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
    await insertRows(client, 'dispatch_notices_v1', [noticeRow(e, noticeNo, findingId, memo, this.unitName)], 'nothing');
  }

  /**
   * The same rows as `apply` event after event: the memo rows read once and written back once, the new notices in
   * one INSERT, and the notices issued before the batch marked amended in one UPDATE.
   */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    const keyed = events.flatMap((e) => {
      const findingId = findingIdOf(e.streamId);
      return findingId === null ? [] : [{ e, findingId }];
    });
    const recorded = keyed.filter((k) => k.e.type === 'FindingRecorded');
    if (recorded.length) await insertRows(client, 'dispatch_notice_findings_v1', recorded.map((k) => memoOf(k.e, k.findingId)), 'nothing');
    const later = keyed.filter((k) => k.e.type !== 'FindingRecorded');
    if (later.length === 0) return;
    const memos = new RowSet('dispatch_notice_findings_v1', 'finding_id');
    await memos.load(client, later.map((k) => k.findingId));
    const issued: Row[] = [];
    const amendedBefore = new Set<string>();
    for (const { e, findingId } of later) {
      const memo = memos.get(findingId);
      if (!isNewFor(memo, e.version)) continue; // already applied
      const { memo: next, noticeNo } = memoAfter(memo, e);
      memos.put(next);
      if (e.type === 'FindingAmended') {
        amendedBefore.add(findingId);
        for (const row of issued) if (row.finding_id === findingId) row.amended_after_issue = true;
        continue;
      }
      if (noticeNo) issued.push({ ...noticeRow(e, noticeNo, findingId, next as unknown as FindingMemo, this.unitName), amended_after_issue: false });
    }
    await memos.flush(client);
    // Rows already in the table were all issued before any event of this batch, so before its amendments too.
    if (amendedBefore.size) {
      await client.query('UPDATE dispatch_notices_v1 SET amended_after_issue = true WHERE finding_id = ANY($1::text[])', [[...amendedBefore]]);
    }
    if (issued.length) await insertRows(client, 'dispatch_notices_v1', issued, 'nothing');
  }
}

/** The memo FindingRecorded starts. */
function memoOf(e: RecordedEvent, findingId: string): Row {
  const d = dataOf<Data<FindingRecorded>>(e);
  return {
    finding_id: findingId, campaign_id: d.campaignId, source: d.source ?? null, category_code: d.categoryCode ?? null,
    severity: d.severity ?? null, town_unit_id: d.townUnitId ?? null, village: d.village ?? null,
    household: d.household ?? null, description: d.description ?? null, stream_version: e.version,
  };
}

/** Pure: the memo after a later event (what apply's guarded UPDATE sets) and the notice number it went out under. */
function memoAfter(memo: Row, e: RecordedEvent): { memo: Row; noticeNo: string | null } {
  const changes = e.type === 'FindingAmended' ? (dataOf<Data<FindingAmended>>(e).changes ?? {}) : {};
  const noticeNo =
    e.type === 'FindingDispatched'
      ? (dataOf<Data<FindingDispatched>>(e).noticeNo ?? null)
      : e.type === 'FindingReassigned'
        ? (dataOf<Data<FindingReassigned>>(e).noticeNo ?? null)
        : null;
  const dispatching = e.type === 'FindingDispatched' || e.type === 'FindingReassigned';
  return {
    memo: {
      ...memo,
      stream_version: e.version,
      description: changes.description ?? memo.description,
      category_code: changes.categoryCode ?? memo.category_code,
      severity: changes.severity ?? memo.severity,
      current_notice_no: dispatching ? noticeNo : memo.current_notice_no,
    },
    noticeNo,
  };
}

/** The notice as issued by a dispatch or reassignment, with the finding as its memo holds it then. */
function noticeRow(e: RecordedEvent, noticeNo: string, findingId: string, memo: FindingMemo, unitName: UnitNameResolver): Row {
  const signer = signerOf(e);
  const name = (id: string | null | undefined): string | null => (id ? (unitName(id) ?? null) : null);
  const dispatch = e.type === 'FindingDispatched' ? dataOf<Data<FindingDispatched>>(e) : null;
  const reassign = e.type === 'FindingDispatched' ? null : dataOf<Data<FindingReassigned>>(e);
  const unitId = dispatch ? dispatch.unitId : reassign!.toUnitId;
  const fromUnitId = reassign ? (reassign.fromUnitId ?? null) : null;
  const d = (dispatch ?? reassign)!;
  return {
    notice_no: noticeNo,
    finding_id: findingId,
    campaign_id: memo.campaign_id,
    stream_version: e.version,
    event_id: e.eventId,
    kind: dispatch ? 'dispatch' : 'reassignment',
    unit_id: unitId,
    unit_name: name(unitId),
    from_unit_id: fromUnitId,
    from_unit_name: name(fromUnitId),
    reason: reassign ? (reassign.reason ?? null) : null,
    note: dispatch ? (dispatch.note ?? null) : null,
    signer_id: signer?.userId ?? 'unknown',
    signer_name: signer?.name ?? '',
    signer_role: signer?.role || null,
    signer_unit_id: signer?.unitId || null,
    signer_unit_name: name(signer?.unitId),
    issued_at: atOf(e),
    deadline_workdays: d.deadlineWorkdays ?? null,
    due_date: d.dueDate,
    deadline_at: d.deadlineAt,
    capped_by_phase_end: !!d.cappedByPhaseEnd,
    source: memo.source,
    category_code: memo.category_code,
    severity: memo.severity,
    town_unit_id: memo.town_unit_id,
    town_unit_name: name(memo.town_unit_id),
    village: memo.village,
    household: memo.household,
    description: memo.description,
  };
}
