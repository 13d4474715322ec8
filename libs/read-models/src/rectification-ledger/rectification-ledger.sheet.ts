import { FINDING_STATUS_LABELS, SEVERITY_LABELS } from '@duban/domain';
import { type Column, categoryOf, labelOf } from '../exports/sheet';
import type { RectificationExportRow, RectificationProgressRow } from './rectification-ledger.export';

const EVIDENCE_SOURCE_LABELS: Record<string, string> = { recording: '排查登记', progress: '整改进展', submission: '整改完成' };


const numbered = (items: string[]): string | null => (items.length ? items.map((m, i) => `${i + 1}. ${m}`).join('\n') : null);

/** 整改台账（一题一策一台账）: one row per finding. */
export const rectificationColumns = (units: Map<string, string>): Column<RectificationExportRow>[] => {
  const unit = (id: string | null) => (id ? (units.get(id) ?? id) : null);
  return [
    { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
    { header: '问题编号', width: 38, value: (r) => r.finding.findingId },
    { header: '交办通知书号', width: 22, value: (r) => r.finding.noticeNo },
    { header: '问题类别', width: 24, value: (r) => categoryOf(r.finding.categoryCode) },
    { header: '严重程度', width: 9, value: (r) => labelOf(SEVERITY_LABELS, r.finding.severity) },
    { header: '乡镇（街道）', width: 14, value: (r) => unit(r.finding.townUnitId) },
    { header: '村（社区）', width: 14, value: (r) => r.finding.village },
    { header: '问题描述', width: 45, kind: 'wrap', value: (r) => r.finding.description },
    { header: '责任单位', width: 16, value: (r) => unit(r.finding.unitId) },
    { header: '责任人', width: 10, value: (r) => r.finding.owner?.name },
    { header: '整改方案', width: 45, kind: 'wrap', value: (r) => r.plan },
    { header: '整改措施', width: 45, kind: 'wrap', value: (r) => numbered(r.measures) },
    { header: '计划完成时间', width: 12, kind: 'date', value: (r) => r.plannedCompletionDate },
    { header: '方案签字人', width: 10, value: (r) => r.planSignedBy },
    { header: '方案签字时间', width: 17, kind: 'instant', value: (r) => r.planSignedAt },
    { header: '整改期限', width: 12, kind: 'date', value: (r) => r.finding.dueDate },
    { header: '期限所用日历版本', width: 10, kind: 'number', value: (r) => r.finding.calendarVersion },
    { header: '是否超期', width: 9, value: (r) => r.finding.overdue },
    { header: '当前状态', width: 10, value: (r) => labelOf(FINDING_STATUS_LABELS, r.finding.state) },
    { header: '进展报送次数', width: 9, kind: 'number', value: (r) => r.finding.progressCount },
    { header: '最新完成进度（%）', width: 10, kind: 'number', value: (r) => r.latestPercent },
    { header: '最新进展', width: 40, kind: 'wrap', value: (r) => r.latestSummary },
    { header: '整改完成情况', width: 40, kind: 'wrap', value: (r) => r.submissionSummary },
    { header: '整改完成签字人', width: 10, value: (r) => r.submissionSignedBy },
    { header: '整改完成签字时间', width: 17, kind: 'instant', value: (r) => r.submissionSignedAt },
    {
      header: '佐证材料',
      width: 45,
      kind: 'wrap',
      value: (r) =>
        r.evidence.length
          ? r.evidence.map((e) => `${e.name ?? e.ref}（${EVIDENCE_SOURCE_LABELS[e.source] ?? e.source}，第 ${e.version} 版）`).join('\n')
          : null,
    },
    { header: '退回次数', width: 9, kind: 'number', value: (r) => r.rejections },
    { header: '最近退回原因', width: 30, kind: 'wrap', value: (r) => r.lastRejectionReason },
    { header: '验收销号人', width: 10, value: (r) => r.finding.verifiedBy?.name },
    { header: '销号时间', width: 17, kind: 'instant', value: (r) => r.finding.closedAt },
  ];
};

/** 整改进展: one row per progress report, submission and evidence. */
export const progressColumns = (units: Map<string, string>): Column<RectificationProgressRow>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '问题编号', width: 38, value: (p) => p.findingId },
  { header: '交办通知书号', width: 22, value: (p) => p.noticeNo },
  { header: '责任单位', width: 16, value: (p) => (p.unitId ? (units.get(p.unitId) ?? p.unitId) : null) },
  { header: '问题描述', width: 36, kind: 'wrap', value: (p) => p.description },
  { header: '报送工作日', width: 12, kind: 'date', value: (p) => p.workday },
  { header: '完成进度（%）', width: 10, kind: 'number', value: (p) => p.percent },
  { header: '进展情况', width: 50, kind: 'wrap', value: (p) => p.summary },
  { header: '佐证材料', width: 30, kind: 'wrap', value: (p) => (p.evidence.length ? p.evidence.join('\n') : null) },
  { header: '报送人', width: 10, value: (p) => p.signedByName },
  { header: '报送时间', width: 17, kind: 'instant', value: (p) => p.at },
  { header: '事件流版本', width: 9, kind: 'number', value: (p) => p.streamVersion },
];
