import type { MarcDataField, MarcRecord } from './types.js';

/**
 * Where an embedded item (holdings) field keeps each attribute. Every value except `tag` is a
 * subfield spec: one or more subfield codes, each optionally followed by `[n]` for its n-th
 * occurrence (1-based), as in Evergreen's import definitions: 'p', 'b[2]b', 'khim'.
 * `callNumber` and `notes` join the values of every listed code (in field order); every other
 * attribute takes the first listed code that has a non-blank value.
 */
export interface ItemFieldMapping {
  tag: string;
  barcode: string;
  /** Where the item is now (Koha holdingbranch, Evergreen circulating library). */
  branch?: string;
  /** Where the item belongs (Koha homebranch, Evergreen owning library). */
  homeBranch?: string;
  location?: string;
  callNumber?: string;
  itemType?: string;
  collectionCode?: string;
  price?: string;
  status?: string;
  copyNumber?: string;
  notes?: string;
}

export interface ExtractedItem {
  barcode: string | null;
  branch: string | null;
  homeBranch: string | null;
  location: string | null;
  callNumber: string | null;
  itemType: string | null;
  collectionCode: string | null;
  /** Decimal string such as "25.99", currency symbol stripped. */
  price: string | null;
  status: string | null;
  copyNumber: string | null;
  notes: string | null;
  /** Index of the item field in record.fields, to reach subfields the mapping does not cover. */
  fieldIndex: number;
  /** E.g. no barcode, a repeated subfield, an unreadable price. */
  warnings: string[];
}

/**
 * Koha's MARC 21 default framework (marc21_framework_DEFAULT): 952 $a homebranch, $b holdingbranch,
 * $c location, $o itemcallnumber, $p barcode, $y itype, $8 ccode, $g price (purchase), $t copynumber,
 * $z public note. Status is spread over $0 withdrawn, $1 lost, $4 damaged, $7 not for loan, so it is
 * not mapped; read those from record.fields[fieldIndex].
 */
export const KOHA_952_MAPPING: ItemFieldMapping = Object.freeze({
  tag: '952', barcode: 'p', branch: 'b', homeBranch: 'a', location: 'c', callNumber: 'o',
  itemType: 'y', collectionCode: '8', price: 'g', copyNumber: 't', notes: 'z',
});

/**
 * MARC 21 Holdings 852 as the standard defines it: $b sublocation (branch), $c shelving location,
 * $k prefix + $h classification + $i item part + $m suffix, $p piece designation (barcode),
 * $t copy number, $z public note. The standard has no price subfield.
 */
export const MARC_852_MAPPING: ItemFieldMapping = Object.freeze({
  tag: '852', barcode: 'p', branch: 'b', homeBranch: 'b', location: 'c', callNumber: 'khim', copyNumber: 't', notes: 'z',
});

/**
 * 852 as Evergreen's marc_export writes it and its "Evergreen 852 export format" import definition
 * reads it: $b twice (owning library, then circulating library), $c shelving location, $k/$j/$m
 * call number prefix/label/suffix, $g circulation modifier, $p barcode, $y price (with a currency
 * symbol), $t copy number, $s status (the import definition reads $z), $x flags (reference, ...).
 */
export const EVERGREEN_852_MAPPING: ItemFieldMapping = Object.freeze({
  tag: '852', barcode: 'p', branch: 'b[2]b', homeBranch: 'b[1]', location: 'c', callNumber: 'kjm',
  itemType: 'g', price: 'y', status: 'sz', copyNumber: 't', notes: 'x',
});

type Target = Exclude<keyof ItemFieldMapping, 'tag'>;
const SINGLE: Target[] = ['barcode', 'branch', 'homeBranch', 'location', 'itemType', 'collectionCode', 'price', 'status', 'copyNumber'];

