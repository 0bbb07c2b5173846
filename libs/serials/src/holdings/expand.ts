/**
 * The other direction of a holdings statement: a compressed 863 range back to the issues it holds,
 * by walking the caption's prediction from the first issue of the range to its last; and several 863s
 * (compressed, single, open-ended, overlapping, unsorted) merged into one compressed statement.
 */
import { SerialsFormatError, subfield, type CaptionField, type HoldingField, type IssueValues } from '../marc-text.js';
import { MAX_PREDICTED_ISSUES, describeIssue, predictIssues, type PredictedIssue } from '../prediction/index.js';
import { holdingRange, holdingsStatement, type HeldIssue, type HoldingsStatement, type HoldingsStatementOptions } from './statement.js';

const ENUMERATION = 'abcdefgh';
const CHRONOLOGY = 'ijklm';
/** A range longer than this is not a holding but a mistake (a daily title over a century); the predictor's own limit. */
export const MAX_EXPANDED_ISSUES = MAX_PREDICTED_ISSUES;

export interface ExpandOptions {
  /** last publication date (YYYY-MM-DD, inclusive) to expand an open-ended range (`$a1-`) to */
  until?: string;
  /** give up after this many issues (default MAX_EXPANDED_ISSUES) */
  maxIssues?: number;
}

function whereOf(holding: HoldingField): string {
  return `holding ${holding.tag} $8${subfield(holding, '8') ?? ''}`;
}

/** one value as it compares: brackets of a supplied value dropped, numbers without leading zeros */
function normalised(value: string): string {
  const bare = value.trim().replace(/^\[(.*)\]$/, '$1');
  return bare
    .split('/')
    .map((part) => (/^\d+$/.test(part) ? String(Number(part)) : part))
    .join('/');
}

/** the subfields that identify an issue: its enumeration, or its chronology when it has none */
function identityCodes(values: IssueValues): string[] {
  const codes = Object.keys(values);
  const enumeration = codes.filter((code) => ENUMERATION.includes(code));
  return enumeration.length > 0 ? enumeration : codes.filter((code) => CHRONOLOGY.includes(code));
}

/** Is `issue` the issue `target` names? A combined issue (`7/8`) is also named by either part. */
export function isSameIssue(issue: IssueValues, target: IssueValues): boolean {
  const codes = identityCodes(target);
  if (codes.length === 0) return false;
  return codes.every((code) => {
    const have = issue[code];
    if (have === undefined) return false;
    const want = normalised(target[code]!);
    const got = normalised(have);
    return got === want || got.split('/').includes(want);
  });
}

function issueKey(values: IssueValues): string {
  return identityCodes(values)
    .sort()
    .map((code) => `${code}=${normalised(values[code]!)}`)
    .join('|');
}

function pick(values: IssueValues, codes: readonly string[]): IssueValues {
  const picked: Record<string, string> = {};
  for (const code of codes) if (values[code] !== undefined) picked[code] = values[code]!;
  return picked;
}

function rethrowAt(where: string, error: unknown): never {
  if (error instanceof SerialsFormatError) throw new SerialsFormatError(error.message, where);
  throw error;
}

function checkMax(max: number): void {
  if (!Number.isInteger(max) || max < 1 || max > MAX_EXPANDED_ISSUES) {
    throw new SerialsFormatError(`must be a whole number from 1 to ${MAX_EXPANDED_ISSUES} (got ${max})`, 'options.maxIssues');
  }
}

function checkUntil(until: string, where: string): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until)) throw new SerialsFormatError(`must be a date YYYY-MM-DD (got ${JSON.stringify(until)})`, where);
}

/**
 * The issues a holding holds, in order: a single issue, every issue of a compressed range (`$b6-8` gives
 * 6, 7 and 8, as the caption predicts them, so omitted issues are not counted and combined ones are one
 * issue), or an open-ended range up to `options.until`. Throws SerialsFormatError naming the holding when
 * the range's end is not an issue of the caption's pattern (it is never reached).
 */
