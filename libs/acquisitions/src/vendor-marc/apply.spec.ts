// Small vendor records of our own: every way the order and item data can come, and how it breaks.
import { Buffer } from 'node:buffer';
import { readMarc, writeIso2709, writeMarcXml, type MarcRecord, type MarcSubfield } from '@carrel/marc';
import { applyVendorMapping, mapVendorRecords } from './apply.js';
import { parseVendorMarcMapping, vendorMarcPreset } from './mapping.js';

// '‡' delimits subfields here, so values may hold '$' as vendors write prices.
const sf = (spec: string): MarcSubfield[] => spec.split('‡').slice(1).map((s) => ({ code: s[0]!, value: s.slice(1) }));
const record = (...fields: [string, string][]): MarcRecord => ({
  leader: '00000nam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'v-1' },
    { tag: '245', ind1: '1', ind2: '0', subfields: sf('‡aA vendor title /‡cSomeone.') },
    ...fields.map(([tag, spec]) => ({ tag, ind1: ' ', ind2: ' ', subfields: sf(spec) })),
  ],
});
const koha = vendorMarcPreset('koha-975');
const apply = (r: MarcRecord, mapping = koha, maxCopies?: number) =>
  applyVendorMapping(r, mapping, maxCopies === undefined ? { position: 4 } : { position: 4, maxCopies });

