/**
 * The holdings pairs of Evergreen's MFHD tests (mfhddata2.txt: an input record and the record Evergreen
 * makes of it), run through Carrel's holdings: expansion of compressed 863s, compression of many 863s
 * into one statement, and the order of holdings. Evergreen writes no $w (break) in its results; Carrel
 * writes `$wg` before each gap, so the comparisons leave $w out and check it separately.
 */
import { readFileSync } from 'node:fs';
import {
  compareHoldings,
  compressHoldings,
  describeIssue,
  expandHolding,
  holdingsStatement,
  issueLabel,
  predictIssues,
  formatField,
  holdingRange,
  issueValuesOf,
  parseCaption,
  parseHolding,
  subfield,
  type CaptionField,
  type CaptionTag,
  type HoldingField,
  type HoldingStatus,
} from '@carrel/serials';
import { describeWithFixtures, fixturePath } from '../support/fixtures.js';

interface PairRecord {
  title: string;
  caption: CaptionField;
  holdings: HoldingField[];
}

function readRecords(text: string): PairRecord[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => block.split('\n').map((line) => line.trim()).filter((line) => line !== ''))
    .filter((lines) => lines.length > 0)
    .map((lines) => {
      const title = /\$a(.*)$/.exec(lines.find((line) => line.startsWith('245'))!)![1]!;
      const caption = parseCaption(lines.find((line) => line.startsWith('853'))!);
      const holdings = lines.filter((line) => line.startsWith('863')).map(parseHolding);
      return { title, caption, holdings };
    });
}

/** a field as text without its $8 sequence and $w break, the parts Evergreen's results do not share with ours */
function withoutLinkAndBreak(field: HoldingField): string {
  return formatField({ ...field, subfields: field.subfields.filter((s) => s.code !== '8' && s.code !== 'w') });
}

describeWithFixtures('serials', 'Evergreen MFHD holdings pairs (mfhddata2.txt)', () => {
  const records = readRecords(readFileSync(fixturePath('serials', 'evergreen', 'mfhddata2.txt'), 'utf8'));
  const record = (title: string): PairRecord => {
    const found = records.find((r) => r.title === title);
    if (!found) throw new Error(`mfhddata2.txt has no record "${title}"`);
    return found;
  };

  it('holds the eleven records these tests read', () => {
    expect(records.map((r) => r.title)).toEqual([
      'Passthru Open Ended, test data',
      'Passthru Open Ended, test results',
      'Compressed to last, part 1',
      'Compressed to last, part 2',
      'Get compressed holdings',
      'Get compressed holdings, result',
      'Get compressed holdings, open ended member',
      'Get compressed holdings, open ended member, result',
      'Comparison test, unsorted',
      'Comparison test, sorted',
      'Get combined holdings',
      'Get combined holdings, result',
    ]);
  });

  it('passthru open ended: a compressed range expands to its single issues, an open-ended one passes through', () => {
    const input = record('Passthru Open Ended, test data');
    const result = record('Passthru Open Ended, test results');
    const ours = input.holdings.flatMap((holding) => {
      const range = holdingRange(input.caption, holding);
      if (range.last === undefined) return [range];
      return expandHolding(input.caption, holding).map((issue) => ({ first: issue.values, last: issue.values }));
    });
    expect(ours).toEqual(result.holdings.map((holding) => holdingRange(result.caption, holding)));
    // Evergreen writes the single issues uncompressed (second indicator 1)
    expect(result.holdings.slice(0, 3).map((h) => h.indicators)).toEqual(['41', '41', '41']);
    expect(result.holdings.slice(0, 3).map(issueValuesOf)).toEqual(ours.slice(0, 3).map((r) => r.first));
  });

  it('compressed to last: the last issue of a closed range is its end; an open-ended range has none', () => {
    const input = record('Compressed to last, part 1');
    const expected = record('Compressed to last, part 2');
    const [closed, open] = input.holdings;
    expect(expandHolding(input.caption, closed!).at(-1)!.values).toEqual(issueValuesOf(expected.holdings[0]!));
    expect(holdingRange(input.caption, open!).last).toBeUndefined();
    expect(() => expandHolding(input.caption, open!)).toThrow(/open-ended/);
  });

  for (const [title, display] of [
    ['Get compressed holdings', 'v.1:no.1(1990:Jan)-v.1:no.4(1990:Apr),v.1:no.6(1990:June)-v.1:no.8(1990:Aug),v.1:no.10(1990:Oct)-'],
    ['Get combined holdings', 'v.1:no.1(1990:Jan)-v.1:no.4(1990:Apr),v.1:no.6(1990:June)-v.1:no.8(1990:Aug),v.1:no.10(1990:Oct)-'],
    ['Get compressed holdings, open ended member', 'v.1:no.4(1990:Apr)-'],
  ] as const) {
    it(`${title.toLowerCase()}: overlapping, single and open-ended 863s compress to Evergreen's result`, () => {
      const input = record(title);
      const result = record(`${title}, result`);
      const statement = compressHoldings(input.caption, input.holdings);
      expect(statement.fields.map(withoutLinkAndBreak)).toEqual(result.holdings.map(withoutLinkAndBreak));
      expect(statement.fields.map((f) => subfield(f, '8'))).toEqual(result.holdings.map((f) => subfield(f, '8')));
      // every break here is a gap: no. 5 and no. 9 were published and are not held
      expect(statement.fields.map((f) => subfield(f, 'w') ?? '')).toEqual(result.holdings.map((_, i) => (i < result.holdings.length - 1 ? 'g' : '')));
      expect(statement.display).toBe(display);
    });
  }

  it('comparison test: holdings sort as Evergreen sorts them (unknown values first, supplied [04] before 04, open ranges last)', () => {
    const input = record('Comparison test, unsorted');
    const sorted = record('Comparison test, sorted');
    // Evergreen reads a subfield the caption has and the holding lacks as '*' (unknown)
    const filled = (field: HoldingField): string => {
      const codes = ['a', 'b', 'i', 'j'];
      const values = Object.fromEntries(field.subfields.map((s) => [s.code, s.value]));
      return codes.map((code) => `$${code}${values[code] ?? '*'}`).join('');
    };
    const ours = [...input.holdings].sort((x, y) => compareHoldings(input.caption, x, y));
    expect(ours.map(filled)).toEqual(sorted.holdings.map(filled));
    expect(ours.map((f) => f.indicators)).toEqual(sorted.holdings.map((f) => f.indicators));
  });
});

