import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { EscalationAcknowledged, FindingRecorded } from '@duban/domain/findings/types';
import { insertRows, isNewFor, type Row, RowSet, selectRows, updateRows } from '../batch/row-set';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';
import { type Consequence, consequenceOf, type FindingMemo, memoChangesOf } from './accountability.consequences';

type Data<E extends { data: unknown }> = E['data'];

const LEDGER = 'accountability_ledger_v1';
const FINDINGS = 'accountability_findings_v1';

/**
 * The accountability ledger's batch path: the rows AccountabilityLedgerProjection.apply leaves event after event, with
 * the findings' memo rows read once, the escalation rows an acknowledgement may complete read once, and each table
 * written back in one statement (test/batch-apply.spec.ts compares the two).
 */
export async function applyAccountabilityBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
  const keyed = events.flatMap((e) => {
    const findingId = findingIdOf(e.streamId);
    return findingId === null ? [] : [{ e, findingId }];
  });
  const recorded = keyed.filter((k) => k.e.type === 'FindingRecorded');
  if (recorded.length) {
    await insertRows(
      client,
      FINDINGS,
      recorded.map(({ e, findingId }) => {
        const d = dataOf<Data<FindingRecorded>>(e);
        return { finding_id: findingId, campaign_id: d.campaignId, category_code: d.categoryCode ?? null, severity: d.severity ?? null, stream_version: e.version };
      }),
      'nothing',
    );
  }
  const later = keyed.filter((k) => k.e.type !== 'FindingRecorded');
  if (later.length === 0) return;
  const memos = new RowSet(FINDINGS, 'finding_id');
  await memos.load(client, later.map((k) => k.findingId));
  const acknowledging = later.filter((k) => k.e.type === 'EscalationAcknowledged').map((k) => k.findingId);
  const ledger = new LedgerRows(acknowledging.length ? await selectRows(client, LEDGER, 'finding_id', acknowledging) : [], new Set(acknowledging));

  for (const { e, findingId } of later) {
    const memo = memos.get(findingId);
    if (!isNewFor(memo, e.version)) continue; // already applied (FindingRecorded, version 1, always came first)
    memos.put(nextMemo(memo, e));
    if (e.type === 'EscalationAcknowledged') {
      ledger.acknowledge(findingId, e);
      continue;
    }
    const before = memoOf(memo);
    const c = consequenceOf(e, before);
    if (c) ledger.add(ledgerRow(e, findingId, before, c));
  }
  await memos.flush(client);
  await ledger.flush(client);
}

/** Pure: the memo row after the event — what the per-event guard's UPDATE sets (COALESCE keeps what it does not touch). */
function nextMemo(memo: Row, e: RecordedEvent): Row {
  const { noticeNo, categoryCode, severity, rectificationSignedAt } = memoChangesOf(e);
  return {
    ...memo,
    stream_version: e.version,
    notice_no: noticeNo ?? memo.notice_no ?? null,
    category_code: categoryCode ?? memo.category_code ?? null,
    severity: severity ?? memo.severity ?? null,
    rectification_signed_at: rectificationSignedAt ?? memo.rectification_signed_at ?? null,
  };
}

/** The memo as the per-event guard's RETURNING gives it (the timestamp as pg parses a timestamptz). */
function memoOf(row: Row): FindingMemo {
  const signedAt = row.rectification_signed_at;
  return {
    campaign_id: String(row.campaign_id),
    notice_no: (row.notice_no as string | null) ?? null,
    category_code: (row.category_code as string | null) ?? null,
    severity: (row.severity as string | null) ?? null,
    rectification_signed_at: signedAt == null ? null : new Date(String(signedAt)),
  };
}

