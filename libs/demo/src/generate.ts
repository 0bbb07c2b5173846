import type { MarcDataField, MarcField, MarcRecord, MarcSubfield } from '@carrel/marc';
import { isbn13CheckDigit, isbn13To10, issnCheckDigit, luhnCheckDigit } from './checkdigits.js';
import { Rng } from './prng.js';
import {
  ADJECTIVES, ANIMALS, AUTHORS, CHILD_NAMES, CLASSICS, DIRECTORS, FICTION_GENRES, FICTION_SUBTITLES, FOREIGN_PUBLISHERS,
  FOREIGN_WORKS, NONFICTION_LEADS, NONFICTION_SUBTITLES, NOUNS, PATRON_FORENAMES, PATRON_SURNAMES, PLACES, PUBLISHERS,
  REFERENCE_WORKS, SERIALS, SUBJECTS, type Person, type Publisher, type Subject,
} from './words.js';

export type DemoItemStatus = 'available' | 'checked_out' | 'lost' | 'missing' | 'in_transit' | 'on_hold_shelf' | 'withdrawn' | 'damaged';

export interface DemoItem {
  barcode: string;
  branchCode: string;
  locationCode: string;
  callNumber: string;
  itemType: string;
  collectionCode: string | null;
  price: string;
  status: DemoItemStatus;
}

export interface DemoRecord {
  marc: MarcRecord;
  items: DemoItem[];
}

export interface DemoPatron {
  barcode: string;
  surname: string;
  firstname: string;
  email: string | null;
  phone: string | null;
  categoryCode: string;
  branchCode: string;
  dateOfBirth: string | null;
  expiryDate: string;
  pin: string;
  blocked: boolean;
  blockReason: string | null;
}

export interface DemoLibrary {
  institution: { code: string; name: string };
  branches: { code: string; name: string; locations: { code: string; name: string }[] }[];
  patronCategories: { code: string; name: string; loanLimit: number; fineLimit: string; loanPeriodDays: number }[];
  itemTypes: { code: string; name: string }[];
  patrons: DemoPatron[];
  records: DemoRecord[];
  staffToken: string;
  /** How the demo PINs are made, for banners and docs (see demoPinFor). */
  pinRule: string;
}

/** Printed in the docs and the CLI banner; only ever valid against a demo database. */
export const DEMO_STAFF_TOKEN = 'carrel-demo-token-0d3m0-n0t-a-s3cr3t';
export const DEMO_DEFAULT_SEED = 1;
/** Used when no date is passed in, so a call without options is still reproducible. */
export const DEMO_DEFAULT_TODAY = '2026-01-01';

/** Every demo patron's PIN is the last four digits of their card barcode (23000000000011 -> 0011). */
export function demoPinFor(barcode: string): string {
  return barcode.slice(-4);
}

export const DEMO_PIN_RULE = 'PIN = last 4 digits of the card barcode (23000000000011 -> 0011)';

/**
 * Patron roles that stay at the same card number whatever the seed, so docs and tests can name
 * them. Everyone else is active with a random category.
 */
export const DEMO_PATRON_ROLES = {
  /** Active adult at MAIN: the card to try first. */
  adult: 0,
  child: 1,
  staff: 2,
  blocked: 3,
  /** Expired 30 days, 1 year and 1 day before `today`. */
  expired: [4, 5, 6],
  /** Expires on `today`, so still valid for the day. */
  expiresToday: 7,
  faculty: 8,
} as const;

export const DEMO_PATRON_COUNT = 60;
export const DEMO_RECORD_COUNT = 250;
const MIN_ITEMS = 560;

const INSTITUTION = { code: 'CARREL', name: 'Carrel Demonstration Library' };

/** The Annex is an academic-style collection in LC; the public branches use Dewey. */
const LC_BRANCH = 'ANNEX';
const DEWEY_BRANCHES = ['MAIN', 'EAST', 'NORTH'] as const;

const BRANCHES: DemoLibrary['branches'] = [
  {
    code: 'MAIN',
    name: 'Central Library',
    locations: [
      { code: 'STACKS', name: 'Adult stacks' },
      { code: 'REF', name: 'Reference' },
      { code: 'JUV', name: "Children's room" },
      { code: 'YA', name: 'Teen zone' },
      { code: 'NEW', name: 'New arrivals' },
      { code: 'AV', name: 'Media' },
      { code: 'PER', name: 'Periodicals' },
    ],
  },
  {
    code: 'EAST',
    name: 'Eastside Branch',
    locations: [
      { code: 'STACKS', name: 'Stacks' },
      { code: 'JUV', name: "Children's corner" },
      { code: 'NEW', name: 'New arrivals' },
      { code: 'AV', name: 'Media' },
    ],
  },
  {
    code: 'NORTH',
    name: 'Northgate Branch',
    locations: [
      { code: 'STACKS', name: 'Stacks' },
      { code: 'JUV', name: "Children's corner" },
      { code: 'REF', name: 'Reference' },
      { code: 'NEW', name: 'New arrivals' },
    ],
  },
  {
    code: 'ANNEX',
    name: 'Research Annex',
    locations: [
      { code: 'STACKS', name: 'Research stacks' },
      { code: 'REF', name: 'Reference' },
      { code: 'PER', name: 'Bound periodicals' },
      { code: 'SPEC', name: 'Special collections' },
    ],
  },
];

const PATRON_CATEGORIES: DemoLibrary['patronCategories'] = [
  { code: 'ADULT', name: 'Adult', loanLimit: 30, fineLimit: '10.00', loanPeriodDays: 21 },
  { code: 'CHILD', name: 'Child', loanLimit: 15, fineLimit: '5.00', loanPeriodDays: 21 },
  { code: 'TEEN', name: 'Young adult', loanLimit: 20, fineLimit: '5.00', loanPeriodDays: 21 },
  { code: 'SENIOR', name: 'Senior', loanLimit: 30, fineLimit: '10.00', loanPeriodDays: 28 },
  { code: 'STAFF', name: 'Staff', loanLimit: 50, fineLimit: '50.00', loanPeriodDays: 28 },
  { code: 'FACULTY', name: 'Faculty and researchers', loanLimit: 100, fineLimit: '25.00', loanPeriodDays: 90 },
];

const ITEM_TYPES: DemoLibrary['itemTypes'] = [
  { code: 'BOOK', name: 'Book' },
  { code: 'DVD', name: 'DVD' },
  { code: 'REF', name: 'Reference (library use only)' },
  { code: 'SERIAL', name: 'Serial volume' },
  { code: 'AUDIOBOOK', name: 'Audiobook on CD' },
  { code: 'MUSIC', name: 'Music CD' },
];

// ---------------------------------------------------------------------------------------------
// Dates: `today` is passed in (no clock reads); arithmetic in UTC so time zones cannot shift a day.

interface Day {
  y: number;
  m: number;
  d: number;
}

function parseDay(text: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const day = m ? { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) } : null;
  if (!day || formatDay(new Date(Date.UTC(day.y, day.m - 1, day.d))) !== text) {
    throw new RangeError(`generateDemoLibrary: today must be a real date as YYYY-MM-DD, got ${JSON.stringify(text)}`);
  }
  return day;
}

