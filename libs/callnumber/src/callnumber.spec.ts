import { callNumberSortKey, detectScheme, parseCallNumber, type CallNumberScheme } from './index.js';

/** Byte order, as `ORDER BY sort_key` gives it under the C collation / SQLite BINARY. */
function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

function expectShelfOrder(order: string[], scheme?: CallNumberScheme): void {
  const keys = order.map((cn) => callNumberSortKey(cn, scheme));
  for (let i = 1; i < keys.length; i++) {
    // Reported per pair so a failure names the two call numbers.
    expect({ pair: [order[i - 1], order[i]], ordered: byteCompare(keys[i - 1]!, keys[i]!) < 0 }).toEqual({
      pair: [order[i - 1], order[i]],
      ordered: true,
    });
  }
}

describe('detectScheme', () => {
  it.each([
    ['QA76.73.J38 S65 2019', 'lc'],
    ['PS3545.I345 Z46 1998 v.2', 'lc'],
    ['KF4541 .G65 1997', 'lc'],
    ['E 185.86 .B7', 'lc'],
    ['REF QA76.73 .J38 2019', 'lc'],
    ['New Books Display KF299.W6 B76 2012', 'lc'],
    ['005.133 SMI', 'dewey'],
    ['823.914 ROW', 'dewey'],
    ['J 599.75 PAR', 'dewey'],
    ['FIC TOL', 'dewey'],
    ['REF 031 ENC 2020', 'dewey'],
    ['CD-ROM 787.87 EAS', 'dewey'],
    ['YR DVD 800.1', 'dewey'],
    ['DVD 54', 'generic'],
    ['EP 1.104:C 73/2004/CD', 'generic'],
    ['02-25360 BURNSOATES', 'generic'],
    ['@238197', 'generic'],
    ['photocopy', 'generic'],
    ['Reserve Shelf', 'generic'],
    ['', 'generic'],
  ] as const)('%s is %s', (cn, scheme) => {
    expect(detectScheme(cn)).toBe(scheme);
  });
});

describe('parseCallNumber', () => {
  it('splits an LC call number into class, cutters, date and volume', () => {
    expect(parseCallNumber('PS3545.I345 Z46 1998 v.2')).toEqual({
      scheme: 'lc',
      prefix: null,
      classification: 'PS3545',
      cutters: ['I345', 'Z46'],
      year: '1998',
      suffix: 'v.2',
      original: 'PS3545.I345 Z46 1998 v.2',
    });
  });

  it('keeps LC work marks on their cutter and the prefix as written', () => {
    expect(parseCallNumber('Oversize  QA 101.1 .A101mc 2001 c.3')).toMatchObject({
      scheme: 'lc',
      prefix: 'Oversize',
      classification: 'QA101.1',
      cutters: ['A101mc'],
      year: '2001',
      suffix: 'c.3',
    });
  });

  it('reads Dewey with a collection prefix and an author cutter', () => {
    expect(parseCallNumber('REF 031 ENC 2020')).toMatchObject({
      scheme: 'dewey',
      prefix: 'REF',
      classification: '031',
      cutters: ['ENC'],
      year: '2020',
      suffix: null,
    });
    expect(parseCallNumber('J 599.75 PAR')).toMatchObject({ prefix: 'J', classification: '599.75', cutters: ['PAR'] });
    expect(parseCallNumber('FIC TOL')).toMatchObject({ scheme: 'dewey', prefix: 'FIC', classification: '', cutters: ['TOL'] });
  });

  it('tells a copy number from a work mark', () => {
    expect(parseCallNumber('FIC GIR J5c.1')).toMatchObject({ cutters: ['GIR', 'J5'], suffix: 'c.1' });
    expect(parseCallNumber('971.01 P23w v.1-2 pt.6-7', 'dewey')).toMatchObject({ cutters: ['P23w'], suffix: 'v.1-2 pt.6-7' });
  });

  it('drops MARC subfield delimiters left in exported call numbers', () => {
    expect(parseCallNumber('BX890 ǂb .S986 1714 OVERSIZE')).toMatchObject({
      scheme: 'lc',
      classification: 'BX890',
      cutters: ['S986'],
      year: '1714',
      suffix: 'OVERSIZE',
    });
  });

  it('degrades to generic, keeping the prefix, when a forced scheme does not fit', () => {
    expect(parseCallNumber('DVD 1234', 'dewey')).toMatchObject({ scheme: 'generic', prefix: 'DVD', classification: '1234' });
    expect(parseCallNumber('823.914 ROW', 'lc').scheme).toBe('generic');
  });
});

