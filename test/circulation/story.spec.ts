import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

describeEachDatabase('circulation: a whole story', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    await db().prisma.circulationRule.create({ data: { branchCode: 'CPL', loanPeriod: 14, renewalsAllowed: 1, finePerPeriod: '0.25', fineCap: '5.00' } });
    ({ mod, engine } = await circulationApp(db(), { sortBinRules: ['*:homebranch:ne:$holdingbranch:9', 'CPL:itype:eq:BOOK:1'] }));
  });
  afterAll(() => mod?.close());

  it('checkout → overdue checkin with fine → hold elsewhere → transit → hold shelf → the hold patron borrows it', async () => {
    const recordId = await makeRecord(lib, 'The Left Hand of Darkness');
    await makeItem(lib, { barcode: 'S1', recordId });
    const annaId = await makePatron(lib, { barcode: 'ANNA', surname: 'Anders' });
    const benId = await makePatron(lib, { barcode: 'BEN', surname: 'Baker', home: 'FPL' });

    // 1. Anna borrows it at CPL: 14 days, due at the end of the day in Chicago
    const out = await engine.checkout({ patronBarcode: 'ANNA', pin: '1234', itemBarcode: 'S1', at: chicago('2027-01-04T10:00:00'), terminal: CPL });
    expect(out).toMatchObject({ ok: true, renewal: false, desensitize: true, title: 'The Left Hand of Darkness', mediaType: '001', callNumber: '823 SMI', screenMessage: null });
    expect(out.dueDate?.toISOString()).toBe('2027-01-19T05:59:59.000Z');
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S1' } })).toMatchObject({ status: 'checked_out' });
    const info = await engine.itemInformation({ itemBarcode: 'S1', at: chicago('2027-01-05T10:00:00'), terminal: CPL });
    expect(info).toMatchObject({ found: true, circulationStatus: '04', holdQueueLength: 0, owner: 'CPL', permanentLocation: 'CPL', currentLocation: 'CPL' });
    expect(info.dueDate?.toISOString()).toBe('2027-01-19T05:59:59.000Z');

    // 2. returned three days late at its home branch: fine 0.75, back to the shelf, no alert
    const back = await engine.checkin({ itemBarcode: 'S1', at: chicago('2027-01-21T09:00:00'), terminal: CPL });
    expect(back).toMatchObject({ ok: true, alert: null, destination: null, patronBarcode: 'ANNA', fineAmount: '0.75', resensitize: true, sortBin: '1', permanentLocation: 'CPL' });
    const fee = await db().prisma.fee.findFirstOrThrow({ where: { patronId: annaId } });
    expect(fee).toMatchObject({ type: 'overdue', currency: 'USD' });
    expect(fee.amount.toString()).toBe('0.75');
    expect(fee.outstanding.toString()).toBe('0.75');
    const loan = await db().prisma.loan.findFirstOrThrow({ where: { patronId: annaId } });
    expect(loan).toMatchObject({ returnBranch: 'CPL', checkoutBy: 'kiosk-1', checkinBy: 'kiosk-1' });
    expect(loan.returnedAt?.toISOString()).toBe(chicago('2027-01-21T09:00:00').toISOString());
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S1' } })).toMatchObject({ status: 'available' });

    // 3. Ben (home FPL) places a title-level hold for pickup at FPL
    const hold = await engine.hold({ mode: 'add', patronBarcode: 'BEN', titleId: String(recordId), at: chicago('2027-01-22T09:00:00'), terminal: FPL });
    expect(hold).toMatchObject({ ok: true, available: true, queuePosition: 1, pickupBranch: 'FPL', title: 'The Left Hand of Darkness' });
    expect((await engine.itemInformation({ itemBarcode: 'S1', at: chicago('2027-01-22T09:00:00'), terminal: CPL })).holdQueueLength).toBe(1);

    // 4. the item passes the CPL sorter: captured for Ben, sent in transit to FPL
    const trap = await engine.checkin({ itemBarcode: 'S1', at: chicago('2027-01-22T10:00:00'), terminal: CPL });
    expect(trap).toMatchObject({ ok: true, alert: 'hold-elsewhere', destination: 'FPL', holdPatronBarcode: 'BEN', holdPatronName: 'Pat Baker', patronBarcode: null, fineAmount: null, sortBin: '1' });
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S1' } })).toMatchObject({ status: 'in_transit' });
    expect(await db().prisma.transit.findFirstOrThrow({ where: { receivedAt: null } })).toMatchObject({ fromBranch: 'CPL', toBranch: 'FPL', reason: 'hold' });
    expect(await db().prisma.hold.findFirstOrThrow({ where: { patronId: benId } })).toMatchObject({ status: 'in_transit' });
    expect((await engine.itemInformation({ itemBarcode: 'S1', at: chicago('2027-01-22T10:00:00'), terminal: CPL })).circulationStatus).toBe('10');
    // Anna cannot take it meanwhile
    const grab = await engine.checkout({ patronBarcode: 'ANNA', itemBarcode: 'S1', at: chicago('2027-01-22T10:05:00'), terminal: CPL });
    expect(grab).toMatchObject({ ok: false, desensitize: false });
    expect(grab.screenMessage).toMatch(/in transit for another patron/);

    // 5. received at FPL: the transit closes, the item goes on the hold shelf for 7 days
    const arrived = await engine.checkin({ itemBarcode: 'S1', at: chicago('2027-01-23T11:00:00'), terminal: FPL });
    expect(arrived).toMatchObject({ ok: true, alert: 'hold-here', destination: 'FPL', holdPatronBarcode: 'BEN', sortBin: '9' });
    expect(await db().prisma.transit.count({ where: { receivedAt: null } })).toBe(0);
    const onShelf = await db().prisma.hold.findFirstOrThrow({ where: { patronId: benId } });
    expect(onShelf.status).toBe('on_shelf');
    expect(onShelf.expiresAt?.toISOString()).toBe(chicago('2027-01-30T11:00:00').toISOString());
    const item = await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S1' } });
    expect(item).toMatchObject({ status: 'on_hold_shelf', branchId: lib.branch.FPL });
    const shelfInfo = await engine.itemInformation({ itemBarcode: 'S1', at: chicago('2027-01-23T12:00:00'), terminal: FPL });
    expect(shelfInfo).toMatchObject({ circulationStatus: '08', holdQueueLength: 0, currentLocation: 'FPL' });
    expect(shelfInfo.holdPickupDate?.toISOString()).toBe(chicago('2027-01-30T11:00:00').toISOString());
    const benInfo = await engine.patronInformation({ patronBarcode: 'BEN', at: chicago('2027-01-23T12:00:00'), terminal: FPL, list: 'holds' });
    expect(benInfo.counts).toMatchObject({ holds: 1, unavailableHolds: 0, charged: 0 });
    expect(benInfo.list).toEqual({ kind: 'holds', entries: ['S1'] });

    // 6. Anna is refused; Ben borrows it and the hold is fulfilled
    expect((await engine.checkout({ patronBarcode: 'ANNA', itemBarcode: 'S1', at: chicago('2027-01-24T10:00:00'), terminal: FPL })).screenMessage).toMatch(/on hold for another patron/);
    const benOut = await engine.checkout({ patronBarcode: 'BEN', pin: '1234', itemBarcode: 'S1', at: chicago('2027-01-24T10:00:00'), terminal: FPL });
    expect(benOut).toMatchObject({ ok: true, renewal: false });
    expect(benOut.dueDate?.toISOString()).toBe('2027-02-15T05:59:59.000Z'); // FPL has no rule: the default 21 days
    expect(await db().prisma.hold.findFirstOrThrow({ where: { patronId: benId } })).toMatchObject({ status: 'fulfilled' });
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S1' } })).toMatchObject({ status: 'checked_out' });

    // every change is in the audit log, attributed to the SIP account, without PINs
    const audit = await db().prisma.auditEntry.findMany({ where: { action: { in: ['checkout', 'checkin', 'create'] }, entity: { in: ['Loan', 'Item', 'Hold'] } }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['checkout', 'checkin', 'create', 'checkin', 'checkin', 'checkout']);
    expect(audit[0].actor).toBe('sip2:kiosk');
    expect(JSON.parse(audit[0].context!)).toMatchObject({ branch: 'CPL', device: 'kiosk-1' });
    expect(audit.map((a) => `${a.before}${a.after}${a.context}`).join('')).not.toContain('1234');
  });

  it('a hold for pickup where the item comes back is captured straight onto the hold shelf', async () => {
    const recordId = await makeRecord(lib, 'Kindred');
    await makeItem(lib, { barcode: 'S2', recordId });
    await makePatron(lib, { barcode: 'CARL' });
    await makePatron(lib, { barcode: 'DORA' });
    expect((await engine.checkout({ patronBarcode: 'CARL', itemBarcode: 'S2', at: chicago('2027-01-04T10:00:00'), terminal: CPL })).ok).toBe(true);
    const h = await engine.hold({ mode: 'add', patronBarcode: 'DORA', itemBarcode: 'S2', pickupBranch: 'CPL', at: chicago('2027-01-05T10:00:00'), terminal: CPL });
    expect(h).toMatchObject({ ok: true, available: false, queuePosition: 1, itemBarcode: 'S2' });
    const r = await engine.checkin({ itemBarcode: 'S2', at: chicago('2027-01-06T10:00:00'), terminal: CPL });
    expect(r).toMatchObject({ ok: true, alert: 'hold-here', destination: 'CPL', holdPatronBarcode: 'DORA', patronBarcode: 'CARL', fineAmount: null });
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'S2' } } })).toBe(0);
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S2' } })).toMatchObject({ status: 'on_hold_shelf' });
    // checked in again while on the shelf: still hers, nothing new
    const again = await engine.checkin({ itemBarcode: 'S2', at: chicago('2027-01-06T11:00:00'), terminal: CPL });
    expect(again).toMatchObject({ ok: true, alert: 'hold-here', holdPatronBarcode: 'DORA' });
    expect(await db().prisma.hold.count({ where: { patronId: { not: undefined }, status: 'on_shelf', capturedItem: { barcode: 'S2' } } })).toBe(1);
  });

  it('an item returned away from home goes in transit home, and the transit closes when it arrives', async () => {
    await makeItem(lib, { barcode: 'S3' });
    await makePatron(lib, { barcode: 'EVE' });
    await engine.checkout({ patronBarcode: 'EVE', itemBarcode: 'S3', at: chicago('2027-01-04T10:00:00'), terminal: CPL });
    const away = await engine.checkin({ itemBarcode: 'S3', at: chicago('2027-01-05T10:00:00'), terminal: FPL });
    expect(away).toMatchObject({ ok: true, alert: 'transit', destination: 'CPL', permanentLocation: 'CPL', holdPatronBarcode: null, sortBin: '9' });
    expect(away.screenMessage).toMatch(/CPL/);
    expect(await db().prisma.transit.findFirstOrThrow({ where: { item: { barcode: 'S3' } } })).toMatchObject({ fromBranch: 'FPL', toBranch: 'CPL', reason: 'home', receivedAt: null });
    expect((await engine.itemInformation({ itemBarcode: 'S3', at: chicago('2027-01-05T11:00:00'), terminal: FPL })).circulationStatus).toBe('10');
    const home = await engine.checkin({ itemBarcode: 'S3', at: chicago('2027-01-06T10:00:00'), terminal: CPL });
    expect(home).toMatchObject({ ok: true, alert: null, destination: null, sortBin: '1' });
    const t = await db().prisma.transit.findFirstOrThrow({ where: { item: { barcode: 'S3' } } });
    expect(t.receivedAt?.toISOString()).toBe(chicago('2027-01-06T10:00:00').toISOString());
    expect(await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S3' } })).toMatchObject({ status: 'available', branchId: lib.branch.CPL });
  });

  it('checking in an item that is not on loan still works, and unknown items are refused', async () => {
    await makeItem(lib, { barcode: 'S4' });
    expect(await engine.checkin({ itemBarcode: 'S4', at: chicago('2027-01-05T10:00:00'), terminal: CPL })).toMatchObject({ ok: true, alert: null, patronBarcode: null, fineAmount: null });
    const lost = await makeItem(lib, { barcode: 'S5', status: 'lost' });
    expect(await engine.checkin({ itemBarcode: 'S5', at: chicago('2027-01-05T10:00:00'), terminal: CPL })).toMatchObject({ ok: true, alert: null });
    expect((await db().prisma.item.findUniqueOrThrow({ where: { id: lost } })).status).toBe('available');
    await makeItem(lib, { barcode: 'S6', status: 'withdrawn' });
    expect(await engine.checkin({ itemBarcode: 'S6', at: chicago('2027-01-05T10:00:00'), terminal: CPL })).toMatchObject({ ok: true, alert: 'other', resensitize: false });
    expect(await engine.checkin({ itemBarcode: 'NOPE', at: chicago('2027-01-05T10:00:00'), terminal: CPL })).toMatchObject({ ok: false, alert: null, screenMessage: expect.stringMatching(/not found/) });
  });

  it('an expired hold on the shelf is passed over for the next in the queue', async () => {
    const recordId = await makeRecord(lib, 'Parable of the Sower');
    await makeItem(lib, { barcode: 'S7', recordId });
    await makePatron(lib, { barcode: 'FAY' });
    await makePatron(lib, { barcode: 'GUS' });
    await engine.hold({ mode: 'add', patronBarcode: 'FAY', titleId: String(recordId), pickupBranch: 'CPL', at: chicago('2027-01-04T10:00:00'), terminal: CPL });
    await engine.hold({ mode: 'add', patronBarcode: 'GUS', titleId: String(recordId), pickupBranch: 'CPL', at: chicago('2027-01-04T11:00:00'), terminal: CPL });
    expect((await engine.checkin({ itemBarcode: 'S7', at: chicago('2027-01-05T10:00:00'), terminal: CPL })).holdPatronBarcode).toBe('FAY');
    const later = await engine.checkin({ itemBarcode: 'S7', at: chicago('2027-01-20T10:00:00'), terminal: CPL });
    expect(later).toMatchObject({ alert: 'hold-here', holdPatronBarcode: 'GUS' });
    expect((await db().prisma.hold.findFirstOrThrow({ where: { patron: { barcode: 'FAY' } } })).status).toBe('expired');
  });

  it('a failure inside the transaction leaves no half-written loan', async () => {
    await makeItem(lib, { barcode: 'S8' });
    await makePatron(lib, { barcode: 'HAL' });
    // the engine writes its audit entry itself, last in the transaction (plain SQL): make that insert fail
    const sqlite = db().provider === 'sqlite';
    const enginePrisma = mod.get((await import('@carrel/db')).DbService).prisma;
    if (sqlite) await enginePrisma.$executeRawUnsafe(`CREATE TEMP TRIGGER "fail_audit" BEFORE INSERT ON "AuditEntry" BEGIN SELECT RAISE(ABORT, 'disk full'); END`);
    else {
      await enginePrisma.$executeRawUnsafe(`CREATE FUNCTION "fail_audit"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'disk full'; END$$`);
      await enginePrisma.$executeRawUnsafe(`CREATE TRIGGER "fail_audit" BEFORE INSERT ON "AuditEntry" FOR EACH ROW EXECUTE FUNCTION "fail_audit"()`);
    }
    try {
      // (compared by message: the SQLite driver's error comes from another realm than Jest's)
      const failed = await engine.checkout({ patronBarcode: 'HAL', itemBarcode: 'S8', at: chicago('2027-01-04T10:00:00'), terminal: CPL }).then(() => null, (e: unknown) => e as { message?: string });
      expect(failed?.message).toContain('disk full');
    } finally {
      if (sqlite) await enginePrisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS temp."fail_audit"`);
      else {
        await enginePrisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS "fail_audit" ON "AuditEntry"`);
        await enginePrisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS "fail_audit"()`);
      }
    }
    expect(await db().prisma.loan.count({ where: { item: { barcode: 'S8' } } })).toBe(0);
    expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S8' } })).status).toBe('available');
    expect((await engine.checkout({ patronBarcode: 'HAL', itemBarcode: 'S8', at: chicago('2027-01-04T10:01:00'), terminal: CPL })).ok).toBe(true);
  });

  it('concurrent checkouts of one item lend it once; concurrent checkins return it once', async () => {
    await makeItem(lib, { barcode: 'S9' });
    await makePatron(lib, { barcode: 'IDA' });
    await makePatron(lib, { barcode: 'JON' });
    const at = chicago('2027-01-04T10:00:00');
    const outs = await Promise.all([
      engine.checkout({ patronBarcode: 'IDA', itemBarcode: 'S9', at, terminal: CPL }),
      engine.checkout({ patronBarcode: 'JON', itemBarcode: 'S9', at, terminal: { ...CPL, device: 'kiosk-2' } }),
    ]);
    expect(outs.filter((o) => o.ok)).toHaveLength(1);
    expect(outs.find((o) => !o.ok)?.screenMessage).toBeTruthy();
    expect(await db().prisma.loan.count({ where: { item: { barcode: 'S9' } } })).toBe(1);
    const late = chicago('2027-03-01T10:00:00');
    const ins = await Promise.all([engine.checkin({ itemBarcode: 'S9', at: late, terminal: CPL }), engine.checkin({ itemBarcode: 'S9', at: late, terminal: CPL })]);
    expect(ins.some((r) => r.ok && r.fineAmount === '5.00')).toBe(true); // capped at 5.00
    const s9 = await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S9' } });
    expect(await db().prisma.fee.count({ where: { itemId: s9.id } })).toBe(1);
    expect(await db().prisma.loan.count({ where: { item: { barcode: 'S9' }, returnedAt: null } })).toBe(0);
  });

  it('an item in transit home can be lent where it is; the transit closes', async () => {
    await makeItem(lib, { barcode: 'S10' });
    await makePatron(lib, { barcode: 'KAI' });
    await engine.checkin({ itemBarcode: 'S10', at: chicago('2027-01-04T10:00:00'), terminal: FPL });
    expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'S10' } })).status).toBe('in_transit');
    expect((await engine.checkout({ patronBarcode: 'KAI', itemBarcode: 'S10', at: chicago('2027-01-04T11:00:00'), terminal: FPL })).ok).toBe(true);
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'S10' }, receivedAt: null } })).toBe(0);
  });

  it('the fine counts to the real return date (returnDate), and a checkin cancel with nothing to cancel here is refused without change', async () => {
    await makeItem(lib, { barcode: 'S11' });
    await makePatron(lib, { barcode: 'LEO' });
    await engine.checkout({ patronBarcode: 'LEO', itemBarcode: 'S11', at: chicago('2027-01-04T10:00:00'), terminal: CPL }); // due Jan 18
    const cancel = await engine.checkin({ itemBarcode: 'S11', at: chicago('2027-01-25T10:00:00'), terminal: CPL, cancel: true });
    // the checkout was made long ago (and the cancel window is minutes): nothing to undo
    expect(cancel).toMatchObject({ ok: false, screenMessage: expect.stringMatching(/Too late to cancel/) });
    expect(await db().prisma.loan.count({ where: { item: { barcode: 'S11' }, returnedAt: null } })).toBe(1);
    // dropped in the book drop on Jan 20, emptied on Jan 25: 2 days late, not 7
    const r = await engine.checkin({ itemBarcode: 'S11', at: chicago('2027-01-25T10:00:00'), returnDate: chicago('2027-01-20T08:00:00'), terminal: CPL });
    expect(r).toMatchObject({ ok: true, fineAmount: '0.50' });
    expect((await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: 'S11' } } })).returnedAt?.toISOString()).toBe(chicago('2027-01-20T08:00:00').toISOString());
  });
});
