import { InvalidInputError } from '@duban/domain';
import { assertDateRange, assertPeriod, isIsoWeekKey, PeriodPipe } from './period-params';

describe('period keys of published reports', () => {
  it('an ISO week exists: W53 only in years that have one (a Thursday 1 January, or a leap year starting Wednesday)', () => {
    expect(['2026-W01', '2026-W48', '2026-W53', '2020-W53', '2015-W53', '2027-W52'].filter((k) => !isIsoWeekKey(k))).toEqual([]);
    expect(['2025-W53', '2027-W53', '2026-W00', '2026-W54', '2026-48', '2026-w48', '2026-W5', 202648, null].filter(isIsoWeekKey)).toEqual([]);
  });

  it.each([
    ['date', '2026-11-23', '2026-02-29', 'INVALID_DATE'],
    ['month', '2026-11', '2026-13', 'INVALID_MONTH'],
    ['quarter', '2026-Q4', '2026-Q0', 'INVALID_QUARTER'],
    ['year', '2026', '26', 'INVALID_YEAR'],
  ] as const)('%s: %s passes, %s is a 400 naming the parameter (%s)', (kind, good, bad, code) => {
    expect(new PeriodPipe(kind).transform(good)).toBe(good);
    const err = (() => {
      try {
        new PeriodPipe(kind).transform(bad);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err).toMatchObject({ code, field: kind });
  });

  it('names the field it was given, and checks both ends of a date range and their order', () => {
    expect(() => assertPeriod('date', '2026-11-31', 'from')).toThrow(expect.objectContaining({ field: 'from' }));
    expect(() => assertDateRange({ from: '2026-11-24', to: '2026-11-20' })).toThrow(expect.objectContaining({ field: 'to', code: 'INVALID_DATE_RANGE' }));
    expect(() => assertDateRange({ to: '2026-02-30' })).toThrow(expect.objectContaining({ field: 'to', code: 'INVALID_DATE' }));
    expect(() => assertDateRange({ from: '2026-11-20', to: '2026-11-20' })).not.toThrow();
  });
});
