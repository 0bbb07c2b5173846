import { fineListEntry, paidFeeType, sipFeeType, SIP_FEE_TYPES } from './fee-types.js';

describe('fee types', () => {
  it('maps every Carrel fee type to its SIP code, unknown ones to 01', () => {
    expect(sipFeeType('overdue')).toBe('04');
    expect(sipFeeType('lost')).toBe('07');
    expect(sipFeeType('damage')).toBe('03');
    expect(sipFeeType('manual')).toBe('01');
    expect(sipFeeType('credit')).toBe('01');
    expect(sipFeeType('')).toBe('01');
    expect(sipFeeType('__proto__')).toBe('01');
    expect(sipFeeType('constructor')).toBe('01');
    expect(Object.keys(SIP_FEE_TYPES)).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09']);
  });

  it('writes a fine list entry with amount, currency, code and description (the type when none)', () => {
    expect(fineListEntry({ amount: '25.00', currency: 'USD', type: 'lost', description: 'Lost: 39000000000013 Dune' })).toBe('25.00 USD 07 Lost: 39000000000013 Dune');
    expect(fineListEntry({ amount: '0.75', currency: 'CAD', type: 'overdue', description: null })).toBe('0.75 CAD 04 overdue');
  });

  it('reads the fee type a payment names: 01, none and unknown codes mean any fee', () => {
    expect(paidFeeType('07')).toBe('07');
    expect(paidFeeType(' 04 ')).toBe('04');
    for (const code of ['01', '', '  ', null, undefined, '42', 'xx']) expect(paidFeeType(code)).toBeNull();
  });
});
