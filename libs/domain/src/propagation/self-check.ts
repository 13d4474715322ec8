import { ESCALATION_LEVEL_LABELS, type EscalationLevel } from '../findings/events';
import type { FindingContext } from '../findings/types';
import type { Actor } from '../shared/actor';
import { sameSigner } from '../shared/actor';
import { ForbiddenError, InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { optionalText, requireRole, requireText, requireTextList, validateMetadata } from '../shared/guards';
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

/** A rung of the ladder after the notice (system), at the instant the missing attestation's last rung said it falls. */
export type EscalateSelfCheck = Command<'EscalateSelfCheck', { level: 'interview' | 'accountability' }>;

/** 确认约谈/问责: a supervisor signs that a proposed rung for a missing attestation goes ahead, as for a finding. */
export type AcknowledgeSelfCheckEscalation = Command<'AcknowledgeSelfCheckEscalation', { level: 'interview' | 'accountability'; note?: string }>;

export type SelfCheckCommand = ClaimSelfCheck | AttestSelfCheck | MarkSelfCheckOverdue | EscalateSelfCheck | AcknowledgeSelfCheckEscalation;
export type SelfCheckSystemCommand = MarkSelfCheckOverdue | EscalateSelfCheck;

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

/** Who answers for a missing attestation: the claimant, else the unit; and the signed step it rests on. */
export type SelfCheckAccountable = {
  person: Actor | null;
  unitId: string;
  step: 'SelfCheckRequested' | 'SelfCheckClaimed';
  stepSignedAt: string;
};

/**
 * A rung of the campaign's ladder (通报 → 约谈 → 问责) for a missing attestation, climbed exactly as a finding's overdue
 * rectification climbs it: the notice with the overdue record, the interview at 24:00 of the `interviewAfterWorkdays`-th
 * workday after the due date, the referral `accountabilityAfterWorkdays` workdays after the interview's date. Each rung
 * records the next one's date, so a calendar published later never moves it. An attestation stops the climb.
 */
export type SelfCheckEscalated = DomainEvent<
  'SelfCheckEscalated',
  {
    propagationId: string;
    unitId: string;
    level: EscalationLevel;
    dueDate: LocalDate;
    accountable: SelfCheckAccountable;
    nextLevel: EscalationLevel | null;
    nextDueDate: LocalDate | null;
    nextDueAt: string | null;
    calendarVersion: number;
  } & Signed
>;

export type SelfCheckEscalationAcknowledged = DomainEvent<
  'SelfCheckEscalationAcknowledged',
  { propagationId: string; unitId: string; level: 'interview' | 'accountability'; dueDate: LocalDate; accountable: SelfCheckAccountable; note: string | null } & Signed
>;

export type SelfCheckEvent =
  | SelfCheckRequested
  | SelfCheckClaimed
  | SelfCheckAttested
  | SelfCheckOverdue
  | SelfCheckEscalated
  | SelfCheckEscalationAcknowledged;

export const SELF_CHECK_EVENT_TYPES: ReadonlyArray<SelfCheckEvent['type']> = [
  'SelfCheckRequested',
  'SelfCheckClaimed',
  'SelfCheckAttested',
  'SelfCheckOverdue',
  'SelfCheckEscalated',
  'SelfCheckEscalationAcknowledged',
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
      /** When the step the task rests on was signed: the request, or the claim. */
      stepSignedAt: string;
      /** The rung the missing attestation reached and the next one's date; null before the notice (and for a task
       * recorded overdue before the ladder covered self-checks: it never climbs). */
      ladder: { level: EscalationLevel; nextLevel: EscalationLevel | null; nextDueDate: LocalDate | null; nextDueAt: string | null } | null;
      /** Interview and referral proposals no supervisor has acknowledged yet (absent in states folded before them). */
      unacknowledged?: Array<{ level: 'interview' | 'accountability'; accountable: SelfCheckAccountable }>;
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
        stepSignedAt: d.at,
        ladder: null,
      };
    }
    case 'SelfCheckClaimed':
      return state.status === 'Empty' ? state : { ...state, status: 'Claimed', owner: event.data.signedBy, stepSignedAt: event.data.at };
    case 'SelfCheckAttested':
      return state.status === 'Empty' ? state : { ...state, status: 'Attested', outcome: event.data.outcome, findingIds: event.data.findingIds };
    case 'SelfCheckOverdue':
      return state.status === 'Empty' ? state : { ...state, overdueRecorded: true };
    case 'SelfCheckEscalated': {
      if (state.status === 'Empty') return state;
      const d = event.data;
      const proposed = d.level === 'notice' ? [] : [{ level: d.level, accountable: d.accountable }];
      return {
        ...state,
        ladder: { level: d.level, nextLevel: d.nextLevel, nextDueDate: d.nextDueDate, nextDueAt: d.nextDueAt },
        unacknowledged: [...(state.unacknowledged ?? []), ...proposed],
      };
    }
    case 'SelfCheckEscalationAcknowledged': {
      if (state.status === 'Empty') return state;
      const level = event.data.level;
      return { ...state, unacknowledged: (state.unacknowledged ?? []).filter((u) => u.level !== level) };
    }
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
export const decideSelfCheck = (command: SelfCheckCommand, state: SelfCheckState, ctx?: FindingContext): SelfCheckEvent[] => {
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

    case 'AcknowledgeSelfCheckEscalation': {
      requireRole(actor, ['supervisor']);
      const level = command.data.level;
      if (level !== 'interview' && level !== 'accountability') {
        throw new InvalidInputError('INVALID_ESCALATION_LEVEL', 'level', `升级层级应为 interview（约谈）或 accountability（问责）：${String(level)}`);
      }
      const note = optionalText(command.data.note, 'note', '处理意见');
      const task = existing(state);
      const pending = (task.unacknowledged ?? []).find((u) => u.level === level);
      if (!pending) {
        throw new InvalidStateError('NO_ESCALATION_TO_ACKNOWLEDGE', `该自查任务没有待确认的${ESCALATION_LEVEL_LABELS[level]}建议`);
      }
      return [
        {
          type: 'SelfCheckEscalationAcknowledged',
          data: { propagationId: task.propagationId, unitId: task.unitId, level, dueDate: task.dueDate, accountable: pending.accountable, note, ...signed },
        },
      ];
    }

    case 'MarkSelfCheckOverdue':
    case 'EscalateSelfCheck': {
      requireRole(actor, ['system']);
      const task = existing(state);
      if (!ctx) throw new InvalidStateError('CAMPAIGN_CONTEXT_REQUIRED', '自查任务的逾期与升级须依专项行动的日历和规则判定');
      // Only what the plan says is due, at or after its instant: a timer that fires late, twice or moot records nothing.
      const due = planSelfCheckTimers(task).find((t) => t.command.type === command.type && sameLevel(t.command, command) && t.dueAt <= at);
      if (!due) return [];
      return command.type === 'MarkSelfCheckOverdue' ? overdueAndNotice(task, ctx, signed) : [escalation(task, ctx, command.data.level, signed)];
    }

    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

export type SelfCheckTimerCommand =
  | { type: 'MarkSelfCheckOverdue'; data: Record<string, never> }
  | { type: 'EscalateSelfCheck'; data: { level: 'interview' | 'accountability' } };

export type SelfCheckTimer = { key: string; dueAt: string; command: SelfCheckTimerCommand };

/**
 * The task's clock, as a pure function of its state: the deadline while nobody has attested, then the ladder's next
 * rung as the last rung recorded it. An attestation (even a late one) ends both.
 */
export const planSelfCheckTimers = (state: SelfCheckState): SelfCheckTimer[] => {
  if (state.status === 'Empty' || state.status === 'Attested') return [];
  if (!state.overdueRecorded) {
    return [{ key: `self_check_deadline:${state.deadlineAt}`, dueAt: state.deadlineAt, command: { type: 'MarkSelfCheckOverdue', data: {} } }];
  }
  const next = state.ladder;
  if (!next || !next.nextLevel || next.nextLevel === 'notice' || !next.nextDueAt) return [];
  return [
    {
      key: `self_check_escalate:${next.nextLevel}:${state.deadlineAt}`,
      dueAt: next.nextDueAt,
      command: { type: 'EscalateSelfCheck', data: { level: next.nextLevel } },
    },
  ];
};

const LADDER: Record<EscalationLevel, EscalationLevel | null> = { notice: 'interview', interview: 'accountability', accountability: null };

const sameLevel = (planned: SelfCheckTimerCommand, command: SelfCheckSystemCommand): boolean =>
  planned.type !== 'EscalateSelfCheck' || command.type !== 'EscalateSelfCheck' || planned.data.level === command.data.level;

/** The claimant who signed for the task, else the unit (nobody signed for it), as a finding's unclaimed dispatch. */
const accountableFor = (task: Open): SelfCheckAccountable =>
  task.owner
    ? { person: task.owner, unitId: task.unitId, step: 'SelfCheckClaimed', stepSignedAt: task.stepSignedAt }
    : { person: null, unitId: task.unitId, step: 'SelfCheckRequested', stepSignedAt: task.stepSignedAt };

const overdueAndNotice = (task: Open, ctx: FindingContext, signed: Signed): SelfCheckEvent[] => {
  const accountable = accountableFor(task);
  const { person, unitId, step } = accountable;
  const nextDueDate = ctx.calendar.addWorkdaysToDate(task.dueDate, ctx.campaign.policy.ladder.interviewAfterWorkdays);
  return [
    {
      type: 'SelfCheckOverdue',
      data: { propagationId: task.propagationId, unitId: task.unitId, dueDate: task.dueDate, deadlineAt: task.deadlineAt, accountable: { person, unitId, step }, ...signed },
    },
    {
      type: 'SelfCheckEscalated',
      data: {
        propagationId: task.propagationId,
        unitId: task.unitId,
        level: 'notice',
        dueDate: task.dueDate,
        accountable,
        nextLevel: 'interview',
        nextDueDate,
        nextDueAt: ctx.calendar.endOf(nextDueDate),
        calendarVersion: ctx.calendar.version,
        ...signed,
      },
    },
  ];
};

const escalation = (task: Open, ctx: FindingContext, level: 'interview' | 'accountability', signed: Signed): SelfCheckEvent => {
  const next = LADDER[level];
  // The rung falls on the date the previous rung recorded; the next one counts from that date.
  const levelDate = task.ladder!.nextDueDate!;
  const nextDueDate = next ? ctx.calendar.addWorkdaysToDate(levelDate, ctx.campaign.policy.ladder.accountabilityAfterWorkdays) : null;
  return {
    type: 'SelfCheckEscalated',
    data: {
      propagationId: task.propagationId,
      unitId: task.unitId,
      level,
      dueDate: task.dueDate,
      accountable: accountableFor(task),
      nextLevel: next,
      nextDueDate,
      nextDueAt: nextDueDate ? ctx.calendar.endOf(nextDueDate) : null,
      calendarVersion: ctx.calendar.version,
      ...signed,
    },
  };
};

export const selfCheckDecider = { decide: decideSelfCheck, evolve: evolveSelfCheck, initialState: initialSelfCheckState };
