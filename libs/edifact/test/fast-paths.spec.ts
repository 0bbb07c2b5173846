// The tokenizer's fast paths: indexOf jumps between terminators, release characters, U+2019 and
// line breaks; plain segments cut from the input bytes; interned tags; the charset check as one
// regular expression. Each case pins a boundary where a fast path hands over to the careful one.
import { Buffer } from 'node:buffer';
import { decodeEdifactBytes, parseEdifact, tokenizeEdifact, type EdifactFile } from '../src/index.js';
import { codes } from './helpers.js';

const split = (text: string): [string, string[][]][] => tokenizeEdifact(text).segments.map((s) => [s.tag, s.elements]);
const messageSegments = (file: EdifactFile): [string, string[][]][] =>
  file.interchanges.flatMap((ic) => ic.messages.flatMap((m) => m.segments.map((s): [string, string[][]] => [s.tag, s.elements])));
/** The same file read from bytes (segments cut from the bytes) and from a string (cut from the text). */
const bothWays = (text: string): { fromBytes: EdifactFile; fromText: EdifactFile } =>
  ({ fromBytes: parseEdifact(Buffer.from(text, 'latin1')), fromText: parseEdifact(text) });

describe('release character at the end of the input', () => {
  it('a lone release at the very end is reported and dropped, the segment kept', () => {
    const { segments, warnings } = tokenizeEdifact("BGM+1'FTX+AAI+++note?");
    expect(codes({ warnings })).toEqual(['dangling-release', 'unterminated-segment']);
    expect(segments[1]!.elements).toEqual([['AAI'], [''], [''], ['note']]);
  });

  it('a released release at the end is text, not a dangling release', () => {
    const { segments, warnings } = tokenizeEdifact("FTX+AAI+++100???'x??");
    expect(segments[0]!.elements[3]).toEqual(["100?'x?"]);
    expect(codes({ warnings })).toEqual(['unterminated-segment']);
    expect(split("FTX+AAI+++a??")).toEqual([['FTX', [['AAI'], [''], [''], ['a?']]]]);
    expect(tokenizeEdifact("FTX+AAI+++a??").warnings.map((w) => w.code)).toEqual(['unterminated-segment']);
  });

  it('a release followed only by line breaks or blanks at the end', () => {
    for (const tail of ['?\r\n', '?\n', '?   ', '?\r\n  \r\n']) {
      const { segments, warnings } = tokenizeEdifact(`BGM+1'FTX+x${tail}`);
      expect(segments.map((s) => s.tag)).toEqual(['BGM', 'FTX']);
      expect(segments[1]!.elements[0]![0]!.startsWith('x')).toBe(true);
      expect(warnings.map((w) => w.code)).toContain('unterminated-segment');
    }
  });

  it('a release just before the terminator makes it text: the segment runs on to the next one', () => {
    const { segments, warnings } = tokenizeEdifact("BGM+1?'UNT+2+1'");
    expect(segments).toHaveLength(1);
    expect(segments[0]!.elements).toEqual([["1'UNT"], ['2'], ['1']]);
    expect(warnings).toEqual([]);
    expect(tokenizeEdifact("BGM+1?'UNT+2+1?'").warnings.map((w) => w.code)).toEqual(['unterminated-segment']);
  });

  it('from bytes and from a string alike', () => {
    for (const text of ["UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC'FTX+x?", "UNH+1+INVOIC'FTX+a??'UNT+2+1'?", "UNH+1+X'IMD+L+050+:::a?:b?+c?'d'UNT+3+1'"]) {
      const { fromBytes, fromText } = bothWays(text);
      expect(messageSegments(fromBytes)).toEqual(messageSegments(fromText));
      expect(fromBytes.warnings).toEqual(fromText.warnings);
    }
  });
});