describe('applying a vendor mapping', () => {
  it('order data: first non-empty alternative wins, prices normalised', () => {
    const r = apply(record(['947', '‡a‡c12,99 EUR'], ['969', '‡h2‡d10%'], ['922', '‡aADULT'], ['923', '‡aS1'], ['924', '‡aS2']));
    expect(r.order).toEqual({ price: '12.99', quantity: 2, fund: 'ADULT', discount: '10', sort1: 'S1', sort2: 'S2' });
    expect(r.ok).toBe(true);
    // no 975: the order quantity gives that many copies, carrying the order's price and fund
    expect(r.copies.map((c) => [c.price, c.fund, c.fieldIndex])).toEqual([['12.99', 'ADULT', null], ['12.99', 'ADULT', null]]);
  });

  it('one copy per repeated item field; an item quantity multiplies its field', () => {
    const r = apply(record(
      ['947', '‡a$24.95'],
      ['975', '‡aMAIN‡bMAIN‡yBOOK‡cNEW‡8FIC‡nc.1‡p$19.99‡v25.00‡hADULT‡zSigned‡xbox 3'],
      ['975', '‡aEAST‡q2‡yBOOK'],
    ));
    expect(r.problems).toEqual([]);
    expect(r.copies).toHaveLength(3);
    expect(r.copies[0]).toEqual({
      homeBranch: 'MAIN', holdingBranch: 'MAIN', itemType: 'BOOK', location: 'NEW', collectionCode: 'FIC', callNumber: null, barcode: null,
      copyNumber: 'c.1', notForLoan: null, uri: null, publicNote: 'Signed', nonPublicNote: 'box 3', price: '19.99', replacementPrice: '25.00',
      fund: 'ADULT', fieldIndex: 3,
    });
    // the copies from the second 975 take the order price (24.95) where the field has none
    expect(r.copies.slice(1).map((c) => [c.homeBranch, c.price, c.fieldIndex])).toEqual([['EAST', '24.95', 4], ['EAST', '24.95', 4]]);
  });

  it('price forms: "$12.99", "12,99 EUR", "£1,234.50", "USD 5"', () => {
    const prices = ['$12.99', '12,99 EUR', '£1,234.50', 'USD 5'].map((p) => apply(record(['947', `‡a${p}`])).order.price);
    expect(prices).toEqual(['12.99', '12.99', '1234.50', '5']);
  });

  it('the order quantity disagreeing with the item fields is a warning naming the record', () => {
    const r = apply(record(['969', '‡h3'], ['975', '‡aMAIN']));
    expect(r.ok).toBe(true);
    expect(r.copies).toHaveLength(1);
    expect(r.problems).toEqual([{ severity: 'warning', message: 'record 4: the order quantity is 3 but the item fields describe 1 copies; the item fields are used' }]);
  });

  it('bad values are errors with record position, field and occurrence', () => {
    const r = apply(record(['947', '‡afree'], ['975', '‡aMAIN‡q1'], ['975', '‡aEAST‡qtwo‡pabout ten']));
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      { severity: 'error', field: '947$a', occurrence: 1, message: 'record 4: 947$a (occurrence 1): price "free" is not a number' },
      { severity: 'error', field: '975$q', occurrence: 2, message: 'record 4: 975$q (occurrence 2): item quantity "two" is not a whole number of copies' },
      { severity: 'error', field: '975$p', occurrence: 2, message: 'record 4: 975$p (occurrence 2): price "about ten" is not a number' },
    ]);
  });

  it('hostile quantities and values: zero, negative, huge, oversized text', () => {
    expect(apply(record(['969', '‡h0'])).problems[0]!.message).toBe('record 4: 969$h (occurrence 1): order quantity "0" is not a whole number of copies');
    expect(apply(record(['969', '‡h-3'])).ok).toBe(false);
    const huge = apply(record(['969', '‡h999999999']));
    expect([huge.ok, huge.copies.length <= 1]).toEqual([false, true]);
    expect(huge.problems[0]!.message).toBe('record 4: 969$h (occurrence 1): order quantity 999999999 is more than 999 copies');
    const many = apply(record(...Array.from({ length: 12 }, (): [string, string] => ['975', '‡aMAIN‡q9'])), koha, 100);
    expect([many.ok, many.copies.length]).toEqual([false, 100]);
    expect(many.problems.at(-1)!.message).toBe('record 4: the item fields describe more than 100 copies');
    const long = apply(record(['975', `‡a${'B'.repeat(300)}`]));
    expect(long.problems[0]!.message).toBe('record 4: 975$a (occurrence 1): homebranch is 300 characters long');
    expect(long.copies[0]!.homeBranch).toBeNull();
  });

  it('item tags that occur a different number of times: warning; a tag occurring once applies to every copy', () => {
    const m = parseVendorMarcMapping({ items: 'homebranch: 975$a\nbarcode: 976$a\nitype: 977$a' });
    const r = applyVendorMapping(record(['975', '‡aMAIN'], ['975', '‡aEAST'], ['975', '‡aWEST'], ['976', '‡a111'], ['976', '‡a222'], ['977', '‡aDVD']), m, { position: 1 });
    expect(r.copies.map((c) => [c.homeBranch, c.barcode, c.itemType])).toEqual([['MAIN', '111', 'DVD'], ['EAST', '222', 'DVD'], ['WEST', null, 'DVD']]);
    expect(r.problems).toEqual([{
      severity: 'warning',
      message: "record 1: item fields disagree: 975 occurs 3 times, 976 occurs 2 times, 977 occurs 1 times; copies beyond a tag's last occurrence have none of its data",
    }]);
  });

  it('barcodes: the same barcode on two fields is an error; on a field for several copies only the first keeps it', () => {
    const m = vendorMarcPreset('innovative-949');
    const twice = applyVendorMapping(record(['949', '‡i390001‡lMAIN'], ['949', '‡i390001‡lEAST']), m, { position: 2 });
    expect(twice.ok).toBe(false);
    expect(twice.problems[0]!.message).toBe('record 2: barcode "390001" is given to two item fields');
    const q = parseVendorMarcMapping({ items: 'barcode: 949$i\nquantity: 949$q' });
    const shared = applyVendorMapping(record(['949', '‡i390002‡q2']), q, { position: 3 });
    expect(shared.copies.map((c) => c.barcode)).toEqual(['390002', null]);
    expect(shared.problems[0]).toMatchObject({ severity: 'warning' });
  });

  it('control fields and fields without the mapped subfield are passed over', () => {
    const r = apply(record(['975', '‡zno branch here']));
    expect(r.copies[0]!.homeBranch).toBeNull();
    expect(r.copies[0]!.publicNote).toBe('no branch here');
  });

  it('a whole file: ISO 2709 and prefixed MARCXML give the same copies; unreadable records are rejected with their position', () => {
    const a = record(['975', '‡aMAIN‡p$10.00']);
    const b = record(['975', '‡aEAST‡q2']);
    const iso = Buffer.concat([writeIso2709(a), Buffer.from('00099garbage\x1d'), writeIso2709(b)]);
    const fromIso = [...mapVendorRecords(readMarc(iso), koha)];
    expect(fromIso.map((r) => [r.position, r.ok, r.copies.length])).toEqual([[1, true, 1], [2, false, 0], [3, true, 2]]);
    expect(fromIso[1]!.problems[0]!.message).toMatch(/^record 2 at byte \d+: /);
    // cut off in the middle of the last record
    const truncated = [...mapVendorRecords(readMarc(iso.subarray(0, iso.length - 20)), koha)];
    expect(truncated.map((r) => [r.position, r.ok])).toEqual([[1, true], [2, false], [3, false]]);
    expect(truncated[2]!.problems[0]!.message).toMatch(/^record 3 at byte \d+: /);
    const body = [a, b].map((r) => writeMarcXml(r).replace(/<\?xml[^>]*\?>/, '')).join('');
    const prefixed = `<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">${body.replace(/<(\/?)(?!marc:)([a-z])/g, '<$1marc:$2').replace(/ xmlns="[^"]*"/g, '')}</marc:collection>`;
    const fromXml = [...mapVendorRecords(readMarc(Buffer.from(prefixed)), koha)];
    expect(fromXml.map((r) => r.copies.map((c) => [c.homeBranch, c.price]))).toEqual([[['MAIN', '10.00']], [['EAST', null], ['EAST', null]]]);
  });
});
