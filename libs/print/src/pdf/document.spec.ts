import { BOLD, BODY, newPdf, pdfBytes, PT_PER_IN } from './document.js';

describe('Carrel PDFs', () => {
  it('have the exact page size, the font embedded, no print scaling, and the same bytes for the same input', async () => {
    const make = async () => {
      const doc = newPdf({ size: [8.5 * PT_PER_IN, 11 * PT_PER_IN], title: 'Test' });
      doc.font(BODY).fontSize(10).text('Čapek — Ελληνικά — Русский — עברית', 72, 72);
      doc.font(BOLD).text('QA76.73 .J38 2024', 72, 100);
      return pdfBytes(doc);
    };
    const pdf = await make();
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.7')).toBe(true);
    expect(text).toMatch(/\/MediaBox \[0 0 612 792\]/);
    expect(text).toMatch(/\/PrintScaling \/None/);
    expect(text).toMatch(/\/FontFile2/); // TrueType embedded
    expect(text).toMatch(/DejaVuSans/);
    expect((await make()).equals(pdf)).toBe(true);
  });

  it('refuses a size that is not a page', () => {
    expect(() => newPdf({ size: [0, 792], title: 'x' })).toThrow(/not a page/);
    expect(() => newPdf({ size: [612, Number.NaN], title: 'x' })).toThrow(/not a page/);
  });
});
