import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { ConfigModule, loadSettings } from '@carrel/config';
import { Test } from '@nestjs/testing';
import { CIRCULATION_BACKEND } from '../../libs/circulation/src/backend.js';
import { CirculationLog, Sip2Server, Sip2ServerModule } from '@carrel/sip2-server';
import { account, D, FakeBackend, PASSWORD, SipClient } from './support.js';

const backend = new FakeBackend();
@Module({ providers: [{ provide: CIRCULATION_BACKEND, useValue: backend }], exports: [CIRCULATION_BACKEND] })
class FakeCirculationModule {}

describe('Sip2ServerModule', () => {
  it('wires the server to the backend given by the imported module; start/stop are the caller’s', async () => {
    const app = await Test.createTestingModule({
      imports: [Sip2ServerModule.forRoot({ listeners: [{ host: '127.0.0.1', port: 0 }], accounts: [await account()] }, { imports: [FakeCirculationModule] })],
    }).compile();
    const server = app.get(Sip2Server);
    expect(app.get(CirculationLog)).toBeInstanceOf(CirculationLog);
    await server.start();
    try {
      const c = await SipClient.connect(server.addresses()[0]!.port);
      expect((await c.request(`9300CNkiosk|CO${PASSWORD}|`)).toString('latin1')).toBe('941\r');
      expect((await c.request(`17${D}AOCPL|ABI001|`)).toString('latin1').slice(0, 4)).toBe('1803');
      expect(backend.calls).toContain('itemInformation');
      c.destroy();
    } finally {
      await server.stop();
      await app.close();
    }
  });
});

describe('Sip2ServerModule.fromSettings', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-sip2-settings-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads listeners and the accounts file from the settings', async () => {
    const file = path.join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify([await account({ login: 'fromfile' })]));
    const settings = loadSettings({ file: null, env: { CARREL_SIP2_ACCOUNTS_FILE: file, CARREL_SIP2_LISTENERS: '[{"host":"127.0.0.1","port":0}]', CARREL_TIME_ZONE: 'Europe/Oslo', CARREL_SHUTDOWN_GRACE_MS: '1234', CARREL_LOG_LEVEL: 'silent' } });
    const app = await Test.createTestingModule({ imports: [ConfigModule.forRoot(settings), Sip2ServerModule.fromSettings({ imports: [FakeCirculationModule] })] }).compile();
    const server = app.get(Sip2Server);
    await server.start();
    try {
      expect(server.options.maxFrameBytes).toBe(16_384);
      expect(server.options.timeZone).toBe('Europe/Oslo');
      expect(server.options.shutdownGraceMs).toBe(1234);
      const c = await SipClient.connect(server.addresses()[0]!.port);
      expect((await c.request(`9300CNfromfile|CO${PASSWORD}|`)).toString('latin1')).toBe('941\r');
      c.destroy();
    } finally {
      await server.stop();
      await app.close();
    }
  });

  it('says clearly when the accounts file is missing or a listener is wrong', async () => {
    const missing = loadSettings({ file: null, env: { CARREL_SIP2_ACCOUNTS_FILE: path.join(dir, 'nope.json') } });
    await expect(Test.createTestingModule({ imports: [ConfigModule.forRoot(missing), Sip2ServerModule.fromSettings({ imports: [FakeCirculationModule] })] }).compile())
      .rejects.toThrow(/accounts file .*nope\.json not found/);
    const { parseSip2Listeners } = await import('@carrel/sip2-server');
    expect(() => parseSip2Listeners([{ port: 70000 }])).toThrow(/port/);
    expect(() => parseSip2Listeners([{ port: 6001, tls: { certFile: '/nope.pem', keyFile: '/nope.pem' } }])).toThrow(/not found/);
  });
});
