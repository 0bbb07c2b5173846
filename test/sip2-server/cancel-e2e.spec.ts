// Cancelling a checkout or a checkin (SIP BI) and lost-item fees in fine lists, over real TCP sessions in
// front of the local circulation engine, on SQLite and PostgreSQL.
import type { Buffer } from 'node:buffer';
import type { TestingModule } from '@nestjs/testing';
import { LocalCirculationEngine } from '@carrel/circulation';
import { DbService } from '@carrel/db';
import { createLogger } from '@carrel/logging';
import { readMessage } from '@carrel/sip2';
import { CirculationLog, Sip2Server } from '@carrel/sip2-server';
import { describeEachDatabase } from '../support/databases.js';
import { circulationApp, makeItem, makePatron, seedLibrary } from '../circulation/fixtures.js';
import { account, D, PASSWORD, SipClient } from './support.js';

const parse = (b: Buffer) => {
  const r = readMessage(b, { charset: 'utf-8' });
  return { id: r.message.id, fixed: r.message.fixed, get: (c: string) => r.message.fields.find((f) => f.code === c)?.value, all: (c: string) => r.message.fields.filter((f) => f.code === c).map((f) => f.value) };
};
const NB = ' '.repeat(18);

describeEachDatabase('SIP2 cancel (BI) and lost-item fees over TCP', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let server: Sip2Server;
  const kiosk = async (device: string) => {
    const c = await SipClient.connect(server.addresses()[0]!.port);
    expect((await c.request(`9300CNkiosk|CO${PASSWORD}|CP${device}|`)).toString('latin1')).toBe('941\r');
    return c;
  };

  beforeAll(async () => {
    const lib = await seedLibrary(db().prisma);
    await makePatron(lib, { barcode: 'Q1' });
    await makePatron(lib, { barcode: 'Q2' });
    for (const b of ['QB1', 'QB2', 'QB3', 'QB4']) await makeItem(lib, { barcode: b, title: `Cancel book ${b}` });
    const priced = await makeItem(lib, { barcode: 'QLOST', title: 'Lost book' });
    await db().prisma.item.update({ where: { id: priced }, data: { price: '18.50' } });
    ({ mod, engine } = await circulationApp(db()));
    server = new Sip2Server(
      { listeners: [{ host: '127.0.0.1', port: 0 }], accounts: [await account({ branchCode: 'CPL' })], timeZone: 'America/Chicago' },
      engine, new CirculationLog(mod.get(DbService)), createLogger('silent'),
    );
    await server.start();
  });
  afterAll(async () => {
    await server?.stop();
    await mod?.close();
  });

  const openLoans = (barcode: string) => db().prisma.loan.count({ where: { item: { barcode }, returnedAt: null } });

  it('a checkin with BI=Y cancels the checkout the kiosk could not desensitize (3M); a checkout with BI=Y undoes a checkin', async () => {
    const c = await kiosk('kiosk-5');
    expect(parse(await c.request(`11YN${D}${NB}AOCPL|AAQ1|ABQB1|AC|AD1234|`)).fixed[0]).toBe('1');
    expect(await openLoans('QB1')).toBe(1);
    const undo = parse(await c.request(`09N${D}${D}APCPL|AOCPL|ABQB1|AC|BIY|`));
    expect(undo.id).toBe('10');
    expect([undo.fixed[0], undo.fixed[1]]).toEqual(['1', 'Y']); // ok, resensitize
    expect(undo.get('AF')).toBe('Checkout cancelled.');
    expect(await openLoans('QB1')).toBe(0);
    expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'QB1' } })).status).toBe('available');

    // returned, but the tag could not be re-armed: the kiosk cancels the return with a checkout BI=Y
    expect(parse(await c.request(`11YN${D}${NB}AOCPL|AAQ1|ABQB2|AC|AD1234|`)).fixed[0]).toBe('1');
    expect(parse(await c.request(`09N${D}${D}APCPL|AOCPL|ABQB2|AC|`)).fixed[0]).toBe('1');
    expect(await openLoans('QB2')).toBe(0);
    const back = parse(await c.request(`11YN${D}${NB}AOCPL|AAQ1|ABQB2|AC|BIY|`));
    expect(back.id).toBe('12');
    expect([back.fixed[0], back.fixed[3]]).toEqual(['1', 'Y']); // ok, desensitize: the patron keeps it
    expect(back.get('AA')).toBe('Q1');
    expect(back.get('AH')).toMatch(/^\d{8} {4}\d{6}$/);
    expect(await openLoans('QB2')).toBe(1);
    // and again: nothing left to cancel, the loan stays
    const again = parse(await c.request(`11YN${D}${NB}AOCPL|AAQ1|ABQB2|AC|BIY|`));
    expect(again.fixed[0]).toBe('0');
    expect(again.get('AF')).toMatch(/nothing to cancel/);
    expect(await openLoans('QB2')).toBe(1);
    c.destroy();
  });

  it('another kiosk cannot cancel, a BI that is not Y is an ordinary message, and the session stays up', async () => {
    const a = await kiosk('kiosk-6');
    const b = await kiosk('kiosk-7');
    expect(parse(await a.request(`11YN${D}${NB}AOCPL|AAQ2|ABQB3|AC|AD1234|`)).fixed[0]).toBe('1');
    const other = parse(await b.request(`09N${D}${D}APCPL|AOCPL|ABQB3|AC|BIY|`));
    expect([other.fixed[0], other.fixed[1]]).toEqual(['0', 'N']); // refused; the item is on loan: leave it desensitized
    expect(other.get('AF')).toMatch(/nothing to cancel/);
    expect(await openLoans('QB3')).toBe(1);
    // BIN: a plain checkin
    expect(parse(await b.request(`09N${D}${D}APCPL|AOCPL|ABQB3|AC|BIN|`)).fixed[0]).toBe('1');
    expect(await openLoans('QB3')).toBe(0);
    // a garbage BI value and an unknown item: answered, nothing changes, both sessions still work
    expect(parse(await a.request(`11YN${D}${NB}AOCPL|AAQ2|ABQB4|AC|AD1234|`)).fixed[0]).toBe('1');
    const junk = parse(await a.request(`09N${D}${D}APCPL|AOCPL|ABQB4|AC|BI\u00ff\u0001|`));
    expect(junk.id).toBe('10');
    // only Y cancels: anything else is read as N, so this is a plain return
    expect([junk.fixed[0], junk.fixed[1]]).toEqual(['1', 'Y']);
    expect(await openLoans('QB4')).toBe(0);
    expect(parse(await a.request(`09N${D}${D}APCPL|AOCPL|ABNOPE|AC|BIY|`)).fixed[0]).toBe('0');
    expect(parse(await b.request('9900302.00')).fixed[0]).toBe('Y');
    expect(parse(await a.request('9900302.00')).fixed[0]).toBe('Y');
    a.destroy();
    b.destroy();
  });

  it('a lost-item fee shows in the 64 fine list with SIP fee type 07', async () => {
    const c = await kiosk('kiosk-8');
    expect(parse(await c.request(`11YN${D}${NB}AOCPL|AAQ2|ABQLOST|AC|AD1234|`)).fixed[0]).toBe('1');
    expect(await engine.declareLost({ itemBarcode: 'QLOST', at: new Date(), terminal: { branchCode: 'CPL', device: 'staff-api' } })).toMatchObject({ ok: true, feeAmount: '18.50' });
    const info = parse(await c.request(`63001${D}   Y      AOCPL|AAQ2|AD1234|BP1|BQ5|`));
    expect(info.id).toBe('64');
    expect(info.fixed.slice(3)).toEqual(['0000', '0000', '0000', '0001', '0000', '0000']); // hold, overdue, charged, fine, recall, unavailable
    expect(info.get('BV')).toBe('18.50');
    expect(info.all('AV')).toEqual(['18.50 USD 07 Lost: QLOST Lost book']);
    c.destroy();
  });

  it('logs the cancels with their outcome', async () => {
    await server.stop();
    const rows = await db().prisma.circulationLogEntry.findMany({ where: { outcome: { in: ['ok-cancel', 'refused-cancel'] } }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.device, r.messageId, r.outcome])).toEqual([
      ['kiosk-5', '09', 'ok-cancel'], ['kiosk-5', '11', 'ok-cancel'], ['kiosk-5', '11', 'refused-cancel'], ['kiosk-7', '09', 'refused-cancel'], ['kiosk-6', '09', 'refused-cancel'],
    ]);
  });
});
