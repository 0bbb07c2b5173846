/**
 * Prediction of the issue after a given one from its 853/854/855 caption and pattern, the way
 * MARC 21 holdings describe it: the chronology moves by the $y publication rules (or the $w frequency
 * when there are none), skipping omitted dates and joining combined ones; the enumeration moves by
 * $u/$v (or the $ype values), and the first level changes at a calendar change $x or when a lower
 * level completes its units. Each step only looks at the issue before it, so predicting n issues at
 * once is the same as predicting one n times.
 */
import { SerialsFormatError, type CaptionField, type IssueValues } from '../marc-text.js';
import { addMonths, civilFromDays, daysFromCivil, daysInMonth, daysOfIsoDate, isoDate, pad2, weekday } from './calendar.js';
import { compilePattern, readFrequency, seasonOfMonth, seasonStartMonth, type ChronRule, type CompiledPattern, type EnumLevel, type Matcher, type Precision, type Probe } from './pattern.js';

export interface PredictedIssue {
  /** the issue's 863 values (a combined issue: `{ b: '7/8', j: '07/08' }`) */
  values: IssueValues;
  /** YYYY-MM-DD from the chronology (first day of the unit when it is partial) */
  publicationDate: string;
  combined: boolean;
}

export interface PredictionLimit {
  count?: number;
  /** YYYY-MM-DD, inclusive */
  until?: string;
}

/** No prediction returns more issues than this (a daily title for more than a century). */
export const MAX_PREDICTED_ISSUES = 50_000;
/** How far ahead one step may look for the next published date before the pattern is declared empty. */
const SEARCH_YEARS = 12;
const MAX_YEAR = 9999;
/** how many regular issues one combined issue of dated issues may span */
const REGULAR_ISSUES_PER_COMBINED = 12;

/** An issue in numbers: enumeration values (first and last of a combined one) and chronology units. */
interface IssueState {
  enumStart: number[];
  enumEnd: number[];
  alt: number[];
  /** chronology as unit ordinals (days, months, seasons or years since year 0) */
  start: number;
  end: number;
}

interface Engine {
  pattern: CompiledPattern;
  /** $yp rules in the chronology's own unit (`pd01,15` for dated issues, `pm` for monthly ones) */
  exact: ChronRule[];
  /** published rules in a coarser unit (`pm` for dated issues): filters on the frequency */
  coarse: ChronRule[];
  /** combined rules usable at this precision */
  combined: ChronRule[];
  omitted: Matcher[];
  perYear: number;
  probe: Probe;
  /** the next calendar change after any day from changeFrom up to it */
  changeFrom: number;
  changeNext: number;
}

const engines = new WeakMap<CompiledPattern, Engine>();

const UNIT_RANK: Record<Precision, number> = { year: 0, season: 1, month: 2, day: 3 };

function engineOf(caption: CaptionField): Engine {
  const pattern = compilePattern(caption);
  let engine = engines.get(pattern);
  if (engine) return engine;
  const rank = UNIT_RANK[pattern.precision];
  // a rule in a finer unit than the chronology (a day rule for monthly issues) can never match
  const usable = (r: ChronRule): boolean => UNIT_RANK[r.unit] <= rank;
  const exact = pattern.published.filter((r) => r.unit === pattern.precision);
  engine = {
    pattern,
    // a combined month or season may be the only mention of a published one (`$ypm02,04,10,12 $ycm06/08`);
    // a combined rule on dated issues only joins dates the other rules publish
    exact: [...exact, ...(exact.length > 0 && pattern.precision !== 'day' ? pattern.combined.filter((r) => r.unit === pattern.precision) : [])],
    coarse: pattern.published.filter((r) => usable(r) && r.unit !== pattern.precision),
    combined: [...pattern.published.filter((r) => r.end && r.unit === pattern.precision), ...pattern.combined.filter(usable)],
    omitted: pattern.omitted,
    perYear: pattern.precision === 'day' ? 366 : pattern.precision === 'month' ? 12 : pattern.precision === 'season' ? 4 : 1,
    probe: { y: 0, m: 0, s: 0, d: 0, dow: 0, dim: 0, doy: 0 },
    changeFrom: 0,
    changeNext: 0,
  };
  engines.set(pattern, engine);
  return engine;
}

// ---- chronology units --------------------------------------------------------------------------

function seasonIndex(season: number, winterFirst: boolean): number {
  return winterFirst ? (season === 24 ? 0 : season - 20) : season - 21;
}

