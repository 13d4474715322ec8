import { deadlineFor } from '../campaigns/deadline';
import type { FindingContext } from '../findings/types';
import { InvalidInputError, InvalidStateError } from '../shared/errors';
import { requireInteger, requireRole, requireText, validateMetadata } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import { toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import type { PropagationOrigin } from './origin';
import type { SelfCheckEvent } from './self-check';

/**
 * 举一反三: after a finding (or against a checklist item), a supervisor asks a set of similar units to check themselves
 * for the same problem. The propagation's own stream holds the launch; each unit's self-check (自查) task is a stream of
 * its own (`selfCheckStreamId`), so one unit's claim or attestation never races another's.
 */
export const propagationStreamId = (propagationId: string): string => `propagation-${propagationId}`;


/** How the units were chosen: the directory resolves the first two at launch and the event keeps the resolved list. */
export type PropagationScope = 'all_towns' | 'all_departments' | 'chosen';

export const PROPAGATION_SCOPE_LABELS: Record<PropagationScope, string> = {
  all_towns: '全部乡镇',
  all_departments: '全部部门',
  chosen: '指定单位',
};

export const isPropagationScope = (v: unknown): v is PropagationScope => typeof v === 'string' && v in PROPAGATION_SCOPE_LABELS;

// A county has a few dozen towns and departments; the bound only catches a runaway list.
const MAX_UNITS = 500;
const MAX_DEADLINE_WORKDAYS = 250;

export type LaunchPropagation = Command<
  'LaunchPropagation',
  {
    propagationId: string;
    campaignId: string;
    origin: PropagationOrigin;
    scope: PropagationScope;
    /** The units asked, resolved from the scope by the caller (the directory is not the domain's to read). */
    unitIds: string[];
    instruction: string;
    deadlineWorkdays: number;
  }
>;

export type PropagationLaunched = DomainEvent<
  'PropagationLaunched',
  {
    propagationId: string;
    campaignId: string;
    origin: PropagationOrigin;
    scope: PropagationScope;
    unitIds: string[];
    instruction: string;
    deadlineWorkdays: number;
    dueDate: LocalDate;
    deadlineAt: string;
    cappedByPhaseEnd: boolean;
    calendarVersion: number;
  } & Signed
>;

export type PropagationEvent = PropagationLaunched;
export const PROPAGATION_EVENT_TYPES: ReadonlyArray<PropagationEvent['type']> = ['PropagationLaunched'];

export type PropagationState = { status: 'Empty' } | { status: 'Launched'; launched: PropagationLaunched['data'] };

export const initialPropagationState = (): PropagationState => ({ status: 'Empty' });

export const evolvePropagation = (state: PropagationState, event: PropagationEvent): PropagationState => {
  switch (event.type) {
    case 'PropagationLaunched':
      return { status: 'Launched', launched: event.data };
    default: {
      const unknownEvent: never = event.type;
      void unknownEvent;
      return state;
    }
  }
};

export interface LaunchDecision {
  propagation: PropagationEvent[];
  /** Each asked unit's task stream opens with its request, appended with the launch in one atomic write. */
  tasks: Array<{ unitId: string; events: SelfCheckEvent[] }>;
}

const origin = (o: unknown): PropagationOrigin => {
  const v = (o ?? {}) as Record<string, unknown>;
  if (v.kind === 'finding') return { kind: 'finding', findingId: requireText(v.findingId, 'origin.findingId', '源问题编号') };
  if (v.kind === 'checklist_item') {
    return { kind: 'checklist_item', categoryCode: requireText(v.categoryCode, 'origin.categoryCode', '检查清单条目') };
  }
  throw new InvalidInputError('INVALID_ORIGIN', 'origin.kind', '举一反三应源自一个问题或一个检查清单条目');
};

/** 发起举一反三: supervisors only; the deadline is N workdays on the campaign's calendar, capped by the phase end. */
export const decideLaunch = (command: LaunchPropagation, state: PropagationState, ctx: FindingContext): LaunchDecision => {
  validateMetadata(command.metadata);
  const { actor } = command.metadata;
  const at = toUtcIso(command.metadata.now);
  requireRole(actor, ['supervisor']);
  const d = command.data;
  const propagationId = requireText(d.propagationId, 'propagationId', '举一反三编号');
  const campaignId = requireText(d.campaignId, 'campaignId', '专项行动编号');
  if (campaignId !== ctx.campaign.campaignId) {
    throw new InvalidInputError('CAMPAIGN_MISMATCH', 'campaignId', '举一反三所属专项行动与当前专项行动不一致');
  }
  const from = origin(d.origin);
  if (!isPropagationScope(d.scope)) throw new InvalidInputError('INVALID_SCOPE', 'scope', `未知范围：${String(d.scope)}`);
  if (!Array.isArray(d.unitIds) || d.unitIds.some((u) => typeof u !== 'string' || !u.trim())) {
    throw new InvalidInputError('INVALID_LIST', 'unitIds', '单位应为单位编号列表');
  }
  const unitIds = d.unitIds.map((u) => u.trim());
  if (unitIds.length === 0) throw new InvalidInputError('UNITS_REQUIRED', 'unitIds', '举一反三至少要有一个单位');
  if (unitIds.length > MAX_UNITS) throw new InvalidInputError('TOO_MANY_UNITS', 'unitIds', `举一反三最多 ${MAX_UNITS} 个单位`);
  if (new Set(unitIds).size !== unitIds.length) throw new InvalidInputError('DUPLICATE_UNITS', 'unitIds', '单位列表中有重复');
  const instruction = requireText(d.instruction, 'instruction', '自查要求');
  const deadlineWorkdays = requireInteger(d.deadlineWorkdays, 'deadlineWorkdays', '自查时限（工作日）', 1, MAX_DEADLINE_WORKDAYS);
  if (state.status !== 'Empty') throw new InvalidStateError('PROPAGATION_ALREADY_LAUNCHED', '该举一反三已发起');
  const deadline = deadlineFor(ctx.campaign, ctx.calendar, at, deadlineWorkdays);
  const signed = { signedBy: actor, at };
  const launched: PropagationLaunched = {
    type: 'PropagationLaunched',
    data: { propagationId, campaignId, origin: from, scope: d.scope, unitIds, instruction, deadlineWorkdays, ...deadline, ...signed },
  };
  return {
    propagation: [launched],
    tasks: unitIds.map((unitId) => ({
      unitId,
      events: [
        {
          type: 'SelfCheckRequested',
          data: { propagationId, campaignId, unitId, origin: from, instruction, dueDate: deadline.dueDate, deadlineAt: deadline.deadlineAt, ...signed },
        },
      ],
    })),
  };
};

