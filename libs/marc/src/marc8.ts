import { createRequire } from 'node:module';

// The conversion tables are LC's MARC-8 -> Unicode mappings as packaged by the `marc8` npm
// module. Its converter is not used (see README): we only borrow the tables. They are ~800 KB
// of JavaScript, so they are loaded on first need: most files never contain a MARC-8 byte >= 0x80.
type Tables = typeof import('marc8/lib/marc8_mapping.js');
let tables: Tables | undefined;
function loadTables(): Tables {
  if (tables === undefined) {
    const pkg = createRequire(import.meta.url)('marc8/lib/marc8_mapping.js') as Tables;
    // The package's ANSEL table predates LC's 2004 additions of eszett and the euro sign.
    tables = { ODD_MAP: pkg.ODD_MAP, CODESETS: { ...pkg.CODESETS, [ANSEL]: { ...pkg.CODESETS[ANSEL], 0xc7: [0xdf, 0], 0xc8: [0x20ac, 0] } } };
  }
  return tables;
}

const ESC = 0x1b;
const BASIC_LATIN = 0x42;
const ANSEL = 0x45;
const EACC = 0x31;
const REPLACEMENT = 0xfffd;

const SET_NAMES: Record<number, string> = {
  0x42: 'ASCII', 0x45: 'ANSEL', 0x31: 'EACC (CJK)', 0x32: 'Hebrew', 0x33: 'Arabic', 0x34: 'Extended Arabic',
  0x4e: 'Cyrillic', 0x51: 'Extended Cyrillic', 0x53: 'Greek', 0x62: 'Subscripts', 0x67: 'Greek symbols', 0x70: 'Superscripts',
};

export type Marc8Decoded = { ok: true; text: string; warnings: string[] } | { ok: false; offset: number; error: string };

const hex = (b: number): string => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Decodes one MARC-8 data element (a subfield value or a control field) to Unicode.
 *
 * Designations reset to G0 = ASCII, G1 = ANSEL at the start of every call: readers in the
 * wild (MARC::Charset, marc4j, pymarc) all scope escapes to a subfield, and records rely on it.
 *
 * A character that no MARC-8 set defines is an error unless `replaceInvalid`: it means the
 * record is not MARC-8 at all (e.g. unlabelled cp1251) or a multibyte run lost a byte, and
 * then the characters decoded around it may be wrong too. With `replaceInvalid` it becomes
 * U+FFFD plus a warning (and a multibyte run is resynchronised byte by byte).
 * A malformed or truncated escape sequence only loses the escape itself, so it always becomes
 * U+FFFD plus a warning and decoding continues.
 * Offsets in messages are relative to `start`.
 */
