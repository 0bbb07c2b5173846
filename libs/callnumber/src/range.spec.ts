import { callNumberSortKey, ShelfRangeError, shelfBoundKey, shelfRangeKeys } from './index.js';

const inRange = (cn: string, r: { gte?: string; lt?: string }): boolean => {
  const k = callNumberSortKey(cn);
  return (r.gte === undefined || k >= r.gte) && (r.lt === undefined || k < r.lt);
};

describe('shelfRangeKeys', () => {
  it('takes from inclusively and everything filed under to', () => {
    const r = shelfRangeKeys('QA76', 'QA77');
    const inside = ['QA76', 'QA76 .A1', 'QA76.73.J38 S65 2019 v.10', 'QA77', 'QA77 .B2 v.3', 'QA77.5 .C1'];
    const outside = ['QA75.5 .Z9', 'QA78 .A1', 'QA770 .A1', 'QB1 .A1', 'PS3545 .I345', '823.914 ROW', 'DVD 1234'];
    expect(inside.filter((cn) => !inRange(cn, r))).toEqual([]);
    expect(outside.filter((cn) => inRange(cn, r))).toEqual([]);
  });

  it('reads a bare LC class as the head of that class', () => {
    expect(shelfBoundKey('QA')).toBe(callNumberSortKey('QA', 'lc'));
    const r = shelfRangeKeys('QA', 'QA');
    expect(['QA1 .A1', 'QA76.73 .J38', 'QA9999 .Z9'].every((cn) => inRange(cn, r))).toBe(true);
    expect(['PZ7 .A1', 'QB1 .A1', 'QAA1'].some((cn) => inRange(cn, r))).toBe(false);
  });

  it('works the same for Dewey and prefixed collections, and with one bound', () => {
    const r = shelfRangeKeys('599', '599.9');
    expect(['599 ABC', '599.75 PAR', '599.9 ZZZ'].every((cn) => inRange(cn, r))).toBe(true);
    expect(['598.9 ZZZ', '600 ABC', 'J 599.75 PAR'].some((cn) => inRange(cn, r))).toBe(false);
    // "J 500" alone reads as LC class J500; the Dewey scheme makes it juvenile 500.
    expect(inRange('J 599.75 PAR', shelfRangeKeys('J 500', 'J 600', 'dewey'))).toBe(true);
    expect(inRange('J 599.75 PAR', shelfRangeKeys('J 500', 'J 600'))).toBe(false);
    expect(shelfRangeKeys('QA76', undefined)).toEqual({ gte: callNumberSortKey('QA76') });
    expect(shelfRangeKeys(null, '')).toEqual({});
  });

  it('uses the scheme the caller names', () => {
    expect(shelfRangeKeys('R 241', undefined, 'lc').gte).toMatch(/^L /);
  });

  it('refuses a bound that holds no call number, naming it', () => {
    expect(() => shelfRangeKeys('....', 'QA77')).toThrow(new ShelfRangeError('from "...." holds no call number'));
    expect(() => shelfRangeKeys('QA76', '-/-')).toThrow(/^to "-\/-" holds no call number$/);
  });

  it('refuses a range that runs backwards', () => {
    expect(() => shelfRangeKeys('QA77', 'QA76')).toThrow(/from "QA77" files after to "QA76"/);
    // Equal bounds are a one-class range, not backwards.
    expect(() => shelfRangeKeys('QA76', 'QA76')).not.toThrow();
  });
});
