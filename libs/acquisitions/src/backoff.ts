/**
 * When a failing connector is tried again: one minute after the first failure, doubling each time, at most
 * six hours, so a vendor whose server is down for a weekend is not hammered and is picked up soon after.
 */
export const FIRST_RETRY_MS = 60_000;
export const MAX_RETRY_MS = 6 * 60 * 60_000;

export function retryDelayMs(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return 0;
  const exp = Math.min(consecutiveFailures - 1, 30);
  return Math.min(FIRST_RETRY_MS * 2 ** exp, MAX_RETRY_MS);
}

export function nextRetryAt(now: Date, consecutiveFailures: number): Date {
  return new Date(now.getTime() + retryDelayMs(consecutiveFailures));
}
