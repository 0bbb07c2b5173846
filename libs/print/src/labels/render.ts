import { splitCallNumber, type CallNumberScheme } from '@carrel/callnumber';
import { BODY, BOLD, newPdf, pdfBytes, type PdfDocument } from '../pdf/document.js';
import { BarcodeError, encodeBarcode, type Symbology } from './barcode.js';
import { checkLabelProfile, checkStart, labelOrigin, labelPlace, labelsPerSheet, NO_PROFILE, type LabelProfile, type LabelTemplate } from './templates.js';

/**
 * Label batches as one PDF: every label placed by the template's formulas (plus the printer's profile),
 * every line measured. A line too wide for its label shrinks, down to a floor size; below that it is
 * printed at the floor, condensed to the label's width (never over the neighbour's), and the label is
 * flagged in the batch report. Lines beyond the label's foot are kept to the label and flagged too:
 * nothing is cut without the technician being told which label, which line and why.
 */

export type LabelLayout = 'spine' | 'barcode' | 'spine+barcode';
export const LABEL_LAYOUTS: readonly LabelLayout[] = ['spine', 'barcode', 'spine+barcode'];

export interface LabelContent {
  barcode: string;
  callNumber?: string | null;
  /** the record's scheme when known (MARC 050 → lc, 082 → dewey); detected otherwise */
  scheme?: CallNumberScheme | null;
  /** a line above the call number kept apart from it (a location or collection label) */
  prefix?: string | null;
  /** a line under the call number: the owning branch */
  branch?: string | null;
}

export interface LabelReport {
  /** 1-based number of the label in the batch */
  label: number;
  sheet: number;
  /** 1-based position on its sheet */
  position: number;
  barcode: string;
  /** 1-based spine line, or 'barcode' for the bars and their text */
  line: number | 'barcode';
  text: string;
  problem: string;
}

export interface RenderLabelsOptions {
  template: LabelTemplate;
  profile?: LabelProfile;
  /** first position used on the first sheet (1-based; earlier ones are left blank) */
  start?: number;
  labels: readonly LabelContent[];
  layout: LabelLayout;
  /** default codabar, the usual library item barcode */
  symbology?: Symbology;
  /** the floor a line shrinks to before it is flagged (setting print.labelMinFontSize) */
  minFontSize?: number;
  title?: string;
}

/** line pitch as a multiple of the size: DejaVu Sans' ascent + descent is 1.164 em, so lines never overlap */
const LEADING = 1.17;
const ASCENT = 0.928;
/** narrowest bar printed (0.5 pt ≈ 7 mil, what common scanners still read) and the widest worth using */
const MIN_MODULE = 0.5;
const MAX_MODULE = 1.0;
/** quiet zone each side of the bars, in modules */
const QUIET = 5;
const MIN_BAR_HEIGHT = 10;

