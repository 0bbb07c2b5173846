/**
 * An 853/854/855 caption read once into what prediction needs: the enumeration levels with their
 * units ($u) and continuity ($v), the chronology levels, the frequency ($w), the calendar changes ($x)
 * and the regularity rules ($y). Every malformed part is refused here with the subfield named, so
 * prediction itself only meets patterns it can follow.
 */
import { HOLDING_TAG_OF, SerialsFormatError, type CaptionField, type CaptionTag, type HoldingTag } from '../marc-text.js';

export type Precision = 'year' | 'season' | 'month' | 'day';
export type ChronKind = Precision;

/** One date probed against the $y rules; fields finer than the chronology are 0. */
export interface Probe {
  y: number;
  /** month 1–12, 0 when the chronology has none */
  m: number;
  /** season 21–24 */
  s: number;
  /** day of month, 0 when the chronology has none */
  d: number;
  /** ISO weekday 1–7 */
  dow: number;
  dim: number;
  doy: number;
}

export type Matcher = (p: Probe) => boolean;

/** The unit a $y chronology code speaks of: d and w name days, m months, s seasons, y years. */
export type RuleUnit = 'day' | 'month' | 'season' | 'year';

export interface ChronRule {
  unit: RuleUnit;
  start: Matcher;
  /** the last unit of a combined issue (`cm07/08`, `ps22/23`) */
  end?: Matcher;
}

export interface EnumValue {
  start: number;
  end?: number;
}

export interface EnumLevel {
  key: string;
  caption: string;
  /** $u as a number; undefined for var, und or none */
  units?: number;
  /** $v: true r (restarts), false c (continuous), undefined not given */
  restart?: boolean;
  /** $ype<level>: the only values this level takes, in order */
  published?: EnumValue[];
  /** $yce<level>: values that come combined with the next (`1/2`) */
  combined?: EnumValue[];
}

export interface ChronLevel {
  key: string;
  kind: ChronKind;
}

export interface Frequency {
  /** the $w code, 'n' for a number of issues a year, '' when there is no $w */
  code: string;
  perYear?: number;
}

export interface CompiledPattern {
  tag: CaptionTag;
  holdingTag: HoldingTag;
  enumeration: EnumLevel[];
  /** $g/$h alternative numbering */
  alternative: EnumLevel[];
  chronology: ChronLevel[];
  precision: Precision;
  frequency: Frequency;
  /** $x as [month, day] pairs */
  changes: [number, number][];
  published: ChronRule[];
  omitted: Matcher[];
  combined: ChronRule[];
  /** seasons ordered Winter, Spring, Summer, Autumn within a year (first $yps season is 24) */
  winterFirst: boolean;
}

const FREQUENCY_CODES = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'm', 'q', 's', 't', 'w', 'x']);
const WEEKDAYS: Record<string, number> = { mo: 1, tu: 2, we: 3, th: 4, fr: 5, sa: 6, su: 7 };
const MAX_RULE_VALUES = 400;
/** one a month and one a season is the most a pattern can mean */
const MAX_CHANGES = 24;

const cache = new WeakMap<CaptionField, CompiledPattern>();

export function compilePattern(caption: CaptionField): CompiledPattern {
  if (caption === null || typeof caption !== 'object' || !Array.isArray(caption.subfields)) {
    throw new SerialsFormatError('expected a caption field (parseCaption gives one)', 'caption');
  }
  let compiled = cache.get(caption);
  if (!compiled) {
    compiled = compile(caption);
    cache.set(caption, compiled);
  }
  return compiled;
}

