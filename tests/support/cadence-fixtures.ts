import {
  Cadence,
  CadenceReportCommand,
  CadenceReportEvent,
  CadenceReportState,
  cadenceReportStreamId,
  decideCadenceReport,
  evolveCadenceReport,
  initialCadenceReportState,
  inspectionDayStreamId,
  LocalDate,
  shanghaiInstant,
  SYSTEM_ACTOR,
  type Actor,
} from '@duban/domain';
import { InspectionCommands } from '@duban/application';
import { CommandRunner, EVENT_STORE, EventStore, loadAggregate } from '@duban/event-store';
import type { ApiHarness } from './api-harness';

// The worker publishes the cadence's reports and records missed daily reports on its schedules (tested with the
// worker and workflows). API tests only need the facts in the log: the same domain commands, signed by the system,
// through the event store's own write path.

const CADENCE_OF: Record<CadenceReportCommand['type'], Cadence> = {
  PublishDailyBulletin: 'daily_inspection',
  PublishDailyDispatchList: 'daily_dispatch',
  PublishWeeklyDispatch: 'weekly_dispatch',
  PublishMonthlyReview: 'monthly_review',
};

type Unsigned<C> = C extends { metadata: unknown } ? Omit<C, 'metadata'> : never;

const runnerOf = (h: ApiHarness) => {
  const store = h.app.get<EventStore>(EVENT_STORE);
  return { store, runner: new CommandRunner(store, h.clock) };
};

/** Publishes one report (Publish* command) as the system at the harness clock's now; returns the event types appended. */
export async function publishReport(h: ApiHarness, command: Unsigned<CadenceReportCommand>): Promise<string[]> {
  const { store, runner } = runnerOf(h);
  const streamId = cadenceReportStreamId(command.data.campaignId, CADENCE_OF[command.type], command.data.periodKey);
  return runner.run(
    { commandType: command.type, actor: SYSTEM_ACTOR, idempotencyKey: `test:${streamId}`, correlationId: 'test', body: command.data },
    async ({ now, toNewEvents }) => {
      const { state, version } = await loadAggregate<CadenceReportState, CadenceReportEvent>(
        store,
        streamId,
        evolveCadenceReport,
        initialCadenceReportState(),
      );
      const events = decideCadenceReport({ ...command, metadata: { now, actor: SYSTEM_ACTOR } } as CadenceReportCommand, state);
      return {
        appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
        result: () => events.map((e) => e.type),
      };
    },
  );
}

/** The cutoff's system command for one team's day, decided at the cutoff (18:00 by default), as the worker fires it. */
export async function recordMissedInspectionReport(
  h: ApiHarness,
  day: { campaignId: string; teamId: string; date: LocalDate; leader: Actor | null; cutoff?: string },
): Promise<string[]> {
  const streamId = inspectionDayStreamId(day.campaignId, day.teamId, day.date);
  const data = { campaignId: day.campaignId, teamId: day.teamId, date: day.date, leader: day.leader };
  const { appended } = await h.app.get(InspectionCommands).handle({ type: 'RecordMissedInspectionReport', data }, SYSTEM_ACTOR, {
    idempotencyKey: `test:missed:${streamId}`,
    correlationId: 'test',
    at: shanghaiInstant(day.date, day.cutoff ?? '18:00'),
  });
  return appended;
}
