import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';

/** One patron as a Koha patron-import CSV describes it, checked but not yet matched to the database. */
export interface PatronRow {
  barcode: string;
  surname: string;
  firstname: string | null;
  title: string | null;
  otherNames: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  dateOfBirth: string | null;
  expiryDate: string | null;
  categoryCode: string;
  branchCode: string;
  pin: string | null;
  lostCard: boolean;
  goneNoAddress: boolean;
  debarredUntil: string | null;
  notes: string | null;
  externalId: string | null;
}

export type ParsedPatronRow = { line: number; ok: true; row: PatronRow } | { line: number; ok: false; barcode: string | null; error: string };

export type CsvDateFormat = 'iso' | 'us' | 'metric';

export interface ParsedPatronFile {
  rows: ParsedPatronRow[];
  /** file-level facts staff should see: charset fallbacks, ignored columns */
  warnings: string[];
}

/** Koha's borrowers columns that Carrel keeps; other known Koha columns are accepted and ignored. */
const REQUIRED = ['cardnumber', 'surname', 'categorycode', 'branchcode'] as const;
const USED = new Set([
  ...REQUIRED,
  'firstname', 'title', 'othernames', 'email', 'phone', 'mobile', 'address', 'address2', 'streetnumber', 'city', 'state', 'zipcode',
  'country', 'dateofbirth', 'dateexpiry', 'password', 'lost', 'gonenoaddress', 'debarred', 'borrowernotes', 'borrowernumber',
]);

const MAX_FIELD = 2000;

/**
 * Parses a Koha patron-import CSV (the columns of Koha's borrowers table, header row first). Each row
 * either becomes a PatronRow or is rejected with its line number and the reason; one bad row never
 * stops the rest. Pure: no database, no clock.
 */
export function parseKohaPatronCsv(data: Buffer, opts: { dateFormat?: CsvDateFormat } = {}): ParsedPatronFile {
  const warnings: string[] = [];
  let text: string;
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try {
    text = utf8.decode(data);
  } catch {
    // Spreadsheet programs on Windows save CSV as Windows-1252; reading it as such beats losing the file.
    text = iconv.decode(data, 'win1252');
    warnings.push('file is not valid UTF-8; read as Windows-1252 (check names with accents)');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (e) {
    return { rows: [{ line: 1, ok: false, barcode: null, error: `not a readable CSV file: ${(e as Error).message}` }], warnings };
  }
  if (records.length === 0) return { rows: [], warnings: [...warnings, 'file is empty'] };

  const header = records[0].map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length) {
    return { rows: [{ line: 1, ok: false, barcode: null, error: `header lacks required Koha column(s): ${missing.join(', ')}` }], warnings };
  }
  const ignored = header.filter((h) => h && !USED.has(h));
  if (ignored.length) warnings.push(`columns not used by Carrel: ${ignored.join(', ')}`);

  const rows: ParsedPatronRow[] = [];
  for (let i = 1; i < records.length; i++) {
    const line = i + 1;
    const rec = records[i];
    const get = (col: string): string | null => {
      const idx = header.indexOf(col);
      if (idx < 0 || idx >= rec.length) return null;
      const v = rec[idx].trim();
      return v === '' ? null : v;
    };
    const barcode = get('cardnumber');
    try {
      if (rec.length > header.length) throw new Error(`${rec.length} fields but the header has ${header.length}`);
      for (const v of rec) if (v.length > MAX_FIELD) throw new Error(`a field is longer than ${MAX_FIELD} characters`);
      if (!barcode) throw new Error('cardnumber is empty');
      if (/[\s\x00-\x1f|]/.test(barcode)) throw new Error(`cardnumber "${barcode}" contains spaces, control characters or |`);
      const surname = get('surname');
      if (!surname) throw new Error('surname is empty');
      const categoryCode = get('categorycode');
      if (!categoryCode) throw new Error('categorycode is empty');
      const branchCode = get('branchcode');
      if (!branchCode) throw new Error('branchcode is empty');
      const email = get('email');
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`email "${email}" is not an email address`);
      const street = [get('streetnumber'), get('address')].filter(Boolean).join(' ');
      const address = [street, get('address2')].filter(Boolean).join(', ') || null;
      rows.push({
        line,
        ok: true,
        row: {
          barcode,
          surname,
          firstname: get('firstname'),
          title: get('title'),
          otherNames: get('othernames'),
          email,
          phone: get('phone') ?? get('mobile'),
          address,
          city: get('city'),
          postcode: get('zipcode'),
          country: get('country'),
          dateOfBirth: parseDate(get('dateofbirth'), 'dateofbirth', opts.dateFormat),
          expiryDate: parseDate(get('dateexpiry'), 'dateexpiry', opts.dateFormat),
          categoryCode,
          branchCode,
          pin: get('password'),
          lostCard: parseFlag(get('lost'), 'lost'),
          goneNoAddress: parseFlag(get('gonenoaddress'), 'gonenoaddress'),
          debarredUntil: parseDate(get('debarred'), 'debarred', opts.dateFormat),
          notes: get('borrowernotes'),
          externalId: get('borrowernumber'),
        },
      });
    } catch (e) {
      rows.push({ line, ok: false, barcode, error: (e as Error).message });
    }
  }
  return { rows, warnings };
}

function parseFlag(v: string | null, col: string): boolean {
  if (v === null || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`${col} must be 0 or 1, got "${v}"`);
}

/** Dates as Koha writes them: ISO by default; `us` (MM/DD/YYYY) or `metric` (DD/MM/YYYY) as the site's dateformat. */
export function parseDate(v: string | null, col: string, format: CsvDateFormat = 'iso'): string | null {
  if (v === null || v === '0000-00-00') return null;
  let y: number, m: number, d: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/.exec(v))) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if (format !== 'iso' && (match = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(v))) {
    const [a, b] = [Number(match[1]), Number(match[2])];
    [y, m, d] = format === 'us' ? [Number(match[3]), a, b] : [Number(match[3]), b, a];
  } else {
    throw new Error(`${col} "${v}" is not a date (expected ${format === 'iso' ? 'YYYY-MM-DD' : format === 'us' ? 'MM/DD/YYYY or YYYY-MM-DD' : 'DD/MM/YYYY or YYYY-MM-DD'})`);
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1850 || y > 2200) {
    throw new Error(`${col} "${v}" is not a real date`);
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