describe('callNumberSortKey', () => {
  it('orders LC class, decimal, cutters, dates and volumes', () => {
    expectShelfOrder([
      'QA76 .A1',
      'QA76.7 .B2',
      'QA76.73 .C15 2001',
      'QA76.73.J38 S65 2019',
      'QA76.73.J38 S65 2019 v.2',
      'QA76.73.J38 S65 2019 v.10',
      'QA76.73.J38 S7',
      'QA76.73.J385',
      'QA76.73.J39',
      'QA760 .A1',
      'QB1 .A1',
      'R 41 .A1',
    ]);
  });

  it('orders copies and parts numerically', () => {
    expectShelfOrder(['PS3545.I345 Z46 1998 c.2', 'PS3545.I345 Z46 1998 c.10', 'PS3545.I345 Z46 1998 pt.1', 'PS3545.I345 Z46 1998 v.2']);
  });

  it('orders Dewey as a decimal number, then cutter', () => {
    expectShelfOrder(['004.6 ZZZ', '005 A1', '005.13 SMI', '005.133 ABC', '005.133 SMI', '005.133 SMI 2020', '005.2 ABC', '050 ZZZ', '823.914 ROW', '823.92 ADA']);
  });

  it('shelves each prefix as its own collection, unprefixed first', () => {
    expectShelfOrder(['599.75 PAR', '823.914 ROW', 'FIC TOL', 'FIC 813.54 ABC', 'J 599.75 PAR', 'J FIC ROW', 'REF 031 ENC 2020']);
  });

  it('keeps schemes apart: Dewey, then LC, then anything else', () => {
    expectShelfOrder(['REF 031 ENC 2020', 'A1 .B2', 'ZA4 .B2', 'REF QA1 .B2', '02-25360 BURNSOATES', 'DVD 1234']);
  });

  it('compares numbers inside generic call numbers numerically', () => {
    expectShelfOrder(['DVD 9', 'DVD 10', 'DVD 100'], 'generic');
    expectShelfOrder(['Box 2 folder 10', 'Box 10 folder 1', 'Box 10 folder 2'], 'generic');
  });

  it('ignores case, spacing and optional periods', () => {
    const k = callNumberSortKey('QA76.73.J38 S65 2019');
    for (const v of ['qa76.73.j38 s65 2019', 'QA 76.73 .J38 S65 2019', '  QA76.73 .J38  S65 2019 ', 'QA76.73 J38 S65 2019']) {
      expect(callNumberSortKey(v)).toBe(k);
    }
    expect(callNumberSortKey('Brontë 12')).toBe(callNumberSortKey('Bronte 12'));
  });

  it('ignores Dewey segmentation marks copied from 082', () => {
    expect(callNumberSortKey('823/.914 ROW')).toBe(callNumberSortKey('823.914 ROW'));
    expect(callNumberSortKey('005.13/3 SMI')).toBe(callNumberSortKey('005.133 SMI'));
    expect(parseCallNumber("823'.914 ROW")).toMatchObject({ scheme: 'dewey', classification: '823.914', cutters: ['ROW'] });
  });

  it('gives empty input an empty key, which sorts first', () => {
    for (const v of ['', '   ', '....', '-/-']) expect(callNumberSortKey(v)).toBe('');
  });

  it('never throws, and always returns trimmed printable ASCII', () => {
    const odd: unknown[] = [null, undefined, 42, {}, 'ǂa', '😀 QA76', 'ＱＡ７６．７３', 'QA' + '9'.repeat(500), '\u0000\t\n', 'Пушкин 891.71', '論語 181.112', 'v.'.repeat(1000)];
    for (const v of odd) {
      const key = callNumberSortKey(v as string);
      expect(key).toMatch(/^(?:[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?)?$/);
      expect(() => parseCallNumber(v as string)).not.toThrow();
      expect(['lc', 'dewey', 'generic']).toContain(detectScheme(v as string));
    }
    // Full-width forms fold to ASCII.
    expect(callNumberSortKey('ＱＡ７６．７３')).toBe(callNumberSortKey('QA76.73'));
  });

  it('uses the scheme the caller names', () => {
    expect(callNumberSortKey('R 241 .F2498 1994', 'lc')).toMatch(/^L /);
    expect(callNumberSortKey('123 .M32', 'dewey')).toMatch(/^D /);
    expect(callNumberSortKey('QA76.73 .J38', 'generic')).toMatch(/^Z /);
    expect(callNumberSortKey('QA76.73 .J38', 'bogus' as CallNumberScheme)).toBe(callNumberSortKey('QA76.73 .J38'));
  });
});
