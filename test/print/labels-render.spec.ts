import { splitCallNumber } from '@carrel/callnumber';
import { encodeBarcode, LABEL_TEMPLATES, labelOrigin, renderLabels, symbolText, type LabelContent, type LabelTemplate } from '@carrel/print';
import { pdfRectangles, pdfWords, type PdfWord } from './labels-pdf.js';

const T5160 = LABEL_TEMPLATES['avery-5160'];
const SPINE = LABEL_TEMPLATES['avery-5460'];

function inBox(w: { xMin: number; xMax: number; yMin: number; yMax: number }, t: LabelTemplate, position: number) {
  const o = labelOrigin(t, position);
  return w.xMin >= o.x - 0.05 && w.xMax <= o.x + t.labelWidth + 0.05 && w.yMin >= o.y - 0.05 && w.yMax <= o.y + t.labelHeight + 0.05;
}
const height = (w: PdfWord) => w.yMax - w.yMin;

describe('spine labels', () => {
  it('prints the call number split where a shelver reads it, the prefix above and the branch under', async () => {
    const labels: LabelContent[] = [
      { barcode: 'B1', callNumber: 'QA76.73.J38 S65 2019 v.2', scheme: 'lc', prefix: 'REF', branch: 'CPL' },
      { barcode: 'B2', callNumber: 'J 599.75 SMI 3rd ed.', branch: 'MPL' },
    ];
    const { pdf, report } = await renderLabels({ template: T5160, layout: 'spine', labels: labels.slice(0, 1) });
    expect(report).toEqual([]);
    const lines = splitCallNumber('QA76.73.J38 S65 2019 v.2', 'lc', { prefix: 'REF' });
    expect(lines.length).toBeGreaterThan(4);
    const words = pdfWords(pdf)[0].words;
    // one line per spine line, in order, and the branch last
    const rows = new Map<number, string[]>();
    for (const w of words) rows.set(Math.round(w.yMin * 10), [...(rows.get(Math.round(w.yMin * 10)) ?? []), w.text]);
    expect([...rows.values()].map((r) => r.join(' '))).toEqual([...lines, 'CPL']);
    const two = await renderLabels({ template: SPINE, layout: 'spine', labels });
    const w2 = pdfWords(two.pdf)[0].words;
    expect(w2.filter((w) => inBox(w, SPINE, 2)).map((w) => w.text).join(' ')).toBe([...splitCallNumber('J 599.75 SMI 3rd ed.'), 'MPL'].join(' '));
  });

  it('shrinks a line that is too wide, on its own, without flagging it while it stays above the floor', async () => {
    const { pdf, report } = await renderLabels({ template: SPINE, layout: 'spine', labels: [{ barcode: 'B1', callNumber: 'PN1997.2 .A1', branch: 'Westborough' }] });
    expect(report).toEqual([]);
    const words = pdfWords(pdf)[0].words;
    for (const w of words) expect(inBox(w, SPINE, 1)).toBe(true);
    const pn = words.find((w) => w.text === 'PN')!;
    const branch = words.find((w) => w.text === 'Westborough')!;
    // "Westborough" is wider than a ¾ in label at 9 pt: smaller type than the call number, but not under 6 pt
    expect(height(branch)).toBeLessThan(height(pn) - 0.5);
    expect(height(branch)).toBeGreaterThanOrEqual(6 * 1.16);
  });

  it('flags a line still too wide at the floor (label, barcode, line, why) and keeps it inside its own label', async () => {
    const labels: LabelContent[] = [
      { barcode: 'B1', callNumber: 'QA76.73' },
      { barcode: 'B2', callNumber: 'QA76.73', branch: 'Northwestern Regional Library' },
      { barcode: 'B3', callNumber: 'QA76.73' },
    ];
    const { pdf, report } = await renderLabels({ template: SPINE, layout: 'spine', start: 3, labels });
    expect(report).toEqual([
      { label: 2, sheet: 1, position: 4, barcode: 'B2', line: 3, text: 'Northwestern Regional Library', problem: expect.stringMatching(/^too wide: \d+(\.\d)? pt at the 6 pt floor, the label has 48 pt; printed condensed to \d+(\.\d)?%$/) },
    ]);
    // the overlong line is printed whole, condensed at the floor size into its own label, never over the next one
    const words = pdfWords(pdf)[0].words;
    expect(words.filter((w) => inBox(w, SPINE, 4)).map((w) => w.text)).toEqual(['QA', '76.73', 'Northwestern', 'Regional', 'Library']);
    expect(words.filter((w) => inBox(w, SPINE, 5)).map((w) => w.text)).toEqual(['QA', '76.73']);
    expect(height(words.find((w) => w.text === 'Library')!)).toBeCloseTo(6 * 1.164, 1);
    // a lower floor (setting print.labelMinFontSize) lets a shorter name fit instead
    const lower = await renderLabels({ template: SPINE, layout: 'spine', labels: [{ barcode: 'B2', callNumber: 'QA76.73', branch: 'Northwestern' }], minFontSize: 4 });
    expect(lower.report).toEqual([]);
    const floor6 = await renderLabels({ template: SPINE, layout: 'spine', labels: [{ barcode: 'B2', callNumber: 'QA76.73', branch: 'Northwestern Regional' }] });
    expect(floor6.report.map((r) => r.line)).toEqual([3]);
  });

  it('flags the lines that do not fit the label\'s height at the floor', async () => {
    const t = LABEL_TEMPLATES['avery-5167'];
    const { report } = await renderLabels({ template: t, layout: 'spine', labels: [{ barcode: 'X1', callNumber: 'QA76.73 .J38 S65 2019 v.2 c.3', branch: 'CPL' }] });
    const n = splitCallNumber('QA76.73 .J38 S65 2019 v.2 c.3').length + 1;
    const fit = Math.floor((t.labelHeight - 2 * t.padding) / (6 * 1.17));
    expect(report.map((r) => r.line)).toEqual(Array.from({ length: n - fit }, (_, i) => fit + 1 + i));
    expect(report[0]).toMatchObject({ label: 1, barcode: 'X1', problem: expect.stringMatching(new RegExp(`^does not fit: ${n} lines need [\\d.]+ pt at the 6 pt floor, the label has 31 pt$`)) });
  });

  it('refuses bad options with what is wrong', async () => {
    const labels = [{ barcode: 'B1', callNumber: 'QA1' }];
    await expect(renderLabels({ template: T5160, layout: 'spine', start: 31, labels })).rejects.toThrow(/start position must be a whole number from 1 to 30/);
    await expect(renderLabels({ template: T5160, layout: 'side' as never, labels })).rejects.toThrow(/layout must be one of spine, barcode, spine\+barcode, got "side"/);
    await expect(renderLabels({ template: T5160, layout: 'spine', labels, minFontSize: 12 })).rejects.toThrow(/minimum font size must be between 0 and the template's 10 pt, got 12/);
    await expect(renderLabels({ template: T5160, layout: 'spine', labels, profile: { offsetX: 500 } as never })).rejects.toThrow(/profile\.offsetX must be within ±72 pt/);
  });

  it('flags an item without a call number instead of printing a blank spine quietly, and refuses an empty batch', async () => {
    const { report } = await renderLabels({ template: T5160, layout: 'spine', labels: [{ barcode: 'B1', callNumber: 'QA1' }, { barcode: 'B2', callNumber: null, branch: 'CPL' }, { barcode: 'B3', callNumber: '  ' }] });
    expect(report).toEqual([
      { label: 2, sheet: 1, position: 2, barcode: 'B2', line: 1, text: '', problem: 'no call number: the spine part of this label is blank' },
      { label: 3, sheet: 1, position: 3, barcode: 'B3', line: 1, text: '', problem: 'no call number: the spine part of this label is blank' },
    ]);
    expect((await renderLabels({ template: T5160, layout: 'barcode', labels: [{ barcode: '31234000000017', callNumber: null }] })).report).toEqual([]);
    await expect(renderLabels({ template: T5160, layout: 'spine', labels: [] })).rejects.toThrow(/no labels to render/);
  });

  it('makes the same bytes for the same batch', async () => {
    const make = () => renderLabels({ template: T5160, layout: 'spine+barcode', start: 7, labels: [{ barcode: '31234000000017', callNumber: 'QA76.73 .J38', branch: 'CPL' }] });
    expect((await make()).pdf.equals((await make()).pdf)).toBe(true);
  });
});

describe('barcode labels', () => {
  it.each([
    ['codabar', '31234000000017'],
    ['code39', 'CPL-000123'],
    ['code128', 'bc-000123'],
  ] as const)('%s: the bars as bwip-js encodes them, the barcode written under them, inside the label', async (symbology, barcode) => {
    const t = LABEL_TEMPLATES['avery-l7160'];
    const { pdf, report } = await renderLabels({ template: t, layout: 'barcode', start: 5, symbology, labels: [{ barcode, branch: 'Central Library' }] });
    expect(report).toEqual([]);
    const encoded = encodeBarcode(symbology, barcode);
    const bars = pdfRectangles(pdf)[0];
    expect(bars).toHaveLength(Math.ceil(encoded.widths.length / 2));
    const o = labelOrigin(t, 5);
    const module = bars[0].w / encoded.widths[0];
    expect(module).toBeGreaterThanOrEqual(0.5);
    bars.forEach((b, i) => {
      expect(b.w).toBeCloseTo(encoded.widths[2 * i] * module, 6);
      expect(b.x).toBeGreaterThanOrEqual(o.x + t.padding);
      expect(b.x + b.w).toBeLessThanOrEqual(o.x + t.labelWidth - t.padding);
      expect(b.y).toBeGreaterThanOrEqual(o.y + t.padding);
      expect(b.y + b.h).toBeLessThanOrEqual(o.y + t.labelHeight - t.padding);
    });
    // the spaces between the bars are the encoded ones too
    for (let i = 1; i < bars.length; i++) expect(bars[i].x - (bars[i - 1].x + bars[i - 1].w)).toBeCloseTo(encoded.widths[2 * i - 1] * module, 6);
    const words = pdfWords(pdf)[0].words;
    const human = words.find((w) => w.text === barcode)!;
    expect(inBox(human, t, 5)).toBe(true);
    expect(human.yMin).toBeGreaterThanOrEqual(bars[0].y + bars[0].h - 0.05);
    expect(words.filter((w) => w.text !== barcode).map((w) => w.text)).toEqual(['Central', 'Library']);
    for (const w of words) expect(inBox(w, t, 5)).toBe(true);
  });

  it('adds Codabar start and stop characters to stored barcodes that lack them', () => {
    expect(symbolText('codabar', '31234000000017')).toBe('A31234000000017B');
    expect(symbolText('codabar', 'C31234000000017D')).toBe('C31234000000017D');
    expect(symbolText('code39', 'ABC')).toBe('ABC');
    expect(encodeBarcode('codabar', '31234000000017').modules).toBe(encodeBarcode('codabar', 'A31234000000017B').modules);
  });

  it('flags a barcode the symbology cannot write, or too long for the label, instead of printing bars that will not scan', async () => {
    const { pdf, report } = await renderLabels({
      template: LABEL_TEMPLATES['avery-5167'], layout: 'barcode', symbology: 'code39',
      labels: [{ barcode: 'lower-case' }, { barcode: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123' }, { barcode: 'OK12' }],
    });
    expect(report).toEqual([
      { label: 1, sheet: 1, position: 1, barcode: 'lower-case', line: 'barcode', text: 'lower-case', problem: expect.stringMatching(/^no bars printed: cannot be written in code39: Code 39 must contain only digits, capital letters/) },
      { label: 2, sheet: 1, position: 2, barcode: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', line: 'barcode', text: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', problem: expect.stringMatching(/^too wide: \d+ modules need [\d.]+ pt at 0\.5 pt per bar module, the label has 121 pt; bars not printed$/) },
    ]);
    // only the third label has bars; all three have their text
    const bars = pdfRectangles(pdf)[0];
    expect(bars.length).toBe(Math.ceil(encodeBarcode('code39', 'OK12').widths.length / 2));
    expect(pdfWords(pdf)[0].words.map((w) => w.text)).toEqual(['lower-case', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', 'OK12']);
  });

  it('spine+barcode: the call number on the left, the bars and barcode on the right of the same label', async () => {
    for (const t of [T5160, LABEL_TEMPLATES['avery-l7160']]) {
      const labels = [{ barcode: '31234000000017', callNumber: '599.75 .S65', branch: 'CPL' }, { barcode: '31234000000025', callNumber: 'QA76.73 .J38 2024' }];
      const { pdf, report } = await renderLabels({ template: t, layout: 'spine+barcode', start: 2, labels });
      expect(report).toEqual([]);
      const words = pdfWords(pdf)[0].words;
      const bars = pdfRectangles(pdf)[0];
      expect(bars).toHaveLength(Math.ceil(encodeBarcode('codabar', '31234000000017').widths.length / 2) + Math.ceil(encodeBarcode('codabar', '31234000000025').widths.length / 2));
      for (const [i, position] of [[0, 2], [1, 3]] as const) {
        const mine = words.filter((w) => inBox(w, t, position));
        const spine = mine.filter((w) => w.text !== labels[i].barcode);
        const human = mine.find((w) => w.text === labels[i].barcode)!;
        expect(spine.map((w) => w.text)).toEqual([...splitCallNumber(labels[i].callNumber), ...(labels[i].branch ? [labels[i].branch] : [])]);
        const o = labelOrigin(t, position);
        const myBars = bars.filter((b) => b.x >= o.x && b.x < o.x + t.labelWidth && b.y >= o.y && b.y < o.y + t.labelHeight);
        expect(myBars.length).toBeGreaterThan(20);
        const spineRight = Math.max(...spine.map((w) => w.xMax));
        expect(Math.min(...myBars.map((b) => b.x))).toBeGreaterThan(spineRight);
        expect(human.xMin).toBeGreaterThan(spineRight);
        expect(Math.max(...myBars.map((b) => b.x + b.w))).toBeLessThanOrEqual(o.x + t.labelWidth - t.padding + 1e-6);
      }
    }
  });
});
