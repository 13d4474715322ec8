import type { Pool } from 'pg';
import type { OfficialCalendarData } from '@duban/domain/calendar/official-data';
import type { DailyDispatchListContent, DispatchListItem } from '@duban/domain/cadence/reports';
import { calendarFor } from '@duban/domain/campaigns/deadline';
import { DEFAULT_POLICY, type CampaignPolicy } from '@duban/domain/campaigns/policy';
import { dispatchDueAt } from '@duban/domain/findings/timers';
import { NotFoundError } from '@duban/domain/shared/errors';
import { assertLocalDate, type LocalDate, toUtcIso } from '@duban/domain/shared/local-date';
import type { CadenceSnapshot } from './cadence.contract';
import { REPORT_CHECKPOINTS as CP, reportSnapshot } from './report-snapshot';

/**
 * 日交办: what is recorded and not yet dispatched, flagged once its dispatch SLA (the domain's `dispatchDueAt`, on the
 * campaign's calendar and policy, as the finding's timer computes it) has ended by `asOf`; and the notices issued since
 * the previous list (sequence > sinceSequence), with whether the campaign's notice numbers run 1..last without a gap.
 * A notice's sequence is read from its number (…〔year〕N号, as the campaign formats it).
 */
export function dailyDispatchList(
  pool: Pool,
  campaignId: string,
  date: LocalDate,
  asOf: string,
  sinceSequence: number,
  official?: OfficialCalendarData,
): Promise<CadenceSnapshot<DailyDispatchListContent>> {
  assertLocalDate(date);
  const asOfIso = toUtcIso(asOf);
  const asOfMs = Date.parse(asOfIso);
  return reportSnapshot(pool, [CP.campaigns, CP.findingLedger, CP.dispatchNotices], asOfIso, async (client) => {
    const campaign = await client.query<{
      policy: Partial<CampaignPolicy>;
      calendar_overrides: { restDays?: string[]; workDays?: string[] } | null;
    }>('SELECT policy, calendar_overrides FROM campaigns_v1 WHERE campaign_id = $1', [campaignId]);
    if (!campaign.rows.length) throw new NotFoundError('CAMPAIGN_NOT_FOUND', `专项行动 ${campaignId} 不存在`);
    const policy = { ...DEFAULT_POLICY, ...campaign.rows[0].policy };
    const overrides = campaign.rows[0].calendar_overrides ?? {};
    const calendar = calendarFor({
      calendarOverrides: { restDays: overrides.restDays ?? [], workDays: overrides.workDays ?? [] },
    }, official);

    const recorded = await client.query(
      `SELECT finding_id, town_unit_id, severity, recorded_at, recorded_by_id, recorded_by_name
         FROM finding_ledger_v2
        WHERE campaign_id = $1 AND state = 'Recorded'
        ORDER BY recorded_at, finding_id COLLATE "C"`,
      [campaignId],
    );
    const flagged: DispatchListItem[] = [];
    const pending: DispatchListItem[] = [];
    for (const r of recorded.rows) {
      const recordedAt = (r.recorded_at as Date).toISOString();
      const dueAt = dispatchDueAt(recordedAt, policy, calendar);
      const item: DispatchListItem = {
        findingId: r.finding_id,
        townUnitId: r.town_unit_id,
        severity: r.severity,
        recordedAt,
        recordedBy: r.recorded_by_id ? { userId: r.recorded_by_id, name: r.recorded_by_name ?? '' } : null,
        dueAt,
      };
      (Date.parse(dueAt) <= asOfMs ? flagged : pending).push(item);
    }

    const notices = await client.query<{
      notice_no: string;
      sequence: number;
      unit_id: string | null;
      finding_count: number;
      at: Date;
    }>(
      `SELECT notice_no, sequence, CASE WHEN count(DISTINCT unit_id) = 1 THEN min(unit_id) END AS unit_id,
              count(*)::int AS finding_count, min(issued_at) AS at
         FROM (SELECT notice_no, unit_id, issued_at,
                      substring(notice_no from '〔[0-9]+〕([0-9]+)号$')::int AS sequence
                 FROM dispatch_notices_v1 WHERE campaign_id = $1) n
        WHERE sequence IS NOT NULL
        GROUP BY notice_no, sequence
        ORDER BY sequence, notice_no COLLATE "C"`,
      [campaignId],
    );
    const sequences = new Set(notices.rows.map((n) => n.sequence));
    const lastNoticeSequence = notices.rows.reduce((m, n) => Math.max(m, n.sequence), 0);
    let gapless = sequences.size === lastNoticeSequence;
    for (let s = 1; gapless && s <= lastNoticeSequence; s++) gapless = sequences.has(s);
    return {
      date,
      flagged,
      pending,
      notices: notices.rows
        .filter((n) => n.sequence > sinceSequence)
        .map((n) => ({
          noticeNo: n.notice_no,
          sequence: n.sequence,
          unitId: n.unit_id,
          findingCount: n.finding_count,
          at: n.at.toISOString(),
        })),
      lastNoticeSequence,
      noticeSequenceGapless: gapless,
    };
  });
}
