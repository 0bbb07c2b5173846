import { BOLD, BODY, PT_PER_MM, newPdf, pdfBytes, type PdfDocument } from '../pdf/document.js';
import { PlainTextFont, TextPage } from './plain-text.js';

/**
 * Printed notices: one notice per page (a notice longer than a page runs on to the next, never cut),
 * the sending branch's letterhead at the top, then the subject and the text exactly as rendered from
 * the template. Paper is A4 or US Letter (setting `print.noticePaper`).
 */

export const NOTICE_PAPERS = ['A4', 'Letter'] as const;
export type NoticePaper = (typeof NOTICE_PAPERS)[number];

/** page sizes in points */
export const PAPER_SIZES: Record<NoticePaper, readonly [number, number]> = {
  A4: [210 * PT_PER_MM, 297 * PT_PER_MM],
  Letter: [612, 792],
};

/** The library a printed notice comes from: the branch's name and address. */
export interface Letterhead {
  name: string;
  /** the institution, when it differs from the branch name */
  institution?: string | null;
  /** may hold several lines */
  address?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface PrintableNotice {
  subject: string;
  body: string;
  /** default: the letterhead of the options */
  letterhead?: Letterhead | null;
}

export interface NoticesPdfOptions {
  paper?: NoticePaper;
  /** the PDF's title (default "Notices") */
  title?: string;
  letterhead?: Letterhead | null;
}

const MARGIN = 20 * PT_PER_MM;
const TOP = 15 * PT_PER_MM;

function letterheadLines(l: Letterhead): string[] {
  const lines: string[] = [];
  if (l.institution && l.institution.trim() && l.institution.trim() !== l.name.trim()) lines.push(l.institution.trim());
  for (const a of (l.address ?? '').split(/\r?\n/)) if (a.trim()) lines.push(a.trim());
  const contact = [l.phone?.trim() ? `Tel. ${l.phone.trim()}` : '', l.email?.trim() ?? ''].filter(Boolean).join('  ·  ');
  if (contact) lines.push(contact);
  return lines;
}

interface Fonts {
  body: PlainTextFont;
  bold: PlainTextFont;
}

/** Sets a notice from the top of a fresh page; a page that fills up continues on a new one. */
function drawNotice(doc: PdfDocument, fonts: Fonts, page: TextPage, n: PrintableNotice, letterhead: Letterhead | null, size: readonly [number, number]): void {
  const x = MARGIN;
  const width = size[0] - 2 * MARGIN;
  const bottom = size[1] - MARGIN;
  let y = TOP;
  if (letterhead) {
    for (const line of fonts.bold.wrap(letterhead.name.normalize('NFC'), width, 13)) {
      page.line(fonts.bold, line, x, y, 13);
      y += fonts.bold.lineHeight(13);
    }
    for (const line of letterheadLines(letterhead)) {
      for (const piece of fonts.body.wrap(line.normalize('NFC'), width, 8.5)) {
        page.line(fonts.body, piece, x, y, 8.5, 0.2);
        y += fonts.body.lineHeight(8.5, 0.5);
      }
    }
    y += 4;
    doc.moveTo(x, y).lineTo(x + width, y).lineWidth(0.6).strokeColor('#888888').stroke();
    y += 12;
  }
  for (const line of fonts.bold.wrap(n.subject.normalize('NFC'), width, 11)) {
    page.line(fonts.bold, line, x, y, 11);
    y += fonts.bold.lineHeight(11, 1);
  }
  y += 10;
  const step = fonts.body.lineHeight(10, 1.5);
  for (const line of n.body.normalize('NFC').replace(/\n+$/, '').split('\n')) {
    for (const piece of fonts.body.wrap(line, width, 10)) {
      if (y + step > bottom) {
        page.finish();
        doc.addPage();
        y = MARGIN;
      }
      page.line(fonts.body, piece, x, y, 10);
      y += step;
    }
  }
  page.finish();
}

/** The notices as one PDF, each starting on a new page. */
export async function renderNoticesPdf(notices: readonly PrintableNotice[], options: NoticesPdfOptions = {}): Promise<Buffer> {
  if (notices.length === 0) throw new Error('a notices PDF needs at least one notice');
  const paper = options.paper ?? 'A4';
  const size = PAPER_SIZES[paper];
  if (!size) throw new Error(`notice paper ${JSON.stringify(paper)} is not one of ${NOTICE_PAPERS.join(', ')}`);
  notices.forEach((n, i) => {
    if (typeof n.subject !== 'string' || typeof n.body !== 'string') throw new Error(`notice ${i + 1} of ${notices.length} has no subject or body text`);
  });
  const doc = newPdf({ size, title: options.title ?? 'Notices', firstPage: false, margin: MARGIN });
  const fonts = { body: new PlainTextFont(doc, BODY), bold: new PlainTextFont(doc, BOLD) };
  const page = new TextPage(doc);
  for (const n of notices) {
    doc.addPage();
    drawNotice(doc, fonts, page, n, n.letterhead === undefined ? (options.letterhead ?? null) : n.letterhead, size);
  }
  return pdfBytes(doc);
}