function seasonOfIndex(index: number, winterFirst: boolean): number {
  return winterFirst ? (index === 0 ? 24 : 20 + index) : 21 + index;
}

function ordinalOf(pattern: CompiledPattern, y: number, unit: number, day: number): number {
  switch (pattern.precision) {
    case 'day': return daysFromCivil(y, unit, day);
    case 'month': return y * 12 + unit - 1;
    case 'season': return y * 4 + seasonIndex(unit, pattern.winterFirst);
    default: return y;
  }
}

/** [year, month or season, day] of an ordinal (0 for the parts the precision lacks) */
function partsOf(pattern: CompiledPattern, o: number): [number, number, number] {
  switch (pattern.precision) {
    case 'day': return civilFromDays(o);
    case 'month': return [Math.floor(o / 12), (o % 12) + 1, 0];
    case 'season': return [Math.floor(o / 4), seasonOfIndex(o % 4, pattern.winterFirst), 0];
    default: return [o, 0, 0];
  }
}

/** the calendar day an ordinal's unit starts on */
function startDay(pattern: CompiledPattern, o: number): number {
  switch (pattern.precision) {
    case 'day': return o;
    case 'month': return daysFromCivil(Math.floor(o / 12), (o % 12) + 1, 1);
    case 'season': {
      const y = Math.floor(o / 4);
      return daysFromCivil(y, seasonStartMonth(seasonOfIndex(o % 4, pattern.winterFirst), pattern.winterFirst), 1);
    }
    default: return daysFromCivil(o, 1, 1);
  }
}

function probeOf(engine: Engine, o: number): Probe {
  const p = engine.probe;
  const pattern = engine.pattern;
  switch (pattern.precision) {
    case 'day': {
      const [y, m, d] = civilFromDays(o);
      p.y = y; p.m = m; p.d = d; p.s = seasonOfMonth(m);
      p.dow = weekday(o); p.dim = daysInMonth(y, m); p.doy = o - daysFromCivil(y, 1, 1) + 1;
      break;
    }
    case 'month':
      p.y = Math.floor(o / 12); p.m = (o % 12) + 1; p.s = seasonOfMonth(p.m); p.d = 0; p.dow = 0; p.dim = 0; p.doy = 0;
      break;
    case 'season':
      p.y = Math.floor(o / 4); p.s = seasonOfIndex(o % 4, pattern.winterFirst); p.m = 0; p.d = 0; p.dow = 0; p.dim = 0; p.doy = 0;
      break;
    default:
      p.y = o; p.m = 0; p.s = 0; p.d = 0; p.dow = 0; p.dim = 0; p.doy = 0;
  }
  return p;
}

const anyMatch = (rules: ChronRule[], p: Probe): boolean => {
  for (const r of rules) if (r.start(p)) return true;
  return false;
};

const isOmitted = (engine: Engine, o: number): boolean => {
  if (engine.omitted.length === 0) return false;
  const p = probeOf(engine, o);
  for (const m of engine.omitted) if (m(p)) return true;
  return false;
};

// ---- frequency ---------------------------------------------------------------------------------

const MONTHS_PER_ISSUE: Record<string, number> = { m: 1, b: 2, q: 3, t: 4, f: 6, a: 12, g: 24, h: 36 };
const CODE_OF_COUNT: Record<number, string> = { 1: 'a', 2: 'f', 3: 't', 4: 'q', 6: 'b', 12: 'm', 24: 's', 26: 'e', 36: 'j', 52: 'w', 104: 'c', 156: 'i' };

function frequencyCode(pattern: CompiledPattern): string {
  const { code, perYear } = pattern.frequency;
  if (code === '') {
    throw new SerialsFormatError('frequency is missing: without a $yp publication pattern prediction needs $w', `${pattern.tag} $w`);
  }
  if (code === 'k' || code === 'x') {
    throw new SerialsFormatError(
      `frequency ${code === 'k' ? 'k (continuously updated)' : 'x (completely irregular)'} cannot be predicted without a $yp publication pattern`,
      `${pattern.tag} $w`);
  }
  if (code !== 'n') return code;
  return CODE_OF_COUNT[perYear!] ?? (perYear! >= 360 ? 'd' : 'n');
}

