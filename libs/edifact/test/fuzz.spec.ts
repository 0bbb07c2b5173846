// Hostile input: nothing may escape parseEdifact, and whatever it returns must be well formed.
import { Buffer } from 'node:buffer';
import { readdirSync, readFileSync } from 'node:fs';
import { prng } from '../../../test/support/prng.js';
import { fixturePath, haveFixtures } from '../../../test/support/fixtures.js';
import { mapTradeMessage, parseEdifact, type EdifactFile } from '../src/index.js';
import { codes } from './helpers.js';

const SEED_MESSAGE = [
  "UNA:+.? '", "UNB+UNOC:3+5013546027173:14+5013546098818:14+240101:1200+REF1'", "UNG+INVOIC+S+R+240101:1200+G1+UN+D:96A'",
  "UNH+M1+INVOIC:D:96A:UN:EAN008'", "BGM+380+INV1+9'", "DTM+137:20240101:102'", "NAD+SU+123::9'", "CUX+2:GBP:4'",
  "ALC+C++++DL'", "MOA+8:1.50'", "LIN+1++9780306406157:EN'", "PIA+5+0306406152:IB'", "IMD+L+050+:::Who?'s who'",
  "QTY+47:2'", "GIR+001+3400:LAC+MAIN:LLO'", "GIR+001+FIC:LST'", "PRI+AAA:9.99'", "MOA+203:19.98'", "TAX+7+VAT+++:::0+Z'",
  "MOA+124:0'", "ALC+A++++DI'", "PCD+3:10'", "RFF+LI:1/1'", "UNS+S'", "CNT+2:1'", "MOA+86:21.48'", "UNT+24+M1'", "UNE+1+G1'", "UNZ+1+REF1'",
].join('\r\n');

const problems: string[] = [];
const check = (cond: boolean, what: string): void => {
  if (!cond && problems.length < 20) problems.push(what);
};

function exercise(input: Buffer | string): EdifactFile {
  let file: EdifactFile | undefined;
  try {
    file = parseEdifact(input);
    for (const ic of file.interchanges) for (const m of ic.messages) mapTradeMessage(m);
  } catch (err) {
    check(false, `threw ${String(err)} on ${JSON.stringify(input.toString().slice(0, 200))}`);
  }
  if (file) {
    check(Array.isArray(file.interchanges) && Array.isArray(file.warnings), 'malformed result');
    check(file.warnings.every((w) => typeof w.code === 'string' && typeof w.message === 'string'), 'malformed warning');
    const segments = file.interchanges.flatMap((ic) => ic.messages.flatMap((m) => m.segments));
    check(segments.every((s) => typeof s.tag === 'string' && s.elements.every((e) => e.length > 0)), 'malformed segment');
    // A segment whose tag is not three letters/digits never goes unreported.
    check(segments.every((s) => /^[A-Z0-9]{3}$/.test(s.tag)) || file.warnings.some((w) => w.code === 'bad-tag'), `bad tag unreported: ${JSON.stringify(input.toString().slice(0, 300))}`);
  }
  return file!;
}

function mutate(base: Buffer, rnd: () => number): Buffer {
  const bytes = Buffer.from(base);
  const ops = 1 + Math.floor(rnd() * 8);
  let out = bytes;
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(rnd() * out.length);
    const op = Math.floor(rnd() * 6);
    if (op === 0) out[at] = Math.floor(rnd() * 256);
    else if (op === 1) out[at] = "'+:?\n’".charCodeAt(Math.floor(rnd() * 5));
    else if (op === 2) out = out.subarray(0, at);
    else if (op === 3) out = Buffer.concat([out.subarray(0, at), out.subarray(Math.min(out.length, at + Math.floor(rnd() * 40)))]);
    else if (op === 4) out = Buffer.concat([out.subarray(0, at), Buffer.from('UNA^<.? >'), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(at, at + Math.floor(rnd() * 60)), out.subarray(at)]);
  }
  return out;
}

