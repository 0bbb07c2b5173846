import type { DocumentLine, FreeText, OrderResponse } from '@carrel/edifact';
import { parseDecimal, wholeNumber } from './decimal.js';
import { fileByMatch, isoDate, type MatchMethod, type OrderLineId, type OrderLineSnapshot } from './order-lines.js';

/**
 * EDItEUR order-response reason codes (list 8B, FTX+LIN) in the library's words; the same letters
 * as the book trade's availability codes. Unknown codes are passed on as written.
 */
export const ORDER_RESPONSE_REASONS: Readonly<Record<string, string>> = Object.freeze({
  AB: 'publication abandoned', CS: 'availability uncertain', IB: 'in stock', NK: 'not known to the supplier',
  NP: 'not yet published', NY: 'not yet in stock', OB: 'out of stock, back-ordered', OF: 'other format available',
  OI: 'out of stock indefinitely', OP: 'out of print', OR: 'replaced by a new edition', PP: 'publication postponed',
  RF: 'refer to another supplier', RP: 'reprinting', TO: 'special order', TU: 'temporarily unavailable',
  WS: 'withdrawn from sale',
});

export interface ResponseReason {
  code?: string;
  codeList?: string;
  /** The code in words, or the free text the vendor wrote. */
  text: string;
}

export interface OrderLineUpdate {
  /** 1-based position of the response line; 0 for an update derived from the header alone. */
  position: number;
  lineNumber: string;
  orderLineId: OrderLineId | null;
  matchedBy: MatchMethod | 'order-number' | null;
  orderLineReference?: string;
  status: 'accepted' | 'back-ordered' | 'cancelled';
  /** LIN action code as sent (2 cancelled, 5 accepted, 24 recorded…). */
  action?: string;
  quantityOrdered?: number;
  /** QTY+12: already despatched. */
  quantityDespatched?: number;
  /** QTY+83. */
  quantityBackOrdered?: number;
  /** DTM+44 (availability) or 69 (promised delivery), as YYYY-MM-DD. */
  expectedDate?: string;
  reason?: ResponseReason;
  /** The vendor's confirmed price, first of AAA, AAB, AAE, AAF. */
  unitPrice?: string;
  /** Substitute product identifiers (PIA function 3). */
  substitutes: string[];
  problems: string[];
}

export interface OrderResponseApplication {
  responseNumber: string;
  /** BGM 1225: 27 not accepted, 29 accepted unchanged, 4 change… */
  function?: string;
  updates: OrderLineUpdate[];
  /** Response lines no order line matched. */
  unmatched: OrderLineUpdate[];
}

const whole = (s: string | undefined): number | undefined => {
  const d = parseDecimal(s);
  const n = d === null ? null : wholeNumber(d);
  return n === null ? undefined : n;
};

function reasonOf(freeText: FreeText[]): ResponseReason | undefined {
  const f = freeText.find((t) => t.code || t.text);
  if (!f) return undefined;
  const known = f.code && f.codeList === '8B' && Object.hasOwn(ORDER_RESPONSE_REASONS, f.code) ? ORDER_RESPONSE_REASONS[f.code] : undefined;
  const r: ResponseReason = { text: f.text || known || f.code || '' };
  if (f.code) r.code = f.code;
  if (f.codeList) r.codeList = f.codeList;
  return r;
}

function lineUpdate(line: DocumentLine, position: number): OrderLineUpdate {
  const q = (qualifier: string): number | undefined => whole(line.quantities.find((x) => x.qualifier === qualifier)?.value);
  const backOrdered = q('83');
  const status: OrderLineUpdate['status'] =
    line.action === '2' || line.action === '10' ? 'cancelled' : backOrdered !== undefined && backOrdered > 0 ? 'back-ordered' : 'accepted';
  const u: OrderLineUpdate = { position, lineNumber: line.lineNumber, orderLineId: null, matchedBy: null, status, substitutes: [], problems: [] };
  if (line.action) u.action = line.action;
  if (line.orderLineReference) u.orderLineReference = line.orderLineReference;
  const ordered = q('21');
  if (ordered !== undefined) u.quantityOrdered = ordered;
  const despatched = q('12');
  if (despatched !== undefined) u.quantityDespatched = despatched;
  if (backOrdered !== undefined) u.quantityBackOrdered = backOrdered;
  const expected = isoDate(line.dates['44'] ?? line.dates['69'] ?? line.dates['2']);
  if (expected) u.expectedDate = expected;
  const reason = reasonOf(line.freeText);
  if (reason) u.reason = reason;
  const price = ['AAA', 'AAB', 'AAE', 'AAF'].map((k) => line.prices.find((p) => p.qualifier === k)?.amount).find((a) => parseDecimal(a) !== null);
  if (price) u.unitPrice = price;
  u.substitutes = line.identifiers.filter((p) => p.function === '3').map((p) => p.id);
  if (line.action === '10') u.problems.push('the vendor does not know this title');
  return u;
}

/**
 * What an order response (ORDRSP) changes: for each response line, its order line and the new
 * status (accepted; back-ordered with quantity and expected date; cancelled with the reason). A
 * response without lines answers for the whole order named by RFF+ON: function 27 cancels every
 * line, 29 accepts every line. Nothing is changed here; the caller applies the updates.
 */
export function applyOrderResponse(response: OrderResponse, orderLines: readonly OrderLineSnapshot[]): OrderResponseApplication {
  const out: OrderResponseApplication = { responseNumber: response.documentNumber, updates: [], unmatched: [] };
  if (response.function) out.function = response.function;
  response.lines.forEach((line, i) => {
    const u = lineUpdate(line, i + 1);
    const m = fileByMatch(u, line, response, orderLines, 'response line', { matched: out.updates, unmatched: out.unmatched });
    if (!m) return;
    if (u.quantityOrdered !== undefined && u.quantityOrdered !== m.orderLine.quantityOrdered) {
      u.problems.push(`the response says ${u.quantityOrdered} ordered, the order line ${m.orderLine.quantityOrdered}`);
    }
    if (u.quantityBackOrdered !== undefined && u.quantityBackOrdered > m.orderLine.quantityOrdered) {
      u.problems.push(`back-ordered ${u.quantityBackOrdered}, more than the ${m.orderLine.quantityOrdered} ordered`);
    }
  });
  const orderNumber = response.references.find((r) => r.qualifier === 'ON')?.value.trim();
  if (response.lines.length === 0 && orderNumber && (response.function === '27' || response.function === '29')) {
    const status = response.function === '27' ? 'cancelled' : 'accepted';
    const reason = reasonOf(response.freeText);
    for (const o of orderLines) {
      if (o.orderNumber.trim() !== orderNumber || o.status === 'cancelled') continue;
      const u: OrderLineUpdate = { position: 0, lineNumber: '', orderLineId: o.id, matchedBy: 'order-number', status, substitutes: [], problems: [] };
      if (reason) u.reason = reason;
      out.updates.push(u);
    }
  }
  return out;
}
