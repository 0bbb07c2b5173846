import { mapInvoice, mapOrderResponse, parseEdifact, type OrderResponse } from '@carrel/edifact';
import { applyOrderResponse, ORDER_RESPONSE_REASONS } from './order-response.js';
import { reconcileInvoice } from './invoice.js';
import { documentOf, documentsOf, ediMessage, orderLine } from './spec-helpers.test.js';

const response = (segments: string[]): OrderResponse => documentOf<OrderResponse>(ediMessage('ORDRSP', ['BGM+231+R-1+4', ...segments]));

describe('applying an order response', () => {
  const a = orderLine({ orderNumber: 'PO5', lineReference: '5/1', quantityOrdered: 3 });
  const b = orderLine({ orderNumber: 'PO5', lineReference: '5/2', quantityOrdered: 2 });

  it('accepted, back-ordered with quantity and date, cancelled with a coded or free-text reason', () => {
    const r = applyOrderResponse(response([
      'LIN+1+5', 'QTY+21:3', 'PRI+AAA:9.99', 'RFF+LI:5/1',
      'LIN+2+24', 'QTY+21:2', 'QTY+83:2', 'DTM+69:20240601:102', 'FTX+LIN+++Reprinting in June', 'RFF+LI:5/2',
    ]), [a, b]);
    expect(r.updates).toEqual([
      { position: 1, lineNumber: '1', orderLineId: a.id, matchedBy: 'line-reference', orderLineReference: '5/1', status: 'accepted', action: '5', quantityOrdered: 3, unitPrice: '9.99', substitutes: [], problems: [] },
      {
        position: 2, lineNumber: '2', orderLineId: b.id, matchedBy: 'line-reference', orderLineReference: '5/2', status: 'back-ordered', action: '24',
        quantityOrdered: 2, quantityBackOrdered: 2, expectedDate: '2024-06-01', reason: { text: 'Reprinting in June' }, substitutes: [], problems: [],
      },
    ]);
    const c = applyOrderResponse(response(['LIN+1+2', 'FTX+LIN++WS:8B', 'RFF+LI:5/1', 'LIN+2+10', 'FTX+LIN++ZZ:8B', 'RFF+LI:5/2']), [a, b]);
    expect(c.updates.map((u) => [u.status, u.reason, u.problems])).toEqual([
      ['cancelled', { code: 'WS', codeList: '8B', text: ORDER_RESPONSE_REASONS.WS }, []],
      ['cancelled', { code: 'ZZ', codeList: '8B', text: 'ZZ' }, ['the vendor does not know this title']],
    ]);
  });

  it('quantities that disagree with the order line are problems; unknown lines come back unmatched', () => {
    const r = applyOrderResponse(response(['LIN+1+24', 'QTY+21:4', 'QTY+83:9', 'RFF+LI:5/1', 'LIN+2+5', 'QTY+21:1', 'RFF+LI:9/9']), [a, b]);
    expect(r.updates[0]!.problems).toEqual(['the response says 4 ordered, the order line 3', 'back-ordered 9, more than the 3 ordered']);
    expect(r.unmatched.map((u) => [u.lineNumber, u.orderLineId, u.problems])).toEqual([['2', null, ['no order line matches this response line']]]);
  });

  it('a header-only response accepting the whole order (function 29); other orders untouched, cancelled lines stay cancelled', () => {
    const gone = orderLine({ orderNumber: 'PO5', status: 'cancelled' });
    const elsewhere = orderLine({ orderNumber: 'PO6' });
    const r = applyOrderResponse(documentOf<OrderResponse>(ediMessage('ORDRSP', ['BGM+231+R-2+29', 'RFF+ON:PO5'])), [a, b, gone, elsewhere]);
    expect(r.updates.map((u) => [u.orderLineId, u.status, u.matchedBy])).toEqual([[a.id, 'accepted', 'order-number'], [b.id, 'accepted', 'order-number']]);
    expect(applyOrderResponse(documentOf<OrderResponse>(ediMessage('ORDRSP', ['BGM+231+R-3+4', 'RFF+ON:PO5'])), [a, b]).updates).toEqual([]);
  });

  it('hostile and broken input: truncated file, garbage quantities, huge numbers, wrong message type', () => {
    const text = ediMessage('ORDRSP', ['BGM+231+R-4+4', 'LIN+1+24', 'QTY+21:three', 'QTY+83:1e9', `DTM+44:${'9'.repeat(50)}`, 'RFF+LI:5/1', 'LIN+2+5', 'RFF+LI:5/2']);
    const truncated = parseEdifact(text.slice(0, text.indexOf('LIN+2')));
    expect(truncated.warnings.length).toBeGreaterThan(0);
    const [doc] = documentsOf(truncated) as OrderResponse[];
    const r = applyOrderResponse(doc!, [a, b]);
    expect(r.updates.map((u) => [u.orderLineId, u.status, u.quantityOrdered, u.quantityBackOrdered, u.expectedDate])).toEqual([[a.id, 'accepted', undefined, undefined, '9'.repeat(50)]]);
    const invoiceMessage = parseEdifact(ediMessage('INVOIC', ['BGM+380+X'])).interchanges[0]!.messages[0]!;
    expect(() => mapOrderResponse(invoiceMessage)).toThrow('expected a ORDRSP message, got INVOIC');
    // an ORDRSP handed to invoice reconciliation still gives a report (its lines have no invoiced quantity)
    const asInvoice = reconcileInvoice({ vendor: 'V1', invoice: { ...response(['LIN+1+5', 'RFF+LI:5/1']), messageType: 'INVOIC' }, orderLines: [a], settings: { currency: 'EUR' } });
    expect(asInvoice.lines[0]!.verdicts.map((v) => v.code)).toContain('no-quantity');
    expect(mapInvoice(invoiceMessage).documentNumber).toBe('X');
  });
});