export function decodeMarc8(data: Uint8Array, start: number, end: number, replaceInvalid = false): Marc8Decoded {
  const { CODESETS, ODD_MAP } = loadTables();
  let g0 = BASIC_LATIN;
  let g1 = ANSEL;
  let g0Multi = false;
  let g1Multi = false;
  const out: number[] = [];
  let combining: number[] = [];
  const warnings: string[] = [];
  let lastWasInvalid = false; // a run of bad bytes makes one U+FFFD and one warning
  /** Returns an error to give up with, or undefined after substituting U+FFFD. */
  const invalid = (at: number, message: string): Marc8Decoded | undefined => {
    if (!replaceInvalid) return { ok: false, offset: at - start, error: message };
    if (!lastWasInvalid) {
      warnings.push(`${message} at offset ${at - start}; replaced by U+FFFD`);
      out.push(REPLACEMENT);
    }
    lastWasInvalid = true;
    return undefined;
  };

  const emit = (cp: number, isCombining: boolean): void => {
    lastWasInvalid = false;
    if (isCombining) {
      combining.push(cp);
      return;
    }
    // MARC-8 puts combining marks before their base character, Unicode after it.
    out.push(cp);
    if (combining.length > 0) {
      for (const c of combining) out.push(c);
      combining = [];
    }
  };
  const lookup = (set: number, code: number): [number, number] | undefined => {
    const table = CODESETS[set];
    if (table === undefined) return undefined;
    // LC's tables key the "basic" sets at 0x21-0x7E and the "extended" ones at 0xA1-0xFE; a set
    // may be designated to either half (e.g. ESC ( Q puts Extended Cyrillic in G0).
    return table[code] ?? table[code ^ 0x80];
  };

  let i = start;
  while (i < end) {
    const b = data[i]!;

    if (b === ESC) {
      lastWasInvalid = false;
      const esc = parseEscape(data, i, end);
      if (esc.kind === 'bad') {
        warnings.push(`${esc.reason} at offset ${i - start}; replaced by U+FFFD`);
        out.push(REPLACEMENT);
        i += esc.length;
        continue;
      }
      if (CODESETS[esc.set] === undefined) {
        warnings.push(`escape sequence to unknown character set ${hex(esc.set)} at offset ${i - start}; replaced by U+FFFD`);
        out.push(REPLACEMENT);
      } else if (esc.g === 0) {
        if (esc.length === 2 && esc.set === BASIC_LATIN && g0 === BASIC_LATIN) {
          // Legal but pointless; in damaged files it is an accented letter whose lead byte became ESC.
          warnings.push(`ESC s at offset ${i - start} while G0 is already ASCII (a character may be missing here)`);
        }
        g0 = esc.set;
        g0Multi = esc.multibyte || esc.set === EACC;
      } else {
        g1 = esc.set;
        g1Multi = esc.multibyte || esc.set === EACC;
      }
      i += esc.length;
      continue;
    }

    if (b < 0x20) {
      lastWasInvalid = false;
      out.push(b);
      i += 1;
      continue;
    }
    if (b === 0x20) {
      // Space belongs to no graphic set and is valid whatever is designated.
      emit(0x20, false);
      i += 1;
      continue;
    }
    if (b >= 0x80 && b < 0xa0) {
      // C1 controls: only NSB/NSE and the joiners are defined (LC maps them via the ANSEL table).
      const m = lookup(ANSEL, b);
      if (m !== undefined) emit(m[0], m[1] === 1);
      else {
        const fail = invalid(i, `byte ${hex(b)} is a C1 control that MARC-8 does not define`);
        if (fail) return fail;
      }
      i += 1;
      continue;
    }

    const inG1 = b >= 0xa0;
    const set = inG1 ? g1 : g0;
    if (inG1 ? g1Multi : g0Multi) {
      if (i + 3 > end) {
        warnings.push(`incomplete ${SET_NAMES[set] ?? hex(set)} multibyte character at offset ${i - start}; replaced by U+FFFD`);
        out.push(REPLACEMENT);
        break;
      }
      const code = ((data[i]! & 0x7f) << 16) | ((data[i + 1]! & 0x7f) << 8) | (data[i + 2]! & 0x7f);
      const m = lookup(set, code);
      const odd = m === undefined ? ODD_MAP[code] : undefined;
      if (m !== undefined) emit(m[0], m[1] === 1);
      else if (odd !== undefined) emit(odd, false);
      else {
        const fail = invalid(i, `code ${code.toString(16).toUpperCase()} is not defined in MARC-8 set ${SET_NAMES[set] ?? hex(set)}`);
        if (fail) return fail;
        i += 1; // resynchronise: the run probably lost a byte
        continue;
      }
      i += 3;
      continue;
    }
    const m = lookup(set, b);
    if (m !== undefined) emit(m[0], m[1] === 1);
    else {
      const fail = invalid(i, `byte ${hex(b)} is not defined in MARC-8 set ${SET_NAMES[set] ?? hex(set)} (${inG1 ? 'G1' : 'G0'})`);
      if (fail) return fail;
    }
    i += 1;
  }

  if (combining.length > 0) {
    // Keep them (no silent loss), attached to whatever precedes.
    warnings.push(`${combining.length} combining mark(s) at the end with no base character`);
    for (const c of combining) out.push(c);
  }
  return { ok: true, text: fromCodePoints(out), warnings };
}

type Escape =
  | { kind: 'designate'; g: 0 | 1; set: number; multibyte: boolean; length: number }
  | { kind: 'bad'; reason: string; length: number };

/** Parses the escape sequence at `i` (data[i] === ESC). */
function parseEscape(data: Uint8Array, i: number, end: number): Escape {
  const at = (k: number): number => (i + k < end ? data[i + k]! : -1);
  const incomplete: Escape = { kind: 'bad', reason: 'incomplete MARC-8 escape sequence', length: end - i };
  const b1 = at(1);
  if (b1 === -1) return incomplete;
  // Technique 1: MARC-specific locking shifts of G0.
  if (b1 === 0x67 || b1 === 0x62 || b1 === 0x70) return { kind: 'designate', g: 0, set: b1, multibyte: false, length: 2 };
  if (b1 === 0x73) return { kind: 'designate', g: 0, set: BASIC_LATIN, multibyte: false, length: 2 };

  // Technique 2: ISO 2022 designations. ( , -> G0; ) - -> G1; $ announces a multibyte set.
  let k = 1;
  let multibyte = false;
  if (b1 === 0x24) {
    multibyte = true;
    k = 2;
  }
  const inter = at(k);
  if (inter === -1) return incomplete;
  let g: 0 | 1;
  if (inter === 0x28 || inter === 0x2c) {
    g = 0;
    k += 1;
  } else if (inter === 0x29 || inter === 0x2d) {
    g = 1;
    k += 1;
  } else if (multibyte) {
    g = 0; // ESC $ F is shorthand for G0.
  } else {
    return { kind: 'bad', reason: `invalid MARC-8 escape sequence ESC ${printable(b1)}`, length: 1 };
  }
  let final = at(k);
  if (final === 0x21) {
    // ANSEL's final is "!E" (intermediate "!").
    k += 1;
    final = at(k);
  }
  if (final === -1) return incomplete;
  if (final < 0x21 || final > 0x7e) {
    return { kind: 'bad', reason: `invalid MARC-8 escape sequence (final byte ${hex(final)})`, length: k };
  }
  return { kind: 'designate', g, set: final, multibyte, length: k + 1 };
}

function printable(b: number): string {
  return b >= 0x21 && b <= 0x7e ? `'${String.fromCharCode(b)}'` : hex(b);
}

function fromCodePoints(cps: number[]): string {
  let s = '';
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096));
  return s;
}
