import { deflateSync } from 'node:zlib';
import type { PdfDocument } from '../pdf/document.js';

/**
 * Lines of plain text set straight into a pdfkit page, for documents with thousands of pages of letters.
 *
 * pdfkit shapes every word through fontkit (OpenType features, kerning) and wraps through its own line
 * breaker; for a 10,000-notice batch that was three quarters of the time (about 3 ms a page). Notices are
 * Latin, Greek or Cyrillic text in the main: those need no shaping, so their glyphs are looked up once per
 * character (the font's cmap) and written as one two-byte string per line, the same glyph subset and ToUnicode
 * map as pdfkit's own path (text stays selectable and searchable). Text in a script that needs shaping
 * (Hebrew, Arabic, Indic …) or with combining marks left after NFC goes through pdfkit's text, unchanged.
 * The only visible difference is no kerning pairs in the fast path.
 */

interface EmbeddedFont {
  id: string;
  scale: number;
  ascender: number;
  descender: number;
  lineGap: number;
  subset: { includeGlyph(id: number): number };
  widths: number[];
  unicode: number[][];
  font: { glyphForCodePoint(cp: number): { id: number; advanceWidth: number; codePoints: number[] } };
  ref(): unknown;
}

interface ContentStream {
  buffer: Uint8Array[];
  data: { Length?: number; Filter?: string };
  compress: boolean;
}

interface PdfInternals {
  _font: EmbeddedFont;
  page: { height: number; fonts: Record<string, unknown>; content: ContentStream };
  addContent(data: string | Uint8Array): unknown;
}

interface Glyph {
  /** the glyph id as two bytes, escaped for a PDF literal string */
  bytes: string;
  /** advance in thousandths of the font size */
  advance: number;
}

/** Code points that need no shaping and no mark positioning (after NFC). */
function simpleCodePoint(cp: number): boolean {
  if (cp < 0x0300) return cp >= 0x20 || cp === 0x09;
  if (cp < 0x0370) return false; // combining diacritical marks
  if (cp < 0x0483) return true; // Greek and Coptic, Cyrillic letters
  if (cp < 0x048a) return false; // Cyrillic combining marks
  if (cp < 0x0590) return true; // Cyrillic supplement, Armenian
  if (cp >= 0x1e00 && cp < 0x2000) return true; // Latin extended additional, Greek extended
  if (cp >= 0x2000 && cp < 0x2070) return cp !== 0x200c && cp !== 0x200d && !(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069);
  if (cp >= 0x20a0 && cp < 0x20d0) return true; // currency signs
  if (cp >= 0x2100 && cp < 0x2200) return true; // letterlike symbols, number forms, arrows
  return false;
}

/** a coordinate with two decimals, as PDF content wants it (String(-0) is '0') */
const num = (n: number): string => String(Math.round(n * 100) / 100);

/** one byte inside a PDF literal string ( … ): the delimiters and the backslash escaped, line ends as octal */
function literalByte(b: number): string {
  if (b === 0x28 || b === 0x29 || b === 0x5c) return `\\${String.fromCharCode(b)}`;
  if (b === 0x0a || b === 0x0d) return `\\${b.toString(8).padStart(3, '0')}`;
  return String.fromCharCode(b);
}

/** One font of one document: glyphs looked up once, lines measured and drawn. */
export class PlainTextFont {
  /** by UTF-16 code unit: the fast path is BMP only */
  private readonly glyphs: (Glyph | undefined)[] = [];
  private readonly font: EmbeddedFont;

  constructor(private readonly doc: PdfDocument, readonly name: string) {
    doc.font(name);
    this.font = (doc as unknown as PdfInternals)._font;
  }

