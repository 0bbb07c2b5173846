/*
 * Spine-label lines: a call number broken where a shelver reads it, top to bottom.
 *
 *   REF        prefixes (collection labels), one per line
 *   QA         LC: class letters, then the class number
 *   76.73      Dewey: the class number, without 082 segmentation marks
 *   .J38       each Cutter on its own line, with its period when it is written with one;
 *   S65        a work mark stays on its Cutter (".A101mb", "P23w")
 *   2019       dates and other numbers, ordinals whole ("28TH", "12 TH", "1st")
 *   v.2        volume, copy, part: designator and number together ("NO. 555", "vol. 4")
 *
 * The break points come from the same reading as the sort key (callnumber.ts), so a label and the
 * shelf list agree on what the Cutter is. Nothing is cut at a width and no line is dropped: fitting
 * the lines on a label (shrinking, flagging) is the label renderer's job, which can say so in its
 * report; a splitter that truncated would lose text silently, as Evergreen's cn_wrap does.
 */
import { analyseCallNumber, El, type Analysis, type CallNumberScheme, type Element } from './callnumber.js';

export interface SplitOptions {
  /**
   * A prefix the record keeps apart from the call number (Evergreen's call-number prefix, a
   * location label): one line above, as written.
   */
  prefix?: string | null;
  /** A suffix kept apart likewise ("REFERENCE", "MEDIA"): one line below, as written. */
  suffix?: string | null;
}

// Volume, copy and part words that take the number after them ("v.2", "NO. 555", "vol. 4", "Bd.2").
const DESIGNATORS = new Set([
  'V', 'VOL', 'VOLS', 'NO', 'NOS', 'PT', 'PTS', 'PART', 'C', 'CP', 'COP', 'COPY', 'BD', 'BK', 'BOOK', 'T', 'TOME', 'TOM',
  'SER', 'SUPPL', 'SUP', 'DISC', 'DISK', 'BOX', 'FOLDER', 'FASC', 'HEFT', 'JAHRG', 'NR', 'SECT', 'ED', 'OP', 'YR', 'ANO',
]);
// A designator glued to the Cutter or number before it: "R5c.1" is Cutter R5 and copy 1.
const GLUED_DESIGNATOR = /^(.*\d)((?:c|v|pt|no|cop|vol|bd|t)\.\d.*)$/i;
const ORDINAL_ENDINGS = new Set(['ST', 'ND', 'RD', 'TH']);

const SPACE = /\s/;
const SUBFIELD_MARK = /[\u01c2\u2021]\s?[a-z0-9](?![A-Za-z0-9])/g;
const COMBINING = /[\u0300-\u036f]/g;

/**
 * The call number as it will print: Unicode composed, whitespace collapsed, MARC subfield marks
 * left in exports removed. Lines are cut from this, so "Brontë" prints with its diaeresis.
 */
function displayText(input: string): string {
  return input.replace(SUBFIELD_MARK, ' ').normalize('NFC').replace(/\s+/g, ' ').trim();
}

interface Folded {
  /** What the analysis reads (ASCII). */
  text: string;
  /** For each char of `text`, the range of the display text it came from. */
  from: number[];
  to: number[];
  /** Some display character had no ASCII form and was read as a space. */
  lossy: boolean;
}

/** The ASCII reading of the display text, with each char mapped back, as callnumber.ts prepares it. */
function fold(display: string): Folded {
  const chars: string[] = [];
  const from: number[] = [];
  const to: number[] = [];
  let lossy = false;
  let i = 0;
  for (const cp of display) {
    const end = i + cp.length;
    let out: string;
    if (cp.length === 1 && cp.charCodeAt(0) < 128) out = cp;
    else {
      out = cp.normalize('NFKD').replace(COMBINING, '');
      if (!/^[\x00-\x7f]+$/.test(out)) {
        // Combining marks alone fold to nothing; any other character without an ASCII form is lost.
        lossy ||= out !== '';
        out = out === '' ? '' : ' ';
      }
    }
    for (const ch of out) {
      const c = SPACE.test(ch) ? ' ' : ch;
      // Collapse runs of spaces as the analysis does.
      if (c === ' ' && (chars.length === 0 || chars[chars.length - 1] === ' ')) continue;
      chars.push(c);
      from.push(i);
      to.push(end);
    }
    i = end;
  }
  while (chars.length > 0 && chars[chars.length - 1] === ' ') {
    chars.pop();
    from.pop();
    to.pop();
  }
  return { text: chars.join(''), from, to, lossy };
}

/** Splits on spaces, taking designators and their numbers as one line. */
function splitWords(text: string): string[] {
  const words = text.split(' ').filter((w) => w !== '');
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const glued = GLUED_DESIGNATOR.exec(w);
    if (glued) {
      out.push(glued[1]!, glued[2]!);
      continue;
    }
    const next = words[i + 1];
    if (next !== undefined && isDesignator(w.replace(/\.$/, '')) && /^\d/.test(next)) {
      out.push(w + ' ' + next);
      i++;
      continue;
    }
    out.push(w);
  }
  return out;
}

