import { Buffer } from 'node:buffer';
import { readMessage } from '@carrel/sip2';
import { prng } from '../support/prng.js';
import { account, D, PASSWORD, SipClient, startServer, type Harness } from './support.js';

const idOf = (b: Buffer) => b.toString('latin1').slice(0, 2);
const field = (b: Buffer, code: string) => readMessage(b).message.fields.find((f) => f.code === code)?.value;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIP2 server: hostile and broken input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({ maxFrameBytes: 16_384, maxOversizedFrames: 3 });
  });
  afterAll(() => h.close());

  it('garbage: random bytes and mutated frames are answered (96 or a negative response), the session and others stay up', async () => {
    const c = await h.login();
    const bystander = await h.login();
    const rnd = prng(20261128);
    const valid = `11YN${D}${D}AOCPL|AAP001|ABI001|AC|`;
    let answered = 0;
    for (let i = 0; i < 200; i++) {
      let frame: Buffer;
      if (i % 2 === 0) {
        const n = 1 + Math.floor(rnd() * 80);
        frame = Buffer.alloc(n);
        for (let j = 0; j < n; j++) {
          let b = Math.floor(rnd() * 256);
          if (b === 13 || b === 10) b = 0x7c;
          frame[j] = b;
        }
      } else {
        const chars = [...valid];
        for (let k = 0; k < 3; k++) chars[Math.floor(rnd() * chars.length)] = String.fromCharCode(32 + Math.floor(rnd() * 95));
        frame = Buffer.from(chars.join(''), 'latin1');
      }
      // a 01 or a 96 gets no answer: skip frames that happen to start so
      const id = frame.toString('latin1', 0, 2);
      if (id === '01' || id === '96') continue;
      const res = await c.request(Buffer.concat([frame, Buffer.from('\r')]));
      expect(res.length).toBeGreaterThanOrEqual(3);
      expect(res[res.length - 1]).toBe(0x0d);
      answered++;
    }
    expect(answered).toBeGreaterThan(150);
    expect(idOf(await bystander.request(`17${D}AOCPL|ABI001|`))).toBe('18');
    expect(idOf(await c.request(`17${D}AOCPL|ABI001|`))).toBe('18');
  });

  it('a truncated frame gets the negative form of its response', async () => {
    const c = await h.login();
    const res = await c.request('11YN2026');
    expect(res.toString('latin1')).toMatch(/^120NU/);
    expect(field(res, 'AF')).toBe('Malformed request.');
    const unknown = await c.request('XX hello');
    expect(idOf(unknown)).toBe('96');
  });

  it('a 1 MB frame is answered 96 and dropped to its terminator; the next frame is served', async () => {
    const c = await h.login();
    const big = Buffer.alloc(1024 * 1024, 0x41);
    c.send(Buffer.concat([Buffer.from('17'), big, Buffer.from('\r')]));
    expect(idOf(await c.receive())).toBe('96');
    expect(idOf(await c.request(`17${D}AOCPL|ABI001|`))).toBe('18');
    expect(c.pendingFrames).toBe(0);
  });

  it('repeated oversized frames close that connection only', async () => {
    const c = await h.login();
    const other = await h.login();
    const big = Buffer.concat([Buffer.alloc(20_000, 0x42), Buffer.from('\r')]);
    for (let i = 0; i < 3; i++) c.send(big);
    await c.closed;
    expect(h.log.entries.filter((e) => e.outcome === 'frame-too-large').length).toBeGreaterThanOrEqual(3);
    expect(idOf(await other.request(`17${D}AOCPL|ABI001|`))).toBe('18');
  });

  it('a slow client dribbling frames byte by byte is served', async () => {
    const c = await h.connect();
    const login = `9300CNkiosk|CO${PASSWORD}|\r`;
    for (const ch of login) {
      c.send(ch);
      await sleep(2);
    }
    expect((await c.receive()).toString('latin1')).toBe('941\r');
    const req = `17${D}AOCPL|ABI002|\r\n`;
    for (const ch of req) {
      c.send(ch);
      await sleep(1);
    }
    expect(field(await c.receive(), 'AB')).toBe('I002');
    expect(c.pendingFrames).toBe(0);
  });

  it('a client disconnecting mid-transaction: no crash, the checkout happens once and is logged once', async () => {
    const c = await h.login();
    const gate = h.backend.gate('checkout');
    const before = h.backend.calls.filter((x) => x === 'checkout').length;
    c.send(`11YN${D}${D}AOCPL|AAP001|ABI009|AC|\r`);
    await gate.entered;
    c.destroy();
    await c.closed;
    await sleep(20);
    gate.release();
    await sleep(50);
    expect(h.backend.calls.filter((x) => x === 'checkout').length).toBe(before + 1);
    expect(h.backend.loans.get('I009')?.patron).toBe('P001');
    const logged = h.log.entries.filter((e) => e.messageId === '11' && e.request.includes('ABI009'));
    expect(logged).toHaveLength(1);
    expect(logged[0]!.outcome).toBe('ok (client gone)');
    const d = await h.login();
    expect(idOf(await d.request(`17${D}AOCPL|ABI009|`))).toBe('18');
  });

  it('backpressure: a client that stops reading while pipelining gets no more answers computed than its socket can hold, then all of them in order', async () => {
    const c = await h.login();
    c.socket.pause();
    const n = 3000; // answers of ~4.4 KB each: 13 MB, more than the loopback socket buffers hold
    let batch = '';
    for (let i = 0; i < n; i++) batch += `17${D}AOCPL|ABIBIG|AC${i}|\r`;
    c.send(batch);
    await sleep(500);
    const handled = () => h.log.entries.filter((e) => e.request.includes('ABIBIG')).length;
    const whilePaused = handled();
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(n);
    await sleep(200);
    expect(handled()).toBe(whilePaused); // stalled, not spinning
    c.socket.resume();
    for (let i = 0; i < n; i++) {
      const r = await c.receive();
      if (field(r, 'AB') !== 'IBIG') throw new Error(`response ${i}: ${r.toString('latin1').slice(0, 40)}`);
    }
    expect(handled()).toBe(n);
    expect(c.pendingFrames).toBe(0);
  });

  it('200 concurrent connections, each answered with its own data', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => h.login()));
    const results = await Promise.all(clients.map(async (c, i) => {
      const barcode = `X${i}`;
      const r1 = await c.request(`17${D}AOCPL|AB${barcode}|`);
      const r2 = await c.request(`23001${D}AOCPL|AAQ${i}|AC|`);
      return [field(r1, 'AB'), field(r2, 'AA')];
    }));
    results.forEach(([item, patron], i) => {
      expect(item).toBe(`X${i}`);
      expect(patron).toBe(`Q${i}`);
    });
    for (const c of clients) c.destroy();
  });
});

