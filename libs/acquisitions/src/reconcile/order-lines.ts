import type { DocumentLine, TradeDocument } from '@carrel/edifact';
import { normalizeIsbn, normalizeIssn } from '@carrel/marc';

export type OrderLineId = string | number;

/** Where an order line stands; the data layer keeps it, reconciliation only reads it. */
export type OrderLineStatus = 'new' | 'ordered' | 'accepted' | 'back-ordered' | 'cancelled' | 'received' | 'invoiced' | 'closed';

/** What reconciliation needs of an order line (the data layer's row, flattened). */
export interface OrderLineSnapshot {
  id: OrderLineId;
  vendor: string;
  orderNumber: string;
  /** As sent to the vendor in RFF+LI (Koha sends basketno/ordernumber, Evergreen po/lineitem). */
  lineReference?: string;
  /** The vendor's own line reference (RFF+SLI), known once an order response echoed it. */
  supplierLineReference?: string;
  /** Subscription number (RFF+SNA) for serials. */
  subscriptionNumber?: string;
  /** The vendor's article or order number (PIA …:SA, GOBI and Hein invoices carry only this). */
  vendorReference?: string;
  /** ISBN, EAN, ISSN as catalogued; compared in normalised form. */
  identifiers: string[];
  title?: string;
  quantityOrdered: number;
  quantityReceived: number;
  /** Quantity on invoices already accepted or loaded before this one. */
  quantityInvoiced: number;
  /** Agreed net unit price, decimal text in the order's currency. */
  unitPrice?: string;
  status: OrderLineStatus;
}

/** How a document line found its order line, strongest first. */
export type MatchMethod = 'line-reference' | 'order-and-supplier-line' | 'subscription' | 'vendor-reference' | 'identifier';

export interface LineMatch {
  orderLine: OrderLineSnapshot;
  method: MatchMethod;
  /** Other order lines that fitted as well (the first open one was taken). */
  alternatives: OrderLineId[];
}

const norm = (s: string | undefined): string => (s ?? '').trim().toUpperCase();

/** ISBN-13, ISSN NNNN-NNNX, or the digits of an EAN; null for anything else. */
export function productKey(raw: string): string | null {
  // Vendors fill unknown identifiers with zeros (Hein sends ISSN 0000-0000 on every line); they identify nothing.
  if (/^[\s0-]*$/.test(raw)) return null;
  const isbn = normalizeIsbn(raw);
  if (isbn) return isbn;
  const issn = normalizeIssn(raw);
  if (issn) return issn;
  const digits = raw.replace(/[\s-]/g, '');
  // EANs of non-books (music, DVDs) and UPCs: kept as digits so both sides compare alike.
  return /^\d{8,14}$/.test(digits) && !/^0+$/.test(digits) ? digits : null;
}

/**
 * The ordered product's identifiers as written: the LIN item id and every PIA except the vendor's
 * (SA) and the buyer's (IN) own numbers and substitutes (PIA function 3).
 */
export function productIdentifiers(line: DocumentLine): string[] {
  const raw: string[] = [];
  if (line.itemId && line.itemId.type !== 'SA') raw.push(line.itemId.id);
  for (const p of line.identifiers) if (p.type !== 'SA' && p.type !== 'IN' && p.function !== '3') raw.push(p.id);
  return [...new Set(raw)];
}

/** productIdentifiers normalised for comparison. */
export function lineProductKeys(line: DocumentLine): string[] {
  return [...new Set(productIdentifiers(line).map(productKey).filter((k): k is string => k !== null))];
}

/** Supplier article numbers (PIA …:SA or a LIN id typed SA). */
export function lineVendorReferences(line: DocumentLine): string[] {
  const out = line.identifiers.filter((p) => p.type === 'SA').map((p) => p.id);
  if (line.itemId?.type === 'SA') out.push(line.itemId.id);
  return out.map(norm).filter((s) => s !== '');
}

