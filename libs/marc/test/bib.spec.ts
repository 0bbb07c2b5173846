import { normalizeIsbn, normalizeIssn, normalizeLccn, summarizeBib, type MarcRecord } from '../src/index.js';
import { sample } from './helpers.js';

const df = (tag: string, ind: string, ...subs: string[]) => ({
  tag, ind1: ind[0]!, ind2: ind[1]!, subfields: subs.map((s) => ({ code: s[0]!, value: s.slice(1) })),
});

describe('summarizeBib', () => {
  const record: MarcRecord = {
    leader: '00000cam a2200000 a 4500',
    fields: [
      { tag: '001', value: ' 12883376 ' },
      { tag: '003', value: 'DLC' },
      { tag: '008', value: '020805s2002    nyu    j      000 1 eng  ' },
      df('010', '  ', 'a   2002-1234 /AC/r83'),
      df('020', '  ', 'a0-06-017000-6 (pbk.)', 'c$12.95'),
      df('020', '  ', 'a9780786816156 (hbk.) :'),
      df('020', '  ', 'zbogus'),
      df('020', '  ', 'a0060170006'),
      df('022', '0 ', 'a0028-0836'),
      df('035', '  ', 'a(OCoLC)50149548'),
      df('035', '  ', 'a(DLC)  2002012345'),
      df('050', '00', 'aPZ7.C3432', 'bSu 2002'),
      df('082', '00', 'a[Fic]', '221'),
      df('100', '1 ', 'aChabon, Michael.'),
      df('245', '10', 'aSummerland /', 'cMichael Chabon.'),
      df('260', '  ', 'aNew York :', 'bMiramax Books/Hyperion Books for Children,', 'cc2002.'),
    ],
  };

  it('extracts the search fields, cleaned', () => {
    expect(summarizeBib(record)).toEqual({
      title: 'Summerland',
      author: 'Chabon, Michael',
      isbns: ['0060170006', '9780786816156'],
      issns: ['0028-0836'],
      controlNumber: '12883376',
      controlNumberIdentifier: 'DLC',
      systemControlNumbers: ['(OCoLC)50149548', '(DLC) 2002012345'],
      lccn: '2002001234',
      publisher: 'Miramax Books/Hyperion Books for Children',
      publicationYear: '2002',
      lcCallNumber: 'PZ7.C3432 Su 2002',
      deweyCallNumber: '[Fic]',
    });
  });

  it('joins 245 $a$b$n$p, NFC-normalises and keeps initials', () => {
    const s = summarizeBib(sample());
    expect(s.title).toBe('De la solitude à la communauté');
    expect(s.title).toBe('De la solitude \u00e0 la communaut\u00e9');
    const r: MarcRecord = { leader: record.leader, fields: [df('100', '1 ', 'aAndrews, V.C.'), df('245', '10', 'aPart one.', 'nPart 2,', 'pThe end :', 'bsubtitle.', 'cme.')] };
    expect(summarizeBib(r)).toMatchObject({ title: 'Part one. Part 2, The end : subtitle', author: 'Andrews, V.C.' });
  });

  it('prefers 264 _1 over 260, and falls back to 260 $c when 008 has no date', () => {
    const r: MarcRecord = {
      leader: record.leader,
      fields: [{ tag: '008', value: '020805s19uu' }, df('260', '  ', 'bOld Press,', 'c[1999?]'), df('264', ' 1', 'aLondon :', 'bNew Press ;', 'c[2008]'), df('082', '04', 'a791.43/72', '222')],
    };
    expect(summarizeBib(r)).toMatchObject({ publisher: 'New Press', publicationYear: '2008', deweyCallNumber: '791.4372' });
  });

  it('uses 110/111 when there is no 100 and returns nulls and empty lists for a bare record', () => {
    expect(summarizeBib({ leader: record.leader, fields: [df('110', '2 ', 'aUnited States.', 'bCongress.')] }).author).toBe('United States. Congress');
    expect(summarizeBib({ leader: record.leader, fields: [{ tag: '001', value: 'x' }] })).toEqual({
      title: null, author: null, isbns: [], issns: [], controlNumber: 'x', controlNumberIdentifier: null, systemControlNumbers: [],
      lccn: null, publisher: null, publicationYear: null, lcCallNumber: null, deweyCallNumber: null,
    });
  });
});

describe('normalizeIsbn', () => {
  it('returns ISBN-13 for valid ISBN-10s and ISBN-13s', () => {
    expect(normalizeIsbn('0-306-40615-2 (pbk.)')).toBe('9780306406157');
    expect(normalizeIsbn('0306406152')).toBe('9780306406157');
    expect(normalizeIsbn('ISBN 0-8044-2957-X')).toBe('9780804429573');
    expect(normalizeIsbn('080442957x')).toBe('9780804429573');
    expect(normalizeIsbn('978-0-306-40615-7')).toBe('9780306406157');
    expect(normalizeIsbn('9791234567896')).toBe('9791234567896');
  });

  it('rejects wrong check digits, lengths and prefixes', () => {
    expect(normalizeIsbn('0-06-017000-6 (pbk.)')).toBeNull(); // check digit should be X
    expect(normalizeIsbn('006017000X')).toBe('9780060170004');
    expect(normalizeIsbn('9780306406158')).toBeNull();
    expect(normalizeIsbn('9771234567898')).toBeNull(); // ISSN-as-EAN prefix, check digit right
    expect(normalizeIsbn('X060170006')).toBeNull();
    expect(normalizeIsbn('123456789')).toBeNull();
    expect(normalizeIsbn('pbk.')).toBeNull();
    expect(normalizeIsbn('')).toBeNull();
  });
});

describe('normalizeIssn', () => {
  it('formats valid ISSNs and rejects bad check digits', () => {
    expect(normalizeIssn('0028-0836')).toBe('0028-0836');
    expect(normalizeIssn('00280836')).toBe('0028-0836');
    expect(normalizeIssn('ISSN 0317-8471')).toBe('0317-8471');
    expect(normalizeIssn('2434-561x')).toBe('2434-561X');
    expect(normalizeIssn('0028-0837')).toBeNull();
    expect(normalizeIssn('0028-08360')).toBeNull();
    expect(normalizeIssn('abcd-efgh')).toBeNull();
  });
});

describe('normalizeLccn', () => {
  it('follows LC’s normalisation', () => {
    expect(normalizeLccn('   61014599/L/r83')).toBe('61014599');
    expect(normalizeLccn('sn 86012976 ')).toBe('sn86012976');
    expect(normalizeLccn('85-2 ')).toBe('85000002');
    expect(normalizeLccn('2001-1114')).toBe('2001001114');
    expect(normalizeLccn('   ')).toBeNull();
  });
});
