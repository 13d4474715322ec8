import { createHash } from 'node:crypto';
import type * as ExcelJS from 'exceljs';
import type { DirectoryCommandRequest } from '@duban/application';
import { normalisePhone, type PersonRole, type UnitKind, validateDivisionCode } from '@duban/domain';
import type { RosterPerson, RosterUnit } from '@duban/read-models';
import { ImportFileRefused } from '../../imports/xlsx/import-file-refused';
import { readSheet, type SheetRow } from '../../imports/xlsx/keyed-sheet';
import { hasSheet, normaliseHeader } from '../../imports/xlsx/xlsx-reader';
import {
  headerOf,
  isYes,
  PERSON_COLUMNS,
  PERSON_SHEET,
  type PersonColumn,
  roleOf,
  UNIT_COLUMNS,
  UNIT_SHEET,
  type UnitColumn,
  unitKindOf,
} from './roster-sheets';

export interface RosterProblem {
  column: string | null;
  code: string;
  message: string;
}

export interface RosterRow {
  sheet: string;
  row: number;
  verdict: 'ok' | 'unchanged' | 'refused';
  subjectId?: string;
  name?: string;
  problems: RosterProblem[];
}

/** A row and the directory commands it stands for (a person row may also name its team's leader). */
export interface PlannedRow extends RosterRow {
  commands: DirectoryCommandRequest[];
}

const ID = /^[a-z0-9][a-z0-9-]{1,63}$/;
const key = (name: string) => normaliseHeader(name);
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

interface UnitRef {
  unitId: string;
  name: string;
  kind: UnitKind;
  parentId: string | null;
  active: boolean;
  leaderUserId: string | null;
}

/**
 * Turns the roster's rows into directory commands, row by row: what already stands in the directory exactly as the
 * row says is `unchanged` (the same file twice adds nothing), what cannot be read is `refused` naming the column;
 * the rest waits for the domain's verdict (RosterImport decides them). Rows come back in the order their commands
 * must be decided (a parent's row before its children's, units before people). Pure apart from the workbook and the
 * directory it is given.
 */
