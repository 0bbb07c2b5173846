/**
 * The ANSI/NISO Z39.71 display of one issue from its 853/854/855 caption and its 863/864/865 values.
 *
 * Carrel's style (one style everywhere, so labels sort and compare as text):
 * - enumeration levels joined by `:`, each caption before its value: `v.1:no.7`;
 * - chronology in parentheses after the enumeration: `v.1:no.7(1990:July)`; without enumeration
 *   (a chronology-only pattern) the chronology alone: `1990:July`;
 * - chronology levels joined by `:`, except a day after a month, which follows it after a space
 *   (`2024:Jan 15`), the way the date is printed on the issue;
 * - months in the AACR2 abbreviations without the full stop, which also keeps the full stop of a caption
 *   (`no.`) the only one in a label: Jan Feb Mar Apr May June July Aug Sept Oct Nov Dec;
 *   seasons (codes 21–24) as MARC 21 names them: Spring Summer Autumn Winter;
 * - a caption in parentheses (`(year)`, `(month)`) is not displayed, only its value;
 * - a combined issue keeps its `/`: `no.7/8(1990:July/Aug)`; a supplied value keeps its brackets
 *   (`[Apr]`), unknown values (`*`, `199?`) are shown as given;
 * - an alternative numbering scheme ($g/$h, $m) follows after `=`, after the chronology:
 *   `v.1:no.3(1990:Mar)=no.27`.
 */
import { SerialsFormatError, subfield, type CaptionField, type IssueValues } from '../marc-text.js';

export const ENUMERATION_CODES = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export const ALTERNATIVE_ENUMERATION_CODES = ['g', 'h'] as const;
export const CHRONOLOGY_CODES = ['i', 'j', 'k', 'l'] as const;
export const ALTERNATIVE_CHRONOLOGY_CODE = 'm';
const VALUE_CODES = /^[a-m]$/;

export const MONTH_NAMES: Readonly<Record<string, string>> = {
  '01': 'Jan', '02': 'Feb', '03': 'Mar', '04': 'Apr', '05': 'May', '06': 'June',
  '07': 'July', '08': 'Aug', '09': 'Sept', '10': 'Oct', '11': 'Nov', '12': 'Dec',
};
export const SEASON_NAMES: Readonly<Record<string, string>> = { '21': 'Spring', '22': 'Summer', '23': 'Autumn', '24': 'Winter' };

type ChronologyKind = 'year' | 'month' | 'season' | 'week' | 'day' | 'other';

/** What a chronology caption counts, read from its words (`(month)`, `(season)`, `mo.`…). */
function chronologyKind(caption: string): ChronologyKind {
  const words = caption.toLowerCase();
  if (/season/.test(words)) return 'season';
  if (/month|\bmo\b/.test(words)) return 'month';
  if (/week|\bwk\b/.test(words)) return 'week';
  if (/day|date/.test(words)) return 'day';
  if (/year|\byr\b/.test(words)) return 'year';
  return 'other';
}

/** Chronology captions in the enumeration subfields mean the issues carry chronology only (MARC 21 853 $a–$h). */
export function isChronologyOnly(caption: CaptionField): boolean {
  const first = subfield(caption, 'a');
  return first !== undefined && first.startsWith('(') && chronologyKind(first) !== 'other';
}

function shown(caption: string): string {
  return caption.startsWith('(') ? '' : caption;
}

/** One value part (no `/`): a month or season name where the caption counts months or seasons. */
function chronologyPart(part: string, kind: ChronologyKind, where: string): string {
  const supplied = /^\[(.*)\]$/.exec(part);
  if (supplied) return `[${chronologyPart(supplied[1]!, kind, where)}]`;
  if (part === '' ) throw new SerialsFormatError('is empty', where);
  if (/[*?]/.test(part)) return part;
  if (kind === 'month' || kind === 'season') {
    if (!/^\d{1,2}$/.test(part)) throw new SerialsFormatError(`${JSON.stringify(part)} is not a month (01–12) or season (21–24)`, where);
    const code = part.padStart(2, '0');
    const name = MONTH_NAMES[code] ?? SEASON_NAMES[code];
    if (name === undefined) throw new SerialsFormatError(`${JSON.stringify(part)} is not a month (01–12) or season (21–24)`, where);
    return name;
  }
  if (kind === 'day' || kind === 'week') {
    if (/^\d+$/.test(part)) return String(Number(part));
  }
  return part;
}

