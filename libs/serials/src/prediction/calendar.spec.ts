import { addMonths, civilFromDays, daysFromCivil, daysInMonth, daysOfIsoDate, isoDateOfDays, weekday } from './calendar.js';

describe('calendar days as integers', () => {
  it('agrees with the proleptic Gregorian calendar of Date.UTC for every day from 1600 to 2400', () => {
    const first = Date.UTC(1600, 0, 1) / 86400000;
    const last = Date.UTC(2400, 11, 31) / 86400000;
    for (let days = first; days <= last; days++) {
      const date = new Date(days * 86400000);
      const [y, m, d] = civilFromDays(days);
      if (y !== date.getUTCFullYear() || m !== date.getUTCMonth() + 1 || d !== date.getUTCDate()) {
        throw new Error(`day ${days}: ${y}-${m}-${d} but Date says ${date.toISOString()}`);
      }
      if (daysFromCivil(y, m, d) !== days) throw new Error(`day ${days} does not round-trip`);
      if (weekday(days) !== (date.getUTCDay() || 7)) throw new Error(`day ${days}: weekday ${weekday(days)}`);
    }
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
  });

  it('knows leap years and month lengths', () => {
    expect([daysInMonth(2024, 2), daysInMonth(2023, 2), daysInMonth(1900, 2), daysInMonth(2000, 2), daysInMonth(2024, 4)]).toEqual([29, 28, 28, 29, 30]);
  });

  it('adds months on the same day, or the last day of a shorter month', () => {
    expect(isoDateOfDays(addMonths(daysFromCivil(2024, 1, 31), 1))).toBe('2024-02-29');
    expect(isoDateOfDays(addMonths(daysFromCivil(2024, 11, 15), 3))).toBe('2025-02-15');
    expect(isoDateOfDays(addMonths(daysFromCivil(2024, 3, 10), -3))).toBe('2023-12-10');
  });

  it('reads only real calendar days as YYYY-MM-DD', () => {
    expect(daysOfIsoDate('2024-02-29')).toBe(daysFromCivil(2024, 2, 29));
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-1', '20240101', '2024-01-01T00:00', '']) {
      expect(daysOfIsoDate(bad)).toBeUndefined();
    }
  });
});
