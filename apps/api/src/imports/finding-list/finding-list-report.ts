import * as ExcelJS from 'exceljs';
import type { RowVerdict, RowVerdictKind } from '@duban/domain';
import type { FindingListSheet } from './finding-list-sheet';

// The dry run's report as a workbook: the sheet's rows as they were, with the verdict and why beside each, so the
// office can fix the file (or choose) and upload again. A second sheet says which file and what it came to.

export const VERDICT_LABELS: Record<RowVerdictKind, string> = {
  ok: '可导入',
  needs_choice: '需选择',
  refused: '不予导入',
  already_imported: '已导入（不再重复）',
};

const FILL: Partial<Record<RowVerdictKind, string>> = { needs_choice: 'FFFFF2CC', refused: 'FFF8CBAD', already_imported: 'FFE2EFDA' };

export interface ReportMeta {
  fileName: string;
  sha256: string;
  campaignId: string;
  checkedAt: string;
  checkedBy: string;
}

export async function findingListReport(sheet: FindingListSheet, verdicts: RowVerdict[], meta: ReportMeta): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Duban';
  const ws = wb.addWorksheet('导入预检');
  ws.columns = [
    { header: '行号', width: 7 },
    ...sheet.headers.map((h) => ({ header: h.text, width: h.key === 'description' ? 40 : 14 })),
    { header: '导入结论', width: 14 },
    { header: '说明', width: 60 },
    { header: '可选项', width: 40 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const v of verdicts) {
    const why = v.problems.map((p) => `[${p.column}] ${p.message}`).join('；');
    const options = v.problems
      .filter((p) => p.suggestions.length)
      .map((p) => `${p.column}：${p.suggestions.map((s) => `${s.label}=${s.value}`).join('，')}`)
      .join('；');
    const row = ws.addRow([v.row, ...(sheet.raw.get(v.row) ?? []), VERDICT_LABELS[v.verdict], why || null, options || null]);
    const fill = FILL[v.verdict];
    if (fill) row.getCell(sheet.headers.length + 2).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.headers.length + 4 } };

  const notes = wb.addWorksheet('说明');
  const count = (k: RowVerdictKind) => verdicts.filter((v) => v.verdict === k).length;
  notes.columns = [{ width: 18 }, { width: 72 }];
  for (const [label, value] of [
    ['文件', meta.fileName],
    ['文件 SHA-256', meta.sha256],
    ['工作表', `${sheet.sheet}（表头在第 ${sheet.headerRow} 行）`],
    ['专项行动', meta.campaignId],
    ['预检时间', meta.checkedAt],
    ['预检人', meta.checkedBy],
    ...(['ok', 'needs_choice', 'refused', 'already_imported'] as const).map((k) => [VERDICT_LABELS[k], String(count(k))]),
    ['说明', '预检不写入任何数据。导入时只导入“可导入”的行和已在导入请求中作出选择的行，全部成功或全部不变；同一文件再次导入不会重复。'],
  ]) {
    notes.addRow([label, value]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