/** the frequency's next unit after `o`, in the chronology's precision */
function frequencyStep(pattern: CompiledPattern, o: number): number {
  const code = frequencyCode(pattern);
  const perYear = pattern.frequency.perYear ?? 1;
  switch (pattern.precision) {
    case 'year':
      return o + (code === 'g' ? 2 : code === 'h' ? 3 : 1);
    case 'season': {
      const seasons = code === 'n' ? (4 % perYear === 0 ? 4 / perYear : 1) : Math.max(1, Math.floor((MONTHS_PER_ISSUE[code] ?? 1) / 3));
      return o + seasons;
    }
    case 'month':
      return o + (code === 'n' ? (12 % perYear === 0 ? 12 / perYear : 1) : (MONTHS_PER_ISSUE[code] ?? 1));
    default:
      return dayStep(code, perYear, o);
  }
}

function dayStep(code: string, perYear: number, z: number): number {
  switch (code) {
    case 'd': return z + 1;
    case 'w': return z + 7;
    case 'e': return z + 14;
    case 'c': {
      // twice a week, three and four days apart (Monday and Thursday), not drifting by 3 days
      const dow = weekday(z);
      return z + (dow >= 4 && dow <= 6 ? 4 : 3);
    }
    case 'i': {
      // three times a week: Monday, Wednesday, Friday
      const dow = weekday(z);
      return z + (dow === 5 || dow === 6 ? 3 : 2);
    }
    case 'j': {
      // three times a month, ten days apart and back to the same days each month
      const [y, m, d] = civilFromDays(z);
      if (d <= 20 && d + 10 <= daysInMonth(y, m)) return z + 10;
      const next = addMonths(daysFromCivil(y, m, 1), 1);
      return next + Math.max(0, Math.min(d - 20, 10) - 1);
    }
    case 's': {
      // twice a month, the 1st and 15th (or the same pair of days each month), never both on one day
      const [y, m, d] = civilFromDays(z);
      if (d <= 14) return z + 14;
      const next = addMonths(daysFromCivil(y, m, 1), 1);
      return next + Math.min(d - 14, 14) - 1;
    }
    case 'n':
      if (12 % perYear === 0) return addMonths(z, 12 / perYear);
      return z + Math.max(1, Math.round(365 / perYear));
    default:
      return addMonths(z, MONTHS_PER_ISSUE[code]!);
  }
}

// ---- one step ------------------------------------------------------------------------------------

function noIssueFound(engine: Engine, after: number): never {
  throw new SerialsFormatError(
    `no issue is published within ${SEARCH_YEARS} years after ${isoOfOrdinal(engine.pattern, after)}: the $y rules leave no date`,
    `${engine.pattern.tag} $y`);
}

function isoOfOrdinal(pattern: CompiledPattern, o: number): string {
  const day = startDay(pattern, o);
  const [y, m, d] = civilFromDays(day);
  return isoDate(y, m, d);
}

/** the next regular (not combined-end) issue unit after `o` */
function nextRegular(engine: Engine, o: number): number {
  const limit = o + engine.perYear * SEARCH_YEARS;
  if (engine.exact.length > 0) {
    for (let c = o + 1; c <= limit; c++) {
      const p = probeOf(engine, c);
      // rules in a coarser unit narrow the finer ones: `$ypm01,04,07,10 $ypd15` is the 15th of those months
      if (anyMatch(engine.exact, p) && (engine.coarse.length === 0 || anyMatch(engine.coarse, p)) && !isOmitted(engine, c)) return c;
    }
    return noIssueFound(engine, o);
  }
  const pattern = engine.pattern;
  let c = frequencyStep(pattern, o);
  while (c <= limit) {
    if ((engine.coarse.length === 0 || anyMatch(engine.coarse, probeOf(engine, c))) && !isOmitted(engine, c)) return c;
    c = frequencyStep(pattern, c);
  }
  return noIssueFound(engine, o);
}

function combinedEnd(engine: Engine, start: number): number {
  if (engine.combined.length === 0) return start;
  const p = probeOf(engine, start);
  let rule: ChronRule | undefined;
  for (const r of engine.combined) {
    if (r.end && r.start(p)) { rule = r; break; }
  }
  if (!rule) return start;
  if (rule.unit !== engine.pattern.precision) return nextRegular(engine, start);
  const end = rule.end!;
  if (engine.pattern.precision === 'day') {
    // dated issues: the combined issue ends on the regular issue date the end value names (`cw1298/1299`
    // on a Saturday weekly is the Saturday of the last week), else on the day itself (`ypd01,15/30`)
    let c = start;
    for (let k = 0; k < REGULAR_ISSUES_PER_COMBINED; k++) {
      c = nextRegular(engine, c);
      if (end(probeOf(engine, c))) return c;
    }
  }
  const limit = start + engine.perYear * SEARCH_YEARS;
  for (let c = start + 1; c <= limit; c++) if (end(probeOf(engine, c))) return c;
  return noIssueFound(engine, start);
}

