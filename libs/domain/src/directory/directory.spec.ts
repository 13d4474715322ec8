import { deciderSpec } from '../testing/decider-spec';
import { actors, sh } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import {
  personDecider,
  type PersonCommand,
  type PersonContext,
  type PersonEvent,
  type PersonRegistered,
} from './people';
import { normalisePhone, validateDivisionCode } from './rules';
import { unitDecider, type UnitCommand, type UnitContext, type UnitCreated, type UnitEvent, type UnitFacts } from './units';

const { admin, supervisor, discipline } = actors;
const now = sh('2026-11-23 09:00');
const at = '2026-11-23T01:00:00.000Z';
const signed = (reason: string, actor: Actor = admin) => ({ reason, signedBy: actor, at });

const units = (context: UnitContext = {}) =>
  deciderSpec(
    { decide: (c: UnitCommand, s, ctx: UnitContext) => unitDecider.decide(c, s, ctx), evolve: unitDecider.evolve, initialState: unitDecider.initialState },
    context,
  );
const people = (context: PersonContext = {}) =>
  deciderSpec(
    { decide: (c: PersonCommand, s, ctx: PersonContext) => personDecider.decide(c, s, ctx), evolve: personDecider.evolve, initialState: personDecider.initialState },
    context,
  );

const unitCmd = <T extends UnitCommand['type']>(type: T, data: Extract<UnitCommand, { type: T }>['data'], actor: Actor = admin): UnitCommand =>
  ({ type, data, metadata: { now, actor } }) as UnitCommand;
const personCmd = <T extends PersonCommand['type']>(type: T, data: Extract<PersonCommand, { type: T }>['data'], actor: Actor = admin): PersonCommand =>
  ({ type, data, metadata: { now, actor } }) as PersonCommand;

const town: UnitFacts = { unitId: 'town-a', kind: 'town', active: true, divisionCode: '411625100000', ancestorIds: [] };
const townCreated: UnitCreated = {
  type: 'UnitCreated',
  data: { unitId: 'town-a', name: '城关镇', kind: 'town', parentId: null, divisionCode: '411625100000', ...signed('建立目录') },
};
const villageCreated: UnitEvent = {
  type: 'UnitCreated',
  data: { unitId: 'vil-1', name: '东关村', kind: 'village', parentId: 'town-a', divisionCode: '411625100201', ...signed('建立目录') },
};
const registered: PersonRegistered = {
  type: 'PersonRegistered',
  data: {
    personId: 'p-1',
    name: '赵镇长',
    phone: '13800138000',
    title: '副镇长',
    unitId: 'town-a',
    role: 'unit_official',
    ...signed('建立目录'),
  },
};

