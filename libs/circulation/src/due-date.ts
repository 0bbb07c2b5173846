/**
 * Due dates: a loan period in days or hours from a moment, in a library's time zone, moved forward past
 * the branch's closed days. Pure: no clock, no I/O. Day loans are due at the END of the due day
 * (23:59:59 local time); hourly loans at the exact hour.
 */

export type LoanPeriodUnit = 'days' | 'hours';

export interface BranchCalendar {
  /** closed dates as 'YYYY-MM-DD' (the branch's local calendar) */
  closedDates: ReadonlySet<string>;
  /** closed weekdays, 0 = Sunday … 6 = Saturday */
  closedWeekdays: ReadonlySet<number>;
}

export const OPEN_EVERY_DAY: BranchCalendar = { closedDates: new Set(), closedWeekdays: new Set() };

export interface DueDateInput {
  from: Date;
  period: number;
  unit: LoanPeriodUnit;
  timeZone: string;
  calendar?: BranchCalendar;
  /** how many closed days in a row may be skipped before giving up (default 366) */
  maxShiftDays?: number;
}

export interface DueDateResult {
  dueAt: Date;
  /** days the due date moved forward because the branch was closed */
  shiftedDays: number;
  /** set when the calendar closed every day within maxShiftDays: the due date was left unmoved */
  problem: string | null;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface CivilTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

function partsFromFormatter(instant: Date, timeZone: string): CivilTime {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year, month: out.month, day: out.day, hour: out.hour === 24 ? 0 : out.hour, minute: out.minute, second: out.second };
}

/** the zone's UTC offset (ms) at an instant, whole seconds */
function offsetAt(ms: number, timeZone: string): number {
  const t = partsFromFormatter(new Date(ms), timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(ms / 1000) * 1000;
}

const BUCKET_MS = 15 * 60_000;
/** per zone: the offset throughout each 15-minute stretch asked about lately (now, due days ahead…) */
const offsets = new Map<string, Map<number, number>>();

/**
 * The wall-clock time of an instant in a zone. Throws RangeError on an unknown zone.
 * Intl's formatToParts costs microseconds and a checkout asks several times, so the zone's offset is
 * kept for the 15-minute stretch around the instant, and only when it is the same at both ends of that
 * stretch (offset changes fall on quarter hours; one inside a stretch is never cached).
 */
export function zonedParts(instant: Date, timeZone: string): CivilTime {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return partsFromFormatter(instant, timeZone);
  const bucket = Math.floor(ms / BUCKET_MS);
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  let offset = zone.get(bucket);
  if (offset === undefined) {
    const start = offsetAt(bucket * BUCKET_MS, timeZone);
    const end = offsetAt(bucket * BUCKET_MS + BUCKET_MS - 1000, timeZone);
    if (start !== end) return partsFromFormatter(instant, timeZone);
    if (zone.size >= 1024) zone.clear();
    zone.set(bucket, (offset = start));
  }
  const d = new Date(Math.floor(ms / 1000) * 1000 + offset);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** The instant a wall-clock time happens in a zone (in a DST gap: the instant after the gap). */
export function zonedToInstant(t: CivilTime, timeZone: string): Date {
  const wanted = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  let guess = wanted;
  for (let i = 0; i < 4; i++) {
    const p = zonedParts(new Date(guess), timeZone);
    const diff = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - wanted;
    if (diff === 0) break;
    guess -= diff;
  }
  return new Date(guess);
}

/** Days since 1970-01-01 of an instant's local date in a zone. */
export function localDayNumber(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}

export function dayNumberToIso(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOfDayNumber(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function isClosed(calendar: BranchCalendar, dayNumber: number): boolean {
  return calendar.closedWeekdays.has(weekdayOfDayNumber(dayNumber)) || calendar.closedDates.has(dayNumberToIso(dayNumber));
}

function endOfDay(dayNumber: number, timeZone: string): Date {
  const d = new Date(dayNumber * DAY_MS);
  return zonedToInstant({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 23, minute: 59, second: 59 }, timeZone);
}

/** Moves dayNumber forward past closed days; reports instead of looping when everything is closed. */
function nextOpenDay(calendar: BranchCalendar, dayNumber: number, max: number): { day: number; shifted: number; problem: string | null } {
  let shifted = 0;
  while (isClosed(calendar, dayNumber + shifted)) {
    if (shifted >= max) {
      return { day: dayNumber, shifted: 0, problem: `branch closed on every day from ${dayNumberToIso(dayNumber)} for ${max + 1} days; due date not moved` };
    }
    shifted++;
  }
  return { day: dayNumber + shifted, shifted, problem: null };
}

export function computeDueDate(input: DueDateInput): DueDateResult {
  const calendar = input.calendar ?? OPEN_EVERY_DAY;
  const max = input.maxShiftDays ?? 366;
  const period = Math.max(0, Math.trunc(input.period));
  if (input.unit === 'hours') {
    const exact = new Date(input.from.getTime() + period * 3_600_000);
    const day = localDayNumber(exact, input.timeZone);
    const open = nextOpenDay(calendar, day, max);
    if (open.shifted === 0) return { dueAt: exact, shiftedDays: 0, problem: open.problem };
    // same wall-clock time on the next open day
    const p = zonedParts(exact, input.timeZone);
    const d = new Date(open.day * DAY_MS);
    const dueAt = zonedToInstant({ ...p, year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, input.timeZone);
    return { dueAt, shiftedDays: open.shifted, problem: null };
  }
  const open = nextOpenDay(calendar, localDayNumber(input.from, input.timeZone) + period, max);
  return { dueAt: endOfDay(open.day, input.timeZone), shiftedDays: open.shifted, problem: open.problem };
}

/** The process's own zone (used as the default). */
export function processTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
