export type { CallNumberScheme, ParsedCallNumber } from './callnumber.js';
export { callNumberSortKey, detectScheme, parseCallNumber } from './callnumber.js';
export { splitCallNumber } from './spine.js';
export type { SplitOptions } from './spine.js';
export { ShelfRangeError, shelfBoundKey, shelfRangeKeys } from './range.js';
export type { ShelfRangeKeys } from './range.js';
