import type { EdifactMessage } from './types.js';

/** NAD: a party by role (BY buyer, SU supplier, DP delivery, IV invoicee…). */
export interface DocumentParty {
  qualifier: string;
  id?: string;
  /** Code list responsible agency: 9 EAN, 31B SAN, 91 supplier, 92 buyer. */
  codeList?: string;
  name?: string;
  street?: string;
  city?: string;
  postcode?: string;
  country?: string;
}

export interface Reference {
  /** LI order line, ON order number, SLI supplier line, QLI quote line, SNA subscription, BFN fund… */
  qualifier: string;
  value: string;
}

export interface Price {
  /** AAA net, AAB gross, AAE information incl. tax, AAF incl. everything; vendors invent others (INV, CAL). */
  qualifier: string;
  /** As written, decimal mark normalised to '.'; absent when the vendor left it empty. */
  amount?: string;
  /** Price type code (CA catalogue, CT contract, DI distributor, SRP…). */
  type?: string;
  typeQualifier?: string;
}

export interface Quantity {
  /** 21 ordered, 47 invoiced, 12 despatched, 83 back-ordered, 1 quoted, 11 split… */
  qualifier: string;
  value: string;
  unit?: string;
}

export interface Tax {
  function: string;
  /** VAT, GST… */
  type?: string;
  rate?: string;
  /** S standard, Z zero, E exempt, L low, H high. */
  category?: string;
  amounts: Record<string, string>;
}

export interface AllowanceOrCharge {
  /** A allowance, C charge (others kept as written). */
  kind: string;
  /** The ALC special-services code (DI discount, B29 postage…) and its text. */
  code?: string;
  description?: string;
  sequence?: string;
  amounts: Record<string, string>;
  /** PCD: qualifier → percentage. */
  percentages: Record<string, string>;
  /** TAX inside the ALC group: the tax on this charge, not on the line. */
  taxes: Tax[];
  /** Header, line or summary: where the vendor put it changes what it applies to. */
  section: 'header' | 'line' | 'summary';
}

export interface FreeText {
  subject: string;
  function?: string;
  /** Coded text and its list (8B order response reasons, 1B…). */
  code?: string;
  codeList?: string;
  text: string;
}

export interface ProductIdentifier {
  /** PIA 4347: 1 additional, 5 main, 3 substitute… (empty for the LIN item id). */
  function: string;
  id: string;
  /** IB ISBN, EN EAN, IS ISSN, SA supplier article number, IN buyer's number, MF manufacturer… */
  type: string;
}

export interface Description {
  /** F free form, L library (coded by the EDItEUR list), C coded. */
  format: string;
  /** BTI title, BAU author, 050 title, 009 author… */
  code?: string;
  /** Text components joined: vendors split long titles across components 4 and 5 or repeat the IMD. */
  text: string;
}

export interface Location {
  qualifier: string;
  id?: string;
  quantities: Quantity[];
}

/** GIR: one copy of an ordered title, its branch, fund, barcode and servicing. */
export interface Copy {
  copyNumber: string;
  branch?: string;         // LLO
  fund?: string;           // LFN
  collection?: string;     // LSQ
  itemType?: string;       // LST
  shelfmark?: string;      // LSM
  classification?: string; // LCL
  barcode?: string;        // LAC
  itemId?: string;         // LCO
  copyValue?: string;      // LCV
  partQuantity?: string;   // LQT
  rotationPlan?: string;   // LRP
  servicingCodes: string[];   // LVC
  servicingTexts: string[];   // LVT
  /** Every value:qualifier pair in order, including repeats and qualifiers with no named field (LFS, LLN…). */
  fields: { qualifier: string; value: string }[];
}

