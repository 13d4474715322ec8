import { SEVERITY_LABELS, ROLE_LABELS, ESCALATION_LEVEL_LABELS } from '@duban/domain';
import { type Column, categoryOf, labelOf } from '../exports/sheet';
import { ACCOUNTABILITY_KIND_LABELS } from './accountability.projection';
import type { AccountabilityEntry } from './accountability.query';

const STEP_LABELS: Record<string, string> = {
  FindingRecorded: '排查登记签字',
  FindingDispatched: '交办签字',
  FindingClaimed: '认领签字',
  FindingReopened: '回头看重新打开',
  RectificationSubmitted: '整改完成签字',
  FindingReassigned: '改派签字',
  SelfCheckRequested: '举一反三自查交办',
  SelfCheckClaimed: '认领自查签字',
};


/** 问责台账: one row per consequence, against the person or unit that held the step. */
export const accountabilityColumns = (units: Map<string, string>): Column<AccountabilityEntry>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '发生时间', width: 17, kind: 'instant', value: (a) => a.occurredAt },
  { header: '类别', width: 18, value: (a) => labelOf(ACCOUNTABILITY_KIND_LABELS, a.kind) },
  { header: '升级层级', width: 9, value: (a) => labelOf(ESCALATION_LEVEL_LABELS, a.level) },
  { header: '责任人', width: 10, value: (a) => a.person?.name ?? '（无人签字，由单位负责）' },
  { header: '责任人角色', width: 14, value: (a) => labelOf(ROLE_LABELS, a.person?.role) },
  { header: '责任单位', width: 16, value: (a) => units.get(a.unitId) ?? a.unitId },
  { header: '所据签字环节', width: 14, value: (a) => STEP_LABELS[a.step] ?? a.step },
  { header: '该环节签字时间', width: 17, kind: 'instant', value: (a) => a.stepSignedAt },
  { header: '情况说明', width: 50, kind: 'wrap', value: (a) => a.detail },
  { header: '问题编号', width: 38, value: (a) => a.findingId },
  { header: '举一反三编号', width: 38, value: (a) => a.propagationId },
  { header: '举一反三源问题编号', width: 38, value: (a) => a.originFindingId },
  { header: '交办通知书号', width: 22, value: (a) => a.noticeNo },
  { header: '问题类别', width: 24, value: (a) => categoryOf(a.categoryCode) },
  { header: '严重程度', width: 9, value: (a) => labelOf(SEVERITY_LABELS, a.severity) },
  { header: '整改期限', width: 12, kind: 'date', value: (a) => a.dueDate },
  { header: '未报工作日', width: 12, kind: 'date', value: (a) => a.workday },
  { header: '原因', width: 30, kind: 'wrap', value: (a) => a.reason },
  { header: '确认人', width: 10, value: (a) => a.acknowledgement?.by?.name },
  { header: '确认时间', width: 17, kind: 'instant', value: (a) => a.acknowledgement?.at },
  { header: '确认意见', width: 30, kind: 'wrap', value: (a) => a.acknowledgement?.note },
  { header: '事件流版本', width: 9, kind: 'number', value: (a) => a.streamVersion },
];
