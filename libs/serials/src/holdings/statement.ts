/**
 * Holdings statements: what a library holds of a title, compressed into 863/864/865 fields (form 0: one
 * field per unbroken run, `$a1$b1-12`) and displayed per ANSI/NISO Z39.71 (`v.1:no.1(2024:Jan)-v.1:no.12(2024:Dec)`).
 * Between two runs, `,` marks a gap (issues published but not held) and `;` a non-gap break (nothing
 * was published there); the 863 before the break carries it in `$w` (`g` / `n`).
 */
import {
  HOLDING_TAG_OF,
  SerialsFormatError,
  linkOf,
  subfield,
  type CaptionField,
  type HoldingField,
  type IssueValues,
  type MarcSubfield,
} from '../marc-text.js';
import { issueLabel } from './label.js';

export type HoldingStatus = 'received' | 'missing' | 'not_published';
export const HOLDING_STATUSES: readonly HoldingStatus[] = ['received', 'missing', 'not_published'];

export interface HeldIssue {
  values: IssueValues;
  status: HoldingStatus;
}

export interface HoldingsStatementOptions {
  /** the last run is still growing (a current subscription): `v.1:no.1(2024:Jan)-`, `$a1-$b1-` */
  openEnded?: boolean;
  /** 863 first indicator: 3, 4 (default) or 5 */
  encodingLevel?: '3' | '4' | '5';
}

export interface HoldingsStatement {
  display: string;
  fields: HoldingField[];
}

const VALUE_CODE_ORDER = 'abcdefghijklm';
type BreakKind = 'g' | 'n';

interface Run {
  first: IssueValues;
  last: IssueValues;
  firstLabel: string;
  lastLabel: string;
  /** the break that follows this run, if another run follows */
  breakAfter?: BreakKind;
}

function at(index: number, error: unknown): never {
  if (error instanceof SerialsFormatError) throw new SerialsFormatError(error.message.slice(error.where.length + 2), `issues[${index}].${error.where}`);
  throw error;
}

/** the compressed value of one subfield: `6-8`, `1` when both ends agree, `6-` when open */
function rangeValue(first: string | undefined, last: string | undefined, open: boolean): string {
  const start = first ?? '*';
  if (open) return `${start}-`;
  const end = last ?? '*';
  return start === end ? start : `${start}-${end}`;
}

function runField(caption: CaptionField, run: Run, sequence: number, open: boolean, encodingLevel: string): HoldingField {
  const subfields: MarcSubfield[] = [{ code: '8', value: `${linkOf(caption) ?? '1'}.${sequence}` }];
  for (const code of VALUE_CODE_ORDER) {
    if (run.first[code] === undefined && run.last[code] === undefined) continue;
    subfields.push({ code, value: rangeValue(run.first[code]?.trim(), run.last[code]?.trim(), open) });
  }
  if (run.breakAfter) subfields.push({ code: 'w', value: run.breakAfter });
  return { tag: HOLDING_TAG_OF[caption.tag], indicators: `${encodingLevel}0`, subfields };
}

/**
 * The compressed 863 fields and the Z39.71 display of an ordered list of issues. Missing and
 * not-published issues before the first or after the last received issue are not shown (nothing is held
 * around them); between two received runs a missing issue makes a gap (`,`), not-published issues alone
 * a non-gap break (`;`).
 */
export function holdingsStatement(caption: CaptionField, issues: readonly HeldIssue[], options: HoldingsStatementOptions = {}): HoldingsStatement {
  if (!Array.isArray(issues)) throw new SerialsFormatError('expected a list of { values, status }', 'issues');
  const encodingLevel = options.encodingLevel ?? '4';
  if (!['3', '4', '5'].includes(encodingLevel)) throw new SerialsFormatError(`must be 3, 4 or 5 (got ${JSON.stringify(encodingLevel)})`, 'options.encodingLevel');
  const runs: Run[] = [];
  let current: Run | undefined;
  let pendingBreak: BreakKind | undefined;
  let missingAfterLastRun = false;
  issues.forEach((issue, index) => {
    if (issue === null || typeof issue !== 'object') throw new SerialsFormatError('expected { values, status }', `issues[${index}]`);
    if (!HOLDING_STATUSES.includes(issue.status)) {
      throw new SerialsFormatError(`must be one of ${HOLDING_STATUSES.join(', ')} (got ${JSON.stringify(issue.status)})`, `issues[${index}].status`);
    }
    let label: string;
    try {
      label = issueLabel(caption, issue.values);
    } catch (error) {
      at(index, error);
    }
    if (issue.status === 'received') {
      if (current && pendingBreak === undefined) {
        current.last = issue.values;
        current.lastLabel = label;
        return;
      }
      if (current) current.breakAfter = pendingBreak;
      current = { first: issue.values, last: issue.values, firstLabel: label, lastLabel: label };
      runs.push(current);
      pendingBreak = undefined;
      missingAfterLastRun = false;
      return;
    }
    if (issue.status === 'missing') {
      pendingBreak = 'g';
      missingAfterLastRun = current !== undefined;
    } else {
      pendingBreak ??= 'n';
    }
  });
  if (options.openEnded && missingAfterLastRun) {
    throw new SerialsFormatError('an issue after the last received one is missing; an open-ended statement would claim it is held', 'options.openEnded');
  }
  const open = options.openEnded === true;
  const fields = runs.map((run, i) => runField(caption, run, i + 1, open && i === runs.length - 1, encodingLevel));
  let display = '';
  runs.forEach((run, i) => {
    const last = i === runs.length - 1;
    if (open && last) display += `${run.firstLabel}-`;
    else display += run.firstLabel === run.lastLabel ? run.firstLabel : `${run.firstLabel}-${run.lastLabel}`;
    if (!last) display += run.breakAfter === 'g' ? ',' : ';';
  });
  return { display, fields };
}

/** The start and end values of a (possibly compressed) holding: `$b6-8` gives b 6 and 8; `$a1-` is open. */
export function holdingRange(caption: CaptionField, holding: HoldingField): { first: IssueValues; last?: IssueValues } {
  const where = `holding ${holding.tag} $8${subfield(holding, '8') ?? ''}`;
  if (HOLDING_TAG_OF[caption.tag] !== holding.tag) throw new SerialsFormatError(`does not go with caption ${caption.tag}`, where);
  const first: Record<string, string> = {};
  const last: Record<string, string> = {};
  let open = false;
  let any = false;
  for (const s of holding.subfields) {
    if (!/^[a-m]$/.test(s.code)) continue;
    if (s.code in first) throw new SerialsFormatError('is given twice', `${where} $${s.code}`);
    if (subfield(caption, s.code) === undefined) throw new SerialsFormatError(`the caption has no $${s.code}`, `${where} $${s.code}`);
    const parts = s.value.split('-');
    if (parts.length > 2 || parts[0]!.trim() === '') throw new SerialsFormatError(`${JSON.stringify(s.value)} is not a value or a range of two`, `${where} $${s.code}`);
    first[s.code] = parts[0]!.trim();
    last[s.code] = (parts[1] ?? parts[0]!).trim();
    if (parts.length === 2 && parts[1]!.trim() === '') open = true;
    any = true;
  }
  if (!any) throw new SerialsFormatError('has no enumeration or chronology', where);
  return open ? { first } : { first, last };
}
