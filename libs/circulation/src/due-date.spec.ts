import { computeDueDate, dayNumberToIso, isClosed, localDayNumber, weekdayOfDayNumber, zonedParts, zonedToInstant, type BranchCalendar } from './due-date.js';

const cal = (dates: string[] = [], weekdays: number[] = []): BranchCalendar => ({ closedDates: new Set(dates), closedWeekdays: new Set(weekdays) });

describe('zoned time helpers', () => {
  it('reads wall-clock time in a zone, across the date line', () => {
    expect(zonedParts(new Date('2026-03-01T03:30:00Z'), 'America/Chicago')).toEqual({ year: 2026, month: 2, day: 28, hour: 21, minute: 30, second: 0 });
    expect(zonedParts(new Date('2026-03-01T03:30:00Z'), 'Pacific/Auckland')).toMatchObject({ year: 2026, month: 3, day: 1, hour: 16 });
    expect(zonedParts(new Date('2026-03-01T00:00:00Z'), 'UTC')).toMatchObject({ day: 1, hour: 0 });
  });

  it('turns wall-clock time back into the instant, in and out of daylight saving time', () => {
    expect(zonedToInstant({ year: 2026, month: 1, day: 15, hour: 23, minute: 59, second: 59 }, 'America/Chicago').toISOString()).toBe('2026-01-16T05:59:59.000Z');
    expect(zonedToInstant({ year: 2026, month: 7, day: 15, hour: 23, minute: 59, second: 59 }, 'America/Chicago').toISOString()).toBe('2026-07-16T04:59:59.000Z');
    expect(zonedToInstant({ year: 2026, month: 7, day: 15, hour: 23, minute: 59, second: 59 }, 'Europe/Berlin').toISOString()).toBe('2026-07-15T21:59:59.000Z');
    expect(zonedToInstant({ year: 2026, month: 7, day: 15, hour: 12, minute: 0, second: 0 }, 'UTC').toISOString()).toBe('2026-07-15T12:00:00.000Z');
  });

  it('numbers local days and weekdays', () => {
    expect(dayNumberToIso(localDayNumber(new Date('2026-03-01T03:30:00Z'), 'America/Chicago'))).toBe('2026-02-28');
    expect(weekdayOfDayNumber(0)).toBe(4); // 1970-01-01, a Thursday
    expect(weekdayOfDayNumber(localDayNumber(new Date('2026-11-29T12:00:00Z'), 'UTC'))).toBe(0); // a Sunday
    expect(weekdayOfDayNumber(-1)).toBe(3);
    expect(isClosed(cal(['2026-12-25']), localDayNumber(new Date('2026-12-25T12:00:00Z'), 'UTC'))).toBe(true);
    expect(isClosed(cal([], [0]), localDayNumber(new Date('2026-11-29T12:00:00Z'), 'UTC'))).toBe(true);
    expect(isClosed(cal([], [0]), localDayNumber(new Date('2026-11-30T12:00:00Z'), 'UTC'))).toBe(false);
  });
});