export function expandHolding(caption: CaptionField, holding: HoldingField, options: ExpandOptions = {}): PredictedIssue[] {
  const where = whereOf(holding);
  const max = options.maxIssues ?? MAX_EXPANDED_ISSUES;
  checkMax(max);
  const range = holdingRange(caption, holding);
  let first: PredictedIssue;
  try {
    first = describeIssue(caption, range.first);
  } catch (error) {
    rethrowAt(where, error);
  }
  if (range.last === undefined) {
    if (options.until === undefined) throw new SerialsFormatError('is open-ended; give the date to expand it until (options.until)', where);
    checkUntil(options.until, 'options.until');
    if (first.publicationDate > options.until) return [];
    const rest = predictIssues(caption, range.first, { until: options.until });
    if (rest.length + 1 > max) throw new SerialsFormatError(`holds more than ${max} issues up to ${options.until}`, where);
    return [first, ...rest];
  }
  const last = range.last;
  if (isSameIssue(range.first, last)) return [first];
  let lastDate: string | undefined;
  try {
    lastDate = identityCodes(last).some((code) => CHRONOLOGY.includes(code)) || Object.keys(last).some((code) => CHRONOLOGY.includes(code))
      ? describeIssue(caption, last).publicationDate
      : undefined;
  } catch {
    lastDate = undefined; // an end value the predictor cannot date (`*`, `199?`) is still matched by enumeration
  }
  // enumeration only grows along a pattern (a restart comes with a higher level), so passing the end is seen
  const endCodes = identityCodes(last);
  const issues: PredictedIssue[] = [first];
  let from: IssueValues = range.first;
  // with a dated end one prediction up to it is enough; without, batches grow until the end is passed
  let batchSize = 32;
  while (issues.length < max) {
    let batch: PredictedIssue[];
    try {
      const count = Math.min(lastDate === undefined ? batchSize : max, max - issues.length);
      batch = predictIssues(caption, from, lastDate === undefined ? { count } : { count, until: lastDate });
    } catch (error) {
      rethrowAt(where, error);
    }
    for (const issue of batch) {
      issues.push(issue);
      if (isSameIssue(issue.values, last)) return issues;
      if (compareIssues(pick(issue.values, endCodes), pick(last, endCodes)) > 0) {
        throw new SerialsFormatError(`its end is not an issue of the caption's pattern (passed it without reaching it)`, where);
      }
    }
    if (batch.length === 0 || lastDate !== undefined) {
      if (issues.length < max) throw new SerialsFormatError(`its end is not an issue of the caption's pattern (not reached by ${lastDate ?? 'the last predicted issue'})`, where);
      break;
    }
    from = batch[batch.length - 1]!.values;
    batchSize *= 2;
  }
  throw new SerialsFormatError(`its end is not reached within ${max} issues of the caption's pattern`, where);
}

/**
 * Several holdings of one caption (compressed, single, overlapping, open-ended, in any order) as one
 * compressed statement: every issue between the first and the last held one is walked through the
 * prediction; an issue no holding holds is a gap, unless the holding before it ends in a non-gap break
 * (`$wn`: not published); an open-ended holding takes everything after its start.
 */
