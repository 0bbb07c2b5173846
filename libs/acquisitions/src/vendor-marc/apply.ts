import { normalizePrice, type MarcDataField, type MarcReadResult, type MarcRecord } from '@carrel/marc';
import type { ItemFieldName, OrderFieldName, SubfieldSource, VendorMarcMapping } from './mapping.js';

/** The order data a vendor record carries (Koha MarcFieldsToOrder). Prices are decimal text, currency symbols stripped. */
export interface VendorOrderData {
  price: string | null;
  quantity: number | null;
  fund: string | null;
  discount: string | null;
  sort1: string | null;
  sort2: string | null;
}

/** One copy to order and, once it arrives, the item to create (Koha MarcItemFieldsToOrder). */
export interface VendorCopy {
  homeBranch: string | null;
  holdingBranch: string | null;
  itemType: string | null;
  location: string | null;
  collectionCode: string | null;
  callNumber: string | null;
  barcode: string | null;
  copyNumber: string | null;
  notForLoan: string | null;
  uri: string | null;
  publicNote: string | null;
  nonPublicNote: string | null;
  /** The copy's own price, else the order price. */
  price: string | null;
  replacementPrice: string | null;
  /** The copy's own fund, else the order's. */
  fund: string | null;
  /** Index in record.fields of the item field this copy comes from; null for copies made from the order quantity. */
  fieldIndex: number | null;
}

export interface VendorMarcProblem {
  /** 'error' rejects the record; 'warning' loads it and tells staff. */
  severity: 'error' | 'warning';
  /** 'TAG$code' or 'TAG' when the problem belongs to a field. */
  field?: string;
  /** 1-based occurrence of that tag in the record. */
  occurrence?: number;
  /** Self-contained: "record 3: 970$q (occurrence 2): quantity "two" is not a whole number". */
  message: string;
}

export interface VendorMarcRecord {
  /** 1-based position of the record in the file (unreadable records count too). */
  position: number;
  /** False when any problem is an error: the record is rejected whole. */
  ok: boolean;
  record: MarcRecord | null;
  order: VendorOrderData;
  copies: VendorCopy[];
  problems: VendorMarcProblem[];
}

export interface ApplyVendorMappingOptions {
  /** 1-based position of the record in its file, for messages. */
  position: number;
  /** More copies than this for one record is taken for a broken quantity; default 999. */
  maxCopies?: number;
}

const ORDER_TARGETS: Record<OrderFieldName, keyof VendorOrderData> = {
  price: 'price', quantity: 'quantity', budget_code: 'fund', discount: 'discount', sort1: 'sort1', sort2: 'sort2',
};
const ITEM_TARGETS: Record<Exclude<ItemFieldName, 'quantity'>, Exclude<keyof VendorCopy, 'fieldIndex'>> = {
  homebranch: 'homeBranch', holdingbranch: 'holdingBranch', itype: 'itemType', nonpublic_note: 'nonPublicNote', public_note: 'publicNote',
  loc: 'location', ccode: 'collectionCode', notforloan: 'notForLoan', uri: 'uri', copyno: 'copyNumber', price: 'price',
  replacementprice: 'replacementPrice', itemcallnumber: 'callNumber', budget_code: 'fund', barcode: 'barcode',
};
const PRICES = new Set<string>(['price', 'replacementPrice', 'discount']);
// Longer than any price or code a vendor writes: a sign of a broken record, and kept out of messages.
const MAX_VALUE_CHARS = 256;

interface Found {
  value: string;
  source: SubfieldSource;
  occurrence: number;
}

/** The first non-blank value among the alternatives; `pick` chooses which occurrence of a tag to read. */
function firstValue(sources: SubfieldSource[], fieldsByTag: Map<string, MarcDataField[]>, pick: (tag: string) => number[]): Found | null {
  for (const source of sources) {
    const fields = fieldsByTag.get(source.tag) ?? [];
    for (const at of pick(source.tag)) {
      const f = fields[at];
      const sf = f?.subfields.find((s) => s.code === source.code && s.value.trim() !== '');
      if (sf) return { value: sf.value.trim(), source, occurrence: at + 1 };
    }
  }
  return null;
}

const emptyOrder = (): VendorOrderData => ({ price: null, quantity: null, fund: null, discount: null, sort1: null, sort2: null });
const emptyCopy = (fieldIndex: number | null): VendorCopy => ({
  homeBranch: null, holdingBranch: null, itemType: null, location: null, collectionCode: null, callNumber: null, barcode: null,
  copyNumber: null, notForLoan: null, uri: null, publicNote: null, nonPublicNote: null, price: null, replacementPrice: null, fund: null, fieldIndex,
});

/**
 * Reads a vendor record's order data and copies through a mapping: repeated item fields give one
 * copy each (times the field's quantity); with no item field, the order quantity (default 1) gives
 * that many copies. Never throws: every problem is reported with the record's position and field.
 */
