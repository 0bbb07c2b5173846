import { Buffer } from 'node:buffer';
import { decodeText, encodeText, type SipCharset } from './charset.js';
import { checksumOf, formatChecksum, readHex4, writeChecksum } from './checksum.js';
import { parseSipDate } from './date.js';
import { messageDef, type FixedFieldDef, type MessageDef } from './spec.js';

/** A variable field as sent: two-character code and value, delimiter removed. */
export interface SipField {
  code: string;
  value: string;
}

/** The generic form of any SIP message: what the reader returns and the writer takes. */
export interface SipMessage {
  /** Two-character message identifier, e.g. '11'. */
  id: string;
  /** Fixed fields in the order of the definition, as characters (a truncated frame gives fewer or shorter ones). */
  fixed: string[];
  /** Variable fields in the order sent, unknown codes included; AY/AZ are not here. */
  fields: SipField[];
}

export type SipIssueCode =
  | 'empty-frame' // nothing but a terminator, or a single character
  | 'unknown-message' // an id SIP2 v2.00 does not define
  | 'fixed-field' // a fixed field missing (frame too short) or not of its type
  | 'bad-checksum' // AZ present and wrong
  | 'missing-checksum' // checksums required and AZ absent
  | 'charset' // bytes that are not text in the account's charset (decoded as U+FFFD)
  | 'empty-field' // a segment between delimiters too short to hold a field code
  | 'missing-field' // a field the message requires was not sent
  | 'field-value' // a typed field whose value does not fit its type (kept in `extra`)
  | 'repeated-field'; // a non-repeatable field sent twice (the first is used)

export interface SipIssue {
  code: SipIssueCode;
  message: string;
  /** Fixed field key or variable field code concerned, when there is one. */
  field?: string;
}

export interface SipParseResult {
  /** No errors (warnings allowed). */
  ok: boolean;
  /** Always present, whatever the input; `id` is '' for an empty frame. */
  message: SipMessage;
  /** The definition of `message.id`, if SIP2 defines it. */
  def: MessageDef | undefined;
  /** AY, if sent and readable. A response echoes it. */
  sequence: number | null;
  checksum: 'valid' | 'invalid' | 'absent';
  errors: SipIssue[];
  warnings: SipIssue[];
}

export interface SipReadOptions {
  charset?: SipCharset;
  /** Field delimiter, '|' by default. */
  delimiter?: string;
  /** 'verify' (default): check AZ when present; 'require': also an error when absent; 'ignore': never check. */
  checksum?: 'verify' | 'require' | 'ignore';
}

export interface SipWriteOptions {
  charset?: SipCharset;
  /** '\r' (the 3M guide's) by default; many kiosks want '\r\n'. */
  terminator?: '\r' | '\r\n' | '\n';
  delimiter?: string;
  /** Append AZ (and AY when `sequence` is given). */
  errorDetection?: boolean;
  /** AY to write (0-9), usually the request's. Written only with errorDetection. */
  sequence?: number | null;
}

export class SipBuildError extends Error {
  override name = 'SipBuildError';
}

const A = 0x41, Y = 0x59, Z = 0x5a, CR = 0x0d, LF = 0x0a;
const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const EMPTY_RESULT_FIELDS: SipField[] = [];

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Checks one fixed value against its type; returns a description of the problem or null. */
function fixedProblem(f: FixedFieldDef, v: string): string | null {
  switch (f.type) {
    case 'yn':
      return v === 'Y' || v === 'N' ? null : 'expected Y or N';
    case 'ynu':
      return v === 'Y' || v === 'N' || v === 'U' ? null : 'expected Y, N or U';
    case 'bit':
      return v === '1' || v === '0' ? null : 'expected 1 or 0';
    case 'date':
      // Blank dates are common (nb due date, return date) and mean "none".
      return v.trim() === '' || parseSipDate(v) ? null : 'expected YYYYMMDDZZZZHHMMSS';
    case 'int':
      return /^ *\d* *$/.test(v) ? null : 'expected digits';
    case 'patronStatus':
      return /^[YN ]*$/i.test(v) ? null : "expected 'Y' or ' ' flags";
    case 'summary': {
      const at = v.search(/[Yy]/);
      return at >= 6 ? `summary position ${at} is not defined by SIP2 v2.00` : null;
    }
    case 'code':
      return null;
  }
}

/**
 * Reads one frame (with or without its terminator). Never throws: everything wrong with the input is in
 * `errors` (the server answers 96 or a negative response) or `warnings` (the message is still usable).
 */
