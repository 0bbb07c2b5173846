import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

const DAY = 86_400_000;

describeEachDatabase('circulation: lost items and their charges', (db) => {
  let lib: Lib;
  const mods: TestingModule[] = [];
  let refund: LocalCirculationEngine;
  let writeoff: LocalCirculationEngine;
  let keep: LocalCirculationEngine;
  const lentAt = chicago('2027-03-01T10:00:00'); // due 2027-03-15 (14 days at CPL)

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    await db().prisma.circulationRule.create({ data: { branchCode: 'CPL', loanPeriod: 14, finePerPeriod: '0.10', fineCap: '3.00' } });
    // DVDs lent at CPL have a lost-item charge of their own
    await db().prisma.circulationRule.create({ data: { branchCode: 'CPL', itemTypeCode: 'DVD', loanPeriod: 14, finePerPeriod: '0.10', fineCap: '3.00', lostItemCharge: '30.00' } });
    for (const [policy, set] of [
      ['refund', (e: LocalCirculationEngine) => (refund = e)],
      ['writeoff', (e: LocalCirculationEngine) => (writeoff = e)],
      ['keep', (e: LocalCirculationEngine) => (keep = e)],
    ] as const) {
      const { mod, engine } = await circulationApp(db(), { lostReturnPolicy: policy, lostItemCharge: '12.00' });
      mods.push(mod);
      set(engine);
    }
  });
  afterAll(async () => {
    for (const m of mods) await m.close();
  });

  async function lend(barcode: string, patron: string, price: string | null, engine = refund, itype = 'BOOK') {
    const itemId = await makeItem(lib, { barcode, title: `Book ${barcode}`, itype });
    if (price !== null) await db().prisma.item.update({ where: { id: itemId }, data: { price } });
    const patronId = await makePatron(lib, { barcode: patron });
    expect((await engine.checkout({ patronBarcode: patron, itemBarcode: barcode, at: lentAt, terminal: CPL })).ok).toBe(true);
    return { itemId, patronId };
  }

  it('declaring lost closes the loan, charges the price as a replacement fee (SIP 07) and marks the item lost', async () => {
    const { itemId, patronId } = await lend('L1', 'LP1', '25.00');
    const at = chicago('2027-04-20T09:00:00');
    const r = await refund.declareLost({ itemBarcode: 'L1', at, terminal: { branchCode: 'CPL', account: 'staff-api', device: 'staff-api' } });
    expect(r).toMatchObject({ ok: true, feeAmount: '25.00', patronBarcode: 'LP1', screenMessage: null });
    const loan = await db().prisma.loan.findFirstOrThrow({ where: { itemId } });
    expect(loan.returnedAt?.toISOString()).toBe(at.toISOString());
    expect(loan.returnBranch).toBeNull();
    expect(await db().prisma.item.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: 'lost' });
    const fee = await db().prisma.fee.findUniqueOrThrow({ where: { id: r.feeId! } });
    expect(fee).toMatchObject({ patronId, type: 'lost', itemId, loanId: loan.id, closedAt: null, description: 'Lost: L1 Book L1' });
    expect(fee.amount.toString()).toBe('25');
    // no longer on loan: it does not count against the patron; the fee does
    const info = await refund.patronInformation({ patronBarcode: 'LP1', at, terminal: CPL, list: 'fines' });
    expect(info).toMatchObject({ counts: { charged: 0, fines: 1 }, feeAmount: '25.00' });
    expect(info.list?.entries).toEqual(['25.00 USD 07 Lost: L1 Book L1']);
    expect((await refund.itemInformation({ itemBarcode: 'L1', at, terminal: CPL })).circulationStatus).toBe('12');
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'lost', entity: 'Item', entityId: String(itemId) } });
    expect(JSON.parse(audit.after!)).toMatchObject({ status: 'lost', patron: 'LP1', charge: '25.00', loan: loan.id });
    // twice, or an unknown item: refused, nothing more charged
    expect(await refund.declareLost({ itemBarcode: 'L1', at, terminal: CPL })).toMatchObject({ ok: false, screenMessage: 'Item is already lost.' });
    expect(await refund.declareLost({ itemBarcode: 'NO-SUCH', at, terminal: CPL })).toMatchObject({ ok: false, screenMessage: 'Item not found.' });
    expect(await db().prisma.fee.count({ where: { patronId } })).toBe(1);
  });

  it('an item without a price is charged its circulation rule\'s lost-item charge, else the setting', async () => {
    const at = chicago('2027-04-20T09:00:00');
    await lend('LR-DVD', 'LRP1', null, refund, 'DVD');
    expect(await refund.declareLost({ itemBarcode: 'LR-DVD', at, terminal: CPL })).toMatchObject({ ok: true, feeAmount: '30.00' });
    await lend('LR-BOOK', 'LRP2', null, refund, 'BOOK');
    expect(await refund.declareLost({ itemBarcode: 'LR-BOOK', at, terminal: CPL })).toMatchObject({ ok: true, feeAmount: '12.00' });
    // a price of its own wins over the rule
    await lend('LR-DVD2', 'LRP3', '19.99', refund, 'DVD');
    expect(await refund.declareLost({ itemBarcode: 'LR-DVD2', at, terminal: CPL })).toMatchObject({ ok: true, feeAmount: '19.99' });
  });

  it('refund: the lost item returned cancels its fee, credits back what was paid, and still raises the overdue fine', async () => {
    const { itemId, patronId } = await lend('L2', 'LP2', '25.00');
    const lostAt = chicago('2027-04-01T09:00:00');
    const lost = await refund.declareLost({ itemBarcode: 'L2', at: lostAt, terminal: CPL });
    // the patron paid 10.00 toward the replacement at a kiosk
    expect(await refund.feePaid({ patronBarcode: 'LP2', amount: '10.00', paymentType: '00', at: lostAt, terminal: CPL })).toMatchObject({ ok: true, feeAmount: '15.00' });
    const backAt = chicago('2027-04-10T11:00:00'); // 26 days late: 2.60, under the 3.00 cap
    const back = await refund.checkin({ itemBarcode: 'L2', at: backAt, terminal: CPL });
    expect(back).toMatchObject({ ok: true, patronBarcode: 'LP2', fineAmount: '2.60', alert: null });
    expect(back.screenMessage).toMatch(/Lost item returned: its lost fee is cancelled/);
    expect(await db().prisma.item.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: 'available' });
    const fees = await db().prisma.fee.findMany({ where: { patronId }, orderBy: { id: 'asc' } });
    expect(fees.map((f) => [f.type, f.amount.toString(), f.outstanding.toString(), f.closedAt === null])).toEqual([
      ['lost', '25', '0', false],
      ['overdue', '2.6', '2.6', true],
      ['credit', '-10', '-10', true],
    ]);
    expect(fees[0]!.id).toBe(lost.feeId);
    // the patron's total nets the credit out; the fine list shows only what is owed; a payment pays debts only
    const info = await refund.patronInformation({ patronBarcode: 'LP2', at: backAt, terminal: CPL, list: 'fines' });
    expect(info).toMatchObject({ feeAmount: '-7.40', counts: { fines: 1 } });
    expect(info.list?.entries).toEqual(['2.60 USD 04 Overdue: L2 Book L2']);
    expect(await refund.feePaid({ patronBarcode: 'LP2', amount: '2.60', paymentType: '00', at: backAt, terminal: CPL })).toMatchObject({ ok: true });
    const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { action: 'checkin', entity: 'Item', entityId: String(itemId) } });
    expect(JSON.parse(audit.after!)).toMatchObject({ lostFees: 'refund', fine: '2.60', credits: [fees[2]!.id] });
  });

  it('writeoff: only what is still owed is written off; keep: the fee stands', async () => {
    const a = await lend('L3', 'LP3', '20.00', writeoff);
    await writeoff.declareLost({ itemBarcode: 'L3', at: chicago('2027-03-10T09:00:00'), terminal: CPL });
    await writeoff.feePaid({ patronBarcode: 'LP3', amount: '5.00', paymentType: '00', at: chicago('2027-03-10T09:00:00'), terminal: CPL });
    // returned before it was due: no fine
    expect(await writeoff.checkin({ itemBarcode: 'L3', at: chicago('2027-03-12T09:00:00'), terminal: CPL })).toMatchObject({ ok: true, fineAmount: null });
    const f3 = await db().prisma.fee.findMany({ where: { patronId: a.patronId } });
    expect(f3.map((f) => [f.type, f.outstanding.toString(), f.closedAt === null])).toEqual([['lost', '0', false]]);

    const b = await lend('L4', 'LP4', null, keep);
    expect(await keep.declareLost({ itemBarcode: 'L4', at: chicago('2027-03-10T09:00:00'), terminal: CPL })).toMatchObject({ ok: true, feeAmount: '12.00' });
    expect((await keep.checkin({ itemBarcode: 'L4', at: chicago('2027-03-12T09:00:00'), terminal: CPL })).screenMessage).toBe('Lost item returned.');
    const f4 = await db().prisma.fee.findMany({ where: { patronId: b.patronId } });
    expect(f4.map((f) => [f.type, f.outstanding.toString(), f.closedAt === null])).toEqual([['lost', '12', true]]);
  });

  it('a lost item that was not on loan charges nobody; found again it simply goes back to the shelf', async () => {
    await makeItem(lib, { barcode: 'L5' });
    expect(await refund.declareLost({ itemBarcode: 'L5', at: lentAt, terminal: CPL })).toEqual({ ok: true, feeAmount: null, feeId: null, patronBarcode: null, screenMessage: null });
    expect(await refund.checkin({ itemBarcode: 'L5', at: lentAt, terminal: CPL })).toMatchObject({ ok: true, patronBarcode: null, fineAmount: null, screenMessage: 'Lost item returned.' });
    expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'L5' } })).status).toBe('available');
  });

  it('an item lost from the hold shelf sends its hold back to the queue, so another copy can serve it', async () => {
    const recordId = await makeRecord(lib, 'Much wanted');
    await makeItem(lib, { barcode: 'L6', recordId });
    await makeItem(lib, { barcode: 'L6b', recordId });
    const pid = await makePatron(lib, { barcode: 'LP6' });
    await refund.hold({ mode: 'add', patronBarcode: 'LP6', titleId: String(recordId), pickupBranch: 'CPL', at: lentAt, terminal: CPL });
    expect((await refund.checkin({ itemBarcode: 'L6', at: lentAt, terminal: CPL })).alert).toBe('hold-here');
    expect((await refund.declareLost({ itemBarcode: 'L6', at: lentAt, terminal: CPL })).ok).toBe(true);
    expect(await db().prisma.hold.findFirstOrThrow({ where: { patronId: pid } })).toMatchObject({ status: 'waiting', capturedItemId: null, expiresAt: null });
    expect(await refund.checkin({ itemBarcode: 'L6b', at: new Date(lentAt.getTime() + DAY), terminal: FPL })).toMatchObject({ alert: 'hold-elsewhere', holdPatronBarcode: 'LP6' });
  });
});
