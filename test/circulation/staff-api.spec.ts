// The staff REST endpoints for circulation, in the hub over HTTP, on both databases: patron loans, holds
// and fees, declaring items lost, placing and cancelling holds, the SIP circulation log; and the hub's
// scheduler role registering the hold-expiry job.
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { SchedulerRegistry } from '@nestjs/schedule';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { HOLD_EXPIRY_JOB, HoldExpiryJob, LocalCirculationEngine } from '@carrel/circulation';
import { ConfigError } from '@carrel/config';
import { createLogger } from '@carrel/logging';
import { PrintQueueJob } from '@carrel/print';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { testSettings } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

const DAY = 86_400_000;

describeEachDatabase('circulation staff API and jobs in the hub', (db) => {
  let app: INestApplication;
  let http: ReturnType<typeof request>;
  let engine: LocalCirculationEngine;
  let lib: Lib;
  let auth: { Authorization: string };

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    app = await createHub(testSettings(db(), { CARREL_LOST_ITEM_CHARGE: '15.00', CARREL_TIME_ZONE: 'America/Chicago' }), createLogger('silent'));
    await app.listen(0, '127.0.0.1');
    http = request(app.getHttpServer());
    engine = app.get(LocalCirculationEngine);
    auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('circ-desk')).token}` };
  });
  afterAll(() => app?.close());

  it('refuses circulation calls without a token', async () => {
    await http.get('/api/v1/patrons/X/loans').expect(401);
    await http.post('/api/v1/holds').send({ patronBarcode: 'X', recordId: 1 }).expect(401);
    await http.get('/api/v1/circulation/log').expect(401);
  });

  it("lists a patron's loans, holds and fees; 404 for an unknown patron", async () => {
    const now = new Date();
    await makePatron(lib, { barcode: 'API1' });
    await makeItem(lib, { barcode: 'A-1', title: 'Due soon' });
    await makeItem(lib, { barcode: 'A-2', title: 'Long overdue' });
    const rec = await makeRecord(lib, 'Wanted');
    await makeItem(lib, { barcode: 'A-3', recordId: rec, status: 'checked_out' });
    expect((await engine.checkout({ patronBarcode: 'API1', itemBarcode: 'A-1', at: now, terminal: { branchCode: 'CPL' } })).ok).toBe(true);
    expect((await engine.checkout({ patronBarcode: 'API1', itemBarcode: 'A-2', at: new Date(now.getTime() - 40 * DAY), terminal: { branchCode: 'CPL' } })).ok).toBe(true);
    expect((await engine.hold({ mode: 'add', patronBarcode: 'API1', titleId: String(rec), pickupBranch: 'FPL', at: now, terminal: { branchCode: 'CPL' } })).ok).toBe(true);
    const loans = (await http.get('/api/v1/patrons/API1/loans').set(auth).expect(200)).body;
    expect(loans.map((l: { itemBarcode: string; overdue: boolean; title: string }) => [l.itemBarcode, l.overdue, l.title])).toEqual([['A-2', true, 'Long overdue'], ['A-1', false, 'Due soon']]);
    const holds = (await http.get('/api/v1/patrons/API1/holds').set(auth).expect(200)).body;
    expect(holds).toEqual([expect.objectContaining({ status: 'waiting', recordId: rec, title: 'Wanted', pickupBranch: 'FPL', queuePosition: 1, capturedItemBarcode: null })]);
    const back = await engine.checkin({ itemBarcode: 'A-2', at: now, terminal: { branchCode: 'CPL' } });
    expect(back.ok).toBe(true);
    const fees = (await http.get('/api/v1/patrons/API1/fees').set(auth).expect(200)).body;
    expect(fees).toMatchObject({ outstanding: back.fineAmount ?? '0.00', currency: 'USD' });
    for (const path of ['loans', 'holds', 'fees']) await http.get(`/api/v1/patrons/NOBODY/${path}`).set(auth).expect(404);
    await http.get('/api/v1/patrons/API1/fees?all=maybe').set(auth).expect(400);
  });

  it('declares an item lost: 200 with the replacement fee (SIP 07), 409 the second time, 404 for an unknown item', async () => {
    const itemId = await makeItem(lib, { barcode: 'A-LOST' });
    await makePatron(lib, { barcode: 'API2' });
    await engine.checkout({ patronBarcode: 'API2', itemBarcode: 'A-LOST', at: new Date(), terminal: { branchCode: 'CPL' } });
    const lost = (await http.post('/api/v1/items/A-LOST/lost').set(auth).send({ branch: 'CPL' }).expect(200)).body;
    expect(lost).toMatchObject({ itemBarcode: 'A-LOST', status: 'lost', patronBarcode: 'API2', fee: { amount: '15.00', currency: 'USD', sipFeeType: '07' } });
    expect((await http.post('/api/v1/items/A-LOST/lost').set(auth).send({}).expect(409)).body.message).toMatch(/already lost/);
    await http.post('/api/v1/items/NO-SUCH/lost').set(auth).send({}).expect(404);
    await http.post('/api/v1/items/A-LOST/lost').set(auth).send({ branch: 'has space' }).expect(400);
    await http.post('/api/v1/items/A-LOST/lost').set(auth).send({ unexpected: 1 }).expect(400);
    const fees = (await http.get('/api/v1/patrons/API2/fees').set(auth).expect(200)).body;
    expect(fees).toMatchObject({ outstanding: '15.00', fees: [{ type: 'lost', sipFeeType: '07', amount: '15.00', itemBarcode: 'A-LOST', closedAt: null }] });
    expect((await http.get('/api/v1/patrons/API2/loans').set(auth).expect(200)).body).toEqual([]);
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'lost', entity: 'Item', entityId: String(itemId) } });
    expect(audit.actor).toBe('staff-token:circ-desk');
    // returned: the fee is cancelled (refund is the default policy); all=true still shows it, closed
    expect((await engine.checkin({ itemBarcode: 'A-LOST', at: new Date(), terminal: { branchCode: 'CPL' } })).ok).toBe(true);
    const after = (await http.get('/api/v1/patrons/API2/fees?all=true').set(auth).expect(200)).body;
    expect(after).toMatchObject({ outstanding: '0.00', fees: [{ type: 'lost', outstanding: '0.00', closedAt: expect.any(String) }] });
  });

  it('places and cancels holds, refusing what the engine refuses', async () => {
    const rec = await makeRecord(lib, 'Hold me');
    await makeItem(lib, { barcode: 'A-H1', recordId: rec });
    await makePatron(lib, { barcode: 'API3' });
    const placed = (await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec, pickupBranch: 'CPL' }).expect(201)).body;
    expect(placed).toMatchObject({ id: expect.any(Number), status: 'waiting', queuePosition: 1, available: true, pickupBranch: 'CPL', title: 'Hold me' });
    expect((await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec }).expect(409)).body.message).toMatch(/already have a hold/);
    const item = (await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', itemBarcode: 'A-1', expiresAt: '2099-01-01T00:00:00Z' }).expect(201)).body;
    expect(item).toMatchObject({ itemBarcode: 'A-1', expiresAt: '2099-01-01T00:00:00.000Z' });
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3' }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec, itemBarcode: 'A-H1' }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'NOBODY', recordId: rec }).expect(404);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', itemBarcode: 'NO-SUCH' }).expect(404);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: 99_999_999 }).expect(404);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec + 0.5 }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'a|b', recordId: rec }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'x'.repeat(100_000), recordId: rec }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec, expiresAt: 'tomorrow' }).expect(400);
    await http.post('/api/v1/holds').set(auth).send({ patronBarcode: 'API3', recordId: rec, pickupBranch: 'NOWHERE' }).expect(409);
    // captured on the shelf, then cancelled by staff: the item goes back to the normal flow
    expect((await engine.checkin({ itemBarcode: 'A-H1', at: new Date(), terminal: { branchCode: 'CPL' } })).alert).toBe('hold-here');
    await http.delete(`/api/v1/holds/${placed.id}`).set(auth).expect(204);
    expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'A-H1' } })).status).toBe('available');
    expect((await http.delete(`/api/v1/holds/${placed.id}`).set(auth).expect(409)).body.message).toMatch(/already cancelled/);
    await http.delete('/api/v1/holds/99999999').set(auth).expect(404);
    await http.delete('/api/v1/holds/abc').set(auth).expect(400);
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'cancel', entity: 'Hold', entityId: String(placed.id) } });
    expect(audit.actor).toBe('staff-token:circ-desk');
  });

  it('reads the circulation log by device, account and time range', async () => {
    const t = (hhmm: string) => new Date(`2027-03-01T${hhmm}:00Z`);
    await db().prisma.circulationLogEntry.createMany({
      data: [
        { at: t('10:41'), account: 'kiosk', device: 'kiosk-3', messageId: '11', request: '11YN…AB39000000000013|AD***|', response: '121NNY…', outcome: 'ok', ms: 3 },
        { at: t('10:42'), account: 'kiosk', device: 'kiosk-3', messageId: '09', request: '09N…AB39000000000013|', response: '101YNN…', outcome: 'ok', ms: 2 },
        { at: t('10:42'), account: 'kiosk', device: 'kiosk-4', messageId: '63', request: '63…', response: '64…', outcome: 'ok', ms: 1 },
        { at: t('10:50'), account: 'sorter', device: 'sorter-1', messageId: '09', request: '09N…', response: '10…', outcome: 'ok-transit', ms: 4 },
      ],
    });
    const k3 = (await http.get('/api/v1/circulation/log?device=kiosk-3&from=2027-03-01T10:40:00Z&to=2027-03-01T10:45:00Z').set(auth).expect(200)).body;
    expect(k3.total).toBe(2);
    expect(k3.entries.map((e: { messageId: string; at: string }) => [e.messageId, e.at])).toEqual([['11', '2027-03-01T10:41:00.000Z'], ['09', '2027-03-01T10:42:00.000Z']]);
    expect(k3.entries[0].request).toContain('AD***');
    expect((await http.get('/api/v1/circulation/log?account=kiosk&to=2027-03-01T10:42:00Z').set(auth).expect(200)).body.total).toBe(3);
    expect((await http.get('/api/v1/circulation/log?account=sorter&messageId=09').set(auth).expect(200)).body.entries[0].outcome).toBe('ok-transit');
    expect((await http.get('/api/v1/circulation/log?take=1&skip=1&from=2027-03-01T00:00:00Z').set(auth).expect(200)).body).toMatchObject({ total: 4, entries: [{ device: 'kiosk-3', messageId: '09' }] });
    await http.get('/api/v1/circulation/log?from=yesterday').set(auth).expect(400);
    await http.get('/api/v1/circulation/log?from=2027-03-02T00:00:00Z&to=2027-03-01T00:00:00Z').set(auth).expect(400);
    await http.get('/api/v1/circulation/log?take=501').set(auth).expect(400);
    await http.get('/api/v1/circulation/log?messageId=1%7C').set(auth).expect(400);
    await http.get(`/api/v1/circulation/log?device=${'d'.repeat(65)}`).set(auth).expect(400);
  });

  it('documents the circulation endpoints in OpenAPI', async () => {
    const doc = (await http.get('/api/docs/openapi.json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/patrons/{barcode}/loans', '/api/v1/patrons/{barcode}/holds', '/api/v1/patrons/{barcode}/fees', '/api/v1/items/{barcode}/lost',
      '/api/v1/holds', '/api/v1/holds/{id}', '/api/v1/circulation/log',
    ]));
  });

  it('registers the hold-expiry job on the scheduler, and its sweep expires what lapsed', async () => {
    const job = app.get(SchedulerRegistry).getCronJob(HOLD_EXPIRY_JOB);
    expect(job.isActive).toBe(true);
    const next = job.nextDate().toJSDate();
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(DAY);
    const rec = await makeRecord(lib, 'Lapsing');
    await makeItem(lib, { barcode: 'A-X1', recordId: rec, status: 'checked_out' });
    const pid = await makePatron(lib, { barcode: 'API4' });
    await engine.hold({ mode: 'add', patronBarcode: 'API4', titleId: String(rec), expiresAt: new Date(Date.now() - DAY), at: new Date(Date.now() - 2 * DAY), terminal: { branchCode: 'CPL' } });
    const report = await app.get(HoldExpiryJob).run();
    const hold = await db().prisma.hold.findFirstOrThrow({ where: { patronId: pid } });
    expect(report.waiting).toContain(hold.id);
    expect(hold.status).toBe('expired');
    expect((await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'expire', entity: 'Hold', entityId: String(hold.id) } })).actor).toBe('system:hold-expiry');
  });
});

describeEachDatabase('the hold-expiry job and the scheduler role', (db) => {
  it('is not there when the scheduler role is off, and a wrong cron stops the hub with a configuration error', async () => {
    const off = await createHub(testSettings(db(), { CARREL_SCHEDULER_ENABLED: 'false', CARREL_HTTP_ENABLED: 'false' }), createLogger('silent'));
    try {
      // (app.get of a missing provider would end the process: Nest's abortOnError; look at the module graph instead)
      const modules = [...off.get(ModulesContainer).values()];
      expect(modules.some((m) => m.providers.has(HoldExpiryJob))).toBe(false);
      expect(modules.some((m) => m.providers.has(SchedulerRegistry))).toBe(false);
      expect(modules.some((m) => m.providers.has(LocalCirculationEngine))).toBe(false);
    } finally {
      await off.close();
    }
    // passes the settings check (six fields) but is no cron; what had started by then is shut down again
    const shutdown = jest.spyOn(PrintQueueJob.prototype, 'onApplicationShutdown');
    try {
      await expect(createHub(testSettings(db(), { CARREL_HOLD_EXPIRY_CRON: '99 99 99 * * *', CARREL_HTTP_ENABLED: 'false' }), createLogger('silent'))).rejects.toThrow(ConfigError);
      expect(shutdown).toHaveBeenCalledTimes(1);
    } finally {
      shutdown.mockRestore();
    }
    expect(() => testSettings(db(), { CARREL_HOLD_EXPIRY_CRON: 'nightly' })).toThrow(/circulation\.holdExpiryCron .* must be a cron expression/);
  });
});