function chronologyValue(value: string, kind: ChronologyKind, where: string): string {
  return value.split('/').map((part) => chronologyPart(part.trim(), kind, where)).join('/');
}

function checkValues(caption: CaptionField, values: IssueValues): void {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) {
    throw new SerialsFormatError('expected the issue values as an object ({ a: "1", b: "7", i: "1990", j: "07" })', 'values');
  }
  const codes = Object.keys(values);
  if (codes.length === 0) throw new SerialsFormatError('no enumeration or chronology given', 'values');
  for (const code of codes) {
    const where = `values.${code}`;
    if (!VALUE_CODES.test(code)) throw new SerialsFormatError('is not an enumeration or chronology subfield (a–m)', where);
    const value = values[code];
    if (typeof value !== 'string') throw new SerialsFormatError(`expected text, got ${typeof value}`, where);
    if (value.trim() === '') throw new SerialsFormatError('is empty', where);
    if (/[$‡|]/.test(value)) throw new SerialsFormatError(`${JSON.stringify(value)} holds a subfield delimiter`, where);
    if (subfield(caption, code) === undefined) throw new SerialsFormatError(`the caption ${caption.tag} has no $${code} for this value`, where);
  }
}

/** The levels given, in order; a level below one that is missing is an error (it would display wrongly). */
function levelsOf(caption: CaptionField, values: IssueValues, codes: readonly string[]): { code: string; caption: string; value: string }[] {
  const levels: { code: string; caption: string; value: string }[] = [];
  let missing: string | undefined;
  for (const code of codes) {
    const captionText = subfield(caption, code);
    if (captionText === undefined) break;
    const value = values[code];
    if (value === undefined) {
      missing ??= code;
      continue;
    }
    if (missing !== undefined) throw new SerialsFormatError(`given without $${missing} above it`, `values.${code}`);
    levels.push({ code, caption: captionText, value: value.trim() });
  }
  return levels;
}

function chronologyText(levels: { code: string; caption: string; value: string }[]): string {
  let text = '';
  let previous: ChronologyKind | undefined;
  for (const level of levels) {
    const kind = chronologyKind(level.caption);
    const value = shown(level.caption) + chronologyValue(level.value, kind, `values.${level.code}`);
    text += previous === undefined ? value : (previous === 'month' && kind === 'day' ? ' ' : ':') + value;
    previous = kind;
  }
  return text;
}

function enumerationText(levels: { code: string; caption: string; value: string }[]): string {
  return levels.map((level) => shown(level.caption) + level.value).join(':');
}

/**
 * The Z39.71 display of one issue: `v.1:no.7(1990:July)`, `1990:July` for a chronology-only pattern,
 * `v.1:no.7/8(1990:July/Aug)` for a combined issue. Throws SerialsFormatError (naming `values.<code>`) for
 * values the caption has no subfield for, empty or non-text values, a level given without the level above
 * it, and a month that is not 01–12 or a season 21–24.
 */
export function issueLabel(caption: CaptionField, values: IssueValues): string {
  checkValues(caption, values);
  const unit = subfield(caption, 'o');
  const prefix = unit ? `${unit} ` : '';
  if (isChronologyOnly(caption)) {
    const levels = levelsOf(caption, values, ENUMERATION_CODES);
    if (levels.length === 0) throw new SerialsFormatError(`the caption's chronology is in $a–$f but no $a is given`, 'values.a');
    return prefix + chronologyText(levels);
  }
  const enumeration = enumerationText(levelsOf(caption, values, ENUMERATION_CODES));
  const chronology = chronologyText(levelsOf(caption, values, CHRONOLOGY_CODES));
  let label = enumeration === '' ? chronology : chronology === '' ? enumeration : `${enumeration}(${chronology})`;
  const alternative = enumerationText(levelsOf(caption, values, ALTERNATIVE_ENUMERATION_CODES));
  if (alternative !== '') {
    label += `=${alternative}`;
    const m = values[ALTERNATIVE_CHRONOLOGY_CODE];
    const mCaption = subfield(caption, ALTERNATIVE_CHRONOLOGY_CODE);
    if (m !== undefined && mCaption !== undefined) label += `(${shown(mCaption)}${m.trim()})`;
  }
  if (label === '') throw new SerialsFormatError('no $a (enumeration) or $i (chronology) value given', 'values');
  return prefix + label;
}
