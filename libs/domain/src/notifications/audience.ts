import { ESCALATION_LEVEL_LABELS, type Accountable, type FindingEvent } from '../findings/events';
import type { NoticeRouting } from './routing';

/** Who a notice goes to: one person, or every active official of a unit (resolved from the directory at delivery). */
export type Recipient = { kind: 'person'; userId: string } | { kind: 'unit'; unitId: string };

export const NOTICE_KINDS = [
  'dispatched',
  'reassigned_to_unit',
  'reassigned_away',
  'claim_overdue',
  'report_missed',
  'overdue',
  'escalated',
  'rejected',
  'extension_granted',
  'extension_refused',
  'closed',
  'reopened',
  'verification_overdue',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** One thing someone must hear about an event; `title` is what the inbox shows. */
export type Notice = { kind: NoticeKind; to: Recipient[]; title: string };

const person = (userId: string | null | undefined): Recipient[] => (userId ? [{ kind: 'person', userId }] : []);
const unit = (unitId: string | null | undefined): Recipient[] => (unitId ? [{ kind: 'unit', unitId }] : []);
/** The person who held the step, or the unit while nobody in it had signed. */
const answerable = (a: Accountable): Recipient[] => (a.person ? person(a.person.userId) : unit(a.unitId));

/**
 * Who must hear what for one event of a finding, given the routing before it (the owner a rejection goes back to).
 * Steps a person takes themselves (a claim, a report, a request) notify nobody: the signer already knows.
 */
export const noticesFor = (e: FindingEvent, before: NoticeRouting): Notice[] => {
  const one = (kind: NoticeKind, to: Recipient[], title: string): Notice[] => (to.length ? [{ kind, to, title }] : []);
  switch (e.type) {
    case 'FindingDispatched':
      return one('dispatched', unit(e.data.unitId), `新交办问题（${e.data.noticeNo}），请于 ${e.data.dueDate} 前整改`);
    case 'FindingReassigned':
      return [
        ...one('reassigned_to_unit', unit(e.data.toUnitId), `改派至本单位的问题，请于 ${e.data.dueDate} 前整改`),
        ...one('reassigned_away', person(e.data.previousOwner?.userId), `您负责的问题已改派：${e.data.reason}`),
      ];
    case 'ClaimOverdue':
      return one('claim_overdue', unit(e.data.unitId), '交办的问题逾期未认领');
    case 'DailyReportMissed':
      return one('report_missed', answerable(e.data.accountable), `${e.data.workday} 未按时上报整改进度`);
    case 'FindingOverdue':
      return one('overdue', dedupe([...answerable(e.data.accountable), ...unit(e.data.accountable.unitId)]), `问题已超过整改期限（${e.data.dueDate}）`);
    case 'FindingEscalated':
      return one(
        'escalated',
        dedupe([...answerable(e.data.accountable), ...unit(e.data.accountable.unitId)]),
        `问题逾期升级：${ESCALATION_LEVEL_LABELS[e.data.level]}`,
      );
    case 'RectificationRejected':
      return one('rejected', before.ownerUserId ? person(before.ownerUserId) : unit(before.unitId), `整改被退回：${e.data.reason}`);
    case 'ExtensionGranted':
      return one('extension_granted', person(before.ownerUserId), `延期已批准，新期限 ${e.data.dueDate}`);
    case 'ExtensionRefused':
      return one('extension_refused', person(before.ownerUserId), `延期未获批准：${e.data.reason}`);
    case 'FindingClosed':
      return one('closed', person(before.ownerUserId), '问题已验收销号');
    case 'FindingReopened':
      return one('reopened', dedupe([...person(e.data.owner.userId), ...unit(e.data.owner.unitId)]), `回头看重新打开：${e.data.reason}`);
    case 'VerificationOverdue':
      return one('verification_overdue', answerable(e.data.accountable), '整改已提交，验收逾期');
    case 'FindingRecorded':
    case 'FindingImported':
    case 'FindingAmended':
    case 'FindingAnnulled':
    case 'FindingClaimed':
    case 'RectificationPlanSubmitted':
    case 'ProgressReported':
    case 'ExtensionRequested':
    case 'RectificationSubmitted':
    case 'DispatchOverdue':
    case 'EscalationAcknowledged':
    case 'LookBackDue':
      return [];
    default: {
      const unreachable: never = e;
      return unreachable;
    }
  }
};

const key = (r: Recipient): string => (r.kind === 'person' ? `p:${r.userId}` : `u:${r.unitId}`);
const dedupe = (rs: Recipient[]): Recipient[] => [...new Map(rs.map((r) => [key(r), r])).values()];
