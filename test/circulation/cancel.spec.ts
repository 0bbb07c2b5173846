import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine, Terminal } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

const SEC = 1000;
const OTHER_KIOSK: Terminal = { branchCode: 'CPL', account: 'kiosk', device: 'kiosk-2' };

describeEachDatabase('circulation: cancelling a checkout or checkin (SIP BI)', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    await db().prisma.circulationRule.create({ data: { branchCode: 'CPL', loanPeriod: 14, finePerPeriod: '0.25' } });
    ({ mod, engine } = await circulationApp(db(), { cancelWindowSeconds: 120 }));
  });
  afterAll(() => mod?.close());

  const item = (barcode: string) => db().prisma.item.findUniqueOrThrow({ where: { barcode } });
  const openLoans = (barcode: string) => db().prisma.loan.count({ where: { item: { barcode }, returnedAt: null } });

  it('a checkout the kiosk could not desensitize is undone by a checkin with cancel (3M) or a checkout with cancel', async () => {
    await makeItem(lib, { barcode: 'C1' });
    await makeItem(lib, { barcode: 'C2' });
    await makePatron(lib, { barcode: 'CP1' });
    const at = chicago('2027-05-03T10:00:00');
    expect((await engine.checkout({ patronBarcode: 'CP1', itemBarcode: 'C1', at, terminal: CPL })).ok).toBe(true);
    const viaCheckin = await engine.checkin({ itemBarcode: 'C1', at: new Date(at.getTime() + 5 * SEC), terminal: CPL, cancel: true });
    expect(viaCheckin).toMatchObject({ ok: true, resensitize: true, patronBarcode: 'CP1', fineAmount: null, screenMessage: 'Checkout cancelled.' });
    expect(await db().prisma.loan.count({ where: { item: { barcode: 'C1' } } })).toBe(0);
    expect(await item('C1')).toMatchObject({ status: 'available' });
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'checkout-cancel' } });
    expect(audit.actor).toBe('sip2:kiosk');
    expect(JSON.parse(audit.after!)).toMatchObject({ item: 'C1', patron: 'CP1', status: 'available' });
    // nothing left to cancel: a second cancel is refused
    expect(await engine.checkin({ itemBarcode: 'C1', at: new Date(at.getTime() + 6 * SEC), terminal: CPL, cancel: true })).toMatchObject({ ok: false, screenMessage: expect.stringMatching(/nothing to cancel/) });

    expect((await engine.checkout({ patronBarcode: 'CP1', itemBarcode: 'C2', at, terminal: CPL })).ok).toBe(true);
    const viaCheckout = await engine.checkout({ patronBarcode: '', itemBarcode: 'C2', at: new Date(at.getTime() + 3 * SEC), terminal: CPL, cancel: true });
    expect(viaCheckout).toMatchObject({ ok: true, desensitize: false, patronBarcode: 'CP1', dueDate: null, screenMessage: 'Checkout cancelled.' });
    expect(await openLoans('C2')).toBe(0);
    // the patron can borrow it again afterwards
    expect((await engine.checkout({ patronBarcode: 'CP1', itemBarcode: 'C2', at: new Date(at.getTime() + 10 * SEC), terminal: CPL })).ok).toBe(true);
  });

  it('a checkin is undone: the loan is back, the fine it raised is gone, the hold it captured is released', async () => {
    const recordId = await makeRecord(lib, 'Undone');
    await makeItem(lib, { barcode: 'C3', recordId });
    const borrower = await makePatron(lib, { barcode: 'CP3' });
    const waiting = await makePatron(lib, { barcode: 'CP3w' });
    const lent = chicago('2027-05-01T10:00:00'); // due 2027-05-15
    const original = await engine.checkout({ patronBarcode: 'CP3', itemBarcode: 'C3', at: lent, terminal: CPL });
    await engine.hold({ mode: 'add', patronBarcode: 'CP3w', titleId: String(recordId), pickupBranch: 'CPL', at: lent, terminal: CPL });
    const at = chicago('2027-05-20T10:00:00');
    const back = await engine.checkin({ itemBarcode: 'C3', at, terminal: CPL });
    expect(back).toMatchObject({ ok: true, alert: 'hold-here', fineAmount: '1.25', holdPatronBarcode: 'CP3w' });
    expect(await db().prisma.fee.count({ where: { patronId: borrower } })).toBe(1);
    // the kiosk could not re-arm the tag: it sends a checkout with cancel (3M), or the checkin again with cancel
    const undo = await engine.checkout({ patronBarcode: 'CP3', itemBarcode: 'C3', at: new Date(at.getTime() + 4 * SEC), terminal: CPL, cancel: true });
    expect(undo).toMatchObject({ ok: true, desensitize: true, patronBarcode: 'CP3', screenMessage: 'Return cancelled: the item is still on loan to you.' });
    expect(undo.dueDate?.toISOString()).toBe(original.dueDate?.toISOString());
    const loan = await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: 'C3' } } });
    expect(loan).toMatchObject({ returnedAt: null, returnBranch: null, checkinBy: null });
    expect(await item('C3')).toMatchObject({ status: 'checked_out' });
    expect(await db().prisma.fee.count({ where: { patronId: borrower } })).toBe(0);
    expect(await db().prisma.hold.findFirstOrThrow({ where: { patronId: waiting } })).toMatchObject({ status: 'waiting', capturedItemId: null, capturedAt: null, expiresAt: null });
    // the real return later goes the normal way
    expect(await engine.checkin({ itemBarcode: 'C3', at: new Date(at.getTime() + 60 * SEC), terminal: CPL })).toMatchObject({ ok: true, alert: 'hold-here', fineAmount: '1.25' });
  });

  it('undoing the checkout that collected a hold puts the item back on the hold shelf for that patron', async () => {
    const recordId = await makeRecord(lib, 'Collected');
    await makeItem(lib, { barcode: 'C10', recordId });
    const pid = await makePatron(lib, { barcode: 'CP10' });
    const at = chicago('2027-05-07T10:00:00');
    await engine.hold({ mode: 'add', patronBarcode: 'CP10', titleId: String(recordId), pickupBranch: 'CPL', at, terminal: CPL });
    expect((await engine.checkin({ itemBarcode: 'C10', at, terminal: CPL })).alert).toBe('hold-here');
    const shelved = await db().prisma.hold.findFirstOrThrow({ where: { patronId: pid } });
    const out = new Date(at.getTime() + 3_600 * SEC);
    expect((await engine.checkout({ patronBarcode: 'CP10', itemBarcode: 'C10', at: out, terminal: CPL })).ok).toBe(true);
    expect((await db().prisma.hold.findUniqueOrThrow({ where: { id: shelved.id } })).status).toBe('fulfilled');
    expect((await engine.checkin({ itemBarcode: 'C10', at: new Date(out.getTime() + 2 * SEC), terminal: CPL, cancel: true })).ok).toBe(true);
    const restored = await db().prisma.hold.findUniqueOrThrow({ where: { id: shelved.id } });
    expect(restored).toMatchObject({ status: 'on_shelf', closedAt: null, capturedItemId: (await item('C10')).id });
    expect(restored.expiresAt?.toISOString()).toBe(shelved.expiresAt?.toISOString());
    expect(await item('C10')).toMatchObject({ status: 'on_hold_shelf' });
    // the same patron collects it again
    expect((await engine.checkout({ patronBarcode: 'CP10', itemBarcode: 'C10', at: new Date(out.getTime() + 60 * SEC), terminal: CPL })).ok).toBe(true);
  });

  it('undoes a checkin that sent the item in transit or received it from one', async () => {
    await makeItem(lib, { barcode: 'C4', home: 'FPL', holding: 'FPL' });
    const at = chicago('2027-05-04T10:00:00');
    // checked in at CPL: belongs to FPL, goes in transit
    expect((await engine.checkin({ itemBarcode: 'C4', at, terminal: CPL })).alert).toBe('transit');
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'C4' } } })).toBe(1);
    expect((await engine.checkin({ itemBarcode: 'C4', at: new Date(at.getTime() + SEC), terminal: CPL, cancel: true })).ok).toBe(true);
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'C4' } } })).toBe(0);
    expect(await item('C4')).toMatchObject({ status: 'available', branchId: lib.branch.FPL });
    // in transit again, received at FPL, then that receipt is cancelled: the transit is open again
    await engine.checkin({ itemBarcode: 'C4', at: new Date(at.getTime() + 60 * SEC), terminal: CPL });
    const recv = new Date(at.getTime() + 3_600 * SEC);
    expect((await engine.checkin({ itemBarcode: 'C4', at: recv, terminal: FPL })).alert).toBeNull();
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'C4' }, receivedAt: null } })).toBe(0);
    expect((await engine.checkin({ itemBarcode: 'C4', at: new Date(recv.getTime() + SEC), terminal: FPL, cancel: true })).ok).toBe(true);
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'C4' }, receivedAt: null } })).toBe(1);
    expect(await item('C4')).toMatchObject({ status: 'in_transit', branchId: lib.branch.CPL });
  });

  it('refuses another terminal, a late cancel, a paid fine, a renewal or an offline loan, changing nothing', async () => {
    await makeItem(lib, { barcode: 'C5' });
    await makeItem(lib, { barcode: 'C6' });
    await makeItem(lib, { barcode: 'C7' });
    const pid = await makePatron(lib, { barcode: 'CP5' });
    const at = chicago('2027-05-05T10:00:00');
    await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C5', at, terminal: CPL });
    const other = await engine.checkin({ itemBarcode: 'C5', at: new Date(at.getTime() + SEC), terminal: OTHER_KIOSK, cancel: true });
    expect(other).toMatchObject({ ok: false, resensitize: false, screenMessage: expect.stringMatching(/nothing to cancel/) });
    const late = await engine.checkin({ itemBarcode: 'C5', at: new Date(at.getTime() + 121 * SEC), terminal: CPL, cancel: true });
    expect(late).toMatchObject({ ok: false, screenMessage: expect.stringMatching(/Too late/) });
    expect(await openLoans('C5')).toBe(1);
    // a renewal (checkout by the same patron) is not undone
    await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C5', at: new Date(at.getTime() + 130 * SEC), terminal: CPL });
    expect((await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C5', at: new Date(at.getTime() + 131 * SEC), terminal: CPL, cancel: true })).ok).toBe(false);
    expect(await openLoans('C5')).toBe(1);
    // the fine the return raised was paid before the cancel came: refused
    await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C6', at: chicago('2027-04-01T10:00:00'), terminal: CPL });
    const back = await engine.checkin({ itemBarcode: 'C6', at, terminal: CPL });
    expect(back.fineAmount).toBe('5.00'); // 20 days late
    await engine.feePaid({ patronBarcode: 'CP5', amount: '5.00', paymentType: '00', at, terminal: CPL });
    expect(await engine.checkin({ itemBarcode: 'C6', at: new Date(at.getTime() + SEC), terminal: CPL, cancel: true })).toMatchObject({ ok: false, screenMessage: expect.stringMatching(/fine for this return has been paid/) });
    expect(await openLoans('C6')).toBe(0);
    expect(await item('C6')).toMatchObject({ status: 'available' });
    // an offline (no block) loan is for staff
    await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C7', at, terminal: CPL, noBlock: true });
    expect((await engine.checkin({ itemBarcode: 'C7', at: new Date(at.getTime() + SEC), terminal: CPL, cancel: true })).ok).toBe(false);
    expect(await openLoans('C7')).toBe(1);
    // another transaction on the item since: the checkin by kiosk-1 is no longer the last one
    await engine.checkin({ itemBarcode: 'C7', at: new Date(at.getTime() + 2 * SEC), terminal: CPL });
    await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C7', at: new Date(at.getTime() + 3 * SEC), terminal: OTHER_KIOSK });
    expect((await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'C7', at: new Date(at.getTime() + 4 * SEC), terminal: CPL, cancel: true })).ok).toBe(false);
    expect(await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: 'C7' }, returnedAt: null } })).toMatchObject({ patronId: pid, checkoutBy: 'kiosk-2' });
    // unknown items, and items never circulated
    expect(await engine.checkin({ itemBarcode: 'NOPE', at, terminal: CPL, cancel: true })).toMatchObject({ ok: false });
    expect(await engine.checkout({ patronBarcode: 'CP5', itemBarcode: 'NOPE', at, terminal: CPL, cancel: true })).toMatchObject({ ok: false, screenMessage: 'Item not found.' });
    await makeItem(lib, { barcode: 'C8' });
    expect((await engine.checkin({ itemBarcode: 'C8', at, terminal: CPL, cancel: true })).ok).toBe(false);
    const refusedOn = await Promise.all(['C5', 'C6', 'C7', 'C8'].map(async (b) => String((await item(b)).id)));
    expect(await db().prisma.auditEntry.count({ where: { action: { in: ['checkin-cancel', 'checkout-cancel'] }, entity: 'Item', entityId: { in: refusedOn } } })).toBe(0);
  });

  it('two cancels racing for the same checkout: one undoes it, the other is refused', async () => {
    await makeItem(lib, { barcode: 'C9' });
    await makePatron(lib, { barcode: 'CP9' });
    const at = chicago('2027-05-06T10:00:00');
    await engine.checkout({ patronBarcode: 'CP9', itemBarcode: 'C9', at, terminal: CPL });
    const later = new Date(at.getTime() + SEC);
    const both = await Promise.all([engine.checkin({ itemBarcode: 'C9', at: later, terminal: CPL, cancel: true }), engine.checkin({ itemBarcode: 'C9', at: later, terminal: CPL, cancel: true })]);
    expect(both.filter((r) => r.ok)).toHaveLength(1);
    expect(await item('C9')).toMatchObject({ status: 'available' });
    expect(await db().prisma.auditEntry.count({ where: { action: 'checkout-cancel', entity: 'Item', entityId: String((await item('C9')).id) } })).toBe(1);
  });
});
