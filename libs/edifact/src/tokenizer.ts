import { DEFAULT_SEPARATORS, type EdifactSegment, type EdifactSeparators, type EdifactWarning } from './types.js';

/** A UNA segment as the tokenizer saw it: the separators that apply from here on. */
export interface UnaMark {
  /** Index in `segments` of the first segment the separators apply to. */
  segmentIndex: number;
  offset: number;
  separators: EdifactSeparators;
}

export interface TokenizedText {
  segments: EdifactSegment[];
  unas: UnaMark[];
  warnings: EdifactWarning[];
}

const CR = 13, LF = 10, SPACE = 32, TAB = 9, NUL = 0, SUB = 0x1a, BOM = 0xfeff, APOS = 0x27, RIGHT_QUOTE = 0x2019;

const isBlank = (c: number): boolean => c === LF || c === CR || c === SPACE || c === TAB || c === NUL || c === SUB || c === BOM;
const isTagChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
const isAlnum = (c: number): boolean => isTagChar(c) || (c >= 97 && c <= 122);

function readUna(text: string, i: number): EdifactSeparators | undefined {
  if (i + 9 > text.length) return undefined;
  const s = text.slice(i + 3, i + 9);
  const component = s[0]!, element = s[1]!, decimal = s[2]!, release = s[3]!, repetition = s[4]!, segment = s[5]!;
  // Only the three structural characters must be usable; a blank release or decimal is legal (means none).
  for (const ch of [component, element, segment]) {
    const c = ch.charCodeAt(0);
    if (isAlnum(c) || c === LF || c === CR || c === SPACE) return undefined;
  }
  if (component === element || component === segment || element === segment) return undefined;
  if (release === component || release === element || release === segment) return undefined;
  return { component, element, decimal, release, repetition, segment };
}

/**
 * The separators in force, as character codes, and the text's bytes when each byte is one
 * character of the text (ASCII or ISO 8859-1 input), which segments are then split from.
 */
interface Codes { comp: number; elem: number; term: number; rel: number; bytes: Uint8Array | null }

const codesOf = (sep: EdifactSeparators, bytes: Uint8Array | null): Codes => ({
  comp: sep.component.charCodeAt(0), elem: sep.element.charCodeAt(0), term: sep.segment.charCodeAt(0),
  rel: sep.release === ' ' ? -1 : sep.release.charCodeAt(0), bytes,
});

/**
 * Splits text[start, end) — one segment without its terminator — into elements of components,
 * resolving release characters and dropping line breaks. The tag's element is skipped.
 */
function splitSegment(text: string, start: number, end: number, k: Codes): string[][] {
  const COMP = k.comp, ELEM = k.elem, REL = k.rel;
  const elements: string[][] = [];
  let i = start;
  // Skip the tag's element (the fast path: no release or line break in it).
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === ELEM) break;
    if (c === REL) i++;
  }
  if (i >= end) return elements;
  let components: string[] = [];
  let from = i + 1;
  let pending: string | null = null;
  for (i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === COMP) {
      components.push(pending === null ? text.slice(from, i) : pending + text.slice(from, i));
      pending = null; from = i + 1;
    } else if (c === ELEM) {
      components.push(pending === null ? text.slice(from, i) : pending + text.slice(from, i));
      elements.push(components);
      components = [];
      pending = null; from = i + 1;
    } else if (c === REL) {
      pending = (pending ?? '') + text.slice(from, i);
      i++;
      while (i < end && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++;
      if (i < end) pending += text[i];
      from = i + 1;
    } else if (c === LF || c === CR) {
      pending = (pending ?? '') + text.slice(from, i);
      from = i + 1;
    }
  }
  components.push(pending === null ? text.slice(from, end) : pending + (from < end ? text.slice(from, end) : ''));
  elements.push(components);
  return elements;
}

/** The tag: the first component of the first element, released characters and line breaks resolved. */
function readTag(text: string, start: number, end: number, k: Codes): string {
  let i = start;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === k.comp || c === k.elem) break;
    if (c === k.rel || c === LF || c === CR) return slowTag(text, start, end, k);
  }
  return text.slice(start, i);
}

