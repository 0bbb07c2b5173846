/**
 * MARC 21 holdings fields (853/854/855 captions and patterns, 863/864/865 enumeration and chronology)
 * in the text form staff type and the fixtures use: `853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01`.
 * Also read: MARCBreaker lines (`=853  20$81$av.…`), `‡` or `|` as the subfield delimiter, and `\` or `#`
 * for a blank indicator. Pure: no I/O.
 */

export type CaptionTag = '853' | '854' | '855';
export type HoldingTag = '863' | '864' | '865';

export interface MarcSubfield {
  readonly code: string;
  readonly value: string;
}

export interface HoldingsField<T extends string = string> {
  readonly tag: T;
  /** two characters, blanks as spaces */
  readonly indicators: string;
  /** in the order given; repeatable subfields (853 $y, $x) appear more than once */
  readonly subfields: readonly MarcSubfield[];
}

export type CaptionField = HoldingsField<CaptionTag>;
export type HoldingField = HoldingsField<HoldingTag>;

/**
 * The values of one issue as 863 subfields: enumeration `a`–`h`, chronology `i`–`m`
 * (`{ a: '1', b: '7', i: '1990', j: '07' }`); a combined issue holds `/` (`{ b: '7/8', j: '07/08' }`).
 */
export type IssueValues = Readonly<Record<string, string>>;

/** Bad serials input (a pattern or holding that cannot be read); `where` names the field or subfield. */
export class SerialsFormatError extends Error {
  constructor(message: string, readonly where: string) {
    super(`${where}: ${message}`);
    this.name = 'SerialsFormatError';
  }
}

export const CAPTION_TAGS: readonly CaptionTag[] = ['853', '854', '855'];
export const HOLDING_TAGS: readonly HoldingTag[] = ['863', '864', '865'];
/** the holding tag that carries values for each caption tag */
export const HOLDING_TAG_OF: Readonly<Record<CaptionTag, HoldingTag>> = { '853': '863', '854': '864', '855': '865' };

const MAX_FIELD_CHARS = 4096;
const DELIMITERS = /[$‡|]/;

function parseField<T extends string>(text: string, tags: readonly T[], what: string): HoldingsField<T> {
  if (typeof text !== 'string') throw new SerialsFormatError('expected text', what);
  if (text.length > MAX_FIELD_CHARS) throw new SerialsFormatError(`longer than ${MAX_FIELD_CHARS} characters`, what);
  const line = text.trim().replace(/^=/, '');
  const tag = line.slice(0, 3);
  if (!(tags as readonly string[]).includes(tag)) {
    throw new SerialsFormatError(`must start with one of ${tags.join(', ')} (got ${JSON.stringify(line.slice(0, 10))})`, what);
  }
  const rest = line.slice(3);
  const first = rest.search(DELIMITERS);
  if (first < 0) throw new SerialsFormatError('has no subfields (write them as $a…)', `${what} ${tag}`);
  const delimiter = rest[first]!;
  const indicatorText = rest.slice(0, first);
  const written = indicatorText.trim();
  const indicators = (written === '' ? '  ' : written).replace(/[\\#_]/g, ' ');
  if (indicators.length !== 2 || /[^0-9 ]/.test(indicators)) {
    throw new SerialsFormatError(`indicators must be two digits or blanks (got ${JSON.stringify(indicatorText)})`, `${what} ${tag}`);
  }
  const subfields: MarcSubfield[] = [];
  for (const part of rest.slice(first + 1).split(delimiter)) {
    if (part === '') continue;
    const code = part[0]!;
    if (!/^[a-z0-9]$/.test(code)) throw new SerialsFormatError(`subfield code ${JSON.stringify(code)} is not a lowercase letter or digit`, `${what} ${tag}`);
    subfields.push({ code, value: part.slice(1).trim() });
  }
  if (subfields.length === 0) throw new SerialsFormatError('has no subfields', `${what} ${tag}`);
  return { tag: tag as T, indicators, subfields };
}

/** An 853, 854 or 855 in text form. */
export function parseCaption(text: string): CaptionField {
  return parseField(text, CAPTION_TAGS, 'caption');
}

/** An 863, 864 or 865 in text form. */
export function parseHolding(text: string): HoldingField {
  return parseField(text, HOLDING_TAGS, 'holding');
}

/** The field back in text form (`853 20 $81$av.…`), as `parseCaption`/`parseHolding` read it. */
export function formatField(field: HoldingsField): string {
  return `${field.tag} ${field.indicators.replace(/ /g, '\\')} ${field.subfields.map((s) => `$${s.code}${s.value}`).join('')}`;
}

/** The first value of a subfield, or undefined. */
export function subfield(field: HoldingsField, code: string): string | undefined {
  return field.subfields.find((s) => s.code === code)?.value;
}

/** Every value of a repeatable subfield, in order. */
export function subfieldsOf(field: HoldingsField, code: string): string[] {
  return field.subfields.filter((s) => s.code === code).map((s) => s.value);
}

/** A holding's values as IssueValues (enumeration and chronology subfields a–m only). */
export function issueValuesOf(field: HoldingField): IssueValues {
  const values: Record<string, string> = {};
  for (const s of field.subfields) if (s.code >= 'a' && s.code <= 'm' && !(s.code in values)) values[s.code] = s.value;
  return values;
}

/** The caption's link number ($8 before the dot), e.g. '1' for both `$81` and `$81.3`. */
export function linkOf(field: HoldingsField): string | undefined {
  return subfield(field, '8')?.split('.')[0];
}