function formatDay(date: Date): string {
  const y = String(date.getUTCFullYear()).padStart(4, '0');
  return `${y}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCDate()).padStart(2, '0')}`;
}

function addDays(day: Day, days: number): string {
  return formatDay(new Date(Date.UTC(day.y, day.m - 1, day.d + days)));
}

function addYears(day: Day, years: number): string {
  // 29 February rolls to 1 March in a common year, as Date.UTC does.
  return formatDay(new Date(Date.UTC(day.y + years, day.m - 1, day.d)));
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/** ASCII form for cutters, emails and call numbers. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/Ø/g, 'O')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^\x20-\x7e]/g, '');
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

const aOrAn = (word: string): string => (/^[aeiou]/i.test(word) ? 'An' : 'A');

function plural(noun: string): string {
  if (/[^aeiou]y$/.test(noun)) return noun.slice(0, -1) + 'ies';
  if (/(?:s|x|ch|sh)$/.test(noun)) return noun.endsWith('s') ? noun : noun + 'es';
  return noun + 's';
}

function romanSurname(p: Person): string {
  return p.roman ?? fold(p.surname);
}

/** Dewey-library author mark: the first three letters of the surname ("Rowling" -> ROW). */
function deweyCutter(word: string): string {
  const letters = fold(word).toUpperCase().replace(/[^A-Z]/g, '');
  return (letters + 'XXX').slice(0, 3);
}

const FILING_WORDS = /^(?:the|an?|el|la|le|les|los|las|der|die|das|l')\s*/i;

function significantWord(title: string): string {
  return title.replace(FILING_WORDS, '').split(/[\s,:;-]+/)[0] ?? title;
}

/** 245 second indicator: how many leading characters an index skips ("The " is 4). */
function nonFilingCount(title: string): number {
  const m = /^(?:the |an |a |el |la |le |les |los |las |der |die |das |l')/i.exec(title);
  return m ? m[0].length : 0;
}

function lookup(table: readonly (readonly [string, number])[], ch: string, fallback: number): number {
  let digit = fallback;
  for (const [from, d] of table) if (ch >= from) digit = d;
  return digit;
}

const AFTER_VOWEL = [['b', 2], ['d', 3], ['l', 4], ['n', 5], ['p', 6], ['r', 7], ['s', 8], ['u', 9]] as const;
const AFTER_S = [['a', 2], ['c', 3], ['e', 4], ['h', 5], ['m', 6], ['t', 7], ['u', 8], ['w', 9]] as const;
const AFTER_QU = [['a', 3], ['e', 4], ['i', 5], ['o', 6], ['r', 7], ['t', 8], ['y', 9]] as const;
const AFTER_CONSONANT = [['a', 3], ['e', 4], ['i', 5], ['o', 6], ['r', 7], ['u', 8], ['y', 9]] as const;
const EXPANSION = [['a', 3], ['e', 4], ['i', 5], ['m', 6], ['p', 7], ['t', 8], ['w', 9]] as const;

/**
 * A Cutter number after the Library of Congress Cutter table ("Smith" -> S65), so the LC call
 * numbers look like the ones a cataloguer would assign.
 */
export function lcCutter(word: string, digits = 2): string {
  const w = fold(word).toLowerCase().replace(/[^a-z]/g, '');
  if (w === '') return 'A1';
  let out = w[0]!.toUpperCase();
  let rest = w.slice(1);
  if ('aeiou'.includes(w[0]!)) out += lookup(AFTER_VOWEL, rest[0] ?? 'a', 2);
  else if (w[0] === 's') {
    if (rest.startsWith('ch')) {
      rest = rest.slice(1);
      out += 3;
    } else out += lookup(AFTER_S, rest[0] ?? 'a', 2);
  }
  else if (w.startsWith('qu')) {
    rest = rest.slice(1);
    out += lookup(AFTER_QU, rest[0] ?? 'a', 3);
  } else if (w[0] === 'q') out += 2;
  else out += lookup(AFTER_CONSONANT, rest[0] ?? 'a', 3);
  for (let i = 1; out.length < 1 + digits; i++) out += lookup(EXPANSION, rest[i] ?? 'a', 3);
  return out;
}

/** "PS3619.M58": American authors since 2001 are PS3601-PS3626 by initial, British PR6101-PR6126. */
function literatureClass(author: Person, british: boolean): string {
  const s = romanSurname(author).replace(/[^A-Za-z]/g, '');
  const initial = s.charCodeAt(0) - 64;
  const base = british ? 'PR61' : 'PS36';
  return `${base}${String(initial).padStart(2, '0')}.${lcCutter(s.slice(1))}`;
}

function price(rng: Rng, min: number, max: number): string {
  return `${rng.int(min, max)}.${rng.pick(['00', '95', '99', '50'])}`;
}

function endPeriod(text: string): string {
  return /[.?!)\]-]$/.test(text) ? text : text + '.';
}

// ---------------------------------------------------------------------------------------------
// MARC building

const sf = (code: string, value: string): MarcSubfield => ({ code, value });
const df = (tag: string, ind1: string, ind2: string, subfields: MarcSubfield[]): MarcDataField => ({ tag, ind1, ind2, subfields });

type Kind = 'book' | 'dvd' | 'audiobook' | 'music' | 'serial';

interface Spec {
  kind: Kind;
  juvenile: boolean;
  youngAdult: boolean;
  fiction: boolean;
  reference: boolean;
  lang: string;
  country: string;
  author: Person | null;
  authorRole: string;
  added: { person: Person; role: string }[];
  title: string;
  subtitle: string | null;
  responsibility: string | null;
  romanTitle: string | null;
  nonFiling: number;
  edition: string | null;
  place: string;
  publisher: string;
  year: number;
  pages: number;
  illustrated: boolean;
  lc: { a: string; b: string };
  dewey: string;
  /** "FIC TOL" style: no class number in the Dewey call number. */
  deweyByAuthorOnly: boolean;
  deweyPrefix: string | null;
  deweyMark: string;
  subjects: string[][];
  genre: string | null;
  note: string | null;
  summary: string | null;
  series: string | null;
  volumes: number;
  /** Old enough to be worth a copy in the Annex's special collections. */
  special: boolean;
  serial: { issn: string; frequency: string; startYear: number } | null;
  itemType: string;
}

interface Holding {
  branchCode: string;
  locationCode: string;
  callNumber: string;
  itemType: string;
  collectionCode: string | null;
  price: string;
  /** 952 $h for bound serial volumes. */
  enumeration: string | null;
  accessioned: string;
  status: DemoItemStatus;
  barcode: string;
  dueDate: string | null;
}

interface Draft {
  spec: Spec;
  controlNumber: string;
  holdings: Holding[];
}

function leaderFor(spec: Spec): string {
  const type = { book: 'a', serial: 'a', dvd: 'g', audiobook: 'i', music: 'j' }[spec.kind];
  const level = spec.kind === 'serial' ? 's' : 'm';
  // Length and base address are placeholders that an ISO 2709 writer fills in; 09 'a' = UTF-8.
  return `00000n${type}${level} a2200000 ${spec.year >= 2013 ? 'i' : 'a'} 4500`;
}

function set(chars: string[], at: number, value: string): void {
  for (let i = 0; i < value.length; i++) chars[at + i] = value[i]!;
}

function field008(spec: Spec, today: Day): string {
  const c = Array.from({ length: 40 }, () => ' ');
  set(c, 0, `${String(today.y % 100).padStart(2, '0')}${String(today.m).padStart(2, '0')}${String(today.d).padStart(2, '0')}`);
  if (spec.serial) {
    set(c, 6, 'c' + String(spec.serial.startYear) + '9999');
  } else {
    set(c, 6, 's' + String(spec.year) + '    ');
  }
  set(c, 15, spec.country.padEnd(3, ' '));
  const audience = spec.juvenile ? 'j' : spec.youngAdult ? 'd' : ' ';
  switch (spec.kind) {
    case 'book':
      set(c, 18, spec.illustrated ? 'a   ' : '    ');
      set(c, 22, audience);
      set(c, 29, '0');
      set(c, 30, '0');
      set(c, 31, spec.fiction || spec.juvenile ? '0' : '1');
      set(c, 33, spec.fiction ? (spec.genre === 'Poetry' ? 'p' : 'f') : '0');
      break;
    case 'dvd':
      set(c, 18, String(Math.min(spec.pages, 999)).padStart(3, '0'));
      set(c, 22, spec.juvenile ? 'j' : 'g');
      set(c, 29, 'v');
      set(c, 33, 'v');
      set(c, 34, 'l');
      break;
    case 'audiobook':
      set(c, 18, 'nnn');
      set(c, 22, audience);
      set(c, 30, spec.fiction ? 'f ' : '  ');
      set(c, 33, 'n');
      break;
    case 'music':
      set(c, 18, 'pp');
      set(c, 20, 'n');
      set(c, 33, 'n');
      break;
    case 'serial':
      set(c, 18, spec.serial!.frequency === 'w' ? 'w' : spec.serial!.frequency === 'b' ? 'f' : spec.serial!.frequency);
      set(c, 19, 'r');
      set(c, 21, 'p');
      set(c, 29, '0');
      set(c, 34, '0');
      break;
  }
  set(c, 35, spec.lang);
  set(c, 39, 'd');
  return c.join('');
}

const CONTENT: Record<Kind, [string, string, string, string, string, string]> = {
  book: ['text', 'txt', 'unmediated', 'n', 'volume', 'nc'],
  serial: ['text', 'txt', 'unmediated', 'n', 'volume', 'nc'],
  dvd: ['two-dimensional moving image', 'tdi', 'video', 'v', 'videodisc', 'vd'],
  audiobook: ['spoken word', 'spw', 'audio', 's', 'audio disc', 'sd'],
  music: ['performed music', 'prm', 'audio', 's', 'audio disc', 'sd'],
};

function personHeading(p: Person, role: string): MarcSubfield[] {
  const out = [sf('a', `${p.surname}, ${p.forename},`)];
  if (p.dates) out.push(sf('d', `${p.dates},`));
  out.push(sf('e', `${role}.`));
  return out;
}

function extent(spec: Spec, rda: boolean): MarcSubfield[] {
  switch (spec.kind) {
    case 'dvd':
      return [sf('a', `1 videodisc (${spec.pages} ${rda ? 'minutes' : 'min.'}) :`), sf('b', 'sound, color ;'), sf('c', '4 3/4 in.')];
    case 'audiobook':
      return [sf('a', `${Math.ceil(spec.pages / 70)} audio discs (${spec.pages} ${rda ? 'minutes' : 'min.'}) :`), sf('b', 'digital ;'), sf('c', '4 3/4 in.')];
    case 'music':
      return [sf('a', `1 audio disc (${spec.pages} ${rda ? 'minutes' : 'min.'}) :`), sf('b', 'digital ;'), sf('c', '4 3/4 in.')];
    case 'serial':
      return [sf('a', 'volumes :'), sf('b', rda ? 'illustrations ;' : 'ill. ;'), sf('c', '28 cm')];
    case 'book': {
      const pages = spec.volumes > 1 ? `${spec.volumes} volumes` : rda ? `${spec.pages} pages` : `${spec.pages} p.`;
      const size = spec.juvenile ? '26 cm' : spec.reference ? '29 cm' : rda ? '24 cm' : '24 cm.';
      if (!spec.illustrated) return [sf('a', `${pages} ;`), sf('c', size)];
      return [sf('a', `${pages} :`), sf('b', rda ? (spec.juvenile ? 'color illustrations ;' : 'illustrations ;') : 'ill. ;'), sf('c', size)];
    }
  }
}

function buildMarc(draft: Draft, rng: Rng, isbns: Set<string>, today: Day): MarcRecord {
  const { spec } = draft;
  const rda = spec.year >= 2013;
  const fields: MarcField[] = [];
  fields.push({ tag: '001', value: draft.controlNumber });
  fields.push({ tag: '003', value: INSTITUTION.code });
  fields.push({ tag: '005', value: `${String(today.y)}${String(today.m).padStart(2, '0')}${String(today.d).padStart(2, '0')}120000.0` });
  fields.push({ tag: '008', value: field008(spec, today) });

  if (spec.serial) {
    fields.push(df('022', '0', ' ', [sf('a', spec.serial.issn)]));
  } else if (spec.kind === 'book' || spec.kind === 'audiobook') {
    let isbn = '';
    do {
      const group = { spa: '84', fre: '2', rus: '5', jpn: '4', chi: '7', gre: '960', ara: '9953', ukr: '966' }[spec.lang] ?? rng.pick(['0', '1']);
      const body = '978' + group + rng.digits(9 - group.length);
      isbn = body + isbn13CheckDigit(body);
    } while (isbns.has(isbn));
    isbns.add(isbn);
    const qualifier = spec.kind === 'audiobook' ? 'audio CD' : spec.volumes > 1 ? 'set' : rng.pick(['hardcover', 'paperback', 'paperback', 'hardback']);
    fields.push(df('020', ' ', ' ', rda ? [sf('a', isbn), sf('q', `(${qualifier})`)] : [sf('a', `${isbn} (${qualifier})`)]));
    const isbn10 = isbn13To10(isbn);
    if (isbn10 && rng.chance(0.3)) fields.push(df('020', ' ', ' ', rda ? [sf('a', isbn10), sf('q', `(${qualifier})`)] : [sf('a', `${isbn10} (${qualifier})`)]));
  } else {
    // UPC-A with its check digit, as on DVD and CD cases.
    const body = '0' + rng.digits(10);
    let sum = 0;
    for (let i = 0; i < 11; i++) sum += Number(body[i]) * (i % 2 === 0 ? 3 : 1);
    fields.push(df('024', '1', ' ', [sf('a', body + String((10 - (sum % 10)) % 10))]));
  }

  fields.push(df('040', ' ', ' ', rda ? [sf('a', INSTITUTION.code), sf('b', 'eng'), sf('e', 'rda'), sf('c', INSTITUTION.code)] : [sf('a', INSTITUTION.code), sf('c', INSTITUTION.code)]));
  if (spec.lang !== 'eng' && spec.kind !== 'serial') fields.push(df('041', '0', ' ', [sf('a', spec.lang)]));
  fields.push(df('050', ' ', '4', [sf('a', spec.lc.a), sf('b', spec.lc.b)]));
  fields.push(df('082', '0', '4', [sf('a', spec.dewey), sf('2', '23')]));

  if (spec.author) fields.push(df('100', '1', ' ', personHeading(spec.author, spec.authorRole)));

  const t: MarcSubfield[] = [];
  const next = spec.subtitle !== null ? ' :' : spec.responsibility !== null ? ' /' : '.';
  t.push(sf('a', spec.title + (next === '.' ? (/[.?!]$/.test(spec.title) ? '' : '.') : next)));
  if (spec.subtitle !== null) t.push(sf('b', spec.subtitle + (spec.responsibility !== null ? ' /' : '.')));
  if (spec.responsibility !== null) t.push(sf('c', endPeriod(spec.responsibility)));
  fields.push(df('245', spec.author ? '1' : '0', String(spec.nonFiling), t));
  if (spec.romanTitle) fields.push(df('246', '3', '1', [sf('a', spec.romanTitle)]));
  if (spec.edition) fields.push(df('250', ' ', ' ', [sf('a', spec.edition)]));

  const pubYear = spec.serial ? `${spec.serial.startYear}-` : String(spec.year);
  if (rda) {
    fields.push(df('264', ' ', '1', [sf('a', `${spec.place} :`), sf('b', `${spec.publisher},`), sf('c', spec.serial ? pubYear : `${pubYear}.`)]));
    if (!spec.serial && rng.chance(0.4)) fields.push(df('264', ' ', '4', [sf('c', `©${spec.year}`)]));
  } else {
    fields.push(df('260', ' ', ' ', [sf('a', `${spec.place} :`), sf('b', `${spec.publisher},`), sf('c', spec.serial ? pubYear : `${pubYear}.`)]));
  }
  fields.push(df('300', ' ', ' ', extent(spec, rda)));
  if (rda) {
    const [content, cc, media, mc, carrier, crc] = CONTENT[spec.kind];
    fields.push(df('336', ' ', ' ', [sf('a', content), sf('b', cc), sf('2', 'rdacontent')]));
    fields.push(df('337', ' ', ' ', [sf('a', media), sf('b', mc), sf('2', 'rdamedia')]));
    fields.push(df('338', ' ', ' ', [sf('a', carrier), sf('b', crc), sf('2', 'rdacarrier')]));
  }
  if (spec.serial) {
    const freq = { m: 'Monthly', q: 'Quarterly', w: 'Weekly', b: 'Bimonthly' }[spec.serial.frequency];
    fields.push(df('310', ' ', ' ', [sf('a', freq ?? 'Irregular')]));
    fields.push(df('362', '0', ' ', [sf('a', `Vol. 1, no. 1 (${spec.serial.startYear})-`)]));
  }
  if (spec.series) fields.push(df('490', '0', ' ', [sf('a', `${spec.series} ;`), sf('v', String(rng.int(1, 40)))]));
  if (spec.note) fields.push(df('500', ' ', ' ', [sf('a', endPeriod(spec.note))]));
  if (spec.summary) fields.push(df('520', ' ', ' ', [sf('a', endPeriod(spec.summary))]));
  if (spec.lang !== 'eng' && spec.kind !== 'serial') {
    const name = { spa: 'Spanish', fre: 'French', rus: 'Russian', gre: 'Greek, Modern', jpn: 'Japanese', chi: 'Chinese', ara: 'Arabic', ukr: 'Ukrainian' }[spec.lang];
    if (name) fields.push(df('546', ' ', ' ', [sf('a', `In ${name}.`)]));
  }
  for (const heading of spec.subjects) {
    // Subdivisions are $x unless written 'v:' (form) or 'y:' (period).
    const subs = heading.map((value, i) => {
      const m = /^([vy]):(.*)$/.exec(value);
      return i > 0 && m ? sf(m[1]!, m[2]!) : sf(i === 0 ? 'a' : 'x', value);
    });
    const last = subs[subs.length - 1]!;
    last.value = endPeriod(last.value);
    fields.push(df('650', ' ', '0', subs));
  }
  if (spec.genre) fields.push(df('655', ' ', '7', [sf('a', endPeriod(spec.genre)), sf('2', 'lcgft')]));
  for (const { person, role } of spec.added) fields.push(df('700', '1', ' ', personHeading(person, role)));
  fields.push(df('942', ' ', ' ', [sf('2', 'ddc'), sf('c', spec.itemType)]));

  for (const h of draft.holdings) fields.push(item952(h));
  return { leader: leaderFor(spec), fields };
}

/** Koha's default framework: item status spread over $0 withdrawn, $1 lost, $4 damaged, $7 not for loan. */
function item952(h: Holding): MarcDataField {
  const subs: MarcSubfield[] = [];
  if (h.status === 'withdrawn') subs.push(sf('0', '1'));
  if (h.status === 'lost') subs.push(sf('1', '1'));
  if (h.status === 'missing') subs.push(sf('1', '4'));
  if (h.status === 'damaged') subs.push(sf('4', '1'));
  if (h.itemType === 'REF') subs.push(sf('7', '1'));
  if (h.collectionCode !== null) subs.push(sf('8', h.collectionCode));
  subs.push(sf('a', h.branchCode), sf('b', h.branchCode), sf('c', h.locationCode), sf('d', h.accessioned), sf('g', h.price));
  if (h.enumeration !== null) subs.push(sf('h', h.enumeration));
  subs.push(sf('o', h.callNumber), sf('p', h.barcode));
  if (h.dueDate !== null) subs.push(sf('q', h.dueDate));
  subs.push(sf('v', h.price), sf('y', h.itemType), sf('2', h.branchCode === LC_BRANCH ? 'lcc' : 'ddc'));
  return df('952', ' ', ' ', subs);
}

// ---------------------------------------------------------------------------------------------
// Bibliographic specs

function baseSpec(partial: Partial<Spec> & Pick<Spec, 'kind' | 'title' | 'lc' | 'dewey' | 'deweyMark' | 'year' | 'itemType'>): Spec {
  return {
    juvenile: false,
    youngAdult: false,
    fiction: false,
    reference: false,
    lang: 'eng',
    country: 'xxu',
    author: null,
    authorRole: 'author',
    added: [],
    subtitle: null,
    responsibility: null,
    romanTitle: null,
    nonFiling: nonFilingCount(partial.title),
    edition: null,
    place: 'New York',
    publisher: 'Northwind Books',
    pages: 300,
    illustrated: false,
    deweyByAuthorOnly: false,
    deweyPrefix: null,
    subjects: [],
    genre: null,
    note: null,
    summary: null,
    series: null,
    volumes: 1,
    special: false,
    serial: null,
    ...partial,
  };
}

/** Name as on the title page: Chinese and Japanese put the family name first, with no space. */
const fullName = (p: Person): string => (/^[\u3040-\u30ff\u3400-\u9fff]/.test(p.surname) ? `${p.surname}${p.forename}` : `${p.forename} ${p.surname}`);

function publisherFor(rng: Rng, lang: string): Publisher {
  return FOREIGN_PUBLISHERS[lang] ?? rng.pick(PUBLISHERS);
}

function pubYear(rng: Rng, today: Day, oldest: number): number {
  // Public collections skew recent: half the titles come from the last ten years.
  return rng.chance(0.5) ? rng.int(Math.max(oldest, today.y - 10), today.y) : rng.int(oldest, today.y);
}

function fictionTitle(rng: Rng, used: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const adj = rng.pick(ADJECTIVES);
    const noun = rng.pick(NOUNS);
    const title = rng.pick([
      () => `The ${adj} ${noun}`,
      () => `${capitalize(noun)} of ${rng.pick(PLACES)}`,
      () => `${aOrAn(noun)} ${noun} in ${rng.pick(['winter', 'spring', 'August', 'the rain'])}`,
      () => `The ${noun} at ${rng.pick(PLACES)}`,
      () => `${capitalize(adj)} ${plural(noun)}`,
      () => `The last ${noun} of ${rng.pick(PLACES)}`,
      () => `What the ${noun} remembers`,
      () => `An ${rng.pick(['ordinary', 'unfinished', 'honest', 'open'])} ${noun}`,
    ])();
    if (!used.has(title) || attempt >= 50) {
      used.add(title);
      return title;
    }
  }
}