/**
 * Finds the order line a document line speaks of: RFF+LI first (the reference we sent), then the
 * order number with the supplier's line reference, the subscription number, the vendor's article
 * number, and last the ISBN/EAN/ISSN (within the RFF+ON order when the line names one). `used`
 * counts what earlier lines of the same document already took, so two invoice lines for one
 * title go to two order lines when there are two.
 */
export function matchOrderLine(
  line: DocumentLine, doc: TradeDocument, orderLines: readonly OrderLineSnapshot[], used: ReadonlyMap<OrderLineId, number> = new Map(),
): LineMatch | null {
  const orderNumber = norm(line.orderNumber ?? doc.references.find((r) => r.qualifier === 'ON')?.value);
  const pick = (method: MatchMethod, test: (o: OrderLineSnapshot) => boolean): LineMatch | null => {
    const found = orderLines.filter(test);
    if (found.length === 0) return null;
    const open = found.filter((o) => o.status !== 'cancelled' && o.quantityOrdered - o.quantityInvoiced - (used.get(o.id) ?? 0) > 0);
    const chosen = (open[0] ?? found[0])!;
    return { orderLine: chosen, method, alternatives: found.filter((o) => o !== chosen).map((o) => o.id) };
  };
  const li = norm(line.orderLineReference);
  if (li) {
    const m = pick('line-reference', (o) => norm(o.lineReference) === li);
    if (m) return m;
  }
  const sli = norm(line.supplierLineReference);
  if (sli && orderNumber) {
    const m = pick('order-and-supplier-line', (o) => norm(o.orderNumber) === orderNumber && norm(o.supplierLineReference) === sli);
    if (m) return m;
  }
  const sna = norm(line.subscriptionNumber);
  if (sna) {
    const m = pick('subscription', (o) => norm(o.subscriptionNumber) === sna);
    if (m) return m;
  }
  const vendorRefs = lineVendorReferences(line);
  if (vendorRefs.length) {
    const m = pick('vendor-reference', (o) => vendorRefs.includes(norm(o.vendorReference)));
    if (m) return m;
  }
  const keys = lineProductKeys(line);
  if (keys.length) {
    const hasKey = (o: OrderLineSnapshot): boolean => o.identifiers.some((i) => { const k = productKey(i); return k !== null && keys.includes(k); });
    const inOrder = orderNumber ? pick('identifier', (o) => norm(o.orderNumber) === orderNumber && hasKey(o)) : null;
    return inOrder ?? pick('identifier', hasKey);
  }
  return null;
}

/** The parts of a per-line outcome that say which order line it belongs to. */
export interface MatchedUpdate {
  orderLineId: OrderLineId | null;
  matchedBy: MatchMethod | 'order-number' | null;
  problems: string[];
}

/**
 * Matches a document line and files its update: with its order line into `matched`, or with a
 * problem naming `what` into `unmatched`. Returns the match for the caller's own checks.
 */
export function fileByMatch<T extends MatchedUpdate>(
  update: T, line: DocumentLine, doc: TradeDocument, orderLines: readonly OrderLineSnapshot[], what: string, out: { matched: T[]; unmatched: T[] },
): LineMatch | null {
  const m = matchOrderLine(line, doc, orderLines);
  if (!m) {
    update.problems.push(`no order line matches this ${what}`);
    out.unmatched.push(update);
    return null;
  }
  update.orderLineId = m.orderLine.id;
  update.matchedBy = m.method;
  out.matched.push(update);
  return m;
}

/** EDIFACT dates (CCYYMMDD, YYMMDD, CCYYMMDDHHMM) as ISO YYYY-MM-DD; anything else unchanged. */
export function isoDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(?:\d{4})?$/.exec(value) ?? /^(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!m) return value;
  const year = m[1]!.length === 2 ? `20${m[1]}` : m[1]!;
  return `${year}-${m[2]}-${m[3]}`;
}
