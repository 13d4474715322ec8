import {
  type Actor,
  type Cadence,
  CADENCE_REPORT_EVENT,
  type CadenceReportCommand,
  type CadenceReportEvent,
  type CadenceReportState,
  cadenceReportDecider,
  cadenceReportStreamId,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate, StreamVersionConflict } from '@duban/event-store';
import type { CadenceReportCommandRequest, CommandMeta } from './commands';
import { commandRequest } from './commands';

export interface CadenceReportResult {
  /** The report's event type, and whether this command appended it (false: it was out already, and stays frozen). */
  eventType: string;
  appended: boolean;
  streamId: string;
}

/** The cadence each Publish* command publishes for: its stream is (campaign, cadence, period). */
export const CADENCE_OF_REPORT: Record<CadenceReportCommand['type'], Cadence> = {
  PublishDailyBulletin: 'daily_inspection',
  PublishDailyDispatchList: 'daily_dispatch',
  PublishWeeklyDispatch: 'weekly_dispatch',
  PublishMonthlyReview: 'monthly_review',
};

/**
 * Publishing the cadence's reports, one stream per (campaign, cadence, period), published once and then frozen. The
 * request names the period and the instant it was run at (`meta.at`), not the numbers: numbers computed again on a
 * retry may differ, and the first publication stands.
 */
export class CadenceReportCommands {
  constructor(
    private readonly store: EventStore,
    private readonly runner: CommandRunner,
  ) {}

  /** Whether the period's report is out: then nothing need be computed, a second publication appends nothing. */
  async published(campaignId: string, cadence: Cadence, periodKey: string): Promise<boolean> {
    return (await this.load(cadenceReportStreamId(campaignId, cadence, periodKey))).state.published;
  }

  handle(command: CadenceReportCommandRequest, signer: Actor, meta: CommandMeta): Promise<CadenceReportResult> {
    const { campaignId, periodKey } = command.data;
    const cadence = CADENCE_OF_REPORT[command.type];
    const streamId = cadenceReportStreamId(campaignId, cadence, periodKey);
    const eventType = CADENCE_REPORT_EVENT[cadence];
    const request = commandRequest(command.type, signer, meta, { campaignId, cadence, periodKey, runAt: meta.at });
    return this.runner.run<CadenceReportResult>(
      request,
      async ({ now, toNewEvents }) => {
        const { state, version } = await this.load(streamId);
        const events = cadenceReportDecider.decide({ ...command, metadata: { now, actor: signer } } as CadenceReportCommand, state);
        return {
          appends: [{ streamId, expectedVersion: version, events: toNewEvents(streamId, events) }],
          result: () => ({ eventType, appended: events.length > 0, streamId }),
        };
      },
      // Another run of the same period published while we decided: decide again (it is then frozen, nothing appends).
      (err) => err instanceof StreamVersionConflict,
    );
  }

  private load(streamId: string) {
    return loadAggregate<CadenceReportState, CadenceReportEvent>(
      this.store,
      streamId,
      cadenceReportDecider.evolve,
      cadenceReportDecider.initialState(),
    );
  }
}
