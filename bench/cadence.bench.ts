import {
  addDays,
  compareLocalDates,
  isoWeekOf,
  type LocalDate,
  monthOf,
  scoreAndRank,
  scoringFormula,
  shanghaiInstant,
} from '@duban/domain';
import { testCampaign } from '@duban/domain/testing/fixtures';
import { CadenceSources, createProjections, ProjectionRunner } from '@duban/read-models';
import type { Pool } from 'pg';
import {
  admin,
  AS_OF,
  COUNTY,
  COUNTY_FINDINGS,
  DAY,
  FIRST_DAY,
  PROVINCE,
  profiles,
  QUICK,
  RANKINGS,
  RUNS,
  SCALE,
  DEPARTMENTS,
  supervisors,
  TEAMS,
  TOWNS,
  UNIT_NAMES,
  WRITERS,
} from './cadence-county';
import { FindingLife } from './cadence-finding-life';
import { catchUp, cloneCampaign, COUNTY_UNITS, driveInspectionDays, publish } from './cadence-seed';
import {
  BenchServer,
  CampaignWriter,
  forEachConcurrently,
  interleaved,
  type Measurement,
  newPool,
  percentile,
  Row,
  say,
  timeOnce,
} from './support';

/**
 * What the worker's cadence reports (日报/通报, 日交办, 周调度, 月考评) cost to compute from the read models, at county
 * scale and at ten times that, each against reading the campaign's 问题台账 once in the same run.
 *
 * The county campaign is written through libs/application the way the API, the finding workflows and the cadence
 * write it (CampaignWriter in ./support, FindingLife in ./cadence-finding-life, the teams' days and the reports in
 * ./cadence-seed), every finding driven day by day from 10-09 to the report day with its timers fired at their
 * instants (missed progress reports, dispatch/claim/verification SLAs, overdue and the escalation ladder, look-backs),
 * the supervision teams' daily reports filed or missed, and projected by the ProjectionRunner. The 10× campaign is
 * the county's projected rows cloned ten times into a second campaign (new finding ids and notice numbers): the same
 * shapes and timings at ten times the density, without ten minutes of writing and projecting.
 */
type ReportName = 'dailyBulletin' | 'dailyDispatchList' | 'weeklyUnits' | 'monthlyMetrics';
const REPORTS: Array<{ name: ReportName; label: string }> = [
  { name: 'dailyBulletin', label: 'dailyBulletin 日报/通报' },
  { name: 'dailyDispatchList', label: 'dailyDispatchList 日交办' },
  { name: 'weeklyUnits', label: 'weeklyUnits 周调度' },
  { name: 'monthlyMetrics', label: 'monthlyMetrics 月考评' },
];

type ScaleResult = { label: string; findings: number; runs: Record<'baseline' | ReportName, Measurement> };

async function measureCampaign(app: Pool, sources: CadenceSources, campaignId: string, label: string, runs: number): Promise<ScaleResult> {
  const week = isoWeekOf(DAY);
  const since = await sources.lastDispatchListSequence(campaignId, DAY);
  const { rows } = await app.query<{ n: number }>('SELECT count(*)::int AS n FROM finding_ledger_v2 WHERE campaign_id = $1', [campaignId]);
  const variants: Record<'baseline' | ReportName, () => Promise<void>> = {
    baseline: async () => void (await app.query('SELECT * FROM finding_ledger_v2 WHERE campaign_id = $1', [campaignId])),
    dailyBulletin: async () => void (await sources.dailyBulletin(campaignId, DAY, AS_OF)),
    dailyDispatchList: async () => void (await sources.dailyDispatchList(campaignId, DAY, AS_OF, since)),
    weeklyUnits: async () => void (await sources.weeklyUnits(campaignId, week, AS_OF)),
    monthlyMetrics: async () => void (await sources.monthlyMetrics(campaignId, monthOf(DAY), AS_OF)),
  };
  for (const v of Object.values(variants)) for (let i = 0; i < 3; i++) await v(); // warm-up: plans, caches, JIT
  const measured = await interleaved(variants, runs, 1);
  return { label, findings: rows[0].n, runs: measured };
}

/** The tables the reports read. Vacuumed and analysed after seeding, as autovacuum would have by then. */
const READ_TABLES = [
  'finding_ledger_v2',
  'dispatch_notices_v1',
  'accountability_ledger_v1',
  'inspection_reports_v1',
  'cadence_reports_v1',
  'campaigns_v1',
  'campaign_lifecycle_v1',
  'directory_units_v1',
  'directory_users_v1',
  'subscription_checkpoints',
];

