import type { PoolClient } from 'pg';
import type { RecordedEvent } from '@duban/event-store';
import type { EscalationAcknowledged, FindingRecorded } from '@duban/domain/findings/types';
import type { Projection } from '../projection';
import { applyAccountabilityBatch } from './accountability.fold';
import { consequenceOf, type FindingMemo, memoChangesOf } from './accountability.consequences';
import { atOf, dataOf, findingIdOf, signerOf } from '../support';

export { ACCOUNTABILITY_KIND_LABELS, ACCOUNTABILITY_KINDS, type AccountabilityKind } from './accountability.consequences';

type Data<E extends { data: unknown }> = E['data'];

/**
 * 问责台账: every later consequence — a missed daily report, a missed SLA, an overdue deadline, each rung of the
 * ladder, a look-back reopen — attributed to whoever held the signed step at the time (DESIGN rule 1), as the
 * event itself names them (`accountable`; a reopen names `owner`, the signer of the fix). Interview and referral
 * rows are completed by the supervisor's acknowledgement.
 *
 * The guard is one row per finding in `accountability_findings_v1` (as in the claim list): an event first
 * advances that row's stream version, and only if it moved (the event is new) does anything else change. The same
 * row remembers what later events do not repeat — campaign, notice number, category, severity, and when the fix
 * was last signed — so the projection never reads the event log itself.
 */
export class AccountabilityLedgerProjection implements Projection {
  readonly name = 'accountability_ledger';
  readonly version = 1;
  readonly tables = ['accountability_ledger_v1', 'accountability_findings_v1'];
  readonly handles = [
    'FindingRecorded',
    'FindingAmended',
    'FindingDispatched',
    'FindingReassigned',
    'RectificationSubmitted',
    'DispatchOverdue',
    'ClaimOverdue',
    'DailyReportMissed',
    'FindingOverdue',
    'FindingEscalated',
    'EscalationAcknowledged',
    'VerificationOverdue',
    'FindingReopened',
  ];

  /** The same rows as `apply` event after event, set-wise (accountability.fold.ts). */
  async applyBatch(client: PoolClient, events: RecordedEvent[]): Promise<void> {
    await applyAccountabilityBatch(client, events);
  }

  async apply(client: PoolClient, e: RecordedEvent): Promise<void> {
    const findingId = findingIdOf(e.streamId);
    if (!findingId) return;

    if (e.type === 'FindingRecorded') {
      const d = dataOf<Data<FindingRecorded>>(e);
      await client.query(
        `INSERT INTO accountability_findings_v1 (finding_id, campaign_id, category_code, severity, stream_version)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (finding_id) DO NOTHING`,
        [findingId, d.campaignId, d.categoryCode ?? null, d.severity ?? null, e.version],
      );
      return;
    }

    // What this event changes in the finding's memo (COALESCE keeps what it does not touch).
    const { noticeNo, categoryCode, severity, rectificationSignedAt } = memoChangesOf(e);

    // The memo as it stood before this event: a consequence is filed under the finding as it was then.
    const guard = await client.query<FindingMemo>(
      `UPDATE accountability_findings_v1 f
          SET stream_version = $2, notice_no = COALESCE($3, f.notice_no), category_code = COALESCE($4, f.category_code),
              severity = COALESCE($5, f.severity), rectification_signed_at = COALESCE($6, f.rectification_signed_at)
         FROM accountability_findings_v1 old
        WHERE f.finding_id = $1 AND old.finding_id = f.finding_id AND f.stream_version < $2
        RETURNING old.campaign_id, old.notice_no, old.category_code, old.severity, old.rectification_signed_at`,
      [findingId, e.version, noticeNo, categoryCode, severity, rectificationSignedAt],
    );
    if (guard.rowCount === 0) return; // already applied (FindingRecorded, version 1, always came first)
    const memo = guard.rows[0];

    if (e.type === 'EscalationAcknowledged') {
      await this.acknowledge(client, e, findingId);
      return;
    }
    const consequence = consequenceOf(e, memo);
    if (!consequence) return;
    const signer = signerOf(e);
    const c = consequence;
    const person = c.accountable.person;
    await client.query(
      `INSERT INTO accountability_ledger_v1 (finding_id, stream_version, event_id, event_type, campaign_id, notice_no,
         category_code, severity, kind, level, person_id, person_name, person_role, unit_id, step, step_signed_at,
         occurred_at, workday, due_date, due_at, next_level, next_due_date, signed_by_id, signed_by_name, reason, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22,
         $23, $24, $25, $26)
       ON CONFLICT (finding_id, stream_version) DO NOTHING`,
      [
        findingId,
        e.version,
        e.eventId,
        e.type,
        memo.campaign_id,
        memo.notice_no,
        memo.category_code,
        memo.severity,
        c.kind,
        c.level,
        person?.userId ?? null,
        person?.name ?? null,
        person?.role ?? null,
        c.accountable.unitId ?? person?.unitId ?? 'unknown',
        c.accountable.step ?? 'unknown',
        c.accountable.stepSignedAt ?? null,
        atOf(e),
        c.workday,
        c.dueDate,
        c.dueAt,
        c.nextLevel,
        c.nextDueDate,
        signer?.userId ?? null,
        signer?.name ?? null,
        c.reason,
        c.detail,
      ],
    );
  }

  /**
   * Completes the escalation row the supervisor acknowledged: same finding, level and deadline date, not yet
   * acknowledged; among those, the one naming the same accountable person and unit, and the latest (the decider
   * acknowledges the most recent proposal of that level).
   */
  private async acknowledge(client: PoolClient, e: RecordedEvent, findingId: string): Promise<void> {
    const d = dataOf<Data<EscalationAcknowledged>>(e);
    const signer = signerOf(e);
    await client.query(
      `UPDATE accountability_ledger_v1 l
          SET acknowledged_by_id = $6, acknowledged_by_name = $7, acknowledged_at = $8, acknowledgement_note = $9,
              acknowledged_version = $10
        WHERE (l.finding_id, l.stream_version) = (
          SELECT finding_id, stream_version FROM accountability_ledger_v1
           WHERE finding_id = $1 AND kind = 'escalation' AND level = $2 AND due_date = $3 AND acknowledged_at IS NULL
             AND stream_version < $10
           ORDER BY (unit_id = $4 AND person_id IS NOT DISTINCT FROM $5) DESC, stream_version DESC
           LIMIT 1)`,
      [
        findingId,
        d.level,
        d.dueDate,
        d.accountable?.unitId ?? null,
        d.accountable?.person?.userId ?? null,
        signer?.userId ?? null,
        signer?.name ?? null,
        atOf(e),
        d.note ?? null,
        e.version,
      ],
    );
  }
}