interface EvergreenVector {
  id: string;
  record_title: string;
  caption_tag: CaptionTag;
  caption_indicators: string;
  caption_subfields: [string, string][];
  holding_subfields: [string, string][];
  expected_next: Record<string, string>;
}

/**
 * Our own round trips over every caption of Evergreen's prediction vectors (mfhddata.txt): 41 issues
 * from each vector's holding, all received, compress to one 863 that expands back to the same 41
 * issues; with some missing and some not published, the 863s written compress again to the same
 * statement (gaps and non-gap breaks kept). Every issue has a label.
 */
describeWithFixtures('serials', 'Holdings round trips over the Evergreen prediction vectors', () => {
  const vectors = (
    JSON.parse(readFileSync(fixturePath('serials', 'transcribed', 'evergreen_mfhd_next.json'), 'utf8')) as { cases: EvergreenVector[] }
  ).cases;

  it('reads all 86 vectors', () => {
    expect(vectors).toHaveLength(86);
  });

  for (const vector of vectors) {
    it(`${vector.id} ${vector.record_title}`, () => {
      const caption = parseCaption(`${vector.caption_tag} ${vector.caption_indicators} ${vector.caption_subfields.map(([code, value]) => `$${code}${value}`).join('')}`);
      const start = Object.fromEntries(vector.holding_subfields.filter(([code]) => /^[a-m]$/.test(code)));
      const issues = [describeIssue(caption, start), ...predictIssues(caption, start, { count: 40 })];
      expect(issueLabel(caption, start)).not.toBe('');
      expect(issueLabel(caption, vector.expected_next)).not.toBe('');

      const whole = holdingsStatement(caption, issues.map((issue) => ({ values: issue.values, status: 'received' as HoldingStatus })));
      expect(whole.fields).toHaveLength(1);
      expect(whole.display).toBe(`${issueLabel(caption, issues[0]!.values)}-${issueLabel(caption, issues[40]!.values)}`);
      expect(expandHolding(caption, whole.fields[0]!).map((issue) => issue.values)).toEqual(issues.map((issue) => issue.values));

      const gappy = holdingsStatement(
        caption,
        issues.map((issue, n) => ({ values: issue.values, status: (n % 7 === 3 ? 'missing' : n % 11 === 5 ? 'not_published' : 'received') as HoldingStatus })),
      );
      expect(gappy.display.split(/[,;]/)).toHaveLength(gappy.fields.length);
      expect(compressHoldings(caption, gappy.fields)).toEqual(gappy);
    });
  }
});
