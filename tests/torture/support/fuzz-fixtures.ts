import { generateKeyPairSync } from 'node:crypto';
import { DEMO_USERS } from '@duban/domain';
import { unitMetrics } from '@duban/domain/testing';
import { ed25519Signer, MerkleLogSealer } from '@duban/event-store';
import type { ApiHarness } from '../../support/api-harness';
import { DEMO_CAMPAIGN, findingBody } from '../../support/api-fixtures';
import { publishReport } from '../../support/cadence-fixtures';
import type { KnownValues } from './openapi-requests';

/** One person of each role; `anonymous` sends no token. */
export const ROLE_USERS: Record<string, string | null> = {
  admin: 'admin-1',
  supervisor: 'sup-1',
  inspector: 'insp-1',
  town_official: 'off-town-01-a',
  department_official: 'off-dept-housing-a',
  discipline_inspector: 'jw-1',
  anonymous: null,
};

/**
 * Something behind every endpoint, so generated requests reach real rows and each success schema is checked
 * against a real body: findings in three states with a dispatch notice, each kind of published cadence report
 * (the worker publishes them in production), and a signed checkpoint of the Merkle log (the worker's sealer).
 * Returns the ids the fuzzer should try first, by parameter or property name.
 */
export async function seedFuzzCounty(h: ApiHarness, key: () => string): Promise<KnownValues> {
  const post = async (userId: string, path: string, body: object) => {
    const res = await h.http().post(path).set('Authorization', `Bearer ${h.token(userId)}`).set('Idempotency-Key', key()).send(body);
    if (res.status >= 300) throw new Error(`fixture ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const recorded = (await post('insp-1', '/findings', findingBody())).findingId as string;
  const dispatched = (await post('insp-1', '/findings', findingBody({ severity: 'yellow' }))).findingId as string;
  const claimed = (await post('insp-1', '/findings', findingBody({ townUnitId: 'town-02', severity: 'blue' }))).findingId as string;
  const { noticeNo } = await post('sup-1', `/findings/${dispatched}/dispatch`, { unitId: 'town-01' });
  await post('sup-1', `/findings/${claimed}/dispatch`, { unitId: 'town-01' });
  await post('off-town-01-a', `/findings/${claimed}/claim`, {});
  await post('off-town-01-a', `/findings/${claimed}/plan`, { plan: '纳入危房改造', measures: ['鉴定'], plannedCompletionDate: '2026-11-26' });

  const provenance = { asOf: '2026-11-23T01:00:00.000Z', checkpoint: '1000:42' };
  const campaignId = DEMO_CAMPAIGN;
  await publishReport(h, {
    type: 'PublishDailyBulletin',
    data: {
      campaignId,
      periodKey: '2026-11-23',
      provenance,
      content: {
        date: '2026-11-23',
        totals: { newFindings: 3, dispatched: 2, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 1, escalations: 0 },
        byUnit: [
          { unitId: 'town-01', unitName: '洺北街道', newFindings: 2, dispatched: 2, closed: 0, overdue: 0, missedProgressReports: 0, missedInspectionReports: 0, escalations: 0 },
        ],
        items: [
          { kind: 'dispatched', findingId: dispatched, noticeNo, unitId: 'town-01', unitName: '洺北街道', person: null, detail: '交办' },
          { kind: 'missed_inspection_report', findingId: null, noticeNo: null, unitId: 'team-1', unitName: '第一督查组', person: { userId: 'insp-1', name: '陈红梅' }, detail: '未报日督查报告' },
        ],
      },
    },
  });
  await publishReport(h, {
    type: 'PublishDailyDispatchList',
    data: {
      campaignId,
      periodKey: '2026-11-23',
      provenance,
      content: {
        date: '2026-11-23',
        flagged: [],
        pending: [{ findingId: recorded, townUnitId: 'town-01', severity: 'red', recordedAt: '2026-11-23T02:00:00.000Z', recordedBy: { userId: 'insp-1', name: '陈红梅' }, dueAt: '2026-11-24T16:00:00.000Z' }],
        notices: [{ noticeNo, sequence: 1, unitId: 'town-01', findingCount: 1, at: '2026-11-23T02:00:00.000Z' }],
        lastNoticeSequence: 2,
        noticeSequenceGapless: true,
      },
    },
  });
  await publishReport(h, {
    type: 'PublishWeeklyDispatch',
    data: {
      campaignId,
      periodKey: '2026-W48',
      provenance,
      content: {
        week: '2026-W48',
        periodStart: '2026-11-23',
        periodEnd: '2026-11-29',
        units: [{ unitId: 'town-01', unitName: '洺北街道', open: 2, dueThisWeek: 1, overdue: 1, escalated: 0, previousOverdueWeeks: 2 }],
      },
    },
  });
  await publishReport(h, {
    type: 'PublishMonthlyReview',
    data: {
      campaignId,
      periodKey: '2026-11',
      provenance,
      content: {
        month: '2026-11',
        formulaVersion: 'v1',
        units: [unitMetrics('town-01', '洺北街道', { activeFindings: 2, dueFindings: 1, closedOnTime: 1 }), unitMetrics('town-02', '洺南街道')],
      },
    },
  });
  await h.catchUp();
  await new MerkleLogSealer(h.db.appPool, ed25519Signer(generateKeyPairSync('ed25519').privateKey), h.clock).catchUp();

  const { rows } = await h.db.adminPool.query<{ event_id: string }>('SELECT event_id::text FROM events ORDER BY position DESC LIMIT 2');
  const units = ['town-01', 'town-02', 'dept-housing', 'team-1', 'county-office'];
  return {
    findingId: [recorded, dispatched, claimed, '00000000-0000-4000-8000-000000000000'],
    campaignId: [campaignId],
    unitId: units,
    townUnitId: ['town-01', 'town-02', 'dept-housing'],
    toUnitId: ['town-02', 'dept-housing', 'team-1'],
    teamId: ['team-1', 'town-01'],
    userId: [...new Set(Object.values(ROLE_USERS).filter((u): u is string => !!u)), DEMO_USERS[10].id],
    // A person none of the fuzzing roles is, so a generated move or deactivation does not lock the fuzzer out.
    personId: [DEMO_USERS[10].id, 'p-unknown'],
    categoryCode: ['2.3', '1.1'],
    noticeNo: [noticeNo],
    eventId: rows.map((r) => r.event_id),
    date: ['2026-11-23', '2026-11-20'],
    from: ['2026-11-01', '2026-11-20T10:00:00+08:00'],
    to: ['2026-11-30'],
    plannedCompletionDate: ['2026-11-26'],
    week: ['2026-W48'],
    month: ['2026-11'],
    quarter: ['2026-Q4'],
    year: ['2026'],
    version: ['v1'],
  };
}
