import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import {
  Actor,
  checklistItem,
  ESCALATION_LEVEL_LABELS,
  FINDING_STATUS_LABELS,
  ROLE_LABELS,
  SEVERITY_LABELS,
  SOURCE_LABELS,
} from '@duban/domain';
import {
  ACCOUNTABILITY_KIND_LABELS,
  AccountabilityEntry,
  AccountabilityLedgerExport,
  ClaimListExport,
  ClaimListExportRow,
  ClaimStatus,
  FindingLedgerExport,
  FindingLedgerItem,
  HeadsDigest,
  LedgerExportSource,
  ProjectionCheckpoint,
  ReadSnapshot,
  RectificationExportRow,
  RectificationLedgerExport,
  RectificationProgressRow,
  unitNames,
  withReadSnapshot,
} from '@duban/read-models';
import { CellKind, CellValue, Column, shanghaiStamp, StreamedWorkbook } from './xlsx-stream';

// The four ledgers as a county office hands them upward: which sheets, which columns, and the 导出说明 sheet that
// ties the printout to the event log. Framework-free, so the benchmark drives exactly what the API serves.

export const NOTES_SHEET = '导出说明';

/** Labels a person reads; unknown codes fall back to the code itself. */
const label = <K extends string>(labels: Record<K, string>, code: string | null | undefined): string | null =>
  code ? ((labels as Record<string, string>)[code] ?? code) : null;

const category = (code: string | null): string | null => {
  if (!code) return null;
  const item = checklistItem(code);
  return item ? `${code} ${item.name}` : code;
};

export const CLAIM_STATUS_LABELS: Record<ClaimStatus, string> = {
  awaiting_claim: '待认领',
  claimed: '已认领',
  reassigned_away: '已改派他单位',
  closed: '已销号',
  annulled: '已撤销',
};

const EVIDENCE_SOURCE_LABELS: Record<string, string> = { recording: '排查登记', progress: '整改进展', submission: '整改完成' };

const STEP_LABELS: Record<string, string> = {
  FindingRecorded: '排查登记签字',
  FindingDispatched: '交办签字',
  FindingClaimed: '认领签字',
  FindingReopened: '回头看重新打开',
  RectificationSubmitted: '整改完成签字',
  FindingReassigned: '改派签字',
};

export interface FilterNote {
  /** Query parameter name. */
  field: string;
  /** Its Chinese name. */
  label: string;
  value: string;
}

export interface ExportPlan {
  /** e.g. 问题台账 */
  title: string;
  /** File name without extension, Chinese; and an ASCII fallback. */
  fileStem: string;
  asciiStem: string;
  actor: Actor;
  now: Date;
  /** 本单位 / 全部 — what the role lets this person see. */
  scope: { unitId?: string };
  filters: FilterNote[];
  source: LedgerExportSource;
  /**
   * Runs in the snapshot before anything is sent: may refuse (throw, and the caller answers with an error) or name
   * the file from what it reads (e.g. the unit's name).
   */
  precheck?: (snapshot: ReadSnapshot, units: Map<string, string>) => Promise<Partial<Pick<ExportPlan, 'title' | 'fileStem'>> | void>;
  /** Writes the data sheets; returns each sheet's name and row count. */
  write(wb: StreamedWorkbook, snapshot: ReadSnapshot, units: Map<string, string>): Promise<Array<{ sheet: string; rows: number }>>;
}

export interface ExportResult {
  fileName: string;
  sheets: Array<{ sheet: string; rows: number }>;
  checkpoints: ProjectionCheckpoint[];
  digest: HeadsDigest;
}

/**
 * Streams one ledger: opens the snapshot, runs the prechecks, then (and only then) asks `open` for the output, so a
 * refusal can still be an ordinary error response. Rows, checkpoints and heads all come from the one snapshot.
 */
export async function streamLedgerExport(
  pool: Pool,
  plan: ExportPlan,
  open: (fileName: string, asciiName: string) => Writable,
): Promise<ExportResult> {
  return withReadSnapshot(pool, async (snapshot) => {
    const units = await unitNames(snapshot);
    if (plan.precheck) plan = { ...plan, ...(await plan.precheck(snapshot, units)) };
    const checkpoints: ProjectionCheckpoint[] = [];
    for (const name of plan.source.checkpoints) checkpoints.push(await snapshot.checkpoint(name));
    const stamp = shanghaiStamp(plan.now);
    const fileName = `${plan.fileStem}_${stamp}.xlsx`;
    const out = open(fileName, `${plan.asciiStem}_${stamp}.xlsx`);
    const wb = new StreamedWorkbook(out, { creator: `督办 Duban：${plan.actor.name}`, title: plan.title, created: plan.now });
    const sheets = await plan.write(wb, snapshot, units);
    const digest = await plan.source.digest(snapshot, checkpoints[0]);
    await wb.notes(NOTES_SHEET, notes(plan, units, sheets, checkpoints, digest));
    await wb.commit();
    return { fileName, sheets, checkpoints, digest };
  });
}

