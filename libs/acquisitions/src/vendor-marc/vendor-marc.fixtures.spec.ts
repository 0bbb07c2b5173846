// The shared vendor and item-bearing MARC files (/work/shared/fixtures/SOURCES.md, section marc/),
// each mapped with the preset for its convention; expected values were read off the files.
import { readFileSync } from 'node:fs';
import { readIso2709, readMarc, subfieldValues, normalizePrice, type MarcReadResult } from '@carrel/marc';
import { describeWithFixtures, fixturePath } from '../../../../test/support/fixtures.js';
import { mapVendorRecords, type VendorMarcRecord } from './apply.js';
import { parseVendorMarcMapping, vendorMarcPreset } from './mapping.js';
import { matchKeys } from './match-points.js';

const read = (name: string): MarcReadResult[] => [...readMarc(readFileSync(fixturePath('marc', name)))];
const mapped = (name: string, preset: string): VendorMarcRecord[] => [...mapVendorRecords(read(name), vendorMarcPreset(preset))];
const errors = (rs: VendorMarcRecord[]): string[] => rs.flatMap((r) => r.problems.filter((p) => p.severity === 'error').map((p) => p.message));

describeWithFixtures('marc', 'vendor MARC shared fixtures', () => {
  it('sample_acq_order.mrc (Evergreen 970 + B&T 938): 10 orders, one copy each, price, fund and owning library', () => {
    const rs = mapped('sample_acq_order.mrc', 'evergreen-970');
    expect(rs).toHaveLength(10);
    expect(errors(rs)).toEqual([]);
    expect(rs.every((r) => r.ok && r.record!.leader[9] === 'a')).toBe(true);
    expect(rs.map((r) => r.order.price)).toEqual(['19.99', '5.99', '12.99', '19.99', '19.99', '19.99', '19.99', '19.99', '19.99', '19.99']);
    expect(rs.map((r) => r.order.fund)).toEqual(['JUV', 'JUV', 'AV', 'RF', 'RF', 'JUV', 'JUV', 'AV', 'JUV', 'RF']);
    expect(rs.map((r) => r.copies.map((c) => [c.homeBranch, c.price, c.fund]))).toEqual(rs.map((r) => [['BR1', r.order.price, r.order.fund]]));
    // 9 of the 10 970s have a stray "\" before the first subfield: the reader's warning reaches staff with the record position.
    const stray = rs.filter((r) => r.problems.some((p) => p.severity === 'warning' && /970 .*data before the first subfield delimiter/.test(p.message)));
    expect(stray.map((r) => r.position)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(stray[0]!.problems[0]!.message).toMatch(/^record 2: field 970/);
  });

  it('sample_acq_order.mrc: B&T 938 net and list prices and match keys', () => {
    const rs = mapped('sample_acq_order.mrc', 'baker-taylor-938');
    expect(rs.map((r) => r.order.price)).toEqual([null, null, null, null, '2.99', '23.00', null, null, null, '23.00']);
    expect(rs.map((r) => r.copies.map((c) => c.price))).toEqual(rs.map((r) => [r.order.price]));
    const list = [...mapVendorRecords(read('sample_acq_order.mrc'), parseVendorMarcMapping({ order: 'price: 938$c' }))];
    expect(list[4]!.order.price).toBe('3.99');
    const [first] = rs;
    expect(matchKeys(first!.record!, ['control-number', 'system-control-number', 'isbn'])).toEqual([
      { type: 'control-number', value: 'MAnMC:822290' },
      { type: 'system-control-number', value: '(OCoLC)45804903' },
      { type: 'system-control-number', value: '(OCoLC)ocm45804903' },
      { type: 'isbn', value: '9780823933860' },
    ]);
    // 938 $i repeats the ISBNs; 020 $a "0689859155 (library binding)" loses its qualifier.
    expect(matchKeys(rs[4]!.record!, ['isbn']).map((k) => k.value)).toEqual(['9780689859120', '9780689859151']);
    expect(matchKeys(rs[5]!.record!, ['system-control-number']).map((k) => k.value)).toEqual(['(OCoLC)184906270', '(OCoLC)ocn184906270']);
  });

  it('brodart_bibzII…001 (Brodart 970, MARC-8): 11 records, 8 branch copies each, 88 in all', () => {
    const rs = mapped('brodart_bibzII_MARC_on-order_records_w_funds.001', 'brodart-970');
    expect(rs).toHaveLength(11);
    expect(errors(rs)).toEqual([]);
    expect(rs.every((r) => r.copies.length === 8)).toBe(true);
    expect(rs.reduce((n, r) => n + r.copies.length, 0)).toBe(88);
    expect(rs[0]!.copies.map((c) => c.homeBranch)).toEqual(['FRRLS-BA', 'FRRLS-FA', 'FRRLS-FY', 'FRRLS-GR', 'FRRLS-JA', 'FRRLS-PT', 'FRRLS-TY', 'FRRLS-ZE']);
    const all = rs.flatMap((r) => r.copies);
    const tally = (xs: (string | null)[]): Record<string, number> => Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length]));
    expect(tally(all.map((c) => c.fund))).toEqual({ TESTFUND1: 32, TESTFUND2: 16, TESTFUND3: 13, TESTFUND4: 24, TESTFUND6: 3 });
    expect(tally(all.map((c) => c.collectionCode))).toEqual({ AF: 32, ANF: 3, AREF: 13, JE: 16, JF: 24 });
    // the 970 $p price is the one in 020 $c
    for (const r of rs) {
      const f020 = r.record!.fields.find((f) => f.tag === '020')!;
      expect(r.copies.every((c) => c.price === normalizePrice(subfieldValues(f020, 'c')[0]!))).toBe(true);
    }
    expect(rs[0]!.order).toMatchObject({ price: '25.00', fund: 'TESTFUND1' });
  });

  it('escape.mrc (III 949): call number, barcode, type, location, library', () => {
    const [r] = mapped('escape.mrc', 'innovative-949');
    expect(r!.copies).toEqual([expect.objectContaining({
      callNumber: 'ML 270.2 A6 1997', barcode: '30007006841505', itemType: 'BOOKS', location: 'HUNT-CIRC', homeBranch: 'HUNTINGTON', price: null,
    })]);
    expect(matchKeys(r!.record!, ['system-control-number', 'control-number'])).toEqual([
      { type: 'system-control-number', value: '(Sirsi)a351664' },
      { type: 'system-control-number', value: '(Sirsi) a351664' },
      { type: 'control-number', value: ':03-0016458' },
    ]);
  });

  it('alphatag.dat (949 beside CAT tags): call number and location, OCLC number with trailing junk', () => {
    const [r] = mapped('alphatag.dat', 'innovative-949');
    expect(r!.copies.map((c) => [c.callNumber, c.location, c.barcode])).toEqual([['542', 'juv', null]]);
    expect(matchKeys(r!.record!, ['system-control-number']).map((k) => k.value)).toEqual(['26923', '(OCoLC)697', '(OCoLC)00000697^']);
  });

  it('incomplete_esc_seq.mrc (III 949, "$25.99" prices): rejected as read, two copies when bad MARC-8 is replaced', () => {
    const strict = mapped('incomplete_esc_seq.mrc', 'innovative-949');
    expect(strict.map((r) => [r.position, r.ok, r.copies.length])).toEqual([[1, false, 0]]);
    expect(strict[0]!.problems[0]!.message).toMatch(/^record 1 at byte 0: field 880/);
    const lenient = [...mapVendorRecords(readIso2709(readFileSync(fixturePath('marc', 'incomplete_esc_seq.mrc')), { invalidMarc8: 'replace' }), vendorMarcPreset('innovative-949'))];
    expect(lenient[0]!.ok).toBe(true);
    expect(lenient[0]!.order.price).toBe('25.99');
    expect(lenient[0]!.copies.map((c) => [c.barcode, c.location, c.price, c.callNumber])).toEqual([
      ['0000100209953', 'ARZ_DVD', '25.99', 'CHI DVD FEATURE QIE'],
      ['0000100209962', 'AYB_DVD', '25.99', 'CHI DVD FEATURE QIE'],
    ]);
    expect(lenient[0]!.problems.filter((p) => p.severity === 'warning').length).toBeGreaterThan(0);
  });

  it('bib.mrc and bib.xml (Koha UNIMARC 995): the same copies from ISO 2709 and MARCXML', () => {
    const iso = mapped('bib.mrc', 'koha-unimarc-995');
    const xml = mapped('bib.xml', 'koha-unimarc-995');
    expect(iso).toHaveLength(6);
    expect(errors(iso)).toEqual([]);
    const calls = (rs: VendorMarcRecord[]): (string | null)[][] => rs.map((r) => r.copies.map((c) => c.callNumber));
    expect(calls(iso)).toEqual([['0 A 3'], ['0 A 4'], [null], ['0 A 8 ter'], ['0 A 10 (1)', '0 A 10 (2)'], ['0 A 12']]);
    expect(calls(xml)).toEqual(calls(iso));
    // record 3 has no 995: one copy from the order quantity, with no item field behind it
    expect(iso[2]!.copies[0]!.fieldIndex).toBeNull();
  });

  it('damaged and mislabelled files never stop a load: each bad record is rejected with its position, the rest mapped', () => {
    for (const name of ['bad_records.mrc', 'badldr.usmarc', 'utf8_invalid.mrc', '1251.dat', 'testunimarc.dat', 'bad_marc8_escape.dat', 'nepali.marc']) {
      const rs = mapped(name, 'koha-975');
      expect(rs.length).toBeGreaterThan(0);
      expect(rs.map((r) => r.position)).toEqual(rs.map((_, i) => i + 1));
      for (const r of rs.filter((x) => !x.ok)) expect(r.problems[0]!.message).toMatch(new RegExp(`^record ${r.position}\\b`));
      // a record that loads gets its copy from the (absent) order quantity
      for (const r of rs.filter((x) => x.ok)) expect(r.copies).toHaveLength(1);
    }
    const bad = mapped('bad_records.mrc', 'koha-975');
    expect(bad.filter((r) => r.ok).length).toBeGreaterThan(0);
    expect(bad.filter((r) => !r.ok).length).toBeGreaterThan(0);
    expect(mapped('nepali.marc', 'koha-975')).toHaveLength(96);
  });
});
