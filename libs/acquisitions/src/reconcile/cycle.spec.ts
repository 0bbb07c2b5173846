// A whole acquisitions cycle on hand-written messages: order → order response → despatch → invoice,
// with a short shipment, a price difference, an unordered line and the same invoice sent twice.
import { mapDespatchAdvice, mapInvoice, mapOrder, mapOrderResponse, parseEdifact, type DespatchAdvice, type Invoice, type OrderResponse } from '@carrel/edifact';
import { orderLinesFromOrder } from './orders.js';
import { applyDespatchAdvice } from './despatch.js';
import { reconcileInvoice, type InvoiceReconciliation } from './invoice.js';
import { applyOrderResponse } from './order-response.js';
import type { OrderLineSnapshot } from './order-lines.js';
import { reconciliationCsv } from './csv.js';
import { ediMessage } from './spec-helpers.test.js';

const first = (text: string) => {
  const file = parseEdifact(text);
  expect(file.warnings).toEqual([]);
  return file.interchanges[0]!.messages[0]!;
};

const settings = { currency: 'GBP', priceTolerance: { absolute: '0.05', percent: '1' } };

describe('order → order response → despatch → invoice', () => {
  // The order as the data layer would hand it over (Koha-style basket/line references).
  let lines: OrderLineSnapshot[] = [
    { id: 11, vendor: 'BLS', orderNumber: '100', lineReference: '100/1', identifiers: ['978-0-306-40615-7'], title: 'Signal processing', quantityOrdered: 3, quantityReceived: 0, quantityInvoiced: 0, unitPrice: '10.00', status: 'ordered' },
    { id: 12, vendor: 'BLS', orderNumber: '100', lineReference: '100/2', identifiers: ['0-19-852663-6'], title: 'Statistics', quantityOrdered: 2, quantityReceived: 0, quantityInvoiced: 0, unitPrice: '20.00', status: 'ordered' },
    { id: 13, vendor: 'BLS', orderNumber: '100', lineReference: '100/3', identifiers: ['1861972717'], title: 'Out of print', quantityOrdered: 1, quantityReceived: 0, quantityInvoiced: 0, unitPrice: '15.00', status: 'ordered' },
  ];
  const update = (id: number, fields: Partial<OrderLineSnapshot>): void => {
    lines = lines.map((l) => (l.id === id ? { ...l, ...fields } : l));
  };

  it('the order as sent (ORDERS) gives the same order lines', () => {
    const order = mapOrder(first(ediMessage('ORDERS', [
      'BGM+220+100+9', 'CUX+2:GBP:9',
      'LIN+1++9780306406157:EN', 'QTY+21:3', 'PRI+AAA:10.00', 'RFF+LI:100/1',
      'LIN+2++9780198526636:EN', 'QTY+21:2', 'PRI+AAA:20.00', 'RFF+LI:100/2',
      'LIN+3++9781861972712:EN', 'QTY+21:1', 'PRI+AAA:15.00', 'RFF+LI:100/3',
    ], 'O1')));
    const drafts = orderLinesFromOrder(order, 'BLS');
    expect(drafts.map((d) => [d.lineReference, d.orderNumber, d.quantityOrdered, d.unitPrice, d.status])).toEqual(
      lines.map((l) => [l.lineReference, l.orderNumber, l.quantityOrdered, l.unitPrice, l.status]),
    );
  });

  it('the order response accepts line 1, back-orders one copy of line 2 and cancels line 3', () => {
    const response: OrderResponse = mapOrderResponse(first(ediMessage('ORDRSP', [
      'BGM+231+R-100+4', 'DTM+137:20240301:102', 'RFF+ON:100', 'CUX+2:GBP:9',
      'LIN+1+5+9780306406157:EN', 'QTY+21:3', 'RFF+LI:100/1',
      'LIN+2+24+9780198526636:EN', 'QTY+21:2', 'QTY+83:1', 'DTM+44:20240415:102', 'FTX+LIN++OB:8B', 'RFF+LI:100/2',
      'LIN+3+2+9781861972712:EN', 'QTY+21:1', 'FTX+LIN++OP:8B', 'RFF+LI:100/3',
    ], 'R1')));
    const applied = applyOrderResponse(response, lines);
    expect(applied.unmatched).toEqual([]);
    expect(applied.updates.map((u) => [u.orderLineId, u.status, u.quantityBackOrdered, u.expectedDate, u.reason?.text])).toEqual([
      [11, 'accepted', undefined, undefined, undefined],
      [12, 'back-ordered', 1, '2024-04-15', 'out of stock, back-ordered'],
      [13, 'cancelled', undefined, undefined, 'out of print'],
    ]);
    for (const u of applied.updates) update(u.orderLineId as number, { status: u.status });
  });

  it('the despatch brings 2 of 3 copies of line 1 and 1 of 2 of line 2, with barcodes', () => {
    const advice: DespatchAdvice = mapDespatchAdvice(first(ediMessage('DESADV', [
      'BGM+351+D-100+9', 'DTM+137:20240320:102', 'RFF+ON:100',
      'LIN+1++9780306406157:EN', 'QTY+12:2', 'RFF+LI:100/1', 'GIR+001+39000000000013:LAC+MAIN:LLO', 'GIR+002+39000000000021:LAC+EAST:LLO',
      'LIN+2++9780198526636:EN', 'QTY+12:1', 'RFF+LI:100/2', 'GIR+001+39000000000039:LAC+MAIN:LLO+519.5 STA:LSM',
    ], 'D1')));
    const applied = applyDespatchAdvice(advice, lines);
    expect(applied.unmatched).toEqual([]);
    expect(applied.duplicateBarcodes).toEqual([]);
    expect(applied.receipts.map((r) => [r.orderLineId, r.quantityDespatched, r.receivedAfter, r.copies.map((c) => c.barcode), r.problems])).toEqual([
      [11, 2, 2, ['39000000000013', '39000000000021'], []],
      [12, 1, 1, ['39000000000039'], []],
    ]);
    expect(applied.receipts[1]!.copies[0]).toEqual({ copyNumber: '001', barcode: '39000000000039', branch: 'MAIN', callNumber: '519.5 STA' });
    for (const r of applied.receipts) update(r.orderLineId as number, { quantityReceived: r.receivedAfter! });
  });

  const invoiceText = ediMessage('INVOIC', [
    'BGM+380+INV-1+9', 'DTM+137:20240325:102', 'NAD+SU+5013546027173::9', 'CUX+2:GBP:4',
    // billed in full although only 2 arrived
    'LIN+1++9780306406157:EN', 'QTY+47:3', 'MOA+203:30.00', 'PRI+AAA:10.00', 'RFF+LI:100/1',
    // 21.50 where 20.00 was agreed
    'LIN+2++9780198526636:EN', 'QTY+47:1', 'MOA+203:21.50', 'PRI+AAA:21.50', 'RFF+LI:100/2',
    // never ordered
    'LIN+3++9780262033848:EN', 'IMD+L+050+:::Introduction to algorithms', 'QTY+47:1', 'MOA+203:45.00', 'PRI+AAA:45.00',
    'UNS+S', 'CNT+2:3', 'MOA+79:96.50', 'MOA+86:100.50', 'ALC+C++++DL::28:Delivery', 'MOA+8:4.00',
  ], 'I1');
  let first1: InvoiceReconciliation;

  it('the invoice: a short shipment billed in full, a price difference, an unordered line', () => {
    const invoice: Invoice = mapInvoice(first(invoiceText));
    first1 = reconcileInvoice({ vendor: 'BLS', invoice, orderLines: lines, knownInvoiceNumbers: ['INV-0'], settings });
    expect(first1.lines.map((l) => [l.orderLineId, l.matchedBy, l.verdicts.map((v) => v.code)])).toEqual([
      [11, 'line-reference', ['not-yet-received']],
      [12, 'line-reference', ['quantity-short', 'price-differs']],
      [null, null, ['not-ordered']],
    ]);
    expect(first1.lines[0]!.verdicts[0]!.detail).toBe('invoiced 3, only 2 received and not yet invoiced');
    expect(first1.lines[1]!.verdicts[1]!.detail).toBe('unit price 21.50, agreed 20.00 (difference 1.50)');
    expect(first1.header.filter((h) => !h.ok)).toEqual([]);
    expect(first1.header.find((h) => h.code === 'invoice-total')).toMatchObject({ stated: '100.50', computed: '100.50' });
    expect(first1).toMatchObject({ linesTotal: '96.50', charges: '4.00', clean: false });
    const csv = reconciliationCsv(first1).split('\r\n');
    expect(csv[3]).toBe('INV-1,3,3,,,9780262033848,Introduction to algorithms,1,45.00,45.00,,,,not-ordered,"no order line matches this line (by order-line reference, other references or identifiers)"');
    // staff accept the invoice: the data layer records what was invoiced
    update(11, { quantityInvoiced: 3 });
    update(12, { quantityInvoiced: 1 });
  });

  it('the same invoice sent again: duplicate number, lines already invoiced', () => {
    const again = reconcileInvoice({ vendor: 'BLS', invoice: mapInvoice(first(invoiceText)), orderLines: lines, knownInvoiceNumbers: ['INV-0', 'inv-1'], settings });
    expect(again.header.find((h) => h.code === 'duplicate-invoice-number')).toMatchObject({ ok: false, detail: 'invoice number INV-1 is already on file for this vendor' });
    expect(again.lines.map((l) => l.verdicts.map((v) => v.code))).toEqual([
      ['already-invoiced'], ['not-yet-received', 'price-differs'], ['not-ordered'],
    ]);
    expect(again.clean).toBe(false);
  });

  it('a second despatch completes the order and the rest is invoiced cleanly', () => {
    const advice = mapDespatchAdvice(first(ediMessage('DESADV', [
      'BGM+351+D-101+9', 'LIN+1', 'QTY+12:1', 'RFF+LI:100/2', 'GIR+001+39000000000047:LAC',
    ], 'D2')));
    const applied = applyDespatchAdvice(advice, lines);
    expect(applied.receipts.map((r) => [r.orderLineId, r.receivedAfter])).toEqual([[12, 2]]);
    update(12, { quantityReceived: 2 });
    const invoice = mapInvoice(first(ediMessage('INVOIC', [
      'BGM+380+INV-2+9', 'CUX+2:GBP:4', 'LIN+1', 'QTY+47:1', 'MOA+203:20.10', 'PRI+AAA:20.10', 'RFF+LI:100/2', 'UNS+S', 'MOA+86:20.10',
    ], 'I2')));
    const r = reconcileInvoice({ vendor: 'BLS', invoice, orderLines: lines, knownInvoiceNumbers: ['INV-0', 'INV-1'], settings });
    // 20.10 is within 1% of 20.00
    expect(r.lines.map((l) => l.verdicts.map((v) => v.code))).toEqual([['matches']]);
    expect(r.clean).toBe(true);
  });
});
