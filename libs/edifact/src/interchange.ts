import { decodeEdifactBytes } from './decode.js';
import { tokenize } from './tokenizer.js';
import {
  DEFAULT_SEPARATORS, type EdifactFile, type EdifactInterchange, type EdifactMessage, type EdifactSegment,
  type EdifactSeparators, type EdifactWarning,
} from './types.js';

const comp = (el: string[][], e: number, c = 0): string => el[e]?.[c] ?? '';

function newInterchange(separators: EdifactSeparators): EdifactInterchange {
  return {
    sender: { id: '' }, recipient: { id: '' }, syntax: { id: '', version: '' }, reference: '', date: '', time: '',
    separators, messages: [], warnings: [],
  };
}

/**
 * Reads a whole EDIFACT file: any number of interchanges, functional groups and messages. Control
 * counts and references are checked and reported as warnings; nothing in the input can make it
 * throw (anything unexpected inside becomes a warning and whatever was read so far is returned).
 */
export function parseEdifact(input: Uint8Array | string): EdifactFile {
  const file: EdifactFile = { encoding: 'string', interchanges: [], warnings: [] };
  try {
    let text: string;
    let bytes: Uint8Array | null = null;
    if (typeof input === 'string') {
      text = input;
    } else {
      const decoded = decodeEdifactBytes(input);
      text = decoded.text;
      file.encoding = decoded.encoding;
      file.warnings.push(...decoded.warnings);
      // One byte per character: segments are split from a copy of the bytes (the caller may reuse
      // its buffer), which is faster than reading the text.
      if (decoded.encoding !== 'utf-8') bytes = new Uint8Array(input);
    }
    buildInterchanges(text, bytes, file);
  } catch (err) {
    file.warnings.push({ code: 'internal-error', message: `parser stopped early: ${err instanceof Error ? err.message : String(err)}` });
  }
  return file;
}

function buildInterchanges(text: string, bytes: Uint8Array | null, file: EdifactFile): void {
  const { segments, unas, warnings } = tokenize(text, DEFAULT_SEPARATORS, bytes);
  file.warnings.push(...warnings);

  let ic: EdifactInterchange | undefined;
  let icIndex = -1;
  let icHasUnz = true;
  let groupCount = 0;
  let group: { reference: string; messages: number } | undefined;
  let msg: EdifactMessage | undefined;
  let msgSegments = 0;
  let unaCursor = 0;
  let separators = DEFAULT_SEPARATORS as EdifactSeparators;
  let strays = 0;
  const icStarts: number[] = [];

  const warn = (w: EdifactWarning, target?: { warnings: EdifactWarning[] }): void => {
    if (ic && w.interchange === undefined) w.interchange = icIndex;
    file.warnings.push(w);
    if (ic && target !== ic) ic.warnings.push(w);
    target?.warnings.push(w);
  };
  const closeMessage = (why: string): void => {
    if (!msg) return;
    warn({ code: 'missing-unt', message: `message ${msg.reference} has no UNT (${why})`, messageReference: msg.reference }, msg);
    msg = undefined;
  };
  const closeInterchange = (why: string): void => {
    closeMessage(why);
    if (group) { warn({ code: 'missing-une', message: `group ${group.reference} has no UNE (${why})` }); group = undefined; }
    if (ic && !icHasUnz) warn({ code: 'missing-unz', message: `interchange ${ic.reference || icIndex + 1} has no UNZ (${why})` });
  };
  const openInterchange = (): EdifactInterchange => {
    ic = newInterchange(separators);
    icIndex = file.interchanges.length;
    file.interchanges.push(ic);
    icHasUnz = false;
    groupCount = 0;
    return ic;
  };

  for (let si = 0; si < segments.length; si++) {
    while (unaCursor < unas.length && unas[unaCursor]!.segmentIndex <= si) separators = unas[unaCursor++]!.separators;
    const s = segments[si]!;
    const tag = s.tag;
    // Message segments go straight to their message, as text ranges until mapped; only service
    // segments (UN…) are split here.
    if (msg && !(tag.charCodeAt(0) === 85 && tag.charCodeAt(1) === 78)) {
      msg.segments.push(s);
      msgSegments++;
      continue;
    }
    const el = tag.startsWith('UN') ? s.elements : [];
    switch (tag) {
      case 'UNB': {
        if (ic) closeInterchange('another UNB follows');
        const x = openInterchange();
        icStarts.push(s.offset);
        x.syntax = { id: comp(el, 0, 0), version: comp(el, 0, 1) };
        x.sender = party(comp(el, 1, 0), comp(el, 1, 1));
        x.recipient = party(comp(el, 2, 0), comp(el, 2, 1));
        x.date = comp(el, 3, 0);
        x.time = comp(el, 3, 1);
        x.reference = comp(el, 4, 0);
        const app = comp(el, 6, 0);
        if (app) x.application = app;
        break;
      }
      case 'UNG': {
        if (!ic) { warn({ code: 'missing-unb', message: 'UNG before any UNB' }); openInterchange(); }
        closeMessage('UNG follows');
        if (group) warn({ code: 'missing-une', message: `group ${group.reference} has no UNE (another UNG follows)` });
        group = { reference: comp(el, 4, 0), messages: 0 };
        groupCount++;
        break;
      }
      case 'UNE': {
        closeMessage('UNE follows');
        if (!group) { warn({ code: 'stray-segment', message: 'UNE without UNG' }); break; }
        const count = comp(el, 0, 0), ref = comp(el, 1, 0);
        if (Number(count) !== group.messages || count === '') {
          warn({ code: 'une-count', message: `UNE says ${count || '(nothing)'} messages, group ${group.reference} holds ${group.messages}` });
        }
        if (ref !== group.reference) warn({ code: 'une-reference', message: `UNE reference ${ref || '(none)'} differs from UNG ${group.reference}` });
        group = undefined;
        break;
      }
      case 'UNH': {
        if (!ic) { warn({ code: 'missing-unb', message: 'message before any UNB' }); openInterchange(); }
        closeMessage('another UNH follows');
        const x = ic!;
        msg = {
          type: comp(el, 1, 0), version: comp(el, 1, 1), release: comp(el, 1, 2), agency: comp(el, 1, 3),
          reference: comp(el, 0, 0), segments: [], warnings: [],
        };
        const assoc = comp(el, 1, 4);
        if (assoc) msg.association = assoc;
        if (group) { msg.group = group.reference; group.messages++; }
        x.messages.push(msg);
        msgSegments = 1;
        break;
      }
      case 'UNT': {
        if (!msg) { warn({ code: 'missing-unh', message: `UNT at offset ${s.offset} outside a message` }); break; }
        msgSegments++;
        let count = comp(el, 0, 0);
        let ref = comp(el, 1, 0);
        if (el.length < 2 && (el[0]?.length ?? 0) > 1) {
          // `UNT+21:ME001236`: the reference written as a component of the count.
          ref = comp(el, 0, 1);
          warn({ code: 'unt-syntax', message: `UNT of message ${msg.reference} separates count and reference with a component separator`, messageReference: msg.reference }, msg);
        }
        count = count.trim();
        if (count === '' || Number(count) !== msgSegments) {
          warn({ code: 'unt-count', message: `UNT of message ${msg.reference} says ${count || '(nothing)'} segments, found ${msgSegments}`, messageReference: msg.reference }, msg);
        }
        if (ref !== msg.reference) {
          warn({ code: 'unt-reference', message: `UNT reference ${ref || '(none)'} differs from UNH ${msg.reference}`, messageReference: msg.reference }, msg);
        }
        msg = undefined;
        break;
      }
      case 'UNZ': {
        closeMessage('UNZ follows');
        if (group) { warn({ code: 'missing-une', message: `group ${group.reference} has no UNE` }); group = undefined; }
        if (!ic || icHasUnz) { warn({ code: 'missing-unb', message: `UNZ at offset ${s.offset} without UNB` }); break; }
        const count = comp(el, 0, 0).trim(), ref = comp(el, 1, 0).trim();
        // With groups UNZ counts groups, not messages (ISO 9735 0036).
        const expected = groupCount > 0 ? groupCount : ic.messages.length;
        if (count === '' || Number(count) !== expected) {
          warn({ code: 'unz-count', message: `UNZ says ${count || '(nothing)'} ${groupCount ? 'groups' : 'messages'}, interchange holds ${expected}` });
        }
        if (ref !== ic.reference) warn({ code: 'unz-reference', message: `UNZ reference ${ref || '(none)'} differs from UNB ${ic.reference}` });
        icHasUnz = true;
        break;
      }
      default: {
        if (msg) {
          msg.segments.push(s);
          msgSegments++;
        } else {
          strays++;
          if (strays <= 20) warn({ code: 'stray-segment', message: `${s.tag.slice(0, 20)} at offset ${s.offset} is outside any message` });
        }
      }
    }
  }
  if (ic) closeInterchange('input ends');
  else if (segments.length === 0 && text.trim() !== '') warn({ code: 'missing-unb', message: 'no segments found' });
  if (strays > 20) warn({ code: 'stray-segment', message: `${strays} segments outside any message in all` });

  checkCharset(text, file, icStarts);
}

