// Message mappers on small hand-written messages (EDItEUR library guidelines, D96A).
import {
  EdifactMessageTypeError, documentTotal, mapDespatchAdvice, mapInvoice, mapOrderResponse, mapQuote, mapTradeMessage, parseEdifact,
  lineActionName, partyOf, priceOf, quantityOf, sumAmounts, type EdifactMessage,
} from '../src/index.js';

const message = (type: string, body: string): EdifactMessage => {
  const file = parseEdifact(`UNA:+.? 'UNB+UNOC:3+S+R+240101:1200+X'UNH+M1+${type}:D:96A:UN:EAN008'${body}UNT+2+M1'UNZ+1+X'`);
  return file.interchanges[0]!.messages[0]!;
};

const INVOICE = [
  "BGM+380+INV-77+9'", "DTM+137:20240105:102'", "DTM+131:20240104:102'",
  "NAD+SU+5013546027173::9++Books ?+ Co:Ltd'", "NAD+BY+1234567::31B'", "CUX+2:gbp:4'",
  "ALC+C++++DL::28:Delivery'", "MOA+8:4.500'", "PCD+3:10'",
  "LIN+1++9780306406157:EN'", "PIA+5+0306406152:IB+12-AB:SA'", "IMD+L+050+:::The pleasures of:  EDIFACT'", "IMD+L+009+:::Smith, J.'",
  "QTY+47:2'", "QTY+21:3'",
  "GIR+001+34000001:LAC+MAIN:LLO+ADULT:LFN'", "GIR+001+FIC:LST+823 SMI:LSM'", "GIR+002+34000002:LAC+BR2:LLO+ADULT:LFN+BB:LVC+Cover?: film:LVT'",
  "MOA+203:19.980'", "MOA+52:2.00'", "PRI+AAA:9.990:CA'", "PRI+AAB:10.99'", "RFF+LI:77/1'", "RFF+ON:PO77'",
  "TAX+7+VAT+++:::5+S'", "MOA+124:1.00'", "ALC+A++++DI::28'", "PCD+3:15'", "MOA+8:2.00'",
  "FTX+LIN+++first part :second part'",
  "LIN+2++9780000000002:EN'", "QTY+47:1'", "MOA+203:5.00'", "PRI+AAA:5.00'", "RFF+SLI:S-2'", "RFF+SNA:SUB9'", "RFF+BFN:FUND1'",
  "UNS+S'", "CNT+2:2'", "MOA+79:24.980'", "MOA+86:30.480'", "ALC+C++++PP'", "MOA+8:1.000'", "TAX+7+VAT+++:::5+S'", "MOA+124:1.00'",
].join('');