/** a calendar change ($x) falls after the unit `from` and on or before the unit `to` */
function crossesCalendarChange(engine: Engine, from: number, to: number): boolean {
  const pattern = engine.pattern;
  if (pattern.changes.length === 0) return false;
  const a = startDay(pattern, from), b = startDay(pattern, to);
  // the next change after a day is the same for every day up to it: issue after issue asks the same
  if (!(engine.changeFrom <= a && a < engine.changeNext)) {
    const [year] = civilFromDays(a);
    let next = Number.POSITIVE_INFINITY;
    for (const [month, day] of pattern.changes) {
      let change = daysFromCivil(year, month, Math.min(day, daysInMonth(year, month)));
      if (change <= a) change = daysFromCivil(year + 1, month, Math.min(day, daysInMonth(year + 1, month)));
      if (change < next) next = change;
    }
    engine.changeFrom = a;
    engine.changeNext = next;
  }
  return engine.changeNext <= b;
}

function combineEnum(level: EnumLevel, value: number): number {
  if (level.combined) for (const c of level.combined) if (c.start === value && c.end !== undefined) return c.end;
  return value;
}

function firstValue(level: EnumLevel): [number, number] {
  const first = level.published?.[0];
  if (first) return [first.start, first.end ?? first.start];
  return [1, combineEnum(level, 1)];
}

function nextState(engine: Engine, state: IssueState): IssueState {
  const pattern = engine.pattern;
  const start = nextRegular(engine, state.end);
  const end = combinedEnd(engine, start);

  const levels = pattern.enumeration;
  const enumStart = state.enumStart.slice();
  const enumEnd = state.enumEnd.slice();
  let carry = levels.length === 1;
  for (let i = levels.length - 1; i >= 1; i--) {
    const level = levels[i]!;
    const current = enumEnd[i]!;
    if (level.published) {
      const found = level.published.find((v) => v.start > current);
      if (found) {
        enumStart[i] = found.start; enumEnd[i] = found.end ?? found.start; carry = false;
      } else {
        [enumStart[i], enumEnd[i]] = firstValue(level); carry = true;
      }
    } else {
      let value: number;
      if (i === 1 && level.restart === true && pattern.changes.length > 0) {
        // the calendar change restarts it (below), even in a year with one issue more than $u (a 53rd week)
        value = current + 1; carry = false;
      } else if (level.restart === true && level.units !== undefined && current >= level.units) {
        value = 1; carry = true;
      } else if (level.units !== undefined && current % level.units === 0 && level.restart !== true) {
        // continuous numbering still completes a higher unit every $u issues
        value = current + 1; carry = true;
      } else {
        value = current + 1; carry = false;
      }
      enumStart[i] = value;
      enumEnd[i] = combineEnum(level, value);
    }
    if (!carry) break;
  }
  if (levels.length > 0) {
    if (pattern.changes.length > 0) {
      // a calendar change decides the first level; restarting levels begin again with it
      if (crossesCalendarChange(engine, state.end, end)) {
        enumStart[0] = enumEnd[0]! + 1; enumEnd[0] = combineEnum(levels[0]!, enumStart[0]);
        for (let i = 1; i < levels.length; i++) {
          if (levels[i]!.restart !== true) break;
          [enumStart[i], enumEnd[i]] = firstValue(levels[i]!);
        }
      }
    } else if (carry) {
      enumStart[0] = enumEnd[0]! + 1; enumEnd[0] = combineEnum(levels[0]!, enumStart[0]);
    }
  }

  const alt = state.alt.slice();
  for (let i = alt.length - 1; i >= 0; i--) {
    const level = pattern.alternative[i]!;
    if (i > 0 && level.restart === true && level.units !== undefined && alt[i]! >= level.units) {
      alt[i] = 1;
      continue;
    }
    alt[i] = alt[i]! + 1;
    break;
  }
  return { enumStart, enumEnd, alt, start, end };
}

