import { SerialsFormatError, formatField, parseCaption, parseHolding } from '../marc-text.js';
import { compareHoldings, compareIssues, compressHoldings, expandHolding, isSameIssue } from './expand.js';

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

describe('expandHolding (a compressed 863 back to its issues)', () => {
  it('gives every issue of a range across a volume change, with dates', () => {
    const issues = expandHolding(monthly, parseHolding('863 40 $81.1$a1-2$b11-2$i1990-1991$j11-02'));
    expect(issues.map((issue) => [issue.values.b, issue.publicationDate])).toEqual([
      ['11', '1990-11-01'], ['12', '1990-12-01'], ['1', '1991-01-01'], ['2', '1991-02-01'],
    ]);
  });

  it('gives a single issue for an uncompressed field or a range of one', () => {
    expect(expandHolding(monthly, parseHolding('863 41 $81.1$a1$b8$i1990$j08')).map((i) => i.values)).toEqual([{ a: '1', b: '8', i: '1990', j: '08' }]);
    expect(expandHolding(monthly, parseHolding('863 40 $81.1$a1$b8-8$i1990$j08-08'))).toHaveLength(1);
  });

  it('follows the pattern: omitted months are not issues, a combined issue is one and ends a range by either part', () => {
    const caption = parseCaption('853 20 $81$av.$bno.$u11$vr$i(year)$j(month)$wm$x01$yom08$ycm11/12$yce210/11');
    const issues = expandHolding(caption, parseHolding('863 40 $81.1$a1$b6-11$i1990$j06-12'));
    expect(issues.map((issue) => issue.values.j)).toEqual(['06', '07', '09', '10', '11/12']);
    expect(expandHolding(caption, parseHolding('863 40 $81.1$a1$b6-10/11$i1990$j06-11/12'))).toHaveLength(5);
    expect(issues.at(-1)!.combined).toBe(true);
  });

  it('expands a chronology-only range', () => {
    const caption = parseCaption('853 00 $81$a(year)$b(month)$wm');
    expect(expandHolding(caption, parseHolding('863 40 $81.1$a2023-2024$b11-02')).map((i) => `${i.values.a}-${i.values.b}`))
      .toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
  });

  it('expands an open-ended range up to a date, and not without one', () => {
    const open = parseHolding('863 40 $81.2$a1-$b11-$i1990-$j11-');
    expect(expandHolding(monthly, open, { until: '1991-01-15' }).map((i) => i.publicationDate)).toEqual(['1990-11-01', '1990-12-01', '1991-01-01']);
    expect(expandHolding(monthly, open, { until: '1990-01-01' })).toEqual([]);
    expect(errorOf(() => expandHolding(monthly, open))).toMatchObject({ where: 'holding 863 $81.2', message: expect.stringMatching(/open-ended/) });
    expect(errorOf(() => expandHolding(monthly, open, { until: '1.1.1991' })).where).toBe('options.until');
  });

  it('rejects a range whose end is not an issue of the pattern instead of walking forever', () => {
    const error = errorOf(() => expandHolding(monthly, parseHolding('863 40 $81.3$a1$b6-13$i1990$j06-13')));
    expect(error.where).toBe('holding 863 $81.3');
    const backwards = errorOf(() => expandHolding(monthly, parseHolding('863 40 $81.4$a1$b8-6$i1990$j08-06')));
    expect(backwards.message).toMatch(/not an issue of the caption's pattern/);
    const capped = errorOf(() => expandHolding(monthly, parseHolding('863 40 $81.5$a1-9$b1-12$i1990-1998$j01-12'), { maxIssues: 12 }));
    expect(capped.message).toMatch(/within 12 issues/);
    expect(errorOf(() => expandHolding(monthly, parseHolding('863 40 $81.5$a1$b1-2'), { maxIssues: 0 })).where).toBe('options.maxIssues');
  });

  it('names the holding when the predictor cannot read its values', () => {
    expect(errorOf(() => expandHolding(monthly, parseHolding('863 40 $81.6$a1$b6-8$iabcd$j06-08'))).where).toBe('holding 863 $81.6');
    expect(errorOf(() => expandHolding(parseCaption('853 20 $81$av.$bno.$i(year)$j(month)'), parseHolding('863 40 $81.7$a1$b6-8$i1990$j06-08'))).where)
      .toBe('holding 863 $81.7');
  });
});

describe('compressHoldings (several 863s as one statement)', () => {
  it('merges overlapping, single and open-ended holdings in any order, gaps where the prediction has issues no holding holds', () => {
    const holdings = ['863 41 $81.1$a1$b12$i1990$j12', '863 40 $81.2$a1$b1-3$i1990$j01-03', '863 41 $81.3$a1$b3$i1990$j03', '863 40 $81.4$a1$b5-9$i1990$j05-09']
      .map(parseHolding);
    const statement = compressHoldings(monthly, holdings);
    expect(statement.display).toBe('v.1:no.1(1990:Jan)-v.1:no.3(1990:Mar),v.1:no.5(1990:May)-v.1:no.9(1990:Sept),v.1:no.12(1990:Dec)');
    expect(statement.fields.map(formatField)).toEqual([
      '863 40 $81.1$a1$b1-3$i1990$j01-03$wg',
      '863 40 $81.2$a1$b5-9$i1990$j05-09$wg',
      '863 40 $81.3$a1$b12$i1990$j12',
    ]);
  });

  it('keeps a non-gap break ($wn) as not published, so a statement compresses back to itself', () => {
    const holdings = ['863 40 $81.1$a1$b1-2$i1990$j01-02$wn', '863 40 $81.2$a1$b4-5$i1990$j04-05$wg', '863 41 $81.3$a1$b7$i1990$j07'].map(parseHolding);
    const statement = compressHoldings(monthly, holdings);
    expect(statement.display).toBe('v.1:no.1(1990:Jan)-v.1:no.2(1990:Feb);v.1:no.4(1990:Apr)-v.1:no.5(1990:May),v.1:no.7(1990:July)');
    expect(statement.fields.map(formatField)).toEqual([
      '863 40 $81.1$a1$b1-2$i1990$j01-02$wn',
      '863 40 $81.2$a1$b4-5$i1990$j04-05$wg',
      '863 40 $81.3$a1$b7$i1990$j07',
    ]);
  });

  it('does not count omitted months as gaps', () => {
    const caption = parseCaption('853 20 $81$av.$bno.$u11$vr$i(year)$j(month)$wm$x01$yom08');
    const statement = compressHoldings(caption, ['863 41 $81.1$a1$b7$i1990$j07', '863 41 $81.2$a1$b8$i1990$j09'].map(parseHolding));
    expect(statement.display).toBe('v.1:no.7(1990:July)-v.1:no.8(1990:Sept)');
  });

  it('gives an empty statement for no holdings and rejects what it cannot read', () => {
    expect(compressHoldings(monthly, [])).toEqual({ display: '', fields: [] });
    expect(errorOf(() => compressHoldings(monthly, 'x' as never)).where).toBe('holdings');
    expect(errorOf(() => compressHoldings(monthly, [parseHolding('863 40 $81.9$a1$b6-13$i1990$j06-13')])).where).toBe('holding 863 $81.9');
    const offPattern = ['863 41 $81.1$a1$b1$i1990$j01', '863 40 $81.2$a3-$b5-$i1990-$j06-'].map(parseHolding);
    expect(errorOf(() => compressHoldings(monthly, offPattern))).toMatchObject({ where: 'holdings', message: expect.stringMatching(/open-ended holding does not start/) });
  });
});

describe('holdings order', () => {
  it('orders issues by enumeration then chronology, unknown values first and a supplied value before the printed one', () => {
    expect(compareIssues({ a: '1', b: '2' }, { a: '1', b: '10' })).toBeLessThan(0);
    expect(compareIssues({ a: '1', b: '2', j: '*' }, { a: '1', b: '2', j: '02' })).toBeLessThan(0);
    expect(compareIssues({ a: '1', j: '[04]' }, { a: '1', j: '04' })).toBeLessThan(0);
    expect(compareIssues({ a: '2' }, { a: '2' })).toBe(0);
  });

  it('puts a single issue before a range starting there, shorter ranges first, an open range last', () => {
    const [single, short, long, open] = ['863 41 $81.1$a1$b3', '863 40 $81.2$a1$b3-5', '863 40 $81.3$a1$b3-6', '863 40 $81.4$a1-$b3-'].map(parseHolding);
    expect([open!, long!, single!, short!].sort((x, y) => compareHoldings(monthly, x, y))).toEqual([single, short, long, open]);
  });

  it('matches a combined issue by either part', () => {
    expect(isSameIssue({ a: '1', b: '7/8' }, { a: '1', b: '8' })).toBe(true);
    expect(isSameIssue({ a: '1', b: '7/8' }, { a: '1', b: '7' })).toBe(true);
    expect(isSameIssue({ a: '1', b: '07' }, { a: '1', b: '7' })).toBe(true);
    expect(isSameIssue({ a: '1', b: '7' }, { a: '1', b: '8' })).toBe(false);
    expect(isSameIssue({ a: '1' }, {})).toBe(false);
  });
});