export function planRoster(
  wb: ExcelJS.Workbook,
  directory: { units: RosterUnit[]; people: RosterPerson[] },
  file: { sha256: string; name: string },
): PlannedRow[] {
  const hasUnits = hasSheet(wb, UNIT_SHEET);
  const hasPeople = hasSheet(wb, PERSON_SHEET);
  if (!hasUnits && !hasPeople) {
    throw new ImportFileRefused('MISSING_SHEET', `缺少工作表「${UNIT_SHEET}」和「${PERSON_SHEET}」：请使用下载的模板`, { sheet: UNIT_SHEET });
  }
  const units = hasUnits ? readSheet(wb, UNIT_SHEET, UNIT_COLUMNS, { allowEmpty: true }) : null;
  const people = hasPeople ? readSheet(wb, PERSON_SHEET, PERSON_COLUMNS, { allowEmpty: true }) : null;
  if (!units?.rows.length && !people?.rows.length) {
    const sheet = units?.sheet ?? people!.sheet;
    throw new ImportFileRefused('EMPTY_SHEET', `工作表「${sheet}」没有数据行`, { sheet });
  }
  const reason = (sheet: string, row: number) => `名册导入 ${file.name || '名册'}（sha256 ${file.sha256.slice(0, 12)}）${sheet} 第 ${row} 行`;

  // Units the rows can name: the directory's, then the file's own as they are planned.
  const byId = new Map<string, UnitRef>(directory.units.map((u) => [u.unitId, { ...u }]));
  const byName = new Map<string, UnitRef[]>();
  const addName = (u: UnitRef) => byName.set(key(u.name), [...(byName.get(key(u.name)) ?? []), u]);
  directory.units.filter((u) => u.active).forEach((u) => addName(byId.get(u.unitId)!));

  const resolveUnit = (text: string): { unit?: UnitRef; problem?: string; code?: string } => {
    const exact = byId.get(text);
    if (exact) return { unit: exact };
    const named = byName.get(key(text)) ?? [];
    if (named.length === 1) return { unit: named[0] };
    if (named.length > 1) return { code: 'AMBIGUOUS_UNIT', problem: `有 ${named.length} 个单位叫「${text}」（${named.map((u) => u.unitId).join('、')}），请写编号` };
    return { code: 'UNKNOWN_UNIT', problem: `找不到单位「${text}」` };
  };

  const planned: PlannedRow[] = [];
  const refuse = (r: PlannedRow, column: string | null, code: string, message: string) => {
    r.problems.push({ column, code, message: `${message} (${code})` });
    r.verdict = 'refused';
  };

  // Units: a parent may come later in the sheet, so rows are taken in rounds until no more resolve.
  const unitHeader = (k: UnitColumn) => headerOf(UNIT_COLUMNS, k);
  let pending: SheetRow<UnitColumn>[] = units?.rows ?? [];
  const unitRows = new Map<number, PlannedRow>();
  for (let round = 0; pending.length; round++) {
    const next: SheetRow<UnitColumn>[] = [];
    for (const { row, values: v } of pending) {
      const r: PlannedRow = { sheet: units!.sheet, row, verdict: 'ok', name: v.name, problems: [], commands: [] };
      const kind = unitKindOf(v.kind);
      if (!v.name) refuse(r, unitHeader('name'), 'TEXT_REQUIRED', '单位名称不能为空');
      if (!kind) refuse(r, unitHeader('kind'), 'INVALID_UNIT_KIND', `单位类型无效：「${v.kind}」`);
      if (v.unitId && !ID.test(v.unitId)) refuse(r, unitHeader('unitId'), 'INVALID_ID', '单位编号只能包含小写字母、数字和连字符');
      let divisionCode: string | null = null;
      if (kind && v.divisionCode) {
        try {
          divisionCode = validateDivisionCode(v.divisionCode, kind);
        } catch (err) {
          refuse(r, unitHeader('divisionCode'), (err as { code: string }).code, (err as Error).message);
        }
      }
      let parent: UnitRef | undefined;
      if (v.parent) {
        const found = resolveUnit(v.parent);
        // An unknown parent may be a row further down: try again next round, while rounds still place rows.
        if (!found.unit && found.code === 'UNKNOWN_UNIT' && r.verdict === 'ok' && round < 8) {
          next.push({ row, values: v });
          continue;
        }
        if (!found.unit) refuse(r, unitHeader('parent'), found.code!, found.problem!);
        parent = found.unit;
      }
      if (r.verdict === 'ok' && kind) {
        const parentId = parent?.unitId ?? null;
        const unitId = v.unitId || (divisionCode ? `div-${divisionCode}` : `u-${shortHash(`${kind}|${parentId ?? ''}|${key(v.name)}`)}`);
        r.subjectId = unitId;
        const twin = [...unitRows.values()].find((x) => x.subjectId === unitId && x.commands.length > 0);
        const same = byId.get(unitId) ?? (byName.get(key(v.name)) ?? []).find((u) => u.kind === kind && u.parentId === parentId);
        if (twin) {
          refuse(r, unitHeader(v.unitId ? 'unitId' : 'name'), 'DUPLICATE_ROW', `与第 ${twin.row} 行是同一单位`);
        } else if (same && same.name === v.name && same.kind === kind && same.parentId === parentId) {
          r.verdict = 'unchanged';
          r.subjectId = same.unitId;
        } else if (byId.has(unitId)) {
          refuse(r, unitHeader(v.unitId ? 'unitId' : 'name'), 'UNIT_ALREADY_EXISTS', `单位 ${unitId} 已存在且内容不同：请用目录接口修改`);
        } else {
          const ref: UnitRef = { unitId, name: v.name, kind, parentId, active: true, leaderUserId: null };
          byId.set(unitId, ref);
          addName(ref);
          r.commands.push({ type: 'CreateUnit', data: { unitId, name: v.name, kind, parentId, divisionCode, reason: reason(units!.sheet, row) } });
        }
      }
      unitRows.set(row, r);
    }
    if (next.length === pending.length) {
      // Nothing placed this round: what is left names parents nobody has.
      for (const { row, values: v } of next) {
        const r: PlannedRow = { sheet: units!.sheet, row, verdict: 'ok', name: v.name, problems: [], commands: [] };
        refuse(r, unitHeader('parent'), 'UNKNOWN_UNIT', `找不到单位「${v.parent}」`);
        unitRows.set(row, r);
      }
      break;
    }
    pending = next;
  }
  // In the order they were placed: a parent before the units under it, which is the order they must be decided in.
  planned.push(...unitRows.values());

  // People, after every unit, then the leaders they are named as.
  const personHeader = (k: PersonColumn) => headerOf(PERSON_COLUMNS, k);
  const holders = new Map(directory.people.filter((p) => p.active && p.phone).map((p) => [p.phone!, p]));
  const knownPeople = new Map(directory.people.map((p) => [p.userId, p]));
  const filePhones = new Map<string, number>();
  for (const { row, values: v } of people?.rows ?? []) {
    const r: PlannedRow = { sheet: people!.sheet, row, verdict: 'ok', name: v.name, problems: [], commands: [] };
    if (!v.name) refuse(r, personHeader('name'), 'TEXT_REQUIRED', '姓名不能为空');
    let phone = '';
    try {
      phone = normalisePhone(v.phone);
    } catch (err) {
      refuse(r, personHeader('phone'), 'INVALID_PHONE', (err as Error).message);
    }
    const role: PersonRole | null = roleOf(v.role);
    if (!role) refuse(r, personHeader('role'), 'INVALID_ROLE', `角色无效：「${v.role}」`);
    if (v.personId && !ID.test(v.personId)) refuse(r, personHeader('personId'), 'INVALID_ID', '人员编号只能包含小写字母、数字和连字符');
    const found: { unit?: UnitRef; problem?: string; code?: string } = v.unit
      ? resolveUnit(v.unit)
      : { code: 'TEXT_REQUIRED', problem: '所在单位不能为空' };
    if (!found.unit) refuse(r, personHeader('unit'), found.code!, found.problem!);
    if (phone && filePhones.has(phone)) refuse(r, personHeader('phone'), 'DUPLICATE_PHONE', `手机号与第 ${filePhones.get(phone)} 行重复`);
    if (phone && !filePhones.has(phone)) filePhones.set(phone, row);
    if (r.verdict === 'ok' && role && found.unit) {
      const unit = found.unit;
      const personId = v.personId || `p-${shortHash(phone)}`;
      r.subjectId = personId;
      const existing = knownPeople.get(personId) ?? holders.get(phone);
      const title = v.title;
      if (existing) {
        r.subjectId = existing.userId;
        const same = existing.active && existing.name === v.name && existing.unitId === unit.unitId && existing.role === role && existing.phone === phone;
        if (same) r.verdict = 'unchanged';
        else refuse(r, personHeader(existing.phone === phone ? 'phone' : 'personId'), 'PERSON_ALREADY_EXISTS', `已登记为 ${existing.userId}（${existing.name}，${existing.unitId}）且内容不同：请用目录接口调动或变更`);
      } else {
        r.commands.push({
          type: 'RegisterPerson',
          data: { personId, name: v.name, phone, title, unitId: unit.unitId, role, reason: reason(people!.sheet, row) },
        });
      }
      if (r.problems.length === 0 && v.leader && isYes(v.leader) && unit.leaderUserId !== r.subjectId) {
        r.commands.push({ type: 'AssignUnitLeader', data: { unitId: unit.unitId, leaderUserId: r.subjectId!, reason: reason(people!.sheet, row) } });
        if (r.verdict === 'unchanged') r.verdict = 'ok';
      }
    }
    planned.push(r);
  }
  return planned;
}

