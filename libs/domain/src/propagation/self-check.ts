import type { Actor } from '../shared/actor';
import { sameSigner } from '../shared/actor';
import { ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { requireRole, requireText, requireTextList, validateMetadata } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import { toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import type { PropagationOrigin } from './origin';

/** One unit's self-check (自查) task of one propagation: its own stream, so units never contend with each other. */
export const selfCheckStreamId = (propagationId: string, unitId: string): string => `selfcheck-${propagationId}-${unitId}`;

// ---------- commands ----------

/** 认领自查: one official of the asked unit owns the task, as for a finding (谁自查谁签字). */
export type ClaimSelfCheck = Command<'ClaimSelfCheck', Record<string, never>>;

/**
 * 自查签字: "checked, none found" (what was checked, evidence), or "found n" — the problems found were recorded as new
 * findings linked to the origin and dispatched to this unit before the attestation, which names them.
 */
export type AttestSelfCheck = Command<
  'AttestSelfCheck',
  { outcome: 'none_found'; checked: string; evidence: string[] } | { outcome: 'found'; checked: string; evidence: string[]; findingIds: string[] }
>;

/** The task's timer at its deadline (system): an attestation not signed by then is recorded against who held the task. */
export type MarkSelfCheckOverdue = Command<'MarkSelfCheckOverdue', Record<string, never>>;

export type SelfCheckCommand = ClaimSelfCheck | AttestSelfCheck | MarkSelfCheckOverdue;

// ---------- events ----------

export type SelfCheckRequested = DomainEvent<
  'SelfCheckRequested',
  {
    propagationId: string;
    campaignId: string;
    unitId: string;
    origin: PropagationOrigin;
    instruction: string;
    dueDate: LocalDate;
    deadlineAt: string;
  } & Signed
>;

export type SelfCheckClaimed = DomainEvent<'SelfCheckClaimed', { propagationId: string; unitId: string } & Signed>;

export type SelfCheckAttested = DomainEvent<
  'SelfCheckAttested',
  {
    propagationId: string;
    unitId: string;
    outcome: 'none_found' | 'found';
    checked: string;
    /** SHA-256 references of what was checked, never the files. */
    evidence: string[];
    /** The findings the unit found and recorded; empty when none found. */
    findingIds: string[];
    /** Signed after the task's deadline: it still counts, and the ledger shows it late. */
    late: boolean;
  } & Signed
>;

/**
 * No attestation by the deadline. Answerable: the official who claimed the task, else the unit (nobody signed for it).
 * The attestation may still come (late); this record stays.
 */
export type SelfCheckOverdue = DomainEvent<
  'SelfCheckOverdue',
  {
    propagationId: string;
    unitId: string;
    dueDate: LocalDate;
    deadlineAt: string;
    accountable: { person: Actor | null; unitId: string; step: 'SelfCheckRequested' | 'SelfCheckClaimed' };
  } & Signed
>;

export type SelfCheckEvent = SelfCheckRequested | SelfCheckClaimed | SelfCheckAttested | SelfCheckOverdue;

export const SELF_CHECK_EVENT_TYPES: ReadonlyArray<SelfCheckEvent['type']> = [
  'SelfCheckRequested',
  'SelfCheckClaimed',
  'SelfCheckAttested',
  'SelfCheckOverdue',
];

// ---------- state ----------

export type SelfCheckStatus = 'Requested' | 'Claimed' | 'Attested';

export type SelfCheckState =
  | { status: 'Empty' }
  | {
      status: SelfCheckStatus;
      propagationId: string;
      campaignId: string;
      unitId: string;
      origin: PropagationOrigin;
      dueDate: LocalDate;
      deadlineAt: string;
      owner: Actor | null;
      outcome: 'none_found' | 'found' | null;
      findingIds: string[];
      overdueRecorded: boolean;
    };

export const initialSelfCheckState = (): SelfCheckState => ({ status: 'Empty' });

export const evolveSelfCheck = (state: SelfCheckState, event: SelfCheckEvent): SelfCheckState => {
  switch (event.type) {
    case 'SelfCheckRequested': {
      const d = event.data;
      return {
        status: 'Requested',
        propagationId: d.propagationId,
        campaignId: d.campaignId,
        unitId: d.unitId,
        origin: d.origin,
        dueDate: d.dueDate,
        deadlineAt: d.deadlineAt,
        owner: null,
        outcome: null,
        findingIds: [],
        overdueRecorded: false,
      };
    }
    case 'SelfCheckClaimed':
      return state.status === 'Empty' ? state : { ...state, status: 'Claimed', owner: event.data.signedBy };
    case 'SelfCheckAttested':
      return state.status === 'Empty' ? state : { ...state, status: 'Attested', outcome: event.data.outcome, findingIds: event.data.findingIds };
    case 'SelfCheckOverdue':
      return state.status === 'Empty' ? state : { ...state, overdueRecorded: true };
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

type Open = Exclude<SelfCheckState, { status: 'Empty' }>;

const existing = (state: SelfCheckState): Open => {
  if (state.status === 'Empty') throw new NotFoundError('SELF_CHECK_NOT_FOUND', '该单位没有这项自查任务');
  return state;
};

/** Another unit's official learns nothing about the task: the unit is checked before its state. */
const requireOwnUnit = (actor: Actor, task: Open): void => {
  if (actor.unitId !== task.unitId) {
    throw new ForbiddenError('NOT_YOUR_UNIT', 'UNIT_SCOPE', '只能认领或签署本单位的自查任务');
  }
};

/**
 * The self-check decider. Checks in a fixed order — role, input, existence, unit scope, state, ownership — as the
 * finding decider does. A task opens only with its propagation's launch (decideLaunch), never on its own.
 */
export const decideSelfCheck = (command: SelfCheckCommand, state: SelfCheckState): SelfCheckEvent[] => {
  validateMetadata(command.metadata);
  const actor = command.metadata.actor;
  const at = toUtcIso(command.metadata.now);
  const signed = { signedBy: actor, at };

  switch (command.type) {
    case 'ClaimSelfCheck': {
      requireRole(actor, ['unit_official']);
      const task = existing(state);
      requireOwnUnit(actor, task);
      if (task.status === 'Claimed') {
        throw new InvalidStateError('SELF_CHECK_ALREADY_CLAIMED', `该自查任务已由 ${task.owner?.name ?? ''} 认领`);
      }
      if (task.status === 'Attested') throw new InvalidStateError('SELF_CHECK_ALREADY_ATTESTED', '该自查任务已签字办结');
      return [{ type: 'SelfCheckClaimed', data: { propagationId: task.propagationId, unitId: task.unitId, ...signed } }];
    }

    case 'AttestSelfCheck': {
      requireRole(actor, ['unit_official']);
      const d = command.data;
      const checked = requireText(d.checked, 'checked', '自查内容');
      const evidence = requireTextList(d.evidence ?? [], 'evidence', '佐证材料');
      let findingIds: string[] = [];
      switch (d.outcome) {
        case 'none_found':
          break;
        case 'found':
          findingIds = requireTextList(d.findingIds, 'findingIds', '自查发现的问题', { min: 1 });
          if (new Set(findingIds).size !== findingIds.length) {
            throw new InvalidInputError('DUPLICATE_FINDINGS', 'findingIds', '自查发现的问题重复');
          }
          break;
        default: {
          const unknownOutcome: never = d;
          throw new InvalidInputError('INVALID_OUTCOME', 'outcome', `未知自查结论：${String((unknownOutcome as { outcome: unknown }).outcome)}`);
        }
      }
      const task = existing(state);
      requireOwnUnit(actor, task);
      if (task.status === 'Attested') throw new InvalidStateError('SELF_CHECK_ALREADY_ATTESTED', '该自查任务已签字办结');
      if (task.status === 'Requested') throw new InvalidStateError('SELF_CHECK_NOT_CLAIMED', '自查任务须先认领再签字');
      if (!sameSigner(task.owner, actor)) {
        throw new ForbiddenError('NOT_CLAIMANT', 'SIGNER_OWNS_IT', `自查结论须由认领人 ${task.owner?.name ?? ''} 签字`);
      }
      const late = Date.parse(at) > Date.parse(task.deadlineAt);
      return [
        {
          type: 'SelfCheckAttested',
          data: { propagationId: task.propagationId, unitId: task.unitId, outcome: d.outcome, checked, evidence, findingIds, late, ...signed },
        },
      ];
    }

    case 'MarkSelfCheckOverdue': {
      requireRole(actor, ['system']);
      const task = existing(state);
      // Moot once attested or recorded, or before the deadline: a timer that fires late or twice records one fact.
      if (task.status === 'Attested' || task.overdueRecorded || Date.parse(at) < Date.parse(task.deadlineAt)) return [];
      const step = task.owner ? ('SelfCheckClaimed' as const) : ('SelfCheckRequested' as const);
      return [
        {
          type: 'SelfCheckOverdue',
          data: {
            propagationId: task.propagationId,
            unitId: task.unitId,
            dueDate: task.dueDate,
            deadlineAt: task.deadlineAt,
            accountable: { person: task.owner, unitId: task.unitId, step },
            ...signed,
          },
        },
      ];
    }

    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

/** The task's one timer, as a pure function of its state: its deadline, until attested or recorded overdue. */
export const planSelfCheckTimers = (state: SelfCheckState): Array<{ key: string; dueAt: string; command: { type: 'MarkSelfCheckOverdue'; data: Record<string, never> } }> =>
  state.status === 'Empty' || state.status === 'Attested' || state.overdueRecorded
    ? []
    : [{ key: `self_check_deadline:${state.deadlineAt}`, dueAt: state.deadlineAt, command: { type: 'MarkSelfCheckOverdue', data: {} } }];

export const selfCheckDecider = { decide: decideSelfCheck, evolve: evolveSelfCheck, initialState: initialSelfCheckState };
