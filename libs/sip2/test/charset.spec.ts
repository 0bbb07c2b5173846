import { Buffer } from 'node:buffer';
import { buildTyped, checksumOf, normalizeCharset, readMessage, toTyped, type PatronStatusResponse } from '../src/index.js';

const resp = (name: string): PatronStatusResponse => ({
  patronStatus: { chargePrivilegesDenied: false, renewalPrivilegesDenied: false, recallPrivilegesDenied: false, holdPrivilegesDenied: false, cardReportedLost: false, tooManyItemsCharged: false, tooManyItemsOverdue: false, tooManyRenewals: false, tooManyClaimsOfItemsReturned: false, tooManyItemsLost: false, excessiveOutstandingFines: false, excessiveOutstandingFees: false, recallOverdue: false, tooManyItemsBilled: false },
  language: '001', transactionDate: null, institutionId: 'main', patronIdentifier: '2000001', personalName: name,
});

describe('character sets', () => {
  const name = 'Müller, Renée';

  it('encodes é and ü as CP850, ISO-8859-1 and UTF-8 bytes, with the checksum over those bytes', () => {
    const cp850 = buildTyped('24', resp(name), { charset: 'cp850', errorDetection: true, sequence: 0 });
    const latin1 = buildTyped('24', resp(name), { charset: 'iso-8859-1', errorDetection: true, sequence: 0 });
    const utf8 = buildTyped('24', resp(name), { charset: 'utf-8', errorDetection: true, sequence: 0 });
    const at = (b: Buffer): number => b.indexOf('AEM') + 3;
    expect(cp850[at(cp850)]).toBe(0x81); // ü in CP850
    expect(cp850.includes(Buffer.from([0x82]))).toBe(true); // é in CP850
    expect(latin1[at(latin1)]).toBe(0xfc);
    expect(utf8.subarray(at(utf8), at(utf8) + 2)).toEqual(Buffer.from([0xc3, 0xbc]));
    expect(utf8.length).toBe(cp850.length + 2);
    for (const b of [cp850, latin1, utf8]) {
      const end = b.length - 1; // before CR
      expect(checksumOf(b, 0, end - 4).toString(16).toUpperCase().padStart(4, '0')).toBe(b.toString('latin1', end - 4, end));
    }
    // The checksums differ because the bytes differ; a checksum over characters would be the same for all three.
    expect(new Set([cp850, latin1, utf8].map((b) => b.toString('latin1', b.length - 5, b.length - 1))).size).toBe(3);
  });

  it.each(['cp850', 'iso-8859-1', 'utf-8'] as const)('reads back %s with a valid checksum', (charset) => {
    const frame = buildTyped('24', resp(name), { charset, errorDetection: true, sequence: 5 });
    const r = readMessage(frame, { charset });
    expect(r).toMatchObject({ ok: true, checksum: 'valid', sequence: 5 });
    expect((toTyped(r.message)!.typed.value as PatronStatusResponse).personalName).toBe(name);
  });

  it('garbles, but does not fail, when the charsets disagree (a CP850 kiosk on a UTF-8 account)', () => {
    const frame = buildTyped('24', resp('Ærø Åse'), { charset: 'cp850' });
    const r = readMessage(frame, { charset: 'utf-8' });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['charset']);
    expect(r.message.fields.find((f) => f.code === 'AE')!.value).toContain('\ufffd');
  });

  it('writes characters a single-byte charset cannot hold as ?', () => {
    const frame = buildTyped('24', resp('東京 Łódź'), { charset: 'cp850' });
    expect(frame.toString('latin1')).toContain('AE?? ?\xa2d?|');
  });

  it('knows the names accounts use', () => {
    expect(['UTF8', 'cp850', 'IBM850', 'latin1', 'ISO-8859-1', 'ascii'].map(normalizeCharset)).toEqual(['utf-8', 'cp850', 'cp850', 'iso-8859-1', 'iso-8859-1', 'ascii']);
    expect(normalizeCharset('koi8-r')).toBeUndefined();
  });

  it('a delimiter or CR/LF inside a value never splits a field (CP850 account)', () => {
    // 0x7C, 0x0D and 0x0A are the same bytes in every supported charset, so sanitising the text is enough.
    const frame = buildTyped('24', resp('a|b\r\nc'), { charset: 'cp850' });
    expect(frame.toString('latin1')).toBe(`24              001${' '.repeat(18)}AOmain|AA2000001|AEa b  c|\r`);
  });
});
