/**
 * EDIFACT throughput of @carrel/edifact.
 *
 *   npm run bench:edifact-parse                 (= node scripts/build.js && node --expose-gc dist/bench/edifact-parse.js)
 *   npm run bench:edifact-parse -- --rounds 9   (median of 9 timed rounds instead of 5)
 *
 * 1. Large generated files (invoices, order responses, despatch advices, many messages each):
 *    messages/s and segments/s for parsing, for parsing with every segment split into elements, and
 *    through the mappers into typed documents, beside the rate of simply reading the same bytes
 *    (decoding them to text, and decoding plus a split on the segment terminator).
 * 2. Against the npm `edifact` package (1.2.12, its Reader) on the same bytes: a generated 5,000-line
 *    invoice and every shared fixture it can read. The work is made the same on both sides: npm's
 *    Reader builds every segment's elements, so ours is timed with every segment split ("+ every
 *    split"); ours starts from the raw bytes (decoding and envelope checks included) while npm is
 *    given text we decoded for it. npm is timed both with a new Reader per file and with one Reader
 *    reused (same results on these files, less setup); ratios are against the faster of the two.
 *
 * Every figure is the median of several timed rounds of at least 0.2 s of this process's CPU time
 * (bench/median.ts: the machine is shared; `--wall` for wall time), each figure started from a collected
 * heap (run with --expose-gc) so one figure's garbage is not billed to the next.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { decodeEdifactBytes, mapTradeMessage, parseEdifact, tokenizeEdifact, type EdifactFile } from '@carrel/edifact';
import { medianSeconds, timingNote } from './median.js';

// createRequire rather than `import`: the package is CommonJS with no type declarations.
const require = createRequire(import.meta.url);
const { Reader } = require('edifact') as { Reader: new (config?: object) => { parse(text: string): { name: string }[] } };


interface Sample { name: string; bytes: Buffer; text: string }

const pad = (n: number, w = 4): string => String(n).padStart(w, '0');
const UNA_UNB = (ref: string, app: string): string => `UNA:+.? 'UNB+UNOC:3+5013546027173:14+5013546098818:14+240101:1200+${ref}++${app}'`;

/** One interchange of `count` messages: UNH, the body `message(m)` writes, UNT with its true count. */
function interchange(app: string, type: string, count: number, message: (m: number) => string[]): Buffer {
  const parts = [UNA_UNB('REF1', app)];
  for (let m = 1; m <= count; m++) {
    const body = message(m);
    parts.push(`UNH+M${m}+${type}:D:96A:UN:EAN008'`, ...body, `UNT+${body.length + 2}+M${m}'`);
  }
  parts.push(`UNZ+${count}+REF1'`);
  // Line breaks after each segment, as most vendors send them.
  return Buffer.from(parts.join('\n'));
}

function invoiceLine(i: number): string[] {
  return [
    `LIN+${i}++978030640${pad(i % 10_000)}:EN'`, `PIA+5+030640${pad(i % 10_000)}:IB'`,
    `IMD+L+050+:::A title for line ${i}?: with a release'`, `IMD+L+009+:::Author, An'`, `QTY+47:2'`,
    `GIR+001+3400${i}1:LAC+MAIN:LLO+ADULT:LFN+FIC:LST'`, `GIR+002+3400${i}2:LAC+BR2:LLO+ADULT:LFN+FIC:LST'`,
    `MOA+203:19.980'`, `MOA+52:2.00'`, `PRI+AAA:9.990'`, `PRI+AAB:10.99'`, `RFF+LI:77/${i}'`,
    `TAX+7+VAT+++:::0+Z'`, `MOA+124:0'`, `ALC+A++++DI::28'`, `PCD+3:15'`, `MOA+8:2.00'`,
  ];
}

