import { customTemplates, LABEL_TEMPLATES, labelOrigin, labelsPerSheet, renderCalibration, renderLabels, type LabelContent, type LabelProfile, type LabelTemplate } from '@carrel/print';
import { pdfWords, type PdfPage, type PdfWord } from './labels-pdf.js';

/**
 * The label PDFs read back with poppler (`pdftotext -bbox`): every word must lie inside the box the
 * template's formulas give its label, on the right sheet, and nothing may be printed before the start.
 */

const CUSTOM = customTemplates([{ name: 'brodart-70-3', pageWidth: '8.5in', pageHeight: '11in', columns: 5, rows: 12, labelWidth: '1.5in', labelHeight: '0.75in', top: '0.75in', left: '0.4in', columnGap: '0.1in', rowGap: 0, padding: 3 }])['brodart-70-3'];
const TEMPLATES: LabelTemplate[] = [...Object.values(LABEL_TEMPLATES), CUSTOM];
/** slack for poppler's rounding of glyph boxes */
const EPS = 0.05;

/** Call numbers short enough for the template's labels: five lines where the label is tall enough, three on the half-inch ones. */
function contentFor(t: LabelTemplate, n: number): LabelContent[] {
  const fiveLines = t.labelHeight - 2 * t.padding >= 5 * 1.17 * 6;
  return Array.from({ length: n }, (_, i) => ({
    barcode: `3123400000${String(i + 1).padStart(4, '0')}`,
    callNumber: fiveLines ? (i % 2 ? 'QA76.73 .J38 2024' : '599.75 .S65') : 'FIC TOL',
    branch: `L${i + 1}`,
  }));
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const inside = (w: PdfWord, b: Box) => w.xMin >= b.x - EPS && w.xMax <= b.x + b.w + EPS && w.yMin >= b.y - EPS && w.yMax <= b.y + b.h + EPS;

function boxOf(t: LabelTemplate, position: number, profile?: LabelProfile): Box {
  const o = labelOrigin(t, position, profile);
  return { x: o.x, y: o.y, w: t.labelWidth, h: t.labelHeight };
}

/** Each word's label position on its page (the one whose box holds it whole), or a failure naming the word. */
function positionsOf(t: LabelTemplate, page: PdfPage, profile?: LabelProfile): Map<number, string[]> {
  const found = new Map<number, string[]>();
  for (const w of page.words) {
    let at = 0;
    for (let p = 1; p <= labelsPerSheet(t) && !at; p++) if (inside(w, boxOf(t, p, profile))) at = p;
    if (!at) throw new Error(`${t.name}: "${w.text}" at ${w.xMin.toFixed(2)},${w.yMin.toFixed(2)}–${w.xMax.toFixed(2)},${w.yMax.toFixed(2)} lies in no label`);
    found.set(at, [...(found.get(at) ?? []), w.text]);
  }
  return found;
}

describe('label PDFs: geometry read back from the PDF', () => {
  it.each(TEMPLATES.map((t) => [t.name, t] as const))('%s: every label\'s text inside its own box from a mid-sheet start, over two sheets, exact page size', async (_name, t) => {
    const per = labelsPerSheet(t);
    const start = Math.floor(per / 2) + 1;
    const count = per - start + 1 + Math.min(3, per);
    const labels = contentFor(t, count);
    const { pdf, report, sheets } = await renderLabels({ template: t, start, layout: 'spine', labels });
    expect(report).toEqual([]);
    expect(sheets).toBe(2);
    const pages = pdfWords(pdf);
    expect(pages).toHaveLength(2);
    for (const p of pages) {
      expect(p.width).toBeCloseTo(t.pageWidth, 3);
      expect(p.height).toBeCloseTo(t.pageHeight, 3);
    }
    const first = positionsOf(t, pages[0]);
    const second = positionsOf(t, pages[1]);
    // nothing before the start position: those labels were used already
    for (let p = 1; p < start; p++) expect(first.get(p)).toBeUndefined();
    labels.forEach((l, i) => {
      const slot = start - 1 + i;
      const [page, position] = slot < per ? [first, slot + 1] : [second, slot - per + 1];
      const expected = l.callNumber === 'FIC TOL' ? ['FIC', 'TOL'] : l.callNumber === '599.75 .S65' ? ['599.75', '.S65'] : ['QA', '76.73', '.J38', '2024'];
      expect({ label: i + 1, words: page.get(position) }).toEqual({ label: i + 1, words: [...expected, `L${i + 1}`] });
    });
    // on the second sheet the batch goes on from position 1 and stops where it ends
    expect([...second.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: Math.min(3, per) }, (_, i) => i + 1));
    expect(first.size).toBe(per - start + 1);
  });

  it('a printer profile\'s offset moves every label by exactly that much, and creep adds up label by label', async () => {
    const t = LABEL_TEMPLATES['avery-5160'];
    const labels = contentFor(t, 30);
    const plain = pdfWords((await renderLabels({ template: t, layout: 'spine', labels })).pdf)[0].words;
    const shifted = pdfWords((await renderLabels({ template: t, layout: 'spine', labels, profile: { offsetX: 3.6, offsetY: -2.25, creepX: 0, creepY: 0 } })).pdf)[0].words;
    expect(shifted.map((w) => w.text)).toEqual(plain.map((w) => w.text));
    shifted.forEach((w, i) => {
      expect(w.xMin - plain[i].xMin).toBeCloseTo(3.6, 3);
      expect(w.yMin - plain[i].yMin).toBeCloseTo(-2.25, 3);
    });
    const creep: LabelProfile = { offsetX: 1, offsetY: 2, creepX: 0.5, creepY: 0.3 };
    const crept = await renderLabels({ template: t, layout: 'spine', labels, profile: creep });
    const positions = positionsOf(t, pdfWords(crept.pdf)[0], creep);
    expect(positions.get(30)).toEqual(['QA', '76.73', '.J38', '2024', 'L30']);
    const last = pdfWords(crept.pdf)[0].words.find((w) => w.text === 'L30')!;
    const lastPlain = plain.find((w) => w.text === 'L30')!;
    // label 30 is row 10, column 3: two column steps and nine row steps of creep
    expect(last.xMin - lastPlain.xMin).toBeCloseTo(1 + 2 * 0.5, 3);
    expect(last.yMin - lastPlain.yMin).toBeCloseTo(2 + 9 * 0.3, 3);
  });

  it.each(TEMPLATES.map((t) => [t.name, t] as const))('%s: the calibration page numbers every label at its crosshair, inside its outline', async (_name, t) => {
    const pages = pdfWords(await renderCalibration(t));
    expect(pages).toHaveLength(1);
    expect(pages[0].width).toBeCloseTo(t.pageWidth, 3);
    expect(pages[0].height).toBeCloseTo(t.pageHeight, 3);
    const numbers = pages[0].words.filter((w) => /^\d+$/.test(w.text) && w.yMin >= t.top - EPS);
    expect(numbers.map((w) => Number(w.text))).toEqual(Array.from({ length: labelsPerSheet(t) }, (_, i) => i + 1));
    for (const w of numbers) {
      const b = boxOf(t, Number(w.text));
      expect(inside(w, b)).toBe(true);
      // near the top-left corner, where the crosshair is
      expect(w.xMin - b.x).toBeLessThan(8);
      expect(w.yMin - b.y).toBeLessThan(8);
    }
  });
});
