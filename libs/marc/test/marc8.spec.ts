import { decodeMarc8 } from '../src/marc8.js';
import { latin1 } from './helpers.js';

const decode = (s: string, replace = false) => {
  const b = latin1(s);
  return decodeMarc8(b, 0, b.length, replace);
};
const text = (s: string): string => {
  const r = decode(s);
  if (!r.ok) throw new Error(r.error);
  expect(r.warnings).toEqual([]);
  return r.text;
};

describe('decodeMarc8', () => {
  it('passes ASCII through and maps ANSEL specials', () => {
    expect(text('Plain ASCII 123 $&')).toBe('Plain ASCII 123 $&');
    expect(text('\xa1\xb1\xa5\xb5 \xc3 \xb9 \xc7 \xc8')).toBe('ŁłÆæ © £ ß €');
  });

  it('moves combining marks after their base character, keeping several in order', () => {
    expect(text('communaut\xe2e')).toBe('communaute\u0301');
    expect(text('\xe3\xf2a')).toBe('a\u0302\u0323');
    // Ligature halves each precede their own letter: t͡s.
    expect(text('\xebt\xecs')).toBe('t\ufe20s\ufe21');
  });

  it('keeps a combining mark with no base character, with a warning', () => {
    const r = decode('abc\xe2');
    expect(r).toEqual({ ok: true, text: 'abc\u0301', warnings: ['1 combining mark(s) at the end with no base character'] });
  });

  it('handles G0 designations with spaces and punctuation inside (Hebrew, Cyrillic)', () => {
    expect(text('\x1b(2bb  :\x1b(B')).toBe('גג  :');
    expect(text('\x1b(NsAWEZNI USTAWNI SUD.\x1b(B')).toBe('Савезни уставни суд.');
  });

  it('accepts a high-half set designated to G0 (Extended Cyrillic via ESC ( Q)', () => {
    // Basic Cyrillic puts lower case where ASCII has upper case.
    expect(text('\x1b(NRE[E\x1b(QJ\x1b(NA\x1b(B')).toBe('решења');
  });

  it('decodes EACC three-byte characters and returns to ASCII', () => {
    expect(text('\x1b$1!]>!L$!0!\x1b(B / x')).toBe('金田一 / x');
    expect(text('\x1b$,1!]>\x1b(B')).toBe('金');
  });

  it('understands the MARC-specific shifts to superscripts and subscripts', () => {
    expect(text('H\x1bb2\x1bsO x\x1bp2\x1bs')).toBe('H₂O x²');
  });

  it('maps NSB/NSE and the joiners as LC does', () => {
    expect(text('\x88The\x89 end')).toBe('\u0098The\u009c end');
    expect(text('a\x8db')).toBe('a\u200db');
  });

  it('replaces a broken escape sequence by U+FFFD with a warning and carries on', () => {
    expect(decode('Soci\x1bt\xe2e')).toEqual({ ok: true, text: 'Soci\ufffdte\u0301', warnings: ["invalid MARC-8 escape sequence ESC 't' at offset 4; replaced by U+FFFD"] });
    expect(decode('abc\x1b$')).toEqual({ ok: true, text: 'abc\ufffd', warnings: ['incomplete MARC-8 escape sequence at offset 3; replaced by U+FFFD'] });
    expect(decode('x\x1b(Zy')).toEqual({ ok: true, text: 'x\ufffdy', warnings: ['escape sequence to unknown character set 0x5A at offset 1; replaced by U+FFFD'] });
  });

  it('warns about ESC s while G0 is already ASCII (a lost character in damaged files)', () => {
    expect(decode('Proc\x1bs-verbaux')).toEqual({ ok: true, text: 'Proc-verbaux', warnings: ['ESC s at offset 4 while G0 is already ASCII (a character may be missing here)'] });
  });

  it('fails on undefined characters unless asked to replace them', () => {
    expect(decode('ab\xffc')).toEqual({ ok: false, offset: 2, error: 'byte 0xFF is not defined in MARC-8 set ANSEL (G1)' });
    expect(decode('\x1b$1!]>b<!\x1b(B')).toEqual({ ok: false, offset: 6, error: 'code 623C21 is not defined in MARC-8 set EACC (CJK)' });
    // Consecutive bad bytes make one U+FFFD and one warning.
    expect(decode('ab\xff\xfdc', true)).toEqual({ ok: true, text: 'ab\ufffdc', warnings: ['byte 0xFF is not defined in MARC-8 set ANSEL (G1) at offset 2; replaced by U+FFFD'] });
  });

  it('resynchronises a damaged multibyte run in replace mode', () => {
    // "'c" lost its third byte: the run recovers at the next whole character.
    const r = decode("\x1b$1'=*'c'b<!`1\x1b(B", true);
    expect(r.ok && r.text).toBe('广龉\ufffd音');
  });

  it('reports an incomplete multibyte character', () => {
    expect(decode('\x1b$1!]>!L')).toEqual({ ok: true, text: '金\ufffd', warnings: ['incomplete EACC (CJK) multibyte character at offset 6; replaced by U+FFFD'] });
  });
});