describe('invoice mapping', () => {
  const inv = mapInvoice(message('INVOIC', INVOICE));

  it('header: BGM, dates by qualifier, parties, currency, charges', () => {
    expect(inv).toMatchObject({ messageType: 'INVOIC', messageReference: 'M1', documentCode: '380', documentNumber: 'INV-77', function: '9', currency: 'GBP' });
    expect(inv.dates).toEqual({ '137': '20240105', '131': '20240104' });
    expect(partyOf(inv, 'SU')).toEqual({ qualifier: 'SU', id: '5013546027173', codeList: '9', name: 'Books + Co Ltd' });
    expect(partyOf(inv, 'BY')).toEqual({ qualifier: 'BY', id: '1234567', codeList: '31B' });
    expect(inv.allowancesAndCharges[0]).toEqual({ kind: 'C', code: 'DL', description: 'Delivery', amounts: { '8': '4.500' }, percentages: { '3': '10' }, taxes: [], section: 'header' });
    expect(inv.amounts).toEqual({});
  });

  it('lines: identifiers, descriptions, quantities, prices, amounts, references', () => {
    const [l1, l2] = inv.lines;
    expect(l1).toMatchObject({ lineNumber: '1', itemId: { id: '9780306406157', type: 'EN' }, orderLineReference: '77/1', orderNumber: 'PO77' });
    expect(l1!.identifiers).toEqual([{ function: '5', id: '0306406152', type: 'IB' }, { function: '5', id: '12-AB', type: 'SA' }]);
    expect(l1!.description).toBe('The pleasures of  EDIFACT Smith, J.');
    expect([quantityOf(l1!, '47'), quantityOf(l1!, '21'), quantityOf(l1!, '83')]).toEqual(['2', '3', undefined]);
    expect(priceOf(l1!, 'AAA')).toEqual({ qualifier: 'AAA', amount: '9.990', type: 'CA' });
    expect(l1!.amounts).toEqual({ '203': '19.980', '52': '2.00', '124': '1.00' });
    expect(l1!.taxes).toEqual([{ function: '7', type: 'VAT', rate: '5', category: 'S', amounts: { '124': '1.00' } }]);
    expect(l1!.allowancesAndCharges).toEqual([{ kind: 'A', code: 'DI', amounts: { '8': '2.00' }, percentages: { '3': '15' }, taxes: [], section: 'line' }]);
    expect(l1!.freeText).toEqual([{ subject: 'LIN', text: 'first part second part' }]);
    expect(l2).toMatchObject({ supplierLineReference: 'S-2', subscriptionNumber: 'SUB9', fundReference: 'FUND1' });
    expect(l2!.orderLineReference).toBeUndefined();
  });

  it('copies: the same copy number continues the copy', () => {
    const copies = inv.lines[0]!.copies;
    expect(copies).toHaveLength(2);
    expect(copies[0]).toEqual({
      copyNumber: '001', barcode: '34000001', branch: 'MAIN', fund: 'ADULT', itemType: 'FIC', shelfmark: '823 SMI', servicingCodes: [], servicingTexts: [],
      fields: [
        { qualifier: 'LAC', value: '34000001' }, { qualifier: 'LLO', value: 'MAIN' }, { qualifier: 'LFN', value: 'ADULT' },
        { qualifier: 'LST', value: 'FIC' }, { qualifier: 'LSM', value: '823 SMI' },
      ],
    });
    expect(copies[1]).toMatchObject({ copyNumber: '002', branch: 'BR2', servicingCodes: ['BB'], servicingTexts: ['Cover: film'] });
  });

  it('summary: totals, control counts and summary charges; amounts stay decimal strings', () => {
    expect(inv.totals).toEqual({ '79': '24.980', '86': '30.480' });
    expect(inv.controlTotals).toEqual({ '2': '2' });
    expect(inv.allowancesAndCharges[1]).toMatchObject({ kind: 'C', code: 'PP', amounts: { '8': '1.000' }, section: 'summary' });
    // TAX after ALC is the charge's own tax (D96A SG21 inside SG15/SG50).
    expect(inv.allowancesAndCharges[1]!.taxes).toEqual([{ function: '7', type: 'VAT', rate: '5', category: 'S', amounts: { '124': '1.00' } }]);
    expect(documentTotal(inv)).toEqual({ qualifier: '86', amount: '30.480' });
    expect(sumAmounts(inv.lines.map((l) => l.amounts['203']))).toBe('24.980');
    expect(sumAmounts(['24.980', '4.500', '1.000'])).toBe(inv.totals['86']);
  });

  it('a decimal comma declared by UNA is read as a point', () => {
    const file = parseEdifact("UNA:+,? 'UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'LIN+1'QTY+47:2'MOA+203:12,50'UNT+5+1'UNZ+1+X'");
    expect(mapInvoice(file.interchanges[0]!.messages[0]!).lines[0]!.amounts['203']).toBe('12.50');
  });
});

