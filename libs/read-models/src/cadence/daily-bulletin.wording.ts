import type { LocalDate } from '@duban/domain/shared/local-date';
import { shanghaiDeadlineText } from '../support';

/**
 * The 日报/通报's sentences, one per item kind: what a reader of the bulletin sees beside the unit and the person.
 * Kept apart from the queries so the wording can be read (and reviewed) as a whole.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const SEVERITY: Record<string, string> = { red: '红色', yellow: '黄色', blue: '蓝色' };

const noticePrefix = (noticeNo: string | null): string => (noticeNo ? `${noticeNo} ` : '');

export function newFindingText(r: { village: string | null; household: string | null; description: string | null; severity: string | null }): string {
  const place = [r.village, r.household].filter(Boolean).join(' ');
  return `${place ? `${place}：` : ''}${r.description ?? ''}（${SEVERITY[r.severity as string] ?? r.severity ?? ''}）`;
}

export function dispatchedText(
  r: { notice_no: string; kind: string; from_unit_id: string | null; due_date: string },
): string | ((name: (id: string) => string) => string) {
  return r.kind === 'reassignment' && r.from_unit_id
    ? (name) => `${r.notice_no} 改派交办（原单位 ${name(r.from_unit_id!)}），整改期限 ${r.due_date}`
    : `${r.notice_no} 交办，整改期限 ${r.due_date}`;
}

export function closedText(r: { notice_no: string | null; due_date: string | null; on_time: boolean | null; verified_by_name: string | null }): string {
  const timing = r.due_date ? `，${r.on_time ? '按期' : '逾期'}完成（期限 ${r.due_date}）` : '';
  return `${noticePrefix(r.notice_no)}验收销号${timing}${r.verified_by_name ? `，验收人 ${r.verified_by_name}` : ''}`;
}

/** Days overdue count every started day past the deadline, at least one. */
export function overdueText(r: { notice_no: string | null; owner_id: string | null; due_date: string | null; deadline_at: Date }, asOfIso: string): string {
  const days = Math.max(1, Math.ceil((Date.parse(asOfIso) - r.deadline_at.getTime()) / DAY_MS));
  return `${noticePrefix(r.notice_no)}逾期 ${days} 天（整改期限 ${r.due_date}）${r.owner_id ? '' : '，尚无人签字认领'}`;
}

/** A missed progress report or an escalation, worded by the accountability ledger. */
export function accountabilityText(r: { notice_no: string | null; detail: string }): string {
  return `${noticePrefix(r.notice_no)}${r.detail}`;
}

export function missedInspectionReportText(
  r: { status: string; missed_against_id: string | null; cutoff_at: Date | null },
  date: LocalDate,
): string {
  const cutoff = r.cutoff_at ? `（截止 ${shanghaiDeadlineText(r.cutoff_at.toISOString())}）` : '';
  return `未按时报送 ${date} 日督查报告${cutoff}${r.status === 'missed_then_filed' ? '，已补报' : ''}${
    r.missed_against_id ? '' : '，未设组长'
  }`;
}
