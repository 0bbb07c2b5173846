/**
 * MARC reading throughput of @carrel/marc, each beside the rate of simply reading the same bytes.
 *
 *   npm run bench:marc-parse                  (= node scripts/build.js && node --expose-gc dist/bench/marc-parse.js)
 *   npm run bench:marc-parse -- --rounds 9    (median of 9 timed rounds instead of 5)
 *
 * Generated files of vendor-like records (020, 100, 245, 264, 300, 650, a 952 item and a 970 order
 * field): ISO 2709 in UTF-8, ISO 2709 in MARC-8 (ANSEL diacritics in the names and titles, so the
 * MARC-8 converter runs), and MARCXML (a <collection>, plain and with the `marc:` prefix). Plus the
 * shared nepali.marc sample (96 UTF-8 records in Devanagari) when the fixtures are present.
 *
 * "read" rows are the floor for each format: for ISO 2709 a pass over the Buffer finding every
 * record terminator (0x1D) with indexOf; for MARCXML decoding the bytes to text and finding every
 * </record> end tag. Every figure is the median of several timed rounds of at least 0.2 s, each
 * started from a collected heap (run with --expose-gc).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readIso2709, readMarcXml, writeIso2709, writeMarcXml, MARC21_SLIM_NS, type MarcRecord, type MarcReadResult } from '@carrel/marc';
import { medianSeconds, timingNote } from './median.js';

const sf = (pairs: [string, string][]) => pairs.map(([code, value]) => ({ code, value }));

/** One vendor record; `name` and `title` arrive already in the target character set's text. */
function vendorRecord(i: number, name: string, title: string): MarcRecord {
  return {
    leader: '00000nam a2200000 a 4500',
    fields: [
      { tag: '001', value: `p${i}` },
      { tag: '008', value: '240101s2024    xxu           000 0 eng d' },
      { tag: '020', ind1: ' ', ind2: ' ', subfields: sf([['a', '9780306406157'], ['c', '19.99']]) },
      { tag: '100', ind1: '1', ind2: ' ', subfields: sf([['a', name], ['d', '1927-2014.']]) },
      { tag: '245', ind1: '1', ind2: '0', subfields: sf([['a', `${title} ${i} /`], ['c', name]]) },
      { tag: '264', ind1: ' ', ind2: '1', subfields: sf([['a', 'Buenos Aires :'], ['b', 'Sudamericana,'], ['c', '1967.']]) },
      { tag: '300', ind1: ' ', ind2: ' ', subfields: sf([['a', '351 p. ;'], ['c', '20 cm.']]) },
      { tag: '650', ind1: ' ', ind2: '0', subfields: sf([['a', 'Families'], ['z', 'Colombia'], ['v', 'Fiction.']]) },
      { tag: '952', ind1: ' ', ind2: ' ', subfields: sf([['a', 'MAIN'], ['b', 'MAIN'], ['o', '863.64 GAR'], ['p', `3900${i}`], ['y', 'BOOK']]) },
      { tag: '970', ind1: ' ', ind2: ' ', subfields: sf([['a', `ORD-${i}`], ['b', '2'], ['c', '19.99'], ['f', 'ADULTFIC']]) },
    ],
  };
}

const utf8File = (n: number): Buffer =>
  Buffer.concat(Array.from({ length: n }, (_, i) => writeIso2709(vendorRecord(i, 'García Márquez, Gabriel,', 'Cien años de soledad'))));

/**
 * MARC-8: writeIso2709 only writes UTF-8, so the values are written with placeholders standing for
 * MARC-8 bytes (U+0100 + byte) and toMarc8 turns each into its one byte, with leader/09 blank.
 * ANSEL puts the combining acute (0xE2) and tilde (0xE4) before their base letter.
 */
function marc8File(n: number): Buffer {
  const ACUTE = '\u01e2', TILDE = '\u01e4';
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const record = vendorRecord(i, `Garc${ACUTE}ia M${ACUTE}arquez, Gabriel,`, `Cien a${TILDE}nos de soledad`);
    parts.push(toMarc8(record));
  }
  return Buffer.concat(parts);
}

