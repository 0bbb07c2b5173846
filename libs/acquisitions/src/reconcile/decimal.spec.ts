import { abs, add, compare, decimalOf, div, formatAmount, formatDecimal, mul, parseDecimal, sub, sum, wholeNumber, type Decimal } from './decimal.js';

const d = (s: string): Decimal => parseDecimal(s)!;

describe('exact decimals', () => {
  it('parses plain amounts, decimal commas, signs; refuses everything else', () => {
    expect(['12.99', '-3', '.5', '12,99', '+7.000', ' 4 '].map((s) => parseDecimal(s))).toEqual([
      { units: 1299n, scale: 2 }, { units: -3n, scale: 0 }, { units: 5n, scale: 1 }, { units: 1299n, scale: 2 }, { units: 7000n, scale: 3 }, { units: 4n, scale: 0 },
    ]);
    for (const bad of ['', '.', '-', '1.2.3', '1,234.56', '12 EUR', '1e3', 'NaN', '0x10', '١٢', '9'.repeat(31), undefined, null]) expect(parseDecimal(bad)).toBeNull();
  });

  it('adds mixed scales without floats: 0.1 + 0.2 = 0.3, three-decimal amounts', () => {
    expect(formatDecimal(add(d('0.1'), d('0.2')))).toBe('0.3');
    expect(formatDecimal(sum(['7.4', '35.260', '30.180', '4.550', '131.910', '28.4'].map(d)))).toBe('237.700');
    expect(formatDecimal(sub(d('5'), d('7.25')))).toBe('-2.25');
    expect(formatDecimal(mul(d('3.00'), d('1310.00')))).toBe('3930.0000');
    expect(formatDecimal(sum([]))).toBe('0');
  });

  it('divides with half-away-from-zero rounding; division by zero is null', () => {
    expect(formatDecimal(div(d('36.06'), d('2'), 4)!)).toBe('18.0300');
    expect(formatDecimal(div(d('10'), d('3'), 2)!)).toBe('3.33');
    expect(formatDecimal(div(d('2'), d('3'), 2)!)).toBe('0.67');
    expect(formatDecimal(div(d('-2'), d('3'), 2)!)).toBe('-0.67');
    expect(formatDecimal(div(d('1'), d('-8'), 2)!)).toBe('-0.13');
    expect(div(d('1'), d('0.00'), 2)).toBeNull();
  });

  it('compares across scales; formats for people', () => {
    expect([compare(d('35.260'), d('35.26')), compare(d('-1'), d('0.001')), compare(d('2'), d('1.999'))]).toEqual([0, -1, 1]);
    expect(formatDecimal(abs(d('-0.05')), 2)).toBe('0.05');
    expect(['3930.0000', '7.4', '0.125', '-0.50', '100'].map((s) => formatAmount(d(s)))).toEqual(['3930.00', '7.40', '0.125', '-0.50', '100.00']);
    expect(formatDecimal(d('-0.05'))).toBe('-0.05');
  });

  it('whole numbers only from whole quantities', () => {
    expect([wholeNumber(d('3.00')), wholeNumber(d('2.5')), wholeNumber(d('99999999999999999999')), wholeNumber(decimalOf(-4))]).toEqual([3, null, null, -4]);
    expect(() => decimalOf(1.5)).toThrow('not a whole number: 1.5');
  });
});
