import type { Pool } from 'pg';
import {
  BULLETIN_ITEM_KINDS,
  type BulletinItem,
  type BulletinItemKind,
  type BulletinTotals,
  type BulletinUnitRow,
  type DailyBulletinContent,
  type NamedPerson,
} from '@duban/domain/cadence/reports';
import { assertLocalDate, endOfShanghaiDay, type LocalDate, startOfShanghaiDay, toUtcIso } from '@duban/domain/shared/local-date';
import { DirectoryQuery } from '../directory/directory.query';
import type { CadenceSnapshot } from './cadence.contract';
import {
  accountabilityText,
  closedText,
  dispatchedText,
  missedInspectionReportText,
  newFindingText,
  overdueText,
} from './daily-bulletin.wording';
import { canBeOverdue, isImported, isImportedHistory } from './finding-states.sql';
import { REPORT_CHECKPOINTS as CP, reportSnapshot } from './report-snapshot';

/**
 * 日报/通报 (点人点事) for `date`: what happened that day and what stands overdue at `asOf`, by unit and by name.
 * new — recorded that day (the town, the recorder); dispatched — notices issued that day (the unit, the signer);
 * closed — closed that day (the unit, whoever signed the fix); overdue — open, with the verifier not holding it,
 * deadline before asOf (the owner, or nobody while unclaimed); missed progress reports of that workday and
 * escalations that fell that day (from the accountability ledger, as attributed there); supervision teams recorded
 * as missing the day's report (the leader named). Annulled findings are void and named in neither new nor dispatched.
 */
export function dailyBulletin(
  pool: Pool,
  campaignId: string,
  date: LocalDate,
  asOf: string,
): Promise<CadenceSnapshot<DailyBulletinContent>> {
  assertLocalDate(date);
  const asOfIso = toUtcIso(asOf);
  const dayStart = startOfShanghaiDay(date);
  const dayEnd = endOfShanghaiDay(date);
  const checkpoints = [CP.findingLedger, CP.dispatchNotices, CP.accountability, CP.inspectionReports];
  return reportSnapshot(pool, checkpoints, asOfIso, async (client) => {
    const drafts: DraftItem[] = [];
    const person = (id: string | null, name: string | null): NamedPerson | null => (id ? { userId: id, name: name ?? '' } : null);

    const recorded = await client.query(
      `SELECT finding_id, notice_no, town_unit_id, recorded_by_id, recorded_by_name, severity, village, household,
              description
         FROM finding_ledger_v2
        WHERE campaign_id = $1 AND recorded_at >= $2 AND recorded_at < $3 AND state <> 'Annulled' AND NOT ${isImported()}`,
      [campaignId, dayStart, dayEnd],
    );
    for (const r of recorded.rows) {
      drafts.push({
        kind: 'new',
        findingId: r.finding_id,
        noticeNo: r.notice_no,
        unitId: r.town_unit_id ?? 'unknown',
        person: person(r.recorded_by_id, r.recorded_by_name),
        detail: newFindingText(r),
      });
    }

    const dispatched = await client.query(
      `SELECT n.finding_id, n.notice_no, n.kind, n.unit_id, n.from_unit_id, n.signer_id, n.signer_name,
              to_char(n.due_date, 'YYYY-MM-DD') AS due_date
         FROM dispatch_notices_v1 n
         LEFT JOIN finding_ledger_v2 f ON f.finding_id = n.finding_id
        WHERE n.campaign_id = $1 AND n.issued_at >= $2 AND n.issued_at < $3
          AND f.state IS DISTINCT FROM 'Annulled'`,
      [campaignId, dayStart, dayEnd],
    );
    for (const r of dispatched.rows) {
      drafts.push({
        kind: 'dispatched',
        findingId: r.finding_id,
        noticeNo: r.notice_no,
        unitId: r.unit_id,
        person: person(r.signer_id, r.signer_name),
        detail: dispatchedText(r),
      });
    }

    const closed = await client.query(
      `SELECT finding_id, notice_no, unit_id, rectification_signed_by_id, rectification_signed_by_name, owner_id,
              owner_name, verified_by_name, to_char(due_date, 'YYYY-MM-DD') AS due_date,
              (rectification_signed_at <= deadline_at) AS on_time
         FROM finding_ledger_v2
        WHERE campaign_id = $1 AND state = 'Closed' AND closed_at >= $2 AND closed_at < $3 AND NOT ${isImportedHistory()}`,
      [campaignId, dayStart, dayEnd],
    );
    for (const r of closed.rows) {
      drafts.push({
        kind: 'closed',
        findingId: r.finding_id,
        noticeNo: r.notice_no,
        unitId: r.unit_id ?? 'unknown',
        person: person(r.rectification_signed_by_id ?? r.owner_id, r.rectification_signed_by_name ?? r.owner_name),
        detail: closedText(r),
      });
    }

    const overdue = await client.query(
      `SELECT finding_id, notice_no, unit_id, owner_id, owner_name, to_char(due_date, 'YYYY-MM-DD') AS due_date,
              deadline_at
         FROM finding_ledger_v2
        WHERE campaign_id = $1 AND ${canBeOverdue('state')} AND deadline_at < $2`,
      [campaignId, asOfIso],
    );
    for (const r of overdue.rows) {
      drafts.push({
        kind: 'overdue',
        findingId: r.finding_id,
        noticeNo: r.notice_no,
        unitId: r.unit_id ?? 'unknown',
        person: person(r.owner_id, r.owner_name),
        detail: overdueText(r, asOfIso),
      });
    }

    const ledger = await client.query(
      `SELECT finding_id, stream_version, kind, notice_no, unit_id, person_id, person_name, detail
         FROM accountability_ledger_v1
        WHERE campaign_id = $1
          AND ((kind = 'missed_report' AND workday = $4::date)
            OR (kind = 'escalation' AND occurred_at >= $2 AND occurred_at < $3))`,
      [campaignId, dayStart, dayEnd, date],
    );
    for (const r of ledger.rows) {
      drafts.push({
        kind: r.kind === 'missed_report' ? 'missed_progress_report' : 'escalated',
        findingId: r.finding_id,
        noticeNo: r.notice_no,
        unitId: r.unit_id,
        person: person(r.person_id, r.person_name),
        detail: accountabilityText(r),
      });
    }

    const teams = await client.query(
      `SELECT team_id, status, missed_against_id, missed_against_name, cutoff_at
         FROM inspection_reports_v1
        WHERE campaign_id = $1 AND date = $2::date AND status IN ('missed', 'missed_then_filed')`,
      [campaignId, date],
    );
    for (const r of teams.rows) {
      drafts.push({
        kind: 'missed_inspection_report',
        findingId: null,
        noticeNo: null,
        unitId: r.team_id,
        person: person(r.missed_against_id, r.missed_against_name),
        detail: missedInspectionReportText(r, date),
      });
    }

    const names = await new DirectoryQuery(client).unitNames([
      ...drafts.map((d) => d.unitId),
      ...dispatched.rows.map((r) => r.from_unit_id).filter(Boolean),
    ]);
    const name = (id: string): string => names.get(id) ?? id;
    const items: BulletinItem[] = drafts
      .map((d) => ({
        kind: d.kind,
        findingId: d.findingId,
        noticeNo: d.noticeNo,
        unitId: d.unitId,
        unitName: name(d.unitId),
        person: d.person,
        detail: typeof d.detail === 'string' ? d.detail : d.detail(name),
      }))
      .sort(compareItems);
    const byUnit = bulletinRows(items);
    const totals = byUnit.reduce((t, u) => {
      for (const k of COUNT_FIELDS) t[k] += u[k];
      return t;
    }, zeroCounts());
    return { date, totals, byUnit, items };
  });
}

