import type { Role } from '../shared/actor';
import { InvalidInputError } from '../shared/errors';

// The directory's vocabulary and its static rules: which kind of unit hangs under which, which role a person may hold
// in which kind of unit, what a mainland mobile number and a statistical division code look like.

export const UNIT_KINDS = ['county_office', 'town', 'village', 'department', 'supervision_team', 'discipline'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  county_office: '县巩固办',
  town: '乡镇/街道',
  village: '村/社区',
  department: '县直部门',
  supervision_team: '督查组',
  discipline: '县纪委监委',
};

export const isUnitKind = (value: unknown): value is UnitKind =>
  typeof value === 'string' && (UNIT_KINDS as readonly string[]).includes(value);

/**
 * Where a unit may hang: a village or community under a town or street, a supervision team under the county office or
 * at the top; every other kind sits at the top of the county. `null` is the top.
 */
export const ALLOWED_PARENT_KINDS: Record<UnitKind, ReadonlyArray<UnitKind | null>> = {
  county_office: [null],
  town: [null],
  village: ['town'],
  department: [null],
  supervision_team: [null, 'county_office'],
  discipline: [null],
};

/** Kinds that may carry a 统计用区划代码. */
export const DIVISION_CODE_KINDS: readonly UnitKind[] = ['town', 'village'];

export const PERSON_ROLES = ['inspector', 'supervisor', 'unit_official', 'discipline_inspector', 'admin'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number] & Role;

export const isPersonRoleName = (value: unknown): value is PersonRole =>
  typeof value === 'string' && (PERSON_ROLES as readonly string[]).includes(value);

/** The units a role may work in: the role's rights are scoped by the unit, so a mismatch would be a hole. */
export const ROLE_UNIT_KINDS: Record<PersonRole, readonly UnitKind[]> = {
  inspector: ['supervision_team', 'county_office'],
  supervisor: ['county_office', 'supervision_team'],
  unit_official: ['town', 'village', 'department'],
  discipline_inspector: ['discipline'],
  admin: ['county_office'],
};

/** Whoever leads a supervision team files its daily report and answers for a missed one. */
export const TEAM_LEADER_ROLES: readonly PersonRole[] = ['inspector', 'supervisor'];

const MOBILE = /^1[3-9]\d{9}$/;

/**
 * A mainland mobile number as 11 digits: spaces and hyphens people type are dropped, and a +86 / 0086 prefix too.
 * Anything else is refused naming the field.
 */
export const normalisePhone = (value: unknown, field = 'phone'): string => {
  if (typeof value !== 'string') throw new InvalidInputError('INVALID_PHONE', field, '手机号应为文本');
  const digits = value.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  if (!MOBILE.test(digits)) {
    throw new InvalidInputError('INVALID_PHONE', field, `手机号应为 11 位大陆手机号码：${value}`);
  }
  return digits;
};

/**
 * 统计用区划代码: 12 digits — province 2, city 2, county 2, town 3, village 3. A town's code ends in 000 and names a
 * town (its town digits are not 000); a village's does not end in 000.
 */
export const validateDivisionCode = (value: unknown, kind: UnitKind, field = 'divisionCode'): string | null => {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^\d{12}$/.test(value.trim())) {
    throw new InvalidInputError('INVALID_DIVISION_CODE', field, `统计用区划代码应为 12 位数字：${String(value)}`);
  }
  const code = value.trim();
  if (!DIVISION_CODE_KINDS.includes(kind)) {
    throw new InvalidInputError('DIVISION_CODE_NOT_ALLOWED', field, `只有乡镇/街道和村/社区有统计用区划代码`);
  }
  const townPart = code.slice(6, 9);
  const villagePart = code.slice(9);
  if (kind === 'town' && (villagePart !== '000' || townPart === '000')) {
    throw new InvalidInputError('INVALID_DIVISION_CODE', field, `乡镇/街道的统计用区划代码应以 000 结尾：${code}`);
  }
  if (kind === 'village' && villagePart === '000') {
    throw new InvalidInputError('INVALID_DIVISION_CODE', field, `村/社区的统计用区划代码不应以 000 结尾：${code}`);
  }
  return code;
};

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

export const requireDirectoryId = (value: unknown, field: string, label: string): string => {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new InvalidInputError('INVALID_ID', field, `${label}只能包含小写字母、数字和连字符（2–64 位）`);
  }
  return value;
};

export const unitStreamId = (unitId: string): string => `directory-unit-${unitId}`;
export const personStreamId = (personId: string): string => `directory-person-${personId}`;
export const DIRECTORY_STREAM_PREFIXES = ['directory-unit-', 'directory-person-'] as const;
