export interface MarcSubfield {
  code: string;
  value: string;
}
export interface MarcControlField {
  tag: string;
  value: string;
}
export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: MarcSubfield[];
}
/** Tell the two apart with `'value' in f` (or isControlField / isDataField). */
export type MarcField = MarcControlField | MarcDataField;
export interface MarcRecord {
  leader: string;
  fields: MarcField[];
}

export type MarcSourceFormat = 'iso2709' | 'marcxml';
export type MarcSourceEncoding = 'utf-8' | 'marc-8' | 'xml';

export interface MarcReadOk {
  ok: true;
  /** 0-based position of this result in the input (rejected records count too). */
  index: number;
  /** Byte offset of the record in the input, or -1 for MARCXML. */
  offset: number;
  /** All values decoded to JS strings; leader/09 set to 'a'. Values are not Unicode-normalised. */
  record: MarcRecord;
  /** The record's bytes exactly as found (a view into the input, not a copy); for MARCXML the <record> element's text as UTF-8. */
  raw: Buffer;
  format: MarcSourceFormat;
  sourceEncoding: MarcSourceEncoding;
  /** Things that were repaired or ignored, each naming the field; empty for a clean record. */
  warnings: string[];
}
export interface MarcReadError {
  ok: false;
  index: number;
  offset: number;
  raw?: Buffer;
  /** 'unknown' only when readMarc could not tell what the input is. */
  format: MarcSourceFormat | 'unknown';
  /** Self-contained: "record 3 at byte 1822: directory entry 5 (tag 245) points past end of record" ("record N" is 1-based). */
  error: string;
}
export type MarcReadResult = MarcReadOk | MarcReadError;

export interface ReadIso2709Options {
  /** Ignore leader/09 and decode every record with this encoding. */
  assumeEncoding?: 'utf-8' | 'marc-8';
  /**
   * A byte or code that no MARC-8 character set defines: 'reject' the record (default), or
   * 'replace' it with U+FFFD and a warning. Only for loading damaged data knowingly.
   */
  invalidMarc8?: 'reject' | 'replace';
}

/** Thrown by the writers when a record cannot be serialised (they are given our own data, not input). */
export class MarcWriteError extends Error {
  override name = 'MarcWriteError';
}
