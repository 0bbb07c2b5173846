import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

describeEachDatabase('circulation: fees and holds', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;
  const at = chicago('2027-02-01T10:00:00');

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    ({ mod, engine } = await circulationApp(db()));
  });
  afterAll(() => mod?.close());

  async function fees(patronId: number, amounts: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const [i, a] of amounts.entries()) {
      const f = await db().prisma.fee.create({ data: { patronId, type: 'overdue', amount: a, outstanding: a, description: `fee ${i}`, createdAt: new Date(Date.UTC(2027, 0, 1 + i)) } });
      ids.push(f.id);
    }
    return ids;
  }

  describe('fee paid', () => {
    it('pays the oldest fees first, partially, and closes what is paid off', async () => {
      const pid = await makePatron(lib, { barcode: 'PAY1' });
      const [a, b, c] = await fees(pid, ['1.50', '2.00', '0.75']);
      const r = await engine.feePaid({ patronBarcode: 'PAY1', pin: '1234', amount: '2.25', paymentType: '00', currency: 'USD', transactionId: 'BK-1', at, terminal: CPL });
      expect(r).toEqual({ ok: true, transactionId: 'BK-1', feeAmount: '2.00', screenMessage: null });
      const rows = await db().prisma.fee.findMany({ where: { patronId: pid }, orderBy: { id: 'asc' } });
      expect(rows.map((f) => [f.id, f.outstanding.toString(), f.closedAt?.toISOString() ?? null])).toEqual([
        [a, '0', at.toISOString()],
        [b, '1.25', null],
        [c, '0.75', null],
      ]);
      const pay = await db().prisma.payment.findFirstOrThrow({ where: { patronId: pid } });
      expect(pay).toMatchObject({ paymentType: '00', transactionId: 'BK-1', currency: 'USD', feeId: null, device: 'kiosk-1' });
      expect(pay.amount.toString()).toBe('2.25');
      const audit = await db().prisma.auditEntry.findFirstOrThrow({ where: { entity: 'Payment', entityId: String(pay.id) } });
      expect(JSON.parse(audit.after!).applied).toEqual([{ feeId: a, amount: '1.50', outstanding: '0.00' }, { feeId: b, amount: '0.75', outstanding: '1.25' }]);
    });

    it('the same transaction id paid twice is paid once, even when the retries race', async () => {
      const pid = await makePatron(lib, { barcode: 'PAY2' });
      await fees(pid, ['3.00']);
      const req = { patronBarcode: 'PAY2', amount: '1.00', paymentType: '02', transactionId: 'BK-77', at, terminal: CPL };
      expect(await engine.feePaid(req)).toMatchObject({ ok: true, feeAmount: '2.00' });
      expect(await engine.feePaid(req)).toMatchObject({ ok: true, feeAmount: '2.00', transactionId: 'BK-77' });
      const race = await Promise.all([engine.feePaid({ ...req, transactionId: 'BK-78' }), engine.feePaid({ ...req, transactionId: 'BK-78' })]);
      expect(race.every((r) => r.ok)).toBe(true);
      expect(await db().prisma.payment.count({ where: { patronId: pid } })).toBe(2);
      expect((await db().prisma.fee.findFirstOrThrow({ where: { patronId: pid } })).outstanding.toString()).toBe('1');
      // another patron may reuse the kiosk's transaction id
      const other = await makePatron(lib, { barcode: 'PAY2b' });
      await fees(other, ['1.00']);
      expect(await engine.feePaid({ ...req, patronBarcode: 'PAY2b' })).toMatchObject({ ok: true, feeAmount: '0.00' });
    });

    it('pays a given fee id', async () => {
      const pid = await makePatron(lib, { barcode: 'PAY3' });
      const [, second] = await fees(pid, ['1.00', '4.00']);
      expect(await engine.feePaid({ patronBarcode: 'PAY3', amount: '4', paymentType: '01', feeId: String(second), at, terminal: CPL })).toMatchObject({ ok: true, feeAmount: '1.00' });
      expect((await db().prisma.fee.findUniqueOrThrow({ where: { id: second } })).closedAt).not.toBeNull();
      expect((await db().prisma.payment.findFirstOrThrow({ where: { patronId: pid } })).feeId).toBe(second);
      expect(await engine.feePaid({ patronBarcode: 'PAY3', amount: '1.00', paymentType: '01', feeId: '999999', at, terminal: CPL })).toMatchObject({ ok: false, screenMessage: 'Unknown fee.' });
    });

    it('pays only fees of the type the kiosk names (37 fee type), oldest first; 01 means any fee', async () => {
      const pid = await makePatron(lib, { barcode: 'PAY5' });
      const [overdue] = await fees(pid, ['1.00']);
      const lost = (await db().prisma.fee.create({ data: { patronId: pid, type: 'lost', amount: '20.00', outstanding: '20.00', description: 'Lost', createdAt: new Date(Date.UTC(2027, 0, 9)) } })).id;
      const base = { patronBarcode: 'PAY5', paymentType: '00', at, terminal: CPL };
      // 07 replacement: the lost fee, though the overdue fine is older
      expect(await engine.feePaid({ ...base, amount: '5.00', feeType: '07' })).toMatchObject({ ok: true, feeAmount: '16.00' });
      expect((await db().prisma.fee.findUniqueOrThrow({ where: { id: lost } })).outstanding.toString()).toBe('15');
      expect((await db().prisma.fee.findUniqueOrThrow({ where: { id: overdue } })).outstanding.toString()).toBe('1');
      // more than fees of that type come to is refused, though the patron owes more in all
      expect(await engine.feePaid({ ...base, amount: '15.50', feeType: '07' })).toMatchObject({ ok: false, screenMessage: expect.stringMatching(/more than the 15.00 USD owed/) });
      // a type the patron owes nothing of
      expect(await engine.feePaid({ ...base, amount: '1.00', feeType: '03' })).toMatchObject({ ok: false, feeAmount: '16.00', screenMessage: 'No damage fees are owed.' });
      // 01 (other/unknown), none, or an unknown code: any fee, oldest first
      for (const feeType of ['01', null, '42']) {
        expect(await engine.feePaid({ ...base, amount: '0.25', feeType })).toMatchObject({ ok: true });
      }
      expect((await db().prisma.fee.findUniqueOrThrow({ where: { id: overdue } })).outstanding.toString()).toBe('0.25');
      // a named fee (CG) wins over the type
      expect(await engine.feePaid({ ...base, amount: '0.25', feeType: '07', feeId: String(overdue) })).toMatchObject({ ok: true, feeAmount: '15.00' });
    });

    it('refuses over-payment, bad amounts, other currencies, wrong PINs and unknown patrons, writing nothing', async () => {
      const pid = await makePatron(lib, { barcode: 'PAY4' });
      await fees(pid, ['1.00']);
      const base = { patronBarcode: 'PAY4', paymentType: '00', at, terminal: CPL };
      expect(await engine.feePaid({ ...base, amount: '1.01' })).toMatchObject({ ok: false, feeAmount: '1.00', screenMessage: expect.stringMatching(/more than the 1.00 USD owed/) });
      for (const amount of ['', 'abc', '-1', '0', '0.001', '1e2']) expect((await engine.feePaid({ ...base, amount })).ok).toBe(false);
      expect((await engine.feePaid({ ...base, amount: '1.00', currency: 'EUR' })).screenMessage).toMatch(/USD/);
      expect((await engine.feePaid({ ...base, amount: '1.00', pin: '0000' })).screenMessage).toBe('Wrong PIN.');
      expect(await engine.feePaid({ ...base, patronBarcode: 'GHOST', amount: '1.00' })).toMatchObject({ ok: false, feeAmount: '0.00' });
      expect(await db().prisma.payment.count({ where: { patronId: pid } })).toBe(0);
    });
  });

  describe('lost items', () => {
    it('declaring an item lost charges the borrower its price; finding it writes the charge off', async () => {
      const itemId = await makeItem(lib, { barcode: 'LOST1' });
      await db().prisma.item.update({ where: { id: itemId }, data: { price: '25.00' } });
      const pid = await makePatron(lib, { barcode: 'LOSER' });
      await engine.checkout({ patronBarcode: 'LOSER', itemBarcode: 'LOST1', at, terminal: CPL });
      expect(await engine.declareLost({ itemBarcode: 'LOST1', at, terminal: CPL })).toEqual({ ok: true, feeAmount: '25.00', feeId: expect.any(Number), patronBarcode: 'LOSER', screenMessage: null });
      expect((await engine.declareLost({ itemBarcode: 'LOST1', at, terminal: CPL })).ok).toBe(false);
      expect(await db().prisma.fee.findFirstOrThrow({ where: { patronId: pid, type: 'lost' } })).toMatchObject({ itemId, closedAt: null });
      expect(await engine.patronStatus({ patronBarcode: 'LOSER', at, terminal: CPL })).toMatchObject({ feeAmount: '25.00', flags: { excessiveOutstandingFines: true } });
      expect((await engine.itemInformation({ itemBarcode: 'LOST1', at, terminal: CPL })).circulationStatus).toBe('12');
      const back = await engine.checkin({ itemBarcode: 'LOST1', at: new Date(at.getTime() + 86_400_000), terminal: CPL });
      expect(back).toMatchObject({ ok: true, patronBarcode: 'LOSER', alert: null });
      expect(await db().prisma.item.findUniqueOrThrow({ where: { id: itemId } })).toMatchObject({ status: 'available' });
      const fee = await db().prisma.fee.findFirstOrThrow({ where: { patronId: pid, type: 'lost' } });
      expect(fee.outstanding.toString()).toBe('0');
      expect(fee.closedAt).not.toBeNull();
      expect((await engine.patronStatus({ patronBarcode: 'LOSER', at, terminal: CPL })).feeAmount).toBe('0.00');
    });

    it('an item without a price and no configured charge is marked lost without a fee', async () => {
      await makeItem(lib, { barcode: 'LOST2' });
      await makePatron(lib, { barcode: 'LOSER2' });
      await engine.checkout({ patronBarcode: 'LOSER2', itemBarcode: 'LOST2', at, terminal: CPL });
      expect(await engine.declareLost({ itemBarcode: 'LOST2', at, terminal: CPL })).toEqual({ ok: true, feeAmount: null, feeId: null, patronBarcode: 'LOSER2', screenMessage: null });
      expect(await engine.declareLost({ itemBarcode: 'NOPE', at, terminal: CPL })).toMatchObject({ ok: false, screenMessage: 'Item not found.' });
    });
  });

  describe('holds', () => {
    it('queues title holds in order; cancelling moves the others up; checkin captures the first', async () => {
      const recordId = await makeRecord(lib, 'Dune');
      await makeItem(lib, { barcode: 'Q1', recordId, status: 'checked_out' });
      const lender = await makePatron(lib, { barcode: 'QL' });
      const item = await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'Q1' } });
      await db().prisma.loan.create({ data: { itemId: item.id, patronId: lender, branchCode: 'CPL', checkedOutAt: at, dueAt: new Date(at.getTime() + 86_400_000) } });
      for (const b of ['Q-A', 'Q-B', 'Q-C']) await makePatron(lib, { barcode: b });
      const add = (b: string, minutes: number, pickup = 'CPL') =>
        engine.hold({ mode: 'add', patronBarcode: b, titleId: String(recordId), pickupBranch: pickup, at: new Date(at.getTime() + minutes * 60_000), terminal: CPL });
      expect((await add('Q-A', 1)).queuePosition).toBe(1);
      expect((await add('Q-B', 2, 'FPL')).queuePosition).toBe(2);
      expect((await add('Q-C', 3)).queuePosition).toBe(3);
      expect((await add('Q-C', 4)).screenMessage).toMatch(/already have a hold/);
      expect((await add('QL', 4)).screenMessage).toMatch(/already have this title on loan/);
      expect((await engine.itemInformation({ itemBarcode: 'Q1', at, terminal: CPL })).holdQueueLength).toBe(3);

      expect(await engine.hold({ mode: 'delete', patronBarcode: 'Q-A', titleId: String(recordId), at, terminal: CPL })).toMatchObject({ ok: true });
      const changed = await engine.hold({ mode: 'change', patronBarcode: 'Q-C', titleId: String(recordId), pickupBranch: 'FPL', expiresAt: new Date('2027-06-01T00:00:00Z'), at, terminal: CPL });
      expect(changed).toMatchObject({ ok: true, queuePosition: 2, pickupBranch: 'FPL' });
      expect(changed.expiresAt?.toISOString()).toBe('2027-06-01T00:00:00.000Z');
      expect((await engine.hold({ mode: 'delete', patronBarcode: 'Q-A', titleId: String(recordId), at, terminal: CPL })).screenMessage).toMatch(/No hold found/);

      const r = await engine.checkin({ itemBarcode: 'Q1', at: new Date(at.getTime() + 3_600_000), terminal: CPL });
      expect(r).toMatchObject({ alert: 'hold-elsewhere', destination: 'FPL', holdPatronBarcode: 'Q-B', patronBarcode: 'QL' });
      const pi = await engine.patronInformation({ patronBarcode: 'Q-C', at, terminal: CPL, list: 'unavailableHolds' });
      expect(pi.counts).toMatchObject({ holds: 0, unavailableHolds: 1 });
      expect(pi.list).toEqual({ kind: 'unavailableHolds', entries: ['Dune'] });
    });

    it('an item-level hold waits for that item only; a title hold takes any copy', async () => {
      const recordId = await makeRecord(lib, 'Emma');
      await makeItem(lib, { barcode: 'E1', recordId });
      await makeItem(lib, { barcode: 'E2', recordId });
      await makePatron(lib, { barcode: 'E-ITEM' });
      await makePatron(lib, { barcode: 'E-TITLE' });
      expect(await engine.hold({ mode: 'add', patronBarcode: 'E-ITEM', itemBarcode: 'E2', at, terminal: CPL })).toMatchObject({ ok: true, available: true, itemBarcode: 'E2', pickupBranch: 'CPL' });
      await engine.hold({ mode: 'add', patronBarcode: 'E-TITLE', titleId: String(recordId), at: new Date(at.getTime() + 60_000), terminal: CPL });
      expect((await engine.checkin({ itemBarcode: 'E1', at, terminal: CPL })).holdPatronBarcode).toBe('E-TITLE');
      expect((await engine.checkin({ itemBarcode: 'E2', at, terminal: CPL })).holdPatronBarcode).toBe('E-ITEM');
    });

    it('cancelling a hold waiting on the shelf releases the item', async () => {
      const recordId = await makeRecord(lib, 'Middlemarch');
      await makeItem(lib, { barcode: 'M1', recordId });
      await makePatron(lib, { barcode: 'M-P' });
      await engine.hold({ mode: 'add', patronBarcode: 'M-P', titleId: String(recordId), at, terminal: CPL });
      await engine.checkin({ itemBarcode: 'M1', at, terminal: CPL });
      expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'M1' } })).status).toBe('on_hold_shelf');
      expect((await engine.hold({ mode: 'change', patronBarcode: 'M-P', titleId: String(recordId), pickupBranch: 'FPL', at, terminal: CPL })).screenMessage).toMatch(/already been captured/);
      expect((await engine.hold({ mode: 'delete', patronBarcode: 'M-P', titleId: String(recordId), at, terminal: CPL })).ok).toBe(true);
      expect((await db().prisma.item.findUniqueOrThrow({ where: { barcode: 'M1' } })).status).toBe('available');
    });

    it('lapsed waiting holds are passed over, even a long run of them at the head of the queue', async () => {
      const recordId = await makeRecord(lib, 'Beloved');
      await makeItem(lib, { barcode: 'LAPSE1', recordId });
      await makeItem(lib, { barcode: 'LAPSE2', recordId });
      const lapsed: { patronId: number; recordId: number; pickupBranch: string; placedAt: Date; expiresAt: Date }[] = [];
      for (let i = 0; i < 25; i++) {
        const pid = await makePatron(lib, { barcode: `LAPSED-${i}` });
        lapsed.push({ patronId: pid, recordId, pickupBranch: 'CPL', placedAt: new Date(at.getTime() - 90 * 86_400_000 + i * 1000), expiresAt: new Date(at.getTime() - 86_400_000) });
      }
      await db().prisma.hold.createMany({ data: lapsed });
      await makePatron(lib, { barcode: 'LIVE' });
      expect(await engine.hold({ mode: 'add', patronBarcode: 'LIVE', titleId: String(recordId), at, terminal: CPL })).toMatchObject({ ok: true, queuePosition: 1 });
      expect((await engine.itemInformation({ itemBarcode: 'LAPSE1', at, terminal: CPL })).holdQueueLength).toBe(1);
      expect((await engine.checkin({ itemBarcode: 'LAPSE1', at, terminal: CPL })).holdPatronBarcode).toBe('LIVE');
      // nobody else waits: the other copy goes to the shelf, and renewals are not blocked by lapsed holds
      expect((await engine.checkin({ itemBarcode: 'LAPSE2', at, terminal: CPL })).alert).toBeNull();
      await makePatron(lib, { barcode: 'RENEWER' });
      await engine.checkout({ patronBarcode: 'RENEWER', itemBarcode: 'LAPSE2', at, terminal: CPL });
      expect((await engine.renew({ patronBarcode: 'RENEWER', itemBarcode: 'LAPSE2', at, terminal: CPL })).ok).toBe(true);
    });

    it('refuses unknown titles, items, pickup branches and invalid patrons', async () => {
      await makePatron(lib, { barcode: 'H-OK' });
      await makePatron(lib, { barcode: 'H-EXP', expiryDate: new Date('2020-01-01T00:00:00Z') });
      const recordId = await makeRecord(lib, 'Orlando');
      const base = { mode: 'add' as const, patronBarcode: 'H-OK', at, terminal: CPL };
      expect((await engine.hold({ ...base, titleId: '99999999' })).screenMessage).toBe('Title not found.');
      expect((await engine.hold({ ...base, titleId: 'abc' })).screenMessage).toBe('Title not found.');
      expect((await engine.hold({ ...base, itemBarcode: 'NOPE' })).screenMessage).toBe('Item not found.');
      expect((await engine.hold({ ...base })).screenMessage).toMatch(/No item or title/);
      expect((await engine.hold({ ...base, titleId: String(recordId), pickupBranch: 'XXX' })).screenMessage).toMatch(/Unknown pickup branch/);
      expect((await engine.hold({ ...base, patronBarcode: 'H-EXP', titleId: String(recordId) })).screenMessage).toMatch(/expired/);
      expect((await engine.hold({ ...base, patronBarcode: 'GHOST', titleId: String(recordId) })).screenMessage).toBe('Patron not found.');
      expect(await db().prisma.hold.count({ where: { recordId } })).toBe(0);
      expect((await engine.hold({ ...base, titleId: String(recordId), terminal: FPL })).pickupBranch).toBe('CPL'); // the patron's home branch
    });
  });
});
