import { WorkdayCalendar } from '../calendar/workday-calendar';
import { addDays } from '../shared/local-date';
import { testCampaign } from '../testing/fixtures';
import {
  type Cadence,
  cadenceFirings,
  type CadenceOccasion,
  isoWeekOf,
  monthRange,
  monthsOfQuarter,
  planCadenceOccasion,
  previousMonth,
  quarterOf,
} from './cadence';

// The official 2026 notice: National Day 10-01…10-07 (Thu–Wed), make-up workdays Sun 09-20 and Sat 10-10;
// Mid-Autumn Fri 09-25.
const official = new WorkdayCalendar();
const active = { phases: testCampaign.phases, lifecycle: 'active' as const };

const daysOf = (from: string, to: string): string[] => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

const runs = (cadence: Cadence, dates: string[]): CadenceOccasion[] =>
  dates.map((d) => planCadenceOccasion(cadence, d, official, active));

describe('cadence occasions on the official calendar (October 2026: National Day and a make-up Saturday)', () => {
  const october = daysOf('2026-10-01', '2026-10-31');

  it.each(['daily_inspection', 'daily_dispatch'] as const)('%s runs on exactly the workdays, the make-up Saturday included', (cadence) => {
    const ran = runs(cadence, october).filter((o) => o.action === 'run').map((o) => (o as { runDate: string }).runDate);
    expect(ran).toEqual([
      '2026-10-08', '2026-10-09', '2026-10-10',
      '2026-10-12', '2026-10-13', '2026-10-14', '2026-10-15', '2026-10-16',
      '2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23',
      '2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30',
    ]);
    expect(planCadenceOccasion(cadence, '2026-10-01', official, active)).toEqual({
      action: 'skip', cadence, firedDate: '2026-10-01', reason: 'REST_DAY',
    });
    expect(planCadenceOccasion(cadence, '2026-10-11', official, active)).toMatchObject({ action: 'skip', reason: 'REST_DAY' });
  });

  it('a make-up Sunday before the holiday is a workday too (09-20), and Mid-Autumn Friday is not', () => {
    expect(planCadenceOccasion('daily_inspection', '2026-09-20', official, active)).toMatchObject({ action: 'run', periodKey: '2026-09-20' });
    expect(planCadenceOccasion('daily_inspection', '2026-09-25', official, active)).toMatchObject({ action: 'skip', reason: 'REST_DAY' });
  });

  it('the weekly dispatch of the holiday week moves from Monday 10-05 to the first workday, Thursday 10-08', () => {
    expect(planCadenceOccasion('weekly_dispatch', '2026-10-05', official, active)).toEqual({
      action: 'run', cadence: 'weekly_dispatch', periodKey: '2026-W41', periodStart: '2026-10-05', periodEnd: '2026-10-11', runDate: '2026-10-08',
    });
    expect(planCadenceOccasion('weekly_dispatch', '2026-10-12', official, active)).toMatchObject({ runDate: '2026-10-12', periodKey: '2026-W42' });
  });

  it('the monthly review fired on 1 October reviews September on the first workday after National Day', () => {
    expect(planCadenceOccasion('monthly_review', '2026-10-01', official, active)).toEqual({
      action: 'run', cadence: 'monthly_review', periodKey: '2026-09', periodStart: '2026-09-01', periodEnd: '2026-09-30', runDate: '2026-10-08',
    });
    // 1 December 2026 is a Tuesday: no deferral.
    expect(planCadenceOccasion('monthly_review', '2026-12-01', official, active)).toMatchObject({ periodKey: '2026-11', runDate: '2026-12-01' });
  });

  it('a week with no workday left is skipped, not pushed into the next week', () => {
    const allRest = new WorkdayCalendar({ restDays: daysOf('2026-10-12', '2026-10-16') });
    expect(planCadenceOccasion('weekly_dispatch', '2026-10-12', allRest, active)).toMatchObject({ action: 'skip', reason: 'NO_WORKDAY_IN_PERIOD' });
  });

  it('a campaign day overrides the official calendar both ways', () => {
    const cal = new WorkdayCalendar({ restDays: ['2026-10-12'], workDays: ['2026-10-11'] });
    expect(planCadenceOccasion('daily_dispatch', '2026-10-11', cal, active)).toMatchObject({ action: 'run' });
    expect(planCadenceOccasion('daily_dispatch', '2026-10-12', cal, active)).toMatchObject({ action: 'skip', reason: 'REST_DAY' });
    expect(planCadenceOccasion('weekly_dispatch', '2026-10-12', cal, active)).toMatchObject({ runDate: '2026-10-13' });
  });
});

