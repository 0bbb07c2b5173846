import { DEFAULT_RULE, RuleIndex, pickRule, ruleMatches, specificity, type CirculationRuleRow } from './rules.js';

const rule = (branchCode: string, patronCategoryCode: string, itemTypeCode: string, loanPeriod: number): CirculationRuleRow => ({
  ...DEFAULT_RULE, branchCode, patronCategoryCode, itemTypeCode, loanPeriod,
});

const RULES = [
  rule('*', '*', '*', 21),
  rule('*', '*', 'DVD', 7),
  rule('*', 'CHILD', '*', 14),
  rule('*', 'CHILD', 'DVD', 3),
  rule('CPL', '*', '*', 28),
  rule('CPL', '*', 'DVD', 10),
  rule('CPL', 'CHILD', '*', 20),
  rule('CPL', 'CHILD', 'DVD', 5),
];

describe('circulation rules', () => {
  it('scores specificity: branch, then category, then item type', () => {
    expect(specificity(rule('*', '*', '*', 1))).toBe(0);
    expect(specificity(rule('*', '*', 'BK', 1))).toBe(1);
    expect(specificity(rule('*', 'A', '*', 1))).toBe(2);
    expect(specificity(rule('B', '*', '*', 1))).toBe(4);
    expect(specificity(rule('B', 'A', 'BK', 1))).toBe(7);
    expect(specificity(rule('', ' ', '*', 1))).toBe(0);
  });

  it('matches with wildcards', () => {
    expect(ruleMatches(rule('*', 'CHILD', '*', 1), { branchCode: 'X', patronCategoryCode: 'CHILD', itemTypeCode: 'BK' })).toBe(true);
    expect(ruleMatches(rule('*', 'CHILD', '*', 1), { branchCode: 'X', patronCategoryCode: 'ADULT', itemTypeCode: 'BK' })).toBe(false);
    expect(ruleMatches(rule('*', '*', 'DVD', 1), { branchCode: 'X', patronCategoryCode: 'A', itemTypeCode: null })).toBe(false);
  });

  const cases: [string, string, string, number][] = [
    ['CPL', 'CHILD', 'DVD', 5], ['CPL', 'CHILD', 'BK', 20], ['CPL', 'ADULT', 'DVD', 10], ['CPL', 'ADULT', 'BK', 28],
    ['FPL', 'CHILD', 'DVD', 3], ['FPL', 'CHILD', 'BK', 14], ['FPL', 'ADULT', 'DVD', 7], ['FPL', 'ADULT', 'BK', 21],
  ];

  it.each(cases)('branch %s, category %s, item type %s → %i days (linear and indexed agree)', (b, c, t, days) => {
    const key = { branchCode: b, patronCategoryCode: c, itemTypeCode: t };
    expect(pickRule(RULES, key)?.loanPeriod).toBe(days);
    expect(new RuleIndex(RULES).resolve(key).loanPeriod).toBe(days);
  });

  it('branch beats category beats item type', () => {
    const rules = [rule('CPL', '*', '*', 1), rule('*', 'CHILD', 'DVD', 2)];
    expect(pickRule(rules, { branchCode: 'CPL', patronCategoryCode: 'CHILD', itemTypeCode: 'DVD' })?.loanPeriod).toBe(1);
    expect(new RuleIndex(rules).resolve({ branchCode: 'CPL', patronCategoryCode: 'CHILD', itemTypeCode: 'DVD' }).loanPeriod).toBe(1);
    const rules2 = [rule('*', 'CHILD', '*', 1), rule('*', '*', 'DVD', 2)];
    expect(new RuleIndex(rules2).resolve({ branchCode: 'CPL', patronCategoryCode: 'CHILD', itemTypeCode: 'DVD' }).loanPeriod).toBe(1);
  });

  it('falls back to the defaults (21 days, 2 renewals, no fine, no max) when nothing matches', () => {
    const idx = new RuleIndex([rule('CPL', '*', '*', 9)]);
    expect(idx.resolve({ branchCode: 'FPL', patronCategoryCode: 'A', itemTypeCode: 'B' })).toEqual({
      branchCode: '*', patronCategoryCode: '*', itemTypeCode: '*', loanPeriod: 21, loanPeriodUnit: 'days', renewalsAllowed: 2, finePerPeriod: '0', fineCap: null, lostItemCharge: null, maxItems: null, holdsAllowed: true,
    });
    expect(pickRule([rule('CPL', '*', '*', 9)], { branchCode: 'FPL', patronCategoryCode: null, itemTypeCode: null })).toBeNull();
    expect(new RuleIndex([], { ...DEFAULT_RULE, loanPeriod: 5 }).resolve({ branchCode: null, patronCategoryCode: null, itemTypeCode: null }).loanPeriod).toBe(5);
  });

  it('an item without a type only matches item-type wildcards', () => {
    expect(new RuleIndex(RULES).resolve({ branchCode: 'CPL', patronCategoryCode: 'CHILD', itemTypeCode: null }).loanPeriod).toBe(20);
    expect(new RuleIndex(RULES).size).toBe(8);
  });

  it('agrees with the linear pick on every combination of a random-ish matrix', () => {
    const codes = { b: ['*', 'A', 'B'], c: ['*', 'X', 'Y'], t: ['*', 'P', 'Q'] };
    const all: CirculationRuleRow[] = [];
    let n = 0;
    for (const b of codes.b) for (const c of codes.c) for (const t of codes.t) if ((n++ * 7) % 3 !== 0) all.push(rule(b, c, t, n));
    const idx = new RuleIndex(all);
    for (const b of ['A', 'B', 'Z']) for (const c of ['X', 'Y', 'Z']) for (const t of ['P', 'Q', 'Z']) {
      const key = { branchCode: b, patronCategoryCode: c, itemTypeCode: t };
      expect(idx.resolve(key).loanPeriod).toBe(pickRule(all, key)?.loanPeriod ?? 21);
    }
  });
});
