// Invoice reconciliation on small invoices of our own: each way of matching, each verdict, each header check, bad input.
import { mapInvoice, parseEdifact, type Invoice } from '@carrel/edifact';
import { reconcileInvoice, type ReconcileSettings } from './invoice.js';
import { matchOrderLine, productKey } from './order-lines.js';
import { documentOf, ediMessage, orderLine } from './spec-helpers.test.js';

const invoice = (segments: string[]): Invoice => documentOf<Invoice>(ediMessage('INVOIC', ['BGM+380+T-1+9', 'CUX+2:EUR:4', ...segments]));
const settings: ReconcileSettings = { currency: 'EUR' };
const run = (inv: Invoice, lines = [orderLine()], s = settings, known: string[] = []) =>
  reconcileInvoice({ vendor: 'V1', invoice: inv, orderLines: lines, knownInvoiceNumbers: known, settings: s });
const codes = (r: ReturnType<typeof run>): string[][] => r.lines.map((l) => l.verdicts.map((v) => v.code));

describe('matching invoice lines to order lines', () => {
  const byRef = orderLine({ lineReference: '7/1', identifiers: ['9780198526636'], unitPrice: '10.00', quantityReceived: 1 });
  const byIsbn = orderLine({ orderNumber: 'PO9', identifiers: ['0-19-852663-6'], unitPrice: '10.00', quantityReceived: 1 });

  it('RFF+LI first, even when the ISBN points elsewhere', () => {
    const r = run(invoice(['LIN+1++9780198526636:EN', 'QTY+47:1', 'PRI+AAA:10', 'RFF+LI:7/1']), [byIsbn, byRef]);
    expect(r.lines[0]).toMatchObject({ orderLineId: byRef.id, matchedBy: 'line-reference' });
  });

  it('references are compared without case or edge blanks; an unknown RFF+LI falls back to identifiers', () => {
    expect(run(invoice(['LIN+1', 'QTY+47:1', 'RFF+LI: 7/1 ']), [byRef]).lines[0]!.matchedBy).toBe('line-reference');
    const r = run(invoice(['LIN+1', 'PIA+5+0198526636:IB', 'QTY+47:1', 'RFF+LI:nope']), [byRef]);
    expect(r.lines[0]).toMatchObject({ orderLineId: byRef.id, matchedBy: 'identifier' });
  });

  it('order number + supplier line, subscription, vendor reference, then identifiers within the order', () => {
    const sli = orderLine({ orderNumber: 'PO2', supplierLineReference: 'S-9' });
    const sna = orderLine({ subscriptionNumber: 'SUB-1' });
    const sa = orderLine({ vendorReference: '99986226605' });
    const other = orderLine({ orderNumber: 'PO1', identifiers: ['9780198526636'] });
    const inOrder = orderLine({ orderNumber: 'PO9', identifiers: ['9780198526636'] });
    const all = [sli, sna, sa, other, inOrder];
    const inv = invoice([
      'RFF+ON:PO2', 'LIN+1', 'QTY+47:1', 'RFF+SLI:S-9',
      'LIN+2', 'QTY+47:1', 'RFF+SNA:sub-1',
      'LIN+3', 'PIA+1+99986226605:SA', 'QTY+47:1',
      'LIN+4++9780198526636:EN', 'QTY+47:1', 'RFF+ON:PO9',
      'LIN+5++9780198526636:EN', 'QTY+47:1',
      'LIN+6++9999999999999:EN', 'QTY+47:1',
    ]);
    const r = run(inv, all);
    expect(r.lines.map((l) => [l.orderLineId, l.matchedBy])).toEqual([
      [sli.id, 'order-and-supplier-line'], [sna.id, 'subscription'], [sa.id, 'vendor-reference'], [inOrder.id, 'identifier'], [other.id, 'identifier'], [null, null],
    ]);
  });

  it('two lines for one title go to two order lines; alternatives are listed', () => {
    const a = orderLine({ identifiers: ['9780198526636'], quantityReceived: 1 });
    const b = orderLine({ identifiers: ['9780198526636'], quantityReceived: 1 });
    const r = run(invoice(['LIN+1++9780198526636:EN', 'QTY+47:1', 'LIN+2++9780198526636:EN', 'QTY+47:1']), [a, b]);
    expect(r.lines.map((l) => [l.orderLineId, l.alternatives])).toEqual([[a.id, [b.id]], [b.id, [a.id]]]);
    expect(codes(r)).toEqual([['matches'], ['matches']]);
  });

  it('other vendors\' order lines are never matched', () => {
    const theirs = orderLine({ vendor: 'V2', lineReference: '7/1' });
    expect(run(invoice(['LIN+1', 'QTY+47:1', 'RFF+LI:7/1']), [theirs]).lines[0]!.verdicts[0]!.code).toBe('not-ordered');
  });

  it('product keys: ISBN-10/13 alike, ISSN, other EANs as digits, junk none', () => {
    expect(['0-19-852663-6', '9780198526636', '0378-5955', '5012345678900', '00000000', '0000-0000', '0000000000', 'ABC', '12'].map(productKey)).toEqual([
      '9780198526636', '9780198526636', '0378-5955', '5012345678900', null, null, null, null, null,
    ]);
    const inv = invoice(['LIN+1++0000000:EN', 'PIA+5+0378-5955:IS+X1:SA+12345678:IN', 'PIA+3+0198526636:IB', 'QTY+47:1']);
    expect(matchOrderLine(inv.lines[0]!, inv, [orderLine({ identifiers: ['03785955'] })])?.method).toBe('identifier');
    // a substitute (PIA function 3) or the buyer's own number (IN) is not the ordered product
    expect(matchOrderLine(inv.lines[0]!, inv, [orderLine({ identifiers: ['9780198526636', '12345678'] })])).toBeNull();
  });
});

