import * as ExcelJS from 'exceljs';
import { ImportFileRefused } from './import-file-refused';
import { readSheet } from './keyed-sheet';
import { cellText, normaliseHeader } from './xlsx-reader';
import { guardXlsx } from './zip-guard';

const refusal = (fn: () => unknown): ImportFileRefused => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ImportFileRefused) return e;
    throw e;
  }
  throw new Error('not refused');
};

describe('xlsx reader helpers', () => {
  it('matches headers as people type them', () => {
    expect(normaliseHeader(' 手机号* ')).toBe(normaliseHeader('手机号'));
    expect(normaliseHeader('ＡＢ　单位（必填）')).toBe(normaliseHeader('ab单位'));
  });

  it('reads every kind of cell as the text a person sees', () => {
    expect(cellText(13800138000)).toBe('13800138000');
    expect(cellText(1.5)).toBe('1.5');
    expect(cellText({ richText: [{ text: '城关' }, { text: '镇 ' }] })).toBe('城关镇');
    expect(cellText({ formula: 'A1', result: '东关村' } as ExcelJS.CellFormulaValue)).toBe('东关村');
    expect(cellText({ text: '链接', hyperlink: 'http://x' })).toBe('链接');
    expect(cellText(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23');
    expect(cellText(null)).toBe('');
  });

  it('refuses what is not a small honest zip before parsing it', () => {
    expect(refusal(() => guardXlsx(Buffer.alloc(0))).code).toBe('EMPTY_FILE');
    expect(refusal(() => guardXlsx(Buffer.from('a,b\n1,2'))).code).toBe('NOT_XLSX');
    expect(refusal(() => guardXlsx(Buffer.alloc(20, 1), { maxBytes: 10, maxUncompressedBytes: 100 })).code).toBe('FILE_TOO_LARGE');
  });

  it('sums the declared unzipped sizes: a workbook within the limit passes, the same one under a tiny limit is a bomb', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('单位').addRow(['单位名称']);
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    expect(() => guardXlsx(buf)).not.toThrow();
    expect(refusal(() => guardXlsx(buf, { maxBytes: buf.length, maxUncompressedBytes: 1000 })).code).toBe('ZIP_BOMB');
  });

  it('names the sheet and column of a missing required column, and skips blank rows', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('人员');
    ws.addRow(['姓名', '职务']);
    ws.addRow(['张三', '干部']);
    ws.addRow([]);
    ws.addRow(['李四', null]);
    const cols = [
      { key: 'name' as const, header: '姓名', required: true },
      { key: 'title' as const, header: '职务', required: false },
    ];
    expect(readSheet(wb, '人员', cols).rows).toEqual([
      { row: 2, values: { name: '张三', title: '干部' } },
      { row: 4, values: { name: '李四', title: '' } },
    ]);
    const e = refusal(() => readSheet(wb, '人员', [...cols, { key: 'phone' as never, header: '手机号', required: true }]));
    expect(e).toMatchObject({ code: 'MISSING_COLUMN', where: { sheet: '人员', row: 1, column: '手机号' } });
  });
});
