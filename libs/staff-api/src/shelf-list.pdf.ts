import { BODY, BOLD, newPdf, pdfBytes, PT_PER_IN, type PdfDocument } from '@carrel/print';
import type { ShelfListEntry } from '@carrel/catalog';

export interface ShelfListPdfInput {
  branch: string;
  location?: string | null;
  from?: string | null;
  to?: string | null;
  items: ShelfListEntry[];
  /** printed in the heading when given (pure: the caller reads the clock) */
  printedAt?: Date;
  /** page size in points; US Letter unless given */
  size?: readonly [number, number];
}

const MARGIN = 0.5 * PT_PER_IN;
const ROW_FONT = 9;
const HEAD_FONT = 8;
const PAD = 3;

interface Column {
  heading: string;
  /** share of the usable width */
  share: number;
  text: (e: ShelfListEntry) => string;
}

const COLUMNS: Column[] = [
  { heading: 'Call number', share: 0.25, text: (e) => e.callNumber ?? '(no call number)' },
  { heading: 'Title', share: 0.43, text: (e) => [e.title ?? '(untitled)', e.copyNumber ? `copy ${e.copyNumber}` : ''].filter(Boolean).join(' · ') },
  { heading: 'Barcode', share: 0.18, text: (e) => e.barcode },
  { heading: 'Status', share: 0.14, text: (e) => e.status.replace(/_/g, ' ') },
];

/**
 * A shelf list for a shelf read: one line per item in shelf order with call number, title, barcode
 * and status, and "Page n of N" on every page. Long call numbers and titles wrap inside their column
 * (the row grows); nothing is cut. Through newPdf like every Carrel PDF (exact page size, fonts
 * embedded, printed at actual size).
 */
export async function renderShelfListPdf(input: ShelfListPdfInput): Promise<Buffer> {
  const [width, height] = input.size ?? [8.5 * PT_PER_IN, 11 * PT_PER_IN];
  const where = input.location ? `${input.branch}, ${input.location}` : input.branch;
  const doc = newPdf({ size: [width, height], title: `Shelf list ${where}` });
  const usable = width - 2 * MARGIN;
  const gutter = 6;
  const cols = COLUMNS.map((c) => ({ ...c, w: c.share * usable - gutter, x: 0 }));
  let x = MARGIN;
  for (const c of cols) {
    c.x = x;
    x += c.w + gutter;
  }

  // Lay every row out first, so each page can say how many pages there are.
  doc.font(BODY).fontSize(ROW_FONT);
  const rows = input.items.map((e) => {
    const texts = cols.map((c) => c.text(e));
    const h = Math.max(...texts.map((t, i) => doc.heightOfString(t, { width: cols[i]!.w }))) + PAD;
    return { texts, h };
  });
  const top = MARGIN + 44;
  const bottom = height - MARGIN - 16;
  const pages: (typeof rows)[] = [[]];
  let y = top;
  for (const r of rows) {
    if (y + r.h > bottom && pages[pages.length - 1]!.length > 0) {
      pages.push([]);
      y = top;
    }
    pages[pages.length - 1]!.push(r);
    y += r.h;
  }

  const range = input.from || input.to ? `${input.from ?? 'start'} to ${input.to ?? 'end'}` : 'all call numbers';
  const count = `${input.items.length} item${input.items.length === 1 ? '' : 's'}`;
  pages.forEach((page, p) => {
    if (p > 0) doc.addPage({ size: [width, height], margin: 0 });
    heading(doc, `Shelf list: ${where}`, [range, count, input.printedAt ? `printed ${input.printedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''].filter(Boolean).join(' · '));
    doc.font(BOLD).fontSize(HEAD_FONT);
    for (const c of cols) doc.text(c.heading, c.x, top - 14, { width: c.w, lineBreak: false });
    doc.moveTo(MARGIN, top - 3).lineTo(width - MARGIN, top - 3).lineWidth(0.5).stroke();
    doc.font(BODY).fontSize(ROW_FONT);
    let yy = top;
    for (const r of page) {
      r.texts.forEach((t, i) => doc.text(t, cols[i]!.x, yy, { width: cols[i]!.w }));
      yy += r.h;
    }
    if (rows.length === 0) doc.text('No items on these shelves.', MARGIN, top, { width: usable });
    doc.font(BODY).fontSize(HEAD_FONT);
    doc.text(`Page ${p + 1} of ${pages.length}`, MARGIN, height - MARGIN - 8, { width: usable, align: 'center', lineBreak: false });
  });
  return pdfBytes(doc);
}

function heading(doc: PdfDocument, title: string, line: string): void {
  doc.font(BOLD).fontSize(12).text(title, MARGIN, MARGIN, { lineBreak: false });
  doc.font(BODY).fontSize(HEAD_FONT).text(line, MARGIN, MARGIN + 16, { lineBreak: false });
}
