import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { CadenceService, type CommandMeta, type DispatchFindings, type FindingCommandRequest, firingTime, type WriteSide } from '@duban/application';
import {
  type Actor,
  addDays,
  DEMO_HISTORY_CAMPAIGN_ID,
  DEMO_HISTORY_NAME_PREFIX,
  DEMO_USERS,
  type FindingContext,
  type LocalDate,
  shanghaiDateOf,
  shanghaiInstant,
} from '@duban/domain';
import type { EventStore } from '@duban/event-store';
import { CadenceSources, type ProjectionRunner } from '@duban/read-models';
import type { FindingTimer } from '@duban/contracts';
import type { EvidenceIntake } from '../../evidence/storage/evidence-intake';
import type { EvidenceUploadsRepository } from '../../evidence/storage/evidence-uploads.repository';
import { demoPhoto } from './demo-photos';
import { DEMO_FINDINGS, DEMO_STEPS, type DemoStep } from './scenario';

export interface DemoHistoryDeps {
  store: EventStore;
  /** The write side every entry point uses, with the evidence catalog (evidence references are checked). */
  write: WriteSide;
  evidence: EvidenceIntake;
  uploads: Pick<EvidenceUploadsRepository, 'files'>;
  /** The projections, run here so the monthly review is computed from caught-up ledgers, as the worker would. */
  projections: ProjectionRunner;
  pool: Pool;
}

export interface DemoHistoryResult {
  campaignId: string;
  firstDay: LocalDate;
  findings: number;
  stepsRun: number;
  timersFired: number;
  monthlyReview: string | null;
  alreadyThere: boolean;
}

/** How many calendar days before the seed day the demo campaign starts. */
const HISTORY_DAYS = 35;

const person = (id: string): Actor => {
  const u = DEMO_USERS.find((x) => x.id === id);
  if (!u) throw new Error(`demo history names unknown person ${id}`);
  return { userId: u.id, name: u.name, unitId: u.unitId, role: u.role };
};

