import type { TestingModule } from '@nestjs/testing';
import { CIRCULATION_BACKEND, LocalCirculationEngine, type CirculationBackend } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

describeEachDatabase('circulation: items, patron information, sort bins', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;
  const at = chicago('2027-03-01T10:00:00');

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    await db().prisma.circulationRule.create({ data: { loanPeriod: 7 } });
    ({ mod, engine } = await circulationApp(db(), {
      sortBinRules: ['CPL:itype:eq:DVD:AV', 'CPL:itemcallnumber:lt:500:NONFIC-LOW', '*:ccode:eq:REF:REF', 'broken rule', 'FPL:homebranch:ne:$holdingbranch:AWAY'],
      currency: 'CAD',
      mediaTypes: { DVD: '005' },
    }));
  });
  afterAll(() => mod?.close());

  it('is provided under CIRCULATION_BACKEND as the same engine', () => {
    expect(mod.get<CirculationBackend>(CIRCULATION_BACKEND)).toBe(engine);
    expect(engine.options).toMatchObject({ timeZone: 'America/Chicago', currency: 'CAD', holdShelfDays: 7, defaultRule: { loanPeriod: 21, renewalsAllowed: 2 } });
  });

  it('reports malformed sort-bin rules and routes by the good ones, first match wins', async () => {
    expect(engine.sortBinProblems).toEqual([{ index: 3, rule: 'broken rule', reason: 'expected branch:field:op:value:bin' }]);
    await makeItem(lib, { barcode: 'SB1', itype: 'DVD', callNumber: '100' });
    await makeItem(lib, { barcode: 'SB2', callNumber: '398.2' });
    await makeItem(lib, { barcode: 'SB3', callNumber: '823', ccode: 'REF' });
    await makeItem(lib, { barcode: 'SB4', callNumber: '823' });
    expect((await engine.checkin({ itemBarcode: 'SB1', at, terminal: CPL })).sortBin).toBe('AV');
    expect((await engine.checkin({ itemBarcode: 'SB2', at, terminal: CPL })).sortBin).toBe('NONFIC-LOW');
    expect((await engine.checkin({ itemBarcode: 'SB3', at, terminal: CPL })).sortBin).toBe('REF');
    expect((await engine.checkin({ itemBarcode: 'SB4', at, terminal: CPL })).sortBin).toBeNull();
    expect((await engine.checkin({ itemBarcode: 'SB4', at, terminal: FPL })).sortBin).toBe('AWAY');
    expect((await engine.checkin({ itemBarcode: 'SB1', at, terminal: CPL })).mediaType).toBe('005');
  });

  it('item information gives the SIP circulation status for every item status', async () => {
    const cases: [string, string][] = [['available', '03'], ['lost', '12'], ['missing', '13'], ['withdrawn', '01'], ['damaged', '01'], ['not_for_loan', '01']];
    for (const [status, code] of cases) {
      await makeItem(lib, { barcode: `II-${status}`, status, home: 'FPL' });
      const info = await engine.itemInformation({ itemBarcode: `II-${status}`, at, terminal: CPL });
      expect(info).toMatchObject({ found: true, circulationStatus: code, owner: 'FPL', currentLocation: 'FPL', currency: 'CAD', dueDate: null, holdPickupDate: null });
    }
    expect(await engine.itemInformation({ itemBarcode: 'NOPE', at, terminal: CPL })).toMatchObject({ found: false, circulationStatus: '01', screenMessage: 'Item not found.' });
  });

  it('item status update stores the properties in notes, refuses unknown items, and is audited', async () => {
    const id = await makeItem(lib, { barcode: 'ISU' });
    expect(await engine.itemStatusUpdate({ itemBarcode: 'ISU', itemProperties: 'RFID tag replaced', at, terminal: CPL })).toEqual({ ok: true, screenMessage: null });
    expect((await db().prisma.item.findUniqueOrThrow({ where: { id } })).notes).toBe('RFID tag replaced');
    expect(await db().prisma.auditEntry.count({ where: { entity: 'Item', entityId: String(id), action: 'update' } })).toBe(1);
    expect(await engine.itemStatusUpdate({ itemBarcode: 'NOPE', itemProperties: 'x', at, terminal: CPL })).toEqual({ ok: false, screenMessage: 'Item not found.' });
  });

  it('patron information counts loans, overdues, fines and holds, and lists the asked range (BP/BQ, 1-based)', async () => {
    const pid = await makePatron(lib, { barcode: 'INFO' });
    for (let i = 1; i <= 5; i++) {
      await makeItem(lib, { barcode: `PI-${i}` });
      await engine.checkout({ patronBarcode: 'INFO', itemBarcode: `PI-${i}`, at: new Date(at.getTime() - (i <= 2 ? 30 : 1) * 86_400_000 + i * 1000), terminal: CPL });
    }
    await db().prisma.fee.create({ data: { patronId: pid, type: 'manual', amount: '2.00', outstanding: '1.50', description: 'lost bookmark' } });
    const q = { patronBarcode: 'INFO', pin: '1234', at, terminal: CPL };
    const info = await engine.patronInformation({ ...q, list: 'charged', start: 2, end: 4 });
    expect(info).toMatchObject({
      found: true, valid: true, pinValid: true, name: 'Pat SurnameINFO', email: 'INFO@example.org', homeBranchCode: 'CPL', categoryCode: 'ADULT',
      feeAmount: '1.50', feeLimit: '5.00', currency: 'CAD',
      counts: { charged: 5, overdue: 2, fines: 1, holds: 0, unavailableHolds: 0, recalls: 0 },
      limits: { charged: 5, holds: null, overdue: null },
    });
    // ordered by due date: the two overdue ones first
    expect(info.list).toEqual({ kind: 'charged', entries: ['PI-2', 'PI-3', 'PI-4'] });
    expect((await engine.patronInformation({ ...q, list: 'overdue', start: 1, end: 5 })).list).toEqual({ kind: 'overdue', entries: ['PI-1', 'PI-2'] });
    expect((await engine.patronInformation({ ...q, list: 'fines' })).list).toEqual({ kind: 'fines', entries: ['1.50 CAD 01 lost bookmark'] });
    expect((await engine.patronInformation({ ...q, list: 'charged', start: 9, end: 12 })).list?.entries).toEqual([]);
    expect((await engine.patronInformation(q)).list).toBeNull();
    // five items: the ADULT limit is reached
    expect((await engine.patronInformation(q)).flags.tooManyItemsCharged).toBe(true);
    expect(await engine.patronInformation({ ...q, patronBarcode: 'GHOST' })).toMatchObject({ found: false, counts: { charged: 0 }, list: null });
  });

  it('lists as recalled the loans another patron\'s hold waits for (item or title)', async () => {
    await makePatron(lib, { barcode: 'RCL' });
    await makePatron(lib, { barcode: 'RCL-OTHER' });
    const wanted = await makeRecord(lib, 'Wanted title');
    await makeItem(lib, { barcode: 'RC-1', recordId: wanted });
    await makeItem(lib, { barcode: 'RC-2' });
    await makeItem(lib, { barcode: 'RC-3' });
    for (const b of ['RC-1', 'RC-2', 'RC-3']) expect((await engine.checkout({ patronBarcode: 'RCL', itemBarcode: b, at, terminal: CPL })).ok).toBe(true);
    const q = { patronBarcode: 'RCL', pin: '1234', at, terminal: CPL };
    expect((await engine.patronInformation(q)).counts.recalls).toBe(0);
    // a title hold by someone else on RC-1's title
    expect((await engine.hold({ mode: 'add', patronBarcode: 'RCL-OTHER', titleId: String(wanted), pickupBranch: 'CPL', at, terminal: CPL })).ok).toBe(true);
    // (the borrower cannot hold what they have: Carrel refuses it, so their own hold never recalls)
    expect((await engine.hold({ mode: 'add', patronBarcode: 'RCL', itemBarcode: 'RC-3', pickupBranch: 'CPL', at, terminal: CPL })).ok).toBe(false);
    const info = await engine.patronInformation({ ...q, list: 'recalls' });
    expect(info.counts.recalls).toBe(1);
    expect(info.list).toEqual({ kind: 'recalls', entries: ['RC-1'] });
    // an item hold by someone else on RC-2
    expect((await engine.hold({ mode: 'add', patronBarcode: 'RCL-OTHER', itemBarcode: 'RC-2', pickupBranch: 'CPL', at, terminal: CPL })).ok).toBe(true);
    expect((await engine.patronInformation({ ...q, list: 'recalls' })).list?.entries.sort()).toEqual(['RC-1', 'RC-2']);
  });
});
