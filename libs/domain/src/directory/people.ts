import { ROLE_LABELS } from '../shared/actor';
import { InvalidInputError, InvalidStateError, NotFoundError } from '../shared/errors';
import { optionalText, requireRole, requireText, validateMetadata } from '../shared/guards';
import { toUtcIso } from '../shared/local-date';
import type { Command, DomainEvent, Signed } from '../shared/messages';
import {
  isPersonRoleName,
  normalisePhone,
  requireDirectoryId,
  ROLE_UNIT_KINDS,
  UNIT_KIND_LABELS,
  type PersonRole,
  type UnitKind,
} from './rules';

/** The unit a person is (or is to be) in, as far as a person decision needs it. */
export interface PersonUnitFacts {
  unitId: string;
  kind: UnitKind;
  active: boolean;
}

export interface PersonContext {
  /** The unit the command names, or the person's current one; null when it does not exist. */
  unit?: PersonUnitFacts | null;
  /** Another active person already holding the phone number: sign-in by phone needs it to be one person's. */
  phoneHolderId?: string | null;
}

type WithReason<T> = T & { reason: string };

// ---------- commands ----------

export type RegisterPerson = Command<
  'RegisterPerson',
  WithReason<{ personId: string; name: string; phone: string; title?: string; unitId: string; role: PersonRole }>
>;
export type MovePerson = Command<'MovePerson', WithReason<{ personId: string; unitId: string; title?: string }>>;
export type ChangePersonRole = Command<'ChangePersonRole', WithReason<{ personId: string; role: PersonRole }>>;
export type DeactivatePerson = Command<'DeactivatePerson', WithReason<{ personId: string }>>;
export type ReactivatePerson = Command<'ReactivatePerson', WithReason<{ personId: string }>>;

export type PersonCommand = RegisterPerson | MovePerson | ChangePersonRole | DeactivatePerson | ReactivatePerson;

// ---------- events ----------

export type PersonRegistered = DomainEvent<
  'PersonRegistered',
  { personId: string; name: string; phone: string; title: string; unitId: string; role: PersonRole; reason: string } & Signed
>;
export type PersonMoved = DomainEvent<
  'PersonMoved',
  { personId: string; previousUnitId: string; unitId: string; previousTitle: string; title: string; reason: string } & Signed
>;
export type PersonRoleChanged = DomainEvent<
  'PersonRoleChanged',
  { personId: string; previousRole: PersonRole; role: PersonRole; reason: string } & Signed
>;
export type PersonDeactivated = DomainEvent<'PersonDeactivated', { personId: string; reason: string } & Signed>;
export type PersonReactivated = DomainEvent<'PersonReactivated', { personId: string; reason: string } & Signed>;

export type PersonEvent = PersonRegistered | PersonMoved | PersonRoleChanged | PersonDeactivated | PersonReactivated;

export const PERSON_EVENT_TYPES: ReadonlyArray<PersonEvent['type']> = [
  'PersonRegistered',
  'PersonMoved',
  'PersonRoleChanged',
  'PersonDeactivated',
  'PersonReactivated',
];

// ---------- state ----------

export type PersonState =
  | { status: 'Empty' }
  | {
      status: 'Present';
      personId: string;
      name: string;
      phone: string;
      title: string;
      unitId: string;
      role: PersonRole;
      active: boolean;
    };

export const initialPersonState = (): PersonState => ({ status: 'Empty' });

// ---------- decide ----------

const roleFitsUnit = (role: PersonRole, unit: PersonUnitFacts, field: 'role' | 'unitId'): void => {
  if (!ROLE_UNIT_KINDS[role].includes(unit.kind)) {
    throw new InvalidInputError(
      'ROLE_NOT_ALLOWED_IN_UNIT',
      field,
      `${ROLE_LABELS[role]}不能在${UNIT_KIND_LABELS[unit.kind]}任职（可在：${ROLE_UNIT_KINDS[role].map((k) => UNIT_KIND_LABELS[k]).join('、')}）`,
    );
  }
};

const activeUnit = (unitId: string, unit: PersonUnitFacts | null | undefined): PersonUnitFacts => {
  if (!unit) throw new NotFoundError('UNIT_NOT_FOUND', `单位 ${unitId} 不存在`);
  if (!unit.active) throw new InvalidStateError('UNIT_INACTIVE', `单位 ${unitId} 已停用`);
  return unit;
};

const phoneFree = (personId: string, holder: string | null | undefined): void => {
  if (holder && holder !== personId) {
    throw new InvalidStateError('PHONE_TAKEN', `该手机号已登记给在岗人员 ${holder}`);
  }
};

