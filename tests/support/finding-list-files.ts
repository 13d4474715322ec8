import * as ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';

// Workbooks and broken files for the 问题清单 import's tests and its benchmark, built in the test (exceljs), never
// checked in: a county's list with the usual columns, and the ways a file goes wrong.

export const FINDING_LIST_HEADERS = ['序号', '问题来源', '乡镇', '村', '问题描述', '问题类别', '责任单位', '整改时限', '整改情况', '销号时间'];

export type ListCell = string | number | Date | null;

export interface ListOptions {
  /** A title row merged across the top, as counties print them (allowed: it is above the headers). */
  title?: string;
  headers?: string[];
  sheetName?: string;
  merges?: string[];
}

export async function findingListXlsx(rows: ListCell[][], opts: ListOptions = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(opts.sheetName ?? '问题清单');
  const headers = opts.headers ?? FINDING_LIST_HEADERS;
  if (opts.title) {
    ws.addRow([opts.title]);
    ws.mergeCells(1, 1, 1, headers.length);
  }
  ws.addRow(headers);
  for (const r of rows) ws.addRow(r);
  for (const m of opts.merges ?? []) ws.mergeCells(m);
  for (const c of [8, 10]) ws.getColumn(c).numFmt = 'yyyy-mm-dd';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export const utcDate = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);

const TOWNS = ['洺北街道', '洺南', '东风街道', '宁平镇', '宜路', '钱店镇', '汲冢镇', '石槽', '南丰镇', '白马镇', '吴台镇', '胡集乡', '巴集', '李楼乡'];
const SPELLINGS = (t: string, i: number) => [t, ` ${t} `, `郸城县${t}`, t.replace(/镇$/u, '　镇')][i % 4];
const SOURCES = ['入户排查', '行业排查', '督查巡查', '暗访', '自查', '省委巡视反馈'];
const CATEGORIES = ['2.3', '2.4 饮水安全政策', '教育扶持政策', '3.2', '1.3', '住房安全'];
const UNITS = ['县住建局', '住建局', '县水利局', '宁平镇', '县教体局', null];

export interface BigList {
  buffer: Buffer;
  rows: number;
  /** Rows (sheet numbers) by what they are meant to be. */
  expected: { ok: number[]; closed: number[]; misspelt: number[]; duplicates: number[]; bad: number[] };
}

/**
 * A 2,000-row 问题清单 with a title row: open and closed rows spelt as counties spell them, towns misspelt by one
 * character (a choice with a suggestion), rows repeated, and rows that cannot be imported.
 */
export async function bigFindingList(total = 2000): Promise<BigList> {
  const rows: ListCell[][] = [];
  const expected: BigList['expected'] = { ok: [], closed: [], misspelt: [], duplicates: [], bad: [] };
  const sheetRow = (i: number) => i + 3; // title, header
  for (let i = 0; i < total; i++) {
    const n = sheetRow(i);
    const town = SPELLINGS(TOWNS[i % TOWNS.length], i);
    const base: ListCell[] = [i + 1, SOURCES[i % SOURCES.length], town, `第${(i % 40) + 1}村`, `问题 ${i + 1}：脱贫户住房安全未保障`, CATEGORIES[i % CATEGORIES.length], UNITS[i % UNITS.length], utcDate('2026-12-31'), '整改中', null];
    if (i % 100 === 7) {
      expected.misspelt.push(n);
      base[2] = '宁坪镇';
    } else if (i % 100 === 13 && i > 0) {
      expected.duplicates.push(n);
      const copied = rows[i - 1].slice();
      copied[0] = i + 1;
      rows.push(copied);
      continue;
    } else if (i % 100 === 21) {
      expected.bad.push(n);
      [() => (base[4] = null), () => (base[5] = '9.9'), () => (base[1] = '梦里'), () => (base[2] = '火星镇'), () => (base[8] = '已完成')][(i / 100) % 5 | 0]();
    } else if (i % 10 === 3) {
      expected.closed.push(n);
      if (i % 20 === 3) {
        base[8] = '已销号';
        base[9] = utcDate('2026-10-15');
      } else base[8] = '已于2026年9月18日完成整改并销号';
    } else expected.ok.push(n);
    rows.push(base);
  }
  return { buffer: await findingListXlsx(rows, { title: '郸城县巩固脱贫成果问题清单' }), rows: total, expected };
}

/** A zip written by hand: each entry as given, with the central directory free to declare whatever it is told. */
export function handMadeZip(entries: Array<{ name: string; data: Buffer; declaredSize?: number }>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const compressed = deflateRawSync(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const XLSX_SKELETON = [
  { name: '[Content_Types].xml', data: Buffer.from('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>') },
  { name: 'xl/workbook.xml', data: Buffer.from('<?xml version="1.0"?><workbook/>') },
];

/** Declares a worksheet of 3 GB: refused on the declaration, before anything inflates. */
export const declaredBomb = (): Buffer => handMadeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<x/>'), declaredSize: 3_000_000_000 }]);
/** Declares 1 kB and inflates to 50 MB: stopped at the lie. */
export const lyingBomb = (): Buffer => handMadeZip([...XLSX_SKELETON, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(50 * 1024 * 1024), declaredSize: 1024 }]);
/** Ten thousand tiny entries. */
export const entryBomb = (): Buffer =>
  handMadeZip([...XLSX_SKELETON, ...Array.from({ length: 10_000 }, (_, i) => ({ name: `xl/media/x${i}.bin`, data: Buffer.from('x') }))]);