describe('line verdicts', () => {
  const ordered = (fields = {}) => orderLine({ lineReference: 'L', quantityOrdered: 4, quantityReceived: 4, unitPrice: '10.00', ...fields });
  const line = (q: string, price: string, amount?: string): Invoice =>
    invoice(['LIN+1', `QTY+47:${q}`, `PRI+AAA:${price}`, ...(amount ? [`MOA+203:${amount}`] : []), 'RFF+LI:L']);

  it('matches; quantity short and over; price beyond tolerance', () => {
    expect(codes(run(line('4', '10.00', '40.00'), [ordered()]))).toEqual([['matches']]);
    expect(codes(run(line('3', '10.00'), [ordered()]))).toEqual([['quantity-short']]);
    const over = run(line('5', '10.00'), [ordered()]);
    expect(codes(over)).toEqual([['quantity-over', 'not-yet-received']]);
    expect(over.lines[0]!.verdicts[0]!.detail).toBe('invoiced 5, only 4 of 4 ordered left to invoice');
    expect(codes(run(line('4', '10.06'), [ordered()], { currency: 'EUR', priceTolerance: { absolute: '0.05' } }))).toEqual([['price-differs']]);
    expect(codes(run(line('4', '10.05'), [ordered()], { currency: 'EUR', priceTolerance: { absolute: '0.05' } }))).toEqual([['matches']]);
    expect(codes(run(line('4', '10.50'), [ordered()], { currency: 'EUR', priceTolerance: { percent: '5' } }))).toEqual([['matches']]);
    expect(codes(run(line('4', '10.51'), [ordered()], { currency: 'EUR', priceTolerance: { percent: '5' } }))).toEqual([['price-differs']]);
    expect(codes(run(line('4', '9.00'), [ordered()]))).toEqual([['price-differs']]);
    expect(codes(run(line('4', '10.00'), [ordered({ unitPrice: undefined })]))).toEqual([['matches']]);
  });

  it('not yet received, already invoiced, cancelled', () => {
    expect(run(line('4', '10.00'), [ordered({ quantityReceived: 0 })]).lines[0]!.verdicts).toEqual([{ code: 'not-yet-received', detail: 'invoiced 4, none received yet' }]);
    expect(codes(run(line('2', '10.00'), [ordered({ quantityReceived: 4, quantityInvoiced: 2 })]))).toEqual([['matches']]);
    expect(run(line('1', '10.00'), [ordered({ quantityInvoiced: 4 })]).lines[0]!.verdicts).toEqual([{ code: 'already-invoiced', detail: 'all 4 ordered were invoiced already' }]);
    expect(codes(run(line('4', '10.00'), [ordered({ status: 'cancelled' })]))).toEqual([['order-line-cancelled']]);
  });

  it('inconsistent line amount; unit price from the amount when there is no net price', () => {
    expect(codes(run(line('4', '10.00', '400.00'), [ordered()]))).toEqual([['line-amount-inconsistent']]);
    // rounded to the amount's decimals: 3 × 3.333 = 9.999 billed as 10.00
    expect(codes(run(line('3', '3.333', '10.00'), [ordered({ quantityOrdered: 3, unitPrice: '3.333' })]))).toEqual([['matches']]);
    expect(codes(run(line('3', '3.333', '10.01'), [ordered({ quantityOrdered: 3, unitPrice: '3.333' })]))).toEqual([['line-amount-inconsistent']]);
    const r = run(invoice(['LIN+1', 'QTY+47:3', 'PRI+AAB:12.00', 'MOA+203:30.00', 'RFF+LI:L']), [ordered({ quantityOrdered: 3, quantityReceived: 3 })]);
    expect(r.lines[0]).toMatchObject({ unitPrice: '10.00', lineAmount: '30.00', verdicts: [{ code: 'matches' }] });
  });

  it('bad quantities and prices: missing, fractional, zero, text, absurdly long', () => {
    const r = run(invoice([
      'LIN+1', 'PRI+AAA:10', 'RFF+LI:L', 'LIN+2', 'QTY+47:1.5', 'RFF+LI:L', 'LIN+3', 'QTY+47:0', 'RFF+LI:L',
      'LIN+4', 'QTY+47:two', 'PRI+AAA:ten', 'RFF+LI:L', `LIN+5`, `QTY+47:${'9'.repeat(40)}`, `PRI+AAA:${'9'.repeat(40)}`, 'RFF+LI:L',
    ]), [ordered()]);
    expect(r.lines.map((l) => [l.quantity, l.unitPrice, l.verdicts[0]!.code])).toEqual([
      [null, '10.00', 'no-quantity'], [null, null, 'no-quantity'], [0, null, 'no-quantity'], [null, null, 'no-quantity'], [null, null, 'no-quantity'],
    ]);
    expect(r.lines[0]!.verdicts[0]!.detail).toBe('invoiced quantity missing is not a positive whole number');
    expect(r.lines[1]!.verdicts[0]!.detail).toBe('invoiced quantity 1.5 is not a positive whole number');
  });
});

