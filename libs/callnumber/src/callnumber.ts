/*
 * Call-number scheme detection, parsing and shelf-order sort keys.
 *
 * The catalog orders shelf lists with a plain `ORDER BY sort_key` in SQLite and PostgreSQL, so a
 * key has to put items in shelf order under byte comparison with no collation help. Every key is
 * printable ASCII with no leading or trailing space.
 *
 * Key layout: <scheme> [ '/' <prefix> ] ' ' <body>
 *   scheme  'D' Dewey, 'L' LC, 'Z' generic. Collections in different schemes are shelved apart,
 *           so they never interleave; unparseable values go last.
 *   prefix  REF, J, FIC, CD-ROM... (alphanumeric runs joined by '.'). Unprefixed comes first
 *           because ' ' < '/', and "J" sorts before "J DVD" because ' ' < '.'.
 *   body    LC:    class letters, ' ', class integer padded to 4, optional '.' + decimal digits
 *           Dewey: class integer padded to 3, optional '.' + decimal digits (absent for "FIC TOL")
 *           then one encoded element per token that follows:
 *             number  ' ' + length digit + digits without leading zeros + attached letters ("1st")
 *             word    ' ' + letters
 *             cutter  '-' + letters and digits
 *           Generic bodies are only numbers and words.
 *
 * Why that element encoding: the published test lists (lcsort, Stanford, pycallnumber, Koha)
 * agree that after any component the order is: nothing < number (date, edition, volume) < text
 * < a further Cutter. The element marker doubles as the terminator of the previous element, and
 * both markers sort below '.', '0' and 'A', so "M3" < "M321", "B82 L3" < "B82.2", "A" < "AA".
 * The length digit makes numbers compare numerically ("v.2" < "v.10") while staying below
 * letters ('0'..'@' for up to 16 digits), which is what puts numbers before words.
 * Cutter digits are decimal fractions, so they compare as plain strings (.M3 < .M321 < .M4),
 * which is where Koha's and Evergreen's Dewey keys go wrong.
 */

export type CallNumberScheme = 'lc' | 'dewey' | 'generic';

export interface ParsedCallNumber {
  scheme: CallNumberScheme;
  /** Collection/location prefix such as REF, J, FIC, CD-ROM; null when there is none. */
  prefix: string | null;
  /** LC "QA76.73", Dewey "599.75" (empty for "FIC TOL"), generic: everything after the prefix. */
  classification: string;
  /** Cutters as written, without the leading '.', work marks kept ("A101mc", "P23w", "TOL"). */
  cutters: string[];
  year: string | null;
  /** Volume, copy, part and other trailing text as written ("v.2", "NO. 555 1986"). */
  suffix: string | null;
  original: string;
}

/** Element kinds of the text after the class number (shared with spine.ts). */
export enum El {
  Num,
  Word,
  Cut,
}

export interface Element {
  kind: El;
  start: number;
  end: number;
  /** Uppercased letters (word, cutter) or digits without leading zeros (number). */
  main: string;
  /** Letters attached to a number ("1st", "1987b"), uppercased. */
  tail: string;
  /** Preceded directly by '.', which marks a Cutter even when it has no digits (".L"). */
  dotted: boolean;
  /** No separator before it: a word attached to a cutter is a work mark ("A101mc"). */
  attached: boolean;
}

export interface Analysis {
  scheme: CallNumberScheme;
  /** The prepared text (ASCII, single spaces, case kept); every position below is into it. */
  text: string;
  prefix: string | null;
  prefixKey: string;
  /** Start of the part after the prefix, in `text`. */
  bodyStart: number;
  classification: string;
  classKey: string;
  /** Where the class number ends (= bodyStart when there is none); the elements come after. */
  classEnd: number;
  elements: Element[];
}

const MAX_NUMBER_LEN = 16;