function classicSpec(rng: Rng, today: Day, i: number): Spec {
  const c = CLASSICS[i]!;
  const year = rng.int(1995, today.y);
  const pub = publisherFor(rng, c.lang);
  return baseSpec({
    kind: 'book',
    fiction: c.genre !== 'Poetry',
    lang: c.lang,
    country: pub.country,
    author: c.author,
    title: c.title,
    subtitle: c.subtitle ?? null,
    nonFiling: c.nonFiling,
    responsibility: fullName(c.author),
    place: pub.place,
    publisher: pub.name,
    year,
    pages: rng.int(280, 900),
    lc: { a: c.lcClass, b: `.${c.lcTitleCutter} ${year}` },
    dewey: c.dewey,
    deweyByAuthorOnly: c.genre !== 'Poetry',
    deweyPrefix: c.genre !== 'Poetry' ? 'FIC' : null,
    deweyMark: deweyCutter(romanSurname(c.author)),
    genre: c.genre,
    note: `Originally published: ${c.firstPublished}`,
    volumes: c.volumes ?? 1,
    special: true,
    itemType: 'BOOK',
  });
}

function foreignSpec(rng: Rng, today: Day, i: number): Spec {
  const w = FOREIGN_WORKS[i]!;
  const year = pubYear(rng, today, 1990);
  const roman = romanSurname(w.author);
  return baseSpec({
    kind: 'book',
    fiction: true,
    lang: w.lang,
    country: w.country,
    author: w.author,
    title: w.title,
    nonFiling: 0,
    romanTitle: w.romanTitle,
    responsibility: fullName(w.author),
    place: w.place,
    publisher: w.publisher,
    year,
    pages: rng.int(180, 520),
    lc: { a: `${w.lcClass}.${lcCutter(roman)}`, b: `${lcCutter(significantWord(w.romanTitle))} ${year}` },
    dewey: w.dewey,
    deweyByAuthorOnly: true,
    deweyPrefix: 'FIC',
    deweyMark: deweyCutter(roman),
    genre: w.genre,
    itemType: 'BOOK',
  });
}

