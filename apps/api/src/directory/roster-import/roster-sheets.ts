import * as ExcelJS from 'exceljs';
import { PERSON_ROLES, ROLE_LABELS, UNIT_KIND_LABELS, UNIT_KINDS, type PersonRole, type UnitKind } from '@duban/domain';
import { type ColumnSpec } from '../../imports/xlsx/keyed-sheet';
import { normaliseHeader } from '../../imports/xlsx/xlsx-reader';

// The roster workbook's layout: two sheets, 单位 and 人员, with Chinese headers, the words a county uses for unit
// kinds and roles, and the downloadable template built from the same specs.

export const UNIT_SHEET = '单位';
export const PERSON_SHEET = '人员';

export type UnitColumn = 'unitId' | 'name' | 'kind' | 'parent' | 'divisionCode';
export type PersonColumn = 'personId' | 'name' | 'phone' | 'title' | 'unit' | 'role' | 'leader';

export const UNIT_COLUMNS: ColumnSpec<UnitColumn>[] = [
  { key: 'name', header: '单位名称', required: true, aliases: ['名称'] },
  { key: 'kind', header: '单位类型', required: true, aliases: ['类型'] },
  { key: 'parent', header: '上级单位', required: false, aliases: ['所属乡镇', '上级'] },
  { key: 'divisionCode', header: '统计用区划代码', required: false, aliases: ['区划代码'] },
  { key: 'unitId', header: '单位编号', required: false, aliases: ['编号'] },
];

export const PERSON_COLUMNS: ColumnSpec<PersonColumn>[] = [
  { key: 'name', header: '姓名', required: true },
  { key: 'phone', header: '手机号', required: true, aliases: ['手机', '手机号码', '联系电话'] },
  { key: 'title', header: '职务', required: false },
  { key: 'unit', header: '所在单位', required: true, aliases: ['单位', '单位名称'] },
  { key: 'role', header: '角色', required: true },
  { key: 'leader', header: '是否组长', required: false, aliases: ['组长'] },
  { key: 'personId', header: '人员编号', required: false, aliases: ['编号'] },
];

export const headerOf = <K extends string>(columns: ColumnSpec<K>[], key: K): string => columns.find((c) => c.key === key)!.header;

const KIND_WORDS: Record<UnitKind, string[]> = {
  county_office: ['县巩固办', '巩固办', '县级'],
  town: ['乡镇/街道', '乡镇', '乡', '镇', '街道'],
  village: ['村/社区', '村', '社区', '行政村'],
  department: ['县直部门', '部门', '县直单位'],
  supervision_team: ['督查组'],
  discipline: ['县纪委监委', '纪委监委', '纪委'],
};

const ROLE_WORDS: Record<PersonRole, string[]> = {
  inspector: [ROLE_LABELS.inspector, '督查员', '督查组组长'],
  supervisor: [ROLE_LABELS.supervisor, '督查办'],
  unit_official: [ROLE_LABELS.unit_official, '责任人', '单位责任人'],
  discipline_inspector: [ROLE_LABELS.discipline_inspector, '纪检监察'],
  admin: [ROLE_LABELS.admin, '管理员'],
};

const lookup = <T extends string>(words: Record<T, string[]>): Map<string, T> =>
  new Map(
    (Object.entries(words) as Array<[T, string[]]>).flatMap(([value, list]) => [...list, value].map((w) => [normaliseHeader(w), value] as [string, T])),
  );
const KINDS = lookup(KIND_WORDS);
const ROLES = lookup(ROLE_WORDS);

export const unitKindOf = (text: string): UnitKind | null => KINDS.get(normaliseHeader(text)) ?? null;
export const roleOf = (text: string): PersonRole | null => ROLES.get(normaliseHeader(text)) ?? null;
export const isYes = (text: string): boolean => ['是', 'y', 'yes', '1', '√', '组长'].includes(normaliseHeader(text));

/** The 单位/人员 template with a 填写说明 sheet: headers, widths, the allowed words as drop-down lists. */
export async function rosterTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '督办 Duban';
  const kinds = UNIT_KINDS.map((k) => UNIT_KIND_LABELS[k]);
  const roles = PERSON_ROLES.map((r) => ROLE_LABELS[r]);
  const sheet = (name: string, columns: ColumnSpec<string>[], lists: Record<string, string[]>) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = columns.map((c) => ({ header: c.required ? `${c.header}*` : c.header, width: Math.max(14, c.header.length * 4) }));
    ws.getRow(1).font = { bold: true };
    columns.forEach((c, i) => {
      const list = lists[c.header];
      if (!list) return;
      const letter = ws.getColumn(i + 1).letter;
      for (let row = 2; row <= 500; row++) {
        ws.getCell(`${letter}${row}`).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${list.join(',')}"`] };
      }
    });
  };
  sheet(UNIT_SHEET, UNIT_COLUMNS, { 单位类型: kinds });
  sheet(PERSON_SHEET, PERSON_COLUMNS, { 角色: roles, 是否组长: ['是', '否'] });
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ width: 18 }, { width: 90 }];
  const lines: Array<[string, string]> = [
    ['带 * 的列', '必填；其余可空。表头文字不要改动，列的顺序可以调整。不要合并单元格。'],
    ['单位类型', `${kinds.join('、')}（也可写 乡、镇、街道、村、社区、部门）`],
    ['上级单位', '村/社区写所属乡镇/街道的名称或编号；督查组可写县巩固办；其他单位留空。上级单位可以写在本表较后的行。'],
    ['统计用区划代码', '12 位数字，仅乡镇/街道（以 000 结尾）和村/社区；村的前 9 位须与所属乡镇一致。'],
    ['单位编号、人员编号', '可空：由系统生成；填写时只能用小写字母、数字和连字符。'],
    ['手机号', '11 位大陆手机号；一个手机号只能登记给一名在岗人员。'],
    ['所在单位', '单位名称或编号：本文件“单位”表中的单位，或系统中已有的单位；重名时请写编号。'],
    ['角色', `${roles.join('、')}`],
    ['是否组长', '督查组组长填“是”（须是该组的督查人员）。'],
    ['导入', '先“试导入”查看每一行的结果（可导入 / 已存在 / 拒绝及原因），再“确认导入”：所有可导入的行一次写入；同一文件重复导入不会重复添加。'],
  ];
  for (const l of lines) help.addRow(l);
  help.getColumn(2).alignment = { wrapText: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
