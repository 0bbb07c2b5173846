import { callNumberSortKey, detectScheme, type CallNumberScheme } from './callnumber.js';

/**
 * Sort-key bounds for a shelf range such as "from QA76 to QA77" (a shelf read, a shelf list).
 *
 * `from` is inclusive. `to` is inclusive of everything filed under it: to=QA77 takes QA77, QA77 .B2
 * v.3 and QA77.5, but not QA78 or QA770 (the class number is padded in the key, so QA770 does not
 * start with QA77's key). Both are read like call numbers; a bare LC class ("QA", "PS") counts as LC
 * so a range can start at the head of a class. Keys never contain '~', so key + '~' is just above
 * every key that starts with it.
 */
export interface ShelfRangeKeys {
  /** items with sortKey >= gte */
  gte?: string;
  /** items with sortKey < lt */
  lt?: string;
}

const END = '~';

export class ShelfRangeError extends Error {}

/** The key a range bound stands for; '' when the text holds no call number. */
export function shelfBoundKey(text: string, scheme?: CallNumberScheme): string {
  if (typeof text !== 'string') return '';
  if (scheme) return callNumberSortKey(text, scheme);
  const t = text.trim();
  // "QA" alone is not detected as LC (it could be any word); as a range bound it is the class.
  if (detectScheme(t) === 'generic' && /^[A-Za-z]{1,3}$/.test(t) && detectScheme(`${t}1`) === 'lc') return callNumberSortKey(t, 'lc');
  return callNumberSortKey(t);
}

/** Throws ShelfRangeError naming the bound that holds no call number or a range that runs backwards. */
export function shelfRangeKeys(from?: string | null, to?: string | null, scheme?: CallNumberScheme): ShelfRangeKeys {
  const out: ShelfRangeKeys = {};
  if (from != null && from !== '') {
    out.gte = shelfBoundKey(from, scheme);
    if (!out.gte) throw new ShelfRangeError(`from "${from}" holds no call number`);
  }
  if (to != null && to !== '') {
    const key = shelfBoundKey(to, scheme);
    if (!key) throw new ShelfRangeError(`to "${to}" holds no call number`);
    out.lt = key + END;
  }
  if (out.gte !== undefined && out.lt !== undefined && !(out.gte < out.lt)) {
    throw new ShelfRangeError(`from "${from}" files after to "${to}": a shelf range runs from the lower call number to the higher`);
  }
  return out;
}
