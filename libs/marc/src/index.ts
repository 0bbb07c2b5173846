export type {
  MarcSubfield, MarcControlField, MarcDataField, MarcField, MarcRecord, MarcSourceFormat, MarcSourceEncoding,
  MarcReadOk, MarcReadError, MarcReadResult, ReadIso2709Options,
} from './types.js';
export { MarcWriteError } from './types.js';
export { readIso2709, writeIso2709 } from './iso2709.js';
export { readMarcXml, writeMarcXml, MARC21_SLIM_NS } from './marcxml.js';
export { detectMarcFormat, readMarc } from './read.js';
export { fieldsOf, subfieldValues, isControlField, isDataField } from './accessors.js';
export type { BibSummary } from './bib.js';
export { summarizeBib, normalizeIsbn, normalizeIssn, normalizeLccn } from './bib.js';
export type { ItemFieldMapping, ExtractedItem } from './items.js';
export { extractItems, normalizePrice, KOHA_952_MAPPING, MARC_852_MAPPING, EVERGREEN_852_MAPPING } from './items.js';
