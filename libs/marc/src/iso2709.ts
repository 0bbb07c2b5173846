import { Buffer, isAscii, isUtf8 } from 'node:buffer';
import { decodeMarc8 } from './marc8.js';
import type { MarcDataField, MarcField, MarcReadResult, MarcRecord, MarcSubfield, ReadIso2709Options } from './types.js';
import { MarcWriteError } from './types.js';

const RT = 0x1d; // record terminator
const FT = 0x1e; // field terminator
const SD = 0x1f; // subfield delimiter
const ESC = 0x1b;
const LEADER_LENGTH = 24;
const MIN_RECORD = LEADER_LENGTH + 1; // leader + directory terminator, no fields

/** Value of `n` ASCII digits at data[at..], or -1. */
function digits(data: Uint8Array, at: number, n: number): number {
  if (at < 0 || at + n > data.length) return -1;
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = data[i]! - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** A plausible record start: 5-digit length, then the base address at 12-16. */
function looksLikeLeader(data: Uint8Array, at: number): boolean {
  return digits(data, at, 5) >= MIN_RECORD && digits(data, at + 12, 5) >= MIN_RECORD;
}

// Between records: newlines and padding are silently skipped; stray terminators are reported.
function isPadding(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09 || b === 0x00 || b === 0x1a;
}

type Frame =
  | { ok: true; start: number; end: number; next: number; warning?: string }
  | { ok: false; start: number; end: number; next: number; error: string };

/** Finds the extent of the record starting at `pos`. Always makes progress. */
function frameRecord(data: Buffer, pos: number): Frame {
  const n = data.length;
  const len = digits(data, pos, 5);
  if (len >= MIN_RECORD && pos + len <= n && data[pos + len - 1] === RT) return { ok: true, start: pos, end: pos + len, next: pos + len };

  const rt = data.indexOf(RT, pos);
  const chunkEnd = rt < 0 ? n : rt + 1;

  if (len < 0) {
    // Not a leader. Junk followed by a record ending at this terminator? Find a leader whose length fits exactly.
    for (let q = pos + 1; rt >= 0 && q + MIN_RECORD <= chunkEnd; q++) {
      if (digits(data, q, 5) === chunkEnd - q && looksLikeLeader(data, q)) {
        return { ok: true, start: q, end: chunkEnd, next: chunkEnd, warning: `skipped ${q - pos} byte(s) of data that belong to no record (bytes ${pos}-${q - 1})` };
      }
    }
    const what = rt < 0 ? `${chunkEnd - pos} byte(s) of trailing data` : `${chunkEnd - pos} byte(s) up to the next record terminator`;
    return { ok: false, start: pos, end: chunkEnd, next: chunkEnd, error: `no record leader here (the data does not start with a 5-digit record length); ${what} rejected` };
  }

  if (rt < 0) {
    return { ok: false, start: pos, end: n, next: n, error: `truncated record: leader gives length ${len} but ${pos + len > n ? `only ${n - pos} byte(s) remain` : 'byte ' + (pos + len - 1) + ' is not a record terminator'} and no record terminator follows` };
  }

  // Terminator missing but the length is right: the record ends with a field terminator and the next one starts right after.
  if (len >= MIN_RECORD && pos + len < chunkEnd && data[pos + len - 1] === FT && looksLikeLeader(data, pos + len)) {
    return { ok: true, start: pos, end: pos + len, next: pos + len, warning: 'record terminator missing; record delimited by its leader length' };
  }

  // A complete record starting inside this chunk means this one was cut short.
  for (let q = pos + LEADER_LENGTH; q + MIN_RECORD <= chunkEnd; q++) {
    if (digits(data, q, 5) === chunkEnd - q && looksLikeLeader(data, q)) {
      return { ok: false, start: pos, end: q, next: q, error: `truncated record: leader gives length ${len}, but another record starts after ${q - pos} byte(s)` };
    }
  }

  if (chunkEnd - pos < MIN_RECORD) {
    return { ok: false, start: pos, end: chunkEnd, next: chunkEnd, error: `record of ${chunkEnd - pos} byte(s) is too short to hold a leader` };
  }
  return {
    ok: true, start: pos, end: chunkEnd, next: chunkEnd,
    warning: `leader gives record length ${len} but the record terminator makes it ${chunkEnd - pos} bytes; the record terminator was used`,
  };
}

/**
 * Reads ISO 2709 (MARC 21 transmission format) records. Never throws on bad input: each record
 * that cannot be read faithfully is returned as a MarcReadError and reading continues.
 */
export function* readIso2709(data: Buffer, opts: ReadIso2709Options = {}): Generator<MarcReadResult> {
  const n = data.length;
  let pos = 0;
  let index = 0;
  let carried: string[] = [];
  while (pos < n) {
    const fillStart = pos;
    let stray = 0;
    while (pos < n && (isPadding(data[pos]!) || data[pos] === RT || data[pos] === FT)) {
      if (!isPadding(data[pos]!)) stray++;
      pos++;
    }
    if (pos >= n) break;
    if (stray > 0) carried.push(`skipped ${stray} stray terminator byte(s) before this record (bytes ${fillStart}-${pos - 1})`);

    const frame = frameRecord(data, pos);
    pos = frame.next;
    const raw = data.subarray(frame.start, frame.end);
    const where = `record ${index + 1} at byte ${frame.start}`;
    if (!frame.ok) {
      yield { ok: false, index: index++, offset: frame.start, raw, format: 'iso2709', error: `${where}: ${frame.error}` };
      carried = [];
      continue;
    }
    let parsed: Parsed;
    try {
      parsed = parseRecord(data, frame.start, frame.end, opts);
    } catch (e) {
      // Defensive: a bug here must not abort the rest of the file.
      parsed = { ok: false, error: `internal error while parsing: ${(e as Error).message}` };
    }
    if (!parsed.ok) {
      yield { ok: false, index: index++, offset: frame.start, raw, format: 'iso2709', error: `${where}: ${parsed.error}` };
    } else {
      const warnings = frame.warning === undefined ? carried : [...carried, frame.warning];
      yield {
        ok: true, index: index++, offset: frame.start, record: parsed.record, raw, format: 'iso2709',
        sourceEncoding: parsed.encoding, warnings: warnings.length > 0 ? [...warnings, ...parsed.warnings] : parsed.warnings,
      };
    }
    carried = [];
  }
}

type Parsed =
  | { ok: true; record: MarcRecord; encoding: 'utf-8' | 'marc-8'; warnings: string[] }
  | { ok: false; error: string };

interface Entry {
  tag: string;
  start: number; // absolute offset of the field's first byte
  end: number; // absolute offset just past the field terminator
}

function parseRecord(data: Buffer, start: number, end: number, opts: ReadIso2709Options): Parsed {
  const warnings: string[] = [];
  for (let i = start; i < start + LEADER_LENGTH; i++) {
    const b = data[i]!;
    if (b < 0x20 || b > 0x7e) return { ok: false, error: `leader byte ${i - start} is ${hexByte(b)}, not a printable ASCII character` };
  }
  const bodyEnd = data[end - 1] === RT ? end - 1 : end;
  const base = digits(data, start + 12, 5);
  if (base < 0) return { ok: false, error: `base address of data '${data.toString('latin1', start + 12, start + 17)}' (leader/12-16) is not numeric` };
  if (base < MIN_RECORD || start + base > bodyEnd) return { ok: false, error: `base address of data ${base} (leader/12-16) lies outside the record (${end - start} bytes)` };
  if (data[start + base - 1] !== FT) {
    const dirEnd = data.indexOf(FT, start + LEADER_LENGTH);
    const actual = dirEnd >= 0 && dirEnd < bodyEnd ? `; the directory ends at byte ${dirEnd - start}` : '';
    return { ok: false, error: `base address of data ${base} (leader/12-16) does not follow the directory${actual}` };
  }
  const dirLength = base - 1 - LEADER_LENGTH;
  if (dirLength % 12 !== 0) return { ok: false, error: `directory is ${dirLength} bytes long, not a multiple of 12` };
  if (dirLength === 0) return { ok: false, error: 'record has no fields' };

  const dataStart = start + base;
  const entries: Entry[] = [];
  let firstBad: string | undefined;
  let declared = 0;
  for (let e = 0; e < dirLength / 12; e++) {
    const at = start + LEADER_LENGTH + e * 12;
    for (let i = at; i < at + 3; i++) {
      const b = data[i]!;
      if (b < 0x21 || b > 0x7e) return { ok: false, error: `directory entry ${e + 1}: tag ${quote(data.toString('latin1', at, at + 3))} is not three printable ASCII characters` };
    }
    const tag = data.toString('latin1', at, at + 3);
    const length = digits(data, at + 3, 4);
    const offset = digits(data, at + 7, 5);
    if (length < 0) return { ok: false, error: `directory entry ${e + 1} (tag ${tag}): field length '${data.toString('latin1', at + 3, at + 7)}' is not numeric` };
    if (offset < 0) return { ok: false, error: `directory entry ${e + 1} (tag ${tag}): field offset '${data.toString('latin1', at + 7, at + 12)}' is not numeric` };
    const fStart = dataStart + offset;
    const fEnd = fStart + length;
    declared += length;
    if (firstBad === undefined) {
      if (length === 0) firstBad = `directory entry ${e + 1} (tag ${tag}) has length 0`;
      else if (fEnd > bodyEnd) firstBad = `directory entry ${e + 1} (tag ${tag}) points past end of record`;
      else if (data[fEnd - 1] !== FT) firstBad = `directory entry ${e + 1} (tag ${tag}) does not end at a field terminator`;
    }
    entries.push({ tag, start: fStart, end: fEnd });
  }

  if (firstBad !== undefined) {
    // Usually lengths counted in characters instead of bytes. Field terminators cannot occur inside
    // data, so if they give exactly one field per entry, taking fields by terminator loses nothing.
    const cuts: number[] = [];
    for (let p = dataStart; p < bodyEnd; ) {
      const t = data.indexOf(FT, p);
      if (t < 0 || t >= bodyEnd) break;
      cuts.push(t + 1);
      p = t + 1;
    }
    const trailing = cuts.length > 0 ? bodyEnd - cuts[cuts.length - 1]! : bodyEnd - dataStart;
    if (cuts.length !== entries.length || trailing !== 0) {
      return { ok: false, error: `${firstBad} (and the data holds ${cuts.length} terminated field(s) for ${entries.length} directory entries, so it cannot be recovered)` };
    }
    const order = entries.map((_, i) => i).sort((a, b) => entries[a]!.start - entries[b]!.start || a - b);
    let p = dataStart;
    order.forEach((ei, k) => {
      entries[ei]!.start = p;
      entries[ei]!.end = cuts[k]!;
      p = cuts[k]!;
    });
    warnings.push(`${firstBad}; the directory's lengths/offsets disagree with the field terminators, so fields were taken by terminator in offset order`);
  } else if (declared !== bodyEnd - dataStart) {
    warnings.push(`the directory accounts for ${declared} byte(s) of field data but the record holds ${bodyEnd - dataStart}`);
  }

  // Encoding.
  const body = data.subarray(start, end);
  const ascii = isAscii(body);
  let encoding: 'utf-8' | 'marc-8';
  const l09 = data[start + 9]!;
  if (opts.assumeEncoding !== undefined) {
    encoding = opts.assumeEncoding;
  } else if (l09 === 0x61) {
    encoding = 'utf-8';
  } else {
    const looksUtf8 = !ascii && body.indexOf(ESC) < 0 && isUtf8(body);
    encoding = looksUtf8 ? 'utf-8' : 'marc-8';
    if (l09 !== 0x20) {
      warnings.push(`leader/09 is ${quote(String.fromCharCode(l09))}, neither blank (MARC-8) nor 'a' (UTF-8); decoded as ${looksUtf8 ? 'UTF-8' : 'MARC-8'}`);
    } else if (looksUtf8) {
      warnings.push('leader/09 says MARC-8 but the record is valid UTF-8 with multibyte characters and no MARC-8 escapes; decoded as UTF-8');
    }
  }
  if (encoding === 'utf-8' && !ascii && !isUtf8(body)) {
    for (let e = 0; e < entries.length; e++) {
      const { tag, start: s, end: x } = entries[e]!;
      const bad = firstInvalidUtf8(data, s, x);
      if (bad >= 0) return { ok: false, error: `field ${tag} (entry ${e + 1}) is not valid UTF-8 (byte ${hexByte(data[bad]!)} at offset ${bad - s} of the field)` };
    }
    return { ok: false, error: 'record is not valid UTF-8 outside its fields' };
  }

  // Pure ASCII (and no MARC-8 escapes): one latin1 string for the whole record, fields are substrings.
  const whole = ascii && (encoding === 'utf-8' || body.indexOf(ESC) < 0) ? data.toString('latin1', start, end) : undefined;
  let failure: string | undefined;
  const decode = (s: number, x: number, what: () => string): string => {
    if (whole !== undefined) return whole.substring(s - start, x - start);
    if (encoding === 'utf-8') return data.toString('utf8', s, x);
    if (isPlainAscii(data, s, x)) return data.toString('latin1', s, x);
    const r = decodeMarc8(data, s, x, opts.invalidMarc8 === 'replace');
    if (!r.ok) {
      failure ??= `${what()}: ${r.error} (offset ${r.offset} of the value)`;
      return '';
    }
    for (const w of r.warnings) warnings.push(`${what()}: ${w}`);
    return r.text;
  };

  const fields: MarcField[] = new Array(entries.length);
  for (let e = 0; e < entries.length; e++) {
    const { tag, start: s, end: x } = entries[e]!;
    const last = x - 1; // the field terminator
    const name = `field ${tag} (entry ${e + 1})`;
    if (isControlTag(tag) || (!isNumericTag(tag) && !hasDelimiter(data, s, last))) {
      fields[e] = { tag, value: decode(s, last, () => name) };
    } else {
      const f = parseDataField(data, tag, s, last, name, warnings, encoding, decode);
      if (typeof f === 'string') return { ok: false, error: f };
      fields[e] = f;
    }
    if (failure !== undefined) return { ok: false, error: failure };
  }

  const leader = data.toString('latin1', start, start + 9) + 'a' + data.toString('latin1', start + 10, start + LEADER_LENGTH);
  return { ok: true, record: { leader, fields }, encoding, warnings };
}

function parseDataField(
  data: Buffer, tag: string, s: number, last: number, name: string, warnings: string[], encoding: 'utf-8' | 'marc-8',
  decode: (s: number, x: number, what: () => string) => string,
): MarcDataField | string {
  let ind1 = ' ';
  let ind2 = ' ';
  let p = s;
  // Indicators: two bytes before the first delimiter. Some writers drop them.
  for (let k = 0; k < 2; k++) {
    const b = p < last ? data[p]! : SD;
    if (b === SD) {
      warnings.push(`${name}: indicator ${k + 1} missing; blank assumed`);
      continue;
    }
    let ind = String.fromCharCode(b);
    if (b < 0x20 || b > 0x7e) {
      warnings.push(`${name}: indicator ${k + 1} is byte ${hexByte(b)}, not ASCII; blank assumed`);
      ind = ' ';
    }
    if (k === 0) ind1 = ind;
    else ind2 = ind;
    p++;
  }

  // Subfield by subfield: MARC-8 designations reset at each, and slicing bytes beats splitting strings.
  const subfields: MarcSubfield[] = [];
  let sd = data.indexOf(SD, p);
  if (sd < 0 || sd > last) sd = last;
  if (sd > p) {
    // Vendor files often carry a stray "\" here (a mnemonic-format blank). It is not a subfield;
    // keep it visible in the warning rather than invent a code for it; `raw` still has the bytes.
    // Shown, not decoded as MARC-8: ignored data must not be able to reject the record.
    const shown = encoding === 'utf-8' || isPlainAscii(data, p, sd) ? quote(data.toString('utf8', p, sd)) : `bytes ${data.toString('hex', p, sd)}`;
    warnings.push(`${name}: data before the first subfield delimiter ignored: ${shown}`);
  }
  while (sd < last) {
    const codeAt = sd + 1;
    let next = data.indexOf(SD, codeAt);
    if (next < 0 || next > last) next = last;
    if (codeAt >= next) {
      warnings.push(`${name}: empty subfield (delimiter with no code) ignored`);
    } else {
      const c = data[codeAt]!;
      // A non-ASCII code means the structure is damaged; filing the value under a guessed code would spread the damage.
      if (c < 0x20 || c > 0x7e) return `${name}: subfield code is byte ${hexByte(c)}, not an ASCII character`;
      const code = String.fromCharCode(c);
      subfields.push({ code, value: decode(codeAt + 1, next, () => `${name} $${code}`) });
    }
    sd = next;
  }
  return { tag, ind1, ind2, subfields };
}

function isControlTag(tag: string): boolean {
  return tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30 && isDigit(tag.charCodeAt(2));
}
function isNumericTag(tag: string): boolean {
  return isDigit(tag.charCodeAt(0)) && isDigit(tag.charCodeAt(1)) && isDigit(tag.charCodeAt(2));
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function hasDelimiter(data: Uint8Array, s: number, x: number): boolean {
  const i = data.indexOf(SD, s);
  return i >= 0 && i < x;
}
function isPlainAscii(data: Uint8Array, s: number, x: number): boolean {
  for (let i = s; i < x; i++) {
    const b = data[i]!;
    if (b >= 0x80 || b === ESC) return false;
  }
  return true;
}
/** For messages: quoted as is, control characters made visible. */
export function quote(s: string): string {
  return `"${s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}
function hexByte(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence in data[s..x), or -1. */
function firstInvalidUtf8(data: Uint8Array, s: number, x: number): number {
  let i = s;
  while (i < x) {
    const b = data[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= x) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = data[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------

/**
 * Serialises a record as UTF-8 ISO 2709. Record length, base address, leader/09 ('a'),
 * leader/10-11 ('22') and leader/20-23 ('4500') are computed; the rest of the leader is kept.
 * Throws MarcWriteError when the record cannot be represented (bad tag, delimiter in a value, too long).
 */
export function writeIso2709(record: MarcRecord): Buffer {
  const { leader } = record;
  if (typeof leader !== 'string' || leader.length !== LEADER_LENGTH || !/^[\x20-\x7e]*$/.test(leader)) {
    throw new MarcWriteError(`leader must be 24 printable ASCII characters, got ${JSON.stringify(leader)}`);
  }
  const bodies: Buffer[] = [];
  let directory = '';
  let offset = 0;
  record.fields.forEach((f, i) => {
    const name = `field ${f.tag} (#${i + 1})`;
    if (typeof f.tag !== 'string' || !/^[\x21-\x7e]{3}$/.test(f.tag)) throw new MarcWriteError(`${name}: tag must be three printable ASCII characters`);
    let text: string;
    if ('value' in f) {
      checkValue(f.value, name);
      text = f.value + '\x1e';
    } else {
      for (const [k, ind] of [f.ind1, f.ind2].entries()) {
        if (typeof ind !== 'string' || !/^[\x20-\x7e]$/.test(ind)) throw new MarcWriteError(`${name}: indicator ${k + 1} must be one printable ASCII character, got ${JSON.stringify(ind)}`);
      }
      text = f.ind1 + f.ind2;
      for (const sf of f.subfields) {
        if (typeof sf.code !== 'string' || !/^[\x20-\x7e]$/.test(sf.code)) throw new MarcWriteError(`${name}: subfield code must be one printable ASCII character, got ${JSON.stringify(sf.code)}`);
        checkValue(sf.value, `${name} $${sf.code}`);
        text += '\x1f' + sf.code + sf.value;
      }
      text += '\x1e';
    }
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 9999) throw new MarcWriteError(`${name} is ${bytes.length} bytes; ISO 2709 allows 9999 (write MARCXML instead)`);
    directory += f.tag + String(bytes.length).padStart(4, '0') + String(offset).padStart(5, '0');
    offset += bytes.length;
    bodies.push(bytes);
  });
  const base = LEADER_LENGTH + directory.length + 1;
  const total = base + offset + 1;
  if (total > 99999) throw new MarcWriteError(`record is ${total} bytes; ISO 2709 allows 99999 (write MARCXML instead)`);
  const head = String(total).padStart(5, '0') + leader.slice(5, 9) + 'a22' + String(base).padStart(5, '0') + leader.slice(17, 20) + '4500' + directory + '\x1e';
  const out = Buffer.allocUnsafe(total);
  let p = out.write(head, 0, 'latin1');
  for (const b of bodies) p += b.copy(out, p);
  out[p] = RT;
  return out;
}

function checkValue(v: unknown, name: string): void {
  if (typeof v !== 'string') throw new MarcWriteError(`${name}: value must be a string`);
  if (/[\x1d-\x1f]/.test(v)) throw new MarcWriteError(`${name}: value contains a MARC delimiter or terminator character`);
}
