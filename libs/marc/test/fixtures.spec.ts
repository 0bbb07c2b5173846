// The shared real-world files (see /work/shared/fixtures/SOURCES.md, section marc/). Expected values
// were read off the files themselves (xxd/strings), not copied from this reader's output.
import { readFileSync } from 'node:fs';
import { describeWithFixtures, fixturePath } from '../../../test/support/fixtures.js';
import {
  detectMarcFormat, extractItems, fieldsOf, readIso2709, readMarc, readMarcXml, subfieldValues, summarizeBib, writeIso2709, writeMarcXml,
  type MarcDataField, type MarcReadOk, type MarcReadResult, type MarcRecord, type ReadIso2709Options,
} from '../src/index.js';
import { errorsOnly, expectError, expectOk, okOnly } from './helpers.js';

const file = (name: string): Buffer => readFileSync(fixturePath('marc', name));
const readAll = (name: string, opts?: ReadIso2709Options): MarcReadResult[] => [...(opts ? readIso2709(file(name), opts) : readMarc(file(name)))];
const records = (name: string): MarcReadOk[] => okOnly(readAll(name));
const sub = (r: MarcRecord, tag: string, code: string, nth = 0): string | undefined => subfieldValues(fieldsOf(r, tag)[nth]!, code)[0];
const nfc = (r: MarcRecord): MarcRecord => JSON.parse(JSON.stringify(r).normalize('NFC')) as MarcRecord;

