import type { ClaimLetter } from './template.js';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge blanks; text a
 * spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading apostrophe.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CLAIM_CSV_COLUMNS = [
  'batch', 'claim number', 'claim date', 'vendor', 'account number', 'title', 'ISSN', 'issue', 'publication date', 'expected date', 'vendor reference',
] as const;

/** A batch's claims as CSV, one row per issue, CRLF line ends (what vendors' spreadsheets expect). */
export function claimsCsv(letter: ClaimLetter): string {
  const rows = [CLAIM_CSV_COLUMNS.map(csvField).join(',')];
  for (const i of letter.issues) {
    rows.push([
      letter.batchId ?? '', i.claimNumber, letter.claimDate, letter.vendor.code, i.accountNumber ?? letter.library.accountNumber ?? '',
      i.title, i.issn ?? '', i.label, i.publicationDate, i.expectedDate, i.vendorReference ?? '',
    ].map(csvField).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