// ---- reading and writing values -----------------------------------------------------------------

function readNumber(text: string, where: string, what: string): number {
  if (!/^\d{1,9}$/.test(text)) throw new SerialsFormatError(`${what} must be a number (got ${JSON.stringify(text)})`, where);
  return Number(text);
}

function splitCombined(text: unknown, where: string): [string, string] {
  if (typeof text !== 'string') throw new SerialsFormatError('is missing: the caption has this level', where);
  const parts = text.trim().split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) {
    throw new SerialsFormatError(`${JSON.stringify(text)} is not one value or two joined by /`, where);
  }
  return [parts[0]!, parts[1] ?? parts[0]!];
}

function readState(engine: Engine, values: IssueValues): IssueState {
  const pattern = engine.pattern;
  if (values === null || typeof values !== 'object') throw new SerialsFormatError('expected the issue values (863 subfields)', pattern.holdingTag);
  const enumStart: number[] = [], enumEnd: number[] = [];
  for (const level of pattern.enumeration) {
    const where = `${pattern.holdingTag} $${level.key}`;
    const [a, b] = splitCombined(values[level.key], where);
    enumStart.push(readNumber(a, where, 'enumeration'));
    enumEnd.push(readNumber(b, where, 'enumeration'));
  }
  const alt: number[] = [];
  for (const level of pattern.alternative) {
    const text = values[level.key];
    if (text === undefined) break;
    const where = `${pattern.holdingTag} $${level.key}`;
    alt.push(readNumber(splitCombined(text, where)[1], where, 'alternative enumeration'));
  }

  const first = [0, 0, 0], last = [0, 0, 0];
  let yearCombined = false;
  pattern.chronology.forEach((level, index) => {
    const where = `${pattern.holdingTag} $${level.key}`;
    const [a, b] = splitCombined(values[level.key], where);
    const x = readNumber(a, where, level.kind), y = readNumber(b, where, level.kind);
    const check = (n: number, low: number, high: number): void => {
      if (n < low || n > high) throw new SerialsFormatError(`${level.kind} ${n} is out of range ${low}–${high}`, where);
    };
    if (level.kind === 'year') { check(x, 1, MAX_YEAR); check(y, 1, MAX_YEAR); yearCombined = x !== y; }
    else if (level.kind === 'month') { check(x, 1, 12); check(y, 1, 12); }
    else if (level.kind === 'season') { check(x, 21, 24); check(y, 21, 24); }
    else { check(x, 1, 31); check(y, 1, 31); }
    first[index] = x; last[index] = y;
  });
  if (pattern.precision === 'day') {
    for (const parts of [first, last]) {
      if (parts[2]! > daysInMonth(parts[0]!, parts[1]!)) {
        throw new SerialsFormatError(`day ${parts[2]} is past the end of ${parts[0]}-${pad2(parts[1]!)}`, `${pattern.holdingTag} $${pattern.chronology[2]!.key}`);
      }
    }
  }
  const start = ordinalOf(pattern, first[0]!, first[1]!, first[2]!);
  let end = ordinalOf(pattern, last[0]!, last[1]!, last[2]!);
  if (end < start) {
    // `$i2011 $j12/01`: the second month is in the next year
    if (yearCombined) throw new SerialsFormatError('a combined issue ends before it starts', `${pattern.holdingTag} $${pattern.chronology[0]!.key}`);
    if (pattern.precision === 'day' && first[1] === last[1]) {
      // `$j12 $k27/03`: the second day is in the next month
      const next = addMonths(daysFromCivil(last[0]!, last[1]!, 1), 1);
      const [y, m] = civilFromDays(next);
      if (last[2]! > daysInMonth(y, m)) throw new SerialsFormatError(`day ${last[2]} is past the end of ${y}-${pad2(m)}`, `${pattern.holdingTag} $${pattern.chronology[2]!.key}`);
      end = daysFromCivil(y, m, last[2]!);
    } else {
      end = ordinalOf(pattern, last[0]! + 1, last[1]!, Math.min(last[2]!, pattern.precision === 'day' ? daysInMonth(last[0]! + 1, last[1]!) : 0));
    }
  }
  return { enumStart, enumEnd, alt, start, end };
}

function chronText(kind: Precision, n: number): string {
  return kind === 'year' ? String(n) : pad2(n);
}

