import { loadSettings } from '@carrel/config';
import { checkLabelProfile, checkStart, customTemplates, LABEL_TEMPLATES, labelOrigin, labelPlace, labelTemplate, parseLength, PT_PER_IN, PT_PER_MM } from '@carrel/print';
import { ROOT } from '../support/databases.js';

const BROD = { name: 'Brodart 70-3', pageWidth: '8.5in', pageHeight: '11in', columns: 5, rows: 12, labelWidth: '1.5in', labelHeight: '0.75in', top: '0.75in', left: '0.4in', columnGap: '0.1in', rowGap: 0 };

describe('label sheet templates', () => {
  it('has the common sheets built in, as the published geometry says', () => {
    expect(Object.keys(LABEL_TEMPLATES).sort()).toEqual(['avery-5160', 'avery-5167', 'avery-5460', 'avery-l7160', 'demco-spine', 'gaylord-8511']);
    const t = labelTemplate('Avery 5160');
    expect(t).toMatchObject({ pageWidth: 612, pageHeight: 792, columns: 3, rows: 10, labelWidth: 189, labelHeight: 72, top: 36, left: 13.5, columnGap: 9, rowGap: 0 });
    expect(labelTemplate('AVERY_L7160')).toMatchObject({ pageWidth: 210 * PT_PER_MM, pageHeight: 297 * PT_PER_MM, labelWidth: 181.4, labelHeight: 108, top: 43.9, left: 21.2, columnGap: 5.8 });
    expect(labelTemplate('avery-5460')).toMatchObject({ pageWidth: 5.625 * PT_PER_IN, pageHeight: 3.625 * PT_PER_IN, columns: 7, rows: 2, labelWidth: 54, labelHeight: 108, rowGap: 18 });
    expect(labelTemplate('gaylord 8511')).toMatchObject({ columns: 1, rows: 8, labelWidth: 72, labelHeight: 90, top: 0.6 * 72, left: 36 });
    expect(labelTemplate('demco-spine')).toMatchObject({ columns: 5, rows: 10, labelWidth: 108, columnGap: 4.5, left: 18 });
    expect(labelTemplate('avery-5167')).toMatchObject({ columns: 4, rows: 20, labelWidth: 126, labelHeight: 36, left: 20.25, columnGap: 22.5 });
  });

  it('places label n row-major from the top-left, by the template formulas', () => {
    const t = labelTemplate('avery-5160');
    expect(labelOrigin(t, 1)).toEqual({ row: 1, column: 1, x: 13.5, y: 36 });
    expect(labelOrigin(t, 3)).toEqual({ row: 1, column: 3, x: 13.5 + 2 * (189 + 9), y: 36 });
    expect(labelOrigin(t, 5)).toEqual({ row: 2, column: 2, x: 13.5 + 198, y: 36 + 72 });
    expect(labelOrigin(t, 30)).toEqual({ row: 10, column: 3, x: 13.5 + 396, y: 36 + 9 * 72 });
    const s = labelTemplate('avery-5460');
    expect(labelOrigin(s, 8)).toMatchObject({ row: 2, column: 1, x: 0.31 * 72, y: 0.35 * 72 + 108 + 18 });
  });

  it('continues a batch from a start position over as many sheets as needed', () => {
    const t = labelTemplate('avery-5160');
    expect(labelPlace(t, 29, 0)).toMatchObject({ sheet: 1, position: 29 });
    expect(labelPlace(t, 29, 1)).toMatchObject({ sheet: 1, position: 30 });
    expect(labelPlace(t, 29, 2)).toMatchObject({ sheet: 2, position: 1, x: 13.5, y: 36 });
    expect(labelPlace(t, 1, 65)).toMatchObject({ sheet: 3, position: 6 });
    expect(() => checkStart(t, 31)).toThrow(/start position must be a whole number from 1 to 30 \(the labels on a avery-5160 sheet\), got 31/);
    expect(() => checkStart(t, 0)).toThrow(/from 1 to 30/);
    expect(() => checkStart(t, 2.5)).toThrow(/got 2.5/);
  });

  it('applies a printer profile as Koha does: offsets once, creep at every step', () => {
    const t = labelTemplate('avery-5160');
    const p = checkLabelProfile({ offsetX: 2, offsetY: -3, creepX: 0.5, creepY: '0.01in' }, 'print.printers[0].labelProfile');
    expect(labelOrigin(t, 1, p)).toMatchObject({ x: 15.5, y: 33 });
    expect(labelOrigin(t, 30, p)).toMatchObject({ x: 13.5 + 2 + 2 * (198 + 0.5), y: 36 - 3 + 9 * (72 + 0.72) });
    expect(checkLabelProfile(undefined, 'x')).toEqual({ offsetX: 0, offsetY: 0, creepX: 0, creepY: 0 });
    expect(() => checkLabelProfile({ offsetX: 'left' }, 'print.printers[1].labelProfile')).toThrow(/print\.printers\[1\]\.labelProfile\.offsetX must be a length/);
    expect(() => checkLabelProfile({ offsetZ: 1 }, 'print.printers[1].labelProfile')).toThrow(/unknown field "offsetZ"/);
    expect(() => checkLabelProfile({ creepY: 80 }, 'p')).toThrow(/p\.creepY must be within ±72 pt/);
    expect(() => checkLabelProfile([1, 2], 'p')).toThrow(/p must be an object/);
  });

  it('reads custom sheets from print.labelTemplates, in any unit', () => {
    const custom = customTemplates([BROD, { ...BROD, name: 'metric', pageWidth: '210mm', pageHeight: '29.7cm', labelWidth: 100, left: '5.5pt', columns: 2 }]);
    expect(custom['brodart-70-3']).toMatchObject({ labelWidth: 108, labelHeight: 54, columnGap: 7.2, padding: 4, fontSize: 10 });
    expect(custom.metric.pageWidth).toBeCloseTo(595.2756, 3);
    expect(custom.metric.pageHeight).toBeCloseTo(841.8898, 3);
    expect(custom.metric.left).toBe(5.5);
    expect(labelTemplate('brodart 70-3', [BROD]).rows).toBe(12);
    expect(parseLength(' 2 in ', 'x')).toBe(144);
    // the setting's own parsing hands the JSON through
    const settings = loadSettings({ baseDir: ROOT, file: null, env: { CARREL_PRINT_LABEL_TEMPLATES: JSON.stringify([BROD]) } });
    expect(labelTemplate('brodart-70-3', settings['print.labelTemplates']).columns).toBe(5);
    expect(loadSettings({ baseDir: ROOT, file: null, env: {} })['print.labelMinFontSize']).toBe(6);
  });

  it('refuses bad custom templates naming the template and the field', () => {
    const bad = (t: Record<string, unknown>, at = 0) => () => customTemplates([...Array(at).fill(null).map((_, i) => ({ ...BROD, name: `ok-${i}` })), t]);
    expect(bad({ ...BROD, labelWidth: '1.5 inches' })).toThrow(/print\.labelTemplates\[0\] "Brodart 70-3": labelWidth must be a length .*got "1.5 inches"/);
    expect(bad({ ...BROD, columns: 0 }, 1)).toThrow(/print\.labelTemplates\[1\] "Brodart 70-3": columns must be a whole number from 1 to 200, got 0/);
    expect(bad({ ...BROD, rows: 2.5 })).toThrow(/rows must be a whole number/);
    expect(bad({ ...BROD, labelHeight: 0 })).toThrow(/"Brodart 70-3": labelHeight must be greater than 0/);
    expect(bad({ ...BROD, top: '-1in' })).toThrow(/top must be 0 or more/);
    expect(bad({ ...BROD, columns: 6 })).toThrow(/"Brodart 70-3": columns do not fit across the page: .* = 712\.80 pt, pageWidth is 612\.00 pt/);
    expect(bad({ ...BROD, rows: 14 })).toThrow(/rows do not fit down the page/);
    expect(bad({ ...BROD, padding: 30 })).toThrow(/padding 30 pt leaves no room/);
    expect(bad({ ...BROD, colour: 'red' })).toThrow(/"Brodart 70-3": unknown field "colour"/);
    const { left: _left, ...noLeft } = BROD;
    expect(bad(noLeft)).toThrow(/"Brodart 70-3": left is required/);
    expect(bad({ ...BROD, name: '../etc' })).toThrow(/name must be 1–63 letters/);
    expect(bad({ ...BROD, name: 'Avery 5160' })).toThrow(/"avery-5160": name is a built-in template's/);
    expect(() => customTemplates([BROD, BROD])).toThrow(/print\.labelTemplates\[1\] "brodart-70-3": name is used twice/);
    expect(() => customTemplates({ name: 'x' })).toThrow(/must be a JSON array/);
    expect(() => customTemplates(['avery'])).toThrow(/print\.labelTemplates\[0\] must be an object/);
    expect(() => labelTemplate('avery-9999', [BROD])).toThrow(/label template "avery-9999" not found \(known: avery-5160, .*brodart-70-3\)/);
  });
});