describe('header checks', () => {
  const lines = ['LIN+1', 'QTY+47:2', 'PRI+AAA:10.005', 'MOA+203:20.010', 'RFF+LI:L'];
  const ol = () => orderLine({ lineReference: 'L', quantityOrdered: 2, quantityReceived: 2, unitPrice: '10.005' });

  it('lines, charges and allowances against MOA 79 and 86, three decimals; tax may be included', () => {
    const ok = run(invoice([...lines, 'UNS+S', 'MOA+79:20.01', 'MOA+86:22.510', 'ALC+C++++DL', 'MOA+8:3.5', 'ALC+A++++DI', 'MOA+8:1.000']), [ol()]);
    expect(ok.header.filter((h) => !h.ok)).toEqual([]);
    expect(ok).toMatchObject({ linesTotal: '20.01', charges: '3.50', allowances: '1.00', clean: true });
    const withTax = run(invoice([...lines, 'UNS+S', 'MOA+9:21.01', 'TAX+7+VAT+++:::5+S', 'MOA+124:1.00']), [ol()]);
    expect(withTax.header.find((h) => h.code === 'invoice-total')).toMatchObject({ ok: true, qualifier: '9' });
    const bad = run(invoice([...lines, 'UNS+S', 'MOA+79:20.02', 'MOA+86:20.02']), [ol()]);
    expect(bad.header.filter((h) => !h.ok).map((h) => [h.code, h.stated, h.computed])).toEqual([['lines-total', '20.02', '20.01'], ['invoice-total', '20.02', '20.01']]);
    const tolerant = run(invoice([...lines, 'UNS+S', 'MOA+86:20.02']), [ol()], { currency: 'EUR', totalTolerance: '0.01' });
    expect(tolerant.header.every((h) => h.ok)).toBe(true);
  });

  it('a stated total that is not a number fails; no total at all is reported', () => {
    expect(run(invoice([...lines, 'UNS+S', 'MOA+86:lots']), [ol()]).header.find((h) => h.code === 'invoice-total')!.ok).toBe(false);
    expect(run(invoice(lines), [ol()]).header.find((h) => h.code === 'no-total')!.ok).toBe(false);
  });

  it('duplicate invoice number (any case, edge blanks), currency differs or is missing', () => {
    const r = run(invoice([...lines, 'UNS+S', 'MOA+86:20.01']), [ol()], { currency: 'usd' }, ['x', ' t-1 ']);
    expect(r.header.filter((h) => !h.ok).map((h) => h.detail)).toEqual(['invoice number T-1 is already on file for this vendor', 'billed in EUR, orders are in USD']);
    const noCux = mapInvoice(parseEdifact(ediMessage('INVOIC', ['BGM+380+T-2', ...lines, 'UNS+S', 'MOA+86:20.01'])).interchanges[0]!.messages[0]!);
    const n = run(noCux, [ol()]);
    expect(n.header.find((h) => h.code === 'currency-missing')).toEqual({ code: 'currency-missing', ok: true, detail: 'no CUX segment; EUR assumed' });
    expect(n.currency).toBe('EUR');
  });

  it('an invoice with no lines', () => {
    const r = run(invoice(['UNS+S', 'MOA+86:0']), []);
    expect(r.header.filter((h) => !h.ok).map((h) => h.code)).toEqual(['no-lines']);
    expect(r.clean).toBe(false);
  });
});
