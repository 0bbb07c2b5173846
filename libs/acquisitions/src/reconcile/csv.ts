import type { InvoiceReconciliation } from './invoice.js';

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or edge blanks.
 * Text that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading
 * apostrophe; only text columns go through this, so negative amounts stay numbers.
 */
export function csvText(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return csvQuote(s);
}

function csvQuote(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const csvNumber = (value: string | number | null | undefined): string => (value === null || value === undefined ? '' : csvQuote(String(value)));

const COLUMNS = [
  'invoice', 'position', 'line', 'order line reference', 'order number', 'identifiers', 'description', 'quantity', 'unit price',
  'line amount', 'order line', 'matched by', 'agreed unit price', 'verdicts', 'details',
];

/** The reconciliation as CSV: one row per invoice line, then one row per header check; CRLF line ends. */
export function reconciliationCsv(report: InvoiceReconciliation): string {
  const rows: string[] = [COLUMNS.map(csvText).join(',')];
  for (const l of report.lines) {
    rows.push([
      csvText(report.invoiceNumber), csvNumber(l.position), csvText(l.lineNumber), csvText(l.orderLineReference), csvText(l.orderNumber),
      csvText(l.identifiers.join(' ')), csvText(l.description), csvNumber(l.quantity), csvNumber(l.unitPrice), csvNumber(l.lineAmount),
      csvText(l.orderLineId === null ? '' : String(l.orderLineId)), csvText(l.matchedBy), csvNumber(l.agreedUnitPrice),
      csvText(l.verdicts.map((v) => v.code).join(' ')), csvText(l.verdicts.map((v) => v.detail).join('; ')),
    ].join(','));
  }
  for (const h of report.header) {
    const cells = Array<string>(COLUMNS.length).fill('');
    cells[0] = csvText(report.invoiceNumber);
    cells[2] = 'header';
    cells[9] = csvNumber(h.stated);
    cells[13] = csvText(h.ok ? `${h.code} ok` : h.code);
    cells[14] = csvText(h.detail);
    rows.push(cells.join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