function compile(caption: CaptionField): CompiledPattern {
  const tag = caption.tag;
  const holdingTag = HOLDING_TAG_OF[tag];
  if (!holdingTag) throw new SerialsFormatError(`tag ${JSON.stringify(tag)} is not 853, 854 or 855`, 'caption');
  const at = (code: string): string => `${tag} $${code}`;

  const enumCaptions: EnumLevel[] = [];
  const altCaptions: EnumLevel[] = [];
  const chronCaptions: { key: string; caption: string }[] = [];
  let lastLevel: EnumLevel | undefined;
  let frequencyText: string | undefined;
  const changeTexts: string[] = [];
  const yTexts: string[] = [];
  const seen = new Set<string>();

  for (const { code, value } of caption.subfields) {
    if (typeof value !== 'string') throw new SerialsFormatError('value is not text', at(code));
    if (/^[a-l]$/.test(code) || code === 'w') {
      if (seen.has(code)) throw new SerialsFormatError('is not repeatable', at(code));
      seen.add(code);
    }
    if (code >= 'a' && code <= 'h' && code.length === 1) {
      const level: EnumLevel = { key: code, caption: value };
      (code >= 'g' ? altCaptions : enumCaptions).push(level);
      lastLevel = code === 'a' || code === 'g' ? undefined : level;
    } else if (code >= 'i' && code <= 'l' && code.length === 1) {
      chronCaptions.push({ key: code, caption: value });
    } else if (code === 'u') {
      if (value === '' || !lastLevel) continue; // $u of the top level says nothing for prediction
      if (/^\d{1,6}$/.test(value) && Number(value) > 0) lastLevel.units = Number(value);
      else if (value !== 'var' && value !== 'und') {
        throw new SerialsFormatError(`must be a number of units, 'var' or 'und' (got ${JSON.stringify(value)})`, at('u'));
      }
    } else if (code === 'v') {
      if (value === '' || !lastLevel) continue;
      if (value !== 'r' && value !== 'c') throw new SerialsFormatError(`must be 'r' or 'c' (got ${JSON.stringify(value)})`, at('v'));
      lastLevel.restart = value === 'r';
    } else if (code === 'w') {
      frequencyText = value;
    } else if (code === 'x') {
      changeTexts.push(value);
    } else if (code === 'y') {
      yTexts.push(value);
    }
  }

  checkLevelsInOrder(enumCaptions.map((l) => l.key), 'abcdef', tag);
  checkLevelsInOrder(chronCaptions.map((l) => l.key), 'ijkl', tag);

  // $w may be left out when $yp gives every publication date (Evergreen's annual index example does)
  const frequency: Frequency = frequencyText === undefined ? { code: '' } : readFrequency(frequencyText, at('w'));

  // Chronology kept in the enumeration subfields ($a(year) $b(season)), as for issues known by date only.
  const chronInEnum =
    chronCaptions.length === 0 && changeTexts.length === 0 && enumCaptions.length > 0 && frequencyText !== undefined &&
    enumCaptions.every((l) => l.units === undefined && l.restart === undefined) &&
    /year|yr\b|season|month|day/i.test(enumCaptions[0]!.caption);

  const seasonHinted = yTexts.some((y) => y[1] === 's');
  const chronSource = chronInEnum ? enumCaptions.map((l) => ({ key: l.key, caption: l.caption })) : chronCaptions;
  if (chronSource.length === 0) {
    throw new SerialsFormatError('has no chronology: issues cannot be dated without $i (year)…', at('i'));
  }
  const chronology = chronSource.map((c, index) => ({ key: c.key, kind: chronKind(c.caption, index, seasonHinted, tag, c.key) }));
  const precision = chronology[chronology.length - 1]!.kind;

  const rules = readRules(yTexts, tag);
  const winterFirst = rules.firstSeason === 24;
  const enumeration = chronInEnum ? [] : enumCaptions;
  for (const level of enumeration) {
    const index = level.key.charCodeAt(0) - 96;
    level.published = rules.enumPublished.get(index);
    level.combined = rules.enumCombined.get(index);
  }
  for (const level of altCaptions) {
    if (level.units === undefined && level.restart === true) {
      throw new SerialsFormatError(`$${level.key} restarts ($v r) but $u gives no number of units`, at('u'));
    }
  }

  const changes = changeTexts.flatMap((text) => readChanges(text, winterFirst, at('x')));
  if (changes.length > MAX_CHANGES) throw new SerialsFormatError(`more than ${MAX_CHANGES} calendar changes`, at('x'));

  for (const level of enumeration.slice(1)) {
    if (level.restart === true && level.units === undefined && !level.published && changes.length === 0) {
      throw new SerialsFormatError(
        `$${level.key} restarts ($v r) but has no number of units ($u is missing, 'var' or 'und') and no calendar change $x tells when`,
        at('u'));
    }
  }

  return {
    tag, holdingTag, enumeration, alternative: altCaptions, chronology, precision, frequency, changes,
    published: rules.published, omitted: rules.omitted, combined: rules.combined, winterFirst,
  };
}

