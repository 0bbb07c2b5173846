// Types for the mapping tables inside the `marc8` package (it ships no typings).
declare module 'marc8/lib/marc8_mapping.js' {
  /** charset final byte -> byte or 24-bit EACC code -> [Unicode code point, isCombining 0/1] */
  export const CODESETS: Record<number, Record<number, [number, number]>>;
  /** EACC codes some vendors (III) emit that LC's table lacks -> Unicode code point */
  export const ODD_MAP: Record<number, number>;
}