interface Ctx {
  doc: PdfDocument;
  min: number;
  report: LabelReport[];
  widths: Map<string, number>;
  currentSize: number;
  currentFont: string;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Where {
  label: number;
  sheet: number;
  position: number;
  barcode: string;
}

/** width of the text at 1 pt: labels repeat the same class letters and branch names thousands of times */
function unitWidth(ctx: Ctx, font: string, text: string): number {
  const key = `${font}\u0000${text}`;
  let w = ctx.widths.get(key);
  if (w === undefined) {
    setFont(ctx, font, 1);
    w = ctx.doc.widthOfString(text);
    ctx.widths.set(key, w);
  }
  return w;
}

function setFont(ctx: Ctx, font: string, size: number): void {
  if (ctx.currentFont !== font) {
    ctx.doc.font(font);
    ctx.currentFont = font;
  }
  if (ctx.currentSize !== size) {
    ctx.doc.fontSize(size);
    ctx.currentSize = size;
  }
}

function flag(ctx: Ctx, at: Where, line: number | 'barcode', text: string, problem: string): void {
  ctx.report.push({ ...at, line, text, problem });
}

const pt = (n: number) => `${Math.round(n * 10) / 10} pt`;

/**
 * Lines top-down in a box: one size for all that fits the box's height (at most `size`), each line
 * shrunk further on its own when too wide. Returns whether anything had to be flagged.
 */
function drawLines(ctx: Ctx, box: Box, lines: readonly string[], size: number, at: Where, opts: { align?: 'left' | 'center'; font?: string; firstLine?: number } = {}): boolean {
  if (lines.length === 0) return false;
  const font = opts.font ?? BODY;
  let flagged = false;
  let base = Math.min(size, box.h / (lines.length * LEADING));
  if (base < ctx.min) base = ctx.min;
  const fitLines = Math.max(0, Math.floor(box.h / (base * LEADING) + 1e-9));
  let y = box.y;
  const clip = lines.length > fitLines;
  if (clip) {
    // lines below the label's foot stay inside this label: printing them over the next label would spoil two
    ctx.doc.save();
    ctx.doc.rect(box.x, box.y, box.w, box.h).clip();
  }
  lines.forEach((line, i) => {
    const n = (opts.firstLine ?? 1) + i;
    const w1 = unitWidth(ctx, font, line);
    let s = base;
    let squeeze = 100;
    if (w1 * s > box.w) s = Math.max(ctx.min, box.w / w1);
    if (w1 * s > box.w + 1e-9) {
      // condensed (narrower letters) rather than run into the next label; flagged, as it may not read well
      squeeze = Math.floor((box.w / (w1 * s)) * 1000) / 10;
      flag(ctx, at, n, line, `too wide: ${pt(w1 * ctx.min)} at the ${ctx.min} pt floor, the label has ${pt(box.w)}; printed condensed to ${squeeze}%`);
      flagged = true;
    }
    if (i >= fitLines) {
      flag(ctx, at, n, line, `does not fit: ${lines.length} lines need ${pt(lines.length * LEADING * ctx.min)} at the ${ctx.min} pt floor, the label has ${pt(box.h)}`);
      flagged = true;
    }
    setFont(ctx, font, s);
    const x = opts.align === 'center' ? box.x + Math.max(0, (box.w - (w1 * s * squeeze) / 100) / 2) : box.x;
    // baseline where a base-size line's would be, so a shrunk line stays on the same row
    ctx.doc.text(line, x, y + ASCENT * (base - s), squeeze < 100 ? ({ lineBreak: false, horizontalScaling: squeeze } as PDFKit.Mixins.TextOptions) : { lineBreak: false });
    y += base * LEADING;
  });
  if (clip) ctx.doc.restore();
  return flagged;
}

function spineLines(content: LabelContent): string[] {
  const lines = splitCallNumber(content.callNumber ?? '', content.scheme ?? undefined, { prefix: content.prefix ?? null });
  const branch = content.branch?.trim();
  if (branch) lines.push(branch);
  return lines;
}

function drawBarcode(ctx: Ctx, box: Box, content: LabelContent, symbology: Symbology, size: number, at: Where): void {
  const text = content.barcode;
  // the human-readable line under the bars: smaller than spine text, never above 9 pt
  const textSize = Math.max(ctx.min, Math.min(size, 9, box.h / 3 / LEADING));
  const textH = textSize * LEADING;
  const barsH = box.h - textH - 1;
  drawLines(ctx, { x: box.x, y: box.y + box.h - textH, w: box.w, h: textH }, [text], textSize, at, { align: 'center' });
  // the drawLines report above names line 1; for a barcode label that line is the barcode's own text
  const last = ctx.report[ctx.report.length - 1];
  if (last && last.label === at.label && last.line === 1 && last.text === text) last.line = 'barcode';
  let bars;
  try {
    bars = encodeBarcode(symbology, text);
  } catch (e) {
    if (!(e instanceof BarcodeError)) throw e;
    flag(ctx, at, 'barcode', text, `no bars printed: ${e.message}`);
    return;
  }
  const span = bars.modules + 2 * QUIET;
  let module = Math.min(MAX_MODULE, box.w / span);
  if (module < MIN_MODULE) {
    flag(ctx, at, 'barcode', text, `too wide: ${bars.modules} modules need ${pt(span * MIN_MODULE)} at ${MIN_MODULE} pt per bar module, the label has ${pt(box.w)}; bars not printed`);
    return;
  }
  if (barsH < MIN_BAR_HEIGHT) {
    flag(ctx, at, 'barcode', text, `bars only ${pt(barsH)} high (at least ${MIN_BAR_HEIGHT} pt scan reliably); bars not printed`);
    return;
  }
  // whole hundredths of a point: the bar edges land the same way on every label
  module = Math.floor(module * 100) / 100;
  let x = box.x + (box.w - bars.modules * module) / 2;
  const doc = ctx.doc;
  for (let i = 0; i < bars.widths.length; i++) {
    const w = bars.widths[i] * module;
    if (i % 2 === 0) doc.rect(x, box.y, w, barsH);
    x += w;
  }
  doc.fill('black');
}

/** Renders a batch: labels in order from `start`, over as many sheets as needed. */
export async function renderLabels(options: RenderLabelsOptions): Promise<{ pdf: Buffer; report: LabelReport[]; sheets: number }> {
  const t = options.template;
  const profile = options.profile ? checkLabelProfile(options.profile, 'profile') : NO_PROFILE;
  const start = checkStart(t, options.start ?? 1);
  if (!LABEL_LAYOUTS.includes(options.layout)) throw new Error(`layout must be one of ${LABEL_LAYOUTS.join(', ')}, got ${JSON.stringify(options.layout)}`);
  const min = options.minFontSize ?? 6;
  if (!(min > 0 && min <= t.fontSize)) throw new Error(`minimum font size must be between 0 and the template's ${t.fontSize} pt, got ${min}`);
  if (options.labels.length === 0) throw new Error('no labels to render');
  const symbology = options.symbology ?? 'codabar';
  const doc = newPdf({ size: [t.pageWidth, t.pageHeight], title: options.title ?? `Labels (${t.name})` });
  const ctx: Ctx = { doc, min, report: [], widths: new Map(), currentSize: -1, currentFont: '' };
  const inner = { w: t.labelWidth - 2 * t.padding, h: t.labelHeight - 2 * t.padding };
  let sheet = 1;
  options.labels.forEach((content, i) => {
    const place = labelPlace(t, start, i, profile);
    while (place.sheet > sheet) {
      doc.addPage();
      sheet++;
    }
    const at: Where = { label: i + 1, sheet: place.sheet, position: place.position, barcode: content.barcode };
    const box: Box = { x: place.x + t.padding, y: place.y + t.padding, ...inner };
    // a spine label without its call number would go on the book blank: say so rather than print it quietly
    if (options.layout !== 'barcode' && !content.callNumber?.trim()) flag(ctx, at, 1, '', 'no call number: the spine part of this label is blank');
    if (options.layout === 'spine') {
      drawLines(ctx, box, spineLines(content), t.fontSize, at);
    } else if (options.layout === 'barcode') {
      const branch = content.branch?.trim();
      if (branch) {
        const headH = Math.min(t.fontSize, box.h / 4 / LEADING) * LEADING;
        drawLines(ctx, { ...box, h: headH }, [branch], t.fontSize, at, { align: 'center', font: BOLD });
        drawBarcode(ctx, { ...box, y: box.y + headH + 1, h: box.h - headH - 1 }, content, symbology, t.fontSize, at);
      } else {
        drawBarcode(ctx, box, content, symbology, t.fontSize, at);
      }
    } else {
      // spine text on the left, bars on the right of the same label (Koha's "BIBBAR")
      const lines = spineLines(content);
      const base = Math.min(t.fontSize, box.h / (Math.max(1, lines.length) * LEADING));
      const widest = Math.max(0, ...lines.map((l) => unitWidth(ctx, BODY, l) * base));
      const spineW = Math.min(Math.max(widest, box.w * 0.3), box.w * 0.45);
      const gap = Math.min(6, box.w * 0.03);
      drawLines(ctx, { ...box, w: spineW }, lines, t.fontSize, at);
      drawBarcode(ctx, { ...box, x: box.x + spineW + gap, w: box.w - spineW - gap }, content, symbology, t.fontSize, at);
    }
  });
  return { pdf: await pdfBytes(doc), report: ctx.report, sheets: sheet };
}

/**
 * One sheet to measure a printer with: every label's outline, a crosshair on each label's top-left
 * corner and its number. Print it on plain paper, lay it over a label sheet (or measure with a ruler):
 * the difference is the profile's offset, and how it grows from label 1 to the last is the creep.
 */
export async function renderCalibration(template: LabelTemplate, profile: LabelProfile = NO_PROFILE): Promise<Buffer> {
  const t = template;
  const p = checkLabelProfile(profile, 'profile');
  const doc = newPdf({ size: [t.pageWidth, t.pageHeight], title: `Calibration (${t.name})` });
  const arm = Math.min(8, t.labelWidth / 4, t.labelHeight / 4);
  doc.lineWidth(0.25);
  for (let n = 1; n <= labelsPerSheet(t); n++) {
    const o = labelOrigin(t, n, p);
    doc.rect(o.x, o.y, t.labelWidth, t.labelHeight).stroke('#808080');
    doc.moveTo(o.x - arm, o.y).lineTo(o.x + arm, o.y).moveTo(o.x, o.y - arm).lineTo(o.x, o.y + arm).stroke('black');
    const size = Math.min(8, t.labelHeight / 3);
    doc.font(BODY).fontSize(size).fillColor('black').text(String(n), o.x + arm / 2 + 1, o.y + arm / 2 + 1, { lineBreak: false });
  }
  const first = labelOrigin(t, 1, p);
  const caption = `${t.name}: label 1 at ${first.x.toFixed(2)} pt (${(first.x / 72).toFixed(3)} in) from the left, ${first.y.toFixed(2)} pt (${(first.y / 72).toFixed(3)} in) from the top; step ${(t.labelWidth + t.columnGap + p.creepX).toFixed(2)} × ${(t.labelHeight + t.rowGap + p.creepY).toFixed(2)} pt`;
  const size = Math.min(7, Math.max(4, t.top / 2));
  doc.font(BODY).fontSize(size);
  const w = doc.widthOfString(caption);
  const fit = Math.min(size, (t.pageWidth - 2 * Math.max(first.x, 4)) / w * size);
  if (t.top >= fit * LEADING + 2) doc.fontSize(fit).text(caption, Math.max(first.x, 4), Math.max(1, (t.top - fit * LEADING) / 2), { lineBreak: false });
  return pdfBytes(doc);
}
