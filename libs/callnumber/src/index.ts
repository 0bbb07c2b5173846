export type { CallNumberScheme, ParsedCallNumber } from './callnumber.js';
export { callNumberSortKey, detectScheme, parseCallNumber } from './callnumber.js';