/** A UUID made from the finding's number: the same ids every run. */
export const demoFindingId = (n: number): string => {
  const h = createHash('sha256').update(`duban-demo-history:finding:${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const demoCampaignSettings = (firstDay: LocalDate) => ({
  campaignId: DEMO_HISTORY_CAMPAIGN_ID,
  name: `${DEMO_HISTORY_NAME_PREFIX}郸城县农村低收入人口动态监测帮扶整改专项行动`,
  noticePrefix: '郸演督',
  phases: [
    { code: 'inspection' as const, name: '排查阶段', startDate: firstDay, endDate: addDays(firstDay, 13) },
    { code: 'rectification' as const, name: '集中整改阶段', startDate: addDays(firstDay, 14), endDate: addDays(firstDay, HISTORY_DAYS + 40) },
    { code: 'improvement' as const, name: '提升阶段', startDate: addDays(firstDay, HISTORY_DAYS + 41), endDate: addDays(firstDay, HISTORY_DAYS + 90) },
  ],
  // A week's look-back (the default is 30 days) so the month shows a reopen after 回头看.
  policy: { lookBackAfterDays: 7 },
  calendarOverrides: { restDays: [], workDays: [] },
});

/**
 * Writes the demo campaign's month through the domain, at past instants: every person's step through the write side
 * with its own time, and between the steps every timer the stream plans fired at its own instant as the worker's
 * FindingTimers fires it (same command, same key) — so the live workflows, which plan from the stream, find
 * nothing due before now. Daily inspection reports, the missed ones recorded at each cutoff, and the last complete
 * month's review published by the cadence service. Deterministic (ids, keys and bytes from fixed names) and
 * idempotent: a run over a campaign already there adds nothing.
 */
export async function seedDemoHistory(deps: DemoHistoryDeps, now: Date): Promise<DemoHistoryResult> {
  const nowIso = now.toISOString();
  const { write, store } = deps;
  const existing = await write.campaignContexts.current(DEMO_HISTORY_CAMPAIGN_ID);
  const firstDay: LocalDate =
    existing.state.status === 'Empty' ? addDays(shanghaiDateOf(nowIso), -HISTORY_DAYS) : existing.state.settings.phases[0].startDate;
  const meta = (key: string, at: string): CommandMeta => ({ idempotencyKey: `demo-history:${key}`, correlationId: 'demo-seed', at });
  const admin = person('admin-1');
  await write.campaigns.handle({ type: 'CreateCampaign', data: demoCampaignSettings(firstDay) }, admin, meta('campaign', shanghaiInstant(addDays(firstDay, -1), '17:00')));
  const ctx = (await write.campaignContexts.context(DEMO_HISTORY_CAMPAIGN_ID)) as FindingContext;
  const cal = ctx.calendar;
  const workdays: LocalDate[] = [];
  for (let d = cal.isWorkday(firstDay) ? firstDay : cal.addWorkdaysToDate(firstDay, 1); workdays.length < 40; d = cal.addWorkdaysToDate(d, 1)) workdays.push(d);
  const at = (k: number, time: string) => shanghaiInstant(workdays[k], time);

  const timers = write.timers;
  const ids = DEMO_FINDINGS.map((f) => demoFindingId(f.n));
  let timersFired = 0;
  // Each finding's planned timers, re-read from its stream after anything happened to it.
  const plans = new Map<string, FindingTimer[]>();
  const planOf = async (findingId: string) => {
    if (!plans.has(findingId)) plans.set(findingId, (await timers.plan(findingId)).timers);
    return plans.get(findingId)!;
  };
  /** Fires every timer due by `until`, earliest first, across the demo findings — what the workflows would have done. */
  const advance = async (until: string) => {
    for (;;) {
      let next: { findingId: string; timer: FindingTimer } | null = null;
      for (const findingId of ids) {
        for (const timer of await planOf(findingId)) {
          if (timer.dueAt <= until && (!next || timer.dueAt < next.timer.dueAt)) next = { findingId, timer };
        }
      }
      if (!next) return;
      const fired = await timers.fire(next.findingId, next.timer, `demo-seed:${next.timer.key}`);
      plans.delete(next.findingId);
      timersFired += fired.appended.length ? 1 : 0;
    }
  };

  /** The step's photo, uploaded as its signer would have (once: a second run finds the upload on record). */
  const photos = async (step: DemoStep, by: Actor, when: string): Promise<string[]> => {
    if (!('photo' in step) || !step.photo) return [];
    const bytes = await demoPhoto(step.photo);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if ((await deps.uploads.files([sha256], by.userId)).length) return [sha256];
    return [(await deps.evidence.accept({ bytes, name: step.photo, declaredType: 'image/png' }, by, new Date(when))).sha256];
  };

  const ordered = [...DEMO_STEPS].map((s, i) => ({ s, i, when: at(s.k, s.time) })).sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : a.i - b.i));
  const inspectionDays = workdays.filter((d) => d <= demoCampaignSettings(firstDay).phases[0].endDate);
  const events: Array<{ when: string; run: () => Promise<unknown> }> = [
    ...ordered.map(({ s, i, when }) => ({ when, run: () => runStep(s, i, when) })),
    ...inspectionDays.flatMap((date, day) => inspectionDay(date, day)),
  ].sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : 0));

  async function runStep(s: DemoStep, i: number, when: string): Promise<void> {
    const by = person(s.by);
    const key = `step:${i}`;
    if (s.type === 'DispatchFindings') {
      const command: DispatchFindings = { type: 'DispatchFindings', findingIds: s.findings.map(demoFindingId), data: { unitId: s.unitId, note: s.note } };
      await write.findings.dispatchBatch(command, by, meta(key, when));
      command.findingIds.forEach((id) => plans.delete(id));
      return;
    }
    const findingId = demoFindingId(s.finding);
    const evidence = await photos(s, by, when);
    let command: FindingCommandRequest;
    if (s.type === 'RecordFinding') {
      const f = DEMO_FINDINGS[s.finding - 1];
      const { n: _n, ...data } = f;
      command = { type: 'RecordFinding', findingId, data: { ...data, findingId, campaignId: DEMO_HISTORY_CAMPAIGN_ID, evidence } };
    } else if ('evidence' in s.data) {
      command = { type: s.type, findingId, data: { ...s.data, evidence: [...s.data.evidence, ...evidence] } } as FindingCommandRequest;
    } else {
      command = { type: s.type, findingId, data: s.data } as FindingCommandRequest;
    }
    await write.findings.handle(command, by, meta(key, when));
    plans.delete(findingId);
  }

  /** Each team files its 日督查报告 at 17:00, but a few days go missing; the cutoff records the missed ones. */
  function inspectionDay(date: LocalDate, day: number): Array<{ when: string; run: () => Promise<unknown> }> {
    const teams = DEMO_USERS.filter((u) => u.role === 'inspector' && /组长/.test(u.title));
    const recorded = DEMO_STEPS.filter((s) => s.type === 'RecordFinding' && workdays[s.k] === date);
    return [
      ...teams
        .filter((_, t) => (t + day) % 6 !== 5)
        .map((leader) => ({
          when: shanghaiInstant(date, '17:00'),
          run: () =>
            write.inspections.handle(
              {
                type: 'FileInspectionReport',
                data: {
                  campaignId: DEMO_HISTORY_CAMPAIGN_ID,
                  teamId: leader.unitId,
                  date,
                  householdsVisited: 20 + ((day * 7 + leader.unitId.length) % 15),
                  unitsVisited: 2 + (day % 3),
                  findingIds: recorded.filter((s) => 'finding' in s && person(s.by).unitId === leader.unitId).map((s) => demoFindingId((s as { finding: number }).finding)),
                  summary: '按排查清单入户核查，发现问题已登记',
                },
              },
              person(leader.id),
              meta(`inspection:${leader.unitId}:${date}`, shanghaiInstant(date, '17:00')),
            ),
        })),
      { when: shanghaiInstant(date, ctx.campaign.policy.inspectionCutoff), run: () => cadence.recordMissedInspectionReports({ campaignId: DEMO_HISTORY_CAMPAIGN_ID, date }, 'demo-seed') },
    ];
  }

  const cadence = new CadenceService(write, new CadenceSources(deps.pool, { waitForHead: () => catchUp(deps.projections) }));
  let stepsRun = 0;
  for (const e of events) {
    if (e.when > nowIso) break;
    await advance(e.when);
    try {
      await e.run();
    } catch (err) {
      // The scenario is fixed: a refusal here is a bug in it, named by its instant.
      throw new Error(`demo history step at ${e.when} refused: ${(err as Error).message}`, { cause: err });
    }
    stepsRun++;
  }
  await advance(nowIso);

  const monthlyReview = await publishLastMonthlyReview(cadence, firingTime(ctx.campaign, 'monthly_review'), nowIso);
  return { campaignId: DEMO_HISTORY_CAMPAIGN_ID, firstDay, findings: ids.length, stepsRun, timersFired, monthlyReview, alreadyThere: existing.state.status !== 'Empty' };
}

/** The review of the last month whose run instant has passed (the 1st workday of the next month), published once. */
async function publishLastMonthlyReview(cadence: CadenceService, time: string, nowIso: string): Promise<string | null> {
  const today = shanghaiDateOf(nowIso);
  for (const monthStart of [`${today.slice(0, 7)}-01`, `${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`]) {
    const plan = await cadence.plan({ campaignId: DEMO_HISTORY_CAMPAIGN_ID, cadence: 'monthly_review', firedAt: shanghaiInstant(monthStart, time) });
    if (plan.action !== 'run' || plan.runAt > nowIso) continue;
    await cadence.publish({ campaignId: DEMO_HISTORY_CAMPAIGN_ID, plan }, 'demo-seed');
    return plan.periodKey;
  }
  return null;
}

/** Runs the projections to the log's head (nothing else writes while the seed runs). */
async function catchUp(runner: ProjectionRunner): Promise<void> {
  for (let i = 0; ; i++) {
    await runner.catchUp();
    try {
      await runner.waitForHead({ timeoutMs: 200, pollMs: 20 });
      return;
    } catch (err) {
      if (i > 100) throw err;
    }
  }
}

