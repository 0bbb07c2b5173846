import type { Order } from '@carrel/edifact';
import { orderLinesFromOrder } from './orders.js';
import { documentOf, ediMessage } from './spec-helpers.test.js';

describe('order lines from an ORDERS message', () => {
  it('references, identifiers, quantity, price, fund and branches per copy', () => {
    const order = documentOf<Order>(ediMessage('ORDERS', [
      'BGM+220+PO-9+9', 'CUX+2:EUR:9',
      'LIN+1++9780198526636:EN', 'PIA+5+0198526636:IB+V-77:SA', 'PIA+1+4711:IN', 'IMD+L+050+:::Statistics', 'QTY+21:2', 'PRI+AAE:20.00', 'RFF+LI:9/1', 'RFF+BFN:ADULT',
      'GIR+001+MAIN:LLO', 'GIR+002+EAST:LLO',
      'LIN+2', 'QTY+21:1', 'LOC+7+NORTH', 'RFF+LI:9/2', 'GIR+001+CHILD:LFN',
    ]));
    expect(orderLinesFromOrder(order, 'V')).toEqual([
      {
        id: '9/1', vendor: 'V', orderNumber: 'PO-9', lineNumber: '1', lineReference: '9/1', identifiers: ['9780198526636', '0198526636'], vendorReference: 'V-77',
        title: 'Statistics', quantityOrdered: 2, quantityReceived: 0, quantityInvoiced: 0, unitPrice: '20.00', fund: 'ADULT', branches: ['MAIN', 'EAST'],
        status: 'ordered', problems: [],
      },
      {
        id: '9/2', vendor: 'V', orderNumber: 'PO-9', lineNumber: '2', lineReference: '9/2', identifiers: [], quantityOrdered: 1, quantityReceived: 0,
        quantityInvoiced: 0, fund: 'CHILD', branches: ['NORTH'], status: 'ordered', problems: [],
      },
    ]);
  });

  it('a line without RFF+LI or a usable quantity is kept, with its problems', () => {
    const order = documentOf<Order>(ediMessage('ORDERS', ['BGM+220+PO-10+9', 'LIN+1', 'QTY+21:1.5', 'LIN+2']));
    expect(orderLinesFromOrder(order, 'V').map((l) => [l.id, l.quantityOrdered, l.problems])).toEqual([
      ['PO-10#1', 0, ['line 1: ordered quantity "1.5" is not a whole number', 'line 1: no order-line reference (RFF+LI); the vendor cannot echo one back']],
      ['PO-10#2', 0, ['line 2: ordered quantity missing is not a whole number', 'line 2: no order-line reference (RFF+LI); the vendor cannot echo one back']],
    ]);
  });
});