describe('directory units', () => {
  it('creates a village under a town, with a division code inside the town’s', () => {
    units({ parent: town })
      .given([])
      .when(unitCmd('CreateUnit', { unitId: 'vil-1', name: ' 东关村 ', kind: 'village', parentId: 'town-a', divisionCode: '411625100201', reason: '建立目录' }))
      .then([villageCreated]);
  });

  it('refuses a village without a town, under a department, or outside the town’s division', () => {
    units().given([]).when(unitCmd('CreateUnit', { unitId: 'vil-1', name: '东关村', kind: 'village', reason: 'r' })).thenThrows({ kind: 'invalid_input', code: 'PARENT_REQUIRED', field: 'parentId' });
    units({ parent: { ...town, unitId: 'dept-x', kind: 'department', divisionCode: null } })
      .given([])
      .when(unitCmd('CreateUnit', { unitId: 'vil-1', name: '东关村', kind: 'village', parentId: 'dept-x', reason: 'r' }))
      .thenThrows({ kind: 'invalid_input', code: 'PARENT_KIND_NOT_ALLOWED', field: 'parentId' });
    units({ parent: town })
      .given([])
      .when(unitCmd('CreateUnit', { unitId: 'vil-1', name: '东关村', kind: 'village', parentId: 'town-a', divisionCode: '411625101201', reason: 'r' }))
      .thenThrows({ kind: 'invalid_input', code: 'DIVISION_CODE_MISMATCH', field: 'divisionCode' });
    units({ parent: null })
      .given([])
      .when(unitCmd('CreateUnit', { unitId: 'vil-1', name: '东关村', kind: 'village', parentId: 'nowhere', reason: 'r' }))
      .thenThrows({ kind: 'not_found', code: 'PARENT_NOT_FOUND' });
  });

  it('needs a reason and an administrator; the discipline inspector only reads', () => {
    units().given([]).when(unitCmd('CreateUnit', { unitId: 'town-a', name: '城关镇', kind: 'town', reason: ' ' })).thenThrows({ kind: 'invalid_input', field: 'reason' });
    units().given([]).when(unitCmd('CreateUnit', { unitId: 'town-a', name: '城关镇', kind: 'town', reason: 'r' }, supervisor)).thenThrows({ kind: 'forbidden', rule: 'ROLE_REQUIRED' });
    units().given([]).when(unitCmd('CreateUnit', { unitId: 'town-a', name: '城关镇', kind: 'town', reason: 'r' }, discipline)).thenThrows({ kind: 'forbidden', rule: 'READ_ONLY_ROLE' });
  });

  it('creates a unit once', () => {
    units().given([townCreated]).when(unitCmd('CreateUnit', { unitId: 'town-a', name: '城关镇', kind: 'town', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'UNIT_ALREADY_EXISTS' });
  });

  it('renames with the previous name kept in the event', () => {
    units()
      .given([townCreated])
      .when(unitCmd('RenameUnit', { unitId: 'town-a', name: '城关街道', reason: '撤镇设街道' }))
      .then([{ type: 'UnitRenamed', data: { unitId: 'town-a', previousName: '城关镇', name: '城关街道', ...signed('撤镇设街道') } }]);
    units().given([townCreated]).when(unitCmd('RenameUnit', { unitId: 'town-a', name: '城关镇', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'NOTHING_CHANGED' });
  });

  it('moves a village to another town, never under itself', () => {
    const other: UnitFacts = { unitId: 'town-b', kind: 'town', active: true, divisionCode: null, ancestorIds: [] };
    units({ parent: other })
      .given([villageCreated])
      .when(unitCmd('MoveUnit', { unitId: 'vil-1', parentId: 'town-b', reason: '区划调整' }))
      .then([{ type: 'UnitMoved', data: { unitId: 'vil-1', previousParentId: 'town-a', parentId: 'town-b', ...signed('区划调整') } }]);
    const teamCreated: UnitEvent = { type: 'UnitCreated', data: { unitId: 'team-1', name: '第一督查组', kind: 'supervision_team', parentId: null, divisionCode: null, ...signed('r') } };
    units({ parent: { unitId: 'office', kind: 'county_office', active: true, divisionCode: null, ancestorIds: ['team-1'] } })
      .given([teamCreated])
      .when(unitCmd('MoveUnit', { unitId: 'team-1', parentId: 'office', reason: 'r' }))
      .thenThrows({ kind: 'invalid_input', code: 'UNIT_CYCLE', field: 'parentId' });
    units({ parent: { ...other, active: false } })
      .given([villageCreated])
      .when(unitCmd('MoveUnit', { unitId: 'vil-1', parentId: 'town-b', reason: 'r' }))
      .thenThrows({ kind: 'invalid_state', code: 'PARENT_INACTIVE' });
  });

  it('deactivates an empty unit, never one with people or units in it, and nothing changes it after', () => {
    const deactivated: UnitEvent = { type: 'UnitDeactivated', data: { unitId: 'town-a', ...signed('撤并') } };
    units({ activePeople: 0, activeChildren: 0 }).given([townCreated]).when(unitCmd('DeactivateUnit', { unitId: 'town-a', reason: '撤并' })).then([deactivated]);
    units({ activePeople: 2 }).given([townCreated]).when(unitCmd('DeactivateUnit', { unitId: 'town-a', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'UNIT_HAS_ACTIVE_PEOPLE' });
    units({ activeChildren: 1 }).given([townCreated]).when(unitCmd('DeactivateUnit', { unitId: 'town-a', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'UNIT_HAS_ACTIVE_CHILDREN' });
    units().given([townCreated, deactivated]).when(unitCmd('RenameUnit', { unitId: 'town-a', name: 'x', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'UNIT_INACTIVE' });
    units().given([]).when(unitCmd('RenameUnit', { unitId: 'town-a', name: 'x', reason: 'r' })).thenThrows({ kind: 'not_found', code: 'UNIT_NOT_FOUND' });
  });

  it('names a team leader from the team’s own inspectors', () => {
    const team: UnitEvent = { type: 'UnitCreated', data: { unitId: 'team-1', name: '第一督查组', kind: 'supervision_team', parentId: null, divisionCode: null, ...signed('r') } };
    units({ leader: { personId: 'p-9', unitId: 'team-1', role: 'inspector', active: true } })
      .given([team])
      .when(unitCmd('AssignUnitLeader', { unitId: 'team-1', leaderUserId: 'p-9', reason: '任命组长' }))
      .then([{ type: 'UnitLeaderAssigned', data: { unitId: 'team-1', previousLeaderUserId: null, leaderUserId: 'p-9', ...signed('任命组长') } }]);
    units({ leader: { personId: 'p-9', unitId: 'team-2', role: 'inspector', active: true } })
      .given([team])
      .when(unitCmd('AssignUnitLeader', { unitId: 'team-1', leaderUserId: 'p-9', reason: 'r' }))
      .thenThrows({ kind: 'invalid_input', code: 'LEADER_NOT_MEMBER' });
    units().given([townCreated]).when(unitCmd('AssignUnitLeader', { unitId: 'town-a', leaderUserId: 'p-9', reason: 'r' })).thenThrows({ kind: 'invalid_input', code: 'LEADER_ONLY_FOR_TEAMS' });
  });
});

describe('directory people', () => {
  const townFacts = { unitId: 'town-a', kind: 'town' as const, active: true };

  it('registers a person with a normalised mobile number', () => {
    people({ unit: townFacts, phoneHolderId: null })
      .given([])
      .when(personCmd('RegisterPerson', { personId: 'p-1', name: '赵镇长', phone: '+86 138-0013-8000', title: '副镇长', unitId: 'town-a', role: 'unit_official', reason: '建立目录' }))
      .then([registered]);
  });

  it('refuses a bad phone, a taken phone, a role the unit cannot hold, an unknown or inactive unit', () => {
    const base = { personId: 'p-1', name: '赵镇长', phone: '13800138000', unitId: 'town-a', role: 'unit_official' as const, reason: 'r' };
    people({ unit: townFacts }).given([]).when(personCmd('RegisterPerson', { ...base, phone: '12345' })).thenThrows({ kind: 'invalid_input', code: 'INVALID_PHONE', field: 'phone' });
    people({ unit: townFacts, phoneHolderId: 'p-2' }).given([]).when(personCmd('RegisterPerson', base)).thenThrows({ kind: 'invalid_state', code: 'PHONE_TAKEN' });
    people({ unit: townFacts }).given([]).when(personCmd('RegisterPerson', { ...base, role: 'discipline_inspector' })).thenThrows({ kind: 'invalid_input', code: 'ROLE_NOT_ALLOWED_IN_UNIT', field: 'role' });
    people({ unit: null }).given([]).when(personCmd('RegisterPerson', base)).thenThrows({ kind: 'not_found', code: 'UNIT_NOT_FOUND' });
    people({ unit: { ...townFacts, active: false } }).given([]).when(personCmd('RegisterPerson', base)).thenThrows({ kind: 'invalid_state', code: 'UNIT_INACTIVE' });
    people({ unit: townFacts }).given([]).when(personCmd('RegisterPerson', { ...base, role: 'system' as never })).thenThrows({ kind: 'invalid_input', code: 'INVALID_ROLE', field: 'role' });
  });

  it('moves a person, keeping where they were in the event', () => {
    people({ unit: { unitId: 'town-b', kind: 'town', active: true } })
      .given([registered])
      .when(personCmd('MovePerson', { personId: 'p-1', unitId: 'town-b', title: '镇长', reason: '交流任职' }))
      .then([
        {
          type: 'PersonMoved',
          data: { personId: 'p-1', previousUnitId: 'town-a', unitId: 'town-b', previousTitle: '副镇长', title: '镇长', ...signed('交流任职') },
        },
      ]);
    people({ unit: { unitId: 'team-1', kind: 'supervision_team', active: true } })
      .given([registered])
      .when(personCmd('MovePerson', { personId: 'p-1', unitId: 'team-1', reason: 'r' }))
      .thenThrows({ kind: 'invalid_input', code: 'ROLE_NOT_ALLOWED_IN_UNIT', field: 'unitId' });
  });

  it('changes a role the unit allows', () => {
    people({ unit: { unitId: 'office', kind: 'county_office', active: true } })
      .given([{ ...registered, data: { ...registered.data, unitId: 'office', role: 'inspector' } }])
      .when(personCmd('ChangePersonRole', { personId: 'p-1', role: 'supervisor', reason: '提任' }))
      .then([{ type: 'PersonRoleChanged', data: { personId: 'p-1', previousRole: 'inspector', role: 'supervisor', ...signed('提任') } }]);
    people({ unit: townFacts }).given([registered]).when(personCmd('ChangePersonRole', { personId: 'p-1', role: 'admin', reason: 'r' })).thenThrows({ kind: 'invalid_input', code: 'ROLE_NOT_ALLOWED_IN_UNIT' });
  });

  it('deactivates and reactivates, never twice, and an inactive person is not moved', () => {
    const off: PersonEvent = { type: 'PersonDeactivated', data: { personId: 'p-1', ...signed('退休') } };
    people().given([registered]).when(personCmd('DeactivatePerson', { personId: 'p-1', reason: '退休' })).then([off]);
    people().given([registered, off]).when(personCmd('DeactivatePerson', { personId: 'p-1', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'PERSON_INACTIVE' });
    people({ unit: townFacts }).given([registered, off]).when(personCmd('MovePerson', { personId: 'p-1', unitId: 'town-b', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'PERSON_INACTIVE' });
    people({ unit: townFacts, phoneHolderId: null })
      .given([registered, off])
      .when(personCmd('ReactivatePerson', { personId: 'p-1', reason: '返聘' }))
      .then([{ type: 'PersonReactivated', data: { personId: 'p-1', ...signed('返聘') } }]);
    people({ unit: townFacts, phoneHolderId: 'p-7' }).given([registered, off]).when(personCmd('ReactivatePerson', { personId: 'p-1', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'PHONE_TAKEN' });
    people({ unit: townFacts }).given([registered]).when(personCmd('ReactivatePerson', { personId: 'p-1', reason: 'r' })).thenThrows({ kind: 'invalid_state', code: 'PERSON_ACTIVE' });
    people().given([]).when(personCmd('DeactivatePerson', { personId: 'p-1', reason: 'r' })).thenThrows({ kind: 'not_found', code: 'PERSON_NOT_FOUND' });
  });
});

describe('directory rules', () => {
  it('reads mainland mobile numbers and statistical division codes', () => {
    expect(normalisePhone('0086 139 0000 0001')).toBe('13900000001');
    expect(() => normalisePhone('10000000000')).toThrow(/11 位/);
    expect(validateDivisionCode('411625100000', 'town')).toBe('411625100000');
    expect(validateDivisionCode('', 'town')).toBeNull();
    expect(() => validateDivisionCode('411625100001', 'town')).toThrow(/000 结尾/);
    expect(() => validateDivisionCode('41162510000', 'village')).toThrow(/12 位/);
    expect(() => validateDivisionCode('411625100000', 'department')).toThrow(/只有乡镇/);
  });
});
