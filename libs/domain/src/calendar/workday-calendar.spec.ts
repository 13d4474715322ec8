import { WorkdayCalendar } from './workday-calendar';
import { isDomainError } from '../shared/errors';

describe('WorkdayCalendar (official data from chinese-days)', () => {
  const cal = new WorkdayCalendar();

  describe('2026 National Day / Mid-autumn', () => {
    it('marks 2026-10-01..07 as holidays named 国庆节', () => {
      for (const d of ['01', '02', '03', '04', '05', '06', '07']) {
        const info = cal.dayInfo(`2026-10-${d}`);
        expect(info).toMatchObject({ workday: false, kind: 'holiday', holidayName: '国庆节', officialDataAvailable: true });
      }
    });

    it('knows the make-up workdays 2026-09-20 (Sunday) and 2026-10-10 (Saturday)', () => {
      expect(cal.dayInfo('2026-09-20')).toEqual({
        date: '2026-09-20',
        workday: true,
        kind: 'makeup_workday',
        holidayName: '国庆节',
        holidayNameEn: 'National Day',
        officialDataAvailable: true,
      });
      expect(cal.dayInfo('2026-10-10')).toMatchObject({ workday: true, kind: 'makeup_workday' });
      expect(cal.dayInfo('2026-10-11')).toMatchObject({ workday: false, kind: 'weekend' });
      expect(cal.dayInfo('2026-10-08')).toMatchObject({ workday: true, kind: 'workday' });
    });

    it('skips the whole holiday block: 1 workday after 2026-09-30 is 2026-10-08', () => {
      expect(cal.addWorkdays('2026-09-30T10:00:00+08:00', 1)).toEqual({
        date: '2026-10-08',
        endsAt: '2026-10-08T16:00:00.000Z',
      });
    });

    it('counts the Saturday make-up workday: 3 workdays after 2026-09-30 is Saturday 2026-10-10', () => {
      expect(cal.addWorkdays('2026-09-30T10:00:00+08:00', 3).date).toBe('2026-10-10');
    });

    it('counts workdays in (a, b]', () => {
      expect(cal.workdaysBetween('2026-09-30', '2026-10-10')).toBe(3);
      expect(cal.workdaysBetween('2026-10-10', '2026-09-30')).toBe(0);
      expect(cal.workdaysBetween('2026-10-08', '2026-10-08')).toBe(0);
    });
  });

  describe('a Friday before rest days', () => {
    it('Friday 2026-09-18: the next workday is the make-up Sunday 2026-09-20', () => {
      expect(cal.addWorkdays('2026-09-18T15:00:00+08:00', 1).date).toBe('2026-09-20');
      expect(cal.addWorkdays('2026-09-18T15:00:00+08:00', 2).date).toBe('2026-09-21');
    });

    it('Friday 2026-04-03 before 清明 (04-04..06): the next workday is Tuesday 2026-04-07', () => {
      expect(cal.dayInfo('2026-04-06')).toMatchObject({ kind: 'holiday', holidayName: '清明' });
      expect(cal.addWorkdays('2026-04-03T09:00:00+08:00', 1).date).toBe('2026-04-07');
    });

    it('Friday with no holiday jumps the weekend', () => {
      expect(cal.addWorkdays('2026-03-13T09:00:00+08:00', 1).date).toBe('2026-03-16');
    });
  });

  describe("the event's own day never counts, whatever the hour", () => {
    it('00:01 and 23:59 on the same local day give the same deadline', () => {
      const early = cal.addWorkdays('2026-10-08T00:01:00+08:00', 1);
      const late = cal.addWorkdays('2026-10-08T23:59:00+08:00', 1);
      expect(early).toEqual(late);
      expect(early).toEqual({ date: '2026-10-09', endsAt: '2026-10-09T16:00:00.000Z' });
    });

    it('uses the Shanghai day, not the UTC day', () => {
      // 16:01Z on 10-08 is 00:01 on 10-09 in Shanghai.
      expect(cal.localDateOf('2026-10-08T16:01:00Z')).toBe('2026-10-09');
      expect(cal.addWorkdays('2026-10-08T16:01:00Z', 1).date).toBe('2026-10-10');
      expect(cal.localDateOf('2026-10-08T15:59:59.999Z')).toBe('2026-10-08');
    });

    it('an event on a rest day: the first workday after it is day 1', () => {
      expect(cal.addWorkdays('2026-10-03T12:00:00+08:00', 1).date).toBe('2026-10-08');
    });
  });

  describe('a year outside the official data', () => {
    it('2027 falls back to weekends and says so', () => {
      expect(cal.dayInfo('2027-01-01')).toEqual({
        date: '2027-01-01',
        workday: true,
        kind: 'workday',
        officialDataAvailable: false,
      });
      expect(cal.dayInfo('2027-01-02')).toMatchObject({ workday: false, kind: 'weekend', officialDataAvailable: false });
      expect(cal.officialDataAvailableFor(2027)).toBe(false);
      expect(cal.officialDataAvailableFor(2026)).toBe(true);
    });

    it('counts across the year boundary', () => {
      expect(cal.addWorkdaysToDate('2026-12-31', 1)).toBe('2027-01-01');
      expect(cal.addWorkdaysToDate('2026-12-31', 2)).toBe('2027-01-04');
    });
  });

  describe('campaign overrides win over official data', () => {
    const campaignCal = new WorkdayCalendar({ restDays: ['2026-09-21'], workDays: ['2026-10-03', '2027-01-02'] });

    it('a campaign rest day is skipped', () => {
      expect(campaignCal.dayInfo('2026-09-21')).toMatchObject({ workday: false, kind: 'campaign_rest_day' });
      expect(campaignCal.addWorkdaysToDate('2026-09-18', 2)).toBe('2026-09-22');
    });

    it('a campaign workday counts even inside a national holiday', () => {
      expect(campaignCal.dayInfo('2026-10-03')).toMatchObject({ workday: true, kind: 'campaign_workday' });
      expect(campaignCal.addWorkdaysToDate('2026-09-30', 1)).toBe('2026-10-03');
    });

    it('works in years without official data too', () => {
      expect(campaignCal.dayInfo('2027-01-02')).toMatchObject({
        workday: true,
        kind: 'campaign_workday',
        officialDataAvailable: false,
      });
    });

    it('refuses a day that is both rest and work', () => {
      expect(() => new WorkdayCalendar({ restDays: ['2026-09-21'], workDays: ['2026-09-21'] })).toThrow(
        expect.objectContaining({ code: 'CALENDAR_OVERRIDE_CONFLICT', kind: 'invalid_input' }),
      );
    });
  });

  describe('cutoffs and validation', () => {
    it('gives the 17:30 Shanghai cutoff as a UTC instant', () => {
      expect(cal.cutoffInstant('2026-10-08', '17:30')).toBe('2026-10-08T09:30:00.000Z');
      expect(cal.endOf('2026-10-08')).toBe('2026-10-08T16:00:00.000Z');
    });

    it('rejects bad input with typed errors', () => {
      const attempts: Array<() => unknown> = [
        () => cal.addWorkdays('2026-10-08T10:00:00+08:00', 0),
        () => cal.addWorkdays('2026-10-08T10:00:00+08:00', 1.5),
        () => cal.addWorkdays('2026-10-08 10:00', 1),
        () => cal.dayInfo('2026-02-30'),
        () => cal.cutoffInstant('2026-10-08', '25:00'),
      ];
      for (const attempt of attempts) {
        try {
          attempt();
          throw new Error('expected a failure');
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
          expect((e as { kind: string }).kind).toBe('invalid_input');
        }
      }
    });
  });
});