// Words a library puts in front of the classification to name a collection. Only used at the
// start of a call number; single letters and short ones that are also LC classes are checked
// against the LC reading first (see peelPrefixes).
const PREFIXES = new Set([
  'REF', 'REFERENCE', 'R', 'J', 'JUV', 'JUVENILE', 'JR', 'JNF', 'JF', 'JFIC', 'JE', 'JB', 'JBIO',
  'E', 'EASY', 'ER', 'PIC', 'YA', 'YAF', 'YANF', 'YR', 'TEEN', 'FIC', 'FICTION', 'F', 'SF', 'MYS',
  'MYSTERY', 'ROM', 'WES', 'WESTERN', 'B', 'BIO', 'BIOG', 'BIOGRAPHY', 'NF', 'DVD', 'BLU-RAY',
  'BLURAY', 'CD', 'CD-ROM', 'CDROM', 'MP3-CD', 'MP3', 'AUDIO', 'CASS', 'VHS', 'VIDEO', 'LP', 'LT',
  'LPR', 'LARGE', 'PRINT', 'PB', 'PBK', 'PAPERBACK', 'GN', 'GRAPHIC', 'OVERSIZE', 'OVERSZ', 'FOLIO',
  'STORAGE', 'SPEC', 'SPECIAL', 'COLL', 'ARCHIVES', 'AV', 'MEDIA', 'PER', 'PERIODICAL', 'SER',
  'SERIAL', 'MAG', 'GOVDOC', 'DOC', 'DOCS', 'MAP', 'MAPS', 'KIT', 'GAME', 'NEW', 'LOCAL', 'RES',
  'RESERVE', 'SCORE', 'SCORES', 'THESIS', 'ATLAS', 'PROF', 'BB', 'BOARD', 'EBOOK',
]);

// Collections shelved by author alone, where the call number is just label + author ("FIC TOL",
// "B SMITH", "E CAR"). After any other label, words without a class number are not Dewey.
const AUTHOR_SHELVED = new Set([
  'FIC', 'FICTION', 'F', 'SF', 'MYS', 'MYSTERY', 'ROM', 'WES', 'WESTERN', 'B', 'BIO', 'BIOG',
  'BIOGRAPHY', 'E', 'EASY', 'ER', 'PIC', 'J', 'JF', 'JFIC', 'JE', 'JB', 'JBIO', 'YA', 'YAF', 'TEEN',
  'GN', 'GRAPHIC', 'PB', 'PBK', 'PAPERBACK', 'LP', 'LT', 'LPR', 'DVD', 'CD', 'MP3-CD', 'AUDIO', 'BB', 'BOARD',
]);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING = /[\u0300-\u036f]/g;
const NON_ASCII_G = /[^\x00-\x7f]/g;
const SPACES = /\s+/g;
// Exports from some systems keep MARC subfield delimiters: "BX890 ǂb .S986 1714".
const SUBFIELD_MARK = /[\u01c2\u2021]\s?[a-z0-9](?![A-Za-z0-9])/g;

/** Folds diacritics, drops what has no ASCII form, collapses whitespace. Case is kept for display. */
function prepare(input: string): string {
  let s = input;
  if (NON_ASCII.test(s)) {
    s = s.replace(SUBFIELD_MARK, ' ').normalize('NFKD').replace(COMBINING, '').replace(NON_ASCII_G, ' ');
  }
  return s.replace(SPACES, ' ').trim();
}

function numberKey(digits: string): string {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  const d = i === 0 ? digits : digits.slice(i);
  // Past 16 digits the length char would reach the letters; such runs are barcodes, not shelving.
  return String.fromCharCode(48 + Math.min(d.length, MAX_NUMBER_LEN)) + d;
}

/**
 * Splits the text after the class number into numbers, words and cutters. `generic` keeps letter
 * and digit runs apart, because there a letter-digit run is not known to be a Cutter.
 */
function tokenize(s: string, from: number, generic: boolean): Element[] {
  const out: Element[] = [];
  const n = s.length;
  let i = from;
  let dotted = false;
  let attached = false;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (isDigit(c)) {
      let j = i;
      while (j < n && isDigit(s.charCodeAt(j))) j++;
      let end = j;
      let tail = '';
      if (!generic) {
        let k = j;
        while (k < n && isLetter(s.charCodeAt(k))) k++;
        // "1987b" and "4th" carry their letters; "1974M3" is a date followed by a cutter.
        if (k > j && !(k < n && isDigit(s.charCodeAt(k)))) {
          tail = s.slice(j, k).toUpperCase();
          end = k;
        }
      }
      out.push({ kind: El.Num, start: i, end, main: s.slice(i, j), tail, dotted, attached });
      i = end;
    } else if (isLetter(c)) {
      let j = i;
      while (j < n && isLetter(s.charCodeAt(j))) j++;
      if (!generic && j < n && isDigit(s.charCodeAt(j))) {
        let k = j;
        while (k < n && isDigit(s.charCodeAt(k))) k++;
        out.push({ kind: El.Cut, start: i, end: k, main: s.slice(i, k).toUpperCase(), tail: '', dotted, attached });
        i = k;
      } else {
        out.push({ kind: El.Word, start: i, end: j, main: s.slice(i, j).toUpperCase(), tail: '', dotted, attached });
        i = j;
      }
    } else {
      dotted = c === 46;
      attached = false;
      i++;
      continue;
    }
    dotted = false;
    attached = true;
  }
  return out;
}

