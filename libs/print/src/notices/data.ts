/**
 * What notices say, from the library's records: the values and items a template fills in, with dates
 * and amounts written the way the notice's language writes them. Pure: rows and the clock come in.
 */
import type { Letterhead } from './pdf.js';
import type { NoticeData, NoticeValue } from './template.js';

export interface BranchFacts {
  code: string;
  name: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  institution: string;
}

export interface PatronFacts {
  barcode: string;
  title: string | null;
  firstname: string | null;
  surname: string;
  email: string | null;
  address: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
}

export interface Formats {
  language: string;
  /** IANA zone of the library */
  timeZone: string;
  /** ISO 4217 */
  currency: string;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const moneyFormats = new Map<string, Intl.NumberFormat>();

function safeLocale(language: string): string {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([language]).length ? language : 'en';
  } catch {
    return 'en';
  }
}

/** A day as the language writes it in full: "November 29, 2026", "29 novembre 2026". */
export function formatDate(value: Date | string | null | undefined, f: Formats): NoticeValue {
  if (value == null || value === '') return null;
  // a 'YYYY-MM-DD' day (serials) is a calendar day, not an instant: show it as it is, at noon UTC
  const instant = typeof value === 'string' ? new Date(`${value}T12:00:00Z`) : value;
  if (Number.isNaN(instant.getTime())) return typeof value === 'string' ? value : null;
  const zone = typeof value === 'string' ? 'UTC' : f.timeZone;
  const key = `${f.language}|${zone}`;
  let fmt = dateFormats.get(key);
  if (!fmt) dateFormats.set(key, (fmt = new Intl.DateTimeFormat(safeLocale(f.language), { dateStyle: 'long', timeZone: zone })));
  return fmt.format(instant);
}

/** An amount ("2.50", a Decimal) in the library's currency as the language writes it: "$2.50", "2,50 $US". */
export function formatMoney(value: string | number | { toString(): string } | null | undefined, f: Formats): NoticeValue {
  if (value == null) return null;
  const n = Number(String(value));
  if (!Number.isFinite(n)) return null;
  const key = `${f.language}|${f.currency}`;
  let fmt = moneyFormats.get(key);
  if (!fmt) moneyFormats.set(key, (fmt = new Intl.NumberFormat(safeLocale(f.language), { style: 'currency', currency: f.currency })));
  return fmt.format(n);
}

/** The name a letter is addressed to: "Dr Ada Lovelace". */
export function patronName(p: PatronFacts): string {
  return [p.title, p.firstname, p.surname].map((s) => s?.trim()).filter(Boolean).join(' ');
}

/** The postal address, one part a line: street, postcode and city, country. */
export function patronAddress(p: PatronFacts): NoticeValue {
  const lines = [p.address?.trim(), [p.postcode?.trim(), p.city?.trim()].filter(Boolean).join(' '), p.country?.trim()].filter((s): s is string => !!s);
  return lines.length ? lines.join('\n') : null;
}

export function libraryValues(b: BranchFacts): Record<string, NoticeValue> {
  return {
    'library.name': b.name,
    'library.institution': b.institution,
    'library.address': b.address?.trim() || null,
    'library.phone': b.phone?.trim() || null,
    'library.email': b.email?.trim() || null,
  };
}

export function letterheadOf(b: BranchFacts): Letterhead {
  return { name: b.name, institution: b.institution, address: b.address, phone: b.phone, email: b.email };
}

export function patronValues(p: PatronFacts): Record<string, NoticeValue> {
  return {
    'patron.name': patronName(p),
    'patron.firstname': p.firstname?.trim() || null,
    'patron.surname': p.surname,
    'patron.cardNumber': p.barcode,
    'patron.address': patronAddress(p),
    'patron.email': p.email?.trim() || null,
  };
}

export interface OverdueLine {
  title: string | null;
  author: string | null;
  callNumber: string | null;
  barcode: string;
  dueAt: Date;
  daysOverdue: number;
  /** outstanding fine of this loan (decimal string), null when none */
  fine: string | null;
  /** the item's price */
  replacementCost: string | null;
}

export function overdueData(library: BranchFacts, patron: PatronFacts, lines: OverdueLine[], finesTotal: string | null, now: Date, f: Formats): NoticeData {
  return {
    values: { ...libraryValues(library), ...patronValues(patron), date: formatDate(now, f), 'fines.total': finesTotal ? formatMoney(finesTotal, f) : null },
    items: lines.map((l) => ({
      title: l.title ?? '',
      author: l.author,
      callNumber: l.callNumber ?? '',
      barcode: l.barcode,
      dueDate: formatDate(l.dueAt, f),
      daysOverdue: String(l.daysOverdue),
      fine: l.fine ? formatMoney(l.fine, f) : null,
      replacementCost: l.replacementCost ? formatMoney(l.replacementCost, f) : null,
    })),
  };
}