/** The column a domain refusal is about, by the field it names or its code. */
export function columnOf(sheet: string, field: string | null, code: string): string | null {
  const unit = sheet === UNIT_SHEET || normaliseHeader(sheet) === normaliseHeader(UNIT_SHEET);
  const u = (k: UnitColumn) => headerOf(UNIT_COLUMNS, k);
  const p = (k: PersonColumn) => headerOf(PERSON_COLUMNS, k);
  const byField: Record<string, string> = unit
    ? { unitId: u('unitId'), name: u('name'), kind: u('kind'), parentId: u('parent'), divisionCode: u('divisionCode') }
    : { personId: p('personId'), name: p('name'), phone: p('phone'), title: p('title'), unitId: p('unit'), role: p('role'), leaderUserId: p('leader') };
  if (field && byField[field]) return byField[field];
  const byCode: Record<string, string> = unit
    ? { PARENT_NOT_FOUND: u('parent'), PARENT_INACTIVE: u('parent'), UNIT_ALREADY_EXISTS: u('unitId') }
    : { UNIT_NOT_FOUND: p('unit'), UNIT_INACTIVE: p('unit'), PHONE_TAKEN: p('phone'), PERSON_ALREADY_EXISTS: p('personId'), LEADER_NOT_MEMBER: p('leader'), PERSON_NOT_FOUND: p('leader') };
  return byCode[code] ?? null;
}