const FICTION_TOPICS = ['Families', 'Islands', 'Lighthouses', 'Friendship', 'Grief', 'Secrets', 'Sisters', 'Detectives', 'Time travel', 'Inheritance and succession'];

function fictionSpec(rng: Rng, today: Day, used: Set<string>, youngAdult: boolean): Spec {
  const author = rng.pick(AUTHORS);
  const title = fictionTitle(rng, used);
  const year = pubYear(rng, today, 1975);
  const pub = publisherFor(rng, 'eng');
  const british = pub.country === 'enk';
  const genre = rng.pick(FICTION_GENRES);
  const adj = rng.pick(ADJECTIVES);
  return baseSpec({
    kind: 'book',
    fiction: true,
    youngAdult,
    country: pub.country,
    author,
    title,
    subtitle: rng.chance(0.25) ? rng.pick(FICTION_SUBTITLES) : null,
    responsibility: fullName(author),
    place: pub.place,
    publisher: pub.name,
    year,
    pages: rng.int(180, 640),
    lc: { a: literatureClass(author, british), b: `${lcCutter(significantWord(title))} ${year}` },
    dewey: british ? '823.92' : '813.6',
    deweyByAuthorOnly: true,
    deweyPrefix: youngAdult ? 'YA FIC' : 'FIC',
    deweyMark: deweyCutter(romanSurname(author)),
    subjects: [[rng.pick(FICTION_TOPICS), 'v:Fiction']],
    genre,
    summary: rng.chance(0.5) ? `${capitalize(adj)} and unhurried, a story of ${plural(rng.pick(NOUNS))}, ${rng.pick(PLACES)} and the people who stay` : null,
    edition: rng.chance(0.1) ? (year >= 2013 ? 'First edition.' : '1st ed.') : null,
    itemType: 'BOOK',
  });
}

