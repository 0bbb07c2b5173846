import type { MarcRecord } from '@carrel/marc';
import {
  controlNumberKey, decideOverlay, isbnKey, issnKey, matchKeys, parseMatchPoints, systemControlNumberKey, type OverlayPolicy,
} from './match-points.js';

const rec = (fields: MarcRecord['fields']): MarcRecord => ({ leader: '00000nam a2200000 a 4500', fields });
const df = (tag: string, ...subs: [string, string][]) => ({ tag, ind1: ' ', ind2: ' ', subfields: subs.map(([code, value]) => ({ code, value })) });

describe('match points', () => {
  // [function, input, expected key]
  const cases: [string, (s: string) => string | null, string, string | null][] = [
    ['ISBN-10 with hyphens and a qualifier', isbnKey, '0-19-852663-6 (pbk.)', '9780198526636'],
    ['ISBN-13 in blank-separated groups with a prefix', isbnKey, 'ISBN 978 0 19 852663 6', '9780198526636'],
    ['ISBN-10 with a lower-case x', isbnKey, '080279548x', '9780802795489'],
    ['ISBN with a long qualifier', isbnKey, '1560986344 (alk. paper) :', '9781560986348'],
    ['979 ISBN', isbnKey, '979-10-90636-07-1', '9791090636071'],
    ['ISBN-10 with a wrong check digit', isbnKey, '0-19-852663-7', null],
    ['ISBN-13 with a wrong check digit', isbnKey, '9780198526637', null],
    ['empty ISBN', isbnKey, '', null],
    ['text for an ISBN', isbnKey, 'not an isbn', null],
    ['10,000 digits for an ISBN', isbnKey, '9'.repeat(10_000), null],
    ['ISSN with hyphen', issnKey, '0378-5955', '0378-5955'],
    ['ISSN without hyphen, prefixed', issnKey, 'ISSN 00030856', '0003-0856'],
    ['ISSN with a wrong check digit', issnKey, 'ISSN 00030857', null],
    ['ISSN with a lower-case x', issnKey, '2434-561x', '2434-561X'],
    ['OCLC ocm with zeros', systemControlNumberKey, '(OCoLC)ocm00012345', '(OCoLC)12345'],
    ['OCLC ocn', systemControlNumberKey, '(OCoLC)ocn184906270', '(OCoLC)184906270'],
    ['OCLC on', systemControlNumberKey, '(OCoLC)on1234567890', '(OCoLC)1234567890'],
    ['OCLC in lower case with a blank', systemControlNumberKey, '(ocolc) 697', '(OCoLC)697'],
    ['another source with a blank', systemControlNumberKey, '(Sirsi) a351664', '(Sirsi)a351664'],
    ['no source', systemControlNumberKey, '26923', '26923'],
    ['a source and no number', systemControlNumberKey, '(DLC)', null],
    ['blanks', systemControlNumberKey, '   ', null],
  ];
  it.each(cases)('%s', (_what, key, input, expected) => {
    expect(key(input)).toBe(expected);
  });

  it('001 with 003; OCLC numbers in 001 also count as 035s', () => {
    const r = rec([{ tag: '001', value: 'ocm12345678' }, { tag: '003', value: 'OCoLC' }, df('035', ['a', '(OCoLC)12345678'])]);
    expect(controlNumberKey(r)).toBe('OCoLC:ocm12345678');
    expect(matchKeys(r, ['system-control-number'])).toEqual([{ type: 'system-control-number', value: '(OCoLC)12345678' }]);
    expect(controlNumberKey(rec([{ tag: '001', value: '  ' }]))).toBeNull();
    expect(controlNumberKey(rec([{ tag: '001', value: 'x1' }]))).toBe(':x1');
  });

  it('keys in the configured order, each point once, duplicates and invalid values dropped', () => {
    const r = rec([
      { tag: '001', value: '822290' }, { tag: '003', value: 'MAnMC' }, { tag: '010', value: 'bad control field' },
      df('010', ['a', '  85-2 ']), df('020', ['a', '0823933865 (lib. bdg.)']), df('020', ['a', '978-0-8239-3386-0']), df('020', ['a', '12345']),
      df('022', ['a', '0378-5955']), df('938', ['i', '0689859120']),
    ]);
    expect(matchKeys(r, ['isbn', 'lccn', 'control-number', 'issn', 'isbn'])).toEqual([
      { type: 'isbn', value: '9780823933860' }, { type: 'isbn', value: '9780689859120' },
      { type: 'lccn', value: '85000002' },
      { type: 'control-number', value: 'MAnMC:822290' },
      { type: 'issn', value: '0378-5955' },
    ]);
    expect(matchKeys(rec([]), ['isbn', 'issn', 'control-number', 'system-control-number', 'lccn'])).toEqual([]);
  });

  it('configured match points are checked', () => {
    expect(parseMatchPoints('isbn, control-number system-control-number')).toEqual(['isbn', 'control-number', 'system-control-number']);
    expect(() => parseMatchPoints('isbn, title')).toThrow('unknown match point "title"; known: isbn, issn, control-number, system-control-number, lccn');
    expect(() => parseMatchPoints(' ')).toThrow('no match points given');
  });
});

describe('overlay decision', () => {
  const policy = (onMatch: OverlayPolicy['onMatch'], more: Partial<OverlayPolicy> = {}): OverlayPolicy => ({ onMatch, onNoMatch: 'create', onSeveralMatches: 'reject', ...more });
  const cn = { type: 'control-number' as const, value: 'MAnMC:1' };
  const isbn = { type: 'isbn' as const, value: '9780060170004' };

  it('no match: create, or reject when the vendor may not create records', () => {
    expect(decideOverlay([{ key: cn, recordIds: [] }], policy('replace-record'))).toEqual({ action: 'create', reason: 'no catalogue record matches' });
    expect(decideOverlay([], policy('replace-record', { onNoMatch: 'reject' }))).toMatchObject({ action: 'reject', candidates: [] });
  });

  it('the first match point that finds a record decides, whatever later ones find', () => {
    const lookups = [{ key: cn, recordIds: [7] }, { key: isbn, recordIds: [9] }];
    expect(decideOverlay(lookups, policy('replace-record'))).toEqual({
      action: 'replace', recordId: 7, matchedOn: cn, reason: 'control-number MAnMC:1 matches record 7; the vendor record replaces it',
    });
    expect(decideOverlay(lookups, policy('keep-existing'))).toMatchObject({ action: 'keep', recordId: 7 });
    expect(decideOverlay([{ key: cn, recordIds: [] }, ...lookups.slice(1)], policy('add-items-only'))).toMatchObject({ action: 'add-items', recordId: 9, matchedOn: isbn });
  });

  it('several records for one key: reject, or the lowest id', () => {
    const lookups = [{ key: isbn, recordIds: [12, 5, 12] }];
    expect(decideOverlay(lookups, policy('replace-record'))).toEqual({ action: 'reject', reason: 'isbn 9780060170004 matches 2 catalogue records (5, 12)', candidates: [5, 12] });
    expect(decideOverlay(lookups, policy('replace-record', { onSeveralMatches: 'first' }))).toMatchObject({ action: 'replace', recordId: 5 });
  });
});