describe('SIP2 server: timeouts and shutdown', () => {
  it('closes a connection idle longer than its account allows, not a busy one', async () => {
    const h = await startServer({ accounts: [await account({ idleTimeoutSeconds: 1 })] });
    try {
      const c = await h.login();
      // busy for longer than the idle timeout: not closed, answered
      const gate = h.backend.gate('itemInformation');
      c.send(`17${D}AOCPL|ABI001|\r`);
      await gate.entered;
      setTimeout(() => gate.release(), 1500);
      expect(idOf(await c.receive(4000))).toBe('18');
      const t0 = Date.now();
      await c.closed;
      const waited = Date.now() - t0;
      expect(waited).toBeGreaterThanOrEqual(900);
      expect(waited).toBeLessThan(5000);
    } finally {
      await h.close();
    }
  });

  it('closes a connection that never logs in after the login timeout', async () => {
    const h = await startServer({ loginTimeoutSeconds: 1 });
    try {
      const c = await h.connect();
      await c.closed;
      for (let i = 0; i < 50 && h.server.connectionCount > 0; i++) await sleep(10);
      expect(h.server.connectionCount).toBe(0);
    } finally {
      await h.close();
    }
  });

  it('stop() finishes the transaction in flight, answers it, then closes', async () => {
    const h = await startServer();
    const c = await h.login();
    const idle = await h.login();
    const gate = h.backend.gate('checkout');
    c.send(`11YN${D}${D}AOCPL|AAP001|ABI011|AC|\r`);
    await gate.entered;
    const stopped = h.server.stop();
    await idle.closed; // an idle connection is closed at once
    setTimeout(() => gate.release(), 100);
    const res = await c.receive();
    expect(res.toString('latin1').slice(0, 3)).toBe('121');
    await c.closed;
    await stopped;
    expect(h.server.connectionCount).toBe(0);
    // nothing listens any more
    await expect(SipClient.connect(h.port)).rejects.toThrow();
    expect(h.log.entries.filter((e) => e.messageId === '11')).toHaveLength(1);
  });
});

describe('SIP2 server: listeners', () => {
  it('start() fails cleanly when a port is taken, closing the listeners it had opened', async () => {
    const h = await startServer();
    try {
      const { Sip2Server } = await import('@carrel/sip2-server');
      const { createLogger } = await import('@carrel/logging');
      const clash = new Sip2Server({ listeners: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: h.port }], accounts: [await account()] }, h.backend, undefined, createLogger('silent'));
      await expect(clash.start()).rejects.toThrow(/EADDRINUSE/);
      expect(clash.addresses()).toEqual([]);
      await clash.stop();
      const c = await h.login();
      expect(idOf(await c.request(`17${D}AOCPL|ABI001|`))).toBe('18');
    } finally {
      await h.close();
    }
  });
});
