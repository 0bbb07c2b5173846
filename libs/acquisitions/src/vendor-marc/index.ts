// Pure vendor MARC handling: order/item mapping per vendor, match points and overlay rules (no Nest, no I/O).
export type { OrderFieldName, ItemFieldName, SubfieldSource, VendorMarcMapping, ConfigProblem } from './mapping.js';
export {
  ORDER_FIELDS, ITEM_FIELDS, VendorMarcConfigError, parseVendorMarcMapping, formatVendorMarcMapping, VENDOR_MARC_PRESETS, vendorMarcPreset,
} from './mapping.js';
export type { VendorOrderData, VendorCopy, VendorMarcProblem, VendorMarcRecord, ApplyVendorMappingOptions } from './apply.js';
export { applyVendorMapping, mapVendorRecords } from './apply.js';
export type { MatchPoint, MatchKey, OverlayRule, OverlayPolicy, MatchLookup, OverlayDecision } from './match-points.js';
export {
  MATCH_POINTS, isbnKey, issnKey, systemControlNumberKey, controlNumberKey, matchKeys, parseMatchPoints, decideOverlay,
} from './match-points.js';
