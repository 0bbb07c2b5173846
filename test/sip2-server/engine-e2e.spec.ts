// The SIP2 server in front of the real local circulation engine, on SQLite and PostgreSQL: a kiosk
// session (UTF-8, no checksums) and a sorter (CP850, checksums) over real sockets, then the circulation log.
import { Buffer } from 'node:buffer';
import type { TestingModule } from '@nestjs/testing';
import { LocalCirculationEngine } from '@carrel/circulation';
import { DbService } from '@carrel/db';
import { createLogger } from '@carrel/logging';
import { frameText, readMessage } from '@carrel/sip2';
import { CirculationLog, Sip2Server } from '@carrel/sip2-server';
import { describeEachDatabase } from '../support/databases.js';
import { circulationApp, makeItem, makePatron, seedLibrary } from '../circulation/fixtures.js';
import { account, D, PASSWORD, SipClient } from './support.js';

const parse = (b: Buffer, charset: 'utf-8' | 'cp850' = 'utf-8') => {
  const r = readMessage(b, { charset });
  return { r, id: r.message.id, fixed: r.message.fixed, get: (c: string) => r.message.fields.find((f) => f.code === c)?.value };
};

describeEachDatabase('SIP2 server on the local circulation engine', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let server: Sip2Server;

  beforeAll(async () => {
    const lib = await seedLibrary(db().prisma);
    await makePatron(lib, { barcode: 'K1', surname: 'Åsen' });
    await makePatron(lib, { barcode: 'K2', surname: 'Ærø' });
    await makeItem(lib, { barcode: 'KB1', title: 'Kiosk book' });
    await makeItem(lib, { barcode: 'KB2', title: 'Away book', home: 'FPL', holding: 'CPL' });
    await makeItem(lib, { barcode: 'KB3', title: 'Wanted book' });
    ({ mod, engine } = await circulationApp(db()));
    server = new Sip2Server(
      {
        listeners: [{ host: '127.0.0.1', port: 0 }],
        accounts: [await account({ branchCode: 'CPL' }), await account({ login: 'sorter', branchCode: 'CPL', charset: 'cp850', allowedMessages: ['09', '17'] })],
        timeZone: 'America/Chicago',
      },
      engine, new CirculationLog(mod.get(DbService)), createLogger('silent'),
    );
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await mod?.close();
  });

  it('kiosk: status, patron info with PIN, checkout, renew, item info, hold, checkin, end session', async () => {
    const c = await SipClient.connect(server.addresses()[0]!.port);
    expect((await c.request(`9300CNkiosk|CO${PASSWORD}|CPkiosk-7|`)).toString('latin1')).toBe('941\r');
    expect(parse(await c.request('9900302.00')).fixed[0]).toBe('Y');
    const pi = parse(await c.request(`63001${D}          AOCPL|AAK1|AD1234|`));
    expect([pi.get('BL'), pi.get('CQ')]).toEqual(['Y', 'Y']);
    expect(pi.get('AE')).toContain('Åsen');
    const co = parse(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAK1|ABKB1|AC|AD1234|`));
    expect(co.fixed[0]).toBe('1');
    expect(co.get('AH')).toMatch(/^\d{8} {4}\d{6}$/);
    const rn = parse(await c.request(`29NN${D}${' '.repeat(18)}AOCPL|AAK1|AD1234|ABKB1|`));
    expect(rn.id).toBe('30');
    expect(parse(await c.request(`17${D}AOCPL|ABKB1|`)).fixed[0]).toBe('04');
    expect(parse(await c.request(`11YN${D}${' '.repeat(18)}AOCPL|AAK1|ABKB3|AC|AD1234|`)).fixed[0]).toBe('1');
    const hold = parse(await c.request(`15+${D}BSFPL|AOCPL|AAK2|ABKB3|`));
    expect(hold.fixed[0]).toBe('1');
    const ci = parse(await c.request(`09N${D}${D}APCPL|AOCPL|ABKB1|AC|`));
    expect(ci.fixed[0]).toBe('1');
    expect(parse(await c.request(`35${D}AOCPL|AAK1|AD1234|`)).fixed[0]).toBe('Y');
    c.destroy();
  });

  it('sorter (CP850, checksums): hold elsewhere and transit routing', async () => {
    const c = await SipClient.connect(server.addresses()[0]!.port);
    let seq = 0;
    const send = async (text: string) => {
      const res = await c.request(frameText(text, { errorDetection: true, sequence: seq, charset: 'cp850' }));
      const p = parse(res, 'cp850');
      expect(p.r.checksum).toBe('valid');
      expect(p.r.sequence).toBe(seq);
      seq = (seq + 1) % 10;
      return { ...p, raw: res };
    };
    expect((await send(`9300CNsorter|CO${PASSWORD}|`)).fixed[0]).toBe('1');
    const held = await send(`09N${D}${D}APCPL|AOCPL|ABKB3|AC|`);
    expect(held.fixed[0]).toBe('1');
    expect(held.fixed[3]).toBe('Y');
    expect([held.get('CV'), held.get('CT'), held.get('CY')]).toEqual(['02', 'FPL', 'K2']);
    expect(held.get('DA')).toBe('Pat Ærø');
    expect(held.raw.includes(Buffer.from([0x92, 0x72, 0x9b]))).toBe(true); // Æ r ø in CP850
    const away = await send(`09N${D}${D}APCPL|AOCPL|ABKB2|AC|`);
    expect([away.fixed[3], away.get('CV'), away.get('CT')]).toEqual(['Y', '04', 'FPL']);
    const refused = await send(`11YN${D}${' '.repeat(18)}AOCPL|AAK1|ABKB1|AC|`);
    expect(refused.fixed[0]).toBe('0');
    c.destroy();
  });

  it('the circulation log holds every transaction, PINs and passwords masked', async () => {
    await server.stop();
    const rows = await db().prisma.circulationLogEntry.findMany({ orderBy: { id: 'asc' } });
    expect(rows.length).toBeGreaterThanOrEqual(14);
    expect(rows.filter((r) => r.device === 'kiosk-7').map((r) => r.messageId).slice(0, 4)).toEqual(['93', '99', '63', '11']);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('AD1234');
    expect(rows.find((r) => r.messageId === '09' && r.account === 'sorter' && r.request.includes('KB3'))?.outcome).toBe('ok-hold-elsewhere');
    expect(rows.find((r) => r.messageId === '11' && r.account === 'sorter')?.outcome).toBe('not-allowed');
  });
});