describe('UNA with unusual separators', () => {
  it('regular-expression metacharacters as separators: ] \\ ^ - and a blank release', () => {
    const text = "UNA]\\.  -UNB\\UNOA]3\\S\\R\\1\\X-UNH\\1\\ORDERS]D]96A]UN-BGM\\220\\O1\\9-IMD\\L\\050\\]]]A^B[x]-UNT\\4\\1-UNZ\\1\\X-";
    const file = parseEdifact(Buffer.from(text));
    expect(file.interchanges[0]!.separators).toEqual({ component: ']', element: '\\', decimal: '.', release: ' ', repetition: ' ', segment: '-' });
    expect(messageSegments(file)).toEqual([['BGM', [['220'], ['O1'], ['9']]], ['IMD', [['L'], ['050'], ['', '', '', 'A^B[x', '']]]]);
    // `^` is outside level B and not one of this UNA's separators: noted once, at its first place.
    expect(codes(file)).toEqual(['charset']);
    expect(file.warnings[0]!.message).toBe(`UNB declares UNOA but the text contains "^" (U+005E) at offset ${text.indexOf('^')}; read as is`);
  });

  it('separators outside level B are not charset notes under UNOA', () => {
    const text = "UNA*|.# ~UNB|UNOA*3|S|R|1|X~UNH|1|INVOIC*D*96A*UN~BGM|380|A#|B|9~UNT|3|1~UNZ|1|X~";
    const file = parseEdifact(Buffer.from(text));
    expect(file.warnings).toEqual([]);
    expect(messageSegments(file)).toEqual([['BGM', [['380'], ['A|B'], ['9']]]]);
  });

  it('a letter declared as release character: tags holding it are read the careful way', () => {
    // UNA accepts any release that is not a separator; here it is R, which also occurs in tags.
    const { segments } = tokenizeEdifact("UNA:+.R 'BGM+380+AR+B'PRI+AAA:1'");
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([['BGM', [['380'], ['A+B']]], ['PI', [['AAA', '1']]]]);
  });

  it('a second UNA changes the terminator and release from there on', () => {
    const { segments, unas } = tokenizeEdifact("BGM+1?'x'UNA:+.! ~QTY+1'2~IMD+a!~b?~\n");
    expect(unas.map((u) => [u.segmentIndex, u.separators.segment, u.separators.release])).toEqual([[1, '~', '!']]);
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([['BGM', [["1'x"]]], ['QTY', [["1'2"]]], ['IMD', [['a~b?']]]]);
  });

  it('a UNA at the very end, or cut short, changes nothing and breaks nothing', () => {
    expect(split("BGM+1'UNA:+.? '")).toEqual([['BGM', [['1']]]]);
    const cut = tokenizeEdifact("BGM+1'UNA:+.");
    expect(cut.segments.map((s) => s.tag)).toEqual(['BGM', 'UNA']);
    expect(codes(cut)).toEqual(['bad-una', 'unterminated-segment']);
  });

  it('UNA separators that are one half each of a surrogate pair still split', () => {
    const text = 'UNA\uD83D\uDE00.? \'BGM\uDE00380\uDE00x\uD83Dy\'';
    const { segments } = tokenizeEdifact(text);
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([['BGM', [['380'], ['x', 'y']]]]);
  });
});

describe('the ’ (U+2019) terminator', () => {
  it('ends a segment when a tag follows, also across a line break, and at the end of input', () => {
    const { segments, warnings } = tokenizeEdifact('QTY+21:3’\r\nGIR+001+x:LAC’RFF+LI:1’');
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([
      ['QTY', [['21', '3']]], ['GIR', [['001'], ['x', 'LAC']]], ['RFF', [['LI', '1']]],
    ]);
    expect(warnings).toEqual([expect.objectContaining({ code: 'curly-terminator', message: expect.stringMatching(/^3 segment/) })]);
  });

  it('is text when no tag follows, and a released ’ is text too', () => {
    const { segments, warnings } = tokenizeEdifact("IMD+L+050+:::l’a’b?’RFF+x'");
    expect(segments.map((s) => [s.tag, s.elements])).toEqual([['IMD', [['L'], ['050'], ['', '', '', 'l’a’b’RFF'], ['x']]]]);
    expect(warnings).toEqual([]);
  });

  it('mixed with the ASCII terminator, from UTF-8 bytes', () => {
    const text = "UNB+UNOC:3+S+R+1+X'UNH+1+ORDRSP:D:96A:UN'BGM+231+R1+29’LIN+1+5’IMD+L+050+:::Fran’s café'UNT+5+1’UNZ+1+X'";
    const file = parseEdifact(Buffer.from(text, 'utf8'));
    expect(file.encoding).toBe('utf-8');
    expect(messageSegments(file)).toEqual([
      ['BGM', [['231'], ['R1'], ['29']]], ['LIN', [['1'], ['5']]], ['IMD', [['L'], ['050'], ['', '', '', 'Fran’s café']]],
    ]);
    expect(codes(file)).toEqual(['curly-terminator']);
  });

  it('is found however far into the file it first appears', () => {
    const body = "QTY+47:1'".repeat(5000);
    const { segments, warnings } = tokenizeEdifact(`${body}RFF+LI:1’MOA+203:1'`);
    expect(segments).toHaveLength(5002);
    expect(segments[5000]!.elements).toEqual([['LI', '1']]);
    expect(warnings.map((w) => w.code)).toEqual(['curly-terminator']);
  });
});

