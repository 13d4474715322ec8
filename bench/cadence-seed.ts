import type { Pool } from 'pg';
import { type CadenceReportCommandRequest } from '@duban/application';
import { type LocalDate, shanghaiInstant, SYSTEM_ACTOR } from '@duban/domain';
import { PostgresEventStore } from '@duban/event-store';
import type { ProjectionRunner } from '@duban/read-models';
import { DAY, mulberry32, type Profile, TEAMS, WRITERS } from './cadence-county';
import { type CampaignWriter, forEachConcurrently } from './support';

// Seeding the cadence bench's county beyond its findings (bench/cadence-finding-life.ts): the teams' days and the
// reports the worker would have published, through the write side the worker uses (libs/application); and the 10×
// campaign, cloned from the county's read-model rows.

/** The supervision teams are the directory's supervision_team units; every other unit the bench names is a town. */
export const COUNTY_UNITS = {
  unit: async (unitId: string) => ({ kind: TEAMS.some((t) => t.unitId === unitId) ? 'supervision_team' : 'town' }),
};

/**
 * The supervision teams' 日督查 through InspectionCommands, as the API and the worker send them: most filed by 17:00,
 * some missed at the cutoff (the worker's system command) and filed late, some missed.
 */
export async function driveInspectionDays(writer: CampaignWriter, workdays: LocalDate[], ps: Profile[]): Promise<number> {
  const { campaignId, write } = writer;
  const days = workdays.flatMap((date) => TEAMS.map((team) => ({ date, team })));
  let events = 0;
  await forEachConcurrently(days.length, WRITERS, async (i) => {
    const { date, team } = days[i];
    const r = mulberry32(0x7ea3 + i)();
    const file = async (time: string) => {
      const filed = await write.inspections.handle(
        {
          type: 'FileInspectionReport',
          data: {
            campaignId,
            teamId: team.unitId,
            date,
            householdsVisited: 20 + (i % 15),
            unitsVisited: 2,
            findingIds: ps.filter((p) => p.team === team && p.recordDay === date).map((p) => p.findingId),
            summary: '入户走访三个村',
          },
        },
        team.inspector,
        { idempotencyKey: `file:${campaignId}:${team.unitId}:${date}:${time}`, correlationId: `bench:${date}`, at: shanghaiInstant(date, time) },
      );
      events += filed.events.length;
    };
    const miss = async () => {
      const ctx = await write.inspections.dayContext(campaignId, date);
      if (!ctx) throw new Error(`no campaign ${campaignId} on ${date}`);
      const missed = await write.inspections.handle(
        { type: 'RecordMissedInspectionReport', data: { campaignId, teamId: team.unitId, date, leader: team.hasLeader ? team.inspector : null } },
        SYSTEM_ACTOR,
        { idempotencyKey: `inspection:${campaignId}:${team.unitId}:${date}`, correlationId: `bench:${date}`, at: ctx.cutoffAt },
      );
      events += missed.appended.length;
    };
    // The leaderless sixth team misses the report day itself, so that the bulletin always has a team to name.
    const leaderlessOnTheDay = !team.hasLeader && date === DAY;
    if (r < 0.88 && !leaderlessOnTheDay) return file('17:00');
    await miss();
    if (r < 0.95 && date !== DAY) await file('20:30');
  });
  return events;
}

/** A report as the worker publishes it (CadenceReportCommands), signed by the system at the run's instant. */
export async function publish(writer: CampaignWriter, command: CadenceReportCommandRequest, now: string): Promise<void> {
  const { campaignId, periodKey } = command.data;
  await writer.write.cadenceReports.handle(command, SYSTEM_ACTOR, {
    idempotencyKey: `cadence:${campaignId}:${command.type}:${periodKey}`,
    correlationId: `bench:${periodKey}`,
    at: now,
  });
}

/** Projects everything up to the newest event committed (catchUp alone may stop short of an in-flight transaction). */
export async function catchUp(pool: Pool, runner: ProjectionRunner): Promise<void> {
  const head = await new PostgresEventStore(pool, { now: () => new Date() }).head();
  if (!(await runner.catchUpTo(head, { timeoutMs: 900_000, batchSize: 500 }))) {
    throw new Error('projections did not reach the head of the log');
  }
}

/**
 * The 10× campaign: every row the reports read (finding ledger, notices, accountability ledger, teams' days,
 * published reports, the campaign) cloned `copies` times from the county's, with new finding ids and the notice
 * numbers renumbered after the county's so that they stay one gapless sequence.
 */
export async function cloneCampaign(owner: Pool, from: string, to: string, copies: number): Promise<void> {
  const { rows } = await owner.query<{ last: number }>(
    `SELECT max(substring(notice_no from '〔[0-9]+〕([0-9]+)号$')::int) AS last FROM dispatch_notices_v1 WHERE campaign_id = $1`,
    [from],
  );
  const last = rows[0].last;
  const renumber = (col: string) =>
    `CASE WHEN ${col} IS NULL THEN NULL ELSE regexp_replace(${col}, '[0-9]+号$', '') ||
       (c * ${last} + substring(${col} from '〔[0-9]+〕([0-9]+)号$')::int) || '号' END`;
  const clone = (table: string, overrides: string) =>
    owner.query(
      `INSERT INTO ${table}
       SELECT r.* FROM ${table} x CROSS JOIN generate_series(0, $3::int - 1) AS c
              CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object(${overrides})) AS r
        WHERE x.campaign_id = $1`,
      [from, to, copies],
    );
  const id = `'finding_id', 'p' || c || '-' || x.finding_id, 'campaign_id', $2::text`;
  await clone('finding_ledger_v2', `${id}, 'notice_no', ${renumber('x.notice_no')}`);
  await clone('dispatch_notices_v1', `${id}, 'notice_no', ${renumber('x.notice_no')}, 'event_id', gen_random_uuid()`);
  await clone('accountability_ledger_v1', `${id}, 'notice_no', ${renumber('x.notice_no')}, 'event_id', gen_random_uuid()`);
  const once = (table: string, overrides: string) =>
    owner.query(
      `INSERT INTO ${table}
       SELECT r.* FROM ${table} x
              CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, to_jsonb(x) || jsonb_build_object('campaign_id', $2::text ${overrides})) AS r
        WHERE x.campaign_id = $1`,
      [from, to],
    );
  await once('campaigns_v1', '');
  await once('campaign_lifecycle_v1', '');
  await once('inspection_reports_v1', '');
  await once(
    'cadence_reports_v1',
    `, 'event_id', gen_random_uuid(), 'content', CASE WHEN x.content ? 'lastNoticeSequence'
       THEN jsonb_set(x.content, '{lastNoticeSequence}', to_jsonb(${(copies - 1) * last} + (x.content->>'lastNoticeSequence')::int))
       ELSE x.content END`,
  );
}
