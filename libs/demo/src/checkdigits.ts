/** Check digits for the identifiers the demo data carries, so imports and validators accept them. */

export function isbn13CheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

function mod11Check(digits: string, firstWeight: number): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += Number(digits[i]) * (firstWeight - i);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

export function isbn10CheckDigit(first9: string): string {
  return mod11Check(first9, 10);
}

/** The ISBN-10 of a 978- ISBN-13 (979- ones have none). */
export function isbn13To10(isbn13: string): string | null {
  if (!/^978\d{10}$/.test(isbn13)) return null;
  const body = isbn13.slice(3, 12);
  return body + isbn10CheckDigit(body);
}

export function isValidIsbn(value: string): boolean {
  const s = value.replace(/[-\s]/g, '').toUpperCase();
  if (/^\d{13}$/.test(s)) return (s.startsWith('978') || s.startsWith('979')) && isbn13CheckDigit(s) === s[12];
  if (/^\d{9}[\dX]$/.test(s)) return isbn10CheckDigit(s.slice(0, 9)) === s[9];
  return false;
}

export function issnCheckDigit(first7: string): string {
  return mod11Check(first7, 8);
}

export function isValidIssn(value: string): boolean {
  const m = /^(\d{4})-?(\d{3})([\dX])$/i.exec(value);
  return m !== null && issnCheckDigit(m[1]! + m[2]!) === m[3]!.toUpperCase();
}

/**
 * Mod-10 (Luhn) check digit, as on 14-digit Codabar library cards and item labels
 * (2 + 4-digit institution + 8-digit sequence + check).
 */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isValidLuhn(value: string): boolean {
  return /^\d{2,}$/.test(value) && luhnCheckDigit(value.slice(0, -1)) === value[value.length - 1];
}
