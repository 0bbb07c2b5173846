import { callNumberSortKey, splitCallNumber, type CallNumberScheme } from './index.js';

describe('splitCallNumber', () => {
  it.each([
    // LC: letters, number, each Cutter (with its period as written), date, volume
    ['QA76.73.J38 S65 2019 v.2', undefined, ['QA', '76.73', '.J38', 'S65', '2019', 'v.2']],
    ['PS3545.I345 Z46 1998 c.10', undefined, ['PS', '3545', '.I345', 'Z46', '1998', 'c.10']],
    ['KF 4558 1st .A92', undefined, ['KF', '4558', '1st', '.A92']],
    ['UA704 .C9 12 TH R89', undefined, ['UA', '704', '.C9', '12 TH', 'R89']],
    ['QA 101.1 .A101mb 2001 c.3', undefined, ['QA', '101.1', '.A101mb', '2001', 'c.3']],
    ['HQ1101 .D54 v.3 no.10', undefined, ['HQ', '1101', '.D54', 'v.3', 'no.10']],
    ['QC100 .U57 NO. 555 1986', 'lc', ['QC', '100', '.U57', 'NO. 555', '1986']],
    ['REF QA76.73 .J38 2019', undefined, ['REF', 'QA', '76.73', '.J38', '2019']],
    ['Oversize QA 101.1 .A1', undefined, ['Oversize', 'QA', '101.1', '.A1']],
    ['QA', 'lc', ['QA']],
    // Dewey: prefixes one per line, the class without 082 segmentation marks, cutters, volumes
    ['J 599.75 PAR', undefined, ['J', '599.75', 'PAR']],
    ['REF 031 ENC 2020 v.3', undefined, ['REF', '031', 'ENC', '2020', 'v.3']],
    ['CD-ROM 787.87 EAS', undefined, ['CD-ROM', '787.87', 'EAS']],
    ['YR DVD 800.1', undefined, ['YR', 'DVD', '800.1']],
    ['823/.914 ROW', undefined, ['823.914', 'ROW']],
    ['971.01 P23w v.1-2 pt.6-7', 'dewey', ['971.01', 'P23w', 'v.1-2', 'pt.6-7']],
    ['R220.3 H2793Z', 'dewey', ['R', '220.3', 'H2793Z']],
    // Read freely "J 500" is LC class J500; named Dewey, J is the juvenile label.
    ['J 500', undefined, ['J', '500']],
    ['J 500 c.2', 'dewey', ['J', '500', 'c.2']],
    // Author-shelved collections
    ['FIC SMITH', undefined, ['FIC', 'SMITH']],
    ['J FIC ROW c.2', undefined, ['J', 'FIC', 'ROW', 'c.2']],
    ['FIC GIR J5c.1', undefined, ['FIC', 'GIR', 'J5', 'c.1']],
    ['B LINCOLN', undefined, ['B', 'LINCOLN']],
    // Generic (local) numbers: spaces, with designators kept with their numbers
    ['DVD 1234', undefined, ['DVD', '1234']],
    ['Box 10 folder 2', 'generic', ['Box 10', 'folder 2']],
    ['MP3-CD F PARKER', 'generic', ['MP3-CD', 'F', 'PARKER']],
    ['BIO JP2 R5c.1', 'generic', ['BIO', 'JP2', 'R5', 'c.1']],
    ['EP 1.104:C 73/2004', undefined, ['EP', '1.104:C', '73/2004']],
    ['photocopy', undefined, ['photocopy']],
    ['HQ56 .B7 & LITURGY AND LIFE', undefined, ['HQ', '56', '.B7', '&', 'LITURGY', 'AND', 'LIFE']],
  ] as [string, CallNumberScheme | undefined, string[]][])('%s (%s)', (cn, scheme, lines) => {
    expect(splitCallNumber(cn, scheme)).toEqual(lines);
  });

  it('keeps every character of the text, only moving the breaks', () => {
    for (const cn of ['QA76.73.J38 S65 2019 v.2', 'HE8700.7 .P6T44 1983', 'REF 031 ENC 2020', 'M5 .L3 K2 OP.7:NO.6 1880', '159.9 (091) Gesh']) {
      expect(splitCallNumber(cn).join('').replace(/\s/g, '')).toBe(cn.replace(/\s/g, ''));
    }
  });

  it('prints diacritics as written while reading the structure through their ASCII form', () => {
    expect(splitCallNumber('FIC BRONTË c.2')).toEqual(['FIC', 'BRONTË', 'c.2']);
    expect(splitCallNumber('PQ2603.E362 Ž37 1975')).toEqual(['PQ', '2603', '.E362', 'Ž37', '1975']);
    // No ASCII form: the words are printed as they are rather than dropped.
    expect(splitCallNumber('Пушкин 891.71 v.2')).toEqual(['Пушкин', '891.71', 'v.2']);
    expect(splitCallNumber('論語 181.112')).toEqual(['論語', '181.112']);
  });

  it('collapses whitespace and drops MARC subfield marks left in exports', () => {
    expect(splitCallNumber('  QA76.73\t.J38 \n S65  ')).toEqual(['QA', '76.73', '.J38', 'S65']);
    expect(splitCallNumber('BX890 ǂb .S986 1714')).toEqual(['BX', '890', '.S986', '1714']);
  });

  it('puts a separately kept prefix and suffix on lines of their own, as written', () => {
    expect(splitCallNumber('ML 60 R75', 'lc', { prefix: 'STORAGE BR4', suffix: 'DEPOSITORY' })).toEqual(['STORAGE BR4', 'ML', '60', 'R75', 'DEPOSITORY']);
    expect(splitCallNumber('', undefined, { prefix: 'REF', suffix: ' ' })).toEqual(['REF']);
  });

  it('degrades to a generic split when a named scheme does not fit', () => {
    expect(splitCallNumber('823.914 ROW v. 2', 'lc')).toEqual(['823.914', 'ROW', 'v. 2']);
    expect(splitCallNumber('DVD 1234 disc 2', 'dewey')).toEqual(['DVD', '1234', 'disc 2']);
    // Named Dewey takes a short class ("1 .M32" in Stanford's lists), so this one is Dewey 54.
    expect(splitCallNumber('DVD 54 disc 2', 'dewey')).toEqual(['DVD', '54', 'disc 2']);
  });

  it('never throws: junk and non-strings give lines or none', () => {
    for (const v of [null, undefined, 42, {}, [], '', '   ', '\u0000\t\n', 'ǂa', '😀 QA76', 'QA' + '9'.repeat(500), 'v.'.repeat(1000), '....', '-/-']) {
      const lines = splitCallNumber(v as string, undefined, v as object);
      expect(Array.isArray(lines)).toBe(true);
      for (const l of lines) expect(l).toMatch(/^\S(?:.*\S)?$/);
    }
    expect(splitCallNumber(null as unknown as string)).toEqual([]);
    expect(splitCallNumber('   ')).toEqual([]);
    expect(splitCallNumber('....')).toEqual([]);
    expect(splitCallNumber('-/-', 'lc', { suffix: 'MEDIA' })).toEqual(['MEDIA']);
    expect(splitCallNumber('QA76', 'bogus' as CallNumberScheme)).toEqual(['QA', '76']);
  });

  it('reads the call number the same way as the sort key does', () => {
    // A label and the shelf list must agree on where the Cutter is: splitting and re-joining with
    // single spaces keys the same.
    for (const cn of ['QA76.73.J38 S65 2019 v.2', 'KF 4558 1st .A92', 'REF 031 ENC 2020', 'J FIC ROW c.2', 'E 185.86 .B7']) {
      const rejoined = splitCallNumber(cn).join(' ');
      expect(callNumberSortKey(rejoined)).toBe(callNumberSortKey(cn));
    }
  });
});