describeWithFixtures('marc', 'MARC shared fixtures', () => {
  describe('clean ISO 2709', () => {
    it('camel.usmarc: 10 records that round-trip through the writer', () => {
      const rs = records('camel.usmarc');
      expect(rs).toHaveLength(10);
      expect(rs.every((r) => r.warnings.length === 0 && r.sourceEncoding === 'marc-8')).toBe(true);
      expect(sub(rs[0]!.record, '245', 'a')).toBe('ActivePerl with ASP and ADO /');
      expect(summarizeBib(rs[0]!.record)).toMatchObject({ title: 'ActivePerl with ASP and ADO', author: 'Martinsson, Tobias, 1976-', isbns: ['0471383147'] });
      for (const r of rs) {
        const again = expectOk([...readIso2709(writeIso2709(r.record))][0]);
        expect(again.record.fields).toEqual(r.record.fields);
        // ASCII-only MARC-8 records: rewriting changes nothing but leader/09.
        const rewritten = writeIso2709(r.record);
        expect(rewritten.toString('latin1', 24)).toBe(r.raw.toString('latin1', 24));
      }
    });

    it('batch-ns.xml holds the same 10 records as camel.usmarc', () => {
      const xml = records('batch-ns.xml');
      expect(xml).toHaveLength(10);
      expect(xml.map((r) => r.record)).toEqual(records('camel.usmarc').map((r) => r.record));
    });

    it('bib.mrc and bib.xml (UNIMARC, UTF-8 under a blank leader/09) agree record for record', () => {
      const iso = records('bib.mrc');
      expect(iso).toHaveLength(6);
      expect(iso.every((r) => r.sourceEncoding === 'utf-8' && r.warnings[0]?.startsWith('leader/09 says MARC-8 but the record is valid UTF-8'))).toBe(true);
      expect(records('bib.xml').map((r) => r.record)).toEqual(iso.map((r) => r.record));
    });

    it('nepali.marc: 96 UTF-8 records in Devanagari', () => {
      const rs = readAll('nepali.marc');
      expect(rs).toHaveLength(96);
      expect(errorsOnly(rs)).toEqual([]);
      const first = rs[0] as MarcReadOk;
      expect(first.sourceEncoding).toBe('utf-8');
      expect(sub(first.record, '245', 'a')).toBe('बिहानी टुसा /');
      // Stored as found: decomposed (a + U+0304).
      expect(sub(first.record, '245', 'a', 1)).toBe('Biha\u0304ni\u0304 T\u0323usa\u0304 /');
      expect(summarizeBib(first.record).title).toBe('बिहानी टुसा');
    });

    it('brodart on-order file: 11 records, eight 970 fields each', () => {
      const rs = records('brodart_bibzII_MARC_on-order_records_w_funds.001');
      expect(rs).toHaveLength(11);
      expect(rs.map((r) => fieldsOf(r.record, '970').length)).toEqual(Array(11).fill(8));
      const first = rs[0]!.record;
      expect(subfieldValues(fieldsOf(first, '020')[0]!, 'c')).toEqual(['25.00']);
      const orders = extractItems(first, { tag: '970', barcode: 'z', branch: 'a', collectionCode: 'c', price: 'p' });
      expect(orders.map((o) => o.branch)).toEqual(['FRRLS-BA', 'FRRLS-FA', 'FRRLS-FY', 'FRRLS-GR', 'FRRLS-JA', 'FRRLS-PT', 'FRRLS-TY', 'FRRLS-ZE']);
      expect(orders[0]).toMatchObject({ collectionCode: 'AF', price: '25.00', barcode: null });
    });

    it('alphatag.dat: four CAT fields and a 949', () => {
      const [r] = records('alphatag.dat');
      const cats = fieldsOf(r!.record, 'CAT') as MarcDataField[];
      expect(cats).toHaveLength(4);
      expect(cats[0]!.subfields).toEqual([{ code: 'a', value: 'CONV' }, { code: 'b', value: '00' }, { code: 'c', value: '20051122' }, { code: 'l', value: 'WN801' }, { code: 'h', value: '2158' }]);
      expect((fieldsOf(r!.record, '949')[0] as MarcDataField).subfields).toEqual([{ code: 'a', value: '542' }, { code: 'b', value: 'M917' }, { code: 'l', value: 'juv' }]);
      expect(extractItems(r!.record, { tag: '949', barcode: 'i', callNumber: 'ab', location: 'l' })[0]).toMatchObject({ callNumber: '542 M917', location: 'juv', barcode: null });
    });

    it('testunimarc.dat loads as a record (the flavour is the caller’s concern)', () => {
      const [r] = records('testunimarc.dat');
      expect(r!.record.fields).toHaveLength(58);
      expect(fieldsOf(r!.record, '001')[0]).toEqual({ tag: '001', value: 'IT\\ICCU\\ANA\\0019370' });
      // UNIMARC non-sort markers NSB/NSE (U+0088/U+0089) are kept.
      expect(sub(r!.record, '200', 'a')).toBe("\u0088L'\u0089altra faccia della spirale");
      expect(summarizeBib(r!.record).title).toBeNull();
    });

    it('diacritic.dat: decomposed UTF-8 stays decomposed; LC 9xx fields are read', () => {
      const [r] = records('diacritic.dat');
      expect(JSON.stringify(r!.record)).toContain('Wirte\u0301n');
      expect(['906', '925', '955'].map((t) => fieldsOf(r!.record, t).length)).toEqual([1, 1, 1]);
      expect(summarizeBib(r!.record).title).toBe('Amateur media : social, cultural and legal perspectives');
    });

    it('escape.mrc: a subfield code "<" survives MARCXML, and its 949 gives an item', () => {
      const [r] = records('escape.mrc');
      expect((fieldsOf(r!.record, '650')[0] as MarcDataField).subfields[1]).toEqual({ code: '<', value: 'France' });
      const xml = writeMarcXml(r!.record);
      expect(xml).toContain('<subfield code="&lt;">France</subfield>');
      expect(expectOk([...readMarcXml(xml)][0]).record).toEqual(r!.record);
      const item = extractItems(r!.record, { tag: '949', barcode: 'i', callNumber: 'a', itemType: 't', location: 'l', branch: 'm' })[0];
      expect(item).toMatchObject({ barcode: '30007006841505', callNumber: 'ML 270.2 A6 1997', itemType: 'BOOKS', location: 'HUNT-CIRC', branch: 'HUNTINGTON' });
    });
  });

  describe('character sets', () => {
    it('marc8.dat decodes to the same text as utf8_with_leader_flag.dat', () => {
      const [m8] = records('marc8.dat');
      const [u8] = records('utf8_with_leader_flag.dat');
      expect(m8!.sourceEncoding).toBe('marc-8');
      expect(u8!.sourceEncoding).toBe('utf-8');
      expect(nfc(m8!.record).fields).toEqual(nfc(u8!.record).fields);
      expect(sub(m8!.record, '240', 'a')!.normalize('NFC')).toBe('De la solitude à la communauté.');
    });

    it('utf8_without_leader_flag.dat: mislabelled UTF-8 is read as UTF-8, with a warning', () => {
      const [r] = records('utf8_without_leader_flag.dat');
      expect(r!.sourceEncoding).toBe('utf-8');
      expect(r!.warnings).toEqual(['leader/09 says MARC-8 but the record is valid UTF-8 with multibyte characters and no MARC-8 escapes; decoded as UTF-8']);
      expect(r!.record.fields).toEqual(records('utf8_with_leader_flag.dat')[0]!.record.fields);
    });

    it('cjk1.marc, hebrew1.marc, cyrillic.marc decode to their scripts', () => {
      const [cjk] = records('cjk1.marc');
      expect(fieldsOf(cjk!.record, '880').map((f) => sub({ leader: '', fields: [f] }, '880', 'a'))).toEqual(['大正 十三造,', '金田一 京助 と アイヌ語 /', '第 1版.', '東京 :', '金田一 京助.']);
      const [heb] = records('hebrew1.marc');
      expect(sub(heb!.record, '880', 'b')).toBe('בטאון איגוד כללי סופרים.');
      expect(sub(heb!.record, '880', 'a', 1)).toBe('תל־אביב :');
      const [cyr] = records('cyrillic.marc');
      expect(sub(cyr!.record, '880', 'a', 1)).toBe('Одлуке и решења Савезног уставног суда.');
      expect(sub(cyr!.record, '880', 't', 3)).toBe('Одлуке и мишљења Уставног суда Југославије');
      expect([cjk, heb, cyr].every((r) => r!.warnings.length === 0)).toBe(true);
    });

    it('bad_marc8_escape.dat loads; each broken escape becomes U+FFFD with a warning', () => {
      const [r] = records('bad_marc8_escape.dat');
      expect(sub(r!.record, '245', 'a')).toBe('Bulletin de la Société linn\ufffdenne de Bordeaux.'.normalize('NFD'));
      expect(r!.warnings).toContain("field 245 (entry 14) $a: invalid MARC-8 escape sequence ESC 'e' at offset 29; replaced by U+FFFD");
      expect(r!.warnings.filter((w) => w.includes('replaced by U+FFFD'))).toHaveLength(16);
      expect(r!.warnings.filter((w) => w.includes('ESC s'))).toEqual(['field 580 (entry 22) $a: ESC s at offset 177 while G0 is already ASCII (a character may be missing here)']);
      expect(['907', '945', '998'].map((t) => fieldsOf(r!.record, t).length)).toEqual([1, 1, 1]);
    });

    it('incomplete_esc_seq.mrc: a damaged CJK run is rejected, or loaded with U+FFFD when asked', () => {
      const [strict] = readAll('incomplete_esc_seq.mrc');
      expect(expectError(strict).error).toBe('record 1 at byte 0: field 880 (entry 44) $c: code 623C21 is not defined in MARC-8 set EACC (CJK) (offset 32 of the value)');
      const lenient = expectOk(readAll('incomplete_esc_seq.mrc', { invalidMarc8: 'replace' })[0]);
      expect(sub(lenient.record, '880', 'a')).toBe('窃听风云');
      expect(lenient.warnings.some((w) => w.startsWith('field 880 (entry 49) $a: incomplete MARC-8 escape sequence'))).toBe(false);
      expect(lenient.warnings).toContain('field 880 (entry 48) $a: incomplete EACC (CJK) multibyte character at offset 127; replaced by U+FFFD');
      const items = extractItems(lenient.record, { tag: '949', barcode: 'i', callNumber: 'a', location: 'h', price: 'p' });
      expect(items.map((i) => [i.barcode, i.location, i.price])).toEqual([['0000100209953', 'ARZ_DVD', '25.99'], ['0000100209962', 'AYB_DVD', '25.99']]);
    });

    it('utf8_invalid.mrc is rejected: U+FFFD where a subfield code belongs', () => {
      const [r] = readAll('utf8_invalid.mrc');
      expect(expectError(r).error).toBe('record 1 at byte 0: field 260 (entry 7): subfield code is byte 0xEF, not an ASCII character');
    });

    it('1251.dat (unlabelled cp1251) is rejected record by record as not MARC-8, without crashing', () => {
      const rs = readAll('1251.dat');
      expect(rs).toHaveLength(6);
      expect(rs.map((r) => expectError(r).offset)).toEqual([0, 875, 1697, 2685, 3488, 4366]);
      expect(rs.every((r) => !r.ok && /: byte 0x[C-F][0-9A-F] is not defined in MARC-8 set ANSEL \(G1\)/.test(r.error))).toBe(true);
      expect(expectError(rs[1]).error).toBe('record 2 at byte 875: field 100 (entry 12) $a: byte 0xCB is not defined in MARC-8 set ANSEL (G1) (offset 5 of the value)');
    });
  });

  describe('damaged files', () => {
    it('bad_records.mrc: records 1 and 8 load, 2-7 are rejected with their reasons', () => {
      const rs = readAll('bad_records.mrc');
      expect(rs.map((r) => r.offset)).toEqual([0, 127, 254, 381, 509, 637, 764, 790]);
      expect(rs.map((r) => (r.ok ? 'ok' : r.error))).toEqual([
        'ok',
        'record 2 at byte 127: base address of data 99937 (leader/12-16) lies outside the record (127 bytes)',
        'record 3 at byte 254: base address of data 0 (leader/12-16) lies outside the record (127 bytes)',
        'record 4 at byte 381: directory is 13 bytes long, not a multiple of 12',
        'record 5 at byte 509: directory is 13 bytes long, not a multiple of 12',
        "record 6 at byte 637: base address of data 'f0037' (leader/12-16) is not numeric",
        'record 7 at byte 764: record has no fields',
        'ok',
      ]);
      expect(sub((rs[7] as MarcReadOk).record, '245', 'c')).toBe('Andrew Hunt, David Thomas.');
    });

    it('badldr.usmarc: six records load past a stray terminator; the trailing byte is rejected', () => {
      const rs = readAll('badldr.usmarc');
      expect(rs.map((r) => r.ok)).toEqual([true, true, true, true, true, true, false]);
      expect((rs[2] as MarcReadOk).warnings).toEqual(['skipped 1 stray terminator byte(s) before this record (bytes 472-472)']);
      expect(expectError(rs[6]).error).toBe('record 7 at byte 1717: no record leader here (the data does not start with a 5-digit record length); 1 byte(s) of trailing data rejected');
      expect(extractItems((rs[0] as MarcReadOk).record, { tag: '852', barcode: 'p', location: 'a', callNumber: 'hi' })[0]).toMatchObject({ barcode: '13397000015', location: 'Paperbacks', callNumber: 'A AND' });
    });

    it('sample_acq_order.mrc: 10 records; the stray "\\" before the first 970 subfield is reported, not kept', () => {
      const rs = records('sample_acq_order.mrc');
      expect(rs).toHaveLength(10);
      const stray = rs.map((r) => r.warnings.filter((w) => /^field 970 \(entry \d+\): data before the first subfield delimiter ignored: "\\"$/.test(w)).length);
      expect(stray).toEqual([0, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
      expect((fieldsOf(rs[1]!.record, '970')[0] as MarcDataField).subfields).toEqual([
        { code: 'p', value: '5.99' }, { code: 'f', value: 'JUV' }, { code: 'o', value: 'BR1' }, { code: 'q', value: '1' },
      ]);
      expect(summarizeBib(rs[1]!.record).isbns).toEqual(['051622865X']);
    });
  });

  describe('MARCXML', () => {
    it('batch.xml: 2 records with the marc: prefix', () => {
      const rs = readAll('batch.xml');
      expect(rs.map((r) => expectOk(r).format)).toEqual(['marcxml', 'marcxml']);
      expect(rs.map((r) => summarizeBib(expectOk(r).record).title)).toEqual(['The Great Ray Charles', 'The White House']);
      expect(sub((rs[0] as MarcReadOk).record, '010', 'a')).toBe('   91758335 ');
    });

    it('summerland-record.xml: a lone <record>', () => {
      const rs = readAll('summerland-record.xml');
      expect(rs).toHaveLength(1);
      const s = summarizeBib(expectOk(rs[0]).record);
      expect(s).toMatchObject({ title: 'Summerland', author: 'Chabon, Michael', isbns: ['0786808772', '0786816155'], controlNumber: '12883376' });
      expect(expectOk(rs[0]).raw.toString('utf8')).toMatch(/^<record xmlns="http:\/\/www\.loc\.gov\/MARC21\/slim">[\s\S]*<\/record>$/);
    });

    it('chabon.xml: 2 records; utf8.xml keeps its non-ASCII text', () => {
      expect(records('chabon.xml').map((r) => summarizeBib(r.record).title)).toEqual(['The amazing adventures of Kavalier and Clay : a novel', 'Summerland']);
      const [u] = records('utf8.xml');
      expect(sub(u!.record, '505', 't')).toBe('Préludes');
    });

    it('test.ndj is MARC-in-JSON, which readMarc reports instead of guessing', () => {
      expect(detectMarcFormat(file('test.ndj'))).toBe('marc-in-json');
      expect(readAll('test.ndj')).toEqual([{ ok: false, index: 0, offset: 0, format: 'unknown', error: 'record 1 at byte 0: the input looks like MARC-in-JSON, which is not supported' }]);
    });
  });
});