export function readMessage(data: Uint8Array, options: SipReadOptions = {}): SipParseResult {
  const errors: SipIssue[] = [];
  const warnings: SipIssue[] = [];
  try {
    return readUnsafe(asBuffer(data), options, errors, warnings);
  } catch (e) {
    // Defensive: a bug here must not take a session down. Report it as an unreadable frame.
    errors.push({ code: 'empty-frame', message: `frame could not be read: ${(e as Error).message}` });
    return { ok: false, message: { id: '', fixed: [], fields: [] }, def: undefined, sequence: null, checksum: 'absent', errors, warnings };
  }
}

function readUnsafe(buf: Buffer, options: SipReadOptions, errors: SipIssue[], warnings: SipIssue[]): SipParseResult {
  const charset = options.charset ?? 'utf-8';
  const delimiter = options.delimiter ?? '|';
  const checksumMode = options.checksum ?? 'verify';
  let end = buf.length;
  while (end > 0 && (buf[end - 1] === CR || buf[end - 1] === LF)) end--;

  // Error detection suffix, found on bytes: "...AYnAZxxxx". AZ covers everything before its four digits.
  let bodyEnd = end;
  let checksum: SipParseResult['checksum'] = 'absent';
  let sequence: number | null = null;
  if (end >= 8 && buf[end - 6] === A && buf[end - 5] === Z) {
    const given = readHex4(buf, end - 4);
    if (given >= 0) {
      bodyEnd = end - 6;
      if (checksumMode !== 'ignore') {
        const computed = checksumOf(buf, 0, end - 4);
        checksum = computed === given ? 'valid' : 'invalid';
        if (checksum === 'invalid') {
          errors.push({ code: 'bad-checksum', message: `checksum ${buf.toString('latin1', end - 4, end)} does not match the message (expected ${formatChecksum(computed)})`, field: 'AZ' });
        }
      }
    }
  }
  // AY, right before AZ, or at the very end after a delimiter when a client sends it alone; "AYn|AZ" is tolerated.
  if (bodyEnd < end && bodyEnd >= 5 && buf[bodyEnd - 1] === delimiter.charCodeAt(0) && buf[bodyEnd - 4] === A && buf[bodyEnd - 3] === Y && isDigit(buf[bodyEnd - 2])) {
    sequence = buf[bodyEnd - 2]! - 0x30;
    bodyEnd -= 4;
  } else if (bodyEnd >= 5 && buf[bodyEnd - 3] === A && buf[bodyEnd - 2] === Y && isDigit(buf[bodyEnd - 1])
    && (bodyEnd < end || buf[bodyEnd - 4] === delimiter.charCodeAt(0))) {
    sequence = buf[bodyEnd - 1]! - 0x30;
    bodyEnd -= 3;
  }
  if (checksum === 'absent' && checksumMode === 'require') errors.push({ code: 'missing-checksum', message: 'checksum (AZ) required but not sent', field: 'AZ' });

  const decoded = decodeText(buf, 0, bodyEnd, charset);
  const text = decoded.text;
  if (decoded.replaced) warnings.push({ code: 'charset', message: `bytes that are not ${charset} text were replaced` });

  if (text.length < 2) {
    errors.push({ code: 'empty-frame', message: text.length === 0 ? 'empty frame' : `frame too short: ${JSON.stringify(text)}` });
    return { ok: false, message: { id: text, fixed: [], fields: EMPTY_RESULT_FIELDS }, def: undefined, sequence, checksum, errors, warnings };
  }
  const id = text.slice(0, 2);
  const def = messageDef(id);
  const message: SipMessage = { id, fixed: [], fields: [] };
  if (!def) {
    errors.push({ code: 'unknown-message', message: `unknown message id ${JSON.stringify(id)}` });
    return { ok: false, message, def, sequence, checksum, errors, warnings };
  }

  let pos = 2;
  for (const f of def.fixed) {
    if (pos + f.length > text.length) {
      if (pos < text.length) message.fixed.push(text.slice(pos));
      errors.push({ code: 'fixed-field', message: `frame ends inside fixed field ${f.key} (needs ${f.length} characters at ${pos})`, field: f.key });
      pos = text.length;
      break;
    }
    const v = text.slice(pos, pos + f.length);
    const problem = fixedProblem(f, v);
    if (problem) {
      const issue = { code: 'fixed-field' as const, message: `fixed field ${f.key} ${JSON.stringify(v)}: ${problem}`, field: f.key };
      // An undefined summary position is a request the server can still answer (with no item list).
      (f.type === 'summary' ? warnings : errors).push(issue);
    }
    message.fixed.push(v);
    pos += f.length;
  }

  readFields(text, pos, delimiter, message.fields, warnings);
  // "AYn" as the last field without AZ and without a delimiter before it (e.g. right after the fixed fields).
  const last = message.fields[message.fields.length - 1];
  if (sequence === null && last && last.code === 'AY' && last.value.length === 1 && isDigit(last.value.charCodeAt(0))) {
    sequence = last.value.charCodeAt(0) - 0x30;
    message.fields.pop();
  }

  for (const rule of def.fields) {
    if (!rule.required) continue;
    let found = false;
    for (const f of message.fields) if (f.code === rule.def.code) { found = true; break; }
    if (!found) warnings.push({ code: 'missing-field', message: `required field ${rule.def.code} (${rule.def.key}) not sent`, field: rule.def.code });
  }

  return { ok: errors.length === 0, message, def, sequence, checksum, errors, warnings };
}