function encodeElements(elements: Element[]): string {
  let key = '';
  for (const e of elements) {
    if (e.kind === El.Num) key += ' ' + numberKey(e.main) + e.tail;
    else if (e.kind === El.Cut) key += '-' + e.main;
    else key += ' ' + e.main;
  }
  return key;
}

function trimZeros(dec: string): string {
  let end = dec.length;
  while (end > 0 && dec.charCodeAt(end - 1) === 48) end--;
  return dec.slice(0, end);
}

function padInt(digits: string, width: number): string {
  let i = 0;
  while (i < digits.length && digits.charCodeAt(i) === 48) i++;
  const d = digits.slice(i);
  return d.length >= width ? d : '0'.repeat(width - d.length) + d;
}

interface ClassMatch {
  classification: string;
  classKey: string;
  /** Where the rest starts in the prepared text. */
  end: number;
}

// Class letters, an optional space ("A 1" is "A1"), up to four integer digits, optional decimal.
const LC_CLASS = /^([A-Za-z]{1,3}) ?(\d{1,4})(?:\.(\d+))?(?!\d)/;
const LC_LETTERS_ONLY = /^([A-Za-z]{1,3})(?![A-Za-z0-9])/;
// Detection only accepts letters that can start a real LC class: I, O, W, X and Y are unused and
// the three-letter classes are DAW, DJK and K..; so "DVD 1234" is not read as LC. An explicit
// 'lc' accepts any one to three letters, as the upstream test lists do ("ABR92", "zzz19").
const LC_STRICT_LETTERS = /^(?:[A-HJ-NP-VZ][A-Z]?|DAW|DJK|K[A-Z]{2})$/i;
// 082 copies often keep the segmentation marks ("823/.914", "005.13/3"); they are not part of the number.
const DEWEY_CLASS = /^(\d{1,3})(?:['\/]?\.(\d+(?:['\/]\d+)*))?(?!\d)/;
const SEGMENTATION = /['\/]/g;

function matchLc(s: string, from: number, strict: boolean): ClassMatch | null {
  const rest = from === 0 ? s : s.slice(from);
  const m = LC_CLASS.exec(rest);
  if (m) {
    if (strict) {
      if (!LC_STRICT_LETTERS.test(m[1]!)) return null;
      // A stem straight into ':' or '/' is SuDoc ("EP 1.104:C 73/2004", "ED 1.334/2:P 84").
      const next = rest.charCodeAt(m[0].length);
      if (next === 58 || next === 47) return null;
    }
    const letters = m[1]!.toUpperCase();
    const dec = m[3] === undefined ? '' : trimZeros(m[3]);
    return {
      classification: letters + m[2]! + (m[3] === undefined ? '' : '.' + m[3]),
      classKey: letters + ' ' + padInt(m[2]!, 4) + (dec ? '.' + dec : ''),
      end: from + m[0].length,
    };
  }
  if (strict) return null;
  const l = LC_LETTERS_ONLY.exec(rest);
  if (!l) return null;
  const letters = l[1]!.toUpperCase();
  return { classification: letters, classKey: letters, end: from + l[0].length };
}

function matchDewey(s: string, from: number, strict: boolean): ClassMatch | null {
  const rest = from === 0 ? s : s.slice(from);
  const m = DEWEY_CLASS.exec(rest);
  // Dewey is written with three integer digits ("005.133"); "DVD 54" is a local number. Stanford's
  // test lists use "1 .M32", so an explicit 'dewey' still takes one or two.
  if (!m || (strict && m[1]!.length !== 3)) return null;
  // A Dewey number ends the token or runs into a cutter; "02-25360" and "00/01" are something else.
  const len = m[0].length;
  const next = rest.charCodeAt(len);
  const ok = len === rest.length || next === 32 || next === 46 || isLetter(next) || (next === 47 && isLetter(rest.charCodeAt(len + 1)));
  if (!ok) return null;
  const digits = m[2] === undefined ? undefined : m[2].replace(SEGMENTATION, '');
  const dec = digits === undefined ? '' : trimZeros(digits);
  return {
    classification: m[1]! + (digits === undefined ? '' : '.' + digits),
    classKey: padInt(m[1]!, 3) + (dec ? '.' + dec : ''),
    end: from + m[0].length,
  };
}

/** Index just past the whitespace-delimited token starting at `from`. */
function tokenEnd(s: string, from: number): number {
  const sp = s.indexOf(' ', from);
  return sp === -1 ? s.length : sp;
}

/**
 * Whether a short prefix-like token ("J", "R", "B", "CD") is really an LC class. LC separates its
 * Cutter with a period or writes it straight after the number ("R 241 .F2498", "B 528.S298"),
 * while a Dewey collection label is followed by a three-digit class and a space-separated cutter
 * ("J 599.75 PAR", "J 295.435 K56"). With nothing after the number there is no evidence, and LC
 * wins because the token then reads as a complete class.
 */
function readsAsLc(s: string, from: number): boolean {
  const lc = matchLc(s, from, true);
  if (!lc) return false;
  const dw = matchDewey(s, tokenEnd(s, from) + 1, true);
  if (!dw) return true;
  const after = lc.end;
  if (after >= s.length) return true;
  return s.charCodeAt(after) !== 32 || s.charCodeAt(after + 1) === 46;
}

interface Peeled {
  prefix: string | null;
  prefixKey: string;
  bodyStart: number;
  /** The last label word peeled, uppercased ("FIC" in "J FIC TOL"). */
  last: string;
}

function peelPrefixes(s: string, scheme: CallNumberScheme | undefined): Peeled {
  let pos = 0;
  let last = '';
  const keys: string[] = [];
  while (pos < s.length) {
    const end = tokenEnd(s, pos);
    if (end >= s.length) break; // a prefix needs something after it
    const token = s.slice(pos, end);
    const upper = token.toUpperCase().replace(/\.$/, '');
    if (!PREFIXES.has(upper)) break;
    if (/^[A-Z]{1,3}$/.test(upper) && isDigit(s.charCodeAt(end + 1))) {
      // Asked for LC explicitly, a prefix only goes when the call number is not LC without it;
      // asked for Dewey, "J 500" is juvenile 500 even though it would read as LC class J500.
      if (scheme === 'lc' ? matchLc(s, pos, false)?.classKey.includes(' ') : scheme === undefined && readsAsLc(s, pos)) break;
    }
    keys.push(prefixKeyOf(upper));
    last = upper;
    pos = end + 1;
  }
  if (pos === 0) return { prefix: null, prefixKey: '', bodyStart: 0, last };
  return { prefix: s.slice(0, pos - 1), prefixKey: keys.join('.'), bodyStart: pos, last };
}

function prefixKeyOf(label: string): string {
  return label.toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean).join('.');
}