describe('other messages', () => {
  it('ORDRSP: action codes, 8B reasons, back-order quantity and date', () => {
    const r = mapOrderResponse(message('ORDRSP', "BGM+231+R1+29'RFF+ON:PO9'LIN+1+2++'FTX+LIN++OP:8B:28'QTY+21:3'RFF+LI:9/1'LIN+2+24+9780000000019:EN'QTY+21:4'QTY+83:4'DTM+44:20240301:102'FTX+LIN++OB:8B:28'RFF+LI:9/2'UNS+S'CNT+2:2'"));
    expect(r.lines.map((l) => [l.action, l.freeText[0]!.code, l.freeText[0]!.codeList, l.orderLineReference])).toEqual([['2', 'OP', '8B', '9/1'], ['24', 'OB', '8B', '9/2']]);
    expect(quantityOf(r.lines[1]!, '83')).toBe('4');
    expect(r.lines[1]!.dates).toEqual({ '44': '20240301' });
    expect(r.references).toEqual([{ qualifier: 'ON', value: 'PO9' }]);
  });

  it('DESADV: despatched quantities and copies with barcodes', () => {
    const d = mapDespatchAdvice(message('DESADV', "BGM+351+ASN1+9'DTM+11:20240110:102'NAD+SU+123::31B'CPS+1'PAC+1++CT'LIN+1++9780000000026:EN'QTY+12:2'RFF+LI:5/1'GIR+001+39000001:LAC+MAIN:LLO'GIR+002+39000002:LAC+MAIN:LLO'UNS+S'CNT+2:1'"));
    expect(d).toMatchObject({ messageType: 'DESADV', documentCode: '351', documentNumber: 'ASN1', dates: { '11': '20240110' } });
    expect(d.lines[0]!.copies.map((c) => c.barcode)).toEqual(['39000001', '39000002']);
    expect(quantityOf(d.lines[0]!, '12')).toBe('2');
  });

  it('QUOTES: quote line references and information prices', () => {
    const q = mapQuote(message('QUOTES', "BGM+31C::28+Q1+9'LIN+1++9780000000033:EN'QTY+1:1'PRI+AAE:16.99:DI'RFF+QLI:Q1-1'"));
    expect(q.lines[0]).toMatchObject({ quoteLineReference: 'Q1-1', prices: [{ qualifier: 'AAE', amount: '16.99', type: 'DI' }] });
  });

  it('a typed mapper refuses another message type; the generic one maps anything', () => {
    const m = message('ORDRSP', "BGM+231+R1+29'");
    expect(() => mapInvoice(m)).toThrow(EdifactMessageTypeError);
    expect(mapTradeMessage(message('OSTENQ', "BGM+220+C1+9'LIN+1'")).lines).toHaveLength(1);
  });

  it('qualifiers named like Object.prototype members are data, not lookups', () => {
    const d = mapTradeMessage(message('ORDRSP', "LIN+1+constructor'GIR+001+x:constructor+y:toString'RFF+toString:1'RFF+__proto__:2'MOA+__proto__:3'"));
    const line = d.lines[0]!;
    expect(lineActionName(line)).toBe('constructor');
    expect(line.copies[0]!.fields).toEqual([{ qualifier: 'constructor', value: 'x' }, { qualifier: 'toString', value: 'y' }]);
    expect(Object.keys(line.copies[0]!)).toEqual(['copyNumber', 'servicingCodes', 'servicingTexts', 'fields']);
    expect(line.references).toEqual([{ qualifier: 'toString', value: '1' }, { qualifier: '__proto__', value: '2' }]);
    expect(Object.keys(line)).not.toContain('undefined');
    expect(Object.getPrototypeOf(line.amounts)).toBe(Object.prototype);
  });

  it('segments outside LIN groups never land on a line; odd segments are tolerated', () => {
    const d = mapTradeMessage(message('INVOIC', "PIA+5+1:IB'IMD+F+BTI+:::x'GIR+001+x:LLO'PRI+AAA:1'MOA+9'BGM'LIN'QTY'RFF'NAD'"));
    expect(d.lines).toEqual([expect.objectContaining({ lineNumber: '', quantities: [{ qualifier: '', value: '' }], references: [{ qualifier: '', value: '' }] })]);
    expect(d.amounts).toEqual({});
  });
});

describe('sumAmounts', () => {
  it('adds decimal strings exactly, keeping the widest scale', () => {
    expect(sumAmounts(['0.1', '0.2'])).toBe('0.3');
    expect(sumAmounts(['7.4', '35.260', '30.180', '4.550', '131.910', '28.4'])).toBe('237.700');
    expect(sumAmounts(['10', '-12.5'])).toBe('-2.5');
    expect(sumAmounts([undefined, '', 'abc', '1'])).toBe('1');
    expect(sumAmounts([])).toBe('0');
    expect(sumAmounts(['.5', '1,25'])).toBe('1.75');
  });
});
