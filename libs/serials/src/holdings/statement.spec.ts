import { SerialsFormatError, formatField, parseCaption, parseHolding, type IssueValues } from '../marc-text.js';
import { holdingRange, holdingsStatement, type HeldIssue, type HoldingStatus } from './statement.js';

const monthly = parseCaption('853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01');

function month(n: number, status: HoldingStatus = 'received', volume = 1, year = 2024): HeldIssue {
  return { values: { a: String(volume), b: String(n), i: String(year), j: String(n).padStart(2, '0') }, status };
}

function errorOf(run: () => unknown): SerialsFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof SerialsFormatError) return error;
    throw error;
  }
  throw new Error('expected a SerialsFormatError');
}

describe('holdingsStatement', () => {
  it('compresses a full year into one range', () => {
    const year = Array.from({ length: 12 }, (_, i) => month(i + 1));
    const statement = holdingsStatement(monthly, year);
    expect(statement.display).toBe('v.1:no.1(2024:Jan)-v.1:no.12(2024:Dec)');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b1-12$i2024$j01-12']);
  });

  it('marks a missing issue as a gap with , and $wg', () => {
    const issues = [month(1), month(2), month(3, 'missing'), month(4), month(5)];
    const statement = holdingsStatement(monthly, issues);
    expect(statement.display).toBe('v.1:no.1(2024:Jan)-v.1:no.2(2024:Feb),v.1:no.4(2024:Apr)-v.1:no.5(2024:May)');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b1-2$i2024$j01-02$wg', '863 40 $81.2$a1$b4-5$i2024$j04-05']);
  });

  it('marks issues not published as a non-gap break with ; and $wn', () => {
    const issues = [month(1), month(2), month(3, 'not_published'), month(4)];
    const statement = holdingsStatement(monthly, issues);
    expect(statement.display).toBe('v.1:no.1(2024:Jan)-v.1:no.2(2024:Feb);v.1:no.4(2024:Apr)');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b1-2$i2024$j01-02$wn', '863 40 $81.2$a1$b4$i2024$j04']);
  });

  it('lets a gap win over a non-gap break between the same two runs', () => {
    const issues = [month(1), month(2, 'not_published'), month(3, 'missing'), month(4)];
    expect(holdingsStatement(monthly, issues).display).toBe('v.1:no.1(2024:Jan),v.1:no.4(2024:Apr)');
  });

  it('spans volumes and years, writing each subfield as a range only where the ends differ', () => {
    const issues = [month(11, 'received', 1, 2023), month(12, 'received', 1, 2023), month(1, 'received', 2, 2024)];
    const statement = holdingsStatement(monthly, issues);
    expect(statement.display).toBe('v.1:no.11(2023:Nov)-v.2:no.1(2024:Jan)');
    expect(formatField(statement.fields[0]!)).toBe('863 40 $81.1$a1-2$b11-1$i2023-2024$j11-01');
  });

  it('shows nothing for missing issues before the first and after the last received one', () => {
    const issues = [month(1, 'missing'), month(2, 'not_published'), month(3), month(4, 'missing')];
    const statement = holdingsStatement(monthly, issues);
    expect(statement.display).toBe('v.1:no.3(2024:Mar)');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b3$i2024$j03']);
  });

  it('writes * (unknown) for a subfield only one end of a run has', () => {
    const statement = holdingsStatement(monthly, [month(1), { values: { a: '1', b: '2' }, status: 'received' }]);
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b1-2$i2024-*$j01-*']);
    expect(statement.display).toBe('v.1:no.1(2024:Jan)-v.1:no.2');
  });

  it('gives an empty statement when nothing is held', () => {
    expect(holdingsStatement(monthly, [])).toEqual({ display: '', fields: [] });
    expect(holdingsStatement(monthly, [month(1, 'missing')])).toEqual({ display: '', fields: [] });
  });

  it('keeps combined issues inside a range', () => {
    const combined: HeldIssue = { values: { a: '1', b: '7/8', i: '2024', j: '07/08' }, status: 'received' };
    const statement = holdingsStatement(monthly, [month(6), combined, month(9)]);
    expect(statement.display).toBe('v.1:no.6(2024:June)-v.1:no.9(2024:Sept)');
    expect(holdingsStatement(monthly, [month(6), combined]).fields.map(formatField)).toEqual(['863 40 $81.1$a1$b6-7/8$i2024$j06-07/08']);
  });

  it('writes an open-ended statement for a current subscription', () => {
    const statement = holdingsStatement(monthly, [month(1), month(2, 'missing'), month(3), month(4)], { openEnded: true });
    expect(statement.display).toBe('v.1:no.1(2024:Jan),v.1:no.3(2024:Mar)-');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a1$b1$i2024$j01$wg', '863 40 $81.2$a1-$b3-$i2024-$j03-']);
  });

  it('uses the caption link and tag: an 855 index gives 865 fields, encoding level as asked', () => {
    const index = parseCaption('855 20 $83$av.$i(year)$wa');
    const issues: HeldIssue[] = [1, 2, 3].map((v) => ({ values: { a: String(v), i: String(2000 + v) }, status: 'received' }));
    const statement = holdingsStatement(index, issues, { encodingLevel: '3' });
    expect(statement.display).toBe('v.1(2001)-v.3(2003)');
    expect(statement.fields.map(formatField)).toEqual(['865 30 $83.1$a1-3$i2001-2003']);
  });

  it('compresses a chronology-only title', () => {
    const caption = parseCaption('853 00 $81$a(year)$b(month)$wm');
    const issues: HeldIssue[] = ['01', '02', '03'].map((b) => ({ values: { a: '2024', b }, status: 'received' }));
    const statement = holdingsStatement(caption, issues);
    expect(statement.display).toBe('2024:Jan-2024:Mar');
    expect(statement.fields.map(formatField)).toEqual(['863 40 $81.1$a2024$b01-03']);
  });

  it('rejects bad input naming the issue and the subfield', () => {
    expect(errorOf(() => holdingsStatement(monthly, [month(1), { values: { a: '1', b: '2', j: '13', i: '2024' }, status: 'received' }])).where)
      .toBe('issues[1].values.j');
    expect(errorOf(() => holdingsStatement(monthly, [{ values: { a: '1' }, status: 'late' as HoldingStatus }])).where).toBe('issues[0].status');
    expect(errorOf(() => holdingsStatement(monthly, [null as unknown as HeldIssue])).where).toBe('issues[0]');
    expect(errorOf(() => holdingsStatement(monthly, 'v.1' as unknown as HeldIssue[])).where).toBe('issues');
    expect(errorOf(() => holdingsStatement(monthly, [month(1)], { encodingLevel: '7' as '4' })).where).toBe('options.encodingLevel');
    expect(errorOf(() => holdingsStatement(monthly, [month(1), month(2, 'missing')], { openEnded: true })).where).toBe('options.openEnded');
    expect(errorOf(() => holdingsStatement(monthly, [{ values: { a: '1', b: '2', i: '2024', j: '02', c: '3' } as IssueValues, status: 'received' }])).where)
      .toBe('issues[0].values.c');
  });
});

