/**
 * Sorter bins in the spirit of Koha's sort_bin_mapping: one rule a line, `branch:field:op:value:bin`,
 * first match wins. `branch` is the checkin branch ('*' or empty for any); `field` an item field
 * (homebranch, holdingbranch, location, itype, ccode, itemcallnumber; a leading '$' is allowed);
 * `op` eq ne lt gt le ge (numeric when both sides are numbers, text otherwise); `value` a literal or
 * `$field` for another field of the same item. A malformed rule is reported and skipped, never thrown.
 * Pure.
 */

export const SORT_BIN_FIELDS = ['homebranch', 'holdingbranch', 'location', 'itype', 'ccode', 'itemcallnumber'] as const;
export type SortBinField = (typeof SORT_BIN_FIELDS)[number];
export const SORT_BIN_OPS = ['eq', 'ne', 'lt', 'gt', 'le', 'ge'] as const;
export type SortBinOp = (typeof SORT_BIN_OPS)[number];

export type SortBinItem = Partial<Record<SortBinField, string | null>>;

export interface SortBinRule {
  branch: string | null;
  field: SortBinField;
  op: SortBinOp;
  value: { ref: SortBinField } | { literal: string };
  bin: string;
  /** the rule as written, for reports */
  source: string;
}

export interface SortBinProblem {
  index: number;
  rule: string;
  reason: string;
}

export interface ParsedSortBinRules {
  rules: SortBinRule[];
  problems: SortBinProblem[];
}

const isField = (s: string): s is SortBinField => (SORT_BIN_FIELDS as readonly string[]).includes(s);
const isOp = (s: string): s is SortBinOp => (SORT_BIN_OPS as readonly string[]).includes(s);

export function parseSortBinRule(text: string): SortBinRule | string {
  const source = text.trim();
  const parts = source.split(':');
  if (parts.length < 5) return 'expected branch:field:op:value:bin';
  const [branchRaw, fieldRaw, opRaw] = parts;
  const bin = parts[parts.length - 1].trim();
  const valueRaw = parts.slice(3, -1).join(':').trim(); // a value may itself hold ':'
  const field = fieldRaw.trim().replace(/^\$/, '').toLowerCase();
  const op = opRaw.trim().toLowerCase();
  if (!isField(field)) return `unknown field "${fieldRaw.trim()}"`;
  if (!isOp(op)) return `unknown operator "${opRaw.trim()}"`;
  if (bin === '') return 'empty bin';
  let value: SortBinRule['value'];
  if (valueRaw.startsWith('$')) {
    const ref = valueRaw.slice(1).toLowerCase();
    if (!isField(ref)) return `unknown field reference "${valueRaw}"`;
    value = { ref };
  } else {
    value = { literal: valueRaw };
  }
  const branch = branchRaw.trim();
  return { branch: branch === '' || branch === '*' ? null : branch, field, op, value, bin, source };
}

export function parseSortBinRules(lines: readonly string[]): ParsedSortBinRules {
  const rules: SortBinRule[] = [];
  const problems: SortBinProblem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const r = parseSortBinRule(line);
    if (typeof r === 'string') problems.push({ index, rule: line, reason: r });
    else rules.push(r);
  });
  return { rules, problems };
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;

export function compareValues(a: string, op: SortBinOp, b: string): boolean {
  let c: number;
  if (NUMBER.test(a.trim()) && NUMBER.test(b.trim())) c = Number(a) - Number(b);
  else c = a < b ? -1 : a > b ? 1 : 0;
  switch (op) {
    case 'eq': return c === 0;
    case 'ne': return c !== 0;
    case 'lt': return c < 0;
    case 'gt': return c > 0;
    case 'le': return c <= 0;
    case 'ge': return c >= 0;
  }
}

/** The bin of the first rule that matches the item checked in at branch, or null. */
export function sortBinFor(rules: readonly SortBinRule[], branch: string, item: SortBinItem): string | null {
  for (const r of rules) {
    if (r.branch !== null && r.branch !== branch) continue;
    const left = item[r.field] ?? '';
    const right = 'ref' in r.value ? (item[r.value.ref] ?? '') : r.value.literal;
    if (compareValues(left, r.op, right)) return r.bin;
  }
  return null;
}
