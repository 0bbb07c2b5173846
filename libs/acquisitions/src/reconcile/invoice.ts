import { documentTotal, type AllowanceOrCharge, type DocumentLine, type Invoice } from '@carrel/edifact';
import {
  abs, add, compare, div, formatAmount, formatDecimal, mul, parseDecimal, sub, sum, wholeNumber, ZERO, type Decimal,
} from './decimal.js';
import { matchOrderLine, type LineMatch, type MatchMethod, type OrderLineId, type OrderLineSnapshot } from './order-lines.js';

export interface ReconcileSettings {
  /** The currency the vendor bills in (the order's); an invoice in another is flagged. */
  currency: string;
  /** A unit price within either tolerance of the agreed price matches. Decimal text; '0' or absent: exact. */
  priceTolerance?: { absolute?: string; percent?: string };
  /** Stated totals within this of the computed ones pass (vendors round per line); default '0'. */
  totalTolerance?: string;
}

export type LineVerdictCode =
  | 'matches' | 'quantity-short' | 'quantity-over' | 'price-differs' | 'not-ordered' | 'already-invoiced' | 'not-yet-received'
  | 'order-line-cancelled' | 'line-amount-inconsistent' | 'no-quantity';

export interface LineVerdict {
  code: LineVerdictCode;
  /** One sentence for staff, with the numbers. */
  detail: string;
}

export interface InvoiceLineResult {
  /** 1-based position of the line in the invoice. */
  position: number;
  lineNumber: string;
  description?: string;
  orderLineReference?: string;
  orderNumber?: string;
  identifiers: string[];
  quantity: number | null;
  /** Net unit price as billed: PRI+AAA, else the line amount over the quantity, else the first price given. */
  unitPrice: string | null;
  /** MOA+203, else quantity × unit price. */
  lineAmount: string | null;
  orderLineId: OrderLineId | null;
  matchedBy: MatchMethod | null;
  /** Order lines that fitted as well as the one taken. */
  alternatives: OrderLineId[];
  agreedUnitPrice: string | null;
  verdicts: LineVerdict[];
}

export type HeaderCheckCode =
  | 'lines-total' | 'invoice-total' | 'duplicate-invoice-number' | 'currency-differs' | 'currency-missing' | 'no-total' | 'no-lines';

export interface HeaderCheck {
  code: HeaderCheckCode;
  ok: boolean;
  detail: string;
  /** The MOA qualifier of the stated amount. */
  qualifier?: string;
  stated?: string;
  computed?: string;
}

export interface InvoiceReconciliation {
  vendor: string;
  invoiceNumber: string;
  documentCode: string;
  currency: string;
  invoiceDate?: string;
  linesTotal: string;
  charges: string;
  allowances: string;
  tax: string | null;
  stated: { qualifier: string; amount: string } | null;
  header: HeaderCheck[];
  lines: InvoiceLineResult[];
  /** True when every header check passed and every line matches. */
  clean: boolean;
}

export interface ReconcileInvoiceInput {
  vendor: string;
  invoice: Invoice;
  /** The vendor's order lines (others are ignored). */
  orderLines: readonly OrderLineSnapshot[];
  /** Invoice numbers already on file for this vendor. */
  knownInvoiceNumbers?: readonly string[];
  settings: ReconcileSettings;
}

const money = formatAmount;
const allowanceAmount = (a: AllowanceOrCharge): Decimal | null =>
  parseDecimal(a.amounts['8'] ?? a.amounts['23'] ?? a.amounts['204'] ?? a.amounts['131'] ?? Object.values(a.amounts)[0]);

/** Unit price and line amount as billed, from whatever the vendor put on the line. */
export function billedLine(line: DocumentLine): { quantity: Decimal | null; unitPrice: Decimal | null; lineAmount: Decimal | null } {
  const quantity = parseDecimal(line.quantities.find((q) => q.qualifier === '47')?.value ?? line.quantities.find((q) => q.qualifier === '12')?.value);
  const net = parseDecimal(line.prices.find((p) => p.qualifier === 'AAA')?.amount);
  const amount = parseDecimal(line.amounts['203']);
  const anyPrice = parseDecimal(line.prices.find((p) => parseDecimal(p.amount) !== null)?.amount);
  let unitPrice = net;
  // Without a net price the line amount is what is charged per copy (Brodart lists PRI+INV list prices, Harrassowitz folds a service charge into MOA+203).
  if (unitPrice === null && amount !== null && quantity !== null) unitPrice = div(amount, quantity, Math.max(amount.scale, 2) + 2);
  unitPrice ??= anyPrice;
  const lineAmount = amount ?? (quantity !== null && unitPrice !== null ? mul(quantity, unitPrice) : null);
  return { quantity, unitPrice, lineAmount };
}