describe('computeDueDate', () => {
  const mon = new Date('2026-11-02T15:00:00Z'); // Monday 09:00 in Chicago

  it('day loans are due at the end of the due day in the library zone', () => {
    const r = computeDueDate({ from: mon, period: 14, unit: 'days', timeZone: 'America/Chicago' });
    expect(r).toEqual({ dueAt: new Date('2026-11-17T05:59:59.000Z'), shiftedDays: 0, problem: null });
    expect(computeDueDate({ from: mon, period: 14, unit: 'days', timeZone: 'UTC' }).dueAt.toISOString()).toBe('2026-11-16T23:59:59.000Z');
  });

  it('uses the local date of the moment, not the UTC date', () => {
    // 02:00 UTC on the 3rd is still the 2nd in Chicago
    const r = computeDueDate({ from: new Date('2026-11-03T02:00:00Z'), period: 1, unit: 'days', timeZone: 'America/Chicago' });
    expect(r.dueAt.toISOString()).toBe('2026-11-04T05:59:59.000Z');
  });

  it('a zero-day loan is due at the end of today', () => {
    expect(computeDueDate({ from: mon, period: 0, unit: 'days', timeZone: 'UTC' }).dueAt.toISOString()).toBe('2026-11-02T23:59:59.000Z');
  });

  it('crosses daylight saving time and keeps 23:59:59 local', () => {
    const r = computeDueDate({ from: new Date('2026-10-25T15:00:00Z'), period: 14, unit: 'days', timeZone: 'America/Chicago' });
    expect(r.dueAt.toISOString()).toBe('2026-11-09T05:59:59.000Z'); // CST after the change on Nov 1
    expect(zonedParts(r.dueAt, 'America/Chicago')).toMatchObject({ day: 8, hour: 23, minute: 59, second: 59 });
  });

  it('moves past closed weekdays and closed dates, counting the days moved', () => {
    // due Sunday Nov 15 → closed Sundays and Monday Nov 16 a holiday → Tuesday Nov 17
    const r = computeDueDate({ from: new Date('2026-11-01T15:00:00Z'), period: 14, unit: 'days', timeZone: 'UTC', calendar: cal(['2026-11-16'], [0]) });
    expect(r).toEqual({ dueAt: new Date('2026-11-17T23:59:59.000Z'), shiftedDays: 2, problem: null });
  });

  it('an open due day is not moved', () => {
    const r = computeDueDate({ from: mon, period: 1, unit: 'days', timeZone: 'UTC', calendar: cal(['2026-11-02'], [0, 6]) });
    expect(r.shiftedDays).toBe(0);
    expect(r.dueAt.toISOString()).toBe('2026-11-03T23:59:59.000Z');
  });

  it('never loops when every day is closed: it caps, reports and leaves the date unmoved', () => {
    const r = computeDueDate({ from: mon, period: 7, unit: 'days', timeZone: 'UTC', calendar: cal([], [0, 1, 2, 3, 4, 5, 6]) });
    expect(r.dueAt.toISOString()).toBe('2026-11-09T23:59:59.000Z');
    expect(r.shiftedDays).toBe(0);
    expect(r.problem).toMatch(/closed on every day/);
    const short = computeDueDate({ from: mon, period: 0, unit: 'days', timeZone: 'UTC', calendar: cal(['2026-11-02', '2026-11-03', '2026-11-04']), maxShiftDays: 2 });
    expect(short.problem).toMatch(/3 days/);
    const enough = computeDueDate({ from: mon, period: 0, unit: 'days', timeZone: 'UTC', calendar: cal(['2026-11-02', '2026-11-03']), maxShiftDays: 2 });
    expect(enough).toMatchObject({ shiftedDays: 2, problem: null });
  });

  it('hourly loans are due to the hour', () => {
    expect(computeDueDate({ from: mon, period: 4, unit: 'hours', timeZone: 'America/Chicago' })).toEqual({ dueAt: new Date('2026-11-02T19:00:00Z'), shiftedDays: 0, problem: null });
    // a 48 h loan across a day boundary
    expect(computeDueDate({ from: mon, period: 48, unit: 'hours', timeZone: 'UTC' }).dueAt.toISOString()).toBe('2026-11-04T15:00:00.000Z');
  });

  it('an hourly loan landing on a closed day moves to the same time on the next open day', () => {
    const r = computeDueDate({ from: new Date('2026-11-07T15:00:00Z'), period: 24, unit: 'hours', timeZone: 'UTC', calendar: cal([], [0]) });
    expect(r).toEqual({ dueAt: new Date('2026-11-09T15:00:00Z'), shiftedDays: 1, problem: null });
  });

  it('negative or fractional periods are treated as whole non-negative periods', () => {
    expect(computeDueDate({ from: mon, period: -3, unit: 'days', timeZone: 'UTC' }).dueAt.toISOString()).toBe('2026-11-02T23:59:59.000Z');
    expect(computeDueDate({ from: mon, period: 1.9, unit: 'days', timeZone: 'UTC' }).dueAt.toISOString()).toBe('2026-11-03T23:59:59.000Z');
  });

  it('refuses an unknown zone loudly', () => {
    expect(() => computeDueDate({ from: mon, period: 1, unit: 'days', timeZone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('zonedParts keeps the zone offset per quarter hour', () => {
  const made = new Map<string, Intl.DateTimeFormat>();
  const intl = (d: Date, timeZone: string) => {
    const out: Record<string, number> = {};
    const f = made.get(timeZone) ?? made.set(timeZone, new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })).get(timeZone)!;
    for (const p of f.formatToParts(d)) if (p.type !== 'literal') out[p.type] = Number(p.value);
    return { year: out.year, month: out.month, day: out.day, hour: out.hour === 24 ? 0 : out.hour, minute: out.minute, second: out.second };
  };
  const zones = ['America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'UTC', 'Africa/Casablanca'];

  it('agrees with Intl around every daylight-saving change of 2026 and at random instants', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const zone of zones) {
      const instants: Date[] = [];
      // find each offset change of 2026 to the second (hourly scan, then bisection) and test right around it
      const off = (t: number) => { const p = intl(new Date(t), zone); return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - t; };
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
        if (off(t) === off(t + 3_600_000)) continue;
        let lo = t;
        let hi = t + 3_600_000;
        while (hi - lo > 1000) { const mid = lo + Math.floor((hi - lo) / 2000) * 1000; if (off(mid) === off(lo)) lo = mid; else hi = mid; }
        for (const s of [-901, -900, -899, -60, -1, 0, 1, 60, 899, 900, 901, 3599, 3600]) instants.push(new Date(hi + s * 1000));
      }
      if (zone !== 'UTC' && zone !== 'Asia/Kathmandu' && instants.length === 0) throw new Error(`no offset change found in ${zone}`);
      for (let i = 0; i < 3000; i++) instants.push(new Date(Date.UTC(1950, 0, 1) + Math.floor(rnd() * 120 * 365 * 86_400_000)));
      for (const d of instants) {
        const got = zonedParts(d, zone);
        const want = intl(d, zone);
        if (got.hour !== want.hour || got.minute !== want.minute || got.day !== want.day || got.second !== want.second || got.month !== want.month || got.year !== want.year) {
          throw new Error(`${zone} ${d.toISOString()}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`);
        }
      }
    }
    expect(zonedParts(new Date('2026-11-01T06:59:59Z'), 'America/Chicago')).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 59, second: 59 });
    expect(zonedParts(new Date('2026-11-01T07:00:00Z'), 'America/Chicago')).toEqual({ year: 2026, month: 11, day: 1, hour: 1, minute: 0, second: 0 });
  });

  it('still refuses an unknown zone', () => {
    expect(() => zonedParts(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

