// Our own small inputs, so a clone without the shared fixtures still tests the tokenizer and envelope.
import { Buffer } from 'node:buffer';
import { decodeEdifactBytes, parseEdifact, tokenizeEdifact } from '../src/index.js';
import { codes } from './helpers.js';

const tags = (text: string): string[] => tokenizeEdifact(text).segments.map((s) => s.tag);
const envelope = (body: string, count = 1, una = "UNA:+.? '"): string =>
  `${una}UNB+UNOC:3+SENDER:14+RECIP:14+240101:1200+REF1'UNH+M1+INVOIC:D:96A:UN:EAN008'${body}UNT+${count}+M1'UNZ+1+REF1'`;

describe('tokenizer', () => {
  it('splits segments, elements and components', () => {
    const { segments, warnings } = tokenizeEdifact("BGM+380+INV1+9'QTY+47:5'");
    expect(warnings).toEqual([]);
    expect(segments.map(({ tag, elements }) => ({ tag, elements }))).toEqual([
      { tag: 'BGM', elements: [['380'], ['INV1'], ['9']] },
      { tag: 'QTY', elements: [['47', '5']] },
    ]);
    expect(segments[1]!.offset).toBe(15);
  });

  it('resolves the release character, including before itself and the terminator', () => {
    const [s] = tokenizeEdifact("IMD+L+050+:::Who?'s who ?+ more?: yes ??'").segments;
    expect(s!.elements[2]).toEqual(['', '', '', "Who's who + more: yes ?"]);
  });

  it('keeps empty elements and components in place', () => {
    const [s] = tokenizeEdifact("PIA+5+38:SA+:IB'").segments;
    expect(s!.elements).toEqual([['5'], ['38', 'SA'], ['', 'IB']]);
    expect(tokenizeEdifact("RFF+LI'").segments[0]!.elements).toEqual([['LI']]);
    expect(tokenizeEdifact("TAX+7'").segments[0]!.elements).toEqual([['7']]);
  });

  it('ignores line breaks anywhere (80-column wrapping) and blanks between segments', () => {
    expect(tags("UNH+1+INV\r\nOIC'\nBG\nM+380'   \n\tDTM+137:2024\n0101:102'   \r\n")).toEqual(['UNH', 'BGM', 'DTM']);
    const { segments } = tokenizeEdifact("UNH+1+INV\r\nOIC'DTM+137:2024\n0101:102'");
    expect(segments[0]!.elements[1]).toEqual(['INVOIC']);
    expect(segments[1]!.elements[0]).toEqual(['137', '20240101', '102']);
  });

  it('reads a non-standard UNA (component ^, element <, terminator >)', () => {
    const { segments, unas } = tokenizeEdifact('UNA^<.? >\nBGM<380<267908<43>\nIMD<F<JTI<^^^USER\'S GUIDE ?> ?< ?^>\n');
    expect(unas[0]!.separators).toEqual({ component: '^', element: '<', decimal: '.', release: '?', repetition: ' ', segment: '>' });
    expect(segments.map((s) => s.tag)).toEqual(['BGM', 'IMD']);
    expect(segments[1]!.elements[2]).toEqual(['', '', '', "USER'S GUIDE > < ^"]);
  });

  it('honours a second UNA in the same file', () => {
    const { segments } = tokenizeEdifact("UNA:+.? 'BGM+1'UNA^<.? >BGM<2<x^y>BGM<3>");
    expect(segments.map((s) => s.elements)).toEqual([[['1']], [['2'], ['x', 'y']], [['3']]]);
  });

  it('rejects a UNA whose separators cannot work and keeps the defaults', () => {
    const { segments, warnings } = tokenizeEdifact("UNAabcdefBGM+1'");
    expect(warnings.map((w) => w.code)).toContain('bad-una');
    expect(segments.length).toBeGreaterThan(0);
    // A release character that is also a separator could not be told apart from it.
    const clash = tokenizeEdifact("UNA:+.+ 'BGM+1'");
    expect(clash.unas).toEqual([]);
    expect(clash.warnings.map((w) => w.code)).toContain('bad-una');
  });

  it('accepts U+2019 as terminator only when a tag follows', () => {
    const { segments, warnings } = tokenizeEdifact("QTY+21:3’GIR+001+x:LAC'IMD+L+050+:::l’Institut’s'RFF+LI:1’");
    expect(segments.map((s) => s.tag)).toEqual(['QTY', 'GIR', 'IMD', 'RFF']);
    expect(segments[2]!.elements[2]![3]).toBe('l’Institut’s');
    expect(warnings).toEqual([expect.objectContaining({ code: 'curly-terminator', message: expect.stringMatching(/^2 segment/) })]);
  });

  it('treats U+2019 as text when the file has another terminator', () => {
    const { segments } = tokenizeEdifact('UNA^<.? >IMD<F<x<^^^it’s>BGM<1>');
    expect(segments[0]!.elements[2]![3]).toBe('it’s');
  });

  it('skips empty segments and reports them once', () => {
    const { segments, warnings } = tokenizeEdifact("BGM+1''''UNS+S'''");
    expect(segments.map((s) => s.tag)).toEqual(['BGM', 'UNS']);
    expect(warnings).toEqual([{ code: 'empty-segment', message: '5 empty segment(s) skipped' }]);
  });

  it('reports a segment cut off by the end of input and trims its trailing blanks', () => {
    const { segments, warnings } = tokenizeEdifact("BGM+1'UNZ+1+REF   ");
    expect(segments[1]!.elements).toEqual([['1'], ['REF']]);
    expect(warnings.map((w) => w.code)).toEqual(['unterminated-segment']);
  });

  it('reports a release character at the very end', () => {
    expect(tokenizeEdifact("BGM+1'FTX+x?").warnings.map((w) => w.code)).toEqual(['dangling-release', 'unterminated-segment']);
  });

  it('counts segments with impossible tags in one warning', () => {
    const { warnings } = tokenizeEdifact("hello world'xx+1'BGM+1'");
    expect(warnings).toEqual([{ code: 'bad-tag', message: '2 segment(s) without a valid tag, first "hello world" at offset 0' }]);
  });

  it('a release before a line break releases the character after the break', () => {
    const { segments } = tokenizeEdifact("FTX+LIN+++it?\n's fine'BGM+1'");
    expect(segments.map((s) => s.tag)).toEqual(['FTX', 'BGM']);
    expect(segments[0]!.elements[3]).toEqual(["it's fine"]);
  });

  it('segments split on read, the same every time, and serialise with their elements', () => {
    const [s] = tokenizeEdifact("QTY+47:5'").segments;
    expect(s!.elements).toEqual([['47', '5']]);
    expect(s!.elements).toEqual(s!.elements);
    expect(s!.elements).not.toBe(s!.elements);
    expect(JSON.parse(JSON.stringify(s))).toEqual({ tag: 'QTY', elements: [['47', '5']], offset: 0 });
  });

  it('a tag split by a line break or containing a release is still read', () => {
    const { segments, warnings } = tokenizeEdifact("Q\r\nTY+1'B?GM+2'");
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([['QTY', [['1']]], ['BGM', [['2']]]]);
    expect(warnings).toEqual([]);
  });

  it('returns nothing for empty or blank input', () => {
    expect(tokenizeEdifact('')).toEqual({ segments: [], unas: [], warnings: [] });
    expect(tokenizeEdifact(' \r\n\t ')).toEqual({ segments: [], unas: [], warnings: [] });
  });
});

