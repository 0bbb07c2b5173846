import bwipjs from 'bwip-js';

/**
 * Linear barcodes as bar widths (bwip-js encodes, Carrel draws the bars as filled rectangles in the PDF:
 * vector bars stay sharp at any printer resolution, which a bitmap scaled to the label does not).
 */

export const SYMBOLOGIES = ['codabar', 'code39', 'code128'] as const;
export type Symbology = (typeof SYMBOLOGIES)[number];

const BCID: Record<Symbology, string> = { codabar: 'rationalizedCodabar', code39: 'code39', code128: 'code128' };

export interface EncodedBarcode {
  /** bar, space, bar, … widths in modules, starting with a bar */
  widths: number[];
  /** total width in modules */
  modules: number;
}

export class BarcodeError extends Error {}

/**
 * Library Codabar barcodes are stored without their start and stop characters ("31234000123456"); the
 * symbol needs them, so A…B is added unless the stored value already carries a pair.
 */
export function symbolText(symbology: Symbology, barcode: string): string {
  if (symbology === 'codabar' && !/^[A-D].*[A-D]$/i.test(barcode)) return `A${barcode}B`;
  return barcode;
}

const cache = new Map<string, EncodedBarcode>();

/** Encodes a barcode; throws BarcodeError saying why a value cannot be written in that symbology. */
export function encodeBarcode(symbology: Symbology, barcode: string): EncodedBarcode {
  const key = `${symbology}\u0000${barcode}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (barcode === '') throw new BarcodeError('the barcode is empty');
  let raw: { sbs?: number[] }[];
  try {
    raw = bwipjs.raw({ bcid: BCID[symbology], text: symbolText(symbology, barcode) }) as { sbs?: number[] }[];
  } catch (e) {
    // bwip-js messages look like "bwipp.code39badCharacter#10257: Code 39 must contain only …"
    const msg = String((e as Error).message ?? e).replace(/^bwipp\.\w+#\d+:\s*/, '');
    throw new BarcodeError(`cannot be written in ${symbology}: ${msg}`);
  }
  const first = raw[0];
  if (!first?.sbs) throw new BarcodeError(`${symbology} gave no bars`);
  const widths = first.sbs.slice();
  const encoded = { widths, modules: widths.reduce((a, w) => a + w, 0) };
  if (cache.size > 10_000) cache.clear();
  cache.set(key, encoded);
  return encoded;
}
