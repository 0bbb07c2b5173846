import type { MarcRecord } from '@carrel/marc';
import {
  controlNumberKey, decideOverlay, isbnKey, issnKey, matchKeys, parseMatchPoints, systemControlNumberKey, type OverlayPolicy,
} from './match-points.js';

const rec = (fields: MarcRecord['fields']): MarcRecord => ({ leader: '00000nam a2200000 a 4500', fields });
const df = (tag: string, ...subs: [string, string][]) => ({ tag, ind1: ' ', ind2: ' ', subfields: subs.map(([code, value]) => ({ code, value })) });

describe('match points', () => {
  it('ISBN: 10 → 13, hyphens and blanks, qualifiers, prefixes; wrong check digits refused', () => {
    expect(isbnKey('0-19-852663-6 (pbk.)')).toBe('9780198526636');
    expect(isbnKey('ISBN 978 0 19 852663 6')).toBe('9780198526636');
    expect(isbnKey('080279548x')).toBe('9780802795489');
    expect(isbnKey('1560986344 (alk. paper) :')).toBe('9781560986348');
    expect(isbnKey('979-10-90636-07-1')).toBe('9791090636071');
    expect(isbnKey('0-19-852663-7')).toBeNull();
    expect(isbnKey('9780198526637')).toBeNull();
    expect(isbnKey('')).toBeNull();
    expect(isbnKey('not an isbn')).toBeNull();
    expect(isbnKey('9'.repeat(10_000))).toBeNull();
  });

  it('ISSN: check digit, X, hyphen optional', () => {
    expect(issnKey('0378-5955')).toBe('0378-5955');
    expect(issnKey('ISSN 00030856')).toBe('0003-0856');
    expect(issnKey('ISSN 00030857')).toBeNull();
    expect(issnKey('2434-561x')).toBe('2434-561X');
    expect(issnKey('0378-5956')).toBeNull();
  });

  it('035: OCLC prefixes and zeros dropped, other sources kept, junk tolerated', () => {
    expect(systemControlNumberKey('(OCoLC)ocm00012345')).toBe('(OCoLC)12345');
    expect(systemControlNumberKey('(OCoLC)ocn184906270')).toBe('(OCoLC)184906270');
    expect(systemControlNumberKey('(OCoLC)on1234567890')).toBe('(OCoLC)1234567890');
    expect(systemControlNumberKey('(ocolc) 697')).toBe('(OCoLC)697');
    expect(systemControlNumberKey('(Sirsi) a351664')).toBe('(Sirsi)a351664');
    expect(systemControlNumberKey('26923')).toBe('26923');
    expect(systemControlNumberKey('(DLC)')).toBeNull();
    expect(systemControlNumberKey('   ')).toBeNull();
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
