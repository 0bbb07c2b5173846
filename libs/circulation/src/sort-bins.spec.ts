import { compareValues, parseSortBinRule, parseSortBinRules, sortBinFor } from './sort-bins.js';

const item = { homebranch: 'CPL', holdingbranch: 'FPL', location: 'ADULT', itype: 'BOOK', ccode: 'FIC', itemcallnumber: '823.914 SMI' };

describe('sort bins', () => {
  it('parses the five parts, with wildcard branches and $ references', () => {
    expect(parseSortBinRule('CPL:itype:eq:BOOK:1')).toMatchObject({ branch: 'CPL', field: 'itype', op: 'eq', value: { literal: 'BOOK' }, bin: '1' });
    expect(parseSortBinRule('*:homebranch:ne:$holdingbranch:X')).toMatchObject({ branch: null, value: { ref: 'holdingbranch' }, bin: 'X' });
    expect(parseSortBinRule(':$location:eq:KIDS:2')).toMatchObject({ branch: null, field: 'location' });
    expect(parseSortBinRule('CPL:itemcallnumber:eq:QA76:9 .A1:3')).toMatchObject({ value: { literal: 'QA76:9 .A1' }, bin: '3' });
  });

  it('reports malformed rules instead of throwing, and keeps the good ones', () => {
    const parsed = parseSortBinRules(['CPL:itype:eq:BOOK:1', 'nonsense', 'CPL:colour:eq:red:2', 'CPL:itype:like:B:3', 'CPL:itype:eq:BOOK:', 'CPL:itype:eq:$nope:4', '', '# comment']);
    expect(parsed.rules).toHaveLength(1);
    expect(parsed.problems.map((p) => [p.index, p.reason])).toEqual([
      [1, 'expected branch:field:op:value:bin'],
      [2, 'unknown field "colour"'],
      [3, 'unknown operator "like"'],
      [4, 'empty bin'],
      [5, 'unknown field reference "$nope"'],
    ]);
  });

  it('compares numerically when both sides are numbers, as text otherwise', () => {
    expect(compareValues('9', 'lt', '10')).toBe(true);
    expect(compareValues('9', 'lt', '10a')).toBe(false);
    expect(compareValues('823.914', 'ge', '800')).toBe(true);
    for (const [op, want] of [['eq', false], ['ne', true], ['lt', true], ['gt', false], ['le', true], ['ge', false]] as const) {
      expect(compareValues('A', op, 'B')).toBe(want);
    }
    expect(compareValues('B', 'le', 'B')).toBe(true);
    expect(compareValues('B', 'ge', 'B')).toBe(true);
  });

  it('first matching rule wins; branch must match the checkin branch unless wildcard', () => {
    const { rules } = parseSortBinRules([
      'FPL:itype:eq:DVD:1',
      'CPL:itype:eq:BOOK:2',
      'FPL:homebranch:ne:$holdingbranch:3',
      '*:itype:eq:BOOK:4',
    ]);
    expect(sortBinFor(rules, 'FPL', item)).toBe('3');
    expect(sortBinFor(rules, 'CPL', item)).toBe('2');
    expect(sortBinFor(rules, 'MPL', item)).toBe('4');
    expect(sortBinFor(rules, 'MPL', { ...item, itype: 'DVD' })).toBeNull();
    expect(sortBinFor([], 'CPL', item)).toBeNull();
  });

  it('a missing field compares as empty text', () => {
    const { rules } = parseSortBinRules(['*:ccode:eq::EMPTY', '*:ccode:ne::HAS']);
    expect(sortBinFor(rules, 'CPL', { ...item, ccode: null })).toBe('EMPTY');
    expect(sortBinFor(rules, 'CPL', item)).toBe('HAS');
  });

  it('call-number ranges route by class', () => {
    const { rules } = parseSortBinRules(['*:itemcallnumber:lt:500:LOW', '*:itemcallnumber:ge:500:HIGH']);
    expect(sortBinFor(rules, 'CPL', { itemcallnumber: '398.2' })).toBe('LOW');
    expect(sortBinFor(rules, 'CPL', { itemcallnumber: '823' })).toBe('HIGH');
  });
});