describe('decoding', () => {
  it('reads ASCII and valid UTF-8 as UTF-8 whatever UNB declares', () => {
    expect(decodeEdifactBytes(Buffer.from("UNB+UNOA:3'"))).toMatchObject({ encoding: 'ascii', warnings: [] });
    expect(decodeEdifactBytes(Buffer.from("IMD+F+BTI+:::GrandPré'"))).toMatchObject({ encoding: 'utf-8', text: "IMD+F+BTI+:::GrandPré'" });
  });

  it('falls back to ISO 8859-1 with a warning, byte for byte', () => {
    const bytes = Buffer.from("IMD+F+BTI+:::Gro\xdf \x80\xe9'", 'latin1');
    const d = decodeEdifactBytes(bytes);
    expect(d.encoding).toBe('latin1');
    expect(d.text).toBe("IMD+F+BTI+:::Groß \u0080é'");
    expect(d.warnings.map((w) => w.code)).toEqual(['decoding']);
  });

  it('decodes a large latin1 file in chunks', () => {
    const bytes = Buffer.alloc(100_000, 0xe9);
    expect(decodeEdifactBytes(bytes).text).toBe('é'.repeat(100_000));
  });
});

describe('interchanges', () => {
  it('reads UNB, UNH and checks UNT/UNZ', () => {
    const file = parseEdifact(envelope("BGM+380+INV1+9'", 3));
    expect(file.warnings).toEqual([]);
    const ic = file.interchanges[0]!;
    expect(ic).toMatchObject({
      sender: { id: 'SENDER', qualifier: '14' }, recipient: { id: 'RECIP', qualifier: '14' }, syntax: { id: 'UNOC', version: '3' },
      reference: 'REF1', date: '240101', time: '1200',
    });
    expect(ic.messages[0]).toMatchObject({ type: 'INVOIC', version: 'D', release: '96A', agency: 'UN', association: 'EAN008', reference: 'M1' });
    expect(ic.messages[0]!.segments.map((s) => s.tag)).toEqual(['BGM']);
  });

  it('without UNA, uses the ISO 9735 defaults', () => {
    const file = parseEdifact(envelope("BGM+380+INV1+9'", 3, ''));
    expect(file.warnings).toEqual([]);
    expect(file.interchanges[0]!.separators.segment).toBe("'");
  });

  it('warns on every control mismatch', () => {
    const text = "UNB+UNOC:3+S+R+240101:1200+REF1'UNH+M1+INVOIC:D:96A:UN'BGM+380+1'UNT+9+M2'UNZ+4+REF9'";
    const file = parseEdifact(text);
    expect(codes(file)).toEqual(['unt-count', 'unt-reference', 'unz-count', 'unz-reference']);
    expect(file.warnings.map((w) => w.message)).toEqual([
      'UNT of message M1 says 9 segments, found 3', 'UNT reference M2 differs from UNH M1',
      'UNZ says 4 messages, interchange holds 1', 'UNZ reference REF9 differs from UNB REF1',
    ]);
    expect(file.interchanges[0]!.messages[0]!.warnings.map((w) => w.code)).toEqual(['unt-count', 'unt-reference']);
    expect(file.interchanges[0]!.warnings).toHaveLength(4);
    expect(file.warnings.every((w) => w.interchange === 0)).toBe(true);
  });

  it('counts groups, not messages, in UNZ when UNG is used; checks UNE', () => {
    const msg = (r: string): string => `UNH+${r}+ORDRSP:D:96A:UN'BGM+231+1'UNT+3+${r}'`;
    const ok = parseEdifact(`UNB+UNOC:3+S+R+240101:1200+X'UNG+ORDRSP+S+R+240101:1200+G1+UN+D:96A'${msg('1')}${msg('2')}UNE+2+G1'UNZ+1+X'`);
    expect(ok.warnings).toEqual([]);
    expect(ok.interchanges[0]!.messages.map((m) => m.group)).toEqual(['G1', 'G1']);
    const bad = parseEdifact(`UNB+UNOC:3+S+R+240101:1200+X'UNG+ORDRSP+S+R+240101:1200+G1+UN+D:96A'${msg('1')}UNE+3+G2'UNG+ORDRSP+S+R+1+G3'${msg('2')}UNZ+1+X'`);
    expect(codes(bad)).toEqual(['missing-une', 'une-count', 'une-reference', 'unz-count']);
  });

  it('reads several interchanges, the second without UNZ', () => {
    const a = envelope("BGM+380+A'", 3);
    const b = "UNA:+.? 'UNB+UNOC:3+S2+R+240101:1200+REF2'UNH+M2+INVOIC:D:96A:UN'BGM+380+B'UNT+3+M2'";
    const file = parseEdifact(`${a}\n${b}`);
    expect(file.interchanges.map((ic) => [ic.reference, ic.messages.length])).toEqual([['REF1', 1], ['REF2', 1]]);
    expect(file.warnings).toEqual([expect.objectContaining({ code: 'missing-unz', interchange: 1 })]);
  });

  it('warns about a message without UNT and one without UNH', () => {
    const file = parseEdifact("UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'BGM+380+1'UNH+2+INVOIC:D:96A:UN'UNT+2+2'UNT+3+9'BGM+1'UNZ+2+X'");
    expect(codes(file)).toEqual(['missing-unh', 'missing-unt', 'stray-segment']);
    expect(file.interchanges[0]!.messages).toHaveLength(2);
  });

  it('reads messages that come without any UNB', () => {
    const file = parseEdifact("UNH+1+INVOIC:D:96A:UN'BGM+380+1'UNT+3+1'");
    expect(codes(file)).toEqual(['missing-unb', 'missing-unz']);
    expect(file.interchanges[0]!.messages[0]!.type).toBe('INVOIC');
  });

  it('accepts `UNT+n:ref` with a warning', () => {
    const file = parseEdifact("UNB+UNOC:3+S+R+1+X'UNH+ME1+ORDRSP:D:96A:UN'UNT+2:ME1'UNZ+1+X'");
    expect(codes(file)).toEqual(['unt-syntax']);
  });

  it('notes text outside UNOA/UNOB but reads it', () => {
    const file = parseEdifact(Buffer.from("UNB+UNOB:3+S+R+1+X'UNH+1+ORDERS:D:96A:UN'IMD+F+BTI+:::GrandPré'UNT+3+1'UNZ+1+X'"));
    expect(file.encoding).toBe('utf-8');
    expect(codes(file)).toEqual(['charset']);
    expect(file.interchanges[0]!.messages[0]!.segments[0]!.elements[2]![3]).toBe('GrandPré');
    expect(parseEdifact(Buffer.from("UNB+UNOC:3+S+R+1+X'UNH+1+ORDERS:D:96A:UN'IMD+F+BTI+:::é_#'UNT+3+1'UNZ+1+X'")).warnings).toEqual([]);
    // Lower case under UNOA passes (every vendor does it); `_` is in neither UNOA nor UNOB.
    expect(parseEdifact("UNB+UNOA:3+S+R+1+X'UNH+1+ORDERS:D:96A:UN'IMD+F+BTI+:::Lower case'UNT+3+1'UNZ+1+X'").warnings).toEqual([]);
    expect(codes(parseEdifact("UNB+UNOB:3+S+R+1+X'UNH+1+ORDERS:D:96A:UN'RFF+ON:A_1'UNT+3+1'UNZ+1+X'"))).toEqual(['charset']);
    // A UNA's own separators are allowed even when outside the repertoire.
    expect(parseEdifact("UNA^<.? >UNB<UNOA^2<S<R<1<X>UNH<1<ORDERS^D^96A^UN>UNT<2<1>UNZ<1<X>").warnings).toEqual([]);
  });

  it('latin1 bytes: decoded, and both the decoding and the charset noted', () => {
    const file = parseEdifact(Buffer.from("UNB+UNOA:3+S+R+1+X'UNH+1+ORDERS:D:96A:UN'IMD+F+BTI+:::Caf\xe9'UNT+3+1'UNZ+1+X'", 'latin1'));
    expect(file.encoding).toBe('latin1');
    expect(codes(file)).toEqual(['charset', 'decoding']);
    expect(file.interchanges[0]!.messages[0]!.segments[0]!.elements[2]![3]).toBe('Café');
  });

  it('empty input, blanks and garbage give an empty file, not an exception', () => {
    expect(parseEdifact('')).toEqual({ encoding: 'string', interchanges: [], warnings: [] });
    expect(parseEdifact(new Uint8Array(0))).toEqual({ encoding: 'ascii', interchanges: [], warnings: [] });
    expect(parseEdifact('   \n').interchanges).toEqual([]);
    const garbage = parseEdifact(Buffer.from([0xff, 0xfe, 0x00, 0x27, 0x2b, 0x3a, 0x3f]));
    expect(garbage.interchanges).toEqual([]);
    expect(codes(garbage)).toContain('decoding');
  });

  it('a truncated file keeps what was read and says what is missing', () => {
    const full = envelope("BGM+380+INV1+9'QTY+47:5'", 4);
    const cut = full.slice(0, full.indexOf('QTY') + 5);
    const file = parseEdifact(cut);
    expect(file.interchanges[0]!.messages[0]!.segments.map((s) => s.tag)).toEqual(['BGM', 'QTY']);
    expect(codes(file)).toEqual(['missing-unt', 'missing-unz', 'unterminated-segment']);
  });
});
