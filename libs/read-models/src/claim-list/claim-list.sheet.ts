import { FINDING_STATUS_LABELS, SEVERITY_LABELS } from '@duban/domain';
import { type Column, categoryOf, labelOf } from '../exports/sheet';
import type { ClaimListExportRow } from './claim-list.export';
import type { ClaimStatus } from './claim-list.query';

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  awaiting_claim: '待认领',
  claimed: '已认领',
  reassigned_away: '已改派他单位',
  closed: '已销号',
  annulled: '已撤销',
};


/** 问题认领清单: one row per finding dispatched to the unit. */
export const claimColumns = (): Column<ClaimListExportRow>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '问题编号', width: 38, value: (c) => c.findingId },
  { header: '交办通知书号', width: 22, value: (c) => c.noticeNo },
  { header: '问题类别', width: 24, value: (c) => categoryOf(c.categoryCode) },
  { header: '严重程度', width: 9, value: (c) => labelOf(SEVERITY_LABELS, c.severity) },
  { header: '村（社区）', width: 14, value: (c) => c.village },
  { header: '问题描述', width: 45, kind: 'wrap', value: (c) => c.description },
  { header: '交办人', width: 10, value: (c) => c.dispatchedByName },
  { header: '交办时间', width: 17, kind: 'instant', value: (c) => c.dispatchedAt },
  { header: '整改期限', width: 12, kind: 'date', value: (c) => c.dueDate },
  { header: '认领状态', width: 12, value: (c) => CLAIM_STATUS_LABELS[c.status] ?? c.status },
  { header: '认领签字人', width: 10, value: (c) => c.claimedByName },
  { header: '认领时间', width: 17, kind: 'instant', value: (c) => c.claimedAt },
  { header: '问题当前状态', width: 10, value: (c) => labelOf(FINDING_STATUS_LABELS, c.state) },
];
