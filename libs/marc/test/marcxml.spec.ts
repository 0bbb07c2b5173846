import { Buffer } from 'node:buffer';
import { MarcWriteError, readIso2709, readMarcXml, writeIso2709, writeMarcXml, type MarcReadResult, type MarcRecord } from '../src/index.js';
import { expectError, expectOk, latin1, prng, sample } from './helpers.js';

const read = (x: string | Buffer): MarcReadResult[] => [...readMarcXml(x)];

const RECORD = (p: string, body = '') => `<${p}record>
    <${p}leader>00925njm  22002777a 4500</${p}leader>
    <${p}controlfield tag="001">5637241</${p}controlfield>
    <${p}datafield tag="010" ind1=" " ind2=" "><${p}subfield code="a">   91758335 </${p}subfield></${p}datafield>
    <${p}datafield tag="245" ind1="0" ind2="4">
      <${p}subfield code="a">The Great Ray Charles</${p}subfield>
      <${p}subfield code="h">[sound recording].</${p}subfield>
    </${p}datafield>${body}
  </${p}record>`;

const EXPECTED_FIELDS = [
  { tag: '001', value: '5637241' },
  { tag: '010', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '   91758335 ' }] },
  { tag: '245', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: 'The Great Ray Charles' }, { code: 'h', value: '[sound recording].' }] },
];

describe('readMarcXml', () => {
  it('reads a prefixed collection, keeping order and blanks', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<marc:collection xmlns:marc="http://www.loc.gov/MARC21/slim">
  ${RECORD('marc:')}
  ${RECORD('marc:')}
</marc:collection>`;
    const results = read(xml);
    expect(results).toHaveLength(2);
    const [a, b] = results.map(expectOk);
    expect(a!.record).toEqual({ leader: '00925njm a22002777a 4500', fields: EXPECTED_FIELDS });
    expect(a).toMatchObject({ index: 0, offset: -1, format: 'marcxml', sourceEncoding: 'xml', warnings: [] });
    expect(b!.index).toBe(1);
    expect(a!.raw.toString('utf8')).toBe(RECORD('marc:'));
  });

  it('reads an unprefixed default-namespace collection and a lone record', () => {
    const coll = read(`<collection xmlns="http://www.loc.gov/MARC21/slim">${RECORD('')}</collection>`);
    expect(expectOk(coll[0]).record.fields).toEqual(EXPECTED_FIELDS);
    const lone = read(`<?xml version="1.0"?>\n${RECORD('')}`);
    expect(lone).toHaveLength(1);
    expect(expectOk(lone[0]).record.fields).toEqual(EXPECTED_FIELDS);
  });

  it('finds MARC records inside a wrapper that has its own <record> (OAI-PMH)', () => {
    const oai = `<OAI-PMH><ListRecords><record><header><identifier>oai:x:1</identifier></header>
      <metadata>${RECORD('marc:').replace('<marc:record>', '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">')}</metadata></record></ListRecords></OAI-PMH>`;
    const results = read(oai);
    expect(results).toHaveLength(1);
    expect(expectOk(results[0]).record.fields).toEqual(EXPECTED_FIELDS);
  });

  it('decodes entities, character references and CDATA', () => {
    const xml = RECORD('', `<datafield tag="500" ind1=" " ind2=" "><subfield code="a">Tom &amp; Jerry &lt;3 &#233;t&#xE9; &#x1F409; <![CDATA[a&amp;b <i>]]></subfield><subfield code="&amp;">x</subfield></datafield>`);
    const f = expectOk(read(xml)[0]).record.fields[3];
    expect(f).toEqual({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Tom & Jerry <3 été 🐉 a&amp;b <i>' }, { code: '&', value: 'x' }] });
  });

  it('rejects a malformed record and reads the others', () => {
    const broken = RECORD('').replace('</datafield>', '</datafeld>');
    const results = read(`<collection>${RECORD('')}${broken}${RECORD('')}</collection>`);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(expectError(results[1]).error).toMatch(/^record 2: not well-formed XML: .*\(line 4, column \d+ of the record element\)$/);
    expect(expectError(results[1]).raw!.toString('utf8')).toBe(broken);
  });

  it('rejects records it cannot represent faithfully, with the reason', () => {
    const cases: [string, string][] = [
      [RECORD('').replace(/<leader>.*<\/leader>/, ''), 'record 1: no <leader>'],
      [RECORD('').replace('00925njm  22002777a 4500', '00925njm  22002777a 4500X'), 'record 1: leader is 25 characters, expected 24'],
      [RECORD('').replace('ind1="0"', 'ind1="01"'), 'record 1: datafield 245 (#3): ind1 "01" is not a single character'],
      [RECORD('').replace('code="h"', 'code="hh"'), 'record 1: datafield 245 (#3): subfield code "hh" is not a single character'],
      [RECORD('').replace('code="h"', ''), 'record 1: datafield 245 (#3): subfield #2: no code attribute'],
      [RECORD('').replace('tag="245"', ''), 'record 1: datafield #3: no tag attribute'],
      [RECORD('').replace('Ray Charles', 'Ray&nbsp;Charles'), 'record 1: datafield 245 (#3) $a: undefined entity &nbsp;'],
      [RECORD('').replace('Ray Charles', 'Ray & Charles'), "record 1: not well-formed XML: char '&' is not expected. (line 6, column 40 of the record element)"],
      ['<record><leader>00925njm  22002777a 4500</leader></record>', 'record 1: record has no fields'],
    ];
    for (const [xml, error] of cases) expect(expectError(read(xml)[0]).error).toBe(error);
  });

  it('repairs small things with a warning', () => {
    const xml = RECORD('', '<datafield tag="500"><subfield code="a">No indicators</subfield></datafield><note>x</note>').replace('00925njm  22002777a 4500', '00925njm  22002777a 45');
    const ok = expectOk(read(xml)[0]);
    expect(ok.record.leader).toBe('00925njm a22002777a 45  ');
    expect(ok.record.fields[3]).toEqual({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'No indicators' }] });
    expect(ok.warnings).toEqual([
      'datafield 500 (#4): no ind1 attribute; blank assumed',
      'datafield 500 (#4): no ind2 attribute; blank assumed',
      'element <note> inside <record> ignored',
      'leader is 22 characters; padded with blanks to 24',
    ]);
  });

  it('reports a record cut off by the end of the file', () => {
    const results = read(`<collection>${RECORD('')}${RECORD('').slice(0, 120)}`);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(expectError(results[1]).error).toBe('record 2: <record> is never closed (truncated file?)');
  });

  it('reports a record that lost its end tag and reads the next one', () => {
    const unclosed = RECORD('').replace('</record>', '');
    const results = read(`<collection>${unclosed}${RECORD('')}</collection>`);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(expectError(results[0]).error).toBe('record 1: <record> is not closed before the next record starts');
  });

  it('can read two documents interleaved', () => {
    const a = readMarcXml(`<collection>${RECORD('')}${RECORD('')}</collection>`);
    const b = readMarcXml(`<collection>${RECORD('marc:')}${RECORD('marc:')}</collection>`);
    const seen: string[] = [];
    for (let k = 0; k < 3; k++) {
      for (const [name, g] of [['a', a], ['b', b]] as const) {
        const r = g.next();
        if (!r.done) seen.push(`${name}${r.value.index}:${r.value.ok}`);
      }
    }
    expect(seen).toEqual(['a0:true', 'b0:true', 'a1:true', 'b1:true']);
  });

  it('ignores <record> inside comments and CDATA, and reports empty <record/>', () => {
    const results = read(`<collection><!-- <record> --><record/>${RECORD('')}</collection>`);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(expectError(results[0]).error).toBe('record 1: empty <record/> element');
  });

  it('rejects a record with invalid UTF-8 and keeps the others', () => {
    const bad = Buffer.concat([latin1('<collection>'), Buffer.from(RECORD('')), latin1(RECORD('').replace('Great', 'Gr\xe9at')), latin1('</collection>')]);
    const results = read(bad);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(expectError(results[1]).error).toBe('record 2: not valid UTF-8');
  });

  it('honours a declared legacy encoding and a BOM', () => {
    const iso = latin1(`<?xml version="1.0" encoding="ISO-8859-1"?><collection>${RECORD('').replace('Great', 'Gr\xe9at')}</collection>`);
    const title = (r: MarcReadResult) => JSON.stringify(expectOk(r).record.fields[2]);
    expect(title(read(iso)[0]!)).toContain('Gréat');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(RECORD(''))]);
    expect(expectOk(read(bom)[0]).record.fields).toEqual(EXPECTED_FIELDS);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RECORD(''), 'utf16le')]);
    expect(expectOk(read(utf16)[0]).record.fields).toEqual(EXPECTED_FIELDS);
  });

  it('never throws on mutated documents', () => {
    const doc = `<collection>${RECORD('marc:')}${RECORD('')}<record><leader>x</leader></record></collection>`;
    const rand = prng(3);
    const chars = '<>/&;"= :abcdfilnorstx\u00e9\u0000';
    for (let n = 0; n < 500; n++) {
      const a = [...doc];
      for (let k = 0; k < 1 + Math.floor(rand() * 5); k++) a[Math.floor(rand() * a.length)] = chars[Math.floor(rand() * chars.length)]!;
      const results = read(a.join('').slice(0, rand() < 0.2 ? Math.floor(rand() * a.length) : undefined));
      expect(results.every((r, i) => r.index === i && (r.ok || r.error.startsWith(`record ${i + 1}: `)))).toBe(true);
    }
  });

  it('never throws on garbage', () => {
    for (const junk of ['', 'not xml at all', '<record', '<record><leader>', '<<<>>>', '<record><leader>x</leader><datafield tag="245"><subfield code="a"><b>x</b></subfield></datafield></record>', '\u0000\u0001<record/>']) {
      const results = read(junk);
      expect(results.every((r) => !r.ok)).toBe(true);
    }
  });
});