function juvenileFictionSpec(rng: Rng, today: Day, used: Set<string>): Spec {
  const author = rng.pick(AUTHORS);
  let title = '';
  let animal = '';
  for (let attempt = 0; attempt < 50 && (title === '' || used.has(title)); attempt++) {
    animal = rng.pick(ANIMALS);
    title = rng.pick([
      () => `The ${rng.pick(ADJECTIVES)} ${animal}`,
      () => `${rng.pick(CHILD_NAMES)} and the ${rng.pick(ADJECTIVES)} ${animal}`,
      () => `${aOrAn(animal)} ${animal} called ${rng.pick(CHILD_NAMES)}`,
      () => `Where is ${rng.pick(CHILD_NAMES)}'s ${animal}?`,
    ])();
  }
  used.add(title);
  const year = pubYear(rng, today, 1985);
  const pub = rng.chance(0.5) ? PUBLISHERS.find((p) => p.name === 'Little Acorn Books')! : rng.pick(PUBLISHERS);
  const picture = rng.chance(0.5);
  return baseSpec({
    kind: 'book',
    fiction: true,
    juvenile: true,
    country: pub.country,
    author,
    title,
    responsibility: picture ? `${fullName(author)} ; illustrated by ${fullName(rng.pick(AUTHORS.filter((a) => a !== author)))}` : fullName(author),
    place: pub.place,
    publisher: pub.name,
    year,
    pages: picture ? 32 : rng.int(90, 260),
    illustrated: picture,
    lc: { a: `PZ7.1.${lcCutter(romanSurname(author))}`, b: `${lcCutter(significantWord(title))} ${year}` },
    dewey: '[E]',
    deweyByAuthorOnly: true,
    deweyPrefix: 'J FIC',
    deweyMark: deweyCutter(romanSurname(author)),
    subjects: [[capitalize(plural(animal)), 'v:Juvenile fiction']],
    genre: picture ? 'Picture books' : 'Animal fiction',
    itemType: 'BOOK',
  });
}

