import { Buffer } from 'node:buffer';
import { SipFrameReader, adviseReply, buildMessage, buildTyped, readMessage, toTyped, SIP_MESSAGE_IDS, type SipParseResult } from '../src/index.js';
import { FRAMES, prng } from './helpers.js';

const CHARSETS = ['utf-8', 'cp850', 'iso-8859-1', 'ascii'] as const;

// Plain checks collected into a list: thousands of expect() calls would make the suite slow, not stricter.
const problems: string[] = [];
const check = (cond: boolean, what: string): void => {
  if (!cond && problems.length < 20) problems.push(what);
};
const ACTIONS = ['process', 'resend-last', 'request-resend', 'negative'];

function checkResult(r: SipParseResult, frame: Buffer): void {
  const where = JSON.stringify(frame.toString('latin1'));
  check(r.ok === (r.errors.length === 0), `ok disagrees with errors: ${where}`);
  check(Array.isArray(r.message.fields) && typeof r.message.id === 'string', `malformed result: ${where}`);
  check(ACTIONS.includes(adviseReply(r).action), `no advice: ${where}`);
}

/** Everything the server does with a frame; none of it may throw. */
function exercise(frame: Buffer, rnd: () => number): SipParseResult {
  const charset = CHARSETS[Math.floor(rnd() * CHARSETS.length)]!;
  const r = readMessage(frame, { charset, checksum: rnd() < 0.3 ? 'require' : 'verify' });
  checkResult(r, frame);
  const t = toTyped(r.message);
  if (r.def) {
    check(t !== undefined, 'known message without typed form');
    // Whatever was read can be written again, and what is written reads back without errors.
    const out = buildTyped(t!.typed.id, t!.typed.value as never, { charset, errorDetection: true, sequence: r.sequence ?? 0 });
    const back = readMessage(out, { charset, checksum: 'require' });
    check(back.errors.length === 0, `rebuilt frame has errors ${JSON.stringify(back.errors)}: ${JSON.stringify(frame.toString('latin1'))}`);
    if (r.message.fixed.length === r.def.fixed.length) buildMessage(r.message, { charset });
  } else {
    check(t === undefined, 'unknown message with typed form');
  }
  return r;
}

describe('fuzz: the codec never throws', () => {
  it('random bytes (4,000 frames)', () => {
    const rnd = prng(20240301);
    let ok = 0;
    for (let i = 0; i < 4000; i++) {
      const len = Math.floor(rnd() * 120);
      const b = Buffer.alloc(len);
      // Half the frames start with a real message id so the fixed/variable parsing is reached.
      for (let j = 0; j < len; j++) b[j] = Math.floor(rnd() * 256);
      if (len >= 2 && rnd() < 0.5) b.write(SIP_MESSAGE_IDS[Math.floor(rnd() * SIP_MESSAGE_IDS.length)]!, 0, 'latin1');
      if (exercise(b, rnd).ok) ok++;
    }
    expect(problems).toEqual([]);
    expect(ok).toBeLessThan(4000);
  });

  it('mutated valid frames (8,000 frames)', () => {
    const rnd = prng(42);
    const seeds = Object.values(FRAMES).map((f) => Buffer.from(f + 'AY1AZ0000\r', 'latin1'));
    const alphabet = Buffer.from('|\r\nAYZ09YNU \x00\xff\xc3\xa9AOABAZ', 'latin1');
    const kinds = new Set<string>();
    for (let i = 0; i < 8000; i++) {
      let b = Buffer.from(seeds[Math.floor(rnd() * seeds.length)]!);
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (b.length + 1));
        const op = Math.floor(rnd() * 5);
        if (op === 0 && b.length > 0) b[Math.min(at, b.length - 1)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
        else if (op === 1) b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + Math.floor(rnd() * 5))]);
        else if (op === 2) b = Buffer.concat([b.subarray(0, at), Buffer.from([alphabet[Math.floor(rnd() * alphabet.length)]!]), b.subarray(at)]);
        else if (op === 3) b = b.subarray(0, at);
        else b = Buffer.concat([b, b.subarray(0, at)]);
      }
      const r = exercise(b, rnd);
      for (const err of r.errors) kinds.add(err.code);
    }
    expect(problems).toEqual([]);
    // The mutations reach the interesting error paths.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['bad-checksum', 'fixed-field', 'unknown-message']));
  });

  it('the frame reader over random streams (1,000 streams)', () => {
    const rnd = prng(99);
    let total = 0;
    for (let i = 0; i < 1000; i++) {
      const r = new SipFrameReader({ maxFrameBytes: 1 + Math.floor(rnd() * 200) });
      for (let c = 0; c < 10; c++) {
        const b = Buffer.alloc(Math.floor(rnd() * 100));
        for (let j = 0; j < b.length; j++) b[j] = rnd() < 0.05 ? 0x0d : rnd() < 0.03 ? 0x0a : Math.floor(rnd() * 256);
        for (const ev of r.push(b)) {
          if (ev.ok) {
            check(!ev.frame.includes(0x0d) && !ev.frame.includes(0x0a) && ev.frame.length > 0, 'frame holds a terminator or is empty');
            checkResult(readMessage(ev.frame), ev.frame);
          }
          total++;
        }
        check(r.buffered <= 200, 'reader holds more than its limit');
      }
    }
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThan(1000);
  });
});