export interface DocumentLine {
  lineNumber: string;
  /** LIN 1229 action: 2 cancelled, 5 accepted unchanged, 24 recorded… */
  action?: string;
  itemId?: { id: string; type: string };
  identifiers: ProductIdentifier[];
  descriptions: Description[];
  /** Descriptions joined, for display. */
  description?: string;
  quantities: Quantity[];
  prices: Price[];
  amounts: Record<string, string>;
  taxes: Tax[];
  allowancesAndCharges: AllowanceOrCharge[];
  freeText: FreeText[];
  references: Reference[];
  dates: Record<string, string>;
  locations: Location[];
  copies: Copy[];
  /** Shortcuts to the references matching uses. */
  orderLineReference?: string;     // RFF+LI
  orderNumber?: string;            // RFF+ON
  supplierLineReference?: string;  // RFF+SLI
  quoteLineReference?: string;     // RFF+QLI
  subscriptionNumber?: string;     // RFF+SNA
  fundReference?: string;          // RFF+BFN
}

export interface TradeDocument {
  messageType: string;
  messageReference: string;
  /** BGM 1001: 380 invoice, 381 credit note, 231 order response, 351 despatch advice, 31C quote, 220 order… */
  documentCode: string;
  documentNumber: string;
  /** BGM 1225: 9 original, 7 retransmission, 4 change, 27 not accepted, 29 accepted unchanged… */
  function?: string;
  /** DTM by qualifier (137 document date, 131 tax point, 44 availability…), value as written. */
  dates: Record<string, string>;
  parties: DocumentParty[];
  currency?: string;
  references: Reference[];
  freeText: FreeText[];
  taxes: Tax[];
  /** Header and summary ALC groups. */
  allowancesAndCharges: AllowanceOrCharge[];
  lines: DocumentLine[];
  /** Summary MOA by qualifier (79 lines, 86 message total, 9 due, 129, 125, 124…). */
  totals: Record<string, string>;
  /** CNT by qualifier (1 quantity, 2 lines). */
  controlTotals: Record<string, string>;
  /** Header MOA segments outside an ALC or TAX group. */
  amounts: Record<string, string>;
}

export type Invoice = TradeDocument & { messageType: 'INVOIC' };
export type OrderResponse = TradeDocument & { messageType: 'ORDRSP' };
export type DespatchAdvice = TradeDocument & { messageType: 'DESADV' };
export type Quote = TradeDocument & { messageType: 'QUOTES' };
export type Order = TradeDocument & { messageType: 'ORDERS' };

type Elements = string[][];

/**
 * An empty record for qualifier keys. Qualifiers such as 203 or 137 are array indices to V8: the
 * first one set on a plain `{}` grows a holey backing store of a few hundred slots, per line, which
 * made mapping a large invoice garbage-collector bound. Setting and deleting one far index first
 * switches the object to dictionary elements, sized by what it holds. Plain object all the same.
 */
function qualifierRecord(): Record<string, string> {
  const r: Record<string, string> = {};
  r[0x100000] = '';
  delete r[0x100000];
  return r;
}
const at = (s: Elements, e: number, c = 0): string => s[e]?.[c] ?? '';
const amountOf = (v: string): string => v.trim().replace(',', '.');
function set<T extends object>(o: T, k: keyof T, v: string | undefined): void {
  if (v) (o as Record<keyof T, string>)[k] = v;
}
const firstWins = (rec: Record<string, string>, k: string, v: string): void => {
  if (k && v !== '' && rec[k] === undefined) rec[k] = v;
};

const GIR_FIELDS: Record<string, keyof Copy> = {
  LLO: 'branch', LFN: 'fund', LSQ: 'collection', LST: 'itemType', LSM: 'shelfmark', LCL: 'classification',
  LAC: 'barcode', LCO: 'itemId', LCV: 'copyValue', LQT: 'partQuantity', LRP: 'rotationPlan',
};
const LINE_REFERENCES: Record<string, keyof DocumentLine> = {
  LI: 'orderLineReference', ON: 'orderNumber', SLI: 'supplierLineReference', QLI: 'quoteLineReference',
  SNA: 'subscriptionNumber', BFN: 'fundReference',
};

function newLine(s: Elements): DocumentLine {
  const line: DocumentLine = {
    lineNumber: at(s, 0), identifiers: [], descriptions: [], quantities: [], prices: [], amounts: qualifierRecord(), taxes: [],
    allowancesAndCharges: [], freeText: [], references: [], dates: qualifierRecord(), locations: [], copies: [],
  };
  set(line, 'action', at(s, 1));
  const id = at(s, 2, 0);
  if (id) line.itemId = { id, type: at(s, 2, 1) };
  return line;
}

