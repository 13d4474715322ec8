import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { ExtensionGranted, FindingDispatched, FindingReassigned, FindingRecorded, FindingReopened } from '@duban/domain/findings/types';
import { insertRows, isNewFor, type Row, RowSet, selectRows } from '../batch/row-set';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

type Data<E extends { data: unknown }> = E['data'];

/**
 * The claim list's batch path: the rows ClaimListProjection.apply leaves event after event, with the findings' guard
 * rows and list rows each read once and written back in one statement (test/batch-apply.spec.ts compares the two).
 */
export async function applyClaimListBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
  const keyed = events.flatMap((e) => {
    const findingId = findingIdOf(e.streamId);
    return findingId === null ? [] : [{ e, findingId }];
  });
  const recorded = keyed.filter((k) => k.e.type === 'FindingRecorded');
  if (recorded.length) {
    await insertRows(
      client,
      'claim_list_findings_v1',
      recorded.map(({ e, findingId }) => ({
        finding_id: findingId,
        campaign_id: dataOf<Data<FindingRecorded>>(e).campaignId,
        current_unit_id: null,
        stream_version: e.version,
      })),
      'nothing',
    );
  }
  const later = keyed.filter((k) => k.e.type !== 'FindingRecorded');
  if (later.length === 0) return;
  const ids = later.map((k) => k.findingId);
  const guards = new RowSet('claim_list_findings_v1', 'finding_id');
  await guards.load(client, ids);
  const lists = new ClaimRows(await selectRows(client, 'claim_list_v1', 'finding_id', ids));

  for (const { e, findingId } of later) {
    const guard = guards.get(findingId);
    if (!isNewFor(guard, e.version)) continue; // already applied
    const newUnit =
      e.type === 'FindingDispatched'
        ? dataOf<Data<FindingDispatched>>(e).unitId
        : e.type === 'FindingReassigned'
          ? dataOf<Data<FindingReassigned>>(e).toUnitId
          : null;
    const previousUnit = (guard.current_unit_id as string | null) ?? null;
    const currentUnit = newUnit ?? previousUnit;
    guards.put({ ...guard, stream_version: e.version, current_unit_id: currentUnit });
    const signer = signerOf(e);
    const at = atOf(e);
    const setCurrent = (changes: Row): void => {
      if (currentUnit !== null) lists.update(currentUnit, findingId, { ...changes, stream_version: e.version });
    };
    const assign = (unitId: string, noticeNo: string | null, dueDate: string, deadlineAt: string): void => {
      const old = lists.get(unitId, findingId);
      lists.put({
        ...(old ?? { unit_id: unitId, finding_id: findingId, campaign_id: guard.campaign_id }),
        notice_no: noticeNo ?? old?.notice_no ?? null,
        dispatched_by_id: signer?.userId ?? null,
        dispatched_by_name: signer?.name ?? null,
        dispatched_at: at,
        due_date: dueDate,
        deadline_at: deadlineAt,
        claimed_by_id: null,
        claimed_by_name: null,
        claimed_at: null,
        status: 'awaiting_claim',
        stream_version: e.version,
      });
    };

    switch (e.type) {
      case 'FindingDispatched': {
        const d = dataOf<Data<FindingDispatched>>(e);
        assign(d.unitId, d.noticeNo, d.dueDate, d.deadlineAt);
        break;
      }
      case 'FindingClaimed':
        setCurrent({ status: 'claimed', claimed_by_id: signer?.userId ?? null, claimed_by_name: signer?.name ?? null, claimed_at: at });
        break;
      case 'ExtensionGranted': {
        const d = dataOf<Data<ExtensionGranted>>(e);
        setCurrent({ due_date: d.dueDate, deadline_at: d.deadlineAt });
        break;
      }
      case 'FindingReassigned': {
        const d = dataOf<Data<FindingReassigned>>(e);
        if (previousUnit && previousUnit !== d.toUnitId) {
          lists.update(previousUnit, findingId, { status: 'reassigned_away', stream_version: e.version });
        }
        const notice = d.noticeNo ?? (previousUnit !== null ? ((lists.get(previousUnit, findingId)?.notice_no as string | null) ?? null) : null);
        assign(d.toUnitId, notice, d.dueDate, d.deadlineAt);
        break;
      }
      case 'FindingClosed':
        setCurrent({ status: 'closed' });
        break;
      case 'FindingReopened': {
        const d = dataOf<Data<FindingReopened>>(e);
        setCurrent({ status: 'claimed', due_date: d.dueDate, deadline_at: d.deadlineAt });
        break;
      }
      case 'FindingAnnulled':
        for (const row of lists.ofFinding(findingId)) {
          if (row.status !== 'reassigned_away') lists.update(String(row.unit_id), findingId, { status: 'annulled', stream_version: e.version });
        }
        break;
      default:
        break;
    }
  }
  await guards.flush(client);
  await lists.flush(client);
}

/** The list rows of the batch's findings, by (unit, finding); changed rows are upserted whole at `flush`. */
class ClaimRows {
  private readonly rows = new Map<string, Row>();
  private readonly dirty = new Set<string>();

  constructor(rows: Row[]) {
    for (const r of rows) this.rows.set(ClaimRows.key(String(r.unit_id), String(r.finding_id)), r);
  }

  private static key(unitId: string, findingId: string): string {
    return `${findingId}\u0000${unitId}`;
  }

  get(unitId: string, findingId: string): Row | undefined {
    return this.rows.get(ClaimRows.key(unitId, findingId));
  }

  ofFinding(findingId: string): Row[] {
    return [...this.rows.values()].filter((r) => r.finding_id === findingId);
  }

  put(row: Row): void {
    const key = ClaimRows.key(String(row.unit_id), String(row.finding_id));
    this.rows.set(key, row);
    this.dirty.add(key);
  }

  /** An UPDATE of an existing row: none there, nothing changes. */
  update(unitId: string, findingId: string, changes: Row): void {
    const row = this.get(unitId, findingId);
    if (row) this.put({ ...row, ...changes });
  }

  async flush(client: PoolClient): Promise<void> {
    const changed = [...this.dirty].map((k) => this.rows.get(k)!);
    if (changed.length) await insertRows(client, 'claim_list_v1', changed, { target: ['unit_id', 'finding_id'] });
  }
}