const sortedOf = (m: Measurement) => [...m.latencies].sort((a, b) => a - b);

export async function runCadenceBench(server: BenchServer): Promise<Row[]> {
  const db = await server.database('bench_cadence');
  const owner = newPool(db.adminUrl, 2);
  const app = newPool(db.appUrl, WRITERS + 2);
  try {
    await owner.query(
      `INSERT INTO directory_units (unit_id, name, kind, leader_user_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        ['county-office', ...TOWNS.map((u) => u.unitId), ...DEPARTMENTS.map((u) => u.unitId), ...TEAMS.map((u) => u.unitId)],
        ['县巩固办', ...TOWNS.map((u) => u.name), ...DEPARTMENTS.map((u) => u.name), ...TEAMS.map((u) => u.name)],
        ['county_office', ...TOWNS.map(() => 'town'), ...DEPARTMENTS.map(() => 'department'), ...TEAMS.map(() => 'supervision_team')],
        [null, ...TOWNS.map(() => null), ...DEPARTMENTS.map(() => null), ...TEAMS.map((t) => (t.hasLeader ? t.inspector.userId : null))],
      ],
    );
    const people = [...TEAMS.map((t) => t.inspector), ...supervisors];
    await owner.query(
      `INSERT INTO directory_users (user_id, name, unit_id, role) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [people.map((p) => p.userId), people.map((p) => p.name), people.map((p) => p.unitId), people.map((p) => p.role)],
    );

    const settle = async () => {
      const t = await timeOnce(0, () => owner.query(`VACUUM ANALYZE ${READ_TABLES.join(', ')}`));
      say(`cadence: VACUUM ANALYZE of the read models in ${t.seconds.toFixed(1)} s\n`);
    };

    // ---- the county campaign, written through the domain and projected
    const writer = await CampaignWriter.create(
      app,
      { campaignId: COUNTY, name: testCampaign.name, noticePrefix: '郸巩督', phases: testCampaign.phases },
      admin,
      shanghaiInstant('2026-08-25', '09:00'),
      COUNTY_UNITS,
    );
    const cal = writer.ctx.calendar;
    const workdays: LocalDate[] = [];
    for (let d = FIRST_DAY; compareLocalDates(d, DAY) <= 0; d = addDays(d, 1)) if (cal.isWorkday(d)) workdays.push(d);
    const ps = profiles(COUNTY, COUNTY_FINDINGS, workdays);
    const lives = ps.map((p) => new FindingLife(writer, p));
    const runner = new ProjectionRunner(app, createProjections({ unitName: (id) => UNIT_NAMES.get(id) ?? id }));
    const sources = new CadenceSources(app, runner);
    let writeSeconds = 0;
    let projectSeconds = 0;
    /** Lives every finding through `lastDay`, fires the timers due by `until`, and projects. */
    const stretch = async (lastDay: LocalDate, until: string, more?: () => Promise<void>) => {
      writeSeconds += (await timeOnce(0, async () => {
        await forEachConcurrently(lives.length, WRITERS, (i) => lives[i].through(lastDay, until));
        if (more) await more();
      })).seconds;
      projectSeconds += (await timeOnce(0, () => catchUp(owner, runner))).seconds;
    };
    say(`cadence: writing ${ps.length} findings of one county campaign day by day (${workdays[0]}..${DAY}, ${workdays.length} workdays), timers included…\n`);
    // Up to the previous Monday's 周调度 (its overdue weeks feed this week's), published as the worker publishes it.
    const prevWeek = isoWeekOf(addDays(DAY, -7));
    const prevAsOf = shanghaiInstant(prevWeek.monday, '09:00');
    await stretch(addDays(prevWeek.monday, -1), prevAsOf);
    const w = await sources.weeklyUnits(COUNTY, prevWeek, prevAsOf);
    const weekContent = { week: prevWeek.key, periodStart: prevWeek.monday, periodEnd: prevWeek.sunday, units: w.value };
    await publish(writer, { type: 'PublishWeeklyDispatch', data: { campaignId: COUNTY, periodKey: prevWeek.key, provenance: w.provenance, content: weekContent } }, prevAsOf);
    // Up to yesterday's 日交办 (its last notice number is where today's list starts).
    const yesterday = workdays[workdays.length - 2];
    const listAsOf = shanghaiInstant(yesterday, '09:00');
    await stretch(addDays(yesterday, -1), listAsOf);
    const since = await sources.lastDispatchListSequence(COUNTY, yesterday);
    const list = await sources.dailyDispatchList(COUNTY, yesterday, listAsOf, since);
    await publish(writer, { type: 'PublishDailyDispatchList', data: { campaignId: COUNTY, periodKey: yesterday, provenance: list.provenance, content: list.value } }, listAsOf);
    // The rest, to the report day's 18:00 cutoff, and every team's daily inspection reports.
    await stretch(DAY, AS_OF, async () => {
      writer.events += await driveInspectionDays(writer, workdays, ps);
    });
    say(
      `cadence: ${writer.events} events written in ${writeSeconds.toFixed(1)} s (${Math.round(writer.events / writeSeconds)} events/s, ${WRITERS} writers), ` +
        `projected in ${projectSeconds.toFixed(1)} s (${Math.round(writer.events / projectSeconds)} events/s)\n`,
    );
    await settle();

    // What the county's reports hold, so that it is clear they do real work.
    await sources.waitForProjections();
    const bulletin = (await sources.dailyBulletin(COUNTY, DAY, AS_OF)).value;
    const dispatchList = (await sources.dailyDispatchList(COUNTY, DAY, AS_OF, await sources.lastDispatchListSequence(COUNTY, DAY))).value;
    const weekly = (await sources.weeklyUnits(COUNTY, isoWeekOf(DAY), AS_OF)).value;
    const monthly = (await sources.monthlyMetrics(COUNTY, monthOf(DAY), AS_OF)).value;
    const { rows: shape } = await owner.query<{ state: string; n: number }>(
      `SELECT CASE WHEN state = 'Closed' AND rectification_signed_at <= deadline_at THEN 'Closed on time'
                   WHEN state = 'Closed' THEN 'Closed late'
                   WHEN state NOT IN ('Annulled', 'AwaitingVerification') AND deadline_at < $2 THEN state || ' overdue'
                   ELSE state END AS state, count(*)::int AS n
         FROM finding_ledger_v2 WHERE campaign_id = $1 GROUP BY 1 ORDER BY 2 DESC`,
      [COUNTY, AS_OF],
    );
    const { rows: ledger } = await owner.query<{ kind: string; n: number }>(
      `SELECT kind || COALESCE('/' || level, '') AS kind, count(*)::int AS n FROM accountability_ledger_v1
        WHERE campaign_id = $1 GROUP BY 1 ORDER BY 2 DESC`,
      [COUNTY],
    );
    say(`cadence: county ledger ${shape.map((r) => `${r.state} ${r.n}`).join(', ')}\n`);
    say(`cadence: accountability ledger ${ledger.map((r) => `${r.kind} ${r.n}`).join(', ')}\n`);
    say(
      `cadence: bulletin of ${DAY}: ${Object.entries(bulletin.totals).map(([k, v]) => `${k} ${v}`).join(', ')} (${bulletin.items.length} items, ${bulletin.byUnit.length} units); ` +
        `dispatch list ${dispatchList.flagged.length} flagged, ${dispatchList.pending.length} pending, ${dispatchList.notices.length} new notices of ${dispatchList.lastNoticeSequence}; ` +
        `weekly ${weekly.length} units, ${weekly.reduce((s, u) => s + u.overdue, 0)} overdue, ${weekly.reduce((s, u) => s + u.escalated, 0)} escalated; ` +
        `monthly ${monthly.length} units, ${monthly.reduce((s, u) => s + u.dueFindings, 0)} due, ${monthly.reduce((s, u) => s + u.missedDailyReports, 0)} missed reports\n`,
    );
    for (const [k, v] of Object.entries(bulletin.totals)) if (v === 0 && !QUICK) throw new Error(`the bulletin has no ${k}: the seed is too thin`);

    say(`cadence: measuring the county campaign (${RUNS.county} runs each, interleaved)…\n`);
    const county = await measureCampaign(app, sources, COUNTY, 'county', RUNS.county);

    // ---- the 10× campaign beside it
    say(`cadence: cloning the county's read-model rows ${SCALE}× into a second campaign…\n`);
    const cloned = await timeOnce(0, () => cloneCampaign(owner, COUNTY, PROVINCE, SCALE));
    say(`cadence: cloned in ${cloned.seconds.toFixed(1)} s\n`);
    await settle();
    say(`cadence: measuring the ${SCALE}× campaign (${RUNS.province} runs each) and the county again beside it…\n`);
    const province = await measureCampaign(app, sources, PROVINCE, `${SCALE}× campaign`, RUNS.province);
    const countyBeside = await measureCampaign(app, sources, COUNTY, `county, beside the ${SCALE}×`, RUNS.county);

    // ---- scoreAndRank, pure, over the county's 45 units as monthlyMetrics computed them
    const formula = scoringFormula('v1');
    for (let i = 0; i < 2_000; i++) scoreAndRank(monthly, formula);
    const rankLatencies: number[] = [];
    const rankStarted = process.hrtime.bigint();
    for (let i = 0; i < RANKINGS; i++) {
      const t0 = process.hrtime.bigint();
      scoreAndRank(monthly, formula);
      rankLatencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const rankSeconds = Number(process.hrtime.bigint() - rankStarted) / 1e9;
    const rankSorted = [...rankLatencies].sort((a, b) => a - b);
    const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

    // ---- the table
    const results = [county, province, countyBeside];
    const lines: string[] = [];
    const rows: Row[] = [];
    for (const r of results) {
      const base = sortedOf(r.runs.baseline);
      const b50 = percentile(base, 50);
      const b95 = percentile(base, 95);
      const bench = `9 cadence, ${r.label} (${r.findings.toLocaleString('en')} findings)`;
      const baseRow: Row = {
        bench,
        variant: 'SELECT * FROM finding_ledger_v2 WHERE campaign_id (baseline)',
        unit: 'reads',
        m: r.runs.baseline,
        note: `p95 ${b95.toFixed(2)} ms`,
      };
      rows.push(baseRow);
      lines.push(`| ${r.label} | ${r.findings.toLocaleString('en')} | ledger read (baseline) | ${b50.toFixed(2)} | ${b95.toFixed(2)} | baseline | baseline |`);
      for (const rep of REPORTS) {
        const s = sortedOf(r.runs[rep.name]);
        const p50 = percentile(s, 50);
        const p95 = percentile(s, 95);
        rows.push({
          bench,
          variant: rep.label,
          unit: 'reports',
          m: r.runs[rep.name],
          baseline: baseRow,
          note: `p95 ${p95.toFixed(2)} ms; latency p50 ${(p50 / b50).toFixed(2)}× / p95 ${(p95 / b95).toFixed(2)}× the baseline's`,
        });
        lines.push(`| ${r.label} | ${r.findings.toLocaleString('en')} | ${rep.label} | ${p50.toFixed(2)} | ${p95.toFixed(2)} | ${(p50 / b50).toFixed(2)}× | ${(p95 / b95).toFixed(2)}× |`);
      }
    }
    const growth = (name: 'baseline' | ReportName) =>
      `${(percentile(sortedOf(province.runs[name]), 50) / percentile(sortedOf(county.runs[name]), 50)).toFixed(1)}×`;
    rows.push({
      bench: '9 cadence, scoreAndRank (pure)',
      variant: `scoreAndRank over ${monthly.length} units (formula v1)`,
      unit: 'rankings',
      m: { ops: RANKINGS, seconds: rankSeconds, latencies: rankLatencies },
      note: `p50 ${us(percentile(rankSorted, 50))}, p95 ${us(percentile(rankSorted, 95))}`,
    });
    say('\ncadence reports: latency per report (ms), each ratio against the ledger read of the same campaign in the same run\n');
    say('| campaign | findings | report | p50 ms | p95 ms | p50 vs baseline | p95 vs baseline |\n|---|---|---|---|---|---|---|\n');
    say(lines.join('\n') + '\n');
    say(
      `growth ${county.findings.toLocaleString('en')} → ${province.findings.toLocaleString('en')} findings (p50): baseline ${growth('baseline')}, ` +
        REPORTS.map((r) => `${r.name} ${growth(r.name)}`).join(', ') +
        `\nscoreAndRank over ${monthly.length} units: p50 ${us(percentile(rankSorted, 50))}, p95 ${us(percentile(rankSorted, 95))} (${RANKINGS} calls)\n`,
    );
    return rows;
  } finally {
    await owner.end();
    await app.end();
  }
}
