import { Buffer } from 'node:buffer';
import { MarcWriteError, readIso2709, writeIso2709, type MarcDataField, type MarcReadResult, type MarcRecord } from '../src/index.js';
import { errorsOnly, expectError, expectOk, latin1, okOnly, prng, rawRecord, sample } from './helpers.js';

const read = (data: Buffer, opts?: Parameters<typeof readIso2709>[1]): MarcReadResult[] => [...readIso2709(data, opts)];

describe('writeIso2709', () => {
  it('computes record length, base address and the fixed leader positions', () => {
    const bytes = writeIso2709(sample());
    const leader = bytes.toString('latin1', 0, 24);
    expect(Number(leader.slice(0, 5))).toBe(bytes.length);
    expect(leader.slice(5, 9)).toBe('cam ');
    expect(leader[9]).toBe('a');
    expect(leader.slice(10, 12)).toBe('22');
    expect(Number(leader.slice(12, 17))).toBe(24 + 9 * 12 + 1);
    expect(leader.slice(17, 20)).toBe(' a ');
    expect(leader.slice(20)).toBe('4500');
    expect(bytes[bytes.length - 1]).toBe(0x1d);
    expect(bytes[Number(leader.slice(12, 17)) - 1]).toBe(0x1e);
    // Lengths are bytes, not characters: 880 holds 3-byte CJK and a 4-byte emoji.
    const dir880 = bytes.toString('latin1', 24 + 6 * 12, 24 + 7 * 12);
    expect(dir880.slice(0, 3)).toBe('880');
    const f880 = '10\x1f6245-01/$1\x1fa金田一 京助 🐉\x1e';
    expect(Number(dir880.slice(3, 7))).toBe(Buffer.byteLength(f880, 'utf8'));
  });

  it('refuses records it cannot represent', () => {
    const bad = (mutate: (r: MarcRecord) => void): (() => Buffer) => () => {
      const r = sample();
      mutate(r);
      return writeIso2709(r);
    };
    expect(bad((r) => (r.leader = 'short'))).toThrow(MarcWriteError);
    expect(bad((r) => (r.fields[0]!.tag = '01'))).toThrow(/tag must be three/);
    expect(bad((r) => ((r.fields[3] as MarcDataField).ind1 = ''))).toThrow(/indicator 1/);
    expect(bad((r) => ((r.fields[3] as MarcDataField).subfields[0]!.code = 'ab'))).toThrow(/subfield code/);
    expect(bad((r) => ((r.fields[3] as MarcDataField).subfields[0]!.value = 'x\x1fy'))).toThrow(/delimiter or terminator/);
    expect(bad((r) => r.fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(10000) }] }))).toThrow(/9999/);
    expect(bad((r) => {
      for (let i = 0; i < 12; i++) r.fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(9000) }] });
    })).toThrow(/99999/);
  });
});

describe('readIso2709: round trips', () => {
  it('reads back exactly what was written, byte for byte', () => {
    const record = sample();
    const bytes = writeIso2709(record);
    const [r, ...rest] = read(bytes);
    const ok = expectOk(r);
    expect(rest).toEqual([]);
    expect(ok.record.fields).toEqual(record.fields);
    expect(ok.record.leader).toBe(bytes.toString('latin1', 0, 24));
    expect(ok).toMatchObject({ index: 0, offset: 0, format: 'iso2709', sourceEncoding: 'utf-8', warnings: [] });
    expect(ok.raw.equals(bytes)).toBe(true);
    expect(writeIso2709(ok.record).equals(bytes)).toBe(true);
  });

  it('keeps decomposed characters as they are (no normalisation of stored values)', () => {
    const ok = expectOk(read(writeIso2709(sample()))[0]);
    const title = (ok.record.fields[5] as MarcDataField).subfields[0]!.value;
    expect(title).toContain('a\u0300');
    expect(title).not.toContain('à');
  });

  it('gives each record its index, byte offset and exact raw bytes', () => {
    const a = writeIso2709(sample());
    const b = writeIso2709({ leader: '00000nam a2200000 a 4500', fields: [{ tag: '001', value: 'second' }] });
    const results = okOnly(read(Buffer.concat([a, b, a])));
    expect(results.map((r) => [r.index, r.offset])).toEqual([[0, 0], [1, a.length], [2, a.length + b.length]]);
    expect(results[1]!.raw.equals(b)).toBe(true);
    expect(results[1]!.record.fields).toEqual([{ tag: '001', value: 'second' }]);
  });

  it('sets leader/09 to a in what it returns, whatever the source said', () => {
    const ok = expectOk(read(rawRecord([['001', 'x'], ['245', '10\x1faTitle']], { leader09: ' ' }))[0]);
    expect(ok.record.leader[9]).toBe('a');
    expect(ok.sourceEncoding).toBe('marc-8');
  });
});

