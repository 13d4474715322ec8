import type { OfficialCalendarData } from '../calendar/official-data';
import { WorkdayCalendar } from '../calendar/workday-calendar';
import { compareLocalDates, endOfShanghaiDay, type LocalDate } from '../shared/local-date';
import type { CampaignSettings } from './campaign';
import { phaseForCap } from './phases';

export type Deadline = {
  dueDate: LocalDate;
  /** 24:00 Asia/Shanghai of dueDate, UTC instant. */
  deadlineAt: string;
  /** True when the phase end, not the workday count, set the date; shown to the unit so it is not a surprise. */
  cappedByPhaseEnd: boolean;
  /**
   * The official calendar version that computed it (0: the data shipped in code). A deadline keeps it for good: a
   * later notice never moves a signed deadline, and the ledger shows which calendar set it.
   */
  calendarVersion: number;
};

/**
 * A campaign's calendar: its own days over the official data. Callers that decide deadlines pass the official data
 * in force (shipped + published notices, libs/application's OfficialCalendars); without it, the shipped data alone.
 */
export const calendarFor = (
  settings: Pick<CampaignSettings, 'calendarOverrides'>,
  official?: OfficialCalendarData,
): WorkdayCalendar => new WorkdayCalendar(settings.calendarOverrides, official);

/**
 * Caps a due date by the end of the phase that holds the anchor instant (DESIGN rule 4: a phase end caps
 * every deadline inside it).
 */
export const capByPhaseEnd = (
  settings: Pick<CampaignSettings, 'phases'>,
  calendar: WorkdayCalendar,
  anchorIso: string,
  dueDate: LocalDate,
): Deadline => {
  const phase = phaseForCap(settings.phases, calendar.localDateOf(anchorIso));
  if (phase && compareLocalDates(dueDate, phase.endDate) > 0) {
    return { dueDate: phase.endDate, deadlineAt: endOfShanghaiDay(phase.endDate), cappedByPhaseEnd: true, calendarVersion: calendar.version };
  }
  return { dueDate, deadlineAt: endOfShanghaiDay(dueDate), cappedByPhaseEnd: false, calendarVersion: calendar.version };
};

/** N workdays after `atIso`, capped by the end of the campaign phase containing it. */
export const deadlineFor = (
  settings: Pick<CampaignSettings, 'phases'>,
  calendar: WorkdayCalendar,
  atIso: string,
  workdays: number,
): Deadline => capByPhaseEnd(settings, calendar, atIso, calendar.addWorkdays(atIso, workdays).date);