describe('holdingRange', () => {
  it('reads the two ends of a compressed holding and an open end', () => {
    expect(holdingRange(monthly, parseHolding('863 40 $81.1$a1$b6-8$i1990$j06-08'))).toEqual({
      first: { a: '1', b: '6', i: '1990', j: '06' },
      last: { a: '1', b: '8', i: '1990', j: '08' },
    });
    expect(holdingRange(monthly, parseHolding('863 40 $81.2$a1-$b11-$i1990-$j11-'))).toEqual({ first: { a: '1', b: '11', i: '1990', j: '11' } });
    expect(holdingRange(monthly, parseHolding('863 41 $81.3$a1$b8$i1990$j08'))).toEqual({
      first: { a: '1', b: '8', i: '1990', j: '08' },
      last: { a: '1', b: '8', i: '1990', j: '08' },
    });
  });

  it('rejects holdings it cannot read, naming the field and subfield', () => {
    expect(errorOf(() => holdingRange(monthly, parseHolding('864 40 $81.1$a1'))).where).toBe('holding 864 $81.1');
    expect(errorOf(() => holdingRange(monthly, parseHolding('863 40 $81.1$a1-2-3'))).where).toBe('holding 863 $81.1 $a');
    expect(errorOf(() => holdingRange(monthly, parseHolding('863 40 $81.1$a-2'))).where).toBe('holding 863 $81.1 $a');
    expect(errorOf(() => holdingRange(monthly, parseHolding('863 40 $81.1$a1$c2'))).where).toBe('holding 863 $81.1 $c');
    expect(errorOf(() => holdingRange(monthly, parseHolding('863 40 $81.1$a1$a2'))).where).toBe('holding 863 $81.1 $a');
    expect(errorOf(() => holdingRange(monthly, parseHolding('863 40 $81.1$zonly a note'))).where).toBe('holding 863 $81.1');
  });
});