/** The columns the per-event INSERT names, the acknowledgement's left empty (so every new row has one shape). */
function ledgerRow(e: RecordedEvent, findingId: string, memo: FindingMemo, c: Consequence): Row {
  const signer = signerOf(e);
  const person = c.accountable.person;
  return {
    finding_id: findingId,
    stream_version: e.version,
    event_id: e.eventId,
    event_type: e.type,
    campaign_id: memo.campaign_id,
    notice_no: memo.notice_no,
    category_code: memo.category_code,
    severity: memo.severity,
    kind: c.kind,
    level: c.level,
    person_id: person?.userId ?? null,
    person_name: person?.name ?? null,
    person_role: person?.role ?? null,
    unit_id: c.accountable.unitId ?? person?.unitId ?? 'unknown',
    step: c.accountable.step ?? 'unknown',
    step_signed_at: c.accountable.stepSignedAt ?? null,
    occurred_at: atOf(e),
    workday: c.workday,
    due_date: c.dueDate,
    due_at: c.dueAt,
    next_level: c.nextLevel,
    next_due_date: c.nextDueDate,
    signed_by_id: signer?.userId ?? null,
    signed_by_name: signer?.name ?? null,
    reason: c.reason,
    detail: c.detail,
    acknowledged_by_id: null,
    acknowledged_by_name: null,
    acknowledged_at: null,
    acknowledgement_note: null,
    acknowledged_version: null,
  };
}

const ACK_COLUMNS = ['acknowledged_by_id', 'acknowledged_by_name', 'acknowledged_at', 'acknowledgement_note', 'acknowledged_version'];

/**
 * The ledger rows a batch adds, and every stored row of the findings it acknowledges escalations of (so the
 * acknowledgement picks among exactly the rows the per-event UPDATE's subquery would see).
 */
class LedgerRows {
  private readonly byFinding = new Map<string, Row[]>();
  private readonly added: Row[] = [];
  private readonly acknowledged = new Set<Row>();

  constructor(
    stored: Row[],
    private readonly loaded: Set<string>,
  ) {
    for (const r of stored) this.rowsOf(String(r.finding_id)).push(r);
  }

  private rowsOf(findingId: string): Row[] {
    let rows = this.byFinding.get(findingId);
    if (!rows) this.byFinding.set(findingId, (rows = []));
    return rows;
  }

  /** INSERT … ON CONFLICT (finding_id, stream_version) DO NOTHING; the conflict is settled here where the rows are known. */
  add(row: Row): void {
    const findingId = String(row.finding_id);
    if (this.loaded.has(findingId) && this.rowsOf(findingId).some((r) => Number(r.stream_version) === row.stream_version)) return;
    this.rowsOf(findingId).push(row);
    this.added.push(row);
  }

  /**
   * The per-event UPDATE's subquery: the finding's open escalation rows of that level and deadline date, earlier than
   * the acknowledgement, ordered by `(unit_id = $unit AND person_id IS NOT DISTINCT FROM $person) DESC` — NULL (an
   * acknowledgement naming no unit) sorting first as PostgreSQL sorts it — then latest first.
   */
  acknowledge(findingId: string, e: RecordedEvent): void {
    const d = dataOf<Data<EscalationAcknowledged>>(e);
    const unitId = d.accountable?.unitId ?? null;
    const personId = d.accountable?.person?.userId ?? null;
    const rank = (r: Row): number => {
      const samePerson = (r.person_id ?? null) === personId;
      if (unitId === null) return samePerson ? 0 : 2; // NULL AND true is NULL (first); NULL AND false is false
      return r.unit_id === unitId && samePerson ? 1 : 2;
    };
    const open = this.rowsOf(findingId).filter(
      (r) =>
        r.kind === 'escalation' &&
        d.level != null &&
        r.level === d.level &&
        d.dueDate != null &&
        r.due_date === d.dueDate &&
        r.acknowledged_at == null &&
        Number(r.stream_version) < e.version,
    );
    if (open.length === 0) return;
    open.sort((a, b) => rank(a) - rank(b) || Number(b.stream_version) - Number(a.stream_version));
    const signer = signerOf(e);
    Object.assign(open[0], {
      acknowledged_by_id: signer?.userId ?? null,
      acknowledged_by_name: signer?.name ?? null,
      acknowledged_at: atOf(e),
      acknowledgement_note: d.note ?? null,
      acknowledged_version: e.version,
    });
    this.acknowledged.add(open[0]);
  }

  async flush(client: PoolClient): Promise<void> {
    if (this.added.length) await insertRows(client, LEDGER, this.added, 'nothing');
    const added = new Set(this.added);
    const stored = [...this.acknowledged].filter((r) => !added.has(r));
    const keys = ['finding_id', 'stream_version'];
    const pick = (r: Row): Row => Object.fromEntries([...keys, ...ACK_COLUMNS].map((c) => [c, r[c]]));
    if (stored.length) await updateRows(client, LEDGER, keys, stored.map(pick));
  }
}
