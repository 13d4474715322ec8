import { FINDING_STATUS_LABELS, SEVERITY_LABELS, SOURCE_LABELS } from '@duban/domain';
import { type Column, categoryOf, labelOf } from '../exports/sheet';
import type { FindingLedgerItem } from './finding-ledger.query';

/** 问题台账: one row per finding. */
export const findingColumns = (units: Map<string, string>): Column<FindingLedgerItem>[] => {
  const unit = (id: string | null) => (id ? (units.get(id) ?? id) : null);
  return [
    { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
    { header: '问题编号', width: 38, value: (f) => f.findingId },
    { header: '专项行动', width: 18, value: (f) => f.campaignId },
    { header: '交办通知书号', width: 22, value: (f) => f.noticeNo },
    { header: '问题来源', width: 14, value: (f) => labelOf(SOURCE_LABELS, f.source) },
    { header: '问题类别', width: 24, value: (f) => categoryOf(f.categoryCode) },
    { header: '严重程度', width: 9, value: (f) => labelOf(SEVERITY_LABELS, f.severity) },
    { header: '乡镇（街道）', width: 14, value: (f) => unit(f.townUnitId) },
    { header: '村（社区）', width: 14, value: (f) => f.village },
    { header: '户', width: 12, value: (f) => f.household },
    { header: '问题描述', width: 50, kind: 'wrap', value: (f) => f.description },
    { header: '当前状态', width: 10, value: (f) => labelOf(FINDING_STATUS_LABELS, f.state) },
    { header: '责任单位', width: 16, value: (f) => unit(f.unitId) },
    { header: '责任人', width: 10, value: (f) => f.owner?.name },
    { header: '排查签字人', width: 10, value: (f) => f.recordedBy?.name },
    { header: '排查时间', width: 17, kind: 'instant', value: (f) => f.recordedAt },
    { header: '交办人', width: 10, value: (f) => f.dispatchedBy?.name },
    { header: '交办时间', width: 17, kind: 'instant', value: (f) => f.dispatchedAt },
    { header: '整改期限', width: 12, kind: 'date', value: (f) => f.dueDate },
    { header: '期限所用日历版本', width: 10, kind: 'number', value: (f) => f.calendarVersion },
    { header: '是否超期', width: 9, value: (f) => f.overdue },
    { header: '超期天数', width: 9, kind: 'number', value: (f) => f.daysOverdue },
    { header: '认领签字人', width: 10, value: (f) => f.claimedBy?.name },
    { header: '认领时间', width: 17, kind: 'instant', value: (f) => f.claimedAt },
    { header: '整改方案提交时间', width: 17, kind: 'instant', value: (f) => f.planSubmittedAt },
    { header: '进展报送次数', width: 9, kind: 'number', value: (f) => f.progressCount },
    { header: '最近进展时间', width: 17, kind: 'instant', value: (f) => f.lastProgressAt },
    { header: '延期申请待批', width: 9, value: (f) => f.extensionPending },
    { header: '整改完成签字人', width: 10, value: (f) => f.rectificationSignedBy?.name },
    { header: '整改完成签字时间', width: 17, kind: 'instant', value: (f) => f.rectificationSignedAt },
    { header: '验收销号人', width: 10, value: (f) => f.verifiedBy?.name },
    { header: '验收时间', width: 17, kind: 'instant', value: (f) => f.verifiedAt },
    { header: '销号时间', width: 17, kind: 'instant', value: (f) => f.closedAt },
    { header: '撤销人', width: 10, value: (f) => f.annulledBy?.name },
    { header: '撤销时间', width: 17, kind: 'instant', value: (f) => f.annulledAt },
    { header: '重新打开次数', width: 9, kind: 'number', value: (f) => f.reopenedCount },
    { header: '改派次数', width: 9, kind: 'number', value: (f) => f.reassignedCount },
    { header: '最近说明（原因）', width: 30, kind: 'wrap', value: (f) => f.lastReason },
    { header: '事件流版本', width: 9, kind: 'number', value: (f) => f.streamVersion },
    {
      header: '导入来源',
      width: 24,
      value: (f) => (f.importedFrom ? `问题清单第 ${f.importedFrom.row} 行（${f.importedFrom.sha256.slice(0, 12)}…）` : null),
    },
  ];
};