/** ISO 2709 bytes for a record whose values hold U+0100+byte placeholders for MARC-8 bytes. */
function toMarc8(record: MarcRecord): Buffer {
  const bytesOf = (s: string): number[] => [...s].map((ch) => { const c = ch.charCodeAt(0); return c >= 0x100 ? c - 0x100 : c; });
  const bodies: number[][] = record.fields.map((f) =>
    'value' in f ? [...bytesOf(f.value), 0x1e] : [...bytesOf(f.ind1 + f.ind2), ...f.subfields.flatMap((s) => [0x1f, ...bytesOf(s.code + s.value)]), 0x1e]);
  let directory = '';
  let offset = 0;
  record.fields.forEach((f, k) => {
    directory += f.tag + String(bodies[k]!.length).padStart(4, '0') + String(offset).padStart(5, '0');
    offset += bodies[k]!.length;
  });
  const base = 24 + directory.length + 1;
  const total = base + offset + 1;
  const leader = `${String(total).padStart(5, '0')}nam  22${String(base).padStart(5, '0')} a 4500`;
  return Buffer.from([...Buffer.from(leader + directory + '\x1e', 'latin1'), ...bodies.flat(), 0x1d]);
}

function marcXmlFile(n: number, prefix: boolean): Buffer {
  const records = Array.from({ length: n }, (_, i) => writeMarcXml(vendorRecord(i, 'García Márquez, Gabriel,', 'Cien años de soledad')));
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="${MARC21_SLIM_NS}">\n${records.join('\n')}\n</collection>\n`;
  if (prefix) {
    xml = xml.replace(/<(\/?)(collection|record|leader|controlfield|datafield|subfield)\b/g, '<$1marc:$2')
      .replaceAll(`xmlns="${MARC21_SLIM_NS}"`, `xmlns:marc="${MARC21_SLIM_NS}"`);
  }
  return Buffer.from(xml);
}


/** Records a reader returns, throwing if any is rejected: a benchmark on failing input measures nothing. */
function countOk(results: Iterable<MarcReadResult>, label: string): number {
  let n = 0;
  for (const r of results) {
    if (!r.ok) throw new Error(`${label}: record ${r.index + 1} rejected: ${r.error}`);
    n++;
  }
  return n;
}

function terminators(data: Buffer, byte: number): number {
  let n = 0;
  for (let i = data.indexOf(byte); i >= 0; i = data.indexOf(byte, i + 1)) n++;
  return n;
}

function endTags(data: Buffer): number {
  const text = data.toString('utf8');
  let n = 0;
  for (let i = text.indexOf('record>'); i >= 0; i = text.indexOf('record>', i + 7)) if (text[i - 1] === '/' || text[i - 1] === ':') n++;
  return n;
}

function measure(label: string, data: Buffer, kind: 'iso2709' | 'marcxml'): void {
  const read = kind === 'iso2709' ? (): Iterable<MarcReadResult> => readIso2709(data) : (): Iterable<MarcReadResult> => readMarcXml(data);
  const records = countOk(read(), label);
  const floor = kind === 'iso2709' ? terminators(data, 0x1d) : endTags(data);
  if (floor !== records) throw new Error(`${label}: ${records} records read but ${floor} found by the plain pass`);
  const plain = medianSeconds(() => { if (kind === 'iso2709') terminators(data, 0x1d); else endTags(data); });
  const parse = medianSeconds(() => { countOk(read(), label); });
  const line = (what: string, s: number): string =>
    `  ${what.padEnd(44)} ${Math.round(records / s).toLocaleString('en-US').padStart(11)} records/s ${(data.length / s / 1e6).toFixed(1).padStart(8)} MB/s`;
  console.log(`\n${label}: ${records.toLocaleString('en-US')} records, ${(data.length / 1e6).toFixed(1)} MB`);
  console.log(line(kind === 'iso2709' ? 'read: find every record terminator' : 'read: decode + find every </record>', plain));
  console.log(line(kind === 'iso2709' ? 'readIso2709' : 'readMarcXml', parse));
}

console.log(`MARC reading throughput, ${timingNote()}`);
measure('generated UTF-8 ISO 2709', utf8File(10_000), 'iso2709');
measure('generated MARC-8 ISO 2709', marc8File(10_000), 'iso2709');
measure('generated MARCXML', marcXmlFile(5_000, false), 'marcxml');
measure('generated MARCXML with the marc: prefix', marcXmlFile(5_000, true), 'marcxml');
const nepali = path.resolve(process.env.CARREL_FIXTURES ?? path.join(process.cwd(), '..', 'shared', 'fixtures'), 'marc', 'nepali.marc');
if (existsSync(nepali)) measure('nepali.marc (shared sample, Devanagari)', readFileSync(nepali), 'iso2709');
else console.log(`\nnepali.marc: NOT MEASURED (${nepali} absent; set CARREL_FIXTURES to the fixtures folder)`);
