import type { RecordedEvent } from '@duban/event-store';
import { shanghaiDateText, shanghaiDeadlineText, signerOf } from '../support';
import type { UnitNameResolver } from './summaries';

/**
 * One field an event changed, as the audit trail shows it: the Chinese label and the values before and after,
 * worded for people (a unit's name, a status's label). Where the worded value differs from the stored one (a unit
 * id, a user id, a status code), `beforeCode` / `afterCode` carry the stored value so a reader can match it.
 */
export interface AuditChange {
  field: string;
  label: string;
  before: string | null;
  after: string | null;
  beforeCode?: string | null;
  afterCode?: string | null;
}

/** Whom a consequence is attributed to (谁签字谁负责): the person who held the step, and the unit. */
export interface Attribution {
  person: { id: string; name: string; role: string | null; unitId: string | null } | null;
  unitId: string | null;
  unitName: string | null;
}

/**
 * The running state of one stream as the audit trail folds it: only what "what changed" needs. It is the trail's
 * own memory (kept in audit_trail_streams_v2), never the domain's state object, so a change to the domain's
 * internals cannot silently reword history.
 */
export interface TrailState {
  status: string | null;
  unitId: string | null;
  owner: { userId: string; name: string } | null;
  noticeNo: string | null;
  dueDate: string | null;
  description: string | null;
  categoryCode: string | null;
  severity: string | null;
  /** The ladder's rung for the current deadline (null until it passes, and again once the deadline moves). */
  escalationLevel: string | null;
  overdue: boolean;
  pendingExtension: { workdays: number; reason: string } | null;
  plannedCompletionDate: string | null;
  lastPercent: number | null;
  lastMissedReportWorkday: string | null;
  /** Unacknowledged interview / referral proposals, as `${level}@${dueDate}`. */
  pendingAcknowledgements: string[];
  /** Campaign streams: the last notice number issued. */
  lastNoticeNo: string | null;
  /**
   * Campaign streams: active / paused / ended. Optional, and absent from streams that never had a lifecycle event,
   * so the stored state of every older stream reads the same; a campaign without it is active.
   */
  lifecycle?: string | null;
  /** Inspection-day streams (日督查): filed / filed_late / missed / missed_then_filed. Optional like `lifecycle`. */
  inspectionReport?: string | null;
}

export const emptyTrailState = (): TrailState => ({
  status: null,
  unitId: null,
  owner: null,
  noticeNo: null,
  dueDate: null,
  description: null,
  categoryCode: null,
  severity: null,
  escalationLevel: null,
  overdue: false,
  pendingExtension: null,
  plannedCompletionDate: null,
  lastPercent: null,
  lastMissedReportWorkday: null,
  pendingAcknowledgements: [],
  lastNoticeNo: null,
});

// Copied from the domain's labels (types.ts FINDING_STATUS_LABELS, policy.ts SEVERITY_LABELS) so a rebuild words
// old rows the same way even if the domain's labels are edited later.
const STATUS: Record<string, string> = {
  Recorded: '已登记',
  Dispatched: '已交办',
  InRectification: '整改中',
  AwaitingVerification: '待验收',
  Closed: '已销号',
  Annulled: '已撤销',
};
const SEVERITY: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };
const LEVEL: Record<string, string> = { notice: '通报', interview: '约谈', accountability: '问责' };
// Copied from the domain's CAMPAIGN_LIFECYCLE_LABELS for the same reason.
const LIFECYCLE: Record<string, string> = { active: '进行中', paused: '已暂停', ended: '已结束' };
const INSPECTION_REPORT: Record<string, string> = {
  filed: '已按时报送',
  filed_late: '逾期报送',
  missed: '未按时报送',
  missed_then_filed: '未按时报送，后补报',
};

export const CHANGE_LABELS: Record<string, string> = {
  status: '状态',
  unit: '责任单位',
  owner: '责任人',
  noticeNo: '督办通知书文号',
  dueDate: '整改期限',
  description: '问题描述',
  categoryCode: '问题类别',
  severity: '严重程度',
  escalationLevel: '升级层级',
  overdue: '是否逾期',
  extensionRequest: '延期申请',
  plan: '整改方案',
  plannedCompletionDate: '计划完成日期',
  progress: '整改进度',
  missedReport: '未按时报送进展',
  acknowledgement: '督查办确认',
  rectification: '整改完成签字',
  verification: '验收',
  dispatchOverdue: '逾期未交办',
  claimOverdue: '逾期未认领',
  verificationOverdue: '验收超期',
  lookBack: '回头看',
  campaign: '专项行动',
  lifecycle: '专项行动状态',
  inspectionReport: '日督查报告',
};

