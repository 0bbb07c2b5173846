import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DbService } from '@carrel/db';
import { CirculationLog, Sip2Server, type CirculationLogRecord } from '@carrel/sip2-server';
import { describeEachDatabase } from '../support/databases.js';
import { domainModule } from '../support/app.js';
import { account, D, FakeBackend, PASSWORD, SipClient, startServer } from './support.js';

describe('SIP2 server: TLS listener', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-sip2-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves a kiosk over TLS with a self-signed certificate, beside a plain listener', async () => {
    const h = await startServer({
      listeners: [{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0, tls: { certFile: path.join(dir, 'cert.pem'), keyFile: path.join(dir, 'key.pem') } }],
    });
    try {
      expect(h.server.addresses().map((a) => a.tls)).toEqual([false, true]);
      const c = await h.login('kiosk', { tls: true });
      expect((await c.request('9900302.00')).toString('latin1').slice(0, 2)).toBe('98');
      expect((await c.request(`17${D}AOCPL|ABI001|`)).toString('latin1').slice(0, 4)).toBe('1803');
      // a plain-text client on the TLS port gets nowhere and does not hurt the server
      const plain = await SipClient.connect(h.server.addresses()[1]!.port);
      plain.send(`9300CNkiosk|CO${PASSWORD}|\r`);
      await plain.closed;
      expect((await c.request('9900302.00')).toString('latin1').slice(0, 2)).toBe('98');
    } finally {
      await h.close();
    }
  });
});

describe('SIP2 server: circulation log masking', () => {
  it('never stores passwords or PINs, and records account, device, client, outcome, duration', async () => {
    const h = await startServer();
    try {
      const c = await h.login();
      await c.request(`63001${D}          AOCPL|AAP001|ACterm-pass|AD1234|`);
      await c.request(`11YN${D}${D}AOCPL|AAP001|ABI001|AC|AD1234|`);
      await c.request(`9300CNkiosk|COwrong-password|`);
      const all = JSON.stringify(h.log.entries);
      expect(all).not.toContain(PASSWORD);
      expect(all).not.toContain('wrong-password');
      expect(all).not.toContain('1234');
      expect(all).not.toContain('term-pass');
      const login = h.log.entries[0]!;
      expect(login).toMatchObject({ messageId: '93', account: 'kiosk', outcome: 'ok', clientAddr: expect.stringContaining('127.0.0.1') });
      expect(login.request).toBe('9300CNkiosk|CO***|CPkiosk-3|');
      const pi = h.log.entries.find((e) => e.messageId === '63')!;
      expect(pi.request).toContain('AD***|');
      expect(pi.request).toContain('AC***|');
      expect(pi.response).toContain('CQ***|');
      expect(pi.device).toBe('kiosk-3');
      expect(typeof pi.ms).toBe('number');
      const co = h.log.entries.find((e) => e.messageId === '11')!;
      expect(co.outcome).toBe('ok');
      expect(co.response).toMatch(/^121NUY/);
    } finally {
      await h.close();
    }
  });
});

describeEachDatabase('SIP2 circulation log in the database', (db) => {
  it('batches entries in one insert, reads them back as written, and flushes on stop', async () => {
    const app = await domainModule(db());
    try {
      const log = new CirculationLog(app.get(DbService));
      const entry = (i: number): CirculationLogRecord => ({
        at: new Date(), account: 'kiosk', device: 'kiosk-3', clientAddr: '127.0.0.1', messageId: '17', request: `17${D}AOCPL|ABX${i}|`, response: null, outcome: 'ok', ms: 1,
      });
      for (let i = 0; i < 250; i++) log.record(entry(i));
      // full batches went at once; the rest wait for the timer or flush()
      await log.flush();
      expect(await db().prisma.circulationLogEntry.count({ where: { messageId: '17' } })).toBe(250);
      // every column comes back through Prisma as it was given (dates, nulls, quotes, non-Latin text)
      const at = new Date('2026-11-28T10:42:07.123Z');
      log.record({ at, account: null, device: 'kiosk "3"', clientAddr: null, messageId: '63', request: '63001ÉchoЖ|AE"x"\\y|', response: '64 …', outcome: 'ok', ms: null });
      await log.flush();
      const back = await db().prisma.circulationLogEntry.findFirstOrThrow({ where: { messageId: '63' } });
      expect(back).toMatchObject({ at, account: null, device: 'kiosk "3"', clientAddr: null, request: '63001ÉchoЖ|AE"x"\\y|', response: '64 …', outcome: 'ok', ms: null });

      const backend = new FakeBackend();
      const server = new Sip2Server({ listeners: [{ host: '127.0.0.1', port: 0 }], accounts: [await account()] }, backend, log);
      await server.start();
      const c = await SipClient.connect(server.addresses()[0]!.port);
      await c.request(`9300CNkiosk|CO${PASSWORD}|CPkiosk-3|`);
      await c.request(`11YN${D}${D}AOCPL|AAP001|ABI001|AC|AD1234|`);
      await c.request(`09N${D}${D}APMAIN|AOCPL|ABI001|AC|`);
      c.destroy();
      await server.stop();
      const rows = await db().prisma.circulationLogEntry.findMany({ where: { device: 'kiosk-3', NOT: { messageId: '17' } }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => r.messageId)).toEqual(['93', '11', '09']);
      expect(rows[0]!.request).toBe('9300CNkiosk|CO***|CPkiosk-3|');
      expect(rows[1]!.request).toContain('AD***|');
      expect(rows[1]!.outcome).toBe('ok');
      expect(rows.every((r) => r.account === 'kiosk' && r.clientAddr !== null)).toBe(true);
      expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    } finally {
      await app.close();
    }
  });
});
