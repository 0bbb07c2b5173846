/**
 * When an issue counts as late and when it is due a claim. Dates of the day are YYYY-MM-DD text; the
 * caller passes today, so the rules are the same in a nightly job, a staff request and a test's clock.
 */

/** Grace for a title whose frequency is unknown or irregular ($w x, or none). */
export const DEFAULT_GRACE_DAYS = 30;

const DAY_MS = 86_400_000;

function dayNumber(date: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const n = m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : NaN;
  if (!m || Number.isNaN(n) || new Date(n).toISOString().slice(0, 10) !== date) throw new RangeError(`${what} must be a date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return n / DAY_MS;
}

export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date, 'the date') + days) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to, 'the later date') - dayNumber(from, 'the earlier date');
}

/**
 * Days after its expected date an issue may still arrive before it is late: the subscription's own
 * graceDays when set, else 1.5 × the issue interval for titles of more than 6 issues a year and
 * 0.5 × for the rest (a quarterly is waited on for about six weeks, a weekly for eleven days), whole
 * days rounded up.
 */
export function graceDaysFor(graceDays: number | null | undefined, issuesPerYear: number | undefined): number {
  if (graceDays != null) {
    if (!Number.isInteger(graceDays) || graceDays < 0) throw new RangeError(`graceDays must be a whole number of days, 0 or more, got ${graceDays}`);
    return graceDays;
  }
  if (!issuesPerYear || !Number.isFinite(issuesPerYear) || issuesPerYear <= 0) return DEFAULT_GRACE_DAYS;
  const interval = 365.25 / issuesPerYear;
  return Math.ceil((issuesPerYear > 6 ? 1.5 : 0.5) * interval);
}

/** The last day the issue is still merely expected; from the day after it is late. */
export function lastDayNotLate(expectedDate: string, graceDays: number): string {
  return addDays(expectedDate, graceDays);
}

/** expectedDate + grace < today: only then is an issue late (never one not yet due). */
export function isLate(expectedDate: string, graceDays: number, today: string): boolean {
  return lastDayNotLate(expectedDate, graceDays) < today;
}

export interface PastClaim {
  claimNumber: number;
  /** YYYY-MM-DD: the day it was made (sent, once sent) */
  claimedOn: string;
  status: string;
}

export type ClaimDecision =
  | { due: true; claimNumber: number }
  | { due: false; reason: 'pending' | 'interval' | 'max-claims'; detail: string };

/**
 * Whether a late issue is due a claim today: its first claim, or the next one once the previous is at
 * least `claimIntervalDays` old, while fewer than `maxClaims` were made. A claim still waiting in a batch
 * (pending) is not doubled.
 */
export function claimDecision(claims: PastClaim[], vendor: { claimIntervalDays: number; maxClaims: number }, today: string): ClaimDecision {
  if (claims.some((c) => c.status === 'pending')) return { due: false, reason: 'pending', detail: 'a claim is waiting in a batch' };
  const made = claims.length === 0 ? 0 : Math.max(...claims.map((c) => c.claimNumber));
  if (made >= vendor.maxClaims) return { due: false, reason: 'max-claims', detail: `claimed ${made} time(s), the vendor's maximum is ${vendor.maxClaims}` };
  if (made > 0) {
    const last = claims.find((c) => c.claimNumber === made)!;
    const age = daysBetween(last.claimedOn, today);
    if (age < vendor.claimIntervalDays) return { due: false, reason: 'interval', detail: `claim ${made} was made ${age} day(s) ago, the vendor's interval is ${vendor.claimIntervalDays}` };
  }
  return { due: true, claimNumber: made + 1 };
}