  /** true when the text can take the fast path */
  simple(text: string): boolean {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x0300 && c >= 0x20) continue;
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) return false;
      if (!simpleCodePoint(cp)) return false;
    }
    return true;
  }

  private glyph(cp: number): Glyph {
    let g = this.glyphs[cp];
    if (!g) {
      const f = this.font;
      const glyph = f.font.glyphForCodePoint(cp === 0x09 ? 0x20 : cp);
      const gid = f.subset.includeGlyph(glyph.id);
      if (f.widths[gid] == null) f.widths[gid] = glyph.advanceWidth * f.scale;
      if (f.unicode[gid] == null) f.unicode[gid] = glyph.codePoints.length ? glyph.codePoints : [cp];
      g = { bytes: literalByte(gid >> 8) + literalByte(gid & 0xff), advance: glyph.advanceWidth * f.scale };
      this.glyphs[cp] = g;
    }
    return g;
  }

  /** width of a text at a size, in points */
  width(text: string, size: number): number {
    if (!this.simple(text)) return this.doc.font(this.name).fontSize(size).widthOfString(text);
    let w = 0;
    for (let i = 0; i < text.length; i++) w += this.glyph(text.charCodeAt(i)).advance;
    return (w * size) / 1000;
  }

  /** distance from one baseline to the next at a size, in points, as pdfkit counts it */
  lineHeight(size: number, lineGap = 0): number {
    const f = this.font;
    return ((f.ascender + f.lineGap - f.descender) / 1000) * size + lineGap;
  }

  /** the line as the bytes of a PDF literal string, or null when it needs pdfkit's shaping */
  encode(text: string): string | null {
    if (!this.simple(text)) return null;
    let bytes = '';
    for (let i = 0; i < text.length; i++) bytes += this.glyph(text.charCodeAt(i)).bytes;
    return bytes;
  }

  /** the font's resource name on the current page (registering it there) */
  resource(): string {
    const d = this.doc as unknown as PdfInternals;
    d.page.fonts[this.font.id] ??= this.font.ref();
    return this.font.id;
  }

  /** how far below a line's top its baseline is, at a size */
  ascent(size: number): number {
    return (this.font.ascender / 1000) * size;
  }

  /**
   * Breaks a line into pieces no wider than `width`: at spaces, or inside a word longer than the
   * line. Pieces after the first are indented like the line's own indentation, plus two spaces after a
   * list dash ("- "), so wrapped items hang under their text.
   */
  wrap(line: string, width: number, size: number): string[] {
    if (this.width(line, size) <= width) return [line];
    const indent = /^(\s*(?:[-•*]\s+)?)/.exec(line)![1].replace(/[-•*]/, ' ');
    const out: string[] = [];
    let current = '';
    for (const word of line.split(/(?<= )/)) {
      if (current === '' || this.width((current + word).trimEnd(), size) <= width) {
        current += word;
      } else {
        out.push(current.trimEnd());
        current = indent + word;
      }
      // a word wider than the line is cut where it no longer fits
      while (this.width(current.trimEnd(), size) > width && current.trim().length > 1) {
        let cut = current.length - 1;
        while (cut > indent.length + 1 && this.width(current.slice(0, cut), size) > width) cut--;
        out.push(current.slice(0, cut));
        current = indent + current.slice(cut);
      }
    }
    if (current.trim() !== '' || out.length === 0) out.push(current.trimEnd());
    return out;
  }
}

/**
 * The text of one page, written to the page's content as one block when flushed (a content operation
 * per line costs more than the text itself in a 10,000-page batch).
 */
export class TextPage {
  private ops: string[] = [];
  private font = '';
  private size = 0;
  private gray = -1;

  constructor(private readonly doc: PdfDocument) {}

  /** Draws one line with its top at (x, y) (pdfkit's coordinates: origin top-left), in a gray (0 black). */
  line(font: PlainTextFont, text: string, x: number, y: number, size: number, gray = 0): void {
    if (text === '') return;
    const bytes = font.encode(text);
    if (bytes === null) {
      const level = Math.round(gray * 255).toString(16).padStart(2, '0');
      this.doc.fillColor(`#${level}${level}${level}`).font(font.name).fontSize(size).text(text, x, y, { lineBreak: false });
      return;
    }
    const d = this.doc as unknown as PdfInternals;
    const id = font.resource();
    if (id !== this.font || size !== this.size) {
      this.ops.push(`/${id} ${num(size)} Tf`);
      this.font = id;
      this.size = size;
    }
    if (gray !== this.gray) {
      this.ops.push(`${num(gray)} g`);
      this.gray = gray;
    }
    this.ops.push(`1 0 0 1 ${num(x)} ${num(d.page.height - y - font.ascent(size))} Tm (${bytes}) Tj`);
  }

  /**
   * Ends the page: writes its lines and compresses its content now. pdfkit would deflate each page's
   * content with zlib's default settings, whose set-up alone (a 256 KB window per call) cost more than
   * the page's text; a 4 KB window gives the same size for a page of letter text. Nothing may be drawn
   * on the page after this.
   */
  finish(): void {
    this.flush();
    const content = (this.doc as unknown as PdfInternals).page.content;
    if (!content.compress || content.buffer.length === 0) return;
    const packed = deflateSync(Buffer.concat(content.buffer), { windowBits: 12, memLevel: 7 });
    content.buffer = [packed];
    content.data.Length = packed.length;
    content.data.Filter = 'FlateDecode';
    content.compress = false;
  }

  /** Writes the page's lines so far. */
  flush(): void {
    if (this.ops.length) {
      const d = this.doc as unknown as PdfInternals;
      d.addContent(Buffer.from(`q 1 0 0 -1 0 ${num(d.page.height)} cm BT\n${this.ops.join('\n')}\nET Q\n`, 'latin1'));
    }
    this.ops = [];
    this.font = '';
    this.size = 0;
    this.gray = -1;
  }
}