const role = (value: unknown): PersonRole => {
  if (!isPersonRoleName(value)) throw new InvalidInputError('INVALID_ROLE', 'role', `角色无效：${String(value)}`);
  return value;
};

export const decidePerson = (command: PersonCommand, state: PersonState, context: PersonContext = {}): PersonEvent[] => {
  validateMetadata(command.metadata);
  const { actor, now } = command.metadata;
  requireRole(actor, ['admin']);
  const at = toUtcIso(now);
  const reason = requireText(command.data.reason, 'reason', '变更原因');
  const signed = { reason, signedBy: actor, at };

  if (command.type === 'RegisterPerson') {
    const d = command.data;
    const personId = requireDirectoryId(d.personId, 'personId', '人员编号');
    const name = requireText(d.name, 'name', '姓名');
    const phone = normalisePhone(d.phone);
    const title = optionalText(d.title, 'title', '职务') ?? '';
    const r = role(d.role);
    const unitId = requireText(d.unitId, 'unitId', '所在单位');
    if (state.status !== 'Empty') throw new InvalidStateError('PERSON_ALREADY_EXISTS', `人员 ${personId} 已存在`);
    roleFitsUnit(r, activeUnit(unitId, context.unit), 'role');
    phoneFree(personId, context.phoneHolderId);
    return [{ type: 'PersonRegistered', data: { personId, name, phone, title, unitId, role: r, ...signed } }];
  }

  if (state.status === 'Empty') throw new NotFoundError('PERSON_NOT_FOUND', `人员 ${command.data.personId} 不存在`);
  const personId = state.personId;

  switch (command.type) {
    case 'MovePerson': {
      if (!state.active) throw new InvalidStateError('PERSON_INACTIVE', `人员 ${personId} 已停用`);
      const unitId = requireText(command.data.unitId, 'unitId', '所在单位');
      const title = optionalText(command.data.title, 'title', '职务') ?? state.title;
      if (unitId === state.unitId) throw new InvalidStateError('NOTHING_CHANGED', '所在单位未改变');
      roleFitsUnit(state.role, activeUnit(unitId, context.unit), 'unitId');
      return [
        { type: 'PersonMoved', data: { personId, previousUnitId: state.unitId, unitId, previousTitle: state.title, title, ...signed } },
      ];
    }
    case 'ChangePersonRole': {
      if (!state.active) throw new InvalidStateError('PERSON_INACTIVE', `人员 ${personId} 已停用`);
      const r = role(command.data.role);
      if (r === state.role) throw new InvalidStateError('NOTHING_CHANGED', '角色未改变');
      if (!context.unit) throw new NotFoundError('UNIT_NOT_FOUND', `单位 ${state.unitId} 不存在`);
      roleFitsUnit(r, context.unit, 'role');
      return [{ type: 'PersonRoleChanged', data: { personId, previousRole: state.role, role: r, ...signed } }];
    }
    case 'DeactivatePerson':
      if (!state.active) throw new InvalidStateError('PERSON_INACTIVE', `人员 ${personId} 已停用`);
      return [{ type: 'PersonDeactivated', data: { personId, ...signed } }];
    case 'ReactivatePerson':
      if (state.active) throw new InvalidStateError('PERSON_ACTIVE', `人员 ${personId} 在岗，无需恢复`);
      activeUnit(state.unitId, context.unit);
      phoneFree(personId, context.phoneHolderId);
      return [{ type: 'PersonReactivated', data: { personId, ...signed } }];
    default: {
      const unknownCommand: never = command;
      throw new InvalidInputError('UNKNOWN_COMMAND', 'type', `未知命令：${(unknownCommand as { type: string }).type}`);
    }
  }
};

// ---------- evolve ----------

export const evolvePerson = (state: PersonState, event: PersonEvent): PersonState => {
  switch (event.type) {
    case 'PersonRegistered': {
      const { personId, name, phone, title, unitId, role: r } = event.data;
      return { status: 'Present', personId, name, phone, title, unitId, role: r, active: true };
    }
    case 'PersonMoved':
      return state.status === 'Present' ? { ...state, unitId: event.data.unitId, title: event.data.title } : state;
    case 'PersonRoleChanged':
      return state.status === 'Present' ? { ...state, role: event.data.role } : state;
    case 'PersonDeactivated':
      return state.status === 'Present' ? { ...state, active: false } : state;
    case 'PersonReactivated':
      return state.status === 'Present' ? { ...state, active: true } : state;
    default: {
      const unknownEvent: never = event;
      void unknownEvent;
      return state;
    }
  }
};

export const personDecider = { decide: decidePerson, evolve: evolvePerson, initialState: initialPersonState };