/** One labelled line of a notes sheet (导出说明). */
export interface NoteRow {
  label: string;
  value: CellValue;
  kind?: CellKind;
}

/** When and by whom a file was exported: the lines every 导出说明 sheet starts with. */
export function exportedByNotes(actor: Actor, now: Date, units: ReadonlyMap<string, string>): NoteRow[] {
  return [
    { label: '导出时间（北京时间）', value: now.toISOString(), kind: 'instant' },
    { label: '导出时间（UTC，ISO 8601）', value: now.toISOString() },
    { label: '导出人', value: `${actor.name}（${actor.userId}）` },
    { label: '导出人单位', value: `${units.get(actor.unitId) ?? actor.unitId}（${actor.unitId}）` },
    { label: '导出人角色', value: label(ROLE_LABELS, actor.role) },
  ];
}

function notes(
  plan: ExportPlan,
  units: Map<string, string>,
  sheets: Array<{ sheet: string; rows: number }>,
  checkpoints: ProjectionCheckpoint[],
  digest: HeadsDigest,
): NoteRow[] {
  const unit = (id: string) => `${units.get(id) ?? id}（${id}）`;
  const [primary, ...others] = checkpoints;
  const rows: NoteRow[] = [
    { label: '台账', value: plan.title },
    ...exportedByNotes(plan.actor, plan.now, units),
    { label: '数据范围', value: plan.scope.unitId ? `本单位：${unit(plan.scope.unitId)}` : '全部单位' },
    {
      label: '筛选条件',
      value: plan.filters.length ? plan.filters.map((f) => `${f.label}（${f.field}）= ${f.value}`).join('；') : '无（全部）',
    },
    ...plan.filters.map((f) => ({ label: `筛选：${f.label}（${f.field}）`, value: f.value })),
    ...sheets.map((s) => ({ label: `行数（${s.sheet}）`, value: s.rows, kind: 'number' as const })),
    {
      label: '数据快照',
      value: '本文件的全部行、读模型检查点和事件哈希取自同一个数据库快照（REPEATABLE READ 只读事务）',
    },
    { label: '读模型检查点', value: primary.name },
    { label: '检查点事务号（transaction_id）', value: primary.transactionId },
    { label: '检查点位置（position）', value: primary.position },
    { label: '检查点处最后事件：事件流', value: primary.lastEvent?.streamId ?? '（读模型尚未读取任何事件）' },
    { label: '检查点处最后事件：版本', value: primary.lastEvent?.version ?? null, kind: 'number' },
    { label: '检查点处最后事件：事件编号', value: primary.lastEvent?.eventId ?? null },
    { label: '检查点处最后事件：哈希', value: primary.lastEvent?.hash ?? null },
    ...others.flatMap((c) => [
      { label: `关联读模型检查点：${c.name}`, value: `事务号 ${c.transactionId}，位置 ${c.position}` },
      {
        label: `关联读模型最后事件：${c.name}`,
        value: c.lastEvent ? `${c.lastEvent.streamId} 第 ${c.lastEvent.version} 版，事件 ${c.lastEvent.eventId}，哈希 ${c.lastEvent.hash}` : '（无）',
      },
    ]),
    { label: '所含问题事件流数', value: digest.streams, kind: 'number' },
    ...(digest.missing ? [{ label: '检查点前无事件的问题流数', value: digest.missing, kind: 'number' as const }] : []),
    { label: '问题流头哈希摘要（SHA-256）', value: digest.sha256 },
    {
      label: '摘要算法',
      value:
        '对本文件所含的每个问题，取事件流 finding-<问题编号> 在上述检查点（含）之前的最后一个事件（头），' +
        '按事件流编号的码位顺序排列，依次拼接 UTF-8 文本行“事件流编号\\t版本\\t哈希\\n”，计算 SHA-256（十六进制小写）。',
    },
    {
      label: '核对方法',
      value:
        '用本表的检查点和文件中的问题编号在系统中重算上述摘要并比对；再用 verify-chains 核对每个事件流的哈希链。' +
        '摘要一致即说明本台账反映的事件记录未被改动。',
    },
  ];
  return rows;
}

// ---------- 问题台账 ----------

