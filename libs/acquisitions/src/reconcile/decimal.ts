/**
 * Exact decimal arithmetic for money and quantities: a BigInt of units at a given scale
 * (12.345 is { units: 12345n, scale: 3 }). Vendors send two- and three-decimal amounts in the
 * same file ("35.260" beside "7.4"), so the scale follows the data instead of a currency table;
 * floats never touch an amount.
 */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

// Longer numbers are not amounts anyone invoices; refusing them keeps hostile input cheap.
const MAX_DIGITS = 30;

/** "12.99", "-3", ".5", "12,99" (decimal comma) → Decimal; null for anything else. */
export function parseDecimal(text: string | undefined | null): Decimal | null {
  if (text === undefined || text === null) return null;
  const m = /^\s*([+-]?)(\d*)(?:[.,](\d*))?\s*$/.exec(text);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  if (int.length + frac.length > MAX_DIGITS) return null;
  const units = BigInt((int || '0') + frac);
  return { units: m[1] === '-' ? -units : units, scale: frac.length };
}

export const ZERO: Decimal = Object.freeze({ units: 0n, scale: 0 });

export function decimalOf(n: number): Decimal {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a whole number: ${n}`);
  return { units: BigInt(n), scale: 0 };
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function sub(a: Decimal, b: Decimal): Decimal {
  return add(a, { units: -b.units, scale: b.scale });
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

/** a / b rounded half away from zero to `scale` decimals; null when b is zero. */
export function div(a: Decimal, b: Decimal, scale: number): Decimal | null {
  if (b.units === 0n) return null;
  // a/b * 10^scale = a.units * 10^(scale + b.scale) / (b.units * 10^a.scale)
  let num = a.units * 10n ** BigInt(scale + b.scale);
  let den = b.units * 10n ** BigInt(a.scale);
  if (den < 0n) { num = -num; den = -den; }
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return { units: neg ? -q : q, scale };
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale), y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export const equals = (a: Decimal, b: Decimal): boolean => compare(a, b) === 0;
export const abs = (d: Decimal): Decimal => (d.units < 0n ? { units: -d.units, scale: d.scale } : d);
export const sum = (ds: readonly Decimal[]): Decimal => ds.reduce(add, ZERO);

/** Plain decimal text with at least `minScale` decimals ("7.4" with 2 → "7.40"); trailing zeros beyond the scale are kept. */
export function formatDecimal(d: Decimal, minScale = 0): string {
  const scale = Math.max(d.scale, minScale);
  const units = rescale(d, scale);
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return neg ? `-${text}` : text;
}

/** A whole number from a decimal quantity ("3.00" → 3); null for fractions or values beyond safe integers. */
export function wholeNumber(d: Decimal): number | null {
  const divisor = 10n ** BigInt(d.scale);
  if (d.units % divisor !== 0n) return null;
  const n = d.units / divisor;
  return n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(n);
}

/** An amount for people: at least two decimals, no trailing zeros beyond them ("3930.0000" → "3930.00", "0.125" stays). */
export function formatAmount(d: Decimal): string {
  return formatDecimal(d, 2).replace(/(\.\d\d\d*?)0+$/, '$1');
}