function party(id: string, qualifier: string): { id: string; qualifier?: string } {
  return qualifier ? { id, qualifier } : { id };
}

// ISO 9735 level A: upper case, digits, space and . , - ( ) / = ' + : ? ! " % & * ; < >. Level B adds
// lower case. Lower case under UNOA is not reported: nearly every vendor sends it.
const LEVEL_B = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-()/=\'+:?!"%&*;<>\r\n';

/**
 * A character outside level B and the interchange's own separators, as a regular expression: the
 * engine scans a character class natively, several times faster than a charCodeAt loop. One per
 * set of separators (a file rarely has more than one), kept.
 */
const outsideLevelB = new Map<string, RegExp>();
function outsideLevelBFor(own: string): RegExp {
  let re = outsideLevelB.get(own);
  if (!re) {
    const escaped = (LEVEL_B + own).split('').map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    re = new RegExp(`[^${escaped}]`, 'g');
    if (outsideLevelB.size < 64) outsideLevelB.set(own, re);
  }
  return re;
}

/** Text outside UNOA/UNOB is read as is; it is only worth a note, once per interchange. */
function checkCharset(text: string, file: EdifactFile, starts: number[]): void {
  file.interchanges.forEach((ic, k) => {
    if (ic.syntax.id !== 'UNOA' && ic.syntax.id !== 'UNOB') return;
    const seps = ic.separators;
    // Code units, as the text holds them: a separator is one UTF-16 unit.
    const own = seps.component + seps.element + seps.release + seps.segment + seps.repetition;
    const from = starts[k] ?? 0, to = starts[k + 1] ?? text.length;
    const re = outsideLevelBFor(own);
    re.lastIndex = from;
    const found = re.exec(text);
    if (!found || found.index >= to) return;
    const i = found.index, c = text.charCodeAt(i);
    const w: EdifactWarning = {
      code: 'charset', interchange: k,
      message: `UNB declares ${ic.syntax.id} but the text contains ${JSON.stringify(text[i])} (U+${c.toString(16).toUpperCase().padStart(4, '0')}) at offset ${i}; read as is`,
    };
    ic.warnings.push(w);
    file.warnings.push(w);
  });
}