describe('writeMarcXml', () => {
  it('writes one escaped record in the slim namespace that reads back equal', () => {
    const record: MarcRecord = {
      ...sample(),
      fields: [...sample().fields, { tag: '650', ind1: ' ', ind2: '0', subfields: [{ code: '<', value: 'Music & "France" <16th c.>\r' }, { code: '"', value: "it's" }] }],
    };
    const xml = writeMarcXml(record);
    expect(xml.startsWith('<record xmlns="http://www.loc.gov/MARC21/slim">\n  <leader>00000cam a2200000 a 4500</leader>')).toBe(true);
    expect(xml).toContain('<subfield code="&lt;">Music &amp; &quot;France&quot; &lt;16th c.&gt;&#13;</subfield>');
    expect(expectOk(read(xml)[0]).record).toEqual(record);
  });

  it('agrees with the ISO 2709 writer: both read back to the same record', () => {
    const fromIso = expectOk([...readIso2709(writeIso2709(sample()))][0]).record;
    const fromXml = expectOk(read(writeMarcXml(fromIso))[0]).record;
    expect(fromXml).toEqual(fromIso);
  });

  it('refuses characters XML 1.0 cannot carry', () => {
    const r = sample();
    r.fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'bell\u0007' }] });
    expect(() => writeMarcXml(r)).toThrow(new MarcWriteError('field 500 (#10) $a: U+0007 cannot be written in XML 1.0'));
  });
});