describe('readIso2709: fields', () => {
  it('treats 001-009 as control fields and other numeric tags as data fields', () => {
    const ok = expectOk(read(rawRecord([['001', '  abc '], ['008', 'x\x1fy'], ['245', '10\x1faTitle :\x1fbsub']]))[0]);
    expect(ok.record.fields).toEqual([
      { tag: '001', value: '  abc ' },
      { tag: '008', value: 'x\x1fy' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Title :' }, { code: 'b', value: 'sub' }] },
    ]);
  });

  it('reads alphanumeric tags as data fields when they hold subfields, else as control fields', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['CAT', '  \x1faCONV\x1fb00'], ['FMT', 'BK']]))[0]);
    expect(ok.record.fields.slice(1)).toEqual([
      { tag: 'CAT', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'CONV' }, { code: 'b', value: '00' }] },
      { tag: 'FMT', value: 'BK' },
    ]);
  });

  it('reports data before the first subfield delimiter and keeps the subfields', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['970', '  \\\x1fp19.99\x1ffJUV']]))[0]);
    expect(ok.record.fields[1]).toEqual({ tag: '970', ind1: ' ', ind2: ' ', subfields: [{ code: 'p', value: '19.99' }, { code: 'f', value: 'JUV' }] });
    expect(ok.warnings).toEqual(['field 970 (entry 2): data before the first subfield delimiter ignored: "\\"']);
    expect(ok.raw.includes(latin1('  \\\x1fp'))).toBe(true);
  });

  it('assumes blank indicators when they are missing and says so', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['650', '\x1faCats'], ['651', '0\x1faParis']]))[0]);
    expect(ok.record.fields.slice(1)).toEqual([
      { tag: '650', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Cats' }] },
      { tag: '651', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Paris' }] },
    ]);
    expect(ok.warnings).toEqual([
      'field 650 (entry 2): indicator 1 missing; blank assumed',
      'field 650 (entry 2): indicator 2 missing; blank assumed',
      'field 651 (entry 3): indicator 2 missing; blank assumed',
    ]);
  });

  it('ignores empty subfields with a warning', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['245', '10\x1f\x1faTitle\x1f']]))[0]);
    expect((ok.record.fields[1] as MarcDataField).subfields).toEqual([{ code: 'a', value: 'Title' }]);
    expect(ok.warnings).toHaveLength(2);
  });

  it('rejects a record whose subfield code is not ASCII, naming the field', () => {
    const e = expectError(read(rawRecord([['001', '1'], ['260', '  \x1fa[Washington :\x1f\uFFFDbAssociation']]))[0]);
    expect(e.error).toBe('record 1 at byte 0: field 260 (entry 2): subfield code is byte 0xEF, not an ASCII character');
  });
});