export interface HoldLine {
  title: string | null;
  author: string | null;
  callNumber: string | null;
  barcode: string;
  capturedAt: Date | null;
  expiresAt: Date | null;
  pickup: BranchFacts;
}

export function holdData(library: BranchFacts, patron: PatronFacts, lines: HoldLine[], now: Date, f: Formats): NoticeData {
  return {
    values: { ...libraryValues(library), ...patronValues(patron), date: formatDate(now, f) },
    items: lines.map((l) => ({
      title: l.title ?? '',
      author: l.author,
      callNumber: l.callNumber ?? '',
      barcode: l.barcode,
      waitingSince: formatDate(l.capturedAt ?? now, f),
      pickupBy: formatDate(l.expiresAt, f) ?? '',
      pickupLibrary: l.pickup.name,
      pickupAddress: l.pickup.address?.trim().replace(/\s*\n\s*/g, ', ') || null,
    })),
  };
}

export interface FeeLine {
  createdAt: Date;
  type: string;
  description: string | null;
  title: string | null;
  barcode: string | null;
  amount: string;
  outstanding: string;
}

const FEE_TYPES: Record<string, Record<string, string>> = {
  en: { overdue: 'Overdue fine', lost: 'Lost item', damage: 'Damage', manual: 'Charge' },
  fr: { overdue: 'Pénalité de retard', lost: 'Document perdu', damage: 'Dégradation', manual: 'Frais' },
};

export function feeTypeName(type: string, language: string): string {
  return (FEE_TYPES[language.split('-')[0]] ?? FEE_TYPES.en)[type] ?? FEE_TYPES.en[type] ?? type;
}

export function finesData(library: BranchFacts, patron: PatronFacts, lines: FeeLine[], total: string, threshold: string, now: Date, f: Formats): NoticeData {
  return {
    values: { ...libraryValues(library), ...patronValues(patron), date: formatDate(now, f), 'fines.total': formatMoney(total, f), 'fines.threshold': formatMoney(threshold, f) },
    items: lines.map((l) => ({
      date: formatDate(l.createdAt, f),
      type: feeTypeName(l.type, f.language),
      description: l.description?.trim() || feeTypeName(l.type, f.language),
      title: l.title,
      barcode: l.barcode,
      amount: formatMoney(l.amount, f),
      outstanding: formatMoney(l.outstanding, f),
    })),
  };
}

export interface ClaimLine {
  title: string;
  issn: string | null;
  label: string;
  publicationDate: string;
  expectedDate: string;
  vendorReference: string | null;
  accountNumber: string | null;
  claimNumber: number;
}

const ORDINALS: Record<string, string[]> = {
  en: ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'],
  fr: ['première', 'deuxième', 'troisième', 'quatrième', 'cinquième', 'sixième', 'septième', 'huitième', 'neuvième', 'dixième'],
};

/** "first", "second" … in the language; past the tenth (or in a language not known here) the number. */
export function claimOrdinal(n: number, language: string): string {
  const words = ORDINALS[language.split('-')[0]];
  if (words && n >= 1 && n <= words.length) return words[n - 1]!;
  if (language.startsWith('fr')) return n === 1 ? '1re' : `${n}e`;
  const teen = n % 100 >= 11 && n % 100 <= 13;
  return `${n}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th')}`;
}

export function claimData(
  library: BranchFacts, vendor: { name: string; code: string }, accountNumber: string | null, batchId: number, lines: ClaimLine[], now: Date, f: Formats,
): NoticeData {
  const today = formatDate(now, f);
  return {
    values: { ...libraryValues(library), 'library.accountNumber': accountNumber, 'vendor.name': vendor.name, 'vendor.code': vendor.code, date: today, claimDate: today, 'batch.id': String(batchId) },
    items: lines.map((l) => ({
      title: l.title,
      issn: l.issn,
      label: l.label,
      publicationDate: formatDate(l.publicationDate, f),
      expectedDate: formatDate(l.expectedDate, f),
      vendorReference: l.vendorReference,
      accountNumber: l.accountNumber,
      claimNumber: String(l.claimNumber),
      claimOrdinal: claimOrdinal(l.claimNumber, f.language),
    })),
  };
}
