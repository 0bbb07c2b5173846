/**
 * EDIFACT parsing throughput: @carrel/edifact against the npm `edifact` package (1.2.12, its Reader),
 * on the same bytes: every shared fixture file and a generated 5,000-line invoice.
 *
 *   node scripts/build.js && node --expose-gc dist/bench/edifact-parse.js
 *
 * The npm Reader takes a string, so it is given text we decoded; ours is timed from the raw bytes
 * (decoding, tokenizing and envelope checks included) and, separately, the tokenizer alone on text.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { decodeEdifactBytes, mapTradeMessage, parseEdifact, tokenizeEdifact } from '@carrel/edifact';

// createRequire rather than `import`: the package is CommonJS with no type declarations.
const require = createRequire(import.meta.url);
const { Reader } = require('edifact') as { Reader: new (config?: object) => { parse(text: string): { name: string }[] } };

interface Sample { name: string; bytes: Buffer; text: string }

function makeInvoice(lines: number): Buffer {
  const body: string[] = [];
  for (let i = 1; i <= lines; i++) {
    body.push(
      `LIN+${i}++978030640${String(i).padStart(4, '0')}:EN'`, `PIA+5+030640${String(i).padStart(4, '0')}:IB'`,
      `IMD+L+050+:::A title for line ${i}?: with a release'`, `IMD+L+009+:::Author, An'`, `QTY+47:2'`,
      `GIR+001+3400${i}1:LAC+MAIN:LLO+ADULT:LFN+FIC:LST'`, `GIR+002+3400${i}2:LAC+BR2:LLO+ADULT:LFN+FIC:LST'`,
      `MOA+203:19.980'`, `MOA+52:2.00'`, `PRI+AAA:9.990'`, `PRI+AAB:10.99'`, `RFF+LI:77/${i}'`,
      `TAX+7+VAT+++:::0+Z'`, `MOA+124:0'`, `ALC+A++++DI::28'`, `PCD+3:15'`, `MOA+8:2.00'`,
    );
  }
  const msg = [`UNH+1+INVOIC:D:96A:UN:EAN008'`, `BGM+380+INV1+9'`, `DTM+137:20240105:102'`, `NAD+SU+5013546027173::9'`, `CUX+2:GBP:4'`,
    ...body, `UNS+S'`, `CNT+2:${lines}'`, `MOA+86:${(lines * 19.98).toFixed(2)}'`];
  return Buffer.from(`UNA:+.? 'UNB+UNOC:3+5013546027173:14+5013546098818:14+240101:1200+REF1'${msg.join('\n')}UNT+${msg.length + 1}+1'UNZ+1+REF1'`);
}

// Each figure starts from a collected heap (run with --expose-gc), so one measurement's garbage
// is not billed to the next.
const gc = (globalThis as { gc?: () => void }).gc;

function time(fn: () => void, minSeconds = 0.5): number {
  gc?.();
  fn(); // warm-up
  let rounds = 0;
  const t = process.hrtime.bigint();
  let s = 0;
  do { fn(); rounds++; s = Number(process.hrtime.bigint() - t) / 1e9; } while (s < minSeconds);
  return s / rounds;
}

function report(label: string, samples: Sample[]): void {
  const bytes = samples.reduce((n, x) => n + x.bytes.length, 0);
  const messages = samples.reduce((n, x) => n + parseEdifact(x.bytes).interchanges.reduce((k, ic) => k + ic.messages.length, 0), 0);

  // npm edifact: find once which files it cannot read at all, then time it on the ones it can.
  const npmOk: Sample[] = [];
  const npmFailed: string[] = [];
  for (const x of samples) {
    try { new Reader().parse(x.text); npmOk.push(x); } catch (err) { npmFailed.push(`${x.name} (${String((err as Error).message).split('\n')[0]!.slice(0, 70)})`); }
  }
  const okBytes = npmOk.reduce((n, x) => n + x.bytes.length, 0);
  const okMessages = npmOk.reduce((n, x) => n + parseEdifact(x.bytes).interchanges.reduce((k, ic) => k + ic.messages.length, 0), 0);

  const ours = time(() => { for (const x of samples) parseEdifact(x.bytes); });
  const oursOnNpmSet = time(() => { for (const x of npmOk) parseEdifact(x.bytes); });
  const tokOnNpmSet = time(() => { for (const x of npmOk) tokenizeEdifact(x.text); });
  // Segments are split into elements when read; this reads every one, which is the work npm's Reader does.
  const splitAll = (list: Sample[]) => () => {
    for (const x of list) for (const ic of parseEdifact(x.bytes).interchanges) for (const m of ic.messages) for (const seg of m.segments) void seg.elements;
  };
  const splitOnNpmSet = time(splitAll(npmOk));
  const split = time(splitAll(samples));
  const mapped = time(() => { for (const x of samples) for (const ic of parseEdifact(x.bytes).interchanges) for (const m of ic.messages) mapTradeMessage(m); });
  const npm = npmOk.length ? time(() => { for (const x of npmOk) new Reader().parse(x.text); }) : NaN;
  const read = time(() => { for (const x of samples) decodeEdifactBytes(x.bytes); });

  const mbs = (b: number, s: number): string => `${(b / s / 1e6).toFixed(1).padStart(7)} MB/s`;
  const mps = (m: number, s: number): string => `${Math.round(m / s).toLocaleString('en-US').padStart(10)} messages/s`;
  console.log(`\n${label}: ${samples.length} file(s), ${bytes.toLocaleString('en-US')} bytes, ${messages} messages`);
  console.log(`  decode bytes only (reference)        ${mbs(bytes, read)}`);
  console.log(`  @carrel/edifact parseEdifact         ${mbs(bytes, ours)}  ${mps(messages, ours)}`);
  console.log(`  @carrel/edifact + every split        ${mbs(bytes, split)}  ${mps(messages, split)}`);
  console.log(`  @carrel/edifact + mapTradeMessage    ${mbs(bytes, mapped)}  ${mps(messages, mapped)}`);
  console.log(`  npm edifact: failed on ${npmFailed.length} of ${samples.length}${npmFailed.length ? ':' : ''}`);
  for (const f of npmFailed) console.log(`    - ${f}`);
  if (npmOk.length) {
    console.log(`  on the ${npmOk.length} file(s) npm edifact reads (${okBytes.toLocaleString('en-US')} bytes, ${okMessages} messages):`);
    console.log(`    npm edifact Reader.parse         ${mbs(okBytes, npm)}  ${mps(okMessages, npm)}`);
    console.log(`    @carrel/edifact parseEdifact     ${mbs(okBytes, oursOnNpmSet)}  ${mps(okMessages, oursOnNpmSet)}  ratio ${(npm / oursOnNpmSet).toFixed(1)}x`);
    console.log(`    @carrel/edifact + every split    ${mbs(okBytes, splitOnNpmSet)}  ${mps(okMessages, splitOnNpmSet)}  ratio ${(npm / splitOnNpmSet).toFixed(1)}x`);
    console.log(`    @carrel/edifact tokenizer only   ${mbs(okBytes, tokOnNpmSet)}  ratio ${(npm / tokOnNpmSet).toFixed(1)}x`);
  }
}

const sample = (name: string, bytes: Buffer): Sample => ({ name, bytes, text: decodeEdifactBytes(bytes).text });

report('generated invoice, 5,000 lines', [sample('generated-5000.inv', makeInvoice(5_000))]);
const dir = path.resolve(process.env.CARREL_FIXTURES ?? path.join(process.cwd(), '..', 'shared', 'fixtures'), 'edifact');
if (existsSync(dir)) report('shared fixtures', readdirSync(dir).sort().map((f) => sample(f, readFileSync(path.join(dir, f)))));
else console.log(`\nshared fixtures: not measured (${dir} absent)`);
