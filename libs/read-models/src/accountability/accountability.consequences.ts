import type { RecordedEvent } from '@duban/event-store';
import type {
  Accountable,
  ClaimOverdue,
  DailyReportMissed,
  DispatchOverdue,
  FindingAmended,
  FindingDispatched,
  FindingEscalated,
  FindingOverdue,
  FindingReassigned,
  FindingReopened,
  VerificationOverdue,
} from '@duban/domain/findings/types';
import { atOf, dataOf, shanghaiDeadlineText } from '../support';

// What a consequence event puts in the 问责台账, as pure functions: shared by the per-event and the batch path.

type Data<E extends { data: unknown }> = E['data'];

/** What an event changes in a finding's memo row; null: left as it was (both paths COALESCE onto the stored memo). */
export function memoChangesOf(e: RecordedEvent): {
  noticeNo: string | null;
  categoryCode: string | null;
  severity: string | null;
  rectificationSignedAt: string | null;
} {
  const changes = { noticeNo: null as string | null, categoryCode: null as string | null, severity: null as string | null, rectificationSignedAt: null as string | null };
  if (e.type === 'FindingDispatched') changes.noticeNo = dataOf<Data<FindingDispatched>>(e).noticeNo ?? null;
  if (e.type === 'FindingReassigned') changes.noticeNo = dataOf<Data<FindingReassigned>>(e).noticeNo ?? null;
  if (e.type === 'FindingAmended') {
    const amended = dataOf<Data<FindingAmended>>(e).changes ?? {};
    changes.categoryCode = amended.categoryCode ?? null;
    changes.severity = amended.severity ?? null;
  }
  if (e.type === 'RectificationSubmitted') changes.rectificationSignedAt = atOf(e);
  return changes;
}

export const ACCOUNTABILITY_KINDS = [
  'dispatch_overdue',
  'claim_overdue',
  'missed_report',
  'overdue',
  'escalation',
  'verification_overdue',
  'reopen',
  'self_check_overdue',
] as const;
export type AccountabilityKind = (typeof ACCOUNTABILITY_KINDS)[number];

export const ACCOUNTABILITY_KIND_LABELS: Record<AccountabilityKind, string> = {
  dispatch_overdue: '逾期未交办',
  claim_overdue: '逾期未认领',
  missed_report: '未按时报送整改进展',
  overdue: '问题逾期未整改',
  escalation: '升级（通报/约谈/问责）',
  verification_overdue: '验收超期',
  reopen: '回头看重新打开',
  self_check_overdue: '逾期未完成举一反三自查',
};

/** The events that put a row in the ledger, and the kind of row each one is. */
const KIND_OF_EVENT: Record<string, AccountabilityKind> = {
  DispatchOverdue: 'dispatch_overdue',
  ClaimOverdue: 'claim_overdue',
  DailyReportMissed: 'missed_report',
  FindingOverdue: 'overdue',
  FindingEscalated: 'escalation',
  VerificationOverdue: 'verification_overdue',
  FindingReopened: 'reopen',
};

const LEVEL_LABELS: Record<string, string> = { notice: '通报', interview: '约谈', accountability: '问责' };

/** One ledger row before it is written: everything but what the finding lookup supplies. */
export interface Consequence {
  kind: AccountabilityKind;
  level: string | null;
  /** As the event names it; a reopen's step time comes from the projection's memo and may be unknown. */
  accountable: Omit<Accountable, 'stepSignedAt'> & { stepSignedAt: string | null };
  workday: string | null;
  dueDate: string | null;
  dueAt: string | null;
  nextLevel: string | null;
  nextDueDate: string | null;
  reason: string | null;
  detail: string;
}

export interface FindingMemo {
  campaign_id: string;
  notice_no: string | null;
  category_code: string | null;
  severity: string | null;
  rectification_signed_at: Date | null;
}

export function consequenceOf(e: RecordedEvent, memo: FindingMemo): Consequence | null {
  const kind = KIND_OF_EVENT[e.type];
  if (!kind) return null;
  const base = { kind, level: null, workday: null, dueDate: null, dueAt: null, nextLevel: null, nextDueDate: null, reason: null };
  switch (e.type) {
    case 'DispatchOverdue': {
      const d = dataOf<Data<DispatchOverdue>>(e);
      return { ...base, accountable: d.accountable, dueAt: d.dueAt, detail: `登记后逾期未交办（期限 ${shanghaiDeadlineText(d.dueAt)}）` };
    }
    case 'ClaimOverdue': {
      const d = dataOf<Data<ClaimOverdue>>(e);
      return { ...base, accountable: d.accountable, dueAt: d.dueAt, detail: `交办后逾期未认领（期限 ${shanghaiDeadlineText(d.dueAt)}）` };
    }
    case 'DailyReportMissed': {
      const d = dataOf<Data<DailyReportMissed>>(e);
      return {
        ...base,
        accountable: d.accountable,
        workday: d.workday,
        dueAt: d.cutoffAt,
        detail: `未按时报送 ${d.workday} 整改进展（截止 ${shanghaiDeadlineText(d.cutoffAt)}）`,
      };
    }
    case 'FindingOverdue': {
      const d = dataOf<Data<FindingOverdue>>(e);
      return { ...base, accountable: d.accountable, dueDate: d.dueDate, dueAt: d.deadlineAt, detail: `问题逾期未完成整改（期限 ${d.dueDate}）` };
    }
    case 'FindingEscalated': {
      const d = dataOf<Data<FindingEscalated>>(e);
      const label = LEVEL_LABELS[d.level] ?? d.level;
      const next = d.nextLevel && d.nextDueDate ? `；${d.nextDueDate} 后${LEVEL_LABELS[d.nextLevel] ?? d.nextLevel}` : '';
      return {
        ...base,
        level: d.level,
        accountable: d.accountable,
        dueDate: d.dueDate,
        nextLevel: d.nextLevel ?? null,
        nextDueDate: d.nextDueDate ?? null,
        detail: `升级：${label}${d.level === 'notice' ? '' : '（建议，待督查办确认）'}，整改期限 ${d.dueDate}${next}`,
      };
    }
    case 'VerificationOverdue': {
      const d = dataOf<Data<VerificationOverdue>>(e);
      return { ...base, accountable: d.accountable, dueAt: d.dueAt, detail: `整改完成后逾期未验收（期限 ${shanghaiDeadlineText(d.dueAt)}）` };
    }
    case 'FindingReopened': {
      // 谁整改谁签字谁清零: the reopen is the fix's signer's, resting on the RectificationSubmitted they signed.
      const d = dataOf<Data<FindingReopened>>(e);
      const owner = d.owner;
      return {
        ...base,
        accountable: {
          person: owner,
          unitId: owner.unitId,
          step: 'RectificationSubmitted',
          stepSignedAt: memo.rectification_signed_at ? memo.rectification_signed_at.toISOString() : null,
        },
        dueDate: d.dueDate,
        dueAt: d.deadlineAt,
        reason: d.reason,
        detail: `回头看重新打开：${d.reason}（新期限 ${d.dueDate}）`,
      };
    }
    default:
      return null;
  }
}
