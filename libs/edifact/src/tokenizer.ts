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

interface Codes { comp: number; elem: number; term: number; rel: number }

const codesOf = (sep: EdifactSeparators): Codes => ({
  comp: sep.component.charCodeAt(0), elem: sep.element.charCodeAt(0), term: sep.segment.charCodeAt(0),
  rel: sep.release === ' ' ? -1 : sep.release.charCodeAt(0),
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

  constructor(readonly tag: string, readonly offset: number, text: string, end: number, codes: Codes) {
    this.#text = text;
    this.#end = end;
    this.#codes = codes;
  }

  get elements(): string[][] {
    return splitSegment(this.#text, this.offset, this.#end, this.#codes);
  }

  toJSON(): { tag: string; elements: string[][]; offset: number } {
    return { tag: this.tag, elements: this.elements, offset: this.offset };
  }
}

/**
 * Splits decoded EDIFACT text into segments in one pass over the string. Line breaks anywhere are
 * dropped (vendors wrap at 80 columns), blanks between segments are skipped, and a UNA anywhere
 * switches separators for what follows (a second interchange may bring its own). Never throws.
 */
export function tokenizeEdifact(text: string, initial: EdifactSeparators = DEFAULT_SEPARATORS): TokenizedText {
  const segments: EdifactSegment[] = [];
  const unas: UnaMark[] = [];
  const warnings: EdifactWarning[] = [];
  const n = text.length;
  let codes = codesOf(initial);
  let ELEM = codes.elem, TERM = codes.term, REL = codes.rel;
  let curly = 0, firstCurly = -1, empty = 0, badTags = 0, firstBadTag = '', badUnas = 0, firstBadUna = -1;
  let i = 0;

  while (i < n) {
    while (i < n && isBlank(text.charCodeAt(i))) i++;
    if (i >= n) break;
    if (text.charCodeAt(i) === 85 && text.startsWith('UNA', i)) {
      const una = readUna(text, i);
      if (una) {
        codes = codesOf(una);
        ELEM = codes.elem; TERM = codes.term; REL = codes.rel;
        unas.push({ segmentIndex: segments.length, offset: i, separators: una });
        i += 9;
        continue;
      }
      if (badUnas++ === 0) firstBadUna = i;
    }

    const start = i;
    let terminated = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === TERM) { terminated = true; break; }
      if (c === REL) {
        i++;
        while (i < n && (text.charCodeAt(i) === LF || text.charCodeAt(i) === CR)) i++;
        continue;
      }
      // A U+2019 only ends a segment when a tag follows: the same character is legitimate in titles.
      if (c === RIGHT_QUOTE && TERM === APOS && tagFollows(text, i + 1, ELEM, TERM)) {
        curly++; if (firstCurly < 0) firstCurly = i;
        terminated = true;
        break;
      }
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
    const tag = readTag(text, start, end, codes);
    if (tag.length !== 3 || !isTagChar(tag.charCodeAt(0)) || !isTagChar(tag.charCodeAt(1)) || !isTagChar(tag.charCodeAt(2))) {
      if (tag === '' && isOnlyBlanksAndSeparators(text, start, end)) { empty++; continue; }
      if (badTags++ === 0) firstBadTag = `${JSON.stringify(tag.slice(0, 20))} at offset ${start}`;
    }
    segments.push(new TextSegment(tag, start, text, end, codes));
  }

  if (badUnas) warnings.push({ code: 'bad-una', message: `${badUnas} UNA segment(s) without usable separators, first at offset ${firstBadUna}; kept the previous ones` });
  if (curly) warnings.push({ code: 'curly-terminator', message: `${curly} segment(s) ended with U+2019 instead of ', first at offset ${firstCurly}` });
  if (empty) warnings.push({ code: 'empty-segment', message: `${empty} empty segment(s) skipped` });
  if (badTags) warnings.push({ code: 'bad-tag', message: `${badTags} segment(s) without a valid tag, first ${firstBadTag}` });
  return { segments, unas, warnings };
}

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