/**
 * A bulletin item before the unit names are read. Its wording may name another unit (a reassignment's previous one),
 * so it can be a function of the names.
 */
type DraftItem = Omit<BulletinItem, 'unitName' | 'detail'> & { detail: string | ((name: (id: string) => string) => string) };

const COUNT_FIELDS = [
  'newFindings',
  'dispatched',
  'closed',
  'overdue',
  'missedProgressReports',
  'missedInspectionReports',
  'escalations',
] as const;

const FIELD_OF_KIND: Record<BulletinItemKind, (typeof COUNT_FIELDS)[number]> = {
  new: 'newFindings',
  dispatched: 'dispatched',
  closed: 'closed',
  overdue: 'overdue',
  missed_progress_report: 'missedProgressReports',
  missed_inspection_report: 'missedInspectionReports',
  escalated: 'escalations',
};

const zeroCounts = (): BulletinTotals => ({
  newFindings: 0,
  dispatched: 0,
  closed: 0,
  overdue: 0,
  missedProgressReports: 0,
  missedInspectionReports: 0,
  escalations: 0,
});

function bulletinRows(items: readonly BulletinItem[]): BulletinUnitRow[] {
  const rows = new Map<string, BulletinUnitRow>();
  for (const item of items) {
    let row = rows.get(item.unitId);
    if (!row) {
      row = { unitId: item.unitId, unitName: item.unitName, ...zeroCounts() };
      rows.set(item.unitId, row);
    }
    row[FIELD_OF_KIND[item.kind]] += 1;
  }
  return [...rows.values()].sort((a, b) => cmp(a.unitId, b.unitId));
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** By kind (in the domain's order), unit, finding, then the wording: the same content always lists the same way. */
function compareItems(a: BulletinItem, b: BulletinItem): number {
  return (
    BULLETIN_ITEM_KINDS.indexOf(a.kind) - BULLETIN_ITEM_KINDS.indexOf(b.kind) ||
    cmp(a.unitId, b.unitId) ||
    cmp(a.findingId ?? '', b.findingId ?? '') ||
    cmp(a.detail, b.detail) ||
    cmp(a.person?.userId ?? '', b.person?.userId ?? '')
  );
}