function slowTag(text: string, start: number, end: number, k: Codes): string {
  let tag = '';
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === k.comp || c === k.elem) break;
    if (c === LF || c === CR) continue;
    if (c === k.rel) { i++; while (i < end && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++; if (i < end) tag += text[i]; continue; }
    tag += text[i];
  }
  return tag;
}

/**
 * splitSegment for a segment without release characters or line breaks: cut at the separators.
 * Scanning for them is most of splitting, so they are read from the bytes the text was decoded
 * from when there is one byte per character (a typed-array read costs about half a charCodeAt in
 * V8); the values are cut from the text. Most elements hold one component: they are built as
 * `[value]` literals, cheaper than a push onto an empty array, which always has to grow it.
 */
function splitPlain(text: string, bytes: Uint8Array | null, start: number, end: number, COMP: number, ELEM: number): string[][] {
  const elements: string[][] = [];
  let i = start;
  while (i < end && (bytes === null ? text.charCodeAt(i) : bytes[i]) !== ELEM) i++;
  let components: string[] | null = null;
  let from = ++i;
  if (from > end) return elements;
  for (; i < end; i++) {
    const c = bytes === null ? text.charCodeAt(i) : bytes[i];
    if (c === COMP) {
      const value = text.slice(from, i);
      if (components === null) components = [value];
      else components.push(value);
      from = i + 1;
    } else if (c === ELEM) {
      const value = text.slice(from, i);
      if (components === null) elements.push([value]);
      else {
        components.push(value);
        elements.push(components);
        components = null;
      }
      from = i + 1;
    }
  }
  const value = text.slice(from, end);
  if (components === null) elements.push([value]);
  else {
    components.push(value);
    elements.push(components);
  }
  return elements;
}

/**
 * A segment as a range of the decoded text. Elements are split when read, not when the file is
 * tokenized: a 5,000-line invoice is ~100,000 segments and over a million small strings, and
 * building them all up front made the tokenizer garbage-collector bound. Read `elements` once
 * per segment and keep the array: each read splits the range again.
 */
class TextSegment implements EdifactSegment {
  // Private fields: not enumerable, so logging a segment does not print the whole file.
  readonly #text: string;
  readonly #end: number;
  readonly #codes: Codes;
  /** No release character and no line break inside: the common case, split by cutting. */
  readonly #plain: boolean;

  constructor(readonly tag: string, readonly offset: number, text: string, end: number, codes: Codes, plain: boolean) {
    this.#text = text;
    this.#end = end;
    this.#codes = codes;
    this.#plain = plain;
  }

