import { InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { requireRole, requireText, validateMetadata } from '../shared/guards';
import { toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import {
  ALLOWED_PARENT_KINDS,
  isUnitKind,
  requireDirectoryId,
  TEAM_LEADER_ROLES,
  UNIT_KIND_LABELS,
  type PersonRole,
  type UnitKind,
  validateDivisionCode,
} from './rules';

/** What a unit decision needs to know about another unit (its parent-to-be), read by the caller from its stream. */
export interface UnitFacts {
  unitId: string;
  kind: UnitKind;
  active: boolean;
  divisionCode: string | null;
  /** The unit's ancestors, nearest first: a move must not put a unit under itself. */
  ancestorIds: string[];
}

/** What a leader assignment needs to know about the person named. */
export interface LeaderFacts {
  personId: string;
  unitId: string;
  role: PersonRole;
  active: boolean;
}

/** Facts outside the unit's own stream; each command reads only what it names. */
export interface UnitContext {
  /** The parent named by the command: undefined when none is named, null when it does not exist. */
  parent?: UnitFacts | null;
  /** For a deactivation: active people in the unit and active units under it. */
  activePeople?: number;
  activeChildren?: number;
  /** For a leader assignment: the person named, null when unknown. */
  leader?: LeaderFacts | null;
}

// ---------- commands ----------

type WithReason<T> = T & { reason: string };

export type CreateUnit = Command<
  'CreateUnit',
  WithReason<{ unitId: string; name: string; kind: UnitKind; parentId?: string | null; divisionCode?: string | null }>
>;
export type RenameUnit = Command<'RenameUnit', WithReason<{ unitId: string; name: string }>>;
export type MoveUnit = Command<'MoveUnit', WithReason<{ unitId: string; parentId: string | null }>>;
/** 督查组组长: files the team's daily report; null clears it. */
export type AssignUnitLeader = Command<'AssignUnitLeader', WithReason<{ unitId: string; leaderUserId: string | null }>>;
export type DeactivateUnit = Command<'DeactivateUnit', WithReason<{ unitId: string }>>;

export type UnitCommand = CreateUnit | RenameUnit | MoveUnit | AssignUnitLeader | DeactivateUnit;

// ---------- events ----------

export type UnitCreated = DomainEvent<
  'UnitCreated',
  { unitId: string; name: string; kind: UnitKind; parentId: string | null; divisionCode: string | null; reason: string } & Signed
>;
export type UnitRenamed = DomainEvent<'UnitRenamed', { unitId: string; previousName: string; name: string; reason: string } & Signed>;
export type UnitMoved = DomainEvent<
  'UnitMoved',
  { unitId: string; previousParentId: string | null; parentId: string | null; reason: string } & Signed
>;
export type UnitLeaderAssigned = DomainEvent<
  'UnitLeaderAssigned',
  { unitId: string; previousLeaderUserId: string | null; leaderUserId: string | null; reason: string } & Signed
>;
export type UnitDeactivated = DomainEvent<'UnitDeactivated', { unitId: string; reason: string } & Signed>;

export type UnitEvent = UnitCreated | UnitRenamed | UnitMoved | UnitLeaderAssigned | UnitDeactivated;

export const UNIT_EVENT_TYPES: ReadonlyArray<UnitEvent['type']> = [
  'UnitCreated',
  'UnitRenamed',
  'UnitMoved',
  'UnitLeaderAssigned',
  'UnitDeactivated',
];

// ---------- state ----------

export type UnitState =
  | { status: 'Empty' }
  | {
      status: 'Present';
      unitId: string;
      name: string;
      kind: UnitKind;
      parentId: string | null;
      divisionCode: string | null;
      leaderUserId: string | null;
      active: boolean;
    };

export const initialUnitState = (): UnitState => ({ status: 'Empty' });

// ---------- decide ----------

const parentRule = (kind: UnitKind, parentId: string | null, parent: UnitFacts | null | undefined, unitId: string): void => {
  const allowed = ALLOWED_PARENT_KINDS[kind];
  if (parentId === null) {
    if (!allowed.includes(null)) {
      throw new InvalidInputError('PARENT_REQUIRED', 'parentId', `${UNIT_KIND_LABELS[kind]}必须有上级单位`);
    }
    return;
  }
  if (!parent) throw new NotFoundError('PARENT_NOT_FOUND', `上级单位 ${parentId} 不存在`);
  if (!allowed.includes(parent.kind)) {
    throw new InvalidInputError(
      'PARENT_KIND_NOT_ALLOWED',
      'parentId',
      `${UNIT_KIND_LABELS[kind]}不能隶属于${UNIT_KIND_LABELS[parent.kind]}`,
    );
  }
  if (parent.unitId === unitId || parent.ancestorIds.includes(unitId)) {
    throw new InvalidInputError('UNIT_CYCLE', 'parentId', '不能把单位移到它自己或它的下级之下');
  }
  if (!parent.active) throw new InvalidStateError('PARENT_INACTIVE', `上级单位 ${parentId} 已停用`);
};

/** A village's code lies inside its town's: the first nine digits agree, when both are known. */
const divisionUnderParent = (code: string | null, parent: UnitFacts | null | undefined): void => {
  if (!code || !parent?.divisionCode) return;
  if (code.slice(0, 9) !== parent.divisionCode.slice(0, 9)) {
    throw new InvalidInputError(
      'DIVISION_CODE_MISMATCH',
      'divisionCode',
      `统计用区划代码 ${code} 不在上级单位的区划 ${parent.divisionCode} 之内`,
    );
  }
};

export const decideUnit = (command: UnitCommand, state: UnitState, context: UnitContext = {}): UnitEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  requireRole(actor, ['admin']);
  const at = toUtcIso(now);
  const reason = requireText(command.data.reason, 'reason', '变更原因');
  const signed = { reason, signedBy: actor, at };

  if (command.type === 'CreateUnit') {
    const d = command.data;
    const unitId = requireDirectoryId(d.unitId, 'unitId', '单位编号');
    const name = requireText(d.name, 'name', '单位名称');
    if (!isUnitKind(d.kind)) {
      throw new InvalidInputError('INVALID_UNIT_KIND', 'kind', `单位类型无效：${String(d.kind)}`);
    }
    const parentId = d.parentId ?? null;
    const divisionCode = validateDivisionCode(d.divisionCode, d.kind);
    if (state.status !== 'Empty') throw new InvalidStateError('UNIT_ALREADY_EXISTS', `单位 ${unitId} 已存在`);
    parentRule(d.kind, parentId, context.parent, unitId);
    divisionUnderParent(divisionCode, context.parent);
    return [{ type: 'UnitCreated', data: { unitId, name, kind: d.kind, parentId, divisionCode, ...signed } }];
  }

  if (state.status === 'Empty') throw new NotFoundError('UNIT_NOT_FOUND', `单位 ${command.data.unitId} 不存在`);
  if (!state.active) throw new InvalidStateError('UNIT_INACTIVE', `单位 ${state.unitId} 已停用`);
  const unitId = state.unitId;

  switch (command.type) {
    case 'RenameUnit': {
      const name = requireText(command.data.name, 'name', '单位名称');
      if (name === state.name) throw new InvalidStateError('NOTHING_CHANGED', '单位名称未改变');
      return [{ type: 'UnitRenamed', data: { unitId, previousName: state.name, name, ...signed } }];
    }
    case 'MoveUnit': {
      const parentId = command.data.parentId ?? null;
      if (parentId === state.parentId) throw new InvalidStateError('NOTHING_CHANGED', '上级单位未改变');
      parentRule(state.kind, parentId, context.parent, unitId);
      divisionUnderParent(state.divisionCode, context.parent);
      return [{ type: 'UnitMoved', data: { unitId, previousParentId: state.parentId, parentId, ...signed } }];
    }
    case 'AssignUnitLeader': {
      if (state.kind !== 'supervision_team') {
        throw new InvalidInputError('LEADER_ONLY_FOR_TEAMS', 'leaderUserId', '只有督查组有组长');
      }
      const leaderUserId = command.data.leaderUserId ?? null;
      if (leaderUserId === state.leaderUserId) throw new InvalidStateError('NOTHING_CHANGED', '组长未改变');
      if (leaderUserId !== null) {
        const leader = context.leader;
        if (!leader) throw new NotFoundError('PERSON_NOT_FOUND', `人员 ${leaderUserId} 不存在`);
        if (!leader.active) throw new InvalidStateError('PERSON_INACTIVE', `人员 ${leaderUserId} 已停用`);
        if (leader.unitId !== unitId || !TEAM_LEADER_ROLES.includes(leader.role)) {
          throw new InvalidInputError('LEADER_NOT_MEMBER', 'leaderUserId', '组长须是本组的督查人员');
        }
      }
      return [{ type: 'UnitLeaderAssigned', data: { unitId, previousLeaderUserId: state.leaderUserId, leaderUserId, ...signed } }];
    }
    case 'DeactivateUnit': {
      if ((context.activePeople ?? 0) > 0) {
        throw new InvalidStateError('UNIT_HAS_ACTIVE_PEOPLE', `单位仍有 ${context.activePeople} 名在岗人员，请先调出或停用`);
      }
      if ((context.activeChildren ?? 0) > 0) {
        throw new InvalidStateError('UNIT_HAS_ACTIVE_CHILDREN', `单位下仍有 ${context.activeChildren} 个在用的下级单位`);
      }
      return [{ type: 'UnitDeactivated', data: { unitId, ...signed } }];
    }
    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

// ---------- evolve ----------

export const evolveUnit = (state: UnitState, event: UnitEvent): UnitState => {
  switch (event.type) {
    case 'UnitCreated': {
      const d = event.data;
      return {
        status: 'Present',
        unitId: d.unitId,
        name: d.name,
        kind: d.kind,
        parentId: d.parentId,
        divisionCode: d.divisionCode,
        leaderUserId: null,
        active: true,
      };
    }
    case 'UnitRenamed':
      return state.status === 'Present' ? { ...state, name: event.data.name } : state;
    case 'UnitMoved':
      return state.status === 'Present' ? { ...state, parentId: event.data.parentId } : state;
    case 'UnitLeaderAssigned':
      return state.status === 'Present' ? { ...state, leaderUserId: event.data.leaderUserId } : state;
    case 'UnitDeactivated':
      return state.status === 'Present' ? { ...state, active: false } : state;
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

export const unitDecider = { decide: decideUnit, evolve: evolveUnit, initialState: initialUnitState };
