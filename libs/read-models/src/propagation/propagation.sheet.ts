import { ESCALATION_LEVEL_LABELS } from '@duban/domain';
import { type Column, categoryOf, labelOf } from '../exports/sheet';
import type { PropagationExportRow } from './propagation.export';

export const SELF_CHECK_STATUS_LABELS: Record<PropagationExportRow['status'], string> = {
  requested: '待认领',
  claimed: '已认领，待签字',
  attested: '已签字',
};

const OUTCOME_LABELS: Record<NonNullable<PropagationExportRow['outcome']>, string> = { none_found: '未发现同类问题', found: '发现问题' };

/** 举一反三: one row per unit asked to check itself. */
export const propagationColumns = (units: Map<string, string>): Column<PropagationExportRow>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '举一反三编号', width: 38, value: (r) => r.propagationId },
  { header: '源问题编号', width: 38, value: (r) => r.originFindingId },
  { header: '对照清单条目', width: 24, value: (r) => categoryOf(r.originCategoryCode) },
  { header: '自查要求', width: 40, kind: 'wrap', value: (r) => r.instruction },
  { header: '发起人', width: 10, value: (r) => r.launchedByName },
  { header: '发起时间', width: 17, kind: 'instant', value: (r) => r.launchedAt },
  { header: '自查单位', width: 14, value: (r) => units.get(r.unitId) ?? r.unitId },
  { header: '自查期限', width: 12, kind: 'date', value: (r) => r.dueDate },
  { header: '状态', width: 14, value: (r) => SELF_CHECK_STATUS_LABELS[r.status] ?? r.status },
  { header: '超期未签', width: 9, value: (r) => (r.overdue ? '是' : '否') },
  { header: '认领签字人', width: 10, value: (r) => r.ownerName },
  { header: '认领时间', width: 17, kind: 'instant', value: (r) => r.claimedAt },
  { header: '自查结论', width: 14, value: (r) => (r.outcome ? OUTCOME_LABELS[r.outcome] : null) },
  { header: '自查内容', width: 40, kind: 'wrap', value: (r) => r.checked },
  { header: '发现问题数', width: 10, kind: 'number', value: (r) => r.foundCount },
  { header: '发现问题编号', width: 40, kind: 'wrap', value: (r) => (r.findingIds.length ? r.findingIds.join('\n') : null) },
  { header: '签字时间', width: 17, kind: 'instant', value: (r) => r.attestedAt },
  { header: '逾期签字', width: 9, value: (r) => (r.attestedAt ? (r.late ? '是' : '否') : null) },
  // The ladder's rung the missing attestation reached, as for a finding (通报 → 约谈 → 问责), and when the next falls.
  { header: '升级层级', width: 9, value: (r) => labelOf(ESCALATION_LEVEL_LABELS, r.ladderLevel) },
  { header: '下一层级日期', width: 12, kind: 'date', value: (r) => r.ladderNextDueDate },
];