  get elements(): string[][] {
    const k = this.#codes;
    if (!this.#plain) return splitSegment(this.#text, this.offset, this.#end, k);
    // A plain segment's tag holds no separator: the tag's element goes on from just after it.
    return splitPlain(this.#text, k.bytes, this.offset + this.tag.length, this.#end, k.comp, k.elem);
  }

  toJSON(): { tag: string; elements: string[][]; offset: number } {
    return { tag: this.tag, elements: this.elements, offset: this.offset };
  }
}

/**
 * Where the next `code` is at or after `from`, or `n` when there is none (or no such character:
 * a blank release is -1, and a missing separator NaN). indexOf is a native scan, several times
 * faster than a charCodeAt loop, so the tokenizer jumps from one character of interest to the next.
 */
function nextOf(text: string, code: number, from: number, n: number): number {
  if (!(code >= 0)) return n;
  const j = text.indexOf(String.fromCharCode(code), from);
  return j < 0 ? n : j;
}

/**
 * Tags the library's messages use, as literals: a tag read from the text is replaced by the same
 * literal, so the envelope's and the mappers' `switch (tag)` compare identical strings and the
 * segment does not hold one more small string. Other valid tags are kept as read.
 */
const KNOWN_TAGS = new Map<number, string>();
for (const tag of [
  'UNA', 'UNB', 'UNG', 'UNH', 'UNT', 'UNE', 'UNZ', 'UNS', 'BGM', 'DTM', 'NAD', 'CTA', 'COM', 'CUX', 'RFF', 'FTX', 'PAT', 'PCD',
  'ALC', 'MOA', 'TAX', 'LIN', 'PIA', 'IMD', 'QTY', 'PRI', 'GIR', 'LOC', 'CNT', 'RTE', 'TDT', 'CPS', 'PAC', 'GIN', 'MEA', 'PCI',
  'DOC', 'GEI', 'ATT', 'SCC', 'RCS', 'FII', 'TOD', 'RNG', 'QVR', 'ERC', 'APR', 'DLM', 'SEQ', 'ALI', 'MTD', 'UCI', 'UCM',
]) KNOWN_TAGS.set(tagKey(tag.charCodeAt(0), tag.charCodeAt(1), tag.charCodeAt(2)), tag);

function tagKey(c0: number, c1: number, c2: number): number {
  return (c0 << 16) | (c1 << 8) | c2;
}

/**
 * Splits decoded EDIFACT text into segments, jumping with indexOf from one terminator, release
 * character or line break to the next. Line breaks anywhere are dropped (vendors wrap at 80
 * columns), blanks between segments are skipped, and a UNA anywhere switches separators for what
 * follows (a second interchange may bring its own). Never throws.
 */
export function tokenizeEdifact(text: string, initial: EdifactSeparators = DEFAULT_SEPARATORS): TokenizedText {
  return tokenize(text, initial, null);
}

/**
 * tokenizeEdifact, given also the bytes `text` was decoded from when each byte is one character
 * of it (parseEdifact knows). The bytes must not change afterwards: segments are split from them
 * when read, so parseEdifact passes its own copy.
 */
export function tokenize(text: string, initial: EdifactSeparators, bytes: Uint8Array | null): TokenizedText {
  const segments: EdifactSegment[] = [];
  const unas: UnaMark[] = [];
  const warnings: EdifactWarning[] = [];
  const n = text.length;
  let codes = codesOf(initial, bytes);
  let COMP = codes.comp, ELEM = codes.elem, TERM = codes.term, REL = codes.rel;
  let curly = 0, firstCurly = -1, empty = 0, badTags = 0, firstBadTag = '', badUnas = 0, firstBadUna = -1;
  // The next terminator, release character, U+2019 and line break at or after the cursor; each is
  // searched again only once the cursor has passed it, so every character is scanned about once.
  let nextTerm = -1, nextRel = -1, nextLf = -1, nextCr = -1;
  // U+2019 matters only under the ' terminator; most files have none, found by one search.
  let nextCurly = TERM === APOS ? nextOf(text, RIGHT_QUOTE, 0, n) : n;
  let i = 0;

  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (text.charCodeAt(i) === 85 && text.startsWith('UNA', i)) {
      const una = readUna(text, i);
      if (una) {
        codes = codesOf(una, bytes);
        COMP = codes.comp; ELEM = codes.elem; TERM = codes.term; REL = codes.rel;
        unas.push({ segmentIndex: segments.length, offset: i, separators: una });
        i += 9;
        nextTerm = nextRel = -1;
        nextCurly = TERM === APOS ? nextOf(text, RIGHT_QUOTE, i, n) : n;
        continue;
      }
      if (badUnas++ === 0) firstBadUna = i;
    }

    const start = i;
    let terminated = false;
    let released = false;
    for (;;) {
      if (nextTerm < i) nextTerm = nextOf(text, TERM, i, n);
      if (nextRel < i) nextRel = nextOf(text, REL, i, n);
      if (nextCurly < i) nextCurly = nextOf(text, RIGHT_QUOTE, i, n);
      // Ties cannot happen between different characters; a separator given twice resolves as the
      // terminator first, then the release character.
      if (nextTerm <= nextRel && nextTerm <= nextCurly) {
        i = nextTerm;
        terminated = i < n;
        break;
      }
      if (nextRel <= nextCurly) {
        released = true;
        i = nextRel + 1;
        while (i < n && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++;
        i++;
        continue;
      }
      // A U+2019 only ends a segment when a tag follows: the same character is legitimate in titles.
      if (tagFollows(text, nextCurly + 1, ELEM, TERM)) {
        curly++; if (firstCurly < 0) firstCurly = nextCurly;
        i = nextCurly;
        terminated = true;
        break;
      }
      i = nextCurly + 1;
    }
    let end = i < n ? i : n;
    i = end + 1;
    if (!terminated) {
      // Blanks at the very end are padding (spaces after UNZ), not data.
      while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
      if (end > start && text.charCodeAt(end - 1) === REL && (end - 2 < start || text.charCodeAt(end - 2) !== REL)) {
        warnings.push({ code: 'dangling-release', message: 'release character at end of input' });
      }
    }
    if (end === start) {
      if (terminated) empty++;
      continue;
    }
    if (!terminated) warnings.push({ code: 'unterminated-segment', message: `segment at offset ${start} has no terminator (input ends)` });
    if (nextLf < start) nextLf = nextOf(text, LF, start, n);
    if (nextCr < start) nextCr = nextOf(text, CR, start, n);
    // Plain: no release character and no line break inside, so splitting is cutting at separators.
    const plain = !released && nextLf >= end && nextCr >= end;

    let tag: string | undefined;
    if (end - start >= 3) {
      const c0 = text.charCodeAt(start), c1 = text.charCodeAt(start + 1), c2 = text.charCodeAt(start + 2);
      const c3 = start + 3 < end ? text.charCodeAt(start + 3) : ELEM;
      if ((c3 === ELEM || c3 === COMP) && isPlainTagChar(c0, codes) && isPlainTagChar(c1, codes) && isPlainTagChar(c2, codes)) {
        tag = KNOWN_TAGS.get(tagKey(c0, c1, c2)) ?? text.slice(start, start + 3);
      }
    }
    if (tag === undefined) {
      tag = readTag(text, start, end, codes);
      if (tag.length !== 3 || !isTagChar(tag.charCodeAt(0)) || !isTagChar(tag.charCodeAt(1)) || !isTagChar(tag.charCodeAt(2))) {
        if (tag === '' && isOnlyBlanksAndSeparators(text, start, end)) { empty++; continue; }
        if (badTags++ === 0) firstBadTag = `${JSON.stringify(tag.slice(0, 20))} at offset ${start}`;
      }
    }
    segments.push(new TextSegment(tag, start, text, end, codes, plain));
  }

  if (badUnas) warnings.push({ code: 'bad-una', message: `${badUnas} UNA segment(s) without usable separators, first at offset ${firstBadUna}; kept the previous ones` });
  if (curly) warnings.push({ code: 'curly-terminator', message: `${curly} segment(s) ended with U+2019 instead of ', first at offset ${firstCurly}` });
  if (empty) warnings.push({ code: 'empty-segment', message: `${empty} empty segment(s) skipped` });
  if (badTags) warnings.push({ code: 'bad-tag', message: `${badTags} segment(s) without a valid tag, first ${firstBadTag}` });
  return { segments, unas, warnings };
}

/** A tag character that is none of the separators (a UNA may declare a letter as release character). */
const isPlainTagChar = (c: number, k: Codes): boolean => isTagChar(c) && c !== k.rel && c !== k.comp && c !== k.elem;

function isOnlyBlanksAndSeparators(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) return false;
  return true;
}

function tagFollows(text: string, j: number, ELEM: number, TERM: number): boolean {
  const n = text.length;
  while (j < n && (text.charCodeAt(j) === LF || text.charCodeAt(j) === CR)) j++;
  if (j >= n) return true;
  if (j + 3 > n) return false;
  if (!isTagChar(text.charCodeAt(j)) || !isTagChar(text.charCodeAt(j + 1)) || !isTagChar(text.charCodeAt(j + 2))) return false;
  if (j + 3 === n) return true;
  const c = text.charCodeAt(j + 3);
  return c === ELEM || c === TERM || c === LF || c === CR;
}