function addCopyData(line: DocumentLine, s: Elements): void {
  const copyNumber = at(s, 0);
  // The same copy number again continues the copy (a GIR holds only five pairs).
  let copy = line.copies.find((c) => c.copyNumber === copyNumber);
  if (!copy) {
    copy = { copyNumber, servicingCodes: [], servicingTexts: [], fields: [] };
    line.copies.push(copy);
  }
  for (let e = 1; e < s.length; e++) {
    const value = at(s, e, 0), qualifier = at(s, e, 1);
    if (!qualifier && !value) continue;
    copy.fields.push({ qualifier, value });
    if (qualifier === 'LVC') copy.servicingCodes.push(value);
    else if (qualifier === 'LVT') copy.servicingTexts.push(value);
    else {
      const key = Object.hasOwn(GIR_FIELDS, qualifier) ? GIR_FIELDS[qualifier] : undefined;
      if (key && copy[key] === undefined && value !== '') (copy as unknown as Record<string, string>)[key] = value;
    }
  }
}

function description(s: Elements): Description {
  const texts = (s[2] ?? []).slice(3).filter((t) => t !== '');
  const d: Description = { format: at(s, 0), text: texts.join('') };
  set(d, 'code', at(s, 1));
  return d;
}

function joinDescriptions(ds: Description[]): string | undefined {
  // A repeated IMD with the same code continues the text (vendors cut at 70 characters, mid-word);
  // different codes (title, then volume) are separate phrases.
  const parts: string[] = [];
  let prev: Description | undefined;
  for (const d of ds) {
    if (prev && prev.code === d.code && prev.format === d.format && parts.length) parts[parts.length - 1] += d.text;
    else parts.push(d.text);
    prev = d;
  }
  const out = parts.map((t) => t.trim()).filter((t) => t !== '');
  return out.length ? out.join(' ') : undefined;
}

function tax(s: Elements): Tax {
  const t: Tax = { function: at(s, 0), amounts: qualifierRecord() };
  set(t, 'type', at(s, 1, 0));
  set(t, 'rate', amountOf(at(s, 4, 3)));
  set(t, 'category', at(s, 5));
  return t;
}

function allowance(s: Elements, section: AllowanceOrCharge['section']): AllowanceOrCharge {
  const a: AllowanceOrCharge = { kind: at(s, 0), amounts: qualifierRecord(), percentages: qualifierRecord(), taxes: [], section };
  set(a, 'sequence', at(s, 2));
  set(a, 'code', at(s, 4, 0));
  set(a, 'description', at(s, 4, 3) || at(s, 4, 4));
  return a;
}

function freeText(s: Elements): FreeText {
  const f: FreeText = { subject: at(s, 0), text: (s[3] ?? []).filter((t) => t !== '').join('') };
  set(f, 'function', at(s, 1));
  set(f, 'code', at(s, 2, 0));
  set(f, 'codeList', at(s, 2, 1));
  return f;
}

function quantity(s: Elements): Quantity {
  const q: Quantity = { qualifier: at(s, 0, 0), value: amountOf(at(s, 0, 1)) };
  set(q, 'unit', at(s, 0, 2));
  return q;
}

/**
 * Maps any of the library trade messages (INVOIC, ORDRSP, DESADV, QUOTES, ORDERS) to one shape: they
 * share EDItEUR's segment groups (header, LIN groups, UNS summary). ALC and TAX open a small group
 * that the following MOA/PCD belong to; anything else closes it.
 */
