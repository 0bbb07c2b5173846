// SIP dates are 18 characters, YYYYMMDDZZZZHHMMSS: ZZZZ is four spaces for the ACS's local time or "   Z" for
// UTC. The codec never reads the clock: callers pass the instant, and the time zone when it is not UTC.

export interface SipDate {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** true for "   Z" (UTC); false for local time (four spaces, or any zone text we do not interpret). */
  utc: boolean;
}

export const BLANK_SIP_DATE = '                  ';

function num(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * Reads an 18-character SIP date. Returns null for anything else (blank, short, non-digits, impossible
 * month/day/time). Zone text other than spaces or "Z" (some clients send e.g. " EST") is read as local time.
 */
export function parseSipDate(s: string): SipDate | null {
  if (s.length !== 18) return null;
  const year = num(s, 0, 4), month = num(s, 4, 2), day = num(s, 6, 2);
  const hour = num(s, 12, 2), minute = num(s, 14, 2), second = num(s, 16, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null;
  return { year, month, day, hour, minute, second, utc: s.charCodeAt(11) === 90 };
}

const p2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const p4 = (n: number): string => String(n).padStart(4, '0');

/** The 18-character form. */
export function formatSipDate(d: SipDate): string {
  return p4(d.year) + p2(d.month) + p2(d.day) + (d.utc ? '   Z' : '    ') + p2(d.hour) + p2(d.minute) + p2(d.second);
}

/** ISO 8601 form, for accounts whose kiosks want due dates that way: `2024-03-01 23:59:00` (+`Z` for UTC). */
export function formatIsoDate(d: SipDate): string {
  return `${p4(d.year)}-${p2(d.month)}-${p2(d.day)} ${p2(d.hour)}:${p2(d.minute)}:${p2(d.second)}${d.utc ? 'Z' : ''}`;
}

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A SipDate for an instant. `zone` 'utc' gives "   Z" dates; an IANA time zone name gives local dates in that
 * zone (what most kiosks expect: the library's wall clock); 'process' uses the process's own zone.
 */
export function sipDateFromDate(instant: Date, zone: 'utc' | 'process' | string): SipDate {
  if (zone === 'utc') {
    return { year: instant.getUTCFullYear(), month: instant.getUTCMonth() + 1, day: instant.getUTCDate(), hour: instant.getUTCHours(), minute: instant.getUTCMinutes(), second: instant.getUTCSeconds(), utc: true };
  }
  if (zone === 'process') {
    return { year: instant.getFullYear(), month: instant.getMonth() + 1, day: instant.getDate(), hour: instant.getHours(), minute: instant.getMinutes(), second: instant.getSeconds(), utc: false };
  }
  let f = zoneFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    zoneFormatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second!, utc: false };
}

/** The instant a SipDate names. Local dates need the zone they are local to ('process' or an IANA name). */
export function sipDateToDate(d: SipDate, zone: 'process' | string = 'process'): Date {
  const utcMs = Date.UTC(d.year, d.month - 1, d.day, d.hour, d.minute, d.second);
  if (d.utc) return new Date(utcMs);
  if (zone === 'process') return new Date(d.year, d.month - 1, d.day, d.hour, d.minute, d.second);
  // Offset of the zone at that wall time, found by formatting the guess back (two passes cover DST edges).
  let guess = utcMs;
  for (let i = 0; i < 2; i++) {
    const w = sipDateFromDate(new Date(guess), zone);
    guess += utcMs - Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  }
  return new Date(guess);
}
