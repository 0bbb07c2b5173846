import type { Order } from '@carrel/edifact';
import { parseDecimal, wholeNumber } from './decimal.js';
import { productIdentifiers, type OrderLineSnapshot } from './order-lines.js';

/** An order line as an ORDERS message states it, ready to store; the snapshot fields plus what only the order says. */
export interface OrderLineDraft extends OrderLineSnapshot {
  /** LIN line number as sent. */
  lineNumber: string;
  /** RFF+BFN, else the first copy's GIR LFN. */
  fund?: string;
  /** Branches the copies go to (GIR LLO, else LOC+7/20), one entry per copy where the order says so. */
  branches: string[];
  problems: string[];
}

/**
 * The order lines of an ORDERS message (ours as sent, or a vendor's copy of it): order number from
 * BGM, line reference from RFF+LI, identifiers from LIN and PIA, quantity QTY+21, the first of the
 * net/gross/information prices. A line with no usable quantity gets 0 and a problem.
 */
export function orderLinesFromOrder(order: Order, vendor: string): OrderLineDraft[] {
  return order.lines.map((l) => {
    const problems: string[] = [];
    const qText = l.quantities.find((q) => q.qualifier === '21')?.value;
    const q = parseDecimal(qText);
    let quantity = q === null ? null : wholeNumber(q);
    if (quantity === null || quantity < 0) {
      problems.push(`line ${l.lineNumber}: ordered quantity ${qText === undefined ? 'missing' : JSON.stringify(qText)} is not a whole number`);
      quantity = 0;
    }
    const vendorReference = l.identifiers.find((p) => p.type === 'SA')?.id;
    const price = ['AAA', 'AAB', 'AAE', 'AAF'].map((k) => l.prices.find((p) => p.qualifier === k)?.amount).find((a) => parseDecimal(a) !== null);
    const branches = l.copies.map((c) => c.branch).filter((b): b is string => !!b);
    if (branches.length === 0) for (const loc of l.locations) if ((loc.qualifier === '7' || loc.qualifier === '20') && loc.id) branches.push(loc.id);
    const draft: OrderLineDraft = {
      id: l.orderLineReference ?? `${order.documentNumber}#${l.lineNumber}`, vendor, orderNumber: order.documentNumber, lineNumber: l.lineNumber,
      identifiers: productIdentifiers(l), quantityOrdered: quantity, quantityReceived: 0, quantityInvoiced: 0, status: 'ordered', branches, problems,
    };
    if (l.orderLineReference) draft.lineReference = l.orderLineReference;
    else problems.push(`line ${l.lineNumber}: no order-line reference (RFF+LI); the vendor cannot echo one back`);
    if (vendorReference) draft.vendorReference = vendorReference;
    if (l.supplierLineReference) draft.supplierLineReference = l.supplierLineReference;
    if (l.description) draft.title = l.description;
    if (price) draft.unitPrice = price;
    const fund = l.fundReference ?? l.copies.find((c) => c.fund)?.fund;
    if (fund) draft.fund = fund;
    return draft;
  });
}
