import { csvText, reconciliationCsv } from './csv.js';
import type { InvoiceReconciliation } from './invoice.js';

describe('reconciliation CSV', () => {
  it('quotes commas, quotes, line breaks and edge blanks; defuses formulas in text', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', ' lead', 'trail ', '=HYPERLINK("x")', '+1', '-2', '@sum', '', null, 7].map(csvText)).toEqual([
      'plain', '"a,b"', '"say ""hi"""', '"two\nlines"', '" lead"', '"trail "', `"'=HYPERLINK(""x"")"`, "'+1", "'-2", "'@sum", '', '', '7',
    ]);
  });

  it('one row per line and per header check, CRLF, negative amounts left as numbers', () => {
    const report: InvoiceReconciliation = {
      vendor: 'V', invoiceNumber: 'INV,9', documentCode: '381', currency: 'GBP', linesTotal: '-5.00', charges: '0.00', allowances: '0.00', tax: null,
      stated: { qualifier: '86', amount: '-5.00' },
      header: [{ code: 'invoice-total', ok: true, qualifier: '86', stated: '-5.00', computed: '-5.00', detail: 'ok' }],
      lines: [{
        position: 1, lineNumber: '1', description: 'Title, with "quotes"\r\nand a break', identifiers: ['9780198526636'], quantity: 1, unitPrice: '-5.00',
        lineAmount: '-5.00', orderLineId: 42, matchedBy: 'line-reference', orderLineReference: '=1+1', alternatives: [], agreedUnitPrice: '5.00',
        verdicts: [{ code: 'price-differs', detail: 'unit price -5.00, agreed 5.00' }],
      }],
      clean: false,
    };
    const csv = reconciliationCsv(report);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n').slice(1, 3)).toEqual([
      `"INV,9",1,1,'=1+1,,9780198526636,"Title, with ""quotes""`,
      `and a break",1,-5.00,-5.00,42,line-reference,5.00,price-differs,"unit price -5.00, agreed 5.00"`,
    ]);
    expect(csv.split('\r\n')[3]).toBe('"INV,9",,header,,,,,,,-5.00,,,,invoice-total ok,ok');
    expect(csv.split('\r\n')[0]).toBe('invoice,position,line,order line reference,order number,identifiers,description,quantity,unit price,line amount,order line,matched by,agreed unit price,verdicts,details');
  });
});