export function mapTradeMessage(message: EdifactMessage): TradeDocument {
  const doc: TradeDocument = {
    messageType: message.type, messageReference: message.reference, documentCode: '', documentNumber: '',
    dates: qualifierRecord(), parties: [], references: [], freeText: [], taxes: [], allowancesAndCharges: [], lines: [],
    totals: qualifierRecord(), controlTotals: qualifierRecord(), amounts: qualifierRecord(),
  };
  let section: 'header' | 'line' | 'summary' = 'header';
  let line: DocumentLine | undefined;
  let alc: AllowanceOrCharge | undefined;
  let taxGroup: Tax | undefined;
  let location: Location | undefined;

  for (const segment of message.segments) {
    const tag = segment.tag;
    // Split once: each read of `elements` splits the segment's text again.
    const s = segment.elements;
    if (tag !== 'MOA' && tag !== 'PCD' && tag !== 'RTE' && tag !== 'QTY' && !(alc && tag === 'TAX')) alc = undefined;
    if (tag !== 'MOA') taxGroup = undefined;
    if (tag !== 'QTY') location = undefined;
    switch (tag) {
      case 'BGM':
        doc.documentCode = at(s, 0, 0);
        doc.documentNumber = at(s, 1, 0);
        set(doc, 'function', at(s, 2));
        break;
      case 'DTM':
        firstWins(line ? line.dates : doc.dates, at(s, 0, 0), at(s, 0, 1));
        break;
      case 'NAD': {
        const p: DocumentParty = { qualifier: at(s, 0) };
        set(p, 'id', at(s, 1, 0));
        set(p, 'codeList', at(s, 1, 2));
        const name = [...(s[2] ?? []), ...(s[3] ?? [])].filter((t) => t !== '').join(' ');
        set(p, 'name', name);
        const joined = (e: number): string => (s[e] ?? []).filter((t) => t !== '').join(' ');
        set(p, 'street', joined(4));
        set(p, 'city', at(s, 5));
        set(p, 'postcode', at(s, 7));
        set(p, 'country', at(s, 8));
        doc.parties.push(p);
        break;
      }
      case 'CUX':
        if (!doc.currency && at(s, 0, 1)) doc.currency = at(s, 0, 1).toUpperCase();
        break;
      case 'LIN':
        section = 'line';
        line = newLine(s);
        doc.lines.push(line);
        break;
      case 'UNS':
        section = 'summary';
        line = undefined;
        break;
      case 'PIA':
        if (!line) break;
        for (let e = 1; e < s.length; e++) {
          const id = at(s, e, 0);
          if (id) line.identifiers.push({ function: at(s, 0), id, type: at(s, e, 1) });
        }
        break;
      case 'IMD':
        if (line) line.descriptions.push(description(s));
        break;
      case 'QTY': {
        const q = quantity(s);
        if (location) location.quantities.push(q);
        else if (alc) { /* an ALC's quantity does not change the line's */ } else if (line) line.quantities.push(q);
        break;
      }
      case 'PRI':
        if (line) {
          const p: Price = { qualifier: at(s, 0, 0) };
          set(p, 'amount', amountOf(at(s, 0, 1)));
          set(p, 'type', at(s, 0, 2));
          set(p, 'typeQualifier', at(s, 0, 3));
          line.prices.push(p);
        }
        break;
      case 'MOA': {
        const q = at(s, 0, 0), v = amountOf(at(s, 0, 1));
        if (taxGroup && alc) firstWins(taxGroup.amounts, q, v);
        else if (alc) firstWins(alc.amounts, q, v);
        else if (taxGroup) {
          firstWins(taxGroup.amounts, q, v);
          if (section === 'summary') firstWins(doc.totals, q, v);
          else firstWins(line ? line.amounts : doc.amounts, q, v);
        } else if (section === 'summary') firstWins(doc.totals, q, v);
        else firstWins(line ? line.amounts : doc.amounts, q, v);
        break;
      }
      case 'PCD':
        if (alc) firstWins(alc.percentages, at(s, 0, 0), amountOf(at(s, 0, 1)));
        break;
      case 'TAX': {
        const t = tax(s);
        if (alc) alc.taxes.push(t);
        else if (line) line.taxes.push(t);
        else doc.taxes.push(t);
        taxGroup = t;
        break;
      }
      case 'ALC':
        alc = allowance(s, section);
        if (line) line.allowancesAndCharges.push(alc);
        else doc.allowancesAndCharges.push(alc);
        break;
      case 'FTX':
        (line ? line.freeText : doc.freeText).push(freeText(s));
        break;
      case 'RFF': {
        const r: Reference = { qualifier: at(s, 0, 0), value: at(s, 0, 1) };
        if (line) {
          line.references.push(r);
          const key = Object.hasOwn(LINE_REFERENCES, r.qualifier) ? LINE_REFERENCES[r.qualifier] : undefined;
          if (key && r.value && line[key] === undefined) (line as unknown as Record<string, string>)[key] = r.value;
        } else doc.references.push(r);
        break;
      }
      case 'GIR':
        if (line) addCopyData(line, s);
        break;
      case 'LOC':
        if (line) {
          location = { qualifier: at(s, 0), quantities: [] };
          set(location, 'id', at(s, 1, 0));
          line.locations.push(location);
        }
        break;
      case 'CNT':
        firstWins(doc.controlTotals, at(s, 0, 0), amountOf(at(s, 0, 1)));
        break;
      default:
        break;
    }
  }
  for (const l of doc.lines) set(l, 'description', joinDescriptions(l.descriptions));
  return doc;
}

