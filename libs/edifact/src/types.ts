/** The six service characters a UNA declares (or the ISO 9735 defaults when there is none). */
export interface EdifactSeparators {
  component: string;
  element: string;
  decimal: string;
  release: string;
  /** The repetition separator (syntax 4) or a reserved blank. Kept literal: library messages never repeat elements. */
  repetition: string;
  segment: string;
}

export const DEFAULT_SEPARATORS: Readonly<EdifactSeparators> = Object.freeze({
  component: ':', element: '+', decimal: '.', release: '?', repetition: ' ', segment: "'",
});

export interface EdifactSegment {
  tag: string;
  /**
   * Elements as arrays of components, release characters resolved; the tag is not an element.
   * Segments from the tokenizer split their text on each read: read once and keep the array.
   */
  elements: string[][];
  /** Character offset of the segment's first character in the decoded text. */
  offset: number;
}

export type EdifactWarningCode =
  | 'decoding' | 'charset' | 'curly-terminator' | 'empty-segment' | 'dangling-release' | 'unterminated-segment'
  | 'bad-una' | 'bad-tag' | 'internal-error'
  | 'missing-unb' | 'missing-unz' | 'missing-unh' | 'missing-unt' | 'missing-une' | 'stray-segment'
  | 'unt-count' | 'unt-reference' | 'unt-syntax' | 'unz-count' | 'unz-reference' | 'une-count' | 'une-reference';

export interface EdifactWarning {
  code: EdifactWarningCode;
  message: string;
  /** 0-based interchange index in the file, when the warning belongs to one. */
  interchange?: number;
  /** The UNH message reference, when the warning belongs to a message. */
  messageReference?: string;
}

export interface EdifactParty {
  id: string;
  /** Identification code qualifier: 14 EAN, 31B SAN, 91 supplier-assigned, 92 buyer-assigned, ZZ mutually agreed. */
  qualifier?: string;
}

export interface EdifactMessage {
  /** INVOIC, ORDRSP, DESADV, QUOTES, ORDERS, OSTENQ… as written in UNH. */
  type: string;
  version: string;
  release: string;
  agency: string;
  /** Association-assigned code, e.g. EAN008. */
  association?: string;
  reference: string;
  /** The UNG group reference when the message sits in a functional group. */
  group?: string;
  /** Segments between UNH and UNT, both excluded. */
  segments: EdifactSegment[];
  warnings: EdifactWarning[];
}

export interface EdifactInterchange {
  sender: EdifactParty;
  recipient: EdifactParty;
  /** Syntax identifier and version as declared in UNB (UNOA, UNOB, UNOC…): the decoder never trusts it. */
  syntax: { id: string; version: string };
  reference: string;
  /** UNB preparation date and time as written (YYMMDD or CCYYMMDD, HHMM). */
  date: string;
  time: string;
  /** Application reference (UNB 0026), e.g. INVOIC or QUOTES. */
  application?: string;
  separators: EdifactSeparators;
  messages: EdifactMessage[];
  warnings: EdifactWarning[];
}

export interface EdifactFile {
  /** How the bytes were decoded: input given as a string is 'string'. */
  encoding: 'ascii' | 'utf-8' | 'latin1' | 'string';
  interchanges: EdifactInterchange[];
  /** Every warning in the file, including each interchange's and message's own. */
  warnings: EdifactWarning[];
}
