/**
 * ISO 2709 parsing throughput of @carrel/marc: 10,000 generated UTF-8 records, plus the shared
 * nepali.marc sample (96 UTF-8 records in Devanagari) when present, each read several times.
 *
 *   npm run bench:marc-parse
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readIso2709, writeIso2709, type MarcRecord } from '@carrel/marc';

function makeFile(n: number): Buffer {
  const sf = (pairs: [string, string][]) => pairs.map(([code, value]) => ({ code, value }));
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const rec: MarcRecord = {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `p${i}` },
        { tag: '008', value: '240101s2024    xxu           000 0 eng d' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: sf([['a', '9780306406157']]) },
        { tag: '100', ind1: '1', ind2: ' ', subfields: sf([['a', 'García Márquez, Gabriel,'], ['d', '1927-2014.']]) },
        { tag: '245', ind1: '1', ind2: '0', subfields: sf([['a', `Cien años de soledad ${i} /`], ['c', 'Gabriel García Márquez.']]) },
        { tag: '264', ind1: ' ', ind2: '1', subfields: sf([['a', 'Buenos Aires :'], ['b', 'Sudamericana,'], ['c', '1967.']]) },
        { tag: '300', ind1: ' ', ind2: ' ', subfields: sf([['a', '351 p. ;'], ['c', '20 cm.']]) },
        { tag: '650', ind1: ' ', ind2: '0', subfields: sf([['a', 'Families'], ['z', 'Colombia'], ['v', 'Fiction.']]) },
        { tag: '952', ind1: ' ', ind2: ' ', subfields: sf([['a', 'MAIN'], ['b', 'MAIN'], ['o', '863.64 GAR'], ['p', `3900${i}`], ['y', 'BOOK']]) },
      ],
    };
    parts.push(writeIso2709(rec));
  }
  return Buffer.concat(parts);
}

function measure(label: string, data: Buffer, rounds: number): void {
  let records = 0;
  for (const r of readIso2709(data)) if (r.ok) records++; // warm-up
  const t = process.hrtime.bigint();
  let n = 0;
  for (let i = 0; i < rounds; i++) for (const r of readIso2709(data)) if (r.ok) n++;
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(`${label}: ${records} records x ${rounds} rounds: ${Math.round(n / s)} records/s (${((data.length * rounds) / s / 1e6).toFixed(1)} MB/s)`);
}

measure('generated UTF-8', makeFile(10_000), 5);
const nepali = path.resolve(process.env.CARREL_FIXTURES ?? path.join(process.cwd(), '..', 'shared', 'fixtures'), 'marc', 'nepali.marc');
if (existsSync(nepali)) measure('nepali.marc', readFileSync(nepali), 200);
else console.log(`nepali.marc: not measured (${nepali} absent)`);
