import type { Writable } from 'node:stream';
import type { Actor, ScoringFormula, UnitScore } from '@duban/domain';
import type { MonthlyReviewView } from '@duban/read-models';
import { exportedByNotes, NOTES_SHEET, NoteRow } from '../../exports/ledger-export';
import { Column, shanghaiStamp, StreamedWorkbook } from '../../exports/xlsx-stream';

// 月度讲评排名 as the county office circulates it: the ranking, the formula it was scored by, and the 导出说明 sheet
// that ties the printout to the published (frozen) review in the event log. Framework-free, like the ledger exports.

export const REVIEW_SHEET = '月度讲评';
export const FORMULA_SHEET = '考评公式';

/** The on-time closure rate of a unit with nothing due: the formula counts it in full, the sheet says so. */
export const NOTHING_DUE = '无到期问题（按 100% 计）';

/** A unit asked no 举一反三 self-check this month: the v2 formula counts completeness in full. */
export const NO_SELF_CHECK_DUE = '无到期自查任务（按 100% 计）';

/** The ranking's columns; a review scored with 举一反三 completeness (v2 on) shows that term, one under v1 never does. */
export const reviewColumns = (formula?: Pick<ScoringFormula, 'selfCheckCompletenessWeight'>): Column<UnitScore>[] => [
  ...baseColumns.slice(0, -1),
  ...(formula?.selfCheckCompletenessWeight === undefined
    ? []
    : ([
        { header: '举一反三完成率', width: 14, kind: 'percent', value: (u) => u.selfCheckCompleteness ?? NO_SELF_CHECK_DUE },
        { header: '到期自查任务', width: 12, kind: 'number', value: (u) => u.selfChecksDue ?? 0 },
        { header: '按期签字', width: 9, kind: 'number', value: (u) => u.selfChecksAttestedOnTime ?? 0 },
      ] satisfies Column<UnitScore>[])),
  baseColumns[baseColumns.length - 1],
];

const baseColumns: Column<UnitScore>[] = [
  { header: '名次', width: 7, kind: 'number', value: (u) => u.rank },
  { header: '单位', width: 18, value: (u) => u.unitName },
  { header: '得分', width: 9, kind: 'number', value: (u) => u.score },
  { header: '按期销号率', width: 14, kind: 'percent', value: (u) => u.onTimeClosureRate ?? NOTHING_DUE },
  { header: '到期问题', width: 9, kind: 'number', value: (u) => u.dueFindings },
  { header: '按期销号', width: 9, kind: 'number', value: (u) => u.closedOnTime },
  { header: '逾期问题天数', width: 12, kind: 'number', value: (u) => u.overdueFindingDays },
  { header: '漏报进度', width: 9, kind: 'number', value: (u) => u.missedDailyReports },
  { header: '回头看重新打开', width: 14, kind: 'number', value: (u) => u.reopensAfterLookBack },
  { header: '约谈', width: 7, kind: 'number', value: (u) => u.interviews },
  { header: '问责', width: 7, kind: 'number', value: (u) => u.accountabilityReferrals },
  { header: '表扬/点名/备注', width: 24, kind: 'wrap', value: (u) => u.note },
];

export function formulaNotes(review: MonthlyReviewView): NoteRow[] {
  const f = review.content.formula;
  return [
    { label: '考评公式版本', value: review.content.formulaVersion },
    { label: '公式说明', value: f.description },
    { label: '按期销号率满分（× 按期销号率）', value: f.onTimeClosureWeight, kind: 'number' },
    ...(f.selfCheckCompletenessWeight === undefined
      ? []
      : [{ label: '举一反三完成率满分（× 按期签字的自查任务 / 到期自查任务）', value: f.selfCheckCompletenessWeight, kind: 'number' as const }]),
    { label: '基础分', value: f.basePoints, kind: 'number' },
    { label: '逾期问题每天扣分', value: f.penalties.perOverdueFindingDay, kind: 'number' },
    { label: '漏报整改进度每次扣分', value: f.penalties.perMissedDailyReport, kind: 'number' },
    { label: '回头看重新打开每次扣分', value: f.penalties.perReopenAfterLookBack, kind: 'number' },
    { label: '约谈每次扣分', value: f.penalties.perInterview, kind: 'number' },
    { label: '问责移交每次扣分', value: f.penalties.perAccountabilityReferral, kind: 'number' },
    { label: '通报表扬名次（含并列）', value: `前 ${f.commendTopRanks} 名`, kind: 'text' },
    {
      label: '说明',
      value: '本表所列公式为该月讲评发布时记录的版本与权重；之后发布的新版本公式不会重算已发布月份。',
    },
  ];
}

