/**
 * Overdue fines. Pure. No grace period: day loans count the calendar days (in the library's zone)
 * between the due day and the return day, hourly loans the full hours late. The fine is
 * periods × finePerPeriod, capped by fineCap when there is one.
 */
import { localDayNumber, type LoanPeriodUnit } from './due-date.js';
import { fromCents, toCents } from './money.js';

export interface OverdueInput {
  dueAt: Date;
  returnedAt: Date;
  unit: LoanPeriodUnit;
  timeZone: string;
  /** decimal string */
  finePerPeriod: string;
  /** decimal string or null for no cap */
  fineCap: string | null;
}

export interface OverdueFine {
  periodsLate: number;
  /** "0.00" when not late or no fine */
  amount: string;
  capped: boolean;
}

export function periodsLate(dueAt: Date, returnedAt: Date, unit: LoanPeriodUnit, timeZone: string): number {
  if (returnedAt.getTime() <= dueAt.getTime()) return 0;
  if (unit === 'hours') return Math.floor((returnedAt.getTime() - dueAt.getTime()) / 3_600_000);
  return Math.max(0, localDayNumber(returnedAt, timeZone) - localDayNumber(dueAt, timeZone));
}

export function overdueFine(input: OverdueInput): OverdueFine {
  const periods = periodsLate(input.dueAt, input.returnedAt, input.unit, input.timeZone);
  const per = toCents(input.finePerPeriod) ?? 0n;
  if (periods === 0 || per <= 0n) return { periodsLate: periods, amount: '0.00', capped: false };
  let cents = per * BigInt(periods);
  const cap = input.fineCap === null ? null : toCents(input.fineCap);
  let capped = false;
  if (cap !== null && cap >= 0n && cents > cap) {
    cents = cap;
    capped = true;
  }
  return { periodsLate: periods, amount: fromCents(cents), capped };
}
