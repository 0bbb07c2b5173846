import path from 'node:path';
import PDFDocument from 'pdfkit';
import { projectRoot } from '@carrel/config';

/**
 * Every PDF Carrel makes starts here: exact page size (a label sheet is useless scaled), the DejaVu Sans
 * font embedded (diacritics and non-Latin titles print on any machine), and the viewer told not to scale
 * when printing (PrintScaling /None: "actual size" is preselected in the print dialog).
 */

/** points per inch and per millimetre */
export const PT_PER_IN = 72;
export const PT_PER_MM = 72 / 25.4;

export const FONT_DIR = path.join(projectRoot(), 'assets', 'fonts');
export const FONT_REGULAR = path.join(FONT_DIR, 'DejaVuSans.ttf');
export const FONT_BOLD = path.join(FONT_DIR, 'DejaVuSans-Bold.ttf');

/** the names the fonts are registered under in every document */
export const BODY = 'body';
export const BOLD = 'bold';

export interface NewPdfOptions {
  /** page width and height in points */
  size: readonly [number, number];
  /** document title (PDF Info) */
  title: string;
  /** first page added at once (default true) */
  firstPage?: boolean;
  /** page margins in points for flowing text (default 0: layouts place everything themselves) */
  margin?: number;
}

export type PdfDocument = PDFKit.PDFDocument;

export function newPdf(options: NewPdfOptions): PdfDocument {
  const [width, height] = options.size;
  if (!(width > 0 && height > 0 && width < 14_400 && height < 14_400)) throw new Error(`page size ${width}×${height} pt is not a page`);
  const doc = new PDFDocument({
    size: [width, height],
    margin: options.margin ?? 0,
    autoFirstPage: options.firstPage ?? true,
    // fixed dates: the same input makes the same bytes (tests and the print queue compare them)
    info: { Title: options.title, Creator: 'Carrel', Producer: 'Carrel', CreationDate: new Date(0), ModDate: new Date(0) },
    pdfVersion: '1.7',
  });
  doc.registerFont(BODY, FONT_REGULAR);
  doc.registerFont(BOLD, FONT_BOLD);
  doc.font(BODY);
  // pdfkit writes a plain string as a PDF name: /ViewerPreferences << /PrintScaling /None >>
  const root = (doc as unknown as { _root: { data: Record<string, unknown> } })._root;
  root.data.ViewerPreferences = doc.ref({ PrintScaling: 'None' });
  return doc;
}

/** Ends the document and gives its bytes. */
export function pdfBytes(doc: PdfDocument): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