describe('segments cut from the bytes', () => {
  it('give the same segments as the text for ASCII, ISO 8859-1 and UTF-8 input', () => {
    const text = "UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'IMD+L+050+:::Caf\u00e9 ?+ cr\u00e8me'QTY+47:2'FTX+AAI+++wra\r\npped'UNT+5+1'UNZ+1+X'";
    const latin1 = parseEdifact(Buffer.from(text, 'latin1'));
    const utf8 = parseEdifact(Buffer.from(text, 'utf8'));
    const ascii = parseEdifact(Buffer.from(text.replace(/[^\x00-\x7f]/g, 'e')));
    expect([latin1.encoding, utf8.encoding, ascii.encoding]).toEqual(['latin1', 'utf-8', 'ascii']);
    expect(messageSegments(latin1)).toEqual(messageSegments(utf8));
    expect(messageSegments(ascii)[0]![1][2]).toEqual(['', '', '', 'Cafe + creme']);
    expect(messageSegments(utf8)[2]![1][3]).toEqual(['wrapped']);
  });

  it('do not change when the caller reuses its buffer after parsing', () => {
    const bytes = Buffer.from("UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'QTY+47:2'RFF+LI:77/1'UNT+4+1'UNZ+1+X'");
    const file = parseEdifact(bytes);
    bytes.fill(0x2b); // every byte now an element separator
    expect(messageSegments(file)).toEqual([['QTY', [['47', '2']]], ['RFF', [['LI', '77/1']]]]);
  });

  it('a BOM makes the input UTF-8, not ASCII, and is not part of the first segment', () => {
    const decoded = decodeEdifactBytes(Buffer.from("\ufeffUNB+UNOC:3+S+R+1+X'", 'utf8'));
    expect(decoded.encoding).toBe('utf-8');
    expect(split(decoded.text)).toEqual([['UNB', [['UNOC', '3'], ['S'], ['R'], ['1'], ['X']]]]);
  });

  it('segments without an element, with a component in the tag, and with only separators', () => {
    for (const text of ["UNS'", "UNS:1+S'", "UNS+'", "UNS++'", "UNS+:'", "UNS:'"]) {
      const { fromBytes, fromText } = bothWays(`UNH+1+X'${text}UNT+3+1'`);
      expect(messageSegments(fromBytes)).toEqual(messageSegments(fromText));
    }
    expect(split("UNS'UNS:1+S'UNS+'UNS++'UNS:'")).toEqual([
      ['UNS', []], ['UNS', [['S']]], ['UNS', [['']]], ['UNS', [[''], ['']]], ['UNS', []],
    ]);
  });
});

describe('tags', () => {
  it('known and unknown tags read alike, including lower case and digits', () => {
    expect(split("BGM+1'ZZ9+2'X1Y:3+4'bgm+5'")).toEqual([['BGM', [['1']]], ['ZZ9', [['2']]], ['X1Y', [['4']]], ['bgm', [['5']]]]);
    expect(tokenizeEdifact("bgm+5'").warnings.map((w) => w.code)).toEqual(['bad-tag']);
  });

  it('a three-character tag followed directly by the terminator', () => {
    expect(split("UNS'BGM'")).toEqual([['UNS', []], ['BGM', []]]);
  });
});