function withinTolerance(billed: Decimal, agreed: Decimal, tolerance: ReconcileSettings['priceTolerance']): boolean {
  const diff = abs(sub(billed, agreed));
  const absolute = parseDecimal(tolerance?.absolute) ?? ZERO;
  if (compare(diff, absolute) <= 0) return true;
  const percent = parseDecimal(tolerance?.percent);
  return percent !== null && compare(mul(diff, { units: 100n, scale: 0 }), mul(abs(agreed), percent)) <= 0;
}

/**
 * Reconciles one invoice message against the vendor's order lines: each line is matched (RFF+LI,
 * then other references, then identifiers) and given verdicts; the header is checked against the
 * lines, the invoice numbers on file and the currency. Pure: the caller loads the order lines and
 * stores the outcome.
 */
export function reconcileInvoice(input: ReconcileInvoiceInput): InvoiceReconciliation {
  const { invoice, settings } = input;
  const orderLines = input.orderLines.filter((o) => o.vendor === input.vendor);
  const invoicedHere = new Map<OrderLineId, number>();
  // Lines carrying our own order-line reference claim their order lines first, so a line matched
  // only by ISBN cannot take the quantity a referenced line of the same invoice is for.
  const referenced = new Set(orderLines.map((o) => o.lineReference?.trim().toUpperCase()).filter((r) => r));
  const order = invoice.lines.map((_, i) => i);
  const strong = (i: number): boolean => referenced.has(invoice.lines[i]!.orderLineReference?.trim().toUpperCase());
  const results: InvoiceLineResult[] = [];
  for (const i of [...order.filter(strong), ...order.filter((i) => !strong(i))]) {
    results[i] = reconcileLine(invoice.lines[i]!, i + 1, invoice, orderLines, invoicedHere, settings);
  }
  const lines = results;

  const linesTotal = sum(lines.map((l) => parseDecimal(l.lineAmount) ?? ZERO));
  const alcs = invoice.allowancesAndCharges.filter((a) => a.section !== 'line');
  const charges = sum(alcs.filter((a) => a.kind === 'C').map((a) => allowanceAmount(a) ?? ZERO));
  const allowances = sum(alcs.filter((a) => a.kind === 'A').map((a) => allowanceAmount(a) ?? ZERO));
  const taxText = invoice.totals['124'] ?? invoice.totals['176'] ?? invoice.taxes.map((t) => t.amounts['124'] ?? t.amounts['176']).find((v) => v !== undefined);
  const tax = parseDecimal(taxText);
  const tolerance = parseDecimal(settings.totalTolerance) ?? ZERO;
  const close = (a: Decimal, b: Decimal): boolean => compare(abs(sub(a, b)), tolerance) <= 0;

  const header: HeaderCheck[] = [];
  if (invoice.lines.length === 0) header.push({ code: 'no-lines', ok: false, detail: 'the invoice has no lines' });
  const statedLines = parseDecimal(invoice.totals['79']);
  if (statedLines !== null) {
    const ok = close(statedLines, linesTotal);
    header.push({
      code: 'lines-total', ok, qualifier: '79', stated: invoice.totals['79'], computed: money(linesTotal),
      detail: ok ? 'total of lines (MOA 79) agrees with the lines' : `total of lines (MOA 79) says ${invoice.totals['79']}, the lines add up to ${money(linesTotal)}`,
    });
  }
  const stated = documentTotal(invoice);
  const expected = sub(add(linesTotal, charges), allowances);
  if (stated && stated.qualifier !== '79') {
    const amount = parseDecimal(stated.amount);
    const ok = amount !== null && (close(amount, expected) || (tax !== null && close(amount, add(expected, tax))));
    const computed = money(expected);
    header.push({
      code: 'invoice-total', ok, qualifier: stated.qualifier, stated: stated.amount, computed,
      detail: ok
        ? `invoice total (MOA ${stated.qualifier}) agrees with lines plus charges less allowances`
        : `invoice total (MOA ${stated.qualifier}) says ${stated.amount}; lines ${money(linesTotal)} + charges ${money(charges)} − allowances ${money(allowances)} = ${computed}${tax ? ` (${money(add(expected, tax))} with tax)` : ''}`,
    });
  } else if (!stated) {
    header.push({ code: 'no-total', ok: false, detail: 'the invoice states no total (none of MOA 86, 9, 39, 77, 129, 79)' });
  }
  const number = invoice.documentNumber.trim();
  const duplicate = (input.knownInvoiceNumbers ?? []).some((n) => n.trim().toUpperCase() === number.toUpperCase());
  header.push({
    code: 'duplicate-invoice-number', ok: !duplicate,
    detail: duplicate ? `invoice number ${number} is already on file for this vendor` : `invoice number ${number} is new for this vendor`,
  });
  const currency = settings.currency.toUpperCase();
  if (!invoice.currency) header.push({ code: 'currency-missing', ok: true, detail: `no CUX segment; ${currency} assumed` });
  else {
    const ok = invoice.currency === currency;
    header.push({ code: 'currency-differs', ok, detail: ok ? `billed in ${currency}` : `billed in ${invoice.currency}, orders are in ${currency}` });
  }

  const result: InvoiceReconciliation = {
    vendor: input.vendor, invoiceNumber: number, documentCode: invoice.documentCode, currency: invoice.currency ?? currency,
    linesTotal: money(linesTotal), charges: money(charges), allowances: money(allowances), tax: tax === null ? null : money(tax),
    stated: stated ?? null, header, lines, clean: header.every((h) => h.ok) && lines.every((l) => l.verdicts.every((v) => v.code === 'matches')),
  };
  const date = invoice.dates['137'] ?? invoice.dates['3'];
  if (date) result.invoiceDate = date;
  return result;
}