describe('the daily report cutoff (report_cutoff)', () => {
  it('runs on the calendar\'s workdays — the make-up Saturday too — and skips holidays and weekends', () => {
    expect(planCadenceOccasion('report_cutoff', '2026-10-10', official, active)).toEqual({
      action: 'run', cadence: 'report_cutoff', periodKey: '2026-10-10', periodStart: '2026-10-10', periodEnd: '2026-10-10', runDate: '2026-10-10',
    });
    expect(planCadenceOccasion('report_cutoff', '2026-10-05', official, active)).toMatchObject({ action: 'skip', reason: 'REST_DAY' });
    expect(planCadenceOccasion('report_cutoff', '2026-10-11', official, active)).toMatchObject({ action: 'skip', reason: 'REST_DAY' });
  });

  it('runs whatever the phases or the lifecycle: the findings owe their reports as their timers said', () => {
    for (const lifecycle of ['paused', 'ended'] as const) {
      expect(planCadenceOccasion('report_cutoff', '2026-10-12', official, { ...active, lifecycle })).toMatchObject({ action: 'run', runDate: '2026-10-12' });
    }
    expect(planCadenceOccasion('report_cutoff', '2027-06-01', official, active)).toMatchObject({ action: 'run' });
  });
});

describe('cadence occasions and the campaign', () => {
  it('nothing runs while the campaign is paused or after it ended', () => {
    for (const cadence of ['daily_inspection', 'daily_dispatch', 'weekly_dispatch', 'monthly_review'] as const) {
      expect(planCadenceOccasion(cadence, '2026-10-12', official, { ...active, lifecycle: 'paused' })).toMatchObject({ action: 'skip', reason: 'CAMPAIGN_PAUSED' });
      expect(planCadenceOccasion(cadence, '2026-10-12', official, { ...active, lifecycle: 'ended' })).toMatchObject({ action: 'skip', reason: 'CAMPAIGN_ENDED' });
    }
  });

  it('daily runs stay inside the campaign; the last month is reviewed on the 1st after it', () => {
    expect(planCadenceOccasion('daily_inspection', '2026-08-31', official, active)).toMatchObject({ action: 'skip', reason: 'OUTSIDE_CAMPAIGN' });
    expect(planCadenceOccasion('daily_inspection', '2026-09-01', official, active)).toMatchObject({ action: 'run' });
    expect(planCadenceOccasion('monthly_review', '2026-09-01', official, active)).toMatchObject({ action: 'skip', reason: 'OUTSIDE_CAMPAIGN' });
    expect(planCadenceOccasion('monthly_review', '2027-04-01', official, active)).toMatchObject({ action: 'run', periodKey: '2027-03' });
    expect(planCadenceOccasion('monthly_review', '2027-05-01', official, active)).toMatchObject({ action: 'skip', reason: 'OUTSIDE_CAMPAIGN' });
    // A week that only starts inside the campaign still gets its dispatch.
    expect(planCadenceOccasion('weekly_dispatch', '2026-08-31', official, active)).toMatchObject({ action: 'run', periodStart: '2026-08-31' });
  });
});

describe('periods', () => {
  it('ISO weeks: Monday starts the week, week 1 holds the first Thursday', () => {
    expect(isoWeekOf('2026-10-08')).toEqual({ key: '2026-W41', monday: '2026-10-05', sunday: '2026-10-11' });
    expect(isoWeekOf('2027-01-01').key).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04').key).toBe('2027-W01');
    expect(isoWeekOf('2025-12-29').key).toBe('2026-W01');
  });

  it('months and quarters', () => {
    expect(monthRange('2026-02')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(monthRange('2028-02').end).toBe('2028-02-29');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(quarterOf('2026-11')).toBe('2026-Q4');
    expect(monthsOfQuarter('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(() => monthRange('2026-13')).toThrow(expect.objectContaining({ code: 'INVALID_MONTH' }));
  });

  it('the firings the schedules use: the inspection cutoff from the policy, weekly on Monday, monthly on the 1st', () => {
    expect(cadenceFirings('18:00')).toEqual([
      { cadence: 'daily_inspection', time: '18:00' },
      { cadence: 'daily_dispatch', time: '09:00' },
      { cadence: 'weekly_dispatch', time: '09:00', dayOfWeek: 'MONDAY' },
      { cadence: 'monthly_review', time: '09:00', dayOfMonth: 1 },
    ]);
  });
});
