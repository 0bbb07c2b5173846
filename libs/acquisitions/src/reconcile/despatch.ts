import type { Copy, DespatchAdvice } from '@carrel/edifact';
import { parseDecimal, wholeNumber } from './decimal.js';
import { fileByMatch, type MatchMethod, type OrderLineId, type OrderLineSnapshot } from './order-lines.js';

/** One physical copy announced by GIR: what the item record needs. */
export interface DespatchedCopy {
  copyNumber: string;
  barcode?: string;
  branch?: string;
  fund?: string;
  itemType?: string;
  collection?: string;
  callNumber?: string;
}

export interface ReceiptUpdate {
  /** 1-based position of the despatch line. */
  position: number;
  lineNumber: string;
  orderLineId: OrderLineId | null;
  matchedBy: MatchMethod | null;
  orderLineReference?: string;
  /** QTY+12 (else the number of GIR copies). */
  quantityDespatched: number;
  /** The order line's received quantity after this despatch. */
  receivedAfter?: number;
  copies: DespatchedCopy[];
  problems: string[];
}

export interface DespatchApplication {
  despatchNumber: string;
  receipts: ReceiptUpdate[];
  unmatched: ReceiptUpdate[];
  /** Barcodes that appear on more than one copy of this despatch. */
  duplicateBarcodes: string[];
}

function copyOf(c: Copy): DespatchedCopy {
  const out: DespatchedCopy = { copyNumber: c.copyNumber };
  if (c.barcode) out.barcode = c.barcode;
  if (c.branch) out.branch = c.branch;
  if (c.fund) out.fund = c.fund;
  if (c.itemType) out.itemType = c.itemType;
  if (c.collection) out.collection = c.collection;
  const call = c.shelfmark ?? c.classification;
  if (call) out.callNumber = call;
  return out;
}

/**
 * What a despatch advice (DESADV) changes: per line, the order line it fills, how many arrived
 * (received quantities add up across despatches and lines) and the copies with their GIR LAC
 * barcodes for the items to create. Nothing is changed here; the caller applies the receipts.
 */
export function applyDespatchAdvice(advice: DespatchAdvice, orderLines: readonly OrderLineSnapshot[]): DespatchApplication {
  const out: DespatchApplication = { despatchNumber: advice.documentNumber, receipts: [], unmatched: [], duplicateBarcodes: [] };
  const receivedSoFar = new Map<OrderLineId, number>(orderLines.map((o) => [o.id, o.quantityReceived]));
  const barcodes = new Map<string, number>();
  advice.lines.forEach((line, i) => {
    const copies = line.copies.map(copyOf);
    const qtyText = line.quantities.find((q) => q.qualifier === '12')?.value;
    const parsed = parseDecimal(qtyText);
    const stated = parsed === null ? null : wholeNumber(parsed);
    const r: ReceiptUpdate = {
      position: i + 1, lineNumber: line.lineNumber, orderLineId: null, matchedBy: null,
      quantityDespatched: stated ?? copies.length, copies, problems: [],
    };
    if (line.orderLineReference) r.orderLineReference = line.orderLineReference;
    if (qtyText === undefined) r.problems.push(`no despatched quantity (QTY+12); ${copies.length} copies counted`);
    else if (stated === null || stated < 0) {
      r.problems.push(`despatched quantity ${JSON.stringify(qtyText)} is not a whole number; ${copies.length} copies counted`);
      r.quantityDespatched = copies.length;
    }
    if (copies.length && copies.length !== r.quantityDespatched) r.problems.push(`${r.quantityDespatched} despatched but ${copies.length} copies described`);
    for (const c of copies) {
      if (!c.barcode) r.problems.push(`copy ${c.copyNumber} has no barcode (GIR LAC)`);
      else barcodes.set(c.barcode, (barcodes.get(c.barcode) ?? 0) + 1);
    }
    const m = fileByMatch(r, line, advice, orderLines, 'despatch line', { matched: out.receipts, unmatched: out.unmatched });
    if (!m) return;
    const after = (receivedSoFar.get(m.orderLine.id) ?? 0) + r.quantityDespatched;
    receivedSoFar.set(m.orderLine.id, after);
    r.receivedAfter = after;
    if (m.orderLine.status === 'cancelled') r.problems.push(`order line ${m.orderLine.id} was cancelled`);
    if (after > m.orderLine.quantityOrdered) r.problems.push(`received ${after} in all, more than the ${m.orderLine.quantityOrdered} ordered`);
  });
  out.duplicateBarcodes = [...barcodes].filter(([, n]) => n > 1).map(([b]) => b);
  return out;
}
