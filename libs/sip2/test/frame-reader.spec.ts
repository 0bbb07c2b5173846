import { Buffer } from 'node:buffer';
import { SipFrameReader, type SipFrameEvent } from '../src/index.js';
import { prng } from './helpers.js';

const frames = (events: SipFrameEvent[]): string[] => events.map((e) => (e.ok ? e.frame.toString('latin1') : `!${e.error}`));

describe('SipFrameReader', () => {
  it('accepts CR, LF and CRLF, several frames in one chunk', () => {
    const r = new SipFrameReader();
    const ev = r.push(Buffer.from('9900302.00\r9300CNa|COb|\r\n17x\n'));
    expect(frames(ev)).toEqual(['9900302.00', '9300CNa|COb|', '17x']);
    expect(ev.map((e) => (e.ok ? e.terminator : ''))).toEqual(['\r', '\r\n', '\n']);
    expect(r.buffered).toBe(0);
  });

  it('joins a frame split across chunks, and a CRLF split between chunks gives no empty frame', () => {
    const r = new SipFrameReader();
    expect(r.push(Buffer.from('9300CN'))).toEqual([]);
    expect(r.buffered).toBe(6);
    expect(frames(r.push(Buffer.from('a|COb|\r')))).toEqual(['9300CNa|COb|']);
    expect(frames(r.push(Buffer.from('\n97\r')))).toEqual(['97']);
  });

  it('gives the same frames whatever the chunking (seeded, 500 runs)', () => {
    const rnd = prng(7);
    const text = '9300CNa|COb|\r\n9900302.00\r17' + '20240301    101530' + 'AOmain|AB1|\n\r\n97\r';
    const whole = frames(new SipFrameReader().push(Buffer.from(text)));
    expect(whole).toEqual(['9300CNa|COb|', '9900302.00', '1720240301    101530AOmain|AB1|', '97']);
    for (let run = 0; run < 500; run++) {
      const r = new SipFrameReader();
      const got: SipFrameEvent[] = [];
      let pos = 0;
      while (pos < text.length) {
        const n = 1 + Math.floor(rnd() * 12);
        got.push(...r.push(Buffer.from(text.slice(pos, pos + n))));
        pos += n;
      }
      expect(frames(got)).toEqual(whole);
    }
  });

  it('reports an oversized frame once, drops it, and carries on with the next frame', () => {
    const r = new SipFrameReader({ maxFrameBytes: 100 });
    const ev: SipFrameEvent[] = [];
    for (let i = 0; i < 50; i++) ev.push(...r.push(Buffer.alloc(1000, 0x41)));
    expect(r.buffered).toBe(0); // nothing held while discarding
    ev.push(...r.push(Buffer.from('AAAA\r97\r')));
    expect(frames(ev)).toEqual(['!frame-too-large', '97']);
    const big = new SipFrameReader({ maxFrameBytes: 10 }).push(Buffer.from('12345678901\r97\r'));
    expect(frames(big)).toEqual(['!frame-too-large', '97']);
    expect(big[0]).toMatchObject({ ok: false, bytes: 11 });
  });

  it('a 1 MB frame in one chunk is an error result, not an exception', () => {
    const r = new SipFrameReader();
    const ev = r.push(Buffer.concat([Buffer.alloc(1 << 20, 0x31), Buffer.from('\r')]));
    expect(ev).toEqual([expect.objectContaining({ ok: false, error: 'frame-too-large' })]);
  });

  it('copies held bytes, so a reused socket buffer cannot change a frame', () => {
    const r = new SipFrameReader();
    const chunk = Buffer.from('93ab');
    r.push(chunk);
    chunk.fill(0x30);
    expect(frames(r.push(Buffer.from('cd\r')))).toEqual(['93abcd']);
    r.push(Buffer.from('xx'));
    r.reset();
    expect(frames(r.push(Buffer.from('97\r')))).toEqual(['97']);
  });
});
