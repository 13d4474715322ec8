import { cadenceReportStreamId, inspectionDayStreamId, LocalDate, shanghaiInstant, SYSTEM_ACTOR, type Actor } from '@duban/domain';
import { CADENCE_OF_REPORT, type CadenceReportCommandRequest, createWriteSide, InspectionCommands } from '@duban/application';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import type { ApiHarness } from './api-harness';

// The worker publishes the cadence's reports and records missed daily reports on its schedules (tested with the
// worker and workflows). API tests only need the facts in the log: the same commands, signed by the system, through
// the write side the worker uses (libs/application).

/** Publishes one report (Publish* command) as the system at the harness clock's now; returns the event types appended. */
export async function publishReport(h: ApiHarness, command: CadenceReportCommandRequest): Promise<string[]> {
  const store = h.app.get<EventStore>(EVENT_STORE);
  const { periodKey, campaignId } = command.data;
  const key = `test:${cadenceReportStreamId(campaignId, CADENCE_OF_REPORT[command.type], periodKey)}`;
  const published = await createWriteSide({ store, clock: h.clock }).cadenceReports.handle(command, SYSTEM_ACTOR, {
    idempotencyKey: key,
    correlationId: 'test',
  });
  return published.appended ? [published.eventType] : [];
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