function checkLevelsInOrder(keys: string[], order: string, tag: string): void {
  keys.forEach((key, index) => {
    if (key !== order[index]) {
      throw new SerialsFormatError(`levels must follow one another from $${order[0]} (found $${key} where $${order[index]} belongs)`, `${tag} $${key}`);
    }
  });
}

function chronKind(text: string, index: number, seasonHinted: boolean, tag: string, key: string): ChronKind {
  const t = text.toLowerCase();
  if (t.includes('week') || t.includes('hour')) {
    throw new SerialsFormatError(`chronology by ${t.includes('week') ? 'week' : 'hour'} is not predicted (caption ${JSON.stringify(text)})`, `${tag} $${key}`);
  }
  let kind: ChronKind;
  if (t.includes('year') || /\byr/.test(t)) kind = 'year';
  else if (t.includes('season')) kind = 'season';
  else if (t.includes('month') || /\bmo\b/.test(t)) kind = 'month';
  else if (t.includes('day')) kind = 'day';
  else kind = index === 0 ? 'year' : index === 1 ? (seasonHinted ? 'season' : 'month') : 'day';
  const expected = index === 0 ? ['year'] : index === 1 ? ['month', 'season'] : index === 2 ? ['day'] : [];
  if (!expected.includes(kind)) {
    const what = index >= 3 ? 'a fourth chronology level is not predicted' :
      `level ${index + 1} of chronology must be ${expected.join(' or ')} (caption ${JSON.stringify(text)})`;
    throw new SerialsFormatError(what, `${tag} $${key}`);
  }
  return kind;
}

const NAMED_PER_YEAR: Record<string, number> = {
  a: 1, b: 6, c: 104, d: 365, e: 26, f: 2, g: 0.5, h: 1 / 3, i: 156, j: 36, m: 12, q: 4, s: 24, t: 3, w: 52,
};

export function readFrequency(text: string, where: string): Frequency {
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    if (n < 1 || n > 366) throw new SerialsFormatError(`a number of issues a year must be 1 to 366 (got ${text})`, where);
    return { code: 'n', perYear: n };
  }
  if (!FREQUENCY_CODES.has(text)) {
    throw new SerialsFormatError(`unknown frequency code ${JSON.stringify(text)} (a, b, c, d, e, f, g, h, i, j, k, m, q, s, t, w, x or a number)`, where);
  }
  return { code: text, perYear: NAMED_PER_YEAR[text] };
}

function readChanges(text: string, winterFirst: boolean, where: string): [number, number][] {
  return text.split(',').map((part) => {
    const v = part.trim();
    if (/^\d{2}$/.test(v)) {
      const n = Number(v);
      if (n >= 1 && n <= 12) return [n, 1] as [number, number];
      if (n >= 21 && n <= 24) return [seasonStartMonth(n, winterFirst), 1] as [number, number];
    } else if (/^\d{4}$/.test(v)) {
      const month = Number(v.slice(0, 2)), day = Number(v.slice(2));
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31) return [month, day] as [number, number];
    }
    throw new SerialsFormatError(`calendar change must be MM, MMDD or a season 21–24 (got ${JSON.stringify(v)})`, where);
  });
}

