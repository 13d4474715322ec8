import type { Writable } from 'node:stream';
import type { Pool } from 'pg';
import { Actor, ROLE_LABELS } from '@duban/domain';
import {
  accountabilityColumns,
  AccountabilityLedgerExport,
  claimColumns,
  ClaimListExport,
  findingColumns,
  FindingLedgerExport,
  HeadsDigest,
  labelOf,
  LedgerExportSource,
  progressColumns,
  propagationColumns,
  PropagationLedgerExport,
  ProjectionCheckpoint,
  ReadSnapshot,
  rectificationColumns,
  RectificationLedgerExport,
  unitNames,
  withReadSnapshot,
} from '@duban/read-models';
import { CellKind, CellValue, shanghaiStamp, StreamedWorkbook } from './xlsx-stream';

// The four ledgers as a county office hands them upward: which sheets (each ledger's columns are in its own folder,
// libs/read-models/src/<ledger>/<ledger>.sheet.ts), and the 导出说明 sheet that ties the printout to the event log. Framework-free, so the benchmark drives exactly what the API serves.

export const NOTES_SHEET = '导出说明';

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
    { label: '导出人角色', value: labelOf(ROLE_LABELS, actor.role) },
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

// ---------- 举一反三台账 ----------

export function propagationLedgerPlan(
  base: Omit<ExportPlan, 'title' | 'fileStem' | 'asciiStem' | 'source' | 'write'>,
  source: PropagationLedgerExport,
): ExportPlan {
  return {
    ...base,
    title: '举一反三台账',
    fileStem: '举一反三台账',
    asciiStem: 'propagation-ledger',
    source,
    write: async (wb, snapshot, units) => [
      { sheet: '举一反三', rows: await wb.sheet('举一反三', propagationColumns(units), source.rows(snapshot)) },
    ],
  };
}