function analyseLc(s: string, peeled: Peeled, strict: boolean): Analysis | null {
  const m = matchLc(s, peeled.bodyStart, strict);
  if (!m) return null;
  const elements = tokenize(s, m.end, false);
  for (const e of elements) if (e.kind === El.Word && e.dotted) e.kind = El.Cut;
  return { scheme: 'lc', text: s, ...peeled, classification: m.classification, classKey: m.classKey, classEnd: m.end, elements };
}

function analyseDewey(s: string, peeled: Peeled, strict: boolean): Analysis | null {
  const m = matchDewey(s, peeled.bodyStart, strict);
  let classification = '';
  let classKey = '';
  let from = peeled.bodyStart;
  if (m) {
    classification = m.classification;
    classKey = m.classKey;
    from = m.end;
  } else if (!AUTHOR_SHELVED.has(peeled.last) || !isLetter(s.charCodeAt(peeled.bodyStart))) {
    return null;
  }
  const elements = tokenize(s, from, false);
  // The first word after the class is the cutter (often the author's first letters: "823.914 ROW").
  const first = elements[0];
  if (first && first.kind === El.Word) first.kind = El.Cut;
  for (const e of elements) if (e.kind === El.Word && e.dotted) e.kind = El.Cut;
  return { scheme: 'dewey', text: s, ...peeled, classification, classKey, classEnd: from, elements };
}

