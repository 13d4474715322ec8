import { capByPhaseEnd, deadlineFor } from '../campaigns/deadline';
import { requireSeverity, type Severity } from '../campaigns/policy';
import type { Actor } from '../shared/actor';
import { ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import {
  optionalLocalDate,
  optionalText,
  requireInteger,
  requireRole,
  requireText,
  requireTextList,
  validateMetadata,
} from '../shared/guards';
import { compareLocalDates, toUtcIso } from '../shared/local-date';
import { evidenceFilesFor } from './evidence';
import { isFindingSource } from './sources';
import { decideImport } from './decide-import';
import { requireDispatcher, selfFound } from './self-found';
import { decideSystemCommand } from './timers';
import {
  type Finding,
  type FindingChanges,
  type FindingCommand,
  type FindingContext,
  type FindingEvent,
  type FindingState,
  type FindingStatus,
  ESCALATION_LEVEL_LABELS,
  FINDING_STATUS_LABELS,
} from './types';

// A deadline longer than a working year is a typo, not a policy.
const MAX_DEADLINE_WORKDAYS = 250;

/**
 * The finding decider: validates a command against the stream's state and the campaign context and
 * returns the facts to append. Checks run in a fixed order — role, input, existence, unit scope, state,
 * ownership / separation of duties — so that another unit's official learns nothing about the finding's
 * state, and so every refusal is predictable for the API and for tests.
 */
export const decide = (command: FindingCommand, state: FindingState, ctx: FindingContext): FindingEvent[] => {
  validateMetadata(command.metadata);
  const actor = command.metadata.actor;
  const at = toUtcIso(command.metadata.now);
  const signed = { signedBy: actor, at };

  switch (command.type) {
    case 'MarkDispatchOverdue':
    case 'MarkClaimOverdue':
    case 'RecordMissedDailyReport':
    case 'MarkFindingOverdue':
    case 'EscalateFinding':
    case 'MarkVerificationOverdue':
    case 'MarkLookBackDue': {
      requireRole(actor, ['system']);
      const f = existing(state);
      requireSameCampaign(f, ctx);
      return decideSystemCommand(command, f, ctx, at);
    }

    case 'AcknowledgeEscalation': {
      requireRole(actor, ['supervisor']);
      const level = command.data.level;
      if (level !== 'interview' && level !== 'accountability') {
        throw new InvalidInputError('INVALID_ESCALATION_LEVEL', 'level', `升级层级应为 interview（约谈）或 accountability（问责）：${String(level)}`);
      }
      const note = optionalText(command.data.note, 'note', '处理意见');
      const f = existing(state);
      // The most recent proposal of that level: an older one for a superseded deadline is acknowledged after it.
      const pending = [...f.unacknowledgedEscalations].reverse().find((e) => e.level === level);
      if (!pending) {
        throw new InvalidStateError(
          'NO_ESCALATION_TO_ACKNOWLEDGE',
          `该问题没有待确认的${ESCALATION_LEVEL_LABELS[level]}建议`,
        );
      }
      return [
        {
          type: 'EscalationAcknowledged',
          data: { level, dueDate: pending.dueDate, accountable: pending.accountable, note, ...signed },
        },
      ];
    }

    case 'RecordFinding': {
      const d = command.data;
      const propagatedFrom = selfFound(d.propagatedFrom, actor);
      const findingId = requireText(d.findingId, 'findingId', '问题编号');
      const campaignId = requireText(d.campaignId, 'campaignId', '专项行动编号');
      if (campaignId !== ctx.campaign.campaignId) {
        throw new InvalidInputError('CAMPAIGN_MISMATCH', 'campaignId', '问题所属专项行动与当前专项行动不一致');
      }
      if (!isFindingSource(d.source)) {
        throw new InvalidInputError('INVALID_SOURCE', 'source', `未知问题来源：${String(d.source)}`);
      }
      const categoryCode = requireText(d.categoryCode, 'categoryCode', '问题类别');
      const severity = requireSeverity(d.severity, 'severity');
      const townUnitId = requireText(d.townUnitId, 'townUnitId', '所属乡镇');
      const village = optionalText(d.village, 'village', '村');
      const household = optionalText(d.household, 'household', '农户');
      const description = requireText(d.description, 'description', '问题描述');
      const evidence = requireTextList(d.evidence ?? [], 'evidence', '佐证材料');
      if (state.status !== 'Empty') {
        throw new InvalidStateError('FINDING_ALREADY_EXISTS', '该问题已登记，签字后不能重新登记');
      }
      return [
        {
          type: 'FindingRecorded',
          data: {
            findingId,
            campaignId,
            source: d.source,
            categoryCode,
            severity,
            townUnitId,
            village,
            household,
            description,
            evidence,
            ...evidenceFilesFor(evidence, d.evidenceFiles),
            ...(propagatedFrom ? { propagatedFrom } : {}),
            ...signed,
          },
        },
      ];
    }

    case 'ImportFinding':
      return decideImport(command, state, ctx, signed);

    case 'AmendFinding': {
      requireRole(actor, ['supervisor']);
      const d = command.data;
      const reason = requireText(d.reason, 'reason', '更正理由');
      const proposed: FindingChanges = {};
      if (d.description !== undefined) proposed.description = requireText(d.description, 'description', '问题描述');
      if (d.categoryCode !== undefined) proposed.categoryCode = requireText(d.categoryCode, 'categoryCode', '问题类别');
      if (d.severity !== undefined) proposed.severity = requireSeverity(d.severity, 'severity');
      const f = existing(state);
      requireStatus(f, ['Recorded', 'Dispatched', 'InRectification', 'AwaitingVerification'], 'FINDING_NOT_AMENDABLE');
      const changes: FindingChanges = {};
      const previous: FindingChanges = {};
      if (proposed.description !== undefined && proposed.description !== f.description) {
        changes.description = proposed.description;
        previous.description = f.description;
      }
      if (proposed.categoryCode !== undefined && proposed.categoryCode !== f.categoryCode) {
        changes.categoryCode = proposed.categoryCode;
        previous.categoryCode = f.categoryCode;
      }
      if (proposed.severity !== undefined && proposed.severity !== f.severity) {
        changes.severity = proposed.severity;
        previous.severity = f.severity;
      }
      if (Object.keys(changes).length === 0) {
        throw new InvalidInputError('NOTHING_TO_AMEND', 'changes', '更正内容与现有记录相同');
      }
      return [{ type: 'FindingAmended', data: { changes, previous, reason, ...signed } }];
    }

    case 'AnnulFinding': {
      requireRole(actor, ['supervisor']);
      const reason = requireText(command.data.reason, 'reason', '撤销理由');
      const f = existing(state);
      requireStatus(f, ['Recorded', 'Dispatched'], 'FINDING_NOT_ANNULLABLE');
      return [{ type: 'FindingAnnulled', data: { reason, ...signed } }];
    }

    case 'DispatchFinding': {
      const d = command.data;
      requireDispatcher(actor, state, d.unitId);
      const unitId = requireText(d.unitId, 'unitId', '责任单位');
      const noticeNo = requireText(d.noticeNo, 'noticeNo', '督办通知书文号');
      const note = optionalText(d.note, 'note', '备注');
      const f = existing(state);
      requireSameCampaign(f, ctx);
      requireStatus(f, ['Recorded'], 'FINDING_NOT_RECORDED');
      const deadlineWorkdays = resolveDeadlineWorkdays(d.deadlineWorkdays, f.severity, ctx);
      const deadline = deadlineFor(ctx.campaign, ctx.calendar, at, deadlineWorkdays);
      return [
        {
          type: 'FindingDispatched',
          data: { unitId, noticeNo, deadlineWorkdays, ...deadline, note, ...signed },
        },
      ];
    }

    case 'ClaimFinding': {
      requireRole(actor, ['unit_official']);
      const f = existing(state);
      requireUnitScope(actor, f);
      requireStatus(f, ['Dispatched'], 'FINDING_NOT_DISPATCHED');
      return [{ type: 'FindingClaimed', data: { unitId: f.unitId!, ...signed } }];
    }

    case 'SubmitRectificationPlan': {
      requireRole(actor, ['unit_official']);
      const d = command.data;
      const plan = requireText(d.plan, 'plan', '整改方案');
      const measures = requireTextList(d.measures, 'measures', '整改措施', { min: 1 });
      const plannedCompletionDate = optionalLocalDate(d.plannedCompletionDate, 'plannedCompletionDate');
      ownedInRectification(state, actor);
      return [{ type: 'RectificationPlanSubmitted', data: { plan, measures, plannedCompletionDate, ...signed } }];
    }

    case 'ReportProgress': {
      requireRole(actor, ['unit_official']);
      const d = command.data;
      const summary = requireText(d.summary, 'summary', '整改进展');
      const percent = d.percent === undefined || d.percent === null ? null : requireInteger(d.percent, 'percent', '完成比例', 0, 100);
      const evidence = requireTextList(d.evidence ?? [], 'evidence', '佐证材料');
      ownedInRectification(state, actor);
      const workday = ctx.calendar.localDateOf(at);
      return [{ type: 'ProgressReported', data: { workday, summary, percent, evidence, ...evidenceFilesFor(evidence, d.evidenceFiles), ...signed } }];
    }

    case 'RequestExtension': {
      requireRole(actor, ['unit_official']);
      const d = command.data;
      const max = ctx.campaign.policy.maxExtensionWorkdays;
      const workdays = requireInteger(d.workdays, 'workdays', '延期工作日数', 1, max);
      const reason = requireText(d.reason, 'reason', '延期理由');
      const f = ownedInRectification(state, actor);
      if (f.pendingExtension) {
        throw new InvalidStateError('EXTENSION_ALREADY_PENDING', '已有待审批的延期申请');
      }
      return [
        { type: 'ExtensionRequested', data: { workdays, reason, currentDueDate: requireDueDate(f), ...signed } },
      ];
    }

    case 'GrantExtension': {
      requireRole(actor, ['supervisor']);
      const reason = optionalText(command.data.reason, 'reason', '批准意见');
      const f = existing(state);
      requireSameCampaign(f, ctx);
      const pending = requirePendingExtension(f);
      const previousDueDate = requireDueDate(f);
      const extended = ctx.calendar.addWorkdaysToDate(previousDueDate, pending.workdays);
      const deadline = capByPhaseEnd(ctx.campaign, ctx.calendar, at, extended);
      if (compareLocalDates(deadline.dueDate, previousDueDate) <= 0) {
        throw new InvalidStateError(
          'EXTENSION_EXCEEDS_PHASE_END',
          `整改期限已到阶段截止日 ${previousDueDate}，不能再延期，请不予批准并说明理由`,
        );
      }
      return [
        {
          type: 'ExtensionGranted',
          data: { workdays: pending.workdays, previousDueDate, ...deadline, reason, ...signed },
        },
      ];
    }

    case 'RefuseExtension': {
      requireRole(actor, ['supervisor']);
      const reason = requireText(command.data.reason, 'reason', '不予批准理由');
      const f = existing(state);
      const pending = requirePendingExtension(f);
      return [{ type: 'ExtensionRefused', data: { workdays: pending.workdays, reason, ...signed } }];
    }

    case 'SubmitRectification': {
      requireRole(actor, ['unit_official']);
      const d = command.data;
      const summary = requireText(d.summary, 'summary', '整改完成情况');
      const evidence = requireTextList(d.evidence, 'evidence', '佐证材料', { min: 1 });
      ownedInRectification(state, actor);
      return [{ type: 'RectificationSubmitted', data: { summary, evidence, ...evidenceFilesFor(evidence, d.evidenceFiles), ...signed } }];
    }

    case 'VerifyRectification': {
      requireRole(actor, ['supervisor']);
      const note = optionalText(command.data.note, 'note', '验收意见');
      const f = existing(state);
      requireStatus(f, ['AwaitingVerification'], 'FINDING_NOT_AWAITING_VERIFICATION');
      requireSeparationOfDuties(actor, f);
      return [{ type: 'FindingClosed', data: { note, ...signed } }];
    }

    case 'RejectRectification': {
      requireRole(actor, ['supervisor']);
      const reason = requireText(command.data.reason, 'reason', '退回理由');
      const f = existing(state);
      requireStatus(f, ['AwaitingVerification'], 'FINDING_NOT_AWAITING_VERIFICATION');
      requireSeparationOfDuties(actor, f);
      return [{ type: 'RectificationRejected', data: { reason, ...signed } }];
    }

    case 'ReassignFinding': {
      requireRole(actor, ['supervisor']);
      const d = command.data;
      const toUnitId = requireText(d.toUnitId, 'toUnitId', '新责任单位');
      const reason = requireText(d.reason, 'reason', '改派理由');
      const noticeNo = optionalText(d.noticeNo, 'noticeNo', '督办通知书文号');
      const f = existing(state);
      requireSameCampaign(f, ctx);
      requireStatus(f, ['Dispatched', 'InRectification', 'AwaitingVerification'], 'FINDING_NOT_REASSIGNABLE');
      if (toUnitId === f.unitId) {
        throw new InvalidInputError('SAME_UNIT', 'toUnitId', '新责任单位与当前责任单位相同');
      }
      const deadlineWorkdays = resolveDeadlineWorkdays(d.deadlineWorkdays, f.severity, ctx);
      const deadline = deadlineFor(ctx.campaign, ctx.calendar, at, deadlineWorkdays);
      return [
        {
          type: 'FindingReassigned',
          data: {
            fromUnitId: f.unitId!,
            toUnitId,
            previousOwner: f.owner,
            reason,
            noticeNo,
            deadlineWorkdays,
            ...deadline,
            ...signed,
          },
        },
      ];
    }

    case 'ReopenFinding': {
      requireRole(actor, ['supervisor']);
      const d = command.data;
      const reason = requireText(d.reason, 'reason', '重新整改理由');
      const f = existing(state);
      requireSameCampaign(f, ctx);
      requireStatus(f, ['Closed'], 'FINDING_NOT_CLOSED');
      if (!f.owner) {
        throw new InvalidStateError('FINDING_HAS_NO_OWNER', '该问题没有整改责任人，无法重新整改');
      }
      const deadlineWorkdays = resolveDeadlineWorkdays(d.deadlineWorkdays, f.severity, ctx);
      const deadline = deadlineFor(ctx.campaign, ctx.calendar, at, deadlineWorkdays);
      return [
        {
          type: 'FindingReopened',
          data: { reason, owner: f.owner, deadlineWorkdays, ...deadline, ...signed },
        },
      ];
    }

    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

// ---------------- rules ----------------

const existing = (state: FindingState): Finding => {
  if (state.status === 'Empty') {
    throw new NotFoundError('FINDING_NOT_FOUND', '问题不存在');
  }
  return state;
};

const requireStatus = (f: Finding, allowed: readonly FindingStatus[], code: string): void => {
  if (!allowed.includes(f.status)) {
    throw new InvalidStateError(
      code,
      `问题当前状态为“${FINDING_STATUS_LABELS[f.status]}”，只有“${allowed.map((s) => FINDING_STATUS_LABELS[s]).join('、')}”状态可以执行此操作`,
    );
  }
};

/** A unit official sees and touches only findings currently dispatched to their unit. */
const requireUnitScope = (actor: Actor, f: Finding): void => {
  if (f.unitId === null || actor.unitId !== f.unitId) {
    throw new ForbiddenError('NOT_YOUR_UNIT', 'UNIT_SCOPE', '该问题未交办给本单位');
  }
};

/** 谁整改谁签字谁清零: only the official who claimed it may act on the rectification. */
const ownedInRectification = (state: FindingState, actor: Actor): Finding => {
  const f = existing(state);
  requireUnitScope(actor, f);
  requireStatus(f, ['InRectification'], 'FINDING_NOT_IN_RECTIFICATION');
  if (!f.owner || f.owner.userId !== actor.userId) {
    throw new ForbiddenError(
      'NOT_THE_OWNER',
      'SIGNER_OWNS_IT',
      f.owner ? `该问题由 ${f.owner.name} 认领，只有认领人可以签字` : '该问题尚无认领人',
    );
  }
  return f;
};

/** DESIGN rule 2: the verifier is neither the owner nor the signer of the rectification. */
const requireSeparationOfDuties = (actor: Actor, f: Finding): void => {
  if (f.owner && f.owner.userId === actor.userId) {
    throw new ForbiddenError('VERIFIER_IS_OWNER', 'SEPARATION_OF_DUTIES', '整改责任人不能验收自己负责的问题');
  }
  if (f.rectificationSignedBy && f.rectificationSignedBy.userId === actor.userId) {
    throw new ForbiddenError(
      'VERIFIER_SIGNED_RECTIFICATION',
      'SEPARATION_OF_DUTIES',
      '整改完成签字人不能验收自己签字的整改',
    );
  }
};

const requirePendingExtension = (f: Finding) => {
  requireStatus(f, ['InRectification', 'AwaitingVerification'], 'FINDING_NOT_IN_RECTIFICATION');
  if (!f.pendingExtension) {
    throw new InvalidStateError('NO_PENDING_EXTENSION', '没有待审批的延期申请');
  }
  return f.pendingExtension;
};

const requireDueDate = (f: Finding): string => {
  if (!f.dueDate) {
    throw new InvalidStateError('FINDING_HAS_NO_DEADLINE', '该问题尚无整改期限');
  }
  return f.dueDate;
};

/** The context is loaded by the caller; a mismatch is a wiring bug that must not produce facts. */
const requireSameCampaign = (f: Finding, ctx: FindingContext): void => {
  if (ctx.campaign.campaignId !== f.campaignId) {
    throw new InvalidStateError('CAMPAIGN_MISMATCH', '问题所属专项行动与加载的专项行动不一致');
  }
};

const resolveDeadlineWorkdays = (value: number | undefined, severity: Severity, ctx: FindingContext): number =>
  value === undefined || value === null
    ? ctx.campaign.policy.deadlineWorkdays[severity]
    : requireInteger(value, 'deadlineWorkdays', '整改期限（工作日）', 1, MAX_DEADLINE_WORKDAYS);