describe('fuzz: parseEdifact never throws', () => {
  const expectNoProblems = (): void => {
    expect(problems.splice(0)).toEqual([]);
  };

  it('random bytes (seeded)', () => {
    const rnd = prng(0xed1fac7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 300);
      const b = Buffer.alloc(len);
      for (let j = 0; j < len; j++) b[j] = Math.floor(rnd() * 256);
      exercise(b);
    }
    expectNoProblems();
  });

  it('random strings over the EDIFACT alphabet (seeded)', () => {
    const rnd = prng(20240101);
    const alphabet = "UNABGHTZLIMQ0123456789+:?'’ \r\n^<>.*";
    for (let i = 0; i < 3000; i++) {
      let s = Math.floor(rnd() * 4) === 0 ? 'UNA' : '';
      const len = Math.floor(rnd() * 200);
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      exercise(s);
    }
    expectNoProblems();
  });

  it('mutations of a valid interchange and of every shared fixture (seeded)', () => {
    const rnd = prng(7);
    const bases = [Buffer.from(SEED_MESSAGE)];
    if (haveFixtures('edifact')) for (const f of readdirSync(fixturePath('edifact'))) bases.push(readFileSync(fixturePath('edifact', f)));
    const clean = exercise(bases[0]!);
    expect(clean.warnings).toEqual([]);
    expect(clean.interchanges[0]!.messages[0]!.segments).toHaveLength(22);
    for (let i = 0; i < 3000; i++) exercise(mutate(bases[i % bases.length]!, rnd));
    expectNoProblems();
  });

  it('segments cut from the bytes equal segments cut from the text, under random UNAs (seeded)', () => {
    // parseEdifact(bytes) splits plain segments from its copy of the bytes, parseEdifact(string) from
    // the text: both must give the same file. Separators drawn from awkward characters, including
    // regular-expression metacharacters and a blank or letter release.
    const rnd = prng(0x5e9a);
    const pick = (chars: string): string => chars[Math.floor(rnd() * chars.length)]!;
    const seps = ":+'?^<>*|~]\\-[$. R";
    for (let i = 0; i < 1500; i++) {
      const una = rnd() < 0.7 ? `UNA${pick(seps)}${pick(seps)}.${pick(seps)} ${pick(seps)}` : '';
      // ISO 8859-1 only, so that the bytes are the text (’ has its own cases in fast-paths.spec.ts).
      const alphabet = `${una.slice(3)}UNBHTZLIQ0123456789 \r\né`;
      let body = '';
      const len = Math.floor(rnd() * 160);
      for (let j = 0; j < len; j++) body += rnd() < 0.3 ? pick(alphabet) : pick('ABCGIMNQRSTXY');
      const text = `${una}UNB+UNOB:3+S+R+1+X'UNH+1+INVOIC'${body}`;
      const fromBytes = exercise(Buffer.from(text, 'latin1'));
      const fromText = exercise(text);
      const view = (f: EdifactFile): string => JSON.stringify([f.interchanges, f.warnings.filter((w) => w.code !== 'decoding')]);
      check(view(fromBytes) === view(fromText), `bytes and text differ on ${JSON.stringify(text)}`);
    }
    expectNoProblems();
  });

  it('every truncation of a valid interchange', () => {
    for (let i = 0; i <= SEED_MESSAGE.length; i++) exercise(SEED_MESSAGE.slice(0, i));
    expectNoProblems();
  });

  it('pathological repetition: warnings stay aggregated', () => {
    const file = exercise('UNA'.repeat(300_000) + "''''".repeat(100_000) + 'x+'.repeat(100_000));
    expect(file.warnings.length).toBeLessThan(30);
    expect(codes(file)).toEqual(expect.arrayContaining(['bad-una', 'empty-segment', 'bad-tag']));
    expectNoProblems();
  });

  it('huge input: 20,000 invoice lines and a 5 MB segment', () => {
    const line = "LIN+1++9780306406157:EN'QTY+47:1'GIR+001+3400:LAC+MAIN:LLO'PRI+AAA:9.99'MOA+203:9.99'RFF+LI:1/1'";
    const body = line.repeat(20_000);
    const text = `UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'BGM+380+1+9'${body}UNS+S'UNT+${3 + 6 * 20_000 + 1}+1'UNZ+1+X'`;
    const file = exercise(Buffer.from(text));
    expect(file.warnings).toEqual([]);
    expect(mapTradeMessage(file.interchanges[0]!.messages[0]!).lines).toHaveLength(20_000);
    const big = exercise(`UNB+UNOC:3+S+R+1+X'UNH+1+INVOIC:D:96A:UN'FTX+LIN+++${'x?+'.repeat(1_700_000)}'UNT+3+1'UNZ+1+X'`);
    expect(big.warnings).toEqual([]);
    expect(big.interchanges[0]!.messages[0]!.segments[0]!.elements[3]![0]).toHaveLength(2 * 1_700_000);
    expectNoProblems();
  });
});