/**
 * An LC call number behind a free-text shelving label ("New Books Display KF299.W6 B76 2012").
 * Only taken when the class is a real one and a Cutter follows, since the words could be anything.
 */
function analyseLcAfterLabel(s: string, peeled: Peeled): Analysis | null {
  let pos = peeled.bodyStart;
  for (let words = 0; words < 4; words++) {
    const end = tokenEnd(s, pos);
    if (end >= s.length || !/^[A-Za-z]+$/.test(s.slice(pos, end))) return null;
    pos = end + 1;
    const prefix = s.slice(0, end);
    const lc = analyseLc(s, { prefix, prefixKey: prefixKeyOf(prefix), bodyStart: pos, last: '' }, true);
    if (lc && lc.elements[0]?.kind === El.Cut) return lc;
  }
  return null;
}

/**
 * A collection label written onto a Dewey number ("R220.3" for reference, in Koha's Dewey tests).
 * Only looked for when the record says the number is Dewey: read freely, "R220.3" is LC class R.
 */
function gluedPrefix(s: string, p: Peeled): Peeled | null {
  const m = /^([A-Za-z]{1,4})(?=\d{3}(?!\d))/.exec(s.slice(p.bodyStart));
  if (!m) return null;
  const label = m[1]!.toUpperCase();
  if (!PREFIXES.has(label)) return null;
  const bodyStart = p.bodyStart + m[1]!.length;
  return { prefix: s.slice(0, bodyStart), prefixKey: (p.prefixKey ? p.prefixKey + '.' : '') + label, bodyStart, last: label };
}

function analyseGeneric(s: string, peeled: Peeled): Analysis {
  return {
    scheme: 'generic',
    text: s,
    ...peeled,
    classification: s.slice(peeled.bodyStart),
    classKey: '',
    classEnd: peeled.bodyStart,
    elements: tokenize(s, peeled.bodyStart, true),
  };
}

function analyse(input: unknown, scheme: CallNumberScheme | undefined): Analysis {
  const s = typeof input === 'string' ? prepare(input) : '';
  if (scheme === 'lc') {
    const p = peelPrefixes(s, 'lc');
    return analyseLc(s, p, false) ?? analyseLcAfterLabel(s, p) ?? analyseGeneric(s, p);
  }
  if (scheme === 'dewey') {
    const p = peelPrefixes(s, 'dewey');
    const glued = gluedPrefix(s, p);
    return analyseDewey(s, p, false) ?? (glued && analyseDewey(s, glued, false)) ?? analyseGeneric(s, p);
  }
  if (scheme === 'generic') return analyseGeneric(s, peelPrefixes(s, 'generic'));
  const p = peelPrefixes(s, undefined);
  return analyseLc(s, p, true) ?? analyseDewey(s, p, true) ?? analyseLcAfterLabel(s, p) ?? analyseGeneric(s, p);
}

const YEAR = /^[12]\d{3}$/;
// "R5c.1" is Cutter R5 and copy 1, not work mark "c": a designator followed by ".<number>".
const DESIGNATOR = /^(?:V|VOL|C|COP|PT|NO|BD|T)$/;
// "12 TH": an ordinal written apart from its number.
const ORDINAL = /^(?:ST|ND|RD|TH)$/;
const RUN_ON = /^[-\/:]$/;