function issueOf(engine: Engine, state: IssueState): PredictedIssue {
  const pattern = engine.pattern;
  const values: Record<string, string> = {};
  let combined = state.start !== state.end;
  const levels = pattern.enumeration;
  for (let i = 0; i < levels.length; i++) {
    const a = state.enumStart[i]!, b = state.enumEnd[i]!;
    if (a === b) values[levels[i]!.key] = String(a);
    else { values[levels[i]!.key] = `${a}/${b}`; combined = true; }
  }
  for (let i = 0; i < state.alt.length; i++) values[pattern.alternative[i]!.key] = String(state.alt[i]);
  const first = partsOf(pattern, state.start);
  const last = combined ? partsOf(pattern, state.end) : first;
  if (last[0] > MAX_YEAR) {
    throw new SerialsFormatError(`the next issue would fall after the year ${MAX_YEAR}`, `${pattern.holdingTag} $${pattern.chronology[0]!.key}`);
  }
  const chronology = pattern.chronology;
  for (let i = 0; i < chronology.length; i++) {
    const kind = chronology[i]!.kind;
    const a = chronText(kind, first[i]!);
    values[chronology[i]!.key] = first[i] === last[i] ? a : `${a}/${chronText(kind, last[i]!)}`;
  }
  const [y, unit, day] = first;
  const publicationDate =
    pattern.precision === 'day' ? isoDate(y, unit, day)
      : pattern.precision === 'month' ? isoDate(y, unit, 1)
        : pattern.precision === 'season' ? isoDate(y, seasonStartMonth(unit, pattern.winterFirst), 1)
          : isoDate(y, 1, 1);
  return { values, publicationDate, combined };
}

// ---- the API --------------------------------------------------------------------------------------

/** The given issue itself: its values as prediction writes them (months and days on two digits), its date. */
export function describeIssue(caption: CaptionField, values: IssueValues): PredictedIssue {
  const engine = engineOf(caption);
  return issueOf(engine, readState(engine, values));
}

/** The issue that follows `last`. */
export function predictNext(caption: CaptionField, last: IssueValues): PredictedIssue {
  const engine = engineOf(caption);
  return issueOf(engine, nextState(engine, readState(engine, last)));
}

/**
 * The issues after `last`: `count` of them, or every one published up to `until` (inclusive), or
 * whichever comes first when both are given. At most MAX_PREDICTED_ISSUES.
 */
export function predictIssues(caption: CaptionField, last: IssueValues, limit: PredictionLimit): PredictedIssue[] {
  const engine = engineOf(caption);
  if (limit === null || typeof limit !== 'object') throw new SerialsFormatError('give a count or an until date', 'limit');
  const { count, until } = limit;
  if (count === undefined && until === undefined) throw new SerialsFormatError('give a count or an until date', 'limit');
  if (count !== undefined && (!Number.isInteger(count) || count < 0 || count > MAX_PREDICTED_ISSUES)) {
    throw new SerialsFormatError(`must be a whole number from 0 to ${MAX_PREDICTED_ISSUES} (got ${String(count)})`, 'limit.count');
  }
  let untilDay = Number.POSITIVE_INFINITY;
  if (until !== undefined) {
    const day = typeof until === 'string' ? daysOfIsoDate(until) : undefined;
    if (day === undefined) throw new SerialsFormatError(`must be a date YYYY-MM-DD (got ${JSON.stringify(until)})`, 'limit.until');
    untilDay = day;
  }
  const issues: PredictedIssue[] = [];
  const wanted = count ?? MAX_PREDICTED_ISSUES;
  let state = readState(engine, last);
  while (issues.length < wanted) {
    state = nextState(engine, state);
    if (startDay(engine.pattern, state.start) > untilDay) return issues;
    issues.push(issueOf(engine, state));
  }
  if (count === undefined) {
    throw new SerialsFormatError(`more than ${MAX_PREDICTED_ISSUES} issues fall before ${until}: ask for fewer`, 'limit.until');
  }
  return issues;
}

/** Issues a year from $w (a number or a frequency code); undefined for k, x or no $w. */
export function issuesPerYear(caption: CaptionField): number | undefined {
  if (caption === null || typeof caption !== 'object' || !Array.isArray(caption.subfields)) {
    throw new SerialsFormatError('expected a caption field (parseCaption gives one)', 'caption');
  }
  const w = caption.subfields.find((s) => s.code === 'w')?.value;
  if (w === undefined) return undefined;
  return readFrequency(w, `${caption.tag} $w`).perYear;
}