export function applyVendorMapping(record: MarcRecord, mapping: VendorMarcMapping, options: ApplyVendorMappingOptions): VendorMarcRecord {
  const position = options.position;
  const maxCopies = options.maxCopies ?? 999;
  const problems: VendorMarcProblem[] = [];
  const report = (severity: VendorMarcProblem['severity'], message: string, found?: Found): void => {
    const where = found ? `${found.source.tag}$${found.source.code} (occurrence ${found.occurrence}): ` : '';
    const p: VendorMarcProblem = { severity, message: `record ${position}: ${where}${message}` };
    if (found) {
      p.field = `${found.source.tag}$${found.source.code}`;
      p.occurrence = found.occurrence;
    }
    problems.push(p);
  };
  const shown = (v: string): string => JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  const text = (found: Found | null, what: string, isPrice: boolean): string | null => {
    if (!found) return null;
    if (found.value.length > MAX_VALUE_CHARS) {
      report('error', `${what} is ${found.value.length} characters long`, found);
      return null;
    }
    if (!isPrice) return found.value;
    const price = normalizePrice(found.value);
    if (price === null) report('error', `${what} ${shown(found.value)} is not a number`, found);
    return price;
  };
  const count = (found: Found | null, what: string): number | null => {
    if (!found) return null;
    const n = /^\d{1,9}$/.test(found.value) ? Number(found.value) : NaN;
    if (!Number.isInteger(n) || n < 1) report('error', `${what} ${shown(found.value)} is not a whole number of copies`, found);
    else if (n > maxCopies) report('error', `${what} ${n} is more than ${maxCopies} copies`, found);
    else return n;
    return null;
  };

  const fieldsByTag = new Map<string, MarcDataField[]>();
  const fieldIndexes = new Map<string, number[]>();
  record.fields.forEach((f, i) => {
    if ('value' in f) return;
    const tag = f.tag.toUpperCase();
    if (!fieldsByTag.has(tag)) { fieldsByTag.set(tag, []); fieldIndexes.set(tag, []); }
    fieldsByTag.get(tag)!.push(f);
    fieldIndexes.get(tag)!.push(i);
  });
  const allOccurrences = (tag: string): number[] => (fieldsByTag.get(tag) ?? []).map((_, i) => i);

  const order = emptyOrder();
  for (const [name, sources] of Object.entries(mapping.order) as [OrderFieldName, SubfieldSource[]][]) {
    const found = firstValue(sources, fieldsByTag, allOccurrences);
    if (name === 'quantity') order.quantity = count(found, 'order quantity');
    else (order as unknown as Record<string, string | null>)[ORDER_TARGETS[name]] = text(found, name.replace('_', ' '), PRICES.has(ORDER_TARGETS[name]));
  }

  // Item fields: the nth occurrence of each mapped tag describes the nth copy; a tag that occurs once applies to every copy.
  const itemTags = [...new Set(Object.values(mapping.items).flatMap((s) => s.map((x) => x.tag)))];
  const counts = itemTags.map((t) => [t, fieldsByTag.get(t)?.length ?? 0] as const);
  const fieldCount = Math.max(0, ...counts.map(([, n]) => n));
  const disagreeing = counts.filter(([, n]) => n > 1 && n !== fieldCount);
  if (disagreeing.length) {
    report('warning', `item fields disagree: ${counts.filter(([, n]) => n > 0).map(([t, n]) => `${t} occurs ${n} times`).join(', ')}; copies beyond a tag's last occurrence have none of its data`);
  }
  const copies: VendorCopy[] = [];
  for (let k = 0; k < fieldCount; k++) {
    const pick = (tag: string): number[] => ((fieldsByTag.get(tag)?.length ?? 0) === 1 ? [0] : [k]);
    const mainTag = counts.find(([, n]) => n === fieldCount)![0];
    const copy = emptyCopy(fieldIndexes.get(mainTag)![k]!);
    let quantity = 1;
    for (const [name, sources] of Object.entries(mapping.items) as [ItemFieldName, SubfieldSource[]][]) {
      const found = firstValue(sources, fieldsByTag, pick);
      if (name === 'quantity') quantity = count(found, 'item quantity') ?? 1;
      else (copy as unknown as Record<string, string | null>)[ITEM_TARGETS[name]] = text(found, name.replace('_', ' '), PRICES.has(ITEM_TARGETS[name]));
    }
    copy.price ??= order.price;
    copy.fund ??= order.fund;
    for (let q = 0; q < quantity && copies.length <= maxCopies; q++) copies.push({ ...copy });
  }
  if (fieldCount === 0) {
    for (let q = 0; q < (order.quantity ?? 1); q++) copies.push({ ...emptyCopy(null), price: order.price, fund: order.fund });
  } else if (order.quantity !== null && order.quantity !== copies.length) {
    report('warning', `the order quantity is ${order.quantity} but the item fields describe ${copies.length} copies; the item fields are used`);
  }
  if (copies.length > maxCopies) {
    report('error', `the item fields describe more than ${maxCopies} copies`);
    copies.length = maxCopies;
  }
  // A barcode names one physical copy: the same one on two item fields is an error; on a field for several copies only the first keeps it.
  const barcodeField = new Map<string, number>();
  for (const c of copies) {
    if (c.barcode === null || c.fieldIndex === null) continue;
    const first = barcodeField.get(c.barcode);
    if (first === undefined) barcodeField.set(c.barcode, c.fieldIndex);
    else if (first !== c.fieldIndex) report('error', `barcode ${shown(c.barcode)} is given to two item fields`);
    else {
      report('warning', `barcode ${shown(c.barcode)} is on an item field for several copies; only the first copy keeps it`);
      c.barcode = null;
    }
  }
  return { position, ok: problems.every((p) => p.severity !== 'error'), record, order, copies, problems };
}

/** Maps every record of a file (readMarc's results): unreadable records come back rejected with the reader's reason. */
export function* mapVendorRecords(
  results: Iterable<MarcReadResult>, mapping: VendorMarcMapping, options: Omit<ApplyVendorMappingOptions, 'position'> = {},
): Generator<VendorMarcRecord> {
  for (const r of results) {
    const position = r.index + 1;
    if (!r.ok) {
      yield { position, ok: false, record: null, order: emptyOrder(), copies: [], problems: [{ severity: 'error', message: r.error }] };
      continue;
    }
    const mapped = applyVendorMapping(r.record, mapping, { ...options, position });
    for (const w of r.warnings) mapped.problems.push({ severity: 'warning', message: `record ${position}: ${w}` });
    yield mapped;
  }
}
