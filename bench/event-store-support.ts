import type { Pool } from 'pg';
import type { Actor, FindingCommand } from '@duban/domain';
import { actors, testCampaign } from '@duban/domain/testing/fixtures';
import { CampaignWriter, forEachConcurrently } from './support';

// Shared by the event-store benches (./event-store.bench.ts, ./event-store-appends.ts) and the Temporal bench: the
// sizes, and a realistic log written through the application layer.

export const QUICK = process.env.BENCH_QUICK === '1';
const scale = (n: number) => (QUICK ? Math.max(20, Math.round(n / 10)) : n);
export const SIZES = {
  warmup: scale(200),
  sequential: scale(2000),
  concurrent: scale(4000),
  concurrency: 8,
  hot: scale(2000),
  hotConcurrent: scale(1000),
  /** Target size of the realistic log used by benches 3–5. */
  logEvents: scale(12000),
  readPasses: 3,
  verifyPasses: 3,
  readBatch: 500,
};

export const clock = { now: () => new Date() };
export const UNIT_NAMES: Record<string, string> = { 'town-a': '宁平镇', 'dept-b': '县住建局' };

// ---------- the realistic log: findings driven through the domain ----------

export const sh = (local: string): string => `${local.replace(' ', 'T')}:00+08:00`;

export const recordData = (findingId: string, severity: 'red' | 'yellow' | 'blue' = 'yellow', categoryCode = '2.3') => ({
  findingId,
  campaignId: 'c1',
  source: 'household_inspection' as const,
  categoryCode,
  severity,
  townUnitId: 'town-a',
  village: '张庄村',
  household: '张某某',
  description: '住房安全鉴定后未落实改造',
  evidence: ['photo-1'],
});

type Step = [type: FindingCommand['type'], data: Record<string, unknown>, actor: Actor, at: string];

/** Three lifecycles, as in libs/read-models/test/projections.spec.ts: closed after a rejection, reassigned, annulled. */
function lifecycle(findingId: string, kind: number): Step[] {
  const { inspector, supervisor, supervisor2, officialA, officialB } = actors;
  const dispatch: Step = ['DispatchFinding', { unitId: 'town-a' }, supervisor, sh('2026-10-12 15:00')];
  if (kind === 0 || kind === 1) {
    return [
      ['RecordFinding', recordData(findingId, kind === 0 ? 'yellow' : 'red'), inspector, sh('2026-10-12 09:00')],
      dispatch,
      ['ClaimFinding', {}, officialA, sh('2026-10-13 09:00')],
      ['SubmitRectificationPlan', { plan: '一户一策改造', measures: ['鉴定', '施工'], plannedCompletionDate: '2026-10-20' }, officialA, sh('2026-10-13 10:00')],
      ['ReportProgress', { summary: '已完成鉴定', percent: 30, evidence: ['p-1'] }, officialA, sh('2026-10-13 17:00')],
      ['ReportProgress', { summary: '施工过半', percent: 60, evidence: ['p-2'] }, officialA, sh('2026-10-14 17:00')],
      ['RequestExtension', { workdays: 3, reason: '材料未到' }, officialA, sh('2026-10-15 09:00')],
      ['GrantExtension', {}, supervisor, sh('2026-10-15 10:00')],
      ['SubmitRectification', { summary: '改造完成', evidence: ['done-1'] }, officialA, sh('2026-10-16 09:00')],
      ['RejectRectification', { reason: '佐证不全' }, supervisor2, sh('2026-10-16 15:00')],
      ['SubmitRectification', { summary: '补充佐证', evidence: ['done-2'] }, officialA, sh('2026-10-19 09:00')],
      ['VerifyRectification', { note: '同意销号' }, supervisor, sh('2026-10-19 15:00')],
    ];
  }
  if (kind === 2) {
    return [
      ['RecordFinding', recordData(findingId, 'red', '2.4'), inspector, sh('2026-10-12 09:30')],
      dispatch,
      ['ClaimFinding', {}, officialA, sh('2026-10-13 09:00')],
      ['ReassignFinding', { toUnitId: 'dept-b', reason: '属行业部门职责' }, supervisor, sh('2026-10-14 09:00')],
      ['ClaimFinding', {}, officialB, sh('2026-10-14 10:00')],
    ];
  }
  return [
    ['RecordFinding', recordData(findingId), inspector, sh('2026-10-12 10:00')],
    ['AnnulFinding', { reason: '重复登记' }, supervisor, sh('2026-10-12 11:00')],
  ];
}
/** Events per finding of each kind, including the campaign's notice event for a dispatch. */
const EVENTS_PER_KIND = [13, 13, 6, 2];

/**
 * Writes findings the way the API does (CampaignWriter in ./support: decide on current state, append with the expected
 * version and an idempotency record; a dispatch appends the campaign's notice number atomically with the finding's
 * event), 8 findings at a time.
 */
export async function generateLog(pool: Pool, targetEvents: number): Promise<{ findings: number; events: number; seconds: number }> {
  const writer = await CampaignWriter.create(
    pool,
    { campaignId: 'c1', name: testCampaign.name, noticePrefix: testCampaign.noticePrefix, phases: testCampaign.phases },
    actors.admin,
    sh('2026-09-01 09:00'),
  );
  const plan: number[] = [];
  let events = writer.events;
  while (events < targetEvents) {
    const kind = plan.length % 4;
    plan.push(kind);
    events += EVENTS_PER_KIND[kind];
  }
  const started = Date.now();
  await forEachConcurrently(plan.length, SIZES.concurrency, async (n) => {
    const findingId = `bench-${String(n).padStart(5, '0')}`;
    for (const [type, data, actor, now] of lifecycle(findingId, plan[n])) await writer.exec(findingId, type, data, actor, now);
  });
  return { findings: plan.length, events: writer.events, seconds: (Date.now() - started) / 1000 };
}