export interface FoldResult {
  state: TrailState;
  changes: AuditChange[];
  attribution: Attribution | null;
}

/**
 * Folds one event into the stream's trail state and says what it changed. Pure: the same state and event always
 * give the same result, so a rebuild reproduces every row exactly.
 */
export function foldTrail(state: TrailState, e: RecordedEvent, unitNameOf: UnitNameResolver = (id) => id): FoldResult {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const d = e.data as any;
  const unitName = (id: string | null | undefined): string | null => (id ? (unitNameOf(id) ?? id) : null);
  const changes: AuditChange[] = [];
  const next: TrailState = { ...state, pendingAcknowledgements: [...(state.pendingAcknowledgements ?? [])] };

  const text = (field: string, before: string | null, after: string | null): void => {
    if (before === after) return;
    changes.push({ field, label: CHANGE_LABELS[field] ?? field, before, after });
  };
  const coded = (
    field: string,
    before: string | null,
    after: string | null,
    word: (code: string) => string | null,
  ): void => {
    if (before === after) return;
    changes.push({
      field,
      label: CHANGE_LABELS[field] ?? field,
      before: before === null ? null : word(before),
      after: after === null ? null : word(after),
      beforeCode: before,
      afterCode: after,
    });
  };
  const setStatus = (s: string): void => {
    coded('status', state.status, s, (c) => STATUS[c] ?? c);
    next.status = s;
  };
  const setUnit = (u: string | null): void => {
    coded('unit', state.unitId, u, (c) => unitName(c));
    next.unitId = u;
  };
  const setOwner = (o: { userId: string; name: string } | null): void => {
    if ((state.owner?.userId ?? null) !== (o?.userId ?? null)) {
      changes.push({
        field: 'owner',
        label: CHANGE_LABELS.owner,
        before: state.owner?.name ?? null,
        after: o?.name ?? null,
        beforeCode: state.owner?.userId ?? null,
        afterCode: o?.userId ?? null,
      });
    }
    next.owner = o;
  };
  const setNotice = (n: string | null): void => {
    text('noticeNo', state.noticeNo, n);
    next.noticeNo = n;
  };
  const setDue = (date: string | null): void => {
    text('dueDate', state.dueDate, date);
    next.dueDate = date;
  };
  // A moved deadline ends the ladder of the old one (as the domain's evolve does); the trail says so.
  const resetLadder = (): void => {
    coded('escalationLevel', state.escalationLevel, null, (c) => LEVEL[c] ?? c);
    if (state.overdue) text('overdue', '是', '否');
    next.escalationLevel = null;
    next.overdue = false;
  };
  const clearExtension = (): void => {
    if (state.pendingExtension) text('extensionRequest', extensionText(state.pendingExtension), null);
    next.pendingExtension = null;
  };
  const flag = (field: string, after: string): void => text(field, null, after);
  const actor = (a: unknown): { userId: string; name: string } | null => {
    const x = a as { userId?: unknown; name?: unknown } | null | undefined;
    return x && typeof x.userId === 'string' ? { userId: x.userId, name: typeof x.name === 'string' ? x.name : '' } : null;
  };

  let attribution: Attribution | null = null;
  const attribute = (person: unknown, unitId: unknown): void => {
    const p = person as { userId?: unknown; name?: unknown; role?: unknown; unitId?: unknown } | null | undefined;
    const personOk = p && typeof p.userId === 'string';
    const unit = typeof unitId === 'string' ? unitId : personOk && typeof p!.unitId === 'string' ? (p!.unitId as string) : null;
    attribution = {
      person: personOk
        ? {
            id: p!.userId as string,
            name: typeof p!.name === 'string' ? p!.name : '',
            role: typeof p!.role === 'string' ? p!.role : null,
            unitId: typeof p!.unitId === 'string' ? p!.unitId : null,
          }
        : null,
      unitId: unit,
      unitName: unitName(unit),
    };
  };
  if (d && typeof d === 'object' && d.accountable && typeof d.accountable === 'object') {
    attribute(d.accountable.person, d.accountable.unitId);
  }

  switch (e.type) {
    case 'FindingImported':
      setStatus('Closed');
      text('description', null, d.description ?? null);
      coded('categoryCode', null, d.categoryCode ?? null, (c) => c);
      coded('severity', null, d.severity ?? null, (c) => SEVERITY[c] ?? c);
      next.description = d.description ?? null;
      next.categoryCode = d.categoryCode ?? null;
      next.severity = d.severity ?? null;
      break;
    case 'FindingRecorded':
      setStatus('Recorded');
      text('description', null, d.description ?? null);
      coded('categoryCode', null, d.categoryCode ?? null, (c) => c);
      coded('severity', null, d.severity ?? null, (c) => SEVERITY[c] ?? c);
      next.description = d.description ?? null;
      next.categoryCode = d.categoryCode ?? null;
      next.severity = d.severity ?? null;
      break;
    case 'FindingAmended': {
      const ch = (d.changes ?? {}) as Record<string, string | undefined>;
      const prev = (d.previous ?? {}) as Record<string, string | undefined>;
      // The event names the replaced values itself; the running state is the fallback for an older event.
      const before = (k: 'description' | 'categoryCode' | 'severity') => (k in prev ? (prev[k] ?? null) : state[k]);
      if (ch.description !== undefined) {
        changes.push({ field: 'description', label: CHANGE_LABELS.description, before: before('description'), after: ch.description });
        next.description = ch.description;
      }
      if (ch.categoryCode !== undefined) {
        const b = before('categoryCode');
        changes.push({ field: 'categoryCode', label: CHANGE_LABELS.categoryCode, before: b, after: ch.categoryCode, beforeCode: b, afterCode: ch.categoryCode });
        next.categoryCode = ch.categoryCode;
      }
      if (ch.severity !== undefined) {
        const b = before('severity');
        changes.push({
          field: 'severity',
          label: CHANGE_LABELS.severity,
          before: b === null ? null : (SEVERITY[b] ?? b),
          after: SEVERITY[ch.severity] ?? ch.severity,
          beforeCode: b,
          afterCode: ch.severity,
        });
        next.severity = ch.severity;
      }
      break;
    }
    case 'FindingAnnulled':
      setStatus('Annulled');
      clearExtension();
      break;
    case 'FindingDispatched':
      setStatus('Dispatched');
      setUnit(d.unitId ?? null);
      setNotice(d.noticeNo ?? null);
      setDue(d.dueDate ?? null);
      resetLadder();
      break;
    case 'FindingClaimed': {
      setStatus('InRectification');
      setOwner(actor(d.signedBy));
      break;
    }
    case 'RectificationPlanSubmitted':
      text('plan', null, typeof d.plan === 'string' ? d.plan : null);
      text('plannedCompletionDate', state.plannedCompletionDate, d.plannedCompletionDate ?? null);
      next.plannedCompletionDate = d.plannedCompletionDate ?? null;
      break;
    case 'ProgressReported': {
      const pct = typeof d.percent === 'number' ? d.percent : null;
      text('progress', state.lastPercent === null ? null : `${state.lastPercent}%`, pct === null ? `${d.workday ?? ''} 已报送` : `${pct}%`);
      if (pct !== null) next.lastPercent = pct;
      break;
    }
    case 'ExtensionRequested': {
      const req = { workdays: Number(d.workdays), reason: String(d.reason ?? '') };
      text('extensionRequest', state.pendingExtension ? extensionText(state.pendingExtension) : null, extensionText(req));
      next.pendingExtension = req;
      break;
    }
    case 'ExtensionGranted':
      if (state.pendingExtension) text('extensionRequest', extensionText(state.pendingExtension), '已批准');
      next.pendingExtension = null;
      text('dueDate', d.previousDueDate ?? state.dueDate, d.dueDate ?? null);
      next.dueDate = d.dueDate ?? null;
      resetLadder();
      break;
    case 'ExtensionRefused':
      if (state.pendingExtension) text('extensionRequest', extensionText(state.pendingExtension), '不予延期');
      next.pendingExtension = null;
      break;
    case 'RectificationSubmitted':
      setStatus('AwaitingVerification');
      flag('rectification', `${signerOf(e)?.name ?? ''} 签字`);
      break;
    case 'FindingClosed':
      setStatus('Closed');
      flag('verification', `通过（${signerOf(e)?.name ?? ''}）`);
      clearExtension();
      break;
    case 'RectificationRejected':
      setStatus('InRectification');
      flag('verification', '未通过，退回整改');
      break;
    case 'FindingReassigned':
      setStatus('Dispatched');
      setUnit(d.toUnitId ?? null);
      setOwner(null);
      // The domain keeps the old number when a reassignment carries none.
      setNotice(d.noticeNo ?? state.noticeNo);
      setDue(d.dueDate ?? null);
      clearExtension();
      resetLadder();
      break;
    case 'FindingReopened':
      setStatus('InRectification');
      setOwner(actor(d.owner));
      setDue(d.dueDate ?? null);
      resetLadder();
      // 谁整改谁签字谁清零: a look-back reopen is the fix's signer's.
      attribute(d.owner, d.owner?.unitId);
      break;
    case 'DispatchOverdue':
      flag('dispatchOverdue', `是（期限 ${shanghaiDeadlineText(d.dueAt)}）`);
      break;
    case 'ClaimOverdue':
      flag('claimOverdue', `是（期限 ${shanghaiDeadlineText(d.dueAt)}）`);
      break;
    case 'VerificationOverdue':
      flag('verificationOverdue', `是（期限 ${shanghaiDeadlineText(d.dueAt)}）`);
      break;
    case 'DailyReportMissed':
      text('missedReport', state.lastMissedReportWorkday, d.workday ?? null);
      next.lastMissedReportWorkday = d.workday ?? null;
      break;
    case 'FindingOverdue':
      if (!state.overdue) text('overdue', '否', '是');
      next.overdue = true;
      break;
    case 'FindingEscalated':
      coded('escalationLevel', state.escalationLevel, d.level ?? null, (c) => LEVEL[c] ?? c);
      next.escalationLevel = d.level ?? null;
      if (d.level && d.level !== 'notice') next.pendingAcknowledgements.push(`${d.level}@${d.dueDate}`);
      break;
    case 'EscalationAcknowledged': {
      const key = `${d.level}@${d.dueDate}`;
      const i = next.pendingAcknowledgements.lastIndexOf(key);
      if (i >= 0) next.pendingAcknowledgements.splice(i, 1);
      const level = LEVEL[d.level] ?? d.level;
      changes.push({
        field: 'acknowledgement',
        label: CHANGE_LABELS.acknowledgement,
        before: `${level}（建议，待确认）`,
        after: `已确认${level}${d.note ? `：${d.note}` : ''}`,
        beforeCode: 'proposed',
        afterCode: 'acknowledged',
      });
      break;
    }
    case 'LookBackDue':
      flag('lookBack', `到期（${shanghaiDateText(d.closedAt)} 销号）`);
      break;
    case 'CampaignCreated':
      flag('campaign', `创建「${d.name ?? ''}」`);
      break;
    case 'DispatchNoticeIssued':
      text('noticeNo', state.lastNoticeNo, d.noticeNo ?? null);
      next.lastNoticeNo = d.noticeNo ?? null;
      break;
    case 'CampaignPaused':
    case 'CampaignResumed':
    case 'CampaignEnded': {
      const after = e.type === 'CampaignPaused' ? 'paused' : e.type === 'CampaignResumed' ? 'active' : 'ended';
      coded('lifecycle', state.lifecycle ?? 'active', after, (c) => LIFECYCLE[c] ?? c);
      next.lifecycle = after;
      break;
    }
    case 'InspectionReportFiled': {
      const before = state.inspectionReport ?? null;
      const after = before === 'missed' || before === 'missed_then_filed' ? 'missed_then_filed' : d.late ? 'filed_late' : 'filed';
      coded('inspectionReport', before, after, (c) => INSPECTION_REPORT[c] ?? c);
      next.inspectionReport = after;
      break;
    }
    case 'InspectionReportMissed': {
      // The domain records a miss only on a day nobody filed; a filing already there keeps its status.
      const before = state.inspectionReport ?? null;
      const after = before === null ? 'missed' : before;
      coded('inspectionReport', before, after, (c) => INSPECTION_REPORT[c] ?? c);
      next.inspectionReport = after;
      break;
    }
    default:
      break;
  }
  return { state: next, changes, attribution };
}

function extensionText(p: { workdays: number; reason: string }): string {
  return `${p.workdays} 个工作日${p.reason ? `：${p.reason}` : ''}`;
}
