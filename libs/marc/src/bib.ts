import { fieldsOf, subfieldValues } from './accessors.js';
import type { MarcField, MarcRecord } from './types.js';

export interface BibSummary {
  title: string | null;
  author: string | null;
  isbns: string[];
  issns: string[];
  controlNumber: string | null; // 001
  controlNumberIdentifier: string | null; // 003
  systemControlNumbers: string[]; // 035 $a
  lccn: string | null; // 010 $a, LC-normalised
  publisher: string | null;
  publicationYear: string | null;
  lcCallNumber: string | null; // 050 $a $b
  deweyCallNumber: string | null; // 082 $a
}

/**
 * Search/display fields of a MARC 21 bibliographic record. Values are trimmed, NFC-normalised
 * and stripped of trailing ISBD punctuation; the record itself is not touched.
 * (It does not check the flavour: a UNIMARC record gives a meaningless summary.)
 */
export function summarizeBib(record: MarcRecord): BibSummary {
  const first = (tag: string): MarcField | undefined => record.fields.find((f) => f.tag === tag);
  const control = (tag: string): string | null => {
    const f = first(tag);
    return f !== undefined && 'value' in f ? clean(f.value) : null;
  };
  const joined = (f: MarcField | undefined, codes: string): string | null => {
    if (f === undefined || 'value' in f) return null;
    return trimPunctuation(f.subfields.filter((s) => codes.includes(s.code)).map((s) => s.value).join(' '));
  };
  const firstSub = (f: MarcField | undefined, code: string): string | null => (f === undefined ? null : clean(subfieldValues(f, code)[0]));

  const author = joined(first('100'), 'abcqd') ?? joined(first('110'), 'ab') ?? joined(first('111'), 'a');
  const pub = record.fields.find((f) => f.tag === '264' && !('value' in f) && f.ind2 === '1') ?? first('260');
  const f008 = control('008');
  const date1 = f008 !== null && f008.length >= 11 ? f008.slice(7, 11) : '';
  const pubDate = pub === undefined ? null : /\d{4}/.exec(subfieldValues(pub, 'c').join(' '))?.[0] ?? null;
  const lcA = firstSub(first('050'), 'a');
  const lcB = firstSub(first('050'), 'b');
  const dewey = firstSub(first('082'), 'a');

  return {
    title: joined(first('245'), 'abnp'),
    author,
    isbns: unique(fieldsOf(record, '020').flatMap((f) => subfieldValues(f, 'a')).map(isbnToken)),
    issns: unique(fieldsOf(record, '022').flatMap((f) => subfieldValues(f, 'a')).map(issnParts)),
    controlNumber: control('001'),
    controlNumberIdentifier: control('003'),
    systemControlNumbers: unique(fieldsOf(record, '035').flatMap((f) => subfieldValues(f, 'a')).map(clean)),
    lccn: normalizeLccn(firstSub(first('010'), 'a')),
    publisher: pub === undefined ? null : trimPunctuation(subfieldValues(pub, 'b')[0] ?? ''),
    publicationYear: /^\d{4}$/.test(date1) ? date1 : pubDate,
    lcCallNumber: lcA === null ? null : lcB === null ? lcA : `${lcA} ${lcB}`,
    // The slashes in 082 $a are segmentation marks, not part of the number.
    deweyCallNumber: dewey === null ? null : clean(dewey.replace(/\//g, '')),
  };
}

function clean(s: string | undefined): string | null {
  if (s === undefined) return null;
  const t = s.normalize('NFC').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/** Drops trailing ISBD separators (" /", " :", " ;", " =", ",") and a final period that does not end an initial. */
export function trimPunctuation(s: string): string | null {
  let t = clean(s);
  while (t !== null) {
    const before = t;
    t = t.replace(/\s*[/:;=,]$/, '');
    if (t.endsWith('.') && !t.endsWith('...') && !/(?:^|[\s.,])\p{Lu}\.$/u.test(t)) t = t.slice(0, -1);
    t = t.trim();
    if (t === before) break;
  }
  return t === '' ? null : t;
}

function unique(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null))];
}

/** The leading ISBN-looking token with hyphens removed ("0-06-017000-6 (pbk.)" -> "0060170006"). */
function isbnToken(s: string): string | null {
  const m = /^\s*(?:ISBN(?:-1[03])?:?\s*)?([0-9Xx-]+)/i.exec(s);
  const t = m?.[1]?.replace(/-/g, '').toUpperCase();
  return t !== undefined && (/^\d{9}[\dX]$/.test(t) || /^\d{13}$/.test(t)) ? t : null;
}

/** ISBN-13 for a valid ISBN-10 or ISBN-13 (check digit verified), else null. */
export function normalizeIsbn(s: string): string | null {
  const t = isbnToken(s);
  if (t === null) return null;
  if (t.length === 10) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (10 - i) * (t[i] === 'X' ? 10 : Number(t[i]));
    if (sum % 11 !== 0 || t.slice(0, 9).includes('X')) return null;
    const body = '978' + t.slice(0, 9);
    return body + isbn13Check(body);
  }
  if (!t.startsWith('978') && !t.startsWith('979')) return null;
  return isbn13Check(t.slice(0, 12)) === t[12] ? t : null;
}
function isbn13Check(twelve: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(twelve[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

function issnParts(s: string): string | null {
  const m = /^\s*(?:ISSN:?\s*)?(\d{4})-?(\d{3}[\dXx])(?![\dXx])/i.exec(s);
  return m === null ? null : `${m[1]}-${m[2]!.toUpperCase()}`;
}

/** "NNNN-NNNX" for an ISSN whose check digit is right, else null. */
export function normalizeIssn(s: string): string | null {
  const t = issnParts(s);
  if (t === null) return null;
  const d = t.replace('-', '');
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (8 - i) * Number(d[i]);
  const check = (11 - (sum % 11)) % 11;
  return (check === 10 ? 'X' : String(check)) === d[7] ? t : null;
}

/** LC's normalisation (loc.gov/marc/lccn-namespace.html): no blanks, nothing from "/", hyphen removed with the serial part zero-padded to 6. */
export function normalizeLccn(s: string | null): string | null {
  if (s === null) return null;
  let t = s.replace(/\s+/g, '');
  const slash = t.indexOf('/');
  if (slash >= 0) t = t.slice(0, slash);
  const hyphen = t.indexOf('-');
  if (hyphen >= 0) t = t.slice(0, hyphen) + t.slice(hyphen + 1).padStart(6, '0');
  return t === '' ? null : t;
}