export class EdifactMessageTypeError extends Error {}

function expectType<T extends TradeDocument>(message: EdifactMessage, type: T['messageType']): T {
  if (message.type !== type) throw new EdifactMessageTypeError(`expected a ${type} message, got ${message.type || 'none'} (${message.reference})`);
  return mapTradeMessage(message) as T;
}

export const mapInvoice = (m: EdifactMessage): Invoice => expectType<Invoice>(m, 'INVOIC');
export const mapOrderResponse = (m: EdifactMessage): OrderResponse => expectType<OrderResponse>(m, 'ORDRSP');
export const mapDespatchAdvice = (m: EdifactMessage): DespatchAdvice => expectType<DespatchAdvice>(m, 'DESADV');
export const mapQuote = (m: EdifactMessage): Quote => expectType<Quote>(m, 'QUOTES');
export const mapOrder = (m: EdifactMessage): Order => expectType<Order>(m, 'ORDERS');

/** ORDRSP LIN action codes (1229) in the library's words; unknown codes come back as written. */
export const LINE_ACTIONS: Readonly<Record<string, string>> = Object.freeze({
  '2': 'cancelled', '3': 'change requested', '4': 'no action', '5': 'accepted', '10': 'not found', '24': 'recorded',
});

export const lineActionName = (line: DocumentLine): string | undefined =>
  line.action === undefined ? undefined : Object.hasOwn(LINE_ACTIONS, line.action) ? LINE_ACTIONS[line.action] : line.action;

/** Line helpers: first value for a qualifier. */
export const quantityOf = (line: DocumentLine, qualifier: string): string | undefined => line.quantities.find((q) => q.qualifier === qualifier)?.value;
export const priceOf = (line: DocumentLine, qualifier: string): Price | undefined => line.prices.find((p) => p.qualifier === qualifier);
export const partyOf = (doc: TradeDocument, qualifier: string): DocumentParty | undefined => doc.parties.find((p) => p.qualifier === qualifier);
export const referenceOf = (doc: TradeDocument, qualifier: string): string | undefined => doc.references.find((r) => r.qualifier === qualifier)?.value;

/** Vendors put the invoice total in different MOAs (86, 9, 39, 77, 129 seen); the first present wins. */
export function documentTotal(doc: TradeDocument): { qualifier: string; amount: string } | undefined {
  for (const q of ['86', '9', '39', '77', '129', '79']) {
    const amount = doc.totals[q];
    if (amount !== undefined) return { qualifier: q, amount };
  }
  return undefined;
}

/** Sum of decimal strings without floats: scaled BigInt arithmetic, result with the widest scale used. */
export function sumAmounts(amounts: readonly (string | undefined)[]): string {
  let scale = 0;
  const parsed: { neg: boolean; int: string; frac: string }[] = [];
  for (const a of amounts) {
    if (a === undefined) continue;
    const m = /^\s*(-?)(\d*)(?:[.,](\d*))?\s*$/.exec(a);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) continue;
    parsed.push({ neg: m[1] === '-', int: m[2] || '0', frac: m[3] ?? '' });
    scale = Math.max(scale, (m[3] ?? '').length);
  }
  let total = 0n;
  for (const p of parsed) {
    const v = BigInt(p.int + p.frac.padEnd(scale, '0'));
    total += p.neg ? -v : v;
  }
  const neg = total < 0n;
  const digits = (neg ? -total : total).toString().padStart(scale + 1, '0');
  const out = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${out}` : out;
}