/** The historical sample: one INVOIC of `lines` lines (as in the first EDIFACT figures). */
function makeInvoice(lines: number): Buffer {
  const body: string[] = [];
  for (let i = 1; i <= lines; i++) body.push(...invoiceLine(i));
  const msg = [`UNH+1+INVOIC:D:96A:UN:EAN008'`, `BGM+380+INV1+9'`, `DTM+137:20240105:102'`, `NAD+SU+5013546027173::9'`, `CUX+2:GBP:4'`,
    ...body, `UNS+S'`, `CNT+2:${lines}'`, `MOA+86:${(lines * 19.98).toFixed(2)}'`];
  return Buffer.from(`UNA:+.? 'UNB+UNOC:3+5013546027173:14+5013546098818:14+240101:1200+REF1'${msg.join('\n')}UNT+${msg.length + 1}+1'UNZ+1+REF1'`);
}

const makeInvoices = (messages: number, lines: number): Buffer => interchange('INVOIC', 'INVOIC', messages, (m) => {
  const body = [`BGM+380+INV${m}+9'`, `DTM+137:20240105:102'`, `DTM+131:20240105:102'`, `RFF+VA:GB123'`,
    `NAD+BY+5013546098818::9'`, `NAD+SU+5013546027173::9'`, `CUX+2:GBP:4'`, `ALC+C++++DL'`, `MOA+8:1.50'`];
  for (let i = 1; i <= lines; i++) body.push(...invoiceLine(m * 1000 + i));
  body.push(`UNS+S'`, `CNT+2:${lines}'`, `MOA+79:${(lines * 19.98).toFixed(2)}'`, `MOA+86:${(lines * 19.98 + 1.5).toFixed(2)}'`,
    `TAX+7+VAT+++:::0+Z'`, `MOA+124:0'`);
  return body;
});

const makeOrderResponses = (messages: number, lines: number): Buffer => interchange('ORDRSP', 'ORDRSP', messages, (m) => {
  const body = [`BGM+231+R${m}+29'`, `DTM+137:20240105:102'`, `RFF+ON:ORD${m}'`, `NAD+BY+5013546098818::9'`, `NAD+SU+5013546027173::9'`, `CUX+2:GBP:4'`];
  for (let i = 1; i <= lines; i++) {
    const action = i % 7 === 0 ? '2' : i % 5 === 0 ? '3' : '5';
    body.push(`LIN+${i}+${action}+978030640${pad(i)}:EN'`, `PIA+5+030640${pad(i)}:IB'`, `IMD+L+050+:::Title ${m}/${i}'`,
      `QTY+21:2'`, ...(action === '3' ? [`QTY+83:1'`, `DTM+44:20240301:102'`] : []),
      ...(action === '2' ? [`FTX+LIN++01:8B:28'`] : []), `PRI+AAB:10.99'`, `RFF+LI:ORD${m}/${i}'`);
  }
  body.push(`UNS+S'`, `CNT+2:${lines}'`);
  return body;
});

const makeDespatchAdvices = (messages: number, lines: number): Buffer => interchange('DESADV', 'DESADV', messages, (m) => {
  const body = [`BGM+351+D${m}+9'`, `DTM+137:20240105:102'`, `DTM+11:20240104:102'`, `RFF+ON:ORD${m}'`,
    `NAD+BY+5013546098818::9'`, `NAD+SU+5013546027173::9'`, `NAD+DP+5013546098818::9'`, `CPS+1'`, `PAC+1++CT'`];
  for (let i = 1; i <= lines; i++) {
    body.push(`LIN+${i}++978030640${pad(i)}:EN'`, `PIA+5+030640${pad(i)}:IB'`, `QTY+12:2'`,
      `GIR+001+39${pad(m, 5)}${pad(i)}1:LAC+MAIN:LLO+ADULT:LFN'`, `GIR+002+39${pad(m, 5)}${pad(i)}2:LAC+BR2:LLO+ADULT:LFN'`,
      `RFF+LI:ORD${m}/${i}'`, `RFF+ON:ORD${m}'`);
  }
  body.push(`CNT+2:${lines}'`);
  return body;
});