function nonfictionSpec(rng: Rng, today: Day, used: Set<string>, subject: Subject, juvenile: boolean): Spec {
  const author = rng.pick(AUTHORS);
  const second = rng.chance(0.2) ? rng.pick(AUTHORS.filter((a) => a !== author)) : null;
  let title = '';
  // A subject has only so many title patterns; after that a repeated title (by another author) is fine.
  for (let attempt = 0; attempt < 20 && (title === '' || used.has(title)); attempt++) {
    const topic = rng.pick(subject.topics);
    title = juvenile
      ? rng.pick([`All about ${topic}`, `My first book of ${topic}`, `Amazing ${topic}`, `Let's explore ${topic}`])
      : rng.pick(NONFICTION_LEADS).replace('{t}', topic).replace('{T}', capitalize(topic));
    title = capitalize(title);
  }
  used.add(title);
  const year = pubYear(rng, today, 1968);
  const pub = publisherFor(rng, 'eng');
  const mark = lcCutter(romanSurname(author));
  const lcA = subject.lcTopic ? `${subject.lc}.${subject.lcTopic}` : subject.lc;
  return baseSpec({
    kind: 'book',
    juvenile,
    country: pub.country,
    author,
    added: second ? [{ person: second, role: 'author' }] : [],
    title,
    subtitle: !juvenile && rng.chance(0.5) ? rng.pick(NONFICTION_SUBTITLES) : null,
    responsibility: second ? `${fullName(author)} and ${fullName(second)}` : fullName(author),
    place: pub.place,
    publisher: pub.name,
    year,
    pages: juvenile ? rng.int(32, 64) : rng.int(120, 720),
    illustrated: juvenile || rng.chance(0.5),
    edition: !juvenile && rng.chance(0.15) ? (year >= 2013 ? `${rng.pick(['Second', 'Third', 'Fourth'])} edition.` : `${rng.pick(['2nd', '3rd'])} ed.`) : null,
    lc: { a: lcA, b: `${subject.lcTopic ? '' : '.'}${mark} ${year}` },
    dewey: subject.dewey,
    deweyPrefix: juvenile ? 'J' : null,
    deweyMark: deweyCutter(romanSurname(author)),
    subjects: [juvenile ? [...subject.heading, 'v:Juvenile literature'] : subject.heading],
    series: !juvenile && rng.chance(0.15) ? rng.pick(['Lakeshore guides', 'Essentials series', 'Bluestone introductions']) : null,
    itemType: 'BOOK',
  });
}

function referenceSpec(rng: Rng, today: Day, i: number): Spec {
  const r = REFERENCE_WORKS[i]!;
  const year = rng.int(Math.max(2005, today.y - 12), today.y);
  const pub = rng.pick(PUBLISHERS);
  return baseSpec({
    kind: 'book',
    reference: true,
    country: pub.country,
    title: r.title,
    responsibility: `editor-in-chief, ${fullName(rng.pick(AUTHORS))}`,
    place: pub.place,
    publisher: pub.name,
    year,
    pages: rng.int(900, 2400),
    illustrated: true,
    edition: year >= 2013 ? `${rng.pick(['Second', 'Third', 'Fifth', 'Revised'])} edition.` : 'Rev. ed.',
    lc: { a: r.lc, b: `.${r.cutter} ${year}` },
    dewey: r.dewey,
    deweyPrefix: 'REF',
    deweyMark: deweyCutter(significantWord(r.title)),
    subjects: [r.heading],
    volumes: r.volumes ?? 1,
    itemType: 'REF',
  });
}

function dvdSpec(rng: Rng, today: Day, used: Set<string>, juvenile: boolean): Spec {
  const director = rng.pick(DIRECTORS);
  const title = juvenile ? `${rng.pick(CHILD_NAMES)} and the ${rng.pick(ADJECTIVES)} ${rng.pick(ANIMALS)}` : fictionTitle(rng, used);
  used.add(title);
  const year = pubYear(rng, today, 1995);
  return baseSpec({
    kind: 'dvd',
    juvenile,
    fiction: true,
    country: 'xxu',
    title,
    responsibility: `directed by ${fullName(director)}`,
    added: [{ person: director, role: 'film director' }],
    place: 'Los Angeles',
    publisher: rng.pick(['Lantern Pictures', 'Blue Harbor Films', 'Meridian Home Video']),
    year,
    pages: rng.int(78, 165),
    lc: { a: 'PN1997.2', b: `.${lcCutter(significantWord(title))} ${year}` },
    dewey: '791.4372',
    deweyPrefix: juvenile ? 'J DVD' : 'DVD',
    deweyMark: deweyCutter(significantWord(title)),
    subjects: [],
    genre: juvenile ? 'Animated films' : rng.pick(['Feature films', 'Drama', 'Thrillers (Motion pictures)', 'Comedy films']),
    itemType: 'DVD',
  });
}

function audiobookSpec(rng: Rng, today: Day, used: Set<string>): Spec {
  const s = fictionSpec(rng, today, used, false);
  const narrator = rng.pick(AUTHORS.filter((a) => a !== s.author));
  return {
    ...s,
    kind: 'audiobook',
    responsibility: `${fullName(s.author!)} ; read by ${fullName(narrator)}`,
    added: [{ person: narrator, role: 'narrator' }],
    pages: rng.int(300, 1400),
    deweyPrefix: 'CD FIC',
    itemType: 'AUDIOBOOK',
    edition: 'Unabridged.',
  };
}

function musicSpec(rng: Rng, today: Day): Spec {
  const performer = rng.pick(AUTHORS);
  const title = `${capitalize(rng.pick(ADJECTIVES))} ${rng.pick(['songs', 'nocturnes', 'sessions', 'ballads', 'variations'])}`;
  const year = pubYear(rng, today, 1990);
  return baseSpec({
    kind: 'music',
    author: performer,
    authorRole: 'performer',
    title,
    nonFiling: 0,
    responsibility: fullName(performer),
    place: 'Nashville',
    publisher: rng.pick(['Cedar Records', 'Northern Lights Music']),
    year,
    pages: rng.int(38, 74),
    lc: { a: 'M1630.18', b: `.${lcCutter(romanSurname(performer))} ${year}` },
    dewey: '781.64',
    deweyPrefix: 'CD',
    deweyMark: deweyCutter(romanSurname(performer)),
    subjects: [['Popular music', `y:${Math.floor(year / 10) * 10}-${Math.floor(year / 10) * 10 + 9}`]],
    genre: 'Popular music',
    itemType: 'MUSIC',
  });
}

function serialSpec(rng: Rng, i: number): Spec {
  const s = SERIALS[i]!;
  const issnBody = rng.digits(7);
  const lang = s.title.startsWith('Revista') ? 'spa' : 'eng';
  const pub = publisherFor(rng, lang);
  return baseSpec({
    kind: 'serial',
    lang,
    country: pub.country,
    title: s.title,
    place: pub.place,
    publisher: pub.name,
    year: s.startYear,
    illustrated: true,
    lc: { a: s.lc, b: `.${s.cutter}` },
    dewey: s.dewey,
    deweyPrefix: 'PER',
    deweyMark: deweyCutter(significantWord(s.title)),
    subjects: [s.heading],
    serial: { issn: `${issnBody.slice(0, 4)}-${issnBody.slice(4)}${issnCheckDigit(issnBody)}`, frequency: s.frequency, startYear: s.startYear },
    itemType: 'SERIAL',
  });
}

// ---------------------------------------------------------------------------------------------
// Holdings

function deweyCallNumber(spec: Spec): string {
  const parts: string[] = [];
  if (spec.deweyPrefix) parts.push(spec.deweyPrefix);
  if (!spec.deweyByAuthorOnly) parts.push(spec.dewey);
  parts.push(spec.deweyMark);
  if (spec.reference) parts.push(String(spec.year));
  return parts.join(' ');
}

