/**
 * The circulation-rules matrix: branch × patron category × item type, each '*' for any. The most
 * specific matching rule wins: a rule naming the branch beats any that does not, then the category,
 * then the item type. Pure.
 */
import type { LoanPeriodUnit } from './due-date.js';

export interface CirculationRuleRow {
  branchCode: string;
  patronCategoryCode: string;
  itemTypeCode: string;
  loanPeriod: number;
  loanPeriodUnit: LoanPeriodUnit;
  renewalsAllowed: number;
  /** decimal string */
  finePerPeriod: string;
  fineCap: string | null;
  /** decimal string: the charge for a lost item without a price (null: the lostItemCharge option) */
  lostItemCharge: string | null;
  maxItems: number | null;
  holdsAllowed: boolean;
}

export type RuleDefaults = Omit<CirculationRuleRow, 'branchCode' | 'patronCategoryCode' | 'itemTypeCode'>;

export const DEFAULT_RULE: RuleDefaults = {
  loanPeriod: 21, loanPeriodUnit: 'days', renewalsAllowed: 2, finePerPeriod: '0', fineCap: null, lostItemCharge: null, maxItems: null, holdsAllowed: true,
};

export interface RuleKey {
  branchCode: string | null | undefined;
  patronCategoryCode: string | null | undefined;
  itemTypeCode: string | null | undefined;
}

const WILD = '*';
const norm = (s: string | null | undefined) => (s === null || s === undefined || s.trim() === '' ? WILD : s.trim());

/** 0..7: branch 4, category 2, item type 1 */
export function specificity(r: Pick<CirculationRuleRow, 'branchCode' | 'patronCategoryCode' | 'itemTypeCode'>): number {
  return (norm(r.branchCode) !== WILD ? 4 : 0) + (norm(r.patronCategoryCode) !== WILD ? 2 : 0) + (norm(r.itemTypeCode) !== WILD ? 1 : 0);
}

export function ruleMatches(r: Pick<CirculationRuleRow, 'branchCode' | 'patronCategoryCode' | 'itemTypeCode'>, key: RuleKey): boolean {
  const ok = (ruleValue: string, value: string | null | undefined) => norm(ruleValue) === WILD || norm(ruleValue) === norm(value);
  return ok(r.branchCode, key.branchCode) && ok(r.patronCategoryCode, key.patronCategoryCode) && ok(r.itemTypeCode, key.itemTypeCode);
}

/** Linear reference implementation: the most specific matching rule, or null. */
export function pickRule<T extends Pick<CirculationRuleRow, 'branchCode' | 'patronCategoryCode' | 'itemTypeCode'>>(rules: readonly T[], key: RuleKey): T | null {
  let best: T | null = null;
  let bestScore = -1;
  for (const r of rules) {
    if (!ruleMatches(r, key)) continue;
    const s = specificity(r);
    if (s > bestScore) {
      best = r;
      bestScore = s;
    }
  }
  return best;
}

/** The same choice as pickRule in at most eight map lookups, for the hot path. */
export class RuleIndex {
  private readonly byKey = new Map<string, CirculationRuleRow>();

  constructor(
    rules: readonly CirculationRuleRow[],
    private readonly fallback: RuleDefaults = DEFAULT_RULE,
  ) {
    for (const r of rules) this.byKey.set(`${norm(r.branchCode)}\u0000${norm(r.patronCategoryCode)}\u0000${norm(r.itemTypeCode)}`, r);
  }

  get size(): number {
    return this.byKey.size;
  }

  /** the most specific rule, or the defaults (with '*' codes) when none matches */
  resolve(key: RuleKey): CirculationRuleRow {
    const b = norm(key.branchCode), c = norm(key.patronCategoryCode), t = norm(key.itemTypeCode);
    for (let score = 7; score >= 0; score--) {
      const k = `${score & 4 ? b : WILD}\u0000${score & 2 ? c : WILD}\u0000${score & 1 ? t : WILD}`;
      // a level that names a code the key does not have ('*') is the same key as the wildcard level: fine
      const r = this.byKey.get(k);
      if (r) return r;
    }
    return { branchCode: WILD, patronCategoryCode: WILD, itemTypeCode: WILD, ...this.fallback };
  }
}
