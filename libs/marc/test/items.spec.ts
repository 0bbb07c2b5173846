import { EVERGREEN_852_MAPPING, extractItems, KOHA_952_MAPPING, MARC_852_MAPPING, normalizePrice, type MarcRecord } from '../src/index.js';

const df = (tag: string, ...subs: string[]) => ({ tag, ind1: ' ', ind2: ' ', subfields: subs.map((s) => ({ code: s[0]!, value: s.slice(1) })) });
const record = (...fields: MarcRecord['fields']): MarcRecord => ({ leader: '00000nam a2200000 a 4500', fields: [{ tag: '001', value: '1' }, ...fields] });

describe('extractItems', () => {
  it('reads Koha 952 fields', () => {
    const r = record(
      df('245', 'aTitle'),
      df('952', '0 0', '1 0', '7 0', 'aMAIN', 'bBRANCH2', 'cSTACKS', 'oQA76.73 .P33 2004', 'p 31234000123456 ', 'yBOOK', '8ADULT', 'g$25.99', 't2', 'zSigned copy', 'xstaff only'),
      df('952', 'aMAIN', 'p31234000999999'),
    );
    expect(extractItems(r, KOHA_952_MAPPING)).toEqual([
      {
        barcode: '31234000123456', branch: 'BRANCH2', homeBranch: 'MAIN', location: 'STACKS', callNumber: 'QA76.73 .P33 2004', itemType: 'BOOK',
        collectionCode: 'ADULT', price: '25.99', status: null, copyNumber: '2', notes: 'Signed copy', fieldIndex: 2, warnings: [],
      },
      {
        barcode: '31234000999999', branch: null, homeBranch: 'MAIN', location: null, callNumber: null, itemType: null,
        collectionCode: null, price: null, status: null, copyNumber: null, notes: null, fieldIndex: 3, warnings: [],
      },
    ]);
  });

  it('reads standard MARC 852: call number from $k $h $i $m in field order', () => {
    const r = record(df('852', 'aDLC', 'bMAIN', 'cREF', 'kRef.', 'hQA76.73.P33', 'iP33 2004', 'mc.2', 'p31234000123456', 't1', 'zLibrary has copy 2'));
    expect(extractItems(r, MARC_852_MAPPING)).toEqual([
      expect.objectContaining({ barcode: '31234000123456', branch: 'MAIN', homeBranch: 'MAIN', location: 'REF', callNumber: 'Ref. QA76.73.P33 P33 2004 c.2', copyNumber: '1', notes: 'Library has copy 2', price: null }),
    ]);
  });

  it("reads Evergreen's marc_export 852: owning library, then circulating library", () => {
    const r = record(df('852', 'aMiU', 'bBR1', 'bBR2', 'cStacks', 'kREF', 'j813.54 CHA', 'gBOOK', 'p39000000001', 'sAvailable', 'y$12.50', 't1', 'xreference', 'xunholdable'));
    expect(extractItems(r, EVERGREEN_852_MAPPING)).toEqual([
      {
        barcode: '39000000001', branch: 'BR2', homeBranch: 'BR1', location: 'Stacks', callNumber: 'REF 813.54 CHA', itemType: 'BOOK', collectionCode: null,
        price: '12.50', status: 'Available', copyNumber: '1', notes: 'reference; unholdable', fieldIndex: 1, warnings: [],
      },
    ]);
    // A single $b is both.
    expect(extractItems(record(df('852', 'bBR1', 'p1')), EVERGREEN_852_MAPPING)[0]).toMatchObject({ branch: 'BR1', homeBranch: 'BR1' });
  });

  it('warns about a missing barcode, a repeated subfield and an unreadable price', () => {
    const [item] = extractItems(record(df('952', 'aMAIN', 'yBOOK', 'yDVD', 'gfree')), KOHA_952_MAPPING);
    expect(item).toMatchObject({ barcode: null, itemType: 'BOOK', price: null });
    expect(item!.warnings).toEqual(['$y (itemType) occurs 2 times; the first value was used', 'price "free" is not a number; ignored', 'no barcode ($p)']);
  });

  it('ignores control fields and other tags, and takes custom mappings', () => {
    const r = record({ tag: '949', value: 'not an item' }, df('949', 'aML 270.2 A6 1997', 'i30007006841505', 'tBOOKS', 'lHUNT-CIRC', 'mHUNTINGTON'));
    expect(extractItems(r, { tag: '949', barcode: 'i', callNumber: 'a', itemType: 't', location: 'l', branch: 'm' })).toEqual([
      expect.objectContaining({ barcode: '30007006841505', callNumber: 'ML 270.2 A6 1997', itemType: 'BOOKS', location: 'HUNT-CIRC', branch: 'HUNTINGTON', fieldIndex: 2 }),
    ]);
    expect(extractItems(r, KOHA_952_MAPPING)).toEqual([]);
  });
});

describe('normalizePrice', () => {
  it.each([
    ['$25.99', '25.99'], ['25.99', '25.99'], ['USD 25.99', '25.99'], ['£12.50 (est.)', '12.50'], ['EUR 12,50', '12.50'], ['12,5 €', '12.5'],
    ['1,234.56', '1234.56'], ['1.234,56', '1234.56'], ['1,234', '1234'], ['1,234,567', '1234567'], ['$.99', '0.99'], ['007.00', '7.00'], ['25.', '25'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizePrice(input)).toBe(expected);
  });
  it('returns null when there is no number', () => {
    expect(normalizePrice('free')).toBeNull();
    expect(normalizePrice('')).toBeNull();
  });
});