function lcCallNumber(spec: Spec): string {
  return `${spec.lc.a} ${spec.lc.b}`;
}

function collectionFor(spec: Spec, branch: string): string | null {
  if (branch === LC_BRANCH) return spec.reference ? 'REF' : spec.serial ? 'PER' : null;
  if (spec.reference) return 'REF';
  if (spec.serial) return 'PER';
  if (spec.kind !== 'book') return 'AV';
  if (spec.youngAdult) return 'YA';
  if (spec.juvenile) return spec.fiction ? 'JFIC' : 'JNF';
  return spec.fiction ? 'FIC' : 'NFIC';
}

function locationFor(spec: Spec, branch: string, today: Day, rng: Rng): string {
  if (spec.reference) return 'REF';
  if (spec.serial) return 'PER';
  if (branch === LC_BRANCH) return spec.special && rng.chance(0.4) ? 'SPEC' : 'STACKS';
  if (spec.kind !== 'book') return 'AV';
  if (spec.juvenile) return 'JUV';
  if (spec.youngAdult) return 'YA';
  return spec.year >= today.y - 1 ? 'NEW' : 'STACKS';
}

function priceFor(spec: Spec, rng: Rng): string {
  switch (spec.kind) {
    case 'dvd':
      return price(rng, 14, 29);
    case 'audiobook':
      return price(rng, 25, 49);
    case 'music':
      return price(rng, 9, 19);
    case 'serial':
      return price(rng, 12, 45);
    case 'book':
      if (spec.reference) return price(rng, 65, 320);
      if (spec.juvenile) return price(rng, 7, 19);
      return price(rng, 12, 59);
  }
}

/** Where each kind of record is held: branch codes, repeated for extra copies. */
function branchesFor(spec: Spec, rng: Rng, origin: 'classic' | 'foreign' | 'other'): string[] {
  const publicBranch = (): string => rng.weighted([['MAIN', 5], ['EAST', 3], ['NORTH', 2]] as const);
  if (spec.serial) return ['ANNEX', 'MAIN'];
  if (spec.reference) return ['MAIN', ...(rng.chance(0.5) ? ['ANNEX'] : []), ...(rng.chance(0.4) ? ['NORTH'] : [])];
  if (spec.kind === 'dvd' || spec.kind === 'audiobook') return rng.chance(0.5) ? ['MAIN', 'EAST'] : [rng.pick(['MAIN', 'EAST'])];
  if (spec.kind === 'music') return ['MAIN'];
  if (spec.youngAdult) return ['MAIN'];
  if (spec.juvenile) return Array.from({ length: rng.int(1, 2) }, () => rng.pick(DEWEY_BRANCHES));
  const publicCopies = Array.from({ length: rng.int(1, 3) }, publicBranch);
  if (origin === 'classic') return [...publicCopies, ...(rng.chance(0.8) ? ['ANNEX'] : [])];
  if (origin === 'foreign') return ['MAIN', ...(rng.chance(0.6) ? ['ANNEX'] : [])];
  if (!spec.fiction && rng.chance(0.45)) publicCopies.push('ANNEX');
  if (spec.fiction && rng.chance(0.1)) publicCopies.push('ANNEX');
  return publicCopies;
}

function accessionDate(spec: Spec, rng: Rng, today: Day): string {
  const earliest = Math.max(spec.serial ? spec.serial.startYear : spec.year, today.y - 30);
  const daysBack = rng.int(0, Math.max(0, (today.y - earliest) * 365));
  return addDays(today, -daysBack);
}