function readFields(text: string, pos: number, delimiter: string, out: SipField[], warnings: SipIssue[]): void {
  const n = text.length;
  while (pos < n) {
    let next = text.indexOf(delimiter, pos);
    if (next < 0) next = n;
    const len = next - pos;
    if (len >= 2) out.push({ code: text.slice(pos, pos + 2), value: text.slice(pos + 2, next) });
    else warnings.push({ code: 'empty-field', message: len === 0 ? `empty segment at ${pos}` : `segment ${JSON.stringify(text.slice(pos, next))} at ${pos} is too short for a field code` });
    pos = next + delimiter.length;
  }
}

// ---- writing ----

/**
 * Makes a value safe inside a frame: the delimiter, CR, LF and other C0 control characters become a space.
 * A space keeps word boundaries in titles and notes and never changes the field count.
 */
export function sanitizeValue(value: string, delimiter = '|'): string {
  const d = delimiter.charCodeAt(0);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === d || c === 0x7f) return replaceUnsafe(value, delimiter);
  }
  return value;
}

function replaceUnsafe(value: string, delimiter: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f || ch === delimiter ? ' ' : ch;
  }
  return out;
}

const SPACES = ' '.repeat(64);

function fitFixed(v: string, width: number, delimiter: string): string {
  const s = sanitizeValue(v, delimiter);
  if (s.length === width) return s;
  return s.length > width ? s.slice(0, width) : s + SPACES.slice(0, width - s.length);
}

// A code read from a damaged frame may hold control characters; it is sanitised like a value so anything the
// reader returned can be written back. Only a code that is not two characters is a caller's mistake.
function fieldCode(code: string, delimiter: string): string {
  if (code.length !== 2) throw new SipBuildError(`invalid field code ${JSON.stringify(code)}`);
  return sanitizeValue(code, delimiter);
}

/** The text of a message before error detection: id, fixed fields at their widths, fields with delimiters. */
export function messageText(m: Pick<SipMessage, 'id' | 'fixed' | 'fields'>, delimiter = '|'): string {
  if (m.id.length !== 2) throw new SipBuildError(`invalid message id ${JSON.stringify(m.id)}`);
  const def = messageDef(m.id);
  let s = m.id;
  if (def) {
    if (m.fixed.length !== def.fixed.length) throw new SipBuildError(`message ${m.id} has ${def.fixed.length} fixed fields, got ${m.fixed.length}`);
    for (let i = 0; i < def.fixed.length; i++) s += fitFixed(m.fixed[i]!, def.fixed[i]!.length, delimiter);
  } else {
    for (const v of m.fixed) s += sanitizeValue(v, delimiter);
  }
  for (const f of m.fields) {
    s += fieldCode(f.code, delimiter) + sanitizeValue(f.value, delimiter) + delimiter;
  }
  return s;
}

/**
 * Writes one frame exactly: fixed fields padded/truncated to their widths, every field followed by the
 * delimiter, values sanitised, AY/AZ when asked (the checksum over the encoded bytes), then the terminator.
 * Throws SipBuildError only for programming errors (bad id or field code, wrong fixed count, bad sequence).
 */
export function buildMessage(m: Pick<SipMessage, 'id' | 'fixed' | 'fields'>, options: SipWriteOptions = {}): Buffer {
  const delimiter = options.delimiter ?? '|';
  return frameText(messageText(m, delimiter), options);
}

/** Adds error detection and the terminator to message text and encodes it. */
export function frameText(text: string, options: SipWriteOptions = {}): Buffer {
  const terminator = options.terminator ?? '\r';
  const charset = options.charset ?? 'utf-8';
  if (options.errorDetection) {
    const seq = options.sequence;
    if (seq !== undefined && seq !== null) {
      if (!Number.isInteger(seq) || seq < 0 || seq > 9) throw new SipBuildError(`sequence number must be 0-9, got ${seq}`);
      text += 'AY' + seq;
    }
    text += 'AZ';
  }
  const body = encodeText(text, charset);
  const tail = options.errorDetection ? 4 : 0;
  const out = Buffer.allocUnsafe(body.length + tail + terminator.length);
  body.copy(out, 0);
  if (options.errorDetection) writeChecksum(out, body.length, checksumOf(body));
  out.write(terminator, body.length + tail, 'latin1');
  return out;
}