export interface MonthlyReviewExport {
  review: MonthlyReviewView;
  campaign: { campaignId: string; name: string };
  actor: Actor;
  now: Date;
  /** Unit names for the exporter's unit (and any other the notes mention). */
  units: ReadonlyMap<string, string>;
}

export interface MonthlyReviewExportResult {
  fileName: string;
  rows: number;
}

const names = (units: UnitScore[], pick: (u: UnitScore) => boolean): string =>
  units.filter(pick).map((u) => `${u.unitName}（第 ${u.rank} 名）`).join('、') || '无';

function provenanceNotes(x: MonthlyReviewExport, rows: number, title: string): NoteRow[] {
  const { review, campaign } = x;
  const units = review.content.units;
  return [
    { label: '报表', value: title },
    ...exportedByNotes(x.actor, x.now, x.units),
    { label: '专项行动', value: `${campaign.name}（${campaign.campaignId}）` },
    { label: '讲评月份', value: review.content.month },
    { label: '考评公式版本', value: review.content.formulaVersion },
    { label: `行数（${REVIEW_SHEET}）`, value: rows, kind: 'number' },
    { label: '参与排名单位数', value: units.filter((u) => u.ranked).length, kind: 'number' },
    { label: '不参与排名单位数（本月无问题、无扣分事项）', value: units.filter((u) => !u.ranked).length, kind: 'number' },
    { label: '通报表扬', value: names(units, (u) => u.commended) },
    { label: '点名作表态发言', value: names(units, (u) => u.namedLast) },
    {
      label: '数据来源',
      value: '本表为已发布的月度讲评：发布时冻结为一个事件，之后的数据变化不改变本表；每次导出内容相同（导出时间、导出人除外）。',
    },
    { label: '发布时间（北京时间）', value: review.publishedAt, kind: 'instant' },
    { label: '发布时间（UTC，ISO 8601）', value: review.publishedAt },
    { label: '统计截至（北京时间）', value: review.provenance.asOf, kind: 'instant' },
    { label: '统计截至（UTC，ISO 8601）', value: review.provenance.asOf },
    { label: '读模型检查点（事务号:位置）', value: review.provenance.checkpoint },
    { label: '发布事件流', value: review.streamId },
    { label: '发布事件编号', value: review.eventId },
    {
      label: '核对方法',
      value:
        '用发布事件编号在系统中查验该事件及其哈希链（完整性证明：/integrity/proofs/inclusion?eventId=发布事件编号）；' +
        '用读模型检查点处的问题台账、问责台账重算各单位指标，按“考评公式”页的版本与权重可复核得分与名次。',
    },
  ];
}

/** Writes the three sheets to `open(...)`'s stream: 月度讲评, 考评公式, 导出说明. */
export async function writeMonthlyReviewWorkbook(
  x: MonthlyReviewExport,
  open: (fileName: string, asciiName: string) => Writable,
): Promise<MonthlyReviewExportResult> {
  const month = x.review.content.month;
  const title = `月度讲评排名（${month}）`;
  const stamp = shanghaiStamp(x.now);
  const fileName = `月度讲评排名_${month}_${stamp}.xlsx`;
  const wb = new StreamedWorkbook(open(fileName, `monthly-review-${month}_${stamp}.xlsx`), {
    creator: `督办 Duban：${x.actor.name}`,
    title,
    created: x.now,
  });
  const units = x.review.content.units;
  const rows = await wb.sheet(REVIEW_SHEET, reviewColumns(x.review.content.formula), (async function* () {
    yield units;
  })());
  await wb.notes(FORMULA_SHEET, formulaNotes(x.review));
  await wb.notes(NOTES_SHEET, provenanceNotes(x, rows, title));
  await wb.commit();
  return { fileName, rows };
}