describe('readIso2709: structural damage', () => {
  const good = rawRecord([['001', 'good'], ['245', '10\x1faGood']]);

  it('recovers a record whose leader length is wrong by its record terminator', () => {
    for (const lie of ['00010', '00999', '00100']) {
      const broken = Buffer.from(good);
      broken.write(lie, 0, 'latin1');
      const results = read(Buffer.concat([broken, good]));
      const [first, second] = okOnly(results);
      expect(results).toHaveLength(2);
      expect(first!.record.fields[0]).toEqual({ tag: '001', value: 'good' });
      expect(first!.warnings).toEqual([`leader gives record length ${Number(lie)} but the record terminator makes it ${good.length} bytes; the record terminator was used`]);
      expect(first!.raw.length).toBe(good.length);
      expect(second!.warnings).toEqual([]);
    }
  });

  it('recovers records that lack their record terminator when the length is right', () => {
    const unterminated = good.subarray(0, good.length - 1);
    const fixedLength = Buffer.from(unterminated);
    fixedLength.write(String(unterminated.length).padStart(5, '0'), 0, 'latin1');
    const [a, b] = read(Buffer.concat([fixedLength, good]));
    expect(expectOk(a).warnings).toEqual(['record terminator missing; record delimited by its leader length']);
    expect(expectOk(b).record.fields[0]).toEqual({ tag: '001', value: 'good' });
  });

  it('rejects a truncated final record and keeps the others', () => {
    const results = read(Buffer.concat([good, good.subarray(0, 40)]));
    expect(results).toHaveLength(2);
    expectOk(results[0]);
    const e = expectError(results[1]);
    expect(e).toMatchObject({ index: 1, offset: good.length });
    expect(e.error).toBe(`record 2 at byte ${good.length}: truncated record: leader gives length ${good.length} but only 40 byte(s) remain and no record terminator follows`);
    expect(e.raw!.length).toBe(40);
  });

  it('rejects a record cut short in the middle of a file and reads the next one', () => {
    const results = read(Buffer.concat([good.subarray(0, 50), good]));
    expect(expectError(results[0]).error).toBe(`record 1 at byte 0: truncated record: leader gives length ${good.length}, but another record starts after 50 byte(s)`);
    expect(expectOk(results[1]).offset).toBe(50);
  });

  it('skips garbage and stray terminators between records with a warning, newlines silently', () => {
    const data = Buffer.concat([good, latin1('\r\n'), good, latin1('\x1d\x1d'), good, latin1('JUNK!'), good, latin1('\n\n')]);
    const results = read(data);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    const [a, b, c, d] = okOnly(results);
    expect(a!.warnings).toEqual([]);
    expect(b!.warnings).toEqual([]);
    expect(c!.warnings).toEqual([`skipped 2 stray terminator byte(s) before this record (bytes ${2 * good.length + 2}-${2 * good.length + 3})`]);
    const junkAt = 3 * good.length + 4;
    expect(d!.warnings).toEqual([`skipped 5 byte(s) of data that belong to no record (bytes ${junkAt}-${junkAt + 4})`]);
    expect(d!.offset).toBe(junkAt + 5);
  });

  it('rejects trailing data that is not a record', () => {
    const results = read(Buffer.concat([good, latin1('garbage at the end')]));
    expect(results).toHaveLength(2);
    expect(expectError(results[1]).error).toBe(`record 2 at byte ${good.length}: no record leader here (the data does not start with a 5-digit record length); 18 byte(s) of trailing data rejected`);
  });

  it('rejects broken leaders and directories with the reason, one record at a time', () => {
    const variant = (edit: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      edit(b);
      return b;
    };
    const cases: [Buffer, string][] = [
      [variant((b) => b.write('9', 12, 'latin1')), 'base address of data 90049 (leader/12-16) lies outside the record'],
      [variant((b) => b.write('00000', 12, 'latin1')), 'base address of data 0 (leader/12-16) lies outside the record'],
      [variant((b) => b.write('x', 13, 'latin1')), "base address of data '0x049' (leader/12-16) is not numeric"],
      [variant((b) => b.write('00048', 12, 'latin1')), 'base address of data 48 (leader/12-16) does not follow the directory; the directory ends at byte 48'],
      [variant((b) => b.write('00x5', 27, 'latin1')), "directory entry 1 (tag 001): field length '00x5' is not numeric"],
      [variant((b) => b.write('0a000', 31, 'latin1')), "directory entry 1 (tag 001): field offset '0a000' is not numeric"],
      [variant((b) => b.write('\x01', 36, 'latin1')), 'directory entry 2: tag "\\x0145" is not three printable ASCII characters'],
    ];
    for (const [bytes, reason] of cases) {
      const results = read(Buffer.concat([bytes, good]));
      expect(expectError(results[0]).error).toContain(reason);
      expect(expectOk(results[1]).offset).toBe(bytes.length);
    }
    const nonAsciiLeader = variant((b) => (b[7] = 0xe9));
    expect(expectError(read(nonAsciiLeader)[0]).error).toBe('record 1 at byte 0: leader byte 7 is 0xE9, not a printable ASCII character');
  });

  it('rejects a directory that is not a multiple of 12 and a record with no fields', () => {
    const thirteen = latin1('00128     2200038   45002450089000001\x1e01\x1faThe pragmatic programmer : \x1fbfrom journeyman to master /\x1fcAndrew Hunt, David Thomas.\x1e\x1d');
    expect(expectError(read(thirteen)[0]).error).toBe('record 1 at byte 0: directory is 13 bytes long, not a multiple of 12');
    expect(expectError(read(latin1('00026     2200025   4500\x1e\x1d'))[0]).error).toBe('record 1 at byte 0: record has no fields');
  });

  it('takes fields by terminator when the directory counted characters instead of bytes', () => {
    const bytes = rawRecord([['001', 'x'], ['245', '10\x1faCafé société'], ['500', '  \x1faNote']], { lengthIn: 'chars' });
    const ok = expectOk(read(bytes)[0]);
    expect(ok.record.fields.map((f) => f.tag)).toEqual(['001', '245', '500']);
    expect((ok.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('Café société');
    expect((ok.record.fields[2] as MarcDataField).subfields[0]!.value).toBe('Note');
    expect(ok.warnings).toHaveLength(1);
    expect(ok.warnings[0]).toMatch(/^directory entry 2 \(tag 245\) does not end at a field terminator; .* fields were taken by terminator in offset order$/);
  });

  it('names the directory entry when fields cannot be recovered', () => {
    const bytes = rawRecord([['001', 'x'], ['245', '10\x1faTitle'], ['500', '  \x1faNote']]);
    bytes.write('0099', 24 + 24 + 3, 'latin1'); // 500's length, far past the end
    bytes[bytes.length - 2] = 0x41; // and its terminator is gone, so counting terminators cannot help
    const e = expectError(read(bytes)[0]);
    expect(e.error).toBe('record 1 at byte 0: directory entry 3 (tag 500) points past end of record (and the data holds 2 terminated field(s) for 3 directory entries, so it cannot be recovered)');
  });

  it('warns when the directory leaves data unaccounted for', () => {
    // A field the directory does not mention, appended to the data area.
    const bytes = rawRecord([['001', 'x'], ['500', '  \x1faNote']]);
    const hidden = Buffer.concat([bytes.subarray(0, bytes.length - 1), latin1('HIDDEN\x1e\x1d')]);
    hidden.write(String(hidden.length).padStart(5, '0'), 0, 'latin1');
    const ok = expectOk(read(hidden)[0]);
    expect(ok.record.fields).toHaveLength(2);
    expect(ok.warnings).toEqual(['the directory accounts for 11 byte(s) of field data but the record holds 18']);
  });
});

describe('readIso2709: encodings', () => {
  it('decodes MARC-8 (leader/09 blank) and reports it as the source encoding', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['245', latin1('10\x1faDe la solitude \xe1a la communaut\xe2e.')]], { leader09: ' ' }))[0]);
    expect((ok.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('De la solitude a\u0300 la communaute\u0301.');
    expect(ok.sourceEncoding).toBe('marc-8');
  });

  it('decodes mislabelled UTF-8 (leader/09 blank, valid UTF-8, no escapes) as UTF-8 with a warning', () => {
    const ok = expectOk(read(rawRecord([['001', '1'], ['245', '10\x1faCafé']], { leader09: ' ' }))[0]);
    expect((ok.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('Café');
    expect(ok.sourceEncoding).toBe('utf-8');
    expect(ok.warnings).toEqual(['leader/09 says MARC-8 but the record is valid UTF-8 with multibyte characters and no MARC-8 escapes; decoded as UTF-8']);
  });

  it('rejects invalid UTF-8 under leader/09 a, naming the field and the byte', () => {
    const results = read(Buffer.concat([rawRecord([['001', '1'], ['245', latin1('10\x1faCaf\xe9 noir')]]), writeIso2709(sample())]));
    expect(expectError(results[0]).error).toBe('record 1 at byte 0: field 245 (entry 2) is not valid UTF-8 (byte 0xE9 at offset 7 of the field)');
    expectOk(results[1]);
  });

  it('rejects overlong and surrogate UTF-8 sequences', () => {
    for (const bad of ['\xc0\xaf', '\xed\xa0\x80', '\xf4\x90\x80\x80', '\xe2\x82']) {
      expect(expectError(read(rawRecord([['001', '1'], ['500', latin1(`  \x1fax${bad}y`)]]))[0]).error).toMatch(/field 500 \(entry 2\) is not valid UTF-8/);
    }
  });

  it('rejects bytes that no MARC-8 set defines, or replaces them when asked', () => {
    const bytes = rawRecord([['001', '1'], ['245', latin1('10\x1fa\xca\xcb\xcf\xc3\xc0')]], { leader09: ' ' });
    expect(expectError(read(bytes)[0]).error).toBe('record 1 at byte 0: field 245 (entry 2) $a: byte 0xCA is not defined in MARC-8 set ANSEL (G1) (offset 0 of the value)');
    const ok = expectOk(read(bytes, { invalidMarc8: 'replace' })[0]);
    expect((ok.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('\uFFFD©°');
    expect(ok.warnings).toEqual(['field 245 (entry 2) $a: byte 0xCA is not defined in MARC-8 set ANSEL (G1) at offset 0; replaced by U+FFFD']);
  });

  it('obeys assumeEncoding over leader/09', () => {
    // The caller's word wins even when wrong: UTF-8 "é" (C3 A9) is "©♭" in MARC-8.
    const utf8Bytes = rawRecord([['001', '1'], ['245', '10\x1faCafé']], { leader09: ' ' });
    const asMarc8 = expectOk(read(utf8Bytes, { assumeEncoding: 'marc-8' })[0]);
    expect((asMarc8.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('Caf©♭');
    expect(asMarc8.warnings).toEqual([]);
    const marc8Bytes = rawRecord([['001', '1'], ['245', latin1('10\x1faCaf\xe2e')]], { leader09: 'a' });
    const ok = expectOk(read(marc8Bytes, { assumeEncoding: 'marc-8' })[0]);
    expect((ok.record.fields[1] as MarcDataField).subfields[0]!.value).toBe('Cafe\u0301');
    expect(ok.warnings).toEqual([]);
  });

  it('warns about an unknown leader/09 value', () => {
    const ok = expectOk(read(rawRecord([['001', '1']], { leader09: 'z' }))[0]);
    expect(ok.warnings).toEqual(['leader/09 is "z", neither blank (MARC-8) nor \'a\' (UTF-8); decoded as MARC-8']);
  });
});

describe('readIso2709: hostile input', () => {
  const corpus = Buffer.concat([writeIso2709(sample()), rawRecord([['001', '2'], ['245', latin1('10\x1fa\x1b(NsAWEZNI\x1b(B \xe2e')]], { leader09: ' ' }), writeIso2709(sample())]);

  // Plain checks, one expect per input: thousands of results go through here.
  const check = (data: Buffer): MarcReadResult[] => {
    const results = read(data);
    const wrong = results.filter((r, i) => r.index !== i || (r.ok ? r.raw.length <= 24 || r.offset + r.raw.length > data.length : !r.error.startsWith(`record ${i + 1} at byte ${r.offset}: `)));
    expect(wrong).toEqual([]);
    return results;
  };

  it('never throws or hangs on random bytes', () => {
    const rand = prng(42);
    for (let n = 0; n < 300; n++) {
      const len = Math.floor(rand() * 3000);
      const data = Buffer.alloc(len);
      // Bias towards the bytes that matter to the parser.
      const alphabet = [0x1d, 0x1e, 0x1f, 0x1b, 0x30, 0x31, 0x32, 0x35, 0x39, 0x20, 0x61, 0xe2, 0xc3];
      for (let i = 0; i < len; i++) data[i] = rand() < 0.5 ? alphabet[Math.floor(rand() * alphabet.length)]! : Math.floor(rand() * 256);
      check(data);
    }
  });

  it('never throws on mutated and truncated real records, and loses no intact record', () => {
    const rand = prng(7);
    for (let n = 0; n < 1500; n++) {
      const data = Buffer.from(corpus);
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.3 ? Math.floor(rand() * data.length) : data.length;
      const results = check(data.subarray(0, cut));
      // The last record is untouched unless a flip or the cut reached it.
      const lastStart = corpus.length - writeIso2709(sample()).length;
      if (cut === data.length && data.subarray(lastStart).equals(corpus.subarray(lastStart))) {
        expect(results.some((r) => r.ok && r.offset === lastStart && r.record.fields.length === 9)).toBe(true);
      }
    }
  });

  it('handles degenerate inputs', () => {
    expect(read(Buffer.alloc(0))).toEqual([]);
    expect(read(latin1('\n\r\n  '))).toEqual([]);
    expect(errorsOnly(check(latin1('99999'.repeat(1000))))).toHaveLength(1);
    expect(errorsOnly(check(latin1('\x1d'.repeat(100) + '00000')))).toHaveLength(1);
    expect(check(latin1('00025     22000250  4500\x1e\x1d'))[0]!.ok).toBe(false);
    expect(check(Buffer.alloc(5000, 0x30)).every((r) => !r.ok)).toBe(true);
  });
});