export function seasonStartMonth(season: number, winterFirst: boolean): number {
  return season === 21 ? 3 : season === 22 ? 6 : season === 23 ? 9 : winterFirst ? 1 : 12;
}

export function seasonOfMonth(month: number): number {
  return month >= 3 && month <= 5 ? 21 : month >= 6 && month <= 8 ? 22 : month >= 9 && month <= 11 ? 23 : 24;
}

interface Rules {
  published: ChronRule[];
  omitted: Matcher[];
  combined: ChronRule[];
  enumPublished: Map<number, EnumValue[]>;
  enumCombined: Map<number, EnumValue[]>;
  firstSeason?: number;
}

function readRules(texts: string[], tag: string): Rules {
  const where = `${tag} $y`;
  const rules: Rules = { published: [], omitted: [], combined: [], enumPublished: new Map(), enumCombined: new Map() };
  let values = 0;
  for (const text of texts) {
    const publication = text[0];
    const code = text[1];
    if (publication !== 'p' && publication !== 'o' && publication !== 'c') {
      throw new SerialsFormatError(`must start with p (published), o (omitted) or c (combined) (got ${JSON.stringify(text)})`, where);
    }
    if (code === 'e') {
      const level = Number(text[2]);
      const list = text.slice(3);
      if (!(level >= 1 && level <= 6) || list === '') {
        throw new SerialsFormatError(`enumeration rule must be ${publication}e<level 1–6><values> (got ${JSON.stringify(text)})`, where);
      }
      if (publication === 'o') throw new SerialsFormatError(`omitting enumeration values is not predicted (${JSON.stringify(text)})`, where);
      const parsed = list.split(',').map((v) => enumValue(v, text, where));
      values += parsed.length;
      if (values > MAX_RULE_VALUES) throw new SerialsFormatError(`more than ${MAX_RULE_VALUES} values`, where);
      const target = publication === 'p' ? rules.enumPublished : rules.enumCombined;
      target.set(level, [...(target.get(level) ?? []), ...parsed]);
      continue;
    }
    if (code !== 'd' && code !== 'm' && code !== 's' && code !== 'w' && code !== 'y') {
      throw new SerialsFormatError(`chronology code must be d, m, s, w, y or e (got ${JSON.stringify(text)})`, where);
    }
    const list = text.slice(2);
    if (list === '') throw new SerialsFormatError(`has no values (${JSON.stringify(text)})`, where);
    for (const raw of list.split(',')) {
      if (++values > MAX_RULE_VALUES) throw new SerialsFormatError(`more than ${MAX_RULE_VALUES} values`, where);
      const parts = raw.trim().split('/');
      if (parts.length > 2) throw new SerialsFormatError(`${JSON.stringify(raw)} combines more than two values`, where);
      if (code === 's' && publication === 'p' && rules.firstSeason === undefined) rules.firstSeason = Number(parts[0]);
      const rule: ChronRule = {
        unit: code === 'd' || code === 'w' ? 'day' : code === 'm' ? 'month' : code === 's' ? 'season' : 'year',
        start: matcher(code, parts[0]!, where),
      };
      if (parts.length === 2) rule.end = matcher(code, parts[1]!, where);
      if (publication === 'o') {
        if (rule.end) throw new SerialsFormatError(`an omission cannot be combined (${JSON.stringify(raw)})`, where);
        rules.omitted.push(rule.start);
      } else if (publication === 'p') {
        rules.published.push(rule);
      } else {
        if (!rule.end) throw new SerialsFormatError(`a combined issue needs two values start/end (got ${JSON.stringify(raw)})`, where);
        rules.combined.push(rule);
      }
    }
  }
  return rules;
}

