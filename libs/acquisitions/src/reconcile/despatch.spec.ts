import type { DespatchAdvice } from '@carrel/edifact';
import { applyDespatchAdvice } from './despatch.js';
import { documentOf, ediMessage, orderLine } from './spec-helpers.test.js';

const advice = (segments: string[]): DespatchAdvice => documentOf<DespatchAdvice>(ediMessage('DESADV', ['BGM+351+D-1+9', 'RFF+ON:PO7', ...segments]));

describe('applying a despatch advice', () => {
  const a = orderLine({ orderNumber: 'PO7', lineReference: '7/1', identifiers: ['9780198526636'], quantityOrdered: 2, quantityReceived: 0 });
  const b = orderLine({ orderNumber: 'PO7', lineReference: '7/2', quantityOrdered: 1, quantityReceived: 1 });

  it('received quantities add up over lines; GIR copies give barcodes, branch, fund, type, collection, call number', () => {
    const r = applyDespatchAdvice(advice([
      'LIN+1++9780198526636:EN', 'QTY+12:1', 'GIR+001+39001:LAC+MAIN:LLO+ADULT:LFN+BOOK:LST+NEW:LSQ+823 SMI:LSM',
      'LIN+2++9780198526636:EN', 'QTY+12:1', 'GIR+001+39002:LAC+EAST:LLO+942 SMI:LCL',
    ]), [a]);
    expect(r.receipts.map((x) => [x.orderLineId, x.matchedBy, x.quantityDespatched, x.receivedAfter, x.problems])).toEqual([
      [a.id, 'identifier', 1, 1, []], [a.id, 'identifier', 1, 2, []],
    ]);
    expect(r.receipts.flatMap((x) => x.copies)).toEqual([
      { copyNumber: '001', barcode: '39001', branch: 'MAIN', fund: 'ADULT', itemType: 'BOOK', collection: 'NEW', callNumber: '823 SMI' },
      { copyNumber: '001', barcode: '39002', branch: 'EAST', callNumber: '942 SMI' },
    ]);
  });

  it('problems: over-receipt, cancelled line, missing or bad quantity, copies that do not add up, no barcode, a barcode twice', () => {
    const cancelled = orderLine({ lineReference: '7/3', status: 'cancelled', quantityOrdered: 1 });
    const r = applyDespatchAdvice(advice([
      'LIN+1', 'QTY+12:1', 'RFF+LI:7/2', 'GIR+001+39003:LAC',
      'LIN+2', 'QTY+12:1', 'RFF+LI:7/3', 'GIR+001+39003:LAC',
      'LIN+3', 'RFF+LI:7/1', 'GIR+001+39004:LAC', 'GIR+002+MAIN:LLO',
      'LIN+4', 'QTY+12:two', 'RFF+LI:7/1', 'GIR+001+39005:LAC',
      'LIN+5', 'QTY+12:3', 'RFF+LI:nope',
    ]), [a, b, cancelled]);
    expect(r.receipts.map((x) => [x.lineNumber, x.quantityDespatched, x.problems])).toEqual([
      ['1', 1, ['received 2 in all, more than the 1 ordered']],
      ['2', 1, [`order line ${cancelled.id} was cancelled`]],
      ['3', 2, ['no despatched quantity (QTY+12); 2 copies counted', 'copy 002 has no barcode (GIR LAC)']],
      ['4', 1, ['despatched quantity "two" is not a whole number; 1 copies counted', 'received 3 in all, more than the 2 ordered']],
    ]);
    expect(r.unmatched.map((x) => [x.lineNumber, x.quantityDespatched, x.problems])).toEqual([['5', 3, ['no order line matches this despatch line']]]);
    expect(r.duplicateBarcodes).toEqual(['39003']);
    const mismatch = applyDespatchAdvice(advice(['LIN+1', 'QTY+12:3', 'RFF+LI:7/1', 'GIR+001+39006:LAC']), [a]);
    expect(mismatch.receipts[0]!.problems).toEqual(['3 despatched but 1 copies described', 'received 3 in all, more than the 2 ordered']);
  });

  it('GIR continuation: the same copy number twice is one copy', () => {
    const r = applyDespatchAdvice(advice(['LIN+1', 'QTY+12:1', 'RFF+LI:7/1', 'GIR+001+39007:LAC', 'GIR+001+MAIN:LLO']), [a]);
    expect(r.receipts[0]!.copies).toEqual([{ copyNumber: '001', barcode: '39007', branch: 'MAIN' }]);
    expect(r.receipts[0]!.problems).toEqual([]);
  });
});