/** One item per field with the mapping's tag, in record order. */
export function extractItems(record: MarcRecord, mapping: ItemFieldMapping): ExtractedItem[] {
  const items: ExtractedItem[] = [];
  record.fields.forEach((f, fieldIndex) => {
    if (f.tag !== mapping.tag || 'value' in f) return;
    const warnings: string[] = [];
    const item: ExtractedItem = {
      barcode: null, branch: null, homeBranch: null, location: null, callNumber: null, itemType: null,
      collectionCode: null, price: null, status: null, copyNumber: null, notes: null, fieldIndex, warnings,
    };
    for (const target of SINGLE) {
      const spec = mapping[target];
      if (spec !== undefined) item[target] = pickFirst(f, spec, target, warnings);
    }
    if (mapping.callNumber !== undefined) item.callNumber = joinAll(f, mapping.callNumber, ' ');
    if (mapping.notes !== undefined) item.notes = joinAll(f, mapping.notes, '; ');
    if (item.price !== null) {
      const p = normalizePrice(item.price);
      if (p === null) warnings.push(`price ${JSON.stringify(item.price)} is not a number; ignored`);
      item.price = p;
    }
    if (item.barcode === null) warnings.push(`no barcode ($${mapping.barcode})`);
    items.push(item);
  });
  return items;
}

interface Term {
  code: string;
  nth?: number;
}
// Specs come from a handful of mappings but are read for every item of every record.
const parsedSpecs = new Map<string, Term[]>();
function parseSpec(spec: string): Term[] {
  let terms = parsedSpecs.get(spec);
  if (terms) return terms;
  terms = [];
  for (const m of spec.matchAll(/(.)(?:\[(\d+)\])?/gsu)) terms.push(m[2] === undefined ? { code: m[1]! } : { code: m[1]!, nth: Number(m[2]) });
  if (parsedSpecs.size < 256) parsedSpecs.set(spec, terms);
  return terms;
}

/** Positions in field.subfields selected by one term. */
function select(f: MarcDataField, t: Term): number[] {
  const at: number[] = [];
  f.subfields.forEach((s, i) => {
    if (s.code === t.code) at.push(i);
  });
  if (t.nth === undefined) return at;
  const one = at[t.nth - 1];
  return one === undefined ? [] : [one];
}

function pickFirst(f: MarcDataField, spec: string, target: string, warnings: string[]): string | null {
  for (const t of parseSpec(spec)) {
    const hits = select(f, t).map((i) => f.subfields[i]!.value.trim()).filter((v) => v !== '');
    if (hits.length === 0) continue;
    if (t.nth === undefined && new Set(hits).size > 1) warnings.push(`$${t.code} (${target}) occurs ${hits.length} times; the first value was used`);
    return hits[0]!;
  }
  return null;
}

function joinAll(f: MarcDataField, spec: string, sep: string): string | null {
  const positions = [...new Set(parseSpec(spec).flatMap((t) => select(f, t)))].sort((a, b) => a - b);
  const parts = positions.map((i) => f.subfields[i]!.value.trim()).filter((v) => v !== '');
  return parts.length === 0 ? null : parts.join(sep);
}

/**
 * "$25.99" -> "25.99", "EUR 12,50" -> "12.50", "1.234,56" -> "1234.56", "£1,234" -> "1234".
 * Takes the first number in the text; null when there is none.
 */
export function normalizePrice(s: string): string | null {
  const m = /(?:\d|[.,]\d)[\d.,]*/.exec(s);
  if (m === null) return null;
  const num = m[0].replace(/[.,]+$/, '');
  const count = (c: string): number => num.split(c).length - 1;
  const dots = count('.');
  const commas = count(',');
  let decimalAt = -1;
  if (dots > 0 && commas > 0) {
    // "1,234.56" / "1.234,56": the last separator is the decimal point if it occurs once.
    const last = Math.max(num.lastIndexOf('.'), num.lastIndexOf(','));
    if (count(num[last]!) === 1) decimalAt = last;
  } else if (dots === 1) {
    decimalAt = num.indexOf('.');
  } else if (commas === 1 && num.length - num.indexOf(',') - 1 !== 3) {
    // A lone comma before exactly three digits groups thousands ("1,234"); otherwise it is a decimal comma ("12,50").
    decimalAt = num.indexOf(',');
  }
  const intPart = (decimalAt < 0 ? num : num.slice(0, decimalAt)).replace(/[.,]/g, '').replace(/^0+(?=\d)/, '') || '0';
  return decimalAt < 0 ? intPart : `${intPart}.${num.slice(decimalAt + 1)}`;
}