function reconcileLine(
  line: DocumentLine, position: number, invoice: Invoice, orderLines: readonly OrderLineSnapshot[], invoicedHere: Map<OrderLineId, number>,
  settings: ReconcileSettings,
): InvoiceLineResult {
  const billed = billedLine(line);
  const quantity = billed.quantity === null ? null : wholeNumber(billed.quantity);
  const match: LineMatch | null = matchOrderLine(line, invoice, orderLines, invoicedHere);
  const ids = [...(line.itemId ? [line.itemId.id] : []), ...line.identifiers.map((p) => p.id)];
  const result: InvoiceLineResult = {
    position, lineNumber: line.lineNumber, identifiers: [...new Set(ids)], quantity,
    unitPrice: billed.unitPrice && money(billed.unitPrice), lineAmount: billed.lineAmount && money(billed.lineAmount),
    orderLineId: match?.orderLine.id ?? null, matchedBy: match?.method ?? null, alternatives: match?.alternatives ?? [],
    agreedUnitPrice: match?.orderLine.unitPrice ?? null, verdicts: [],
  };
  if (line.description !== undefined) result.description = line.description;
  if (line.orderLineReference) result.orderLineReference = line.orderLineReference;
  if (line.orderNumber) result.orderNumber = line.orderNumber;
  const v = (code: LineVerdictCode, detail: string): void => { result.verdicts.push({ code, detail }); };

  if (quantity === null || quantity <= 0) v('no-quantity', `invoiced quantity ${billed.quantity ? formatDecimal(billed.quantity) : 'missing'} is not a positive whole number`);
  const net = parseDecimal(line.prices.find((p) => p.qualifier === 'AAA')?.amount);
  const amount = parseDecimal(line.amounts['203']);
  if (net !== null && amount !== null && billed.quantity !== null) {
    // The vendor rounds the line amount to its own decimals: 3 × 3.333 billed as 10.00 is consistent.
    const extended = div(mul(net, billed.quantity), { units: 1n, scale: 0 }, Math.max(amount.scale, 2))!;
    if (!withinTolerance(amount, extended, settings.priceTolerance)) {
      v('line-amount-inconsistent', `line amount ${line.amounts['203']} is not quantity ${formatDecimal(billed.quantity)} × net price ${formatDecimal(net)}`);
    }
  }
  if (!match) {
    v('not-ordered', 'no order line matches this line (by order-line reference, other references or identifiers)');
    return result;
  }
  const o = match.orderLine;
  const q = quantity ?? 0;
  if (o.status === 'cancelled') v('order-line-cancelled', `order line ${o.id} was cancelled`);
  const earlier = invoicedHere.get(o.id) ?? 0;
  invoicedHere.set(o.id, earlier + q);
  const remaining = o.quantityOrdered - o.quantityInvoiced - earlier;
  if (remaining <= 0) {
    v('already-invoiced', `all ${o.quantityOrdered} ordered were invoiced already${earlier ? ` (${earlier} earlier on this invoice)` : ''}`);
  } else if (q > 0 && q < remaining) {
    v('quantity-short', `invoiced ${q}, ${remaining} of ${o.quantityOrdered} ordered still to invoice`);
  } else if (q > remaining) {
    v('quantity-over', `invoiced ${q}, only ${remaining} of ${o.quantityOrdered} ordered left to invoice`);
  }
  const receivedNotInvoiced = o.quantityReceived - o.quantityInvoiced - earlier;
  if (remaining > 0 && q > 0 && receivedNotInvoiced < q) {
    v('not-yet-received', o.quantityReceived === 0 ? `invoiced ${q}, none received yet` : `invoiced ${q}, only ${Math.max(receivedNotInvoiced, 0)} received and not yet invoiced`);
  }
  const agreed = parseDecimal(o.unitPrice);
  if (agreed !== null && billed.unitPrice !== null && !withinTolerance(billed.unitPrice, agreed, settings.priceTolerance)) {
    v('price-differs', `unit price ${money(billed.unitPrice)}, agreed ${money(agreed)} (difference ${money(sub(billed.unitPrice, agreed))})`);
  }
  if (result.verdicts.length === 0) v('matches', `matches order line ${o.id}`);
  return result;
}