export function compressHoldings(
  caption: CaptionField,
  holdings: readonly HoldingField[],
  options: Omit<HoldingsStatementOptions, 'openEnded'> & { maxIssues?: number } = {},
): HoldingsStatement {
  if (!Array.isArray(holdings)) throw new SerialsFormatError('expected a list of 863 fields', 'holdings');
  const max = options.maxIssues ?? MAX_EXPANDED_ISSUES;
  checkMax(max);
  const held = new Set<string>();
  const openStarts = new Set<string>();
  /** holdings followed by a non-gap break ($wn): the issues up to the next holding were not published */
  const nonGapAfter = new Set<string>();
  const firsts: PredictedIssue[] = [];
  let lastHeldDate = '';
  for (const holding of holdings) {
    const range = holdingRange(caption, holding);
    if (range.last === undefined) {
      openStarts.add(issueKey(range.first));
      try {
        firsts.push(describeIssue(caption, range.first));
      } catch (error) {
        rethrowAt(whereOf(holding), error);
      }
      continue;
    }
    const issues = expandHolding(caption, holding, { maxIssues: max });
    for (const issue of issues) held.add(issueKey(issue.values));
    if (subfield(holding, 'w') === 'n') nonGapAfter.add(issueKey(issues.at(-1)!.values));
    if (issues.at(-1)!.publicationDate > lastHeldDate) lastHeldDate = issues.at(-1)!.publicationDate;
    firsts.push(issues[0]!);
  }
  if (firsts.length === 0) return { display: '', fields: [] };
  const latest = firsts.reduce((date, issue) => (issue.publicationDate > date ? issue.publicationDate : date), lastHeldDate);
  const start = firsts.reduce((earliest, issue) => (compareIssues(issue.values, earliest.values) < 0 ? issue : earliest));
  const walked: HeldIssue[] = [];
  const seen = new Set<string>();
  let unheld: 'missing' | 'not_published' = 'missing';
  const run = [start, ...predictIssues(caption, start.values, { until: latest, count: max })];
  for (const current of run) {
    const key = issueKey(current.values);
    if (openStarts.has(key)) {
      walked.push({ values: current.values, status: 'received' });
      return holdingsStatement(caption, walked, { ...options, openEnded: true });
    }
    const isHeld = held.has(key);
    walked.push({ values: current.values, status: isHeld ? 'received' : unheld });
    if (isHeld) {
      seen.add(key);
      unheld = nonGapAfter.has(key) ? 'not_published' : 'missing';
    }
    if (seen.size === held.size && openStarts.size === 0) return holdingsStatement(caption, walked, options);
  }
  if (run.length > max) throw new SerialsFormatError(`the holdings span more than ${max} issues of the caption's pattern`, 'holdings');
  throw new SerialsFormatError(
    openStarts.size > 0
      ? `an open-ended holding does not start on an issue of the caption's pattern (walked to ${latest})`
      : `the holdings are not issues of one run of the caption's pattern (walked to ${latest})`,
    'holdings',
  );
}

/** one value for sorting: unknown (`*`) first, then numbers, a supplied `[04]` just before `04` */
function sortKey(value: string | undefined): [number, number, string] {
  if (value === undefined || value.trim() === '*' || value.trim() === '') return [0, 0, ''];
  const text = value.trim();
  const supplied = /^\[.*\]$/.test(text);
  const bare = text.replace(/^\[(.*)\]$/, '$1').split('/')[0]!.replace(/\?/g, '0');
  const number = /^\d+$/.test(bare) ? Number(bare) : Number.NaN;
  return Number.isNaN(number) ? [2, supplied ? 0 : 1, bare] : [1, number * 2 + (supplied ? 0 : 1), ''];
}

function compareValue(a: string | undefined, b: string | undefined): number {
  const [ka, kb] = [sortKey(a), sortKey(b)];
  if (ka[0] !== kb[0]) return ka[0] - kb[0];
  if (ka[1] !== kb[1]) return ka[1] - kb[1];
  return ka[2] < kb[2] ? -1 : ka[2] > kb[2] ? 1 : 0;
}

/** Issue order by enumeration, then chronology, level by level. */
export function compareIssues(a: IssueValues, b: IssueValues): number {
  for (const code of ENUMERATION + CHRONOLOGY) {
    const order = compareValue(a[code], b[code]);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Holdings order (as Evergreen sorts them): by where they start; at the same start a single issue
 * first, then ranges by where they end, an open-ended range last.
 */
export function compareHoldings(caption: CaptionField, a: HoldingField, b: HoldingField): number {
  const [ra, rb] = [holdingRange(caption, a), holdingRange(caption, b)];
  const byStart = compareIssues(ra.first, rb.first);
  if (byStart !== 0) return byStart;
  if (ra.last === undefined || rb.last === undefined) return (ra.last === undefined ? 1 : 0) - (rb.last === undefined ? 1 : 0);
  return compareIssues(ra.last, rb.last);
}
