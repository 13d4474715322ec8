import {
  type Actor,
  decideOfficialCalendar,
  evolveOfficialCalendar,
  initialOfficialCalendarState,
  OFFICIAL_CALENDAR_STREAM,
  type OfficialCalendarData,
  officialCalendarData,
  type OfficialCalendarEvent,
  type OfficialCalendarState,
  withPublishedNotices,
} from '@duban/domain';
import { type CommandRunner, type EventStore, loadAggregate } from '@duban/event-store';
import type { CommandMeta, OfficialCalendarCommandRequest } from './commands';
import { commandRequest } from './commands';

export interface OfficialCalendarNow {
  state: OfficialCalendarState;
  /** The stream's version: the calendar version in force. */
  version: number;
  /** The shipped data with every published notice applied: what deadlines are computed with. */
  data: OfficialCalendarData;
}

/**
 * The official calendar in force, read afresh for every decision: a notice published a moment ago must be what the
 * next deadline is computed with, in the API and in the worker alike. The stream holds a few events per year, so the
 * read is one small query; the merged calendar is rebuilt only when the version moved.
 */
export class OfficialCalendars {
  private built: OfficialCalendarNow | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly shipped: OfficialCalendarData = officialCalendarData(),
  ) {}

  async current(): Promise<OfficialCalendarNow> {
    const { state, version } = await loadAggregate<OfficialCalendarState, OfficialCalendarEvent>(
      this.store,
      OFFICIAL_CALENDAR_STREAM,
      evolveOfficialCalendar,
      initialOfficialCalendarState(),
    );
    if (this.built?.version !== version) this.built = { state, version, data: withPublishedNotices(this.shipped, state) };
    return this.built;
  }

  shippedData(): OfficialCalendarData {
    return this.shipped;
  }
}

export interface OfficialCalendarResult {
  year: number;
  yearVersion: number;
  calendarVersion: number;
}

/**
 * 发布年度节假日安排: an administrator signs a year's State Council notice into the official calendar stream. Deadlines
 * already signed keep their dates (they recorded the calendar version that computed them); new ones use the notice.
 */
export class OfficialCalendarCommands {
  constructor(
    private readonly runner: CommandRunner,
    private readonly calendars: OfficialCalendars,
  ) {}

  handle(command: OfficialCalendarCommandRequest, signer: Actor, meta: CommandMeta): Promise<OfficialCalendarResult> {
    return this.runner.run<OfficialCalendarResult>(commandRequest(command.type, signer, meta, command.data), async ({ now, toNewEvents }) => {
      const { state, version } = await this.calendars.current();
      const events = decideOfficialCalendar({ type: command.type, data: command.data, metadata: { now, actor: signer } }, state);
      const published = events[0].data;
      return {
        appends: [{ streamId: OFFICIAL_CALENDAR_STREAM, expectedVersion: version, events: toNewEvents(OFFICIAL_CALENDAR_STREAM, events) }],
        result: () => ({ year: published.year, yearVersion: published.yearVersion, calendarVersion: published.calendarVersion }),
      };
    });
  }
}
