// Shared by the specs: hand-built ISO 2709 bytes, including broken ones.
import { Buffer } from 'node:buffer';
import type { MarcReadError, MarcReadOk, MarcReadResult, MarcRecord } from '../src/types.js';

export const LEADER = '00000nam a2200000 a 4500';

export const sample = (): MarcRecord => ({
  leader: '00000cam a2200000 a 4500',
  fields: [
    { tag: '001', value: 'ocm12345678' },
    { tag: '003', value: 'OCoLC' },
    { tag: '008', value: '840112s1962    pau      b    00010 eng  ' },
    { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '0-06-017000-6 (pbk.)' }, { code: 'c', value: '$12.95' }] },
    { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Tournier, Paul.' }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'De la solitude a\u0300 la communaute\u0301 /' }, { code: 'c', value: 'Paul Tournier.' }] },
    { tag: '880', ind1: '1', ind2: '0', subfields: [{ code: '6', value: '245-01/$1' }, { code: 'a', value: '金田一 京助 🐉' }] },
    { tag: 'CAT', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'CONV' }, { code: 'b', value: '00' }] },
    { tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'p', value: '31234000123456' }, { code: 'a', value: 'MAIN' }] },
  ],
});

/** A record from raw field bodies (without terminators); directory computed from byte lengths unless told otherwise. */
export function rawRecord(fields: [string, string | Buffer][], opts: { leader09?: string; lengthIn?: 'bytes' | 'chars' } = {}): Buffer {
  const bodies = fields.map(([, b]) => Buffer.concat([typeof b === 'string' ? Buffer.from(b, 'utf8') : b, Buffer.from([0x1e])]));
  let dir = '';
  let off = 0;
  fields.forEach(([tag, b], i) => {
    const len = opts.lengthIn === 'chars' && typeof b === 'string' ? [...b].length + 1 : bodies[i]!.length;
    dir += tag + String(len).padStart(4, '0') + String(off).padStart(5, '0');
    off += len;
  });
  const base = 24 + dir.length + 1;
  const total = base + bodies.reduce((n, b) => n + b.length, 0) + 1;
  const leader = String(total).padStart(5, '0') + 'nam' + ' ' + (opts.leader09 ?? 'a') + '22' + String(base).padStart(5, '0') + ' a 4500';
  return Buffer.concat([Buffer.from(leader + dir + '\x1e', 'latin1'), ...bodies, Buffer.from([0x1d])]);
}

export const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1');

export function okOnly(results: MarcReadResult[]): MarcReadOk[] {
  return results.filter((r): r is MarcReadOk => r.ok);
}
export function errorsOnly(results: MarcReadResult[]): MarcReadError[] {
  return results.filter((r): r is MarcReadError => !r.ok);
}
export function expectOk(r: MarcReadResult | undefined): MarcReadOk {
  if (r === undefined || !r.ok) throw new Error(`expected a record, got ${r === undefined ? 'nothing' : r.error}`);
  return r;
}
export function expectError(r: MarcReadResult | undefined): MarcReadError {
  if (r === undefined || r.ok) throw new Error(`expected a rejection, got ${r === undefined ? 'nothing' : 'a record'}`);
  return r;
}

export { prng } from '../../../test/support/prng.js';