function toParsed(a: Analysis, original: string): ParsedCallNumber {
  const parsed: ParsedCallNumber = {
    scheme: a.scheme,
    prefix: a.prefix,
    classification: a.classification,
    cutters: [],
    year: null,
    suffix: null,
    original,
  };
  if (a.scheme === 'generic') return parsed;
  const els = a.elements;
  let lastCut = -1;
  for (let i = 0; i < els.length; i++) if (els[i]!.kind === El.Cut) lastCut = i;
  let suffixAt = els.length;
  let firstCut = -1;
  for (let i = 0; i < els.length; i++) {
    const e = els[i]!;
    const prev = els[i - 1];
    const next = els[i + 1];
    if (e.kind === El.Word && prev?.kind === El.Num && prev.tail === '' && !e.attached && ORDINAL.test(e.main)) continue;
    const designator = DESIGNATOR.test(e.main) && next !== undefined && next.kind === El.Num && next.dotted;
    const workMark = e.kind === El.Word && e.attached && i > 0 && prev!.kind === El.Cut && !designator;
    // "ST5-8/11" after the Cutters (a map's sheet statement): letters and digits running on into
    // '-', '/' or ':' and a number are not a further Cutter.
    const runOn = e.kind === El.Cut && firstCut !== -1 && next?.kind === El.Num && RUN_ON.test(a.text.slice(e.end, next.start));
    // An edition ordinal ("12TH", "12 TH") is part of the call number proper, where it falls.
    const ordinal = e.kind === El.Num && (ORDINAL.test(e.tail) || (e.tail === '' && next?.kind === El.Word && !next.attached && ORDINAL.test(next.main)));
    if ((e.kind === El.Word && !workMark) || (e.kind === El.Num && !YEAR.test(e.main) && !ordinal && i > lastCut) || runOn) {
      suffixAt = i;
      break;
    }
    if (e.kind === El.Cut && firstCut === -1) firstCut = i;
  }
  for (let i = 0; i < suffixAt; i++) {
    const e = els[i]!;
    if (e.kind === El.Cut) {
      let end = e.end;
      const next = els[i + 1];
      // The loop above already left a designator out of the cutters by starting the suffix there.
      if (next && i + 1 < suffixAt && next.kind === El.Word && next.attached) end = next.end;
      parsed.cutters.push(a.text.slice(e.start, end));
    } else if (e.kind === El.Num && YEAR.test(e.main) && (firstCut === -1 || i > firstCut)) {
      // A date before the first Cutter belongs to the class ("BX830 1545 .O43"), not the edition.
      parsed.year = a.text.slice(e.start, e.end);
    }
  }
  if (suffixAt < els.length) parsed.suffix = a.text.slice(els[suffixAt]!.start);
  return parsed;
}

const SCHEME_CHAR: Record<CallNumberScheme, string> = { dewey: 'D', lc: 'L', generic: 'Z' };

function keyOf(a: Analysis): string {
  if (a.elements.length === 0 && a.classKey === '') return '';
  const head = SCHEME_CHAR[a.scheme] + (a.prefix === null ? '' : '/' + a.prefixKey) + ' ';
  const tail = encodeElements(a.elements);
  // Every generic element starts with ' ', so dropping the first one keeps the order and the key tidy.
  return head + (a.scheme === 'generic' ? tail.slice(1) : a.classKey + tail);
}

function asScheme(scheme: unknown): CallNumberScheme | undefined {
  return scheme === 'lc' || scheme === 'dewey' || scheme === 'generic' ? scheme : undefined;
}

/**
 * The reading behind parse and sort key, for the spine splitter in this lib (not exported from
 * the index). Throws only on a bug; callers catch.
 */
export function analyseCallNumber(callNumber: string, scheme?: CallNumberScheme): Analysis {
  return analyse(callNumber, asScheme(scheme));
}

/** Which classification a call number is written in. Never throws; junk is 'generic'. */
export function detectScheme(callNumber: string): CallNumberScheme {
  try {
    return analyse(callNumber, undefined).scheme;
  } catch {
    return 'generic';
  }
}

/**
 * A printable-ASCII key whose byte order is shelf order. Pass the scheme when the record says
 * which one it is (MARC 050 vs 082); a call number that does not parse in it degrades to generic.
 */
export function callNumberSortKey(callNumber: string, scheme?: CallNumberScheme): string {
  try {
    return keyOf(analyse(callNumber, asScheme(scheme)));
  } catch {
    return '';
  }
}

export function parseCallNumber(callNumber: string, scheme?: CallNumberScheme): ParsedCallNumber {
  const original = typeof callNumber === 'string' ? callNumber : '';
  try {
    return toParsed(analyse(callNumber, asScheme(scheme)), original);
  } catch {
    return { scheme: 'generic', prefix: null, classification: original.trim(), cutters: [], year: null, suffix: null, original };
  }
}
