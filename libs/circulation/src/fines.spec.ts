import { overdueFine, periodsLate } from './fines.js';
import { fromCents, money, toCents } from './money.js';

const due = new Date('2026-11-10T05:59:59Z'); // end of Nov 9 in Chicago

describe('money', () => {
  it('reads decimal strings into cents and back, without floats', () => {
    expect(toCents('2.5')).toBe(250n);
    expect(toCents('0.10')).toBe(10n);
    expect(toCents('-1')).toBe(-100n);
    expect(toCents('.5')).toBe(50n);
    expect(toCents('1.005')).toBe(101n);
    expect(toCents('1.004')).toBe(100n);
    expect(toCents('abc')).toBeNull();
    expect(toCents('')).toBeNull();
    expect(toCents(null)).toBeNull();
    expect(fromCents(5n)).toBe('0.05');
    expect(fromCents(-1234n)).toBe('-12.34');
    expect(money('3')).toBe('3.00');
    expect(money(undefined)).toBe('0.00');
    expect(toCents('0.1')! + toCents('0.2')!).toBe(toCents('0.3'));
  });
});

describe('overdue fines', () => {
  const base = { dueAt: due, unit: 'days' as const, timeZone: 'America/Chicago', finePerPeriod: '0.25', fineCap: null };

  it('nothing when returned on time or on the due day', () => {
    expect(overdueFine({ ...base, returnedAt: new Date('2026-11-09T15:00:00Z') })).toEqual({ periodsLate: 0, amount: '0.00', capped: false });
    expect(overdueFine({ ...base, returnedAt: due })).toEqual({ periodsLate: 0, amount: '0.00', capped: false });
  });

  it('counts local calendar days late (no grace)', () => {
    expect(overdueFine({ ...base, returnedAt: new Date('2026-11-10T15:00:00Z') })).toEqual({ periodsLate: 1, amount: '0.25', capped: false });
    expect(overdueFine({ ...base, returnedAt: new Date('2026-11-20T03:00:00Z') })).toMatchObject({ periodsLate: 10, amount: '2.50' }); // still Nov 19 local
  });

  it('caps at fineCap', () => {
    expect(overdueFine({ ...base, fineCap: '1.00', returnedAt: new Date('2026-12-10T15:00:00Z') })).toEqual({ periodsLate: 31, amount: '1.00', capped: true });
    expect(overdueFine({ ...base, fineCap: '10.00', returnedAt: new Date('2026-11-12T15:00:00Z') })).toEqual({ periodsLate: 3, amount: '0.75', capped: false });
  });

  it('no fine rule means no fine, but the lateness is still counted', () => {
    expect(overdueFine({ ...base, finePerPeriod: '0', returnedAt: new Date('2026-11-12T15:00:00Z') })).toEqual({ periodsLate: 3, amount: '0.00', capped: false });
  });

  it('hourly loans count full hours late', () => {
    const dueH = new Date('2026-11-10T12:00:00Z');
    expect(periodsLate(dueH, new Date('2026-11-10T12:59:59Z'), 'hours', 'UTC')).toBe(0);
    expect(overdueFine({ ...base, dueAt: dueH, unit: 'hours', finePerPeriod: '1.10', returnedAt: new Date('2026-11-10T15:30:00Z') })).toEqual({ periodsLate: 3, amount: '3.30', capped: false });
  });

  it('large sums stay exact', () => {
    expect(overdueFine({ ...base, finePerPeriod: '0.10', returnedAt: new Date('2036-11-10T15:00:00Z') }).amount).toBe('365.40'); // 3654 days: ten years with three leap days, plus one
  });
});