/** `held` are the holdings the record already has, so a further copy gets the next c.N. */
function holdingsFor(spec: Spec, branches: string[], rng: Rng, today: Day, held: Holding[] = []): Holding[] {
  const out: Holding[] = [];
  const copies = new Map<string, number>();
  for (const h of held) copies.set(h.branchCode, (copies.get(h.branchCode) ?? 0) + 1);
  for (const branch of branches) {
    const copy = (copies.get(branch) ?? 0) + 1;
    copies.set(branch, copy);
    const base = branch === LC_BRANCH ? lcCallNumber(spec) : deweyCallNumber(spec);
    const pieces: { suffix: string; enumeration: string | null }[] = [];
    if (spec.serial) {
      // Bound volumes: the latest few years, one volume a year since the start.
      const count = branch === LC_BRANCH ? rng.int(3, 5) : rng.int(2, 3);
      for (let k = count; k >= 1; k--) {
        const year = today.y - k;
        const volume = year - spec.serial.startYear + 1;
        pieces.push({ suffix: ` v.${volume} ${year}`, enumeration: `v.${volume} (${year})` });
      }
    } else if (spec.volumes > 1) {
      for (let v = 1; v <= spec.volumes; v++) pieces.push({ suffix: ` v.${v}`, enumeration: null });
    } else {
      pieces.push({ suffix: '', enumeration: null });
    }
    for (const piece of pieces) {
      out.push({
        branchCode: branch,
        locationCode: locationFor(spec, branch, today, rng),
        callNumber: base + piece.suffix + (copy > 1 ? ` c.${copy}` : ''),
        itemType: spec.itemType,
        collectionCode: collectionFor(spec, branch),
        price: priceFor(spec, rng),
        enumeration: piece.enumeration,
        accessioned: accessionDate(spec, rng, today),
        status: 'available',
        barcode: '',
        dueDate: null,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Patrons

function generatePatrons(seed: number, today: Day): DemoPatron[] {
  const rng = new Rng(seed, 'patrons');
  const roles = DEMO_PATRON_ROLES;
  const patrons: DemoPatron[] = [];
  for (let i = 0; i < DEMO_PATRON_COUNT; i++) {
    const body = `23000${String(i + 1).padStart(8, '0')}`;
    const barcode = body + luhnCheckDigit(body);
    const firstname = rng.pick(PATRON_FORENAMES);
    const surname = rng.pick(PATRON_SURNAMES);
    const expiredAt = (roles.expired as readonly number[]).indexOf(i);
    const category: string =
      expiredAt >= 0
        ? ['ADULT', 'SENIOR', 'TEEN'][expiredAt]!
        : i === roles.adult || i === roles.blocked || i === roles.expiresToday
          ? 'ADULT'
          : i === roles.child
            ? 'CHILD'
            : i === roles.staff
              ? 'STAFF'
              : i === roles.faculty
                ? 'FACULTY'
                : rng.weighted([['ADULT', 12], ['CHILD', 4], ['TEEN', 3], ['SENIOR', 3], ['STAFF', 1], ['FACULTY', 2]] as const);
    const branchCode =
      category === 'FACULTY'
        ? 'ANNEX'
        : i === roles.adult || i === roles.child || i === roles.staff
          ? 'MAIN'
          : rng.weighted([['MAIN', 8], ['EAST', 5], ['NORTH', 4], ['ANNEX', 1]] as const);
    const ages: Record<string, [number, number]> = { CHILD: [5, 12], TEEN: [13, 17], ADULT: [18, 64], SENIOR: [65, 92], STAFF: [22, 64], FACULTY: [28, 72] };
    const [minAge, maxAge] = ages[category]!;
    const age = rng.int(minAge, maxAge);
    const birthday = parseDay(addYears(today, -age));
    const dateOfBirth = category === 'ADULT' && rng.chance(0.12) ? null : addDays(birthday, -rng.int(0, 364));
    const child = category === 'CHILD';
    const ascii = (s: string): string => fold(s).toLowerCase().replace(/[^a-z0-9]/g, '');
    const email = (child ? rng.chance(0.2) : rng.chance(0.88)) ? `${ascii(firstname)}.${ascii(surname)}${i + 1}@example.org` : null;
    const phone = rng.chance(0.75) ? `555-01${String(rng.int(0, 99)).padStart(2, '0')}` : null;
    const expiryDate =
      expiredAt >= 0 ? addDays(today, [-30, -365, -1][expiredAt]!) : i === roles.expiresToday ? addDays(today, 0) : addDays(today, rng.int(60, 3 * 365));
    const blocked = i === roles.blocked;
    patrons.push({
      barcode,
      surname,
      firstname,
      email,
      phone,
      categoryCode: category,
      branchCode,
      dateOfBirth,
      expiryDate,
      pin: demoPinFor(barcode),
      blocked,
      blockReason: blocked ? 'Manual block: lost items not returned' : null,
    });
  }
  return patrons;
}

// ---------------------------------------------------------------------------------------------

/**
 * The demo library `carrel demo` and a first start on an empty database seed. Everything comes
 * from `seed` and `today`: the same pair gives the same library, byte for byte.
 */
export function generateDemoLibrary(opts?: { seed?: number; today: string }): DemoLibrary {
  const seed = opts?.seed ?? DEMO_DEFAULT_SEED;
  const today = parseDay(opts?.today ?? DEMO_DEFAULT_TODAY);
  const rng = new Rng(seed, 'records');
  const used = new Set<string>();

  const specs: { spec: Spec; origin: 'classic' | 'foreign' | 'other' }[] = [];
  for (let i = 0; i < CLASSICS.length; i++) specs.push({ spec: classicSpec(rng, today, i), origin: 'classic' });
  for (let i = 0; i < FOREIGN_WORKS.length; i++) specs.push({ spec: foreignSpec(rng, today, i), origin: 'foreign' });
  for (let i = 0; i < REFERENCE_WORKS.length; i++) specs.push({ spec: referenceSpec(rng, today, i), origin: 'other' });
  for (let i = 0; i < SERIALS.length; i++) specs.push({ spec: serialSpec(rng, i), origin: 'other' });
  for (let i = 0; i < 6; i++) specs.push({ spec: musicSpec(rng, today), origin: 'other' });
  for (let i = 0; i < 10; i++) specs.push({ spec: audiobookSpec(rng, today, used), origin: 'other' });
  for (let i = 0; i < 18; i++) specs.push({ spec: dvdSpec(rng, today, used, i < 5), origin: 'other' });
  for (let i = 0; i < 20; i++) specs.push({ spec: juvenileFictionSpec(rng, today, used), origin: 'other' });
  for (let i = 0; i < 8; i++) specs.push({ spec: fictionSpec(rng, today, used, true), origin: 'other' });
  const juvenileSubjects = SUBJECTS.filter((s) => s.juvenile);
  for (let i = 0; i < 16; i++) specs.push({ spec: nonfictionSpec(rng, today, used, rng.pick(juvenileSubjects), true), origin: 'other' });
  const remaining = DEMO_RECORD_COUNT - specs.length;
  const fictionCount = Math.round(remaining * 0.42);
  for (let i = 0; i < fictionCount; i++) specs.push({ spec: fictionSpec(rng, today, used, false), origin: 'other' });
  while (specs.length < DEMO_RECORD_COUNT) specs.push({ spec: nonfictionSpec(rng, today, used, rng.pick(SUBJECTS), false), origin: 'other' });

  // Interleave, so record 1, 2, 3... in the demo catalogue are not all classics.
  const ordered = rng.shuffle(specs);
  const drafts: Draft[] = ordered.map(({ spec, origin }, i) => ({
    spec,
    controlNumber: `CDL${String(i + 1).padStart(7, '0')}`,
    holdings: holdingsFor(spec, branchesFor(spec, rng, origin), rng, today),
  }));

  // More copies of circulating adult books until the collection is big enough to demo with.
  const circulating = drafts.filter((d) => d.spec.kind === 'book' && !d.spec.reference && !d.spec.juvenile && !d.spec.youngAdult && d.spec.volumes === 1);
  let total = drafts.reduce((n, d) => n + d.holdings.length, 0);
  while (total < MIN_ITEMS) {
    const d = rng.pick(circulating);
    d.holdings.push(...holdingsFor(d.spec, [rng.pick(DEWEY_BRANCHES)], rng, today, d.holdings));
    total++;
  }

  assignStatuses(drafts, rng, today);

  let sequence = 0;
  for (const d of drafts) {
    d.holdings.sort((a, b) => (a.branchCode < b.branchCode ? -1 : a.branchCode > b.branchCode ? 1 : 0));
    for (const h of d.holdings) {
      const body = `39000${String(++sequence).padStart(8, '0')}`;
      h.barcode = body + luhnCheckDigit(body);
    }
  }

  const isbns = new Set<string>();
  const records: DemoRecord[] = drafts.map((d) => ({
    marc: buildMarc(d, rng, isbns, today),
    items: d.holdings.map((h) => ({
      barcode: h.barcode,
      branchCode: h.branchCode,
      locationCode: h.locationCode,
      callNumber: h.callNumber,
      itemType: h.itemType,
      collectionCode: h.collectionCode,
      price: h.price,
      status: h.status,
    })),
  }));

  return {
    institution: { ...INSTITUTION },
    branches: BRANCHES.map((b) => ({ ...b, locations: b.locations.map((l) => ({ ...l })) })),
    patronCategories: PATRON_CATEGORIES.map((c) => ({ ...c })),
    itemTypes: ITEM_TYPES.map((t) => ({ ...t })),
    patrons: generatePatrons(seed, today),
    records,
    staffToken: DEMO_STAFF_TOKEN,
    pinRule: DEMO_PIN_RULE,
  };
}

/**
 * Mostly available, with every other status present so each circulation path can be shown.
 * Reference items stay on the shelf: they do not circulate.
 */
function assignStatuses(drafts: Draft[], rng: Rng, today: Day): void {
  const all = drafts.flatMap((d) => d.holdings);
  const circulating = rng.shuffle(all.filter((h) => h.itemType !== 'REF'));
  const quota: [DemoItemStatus, number][] = [
    ['lost', 3],
    ['missing', 3],
    ['in_transit', 4],
    ['on_hold_shelf', 5],
    ['withdrawn', 3],
    ['damaged', 3],
    ['checked_out', Math.round(circulating.length * 0.15)],
  ];
  let at = 0;
  for (const [status, count] of quota) {
    for (let k = 0; k < count && at < circulating.length; k++, at++) {
      const h = circulating[at]!;
      h.status = status;
      // A fifth of the loans are overdue, so overdue notices and blocks have something to show.
      if (status === 'checked_out') h.dueDate = addDays(today, rng.chance(0.2) ? -rng.int(1, 30) : rng.int(1, 28));
    }
  }
}