const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const mbs = (b: number, s: number): string => `${(b / s / 1e6).toFixed(1).padStart(7)} MB/s`;
const rate = (n: number, s: number, what: string): string => `${fmt(n / s).padStart(11)} ${what}`;
const messagesIn = (f: EdifactFile): number => f.interchanges.reduce((k, ic) => k + ic.messages.length, 0);
const splitEvery = (f: EdifactFile): void => {
  for (const ic of f.interchanges) for (const m of ic.messages) for (const seg of m.segments) void seg.elements;
};
const mapEvery = (f: EdifactFile): void => {
  for (const ic of f.interchanges) for (const m of ic.messages) mapTradeMessage(m);
};

/** Part 1: one large generated file; every rate beside the rate of reading its bytes. */
function throughput(label: string, bytes: Buffer): void {
  const file = parseEdifact(bytes);
  if (file.warnings.length) throw new Error(`${label}: generated file has warnings: ${JSON.stringify(file.warnings.slice(0, 3))}`);
  const messages = messagesIn(file);
  const segments = tokenizeEdifact(decodeEdifactBytes(bytes).text).segments.length;
  const lines = file.interchanges.reduce((k, ic) => k + ic.messages.reduce((l, m) => l + mapTradeMessage(m).lines.length, 0), 0);

  const rows: [string, number][] = [
    ['read: decode the bytes to text', medianSeconds(() => { decodeEdifactBytes(bytes); })],
    ["read: decode + split on the terminator", medianSeconds(() => { decodeEdifactBytes(bytes).text.split("'"); })],
    ['parseEdifact', medianSeconds(() => { parseEdifact(bytes); })],
    ['parseEdifact + every segment split', medianSeconds(() => { splitEvery(parseEdifact(bytes)); })],
    ['parseEdifact + mapTradeMessage', medianSeconds(() => { mapEvery(parseEdifact(bytes)); })],
  ];
  console.log(`\n${label}: ${(bytes.length / 1e6).toFixed(1)} MB, ${fmt(messages)} messages, ${fmt(segments)} segments, ${fmt(lines)} lines`);
  for (const [what, s] of rows) {
    console.log(`  ${what.padEnd(40)} ${mbs(bytes.length, s)} ${rate(messages, s, 'messages/s')} ${rate(segments, s, 'segments/s')}  ${(s * 1e3).toFixed(1).padStart(7)} ms`);
  }
}

