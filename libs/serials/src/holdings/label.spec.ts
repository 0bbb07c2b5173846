import { SerialsFormatError, parseCaption, type IssueValues } from '../marc-text.js';
import { issueLabel } from './label.js';

const monthly = parseCaption('853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01');

function errorOf(run: () => unknown): SerialsFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof SerialsFormatError) return error;
    throw error;
  }
  throw new Error('expected a SerialsFormatError');
}

describe('issueLabel (Z39.71 display of one issue)', () => {
  it('joins enumeration levels with a colon, captions before values, chronology in parentheses', () => {
    expect(issueLabel(monthly, { a: '1', b: '7', i: '1990', j: '07' })).toBe('v.1:no.7(1990:July)');
    expect(issueLabel(monthly, { a: '35', b: '1', i: '2024', j: '01' })).toBe('v.35:no.1(2024:Jan)');
  });

  it('names every month and season in one style', () => {
    const names = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '21', '22', '23', '24']
      .map((j) => issueLabel(monthly, { a: '1', b: '1', i: '2024', j }));
    expect(names.map((label) => label.slice('v.1:no.1(2024:'.length, -1))).toEqual([
      'Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'July', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec',
      'Spring', 'Summer', 'Autumn', 'Winter',
    ]);
    expect(issueLabel(parseCaption('853 20 $81$av.$bno.$i(year)$j(season)$wq'), { a: '3', b: '2', i: '1999', j: '22' }))
      .toBe('v.3:no.2(1999:Summer)');
  });

  it('shows a chronology-only pattern without parentheses', () => {
    const caption = parseCaption('853 00 $81$a(year)$b(month)$wm');
    expect(issueLabel(caption, { a: '1990', b: '07' })).toBe('1990:July');
    const onlyChronologySubfields = parseCaption('853 00 $81$i(year)$j(month)$k(day)$wd');
    expect(issueLabel(onlyChronologySubfields, { i: '2024', j: '01', k: '05' })).toBe('2024:Jan 5');
  });

  it('puts a day after its month with a space and drops leading zeros of days', () => {
    const daily = parseCaption('853 20 $81$av.$bno.$u365$vr$i(year)$j(month)$k(day)$wd');
    expect(issueLabel(daily, { a: '12', b: '31', i: '2024', j: '01', k: '31' })).toBe('v.12:no.31(2024:Jan 31)');
  });

  it('keeps the / of combined issues, in enumeration and chronology, and across years', () => {
    expect(issueLabel(monthly, { a: '1', b: '7/8', i: '1990', j: '07/08' })).toBe('v.1:no.7/8(1990:July/Aug)');
    expect(issueLabel(monthly, { a: '1', b: '12/13', i: '1990/1991', j: '12/01' })).toBe('v.1:no.12/13(1990/1991:Dec/Jan)');
  });

  it('displays captions not in parentheses and hides those in parentheses, for enumeration too', () => {
    expect(issueLabel(parseCaption('853 20 $81$a(v.)$bno.$i(year)$wm'), { a: '4', b: '2', i: '2001' })).toBe('4:no.2(2001)');
    expect(issueLabel(parseCaption('853 20 $81$av.$iyr.$wa'), { a: '4', i: '2001' })).toBe('v.4(yr.2001)');
  });

  it('shows enumeration alone when the issue has no chronology, and stops at the first missing level', () => {
    expect(issueLabel(monthly, { a: '2', b: '3' })).toBe('v.2:no.3');
    expect(issueLabel(monthly, { a: '2' })).toBe('v.2');
  });

  it('keeps supplied values in brackets and unknown values as given', () => {
    expect(issueLabel(monthly, { a: '1', b: '4', i: '1990', j: '[04]' })).toBe('v.1:no.4(1990:[Apr])');
    expect(issueLabel(monthly, { a: '1', b: '2', i: '199?', j: '*' })).toBe('v.1:no.2(199?:*)');
  });

  it('adds an alternative numbering scheme after =', () => {
    const caption = parseCaption('853 20 $81$av.$bno.$gno.$i(year)$j(month)$wm');
    expect(issueLabel(caption, { a: '1', b: '3', g: '27', i: '1990', j: '03' })).toBe('v.1:no.3(1990:Mar)=no.27');
  });

  it('prefixes the type of unit of an 854/855 caption', () => {
    const index = parseCaption('855 20 $81$av.$i(year)$oindex$wa');
    expect(issueLabel(index, { a: '5', i: '2003' })).toBe('index v.5(2003)');
  });

  it('rejects bad values with an error naming the subfield', () => {
    const cases: [IssueValues, string, RegExp][] = [
      [{}, 'values', /no enumeration or chronology/],
      [{ a: '1', c: '2' }, 'values.c', /has no \$c/],
      [{ a: '1', b: '' }, 'values.b', /empty/],
      [{ a: '1', b: '2', i: '1990', j: '13' }, 'values.j', /not a month/],
      [{ a: '1', b: '2', i: '1990', j: 'July' }, 'values.j', /not a month/],
      [{ a: '1', b: '2', i: '1990', j: '07/' }, 'values.j', /empty/],
      [{ b: '2' }, 'values.b', /without \$a/],
      [{ a: '1', b: '2$x', i: '1990' }, 'values.b', /delimiter/],
      [{ a: '1', z: 'x' }, 'values.z', /not an enumeration or chronology/],
      [{ a: 1 as unknown as string }, 'values.a', /expected text/],
    ];
    for (const [values, where, message] of cases) {
      const error = errorOf(() => issueLabel(monthly, values));
      expect([error.where, error.message]).toEqual([where, expect.stringMatching(message)]);
    }
    expect(errorOf(() => issueLabel(monthly, null as unknown as IssueValues)).where).toBe('values');
    expect(errorOf(() => issueLabel(parseCaption('853 00 $81$a(year)$b(month)$wm'), { b: '07' })).where).toBe('values.b');
  });
});