const findingColumns = (units: Map<string, string>): Column<FindingLedgerItem>[] => {
  const unit = (id: string | null) => (id ? (units.get(id) ?? id) : null);
  return [
    { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
    { header: '问题编号', width: 38, value: (f) => f.findingId },
    { header: '专项行动', width: 18, value: (f) => f.campaignId },
    { header: '交办通知书号', width: 22, value: (f) => f.noticeNo },
    { header: '问题来源', width: 14, value: (f) => label(SOURCE_LABELS, f.source) },
    { header: '问题类别', width: 24, value: (f) => category(f.categoryCode) },
    { header: '严重程度', width: 9, value: (f) => label(SEVERITY_LABELS, f.severity) },
    { header: '乡镇（街道）', width: 14, value: (f) => unit(f.townUnitId) },
    { header: '村（社区）', width: 14, value: (f) => f.village },
    { header: '户', width: 12, value: (f) => f.household },
    { header: '问题描述', width: 50, kind: 'wrap', value: (f) => f.description },
    { header: '当前状态', width: 10, value: (f) => label(FINDING_STATUS_LABELS, f.state) },
    { header: '责任单位', width: 16, value: (f) => unit(f.unitId) },
    { header: '责任人', width: 10, value: (f) => f.owner?.name },
    { header: '排查签字人', width: 10, value: (f) => f.recordedBy?.name },
    { header: '排查时间', width: 17, kind: 'instant', value: (f) => f.recordedAt },
    { header: '交办人', width: 10, value: (f) => f.dispatchedBy?.name },
    { header: '交办时间', width: 17, kind: 'instant', value: (f) => f.dispatchedAt },
    { header: '整改期限', width: 12, kind: 'date', value: (f) => f.dueDate },
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
  ];
};

export function findingLedgerPlan(base: Omit<ExportPlan, 'title' | 'fileStem' | 'asciiStem' | 'source' | 'write'>, source: FindingLedgerExport): ExportPlan {
  return {
    ...base,
    title: '问题台账',
    fileStem: '问题台账',
    asciiStem: 'finding-ledger',
    source,
    write: async (wb, snapshot, units) => [
      { sheet: '问题台账', rows: await wb.sheet('问题台账', findingColumns(units), source.rows(snapshot)) },
    ],
  };
}

// ---------- 整改台账（一题一策一台账） ----------

const numbered = (items: string[]): string | null => (items.length ? items.map((m, i) => `${i + 1}. ${m}`).join('\n') : null);

const rectificationColumns = (units: Map<string, string>): Column<RectificationExportRow>[] => {
  const unit = (id: string | null) => (id ? (units.get(id) ?? id) : null);
  return [
    { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
    { header: '问题编号', width: 38, value: (r) => r.finding.findingId },
    { header: '交办通知书号', width: 22, value: (r) => r.finding.noticeNo },
    { header: '问题类别', width: 24, value: (r) => category(r.finding.categoryCode) },
    { header: '严重程度', width: 9, value: (r) => label(SEVERITY_LABELS, r.finding.severity) },
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
    { header: '是否超期', width: 9, value: (r) => r.finding.overdue },
    { header: '当前状态', width: 10, value: (r) => label(FINDING_STATUS_LABELS, r.finding.state) },
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
          ? r.evidence.map((e) => `${e.ref}（${EVIDENCE_SOURCE_LABELS[e.source] ?? e.source}，第 ${e.version} 版）`).join('\n')
          : null,
    },
    { header: '退回次数', width: 9, kind: 'number', value: (r) => r.rejections },
    { header: '最近退回原因', width: 30, kind: 'wrap', value: (r) => r.lastRejectionReason },
    { header: '验收销号人', width: 10, value: (r) => r.finding.verifiedBy?.name },
    { header: '销号时间', width: 17, kind: 'instant', value: (r) => r.finding.closedAt },
  ];
};

const progressColumns = (units: Map<string, string>): Column<RectificationProgressRow>[] => [
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

export function rectificationLedgerPlan(
  base: Omit<ExportPlan, 'title' | 'fileStem' | 'asciiStem' | 'source' | 'write'>,
  source: RectificationLedgerExport,
): ExportPlan {
  return {
    ...base,
    title: '整改台账（一题一策一台账）',
    fileStem: '整改台账',
    asciiStem: 'rectification-ledger',
    source,
    write: async (wb, snapshot, units) => [
      { sheet: '整改台账', rows: await wb.sheet('整改台账', rectificationColumns(units), source.rows(snapshot)) },
      { sheet: '整改进展', rows: await wb.sheet('整改进展', progressColumns(units), source.progress(snapshot)) },
    ],
  };
}

// ---------- 问题认领清单 ----------

const claimColumns = (): Column<ClaimListExportRow>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '问题编号', width: 38, value: (c) => c.findingId },
  { header: '交办通知书号', width: 22, value: (c) => c.noticeNo },
  { header: '问题类别', width: 24, value: (c) => category(c.categoryCode) },
  { header: '严重程度', width: 9, value: (c) => label(SEVERITY_LABELS, c.severity) },
  { header: '村（社区）', width: 14, value: (c) => c.village },
  { header: '问题描述', width: 45, kind: 'wrap', value: (c) => c.description },
  { header: '交办人', width: 10, value: (c) => c.dispatchedByName },
  { header: '交办时间', width: 17, kind: 'instant', value: (c) => c.dispatchedAt },
  { header: '整改期限', width: 12, kind: 'date', value: (c) => c.dueDate },
  { header: '认领状态', width: 12, value: (c) => CLAIM_STATUS_LABELS[c.status] ?? c.status },
  { header: '认领签字人', width: 10, value: (c) => c.claimedByName },
  { header: '认领时间', width: 17, kind: 'instant', value: (c) => c.claimedAt },
  { header: '问题当前状态', width: 10, value: (c) => label(FINDING_STATUS_LABELS, c.state) },
];