/** Part 2: ours against npm `edifact` on the same bytes. */
function versusNpm(label: string, samples: Sample[]): void {
  const bytes = samples.reduce((n, x) => n + x.bytes.length, 0);
  const messages = samples.reduce((n, x) => n + messagesIn(parseEdifact(x.bytes)), 0);

  // npm edifact: find once which files it cannot read at all, then time it on the ones it can.
  const npmOk: Sample[] = [];
  const npmFailed: string[] = [];
  for (const x of samples) {
    try { new Reader().parse(x.text); npmOk.push(x); } catch (err) { npmFailed.push(`${x.name} (${String((err as Error).message).split('\n')[0]!.slice(0, 70)})`); }
  }
  const okBytes = npmOk.reduce((n, x) => n + x.bytes.length, 0);
  const okMessages = npmOk.reduce((n, x) => n + messagesIn(parseEdifact(x.bytes)), 0);

  const ours = medianSeconds(() => { for (const x of samples) parseEdifact(x.bytes); });
  const split = medianSeconds(() => { for (const x of samples) splitEvery(parseEdifact(x.bytes)); });
  const mapped = medianSeconds(() => { for (const x of samples) mapEvery(parseEdifact(x.bytes)); });
  const read = medianSeconds(() => { for (const x of samples) decodeEdifactBytes(x.bytes); });

  console.log(`\n${label}: ${samples.length} file(s), ${bytes.toLocaleString('en-US')} bytes, ${messages} messages`);
  console.log(`  decode bytes only (reference)        ${mbs(bytes, read)}`);
  console.log(`  @carrel/edifact parseEdifact         ${mbs(bytes, ours)} ${rate(messages, ours, 'messages/s')}`);
  console.log(`  @carrel/edifact + every split        ${mbs(bytes, split)} ${rate(messages, split, 'messages/s')}`);
  console.log(`  @carrel/edifact + mapTradeMessage    ${mbs(bytes, mapped)} ${rate(messages, mapped, 'messages/s')}`);
  console.log(`  npm edifact: failed on ${npmFailed.length} of ${samples.length}${npmFailed.length ? ':' : ''}`);
  for (const f of npmFailed) console.log(`    - ${f}`);
  if (!npmOk.length) return;

  const reader = new Reader();
  const npmNew = medianSeconds(() => { for (const x of npmOk) new Reader().parse(x.text); });
  const npmReused = medianSeconds(() => { for (const x of npmOk) reader.parse(x.text); });
  const npm = Math.min(npmNew, npmReused);
  const oursOnNpmSet = medianSeconds(() => { for (const x of npmOk) parseEdifact(x.bytes); });
  const splitOnNpmSet = medianSeconds(() => { for (const x of npmOk) splitEvery(parseEdifact(x.bytes)); });
  const tokOnNpmSet = medianSeconds(() => { for (const x of npmOk) tokenizeEdifact(x.text); });
  const ratio = (s: number): string => `ratio ${(npm / s).toFixed(1)}x`;
  console.log(`  on the ${npmOk.length} file(s) npm edifact reads (${okBytes.toLocaleString('en-US')} bytes, ${okMessages} messages):`);
  console.log(`    npm edifact, new Reader per file  ${mbs(okBytes, npmNew)} ${rate(okMessages, npmNew, 'messages/s')}`);
  console.log(`    npm edifact, one Reader reused    ${mbs(okBytes, npmReused)} ${rate(okMessages, npmReused, 'messages/s')}`);
  console.log(`    @carrel/edifact parseEdifact      ${mbs(okBytes, oursOnNpmSet)} ${rate(okMessages, oursOnNpmSet, 'messages/s')}  ${ratio(oursOnNpmSet)}`);
  console.log(`    @carrel/edifact + every split     ${mbs(okBytes, splitOnNpmSet)} ${rate(okMessages, splitOnNpmSet, 'messages/s')}  ${ratio(splitOnNpmSet)}`);
  console.log(`    @carrel/edifact tokenizer only    ${mbs(okBytes, tokOnNpmSet)}  ${ratio(tokOnNpmSet)}`);
}

const sample = (name: string, bytes: Buffer): Sample => ({ name, bytes, text: decodeEdifactBytes(bytes).text });

console.log(`EDIFACT throughput, ${timingNote()}`);
throughput('invoices (INVOIC), 1,000 messages x 20 lines', makeInvoices(1_000, 20));
throughput('order responses (ORDRSP), 2,000 messages x 10 lines', makeOrderResponses(2_000, 10));
throughput('despatch advices (DESADV), 1,000 messages x 20 lines', makeDespatchAdvices(1_000, 20));

versusNpm('generated invoice, 5,000 lines', [sample('generated-5000.inv', makeInvoice(5_000))]);
const dir = path.resolve(process.env.CARREL_FIXTURES ?? path.join(process.cwd(), '..', 'shared', 'fixtures'), 'edifact');
if (existsSync(dir)) versusNpm('shared fixtures', readdirSync(dir).sort().map((f) => sample(f, readFileSync(path.join(dir, f)))));
else console.log(`\nshared fixtures: NOT MEASURED (${dir} absent; set CARREL_FIXTURES to the fixtures folder)`);
