/**
 * Money as integer cents (bigint), read from and written as decimal strings ("2.50"). No floats ever
 * touch an amount. Pure.
 */

/** "2.5", "2.50", "-1", Prisma Decimal → cents; null when not a decimal number. More than 2 decimals round half up. */
export function toCents(value: string | number | { toString(): string } | null | undefined): bigint | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) return null;
  const neg = m[1] === '-';
  const whole = BigInt(m[2] === '' ? '0' : m[2]);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = whole * 100n + BigInt(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1n;
  return neg ? -cents : cents;
}

/** cents → "2.50" */
export function fromCents(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  const s = `${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/** normalises any decimal to two places ("2.5" → "2.50"); "0.00" for null/garbage */
export function money(value: string | number | { toString(): string } | null | undefined): string {
  return fromCents(toCents(value) ?? 0n);
}