function enumValue(text: string, rule: string, where: string): EnumValue {
  const parts = text.split('/');
  if (parts.length > 2 || !parts.every((p) => /^\d{1,6}$/.test(p))) {
    throw new SerialsFormatError(`enumeration value ${JSON.stringify(text)} must be a number or two joined by / (in ${JSON.stringify(rule)})`, where);
  }
  return parts.length === 2 ? { start: Number(parts[0]), end: Number(parts[1]) } : { start: Number(parts[0]) };
}

function weekOfMonth(week: number): (p: Probe) => boolean {
  if (week === 0) return () => true;
  if (week >= 1 && week <= 5) return (p) => Math.ceil(p.d / 7) === week;
  // 99 last, 98 next to last, 97 third to last: counted back from the month's end
  const back = 99 - week;
  return (p) => p.d > p.dim - 7 * (back + 1) && p.d <= p.dim - 7 * back;
}

function matcher(code: string, raw: string, where: string): Matcher {
  const v = raw.trim().toLowerCase();
  const bad = (): never => {
    throw new SerialsFormatError(`${JSON.stringify(raw)} is not a valid value for chronology code ${code}`, where);
  };
  const inRange = (n: number, low: number, high: number): number => (n >= low && n <= high ? n : bad());
  const weekCode = (text: string): number => {
    const n = Number(text);
    return (n >= 0 && n <= 5) || (n >= 97 && n <= 99) ? n : bad();
  };
  switch (code) {
    case 'd': {
      if (v in WEEKDAYS) {
        const dow = WEEKDAYS[v]!;
        return (p) => p.d > 0 && p.dow === dow;
      }
      if (/^\d{2}$/.test(v)) {
        const day = inRange(Number(v), 1, 31);
        return (p) => p.d === day;
      }
      if (/^\d{4}$/.test(v)) {
        const month = inRange(Number(v.slice(0, 2)), 1, 12), day = inRange(Number(v.slice(2)), 1, 31);
        return (p) => p.m === month && p.d === day;
      }
      return bad();
    }
    case 'm': {
      if (!/^\d{2}$/.test(v)) return bad();
      const month = inRange(Number(v), 1, 12);
      return (p) => p.m === month;
    }
    case 's': {
      if (!/^\d{2}$/.test(v)) return bad();
      const season = inRange(Number(v), 21, 24);
      return (p) => p.s === season;
    }
    case 'y': {
      if (!/^\d{4}$/.test(v)) return bad();
      const year = Number(v);
      return (p) => p.y === year;
    }
    default: {
      // w: WWdd (nth weekday of every month), MMWWdd (of one month), MMWW (a week of one month), WW (week of the year)
      let match: RegExpExecArray | null;
      if ((match = /^(\d{2})(mo|tu|we|th|fr|sa|su)$/.exec(v))) {
        const inWeek = weekOfMonth(weekCode(match[1]!));
        const dow = WEEKDAYS[match[2]!]!;
        return (p) => p.d > 0 && p.dow === dow && inWeek(p);
      }
      if ((match = /^(\d{2})(\d{2})(mo|tu|we|th|fr|sa|su)$/.exec(v))) {
        const month = inRange(Number(match[1]), 1, 12);
        const inWeek = weekOfMonth(weekCode(match[2]!));
        const dow = WEEKDAYS[match[3]!]!;
        return (p) => p.m === month && p.d > 0 && p.dow === dow && inWeek(p);
      }
      if ((match = /^(\d{2})(\d{2})$/.exec(v))) {
        const month = inRange(Number(match[1]), 1, 12);
        const inWeek = weekOfMonth(weekCode(match[2]!));
        return (p) => p.m === month && p.d > 0 && inWeek(p);
      }
      if (/^\d{2}$/.test(v)) {
        const week = inRange(Number(v), 1, 53);
        return (p) => p.d > 0 && Math.ceil(p.doy / 7) === week;
      }
      return bad();
    }
  }
}