const isDesignator = (word: string): boolean => DESIGNATORS.has(word.toUpperCase());

/** Whether a new line starts at element `i` (LC and Dewey). */
function breaksBefore(els: Element[], i: number, gap: string): boolean {
  const p = els[i - 1]!;
  const e = els[i]!;
  if (e.kind === El.Cut) return true;
  if (gap.includes(' ')) {
    // "NO. 555", "vol. 4": a designator with its number.
    if (p.kind !== El.Num && e.kind === El.Num && isDesignator(p.main)) return false;
    // "12 TH": an ordinal written apart is still one number.
    if (p.kind === El.Num && p.tail === '' && p.main.length <= 3 && e.kind === El.Word && ORDINAL_ENDINGS.has(e.main)) return false;
    return true;
  }
  // "971/P23w/v.1-2/pt.8": an 082-style slash between parts separates them like a space.
  if (gap === '/' && e.kind !== El.Num) return true;
  // "R5c.1": a copy or volume designator glued to the Cutter before it.
  if (gap === '' && e.kind === El.Word && isDesignator(e.main)) {
    const n = els[i + 1];
    return n !== undefined && n.kind === El.Num && n.dotted;
  }
  return false;
}

function structuredLines(a: Analysis, f: Folded, display: string, lossless: boolean): string[] {
  const s = a.text;
  // Lines are cut from the display text when every folded char maps back to it.
  const cut = (start: number, end: number): string => {
    if (end <= start) return '';
    return (lossless ? display.slice(f.from[start]!, f.to[end - 1]!) : s.slice(start, end)).trim();
  };
  const lines: string[] = [];
  if (a.prefix !== null) for (const w of cut(0, a.bodyStart).split(' ')) if (w) lines.push(w);
  if (a.scheme === 'generic') {
    lines.push(...splitWords(cut(a.bodyStart, s.length)));
    return lines;
  }
  if (a.scheme === 'lc') {
    const head = cut(a.bodyStart, a.classEnd);
    const m = /^(\S*?[A-Za-z]+)\s?(\d.*)?$/.exec(head);
    if (m) lines.push(m[1]!, ...(m[2] ? [m[2]] : []));
    else lines.push(head);
  } else if (a.classification !== '') {
    // The classification without 082 segmentation marks: those are for cataloguers, not spines.
    lines.push(a.classification);
  }
  const els = a.elements;
  if (els.length === 0) {
    const rest = cut(a.classEnd, s.length);
    if (rest) lines.push(rest);
    return lines;
  }
  // The first line after the class keeps its leading period (".P6"), as a Cutter is written.
  let lineStart = a.classEnd;
  if (s.slice(a.classEnd, els[0]!.start) === '/') lineStart = els[0]!.start;
  for (let i = 1; i < els.length; i++) {
    const p = els[i - 1]!;
    const e = els[i]!;
    const gap = s.slice(p.end, e.start);
    if (!breaksBefore(els, i, gap)) continue;
    let prevEnd = p.end;
    let nextStart = p.end;
    let between = '';
    if (gap.includes(' ')) {
      // ") (" : the closing mark stays with the line before, the opening one goes with the next,
      // and a mark standing alone (" & ") is a line of its own.
      prevEnd = p.end + gap.indexOf(' ');
      nextStart = p.end + gap.lastIndexOf(' ') + 1;
      between = cut(prevEnd, nextStart);
    } else if (gap === '/') {
      nextStart = e.start;
    }
    const line = cut(lineStart, prevEnd);
    if (line) lines.push(line);
    if (between) lines.push(...between.split(' '));
    lineStart = nextStart;
  }
  const last = cut(lineStart, s.length);
  if (last) lines.push(last);
  return lines;
}

/**
 * The lines of a spine label, top to bottom. Pass the scheme when the record says which one it is
 * (MARC 050 vs 082); a call number that does not read in it is split as a generic one. Never
 * throws: anything that is not a string gives no lines.
 */
export function splitCallNumber(callNumber: string, scheme?: CallNumberScheme, options: SplitOptions = {}): string[] {
  const lines: string[] = [];
  const prefix = typeof options?.prefix === 'string' ? displayText(options.prefix) : '';
  if (prefix) lines.push(prefix);
  const display = typeof callNumber === 'string' ? displayText(callNumber) : '';
  // Punctuation alone ("....", "-/-") is no call number, as it has no sort key either.
  if (/[\p{L}\p{N}]/u.test(display)) {
    try {
      const f = fold(display);
      if (f.lossy) {
        // A script without an ASCII form (Cyrillic, CJK): the structure cannot be read, so the
        // words are printed as written rather than dropped.
        lines.push(...splitWords(display));
      } else {
        const a = analyseCallNumber(f.text, scheme);
        lines.push(...structuredLines(a, f, display, a.text === f.text));
      }
    } catch {
      lines.push(...display.split(' '));
    }
  }
  const suffix = typeof options?.suffix === 'string' ? displayText(options.suffix) : '';
  if (suffix) lines.push(suffix);
  return lines;
}