export function claimListPlan(
  base: Omit<ExportPlan, 'title' | 'fileStem' | 'asciiStem' | 'source' | 'write'>,
  source: ClaimListExport,
  unitId: string,
  /** Throws the "no such unit" refusal. */
  missing: () => never,
): ExportPlan {
  return {
    ...base,
    title: '问题认领清单',
    fileStem: '问题认领清单',
    asciiStem: `claim-list-${unitId}`,
    source,
    precheck: async (_snapshot, units) => {
      const name = units.get(unitId) ?? missing();
      return { title: `问题认领清单（${name}）`, fileStem: `问题认领清单_${name}` };
    },
    write: async (wb, snapshot) => [
      { sheet: '问题认领清单', rows: await wb.sheet('问题认领清单', claimColumns(), source.rows(snapshot)) },
    ],
  };
}

// ---------- 问责台账 ----------

const accountabilityColumns = (units: Map<string, string>): Column<AccountabilityEntry>[] => [
  { header: '序号', width: 7, kind: 'number', value: (_, i) => i },
  { header: '发生时间', width: 17, kind: 'instant', value: (a) => a.occurredAt },
  { header: '类别', width: 18, value: (a) => label(ACCOUNTABILITY_KIND_LABELS, a.kind) },
  { header: '升级层级', width: 9, value: (a) => label(ESCALATION_LEVEL_LABELS, a.level) },
  { header: '责任人', width: 10, value: (a) => a.person?.name ?? '（无人签字，由单位负责）' },
  { header: '责任人角色', width: 14, value: (a) => label(ROLE_LABELS, a.person?.role) },
  { header: '责任单位', width: 16, value: (a) => units.get(a.unitId) ?? a.unitId },
  { header: '所据签字环节', width: 14, value: (a) => STEP_LABELS[a.step] ?? a.step },
  { header: '该环节签字时间', width: 17, kind: 'instant', value: (a) => a.stepSignedAt },
  { header: '情况说明', width: 50, kind: 'wrap', value: (a) => a.detail },
  { header: '问题编号', width: 38, value: (a) => a.findingId },
  { header: '交办通知书号', width: 22, value: (a) => a.noticeNo },
  { header: '问题类别', width: 24, value: (a) => category(a.categoryCode) },
  { header: '严重程度', width: 9, value: (a) => label(SEVERITY_LABELS, a.severity) },
  { header: '整改期限', width: 12, kind: 'date', value: (a) => a.dueDate },
  { header: '未报工作日', width: 12, kind: 'date', value: (a) => a.workday },
  { header: '原因', width: 30, kind: 'wrap', value: (a) => a.reason },
  { header: '确认人', width: 10, value: (a) => a.acknowledgement?.by?.name },
  { header: '确认时间', width: 17, kind: 'instant', value: (a) => a.acknowledgement?.at },
  { header: '确认意见', width: 30, kind: 'wrap', value: (a) => a.acknowledgement?.note },
  { header: '事件流版本', width: 9, kind: 'number', value: (a) => a.streamVersion },
];

export function accountabilityLedgerPlan(
  base: Omit<ExportPlan, 'title' | 'fileStem' | 'asciiStem' | 'source' | 'write'>,
  source: AccountabilityLedgerExport,
): ExportPlan {
  return {
    ...base,
    title: '问责台账',
    fileStem: '问责台账',
    asciiStem: 'accountability-ledger',
    source,
    write: async (wb, snapshot, units) => [
      { sheet: '问责台账', rows: await wb.sheet('问责台账', accountabilityColumns(units), source.rows(snapshot)) },
    ],
  };
}
