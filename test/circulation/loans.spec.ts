import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

describeEachDatabase('circulation: renewals, limits, blocks, calendars', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;
  const at = chicago('2027-01-04T10:00:00'); // a Monday

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    await db().prisma.circulationRule.createMany({
      data: [
        { branchCode: '*', patronCategoryCode: '*', itemTypeCode: '*', loanPeriod: 14, renewalsAllowed: 1 },
        { branchCode: '*', patronCategoryCode: '*', itemTypeCode: 'DVD', loanPeriod: 7, renewalsAllowed: 0, maxItems: 1 },
        { branchCode: 'MPL', patronCategoryCode: '*', itemTypeCode: '*', loanPeriod: 4, loanPeriodUnit: 'hours' },
      ],
    });
    ({ mod, engine } = await circulationApp(db()));
  });
  afterAll(() => mod?.close());

  describe('renewals', () => {
    it('renews from `at`, then refuses when the renewal limit is reached', async () => {
      await makeItem(lib, { barcode: 'R1' });
      await makePatron(lib, { barcode: 'P-R1' });
      await engine.checkout({ patronBarcode: 'P-R1', itemBarcode: 'R1', at, terminal: CPL });
      const r = await engine.renew({ patronBarcode: 'P-R1', pin: '1234', itemBarcode: 'R1', at: chicago('2027-01-10T12:00:00'), terminal: CPL });
      expect(r).toMatchObject({ ok: true, renewal: true });
      expect(r.dueDate?.toISOString()).toBe('2027-01-25T05:59:59.000Z'); // Jan 24 end of day
      expect((await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: 'R1' } } })).renewals).toBe(1);
      const again = await engine.renew({ patronBarcode: 'P-R1', itemBarcode: 'R1', at: chicago('2027-01-11T12:00:00'), terminal: CPL });
      expect(again).toMatchObject({ ok: false, dueDate: null });
      expect(again.screenMessage).toMatch(/no more renewals/);
      expect((await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: 'R1' } } })).dueAt.toISOString()).toBe('2027-01-25T05:59:59.000Z');
    });

    it('checking out an item the patron already has is a renewal', async () => {
      await makeItem(lib, { barcode: 'R2' });
      await makePatron(lib, { barcode: 'P-R2' });
      await engine.checkout({ patronBarcode: 'P-R2', itemBarcode: 'R2', at, terminal: CPL });
      const again = await engine.checkout({ patronBarcode: 'P-R2', itemBarcode: 'R2', at: chicago('2027-01-05T10:00:00'), terminal: CPL });
      expect(again).toMatchObject({ ok: true, renewal: true });
      expect(again.dueDate?.toISOString()).toBe('2027-01-20T05:59:59.000Z');
      expect(await db().prisma.loan.count({ where: { item: { barcode: 'R2' } } })).toBe(1);
    });

    it('refuses while someone else holds the title, renews once that hold is cancelled', async () => {
      const recordId = await makeRecord(lib, 'Held title');
      await makeItem(lib, { barcode: 'R3', recordId });
      await makePatron(lib, { barcode: 'P-R3' });
      await makePatron(lib, { barcode: 'P-R3-OTHER' });
      await engine.checkout({ patronBarcode: 'P-R3', itemBarcode: 'R3', at, terminal: CPL });
      const h = await engine.hold({ mode: 'add', patronBarcode: 'P-R3-OTHER', titleId: String(recordId), at: chicago('2027-01-05T10:00:00'), terminal: CPL });
      expect(h).toMatchObject({ ok: true, available: false, queuePosition: 1 });
      const r = await engine.renew({ patronBarcode: 'P-R3', itemBarcode: 'R3', at: chicago('2027-01-06T10:00:00'), terminal: CPL });
      expect(r.ok).toBe(false);
      expect(r.screenMessage).toMatch(/on hold for another patron/);
      // once the hold is cancelled the renewal goes through
      expect((await engine.hold({ mode: 'delete', patronBarcode: 'P-R3-OTHER', titleId: String(recordId), at: chicago('2027-01-06T11:00:00'), terminal: CPL })).ok).toBe(true);
      expect((await engine.renew({ patronBarcode: 'P-R3', itemBarcode: 'R3', at: chicago('2027-01-06T12:00:00'), terminal: CPL })).ok).toBe(true);
    });

    it('refuses items not on loan to the patron, unknown items and a wrong PIN', async () => {
      await makeItem(lib, { barcode: 'R4' });
      await makePatron(lib, { barcode: 'P-R4' });
      expect((await engine.renew({ patronBarcode: 'P-R4', itemBarcode: 'R4', at, terminal: CPL })).screenMessage).toMatch(/not checked out to you/);
      expect((await engine.renew({ patronBarcode: 'P-R4', itemBarcode: 'NOPE', at, terminal: CPL })).screenMessage).toMatch(/Item not found/);
      expect((await engine.renew({ patronBarcode: 'P-R4', pin: '0000', itemBarcode: 'R4', at, terminal: CPL })).screenMessage).toMatch(/Wrong PIN/);
    });

    it('renew all renews what it can and lists the rest with reasons', async () => {
      await makeItem(lib, { barcode: 'R5a' });
      await makeItem(lib, { barcode: 'R5b', itype: 'DVD' });
      await makePatron(lib, { barcode: 'P-R5' });
      await engine.checkout({ patronBarcode: 'P-R5', itemBarcode: 'R5a', at, terminal: CPL });
      await engine.checkout({ patronBarcode: 'P-R5', itemBarcode: 'R5b', at, terminal: CPL });
      const all = await engine.renewAll({ patronBarcode: 'P-R5', at: chicago('2027-01-08T10:00:00'), terminal: CPL });
      expect(all.ok).toBe(true);
      expect(all.renewed).toEqual(['R5a']);
      expect(all.unrenewed).toEqual([{ itemBarcode: 'R5b', reason: expect.stringMatching(/no more renewals/) }]);
    });
  });

  describe('limits and blocks', () => {
    it('refuses past the category loan limit and reports it in patron status', async () => {
      await makePatron(lib, { barcode: 'KID', category: 'CHILD' });
      for (const b of ['L1', 'L2', 'L3']) await makeItem(lib, { barcode: b });
      expect((await engine.checkout({ patronBarcode: 'KID', itemBarcode: 'L1', at, terminal: CPL })).ok).toBe(true);
      expect((await engine.checkout({ patronBarcode: 'KID', itemBarcode: 'L2', at, terminal: CPL })).ok).toBe(true);
      const third = await engine.checkout({ patronBarcode: 'KID', itemBarcode: 'L3', at, terminal: CPL });
      expect(third.ok).toBe(false);
      expect(third.screenMessage).toMatch(/limit of 2/);
      const st = await engine.patronStatus({ patronBarcode: 'KID', at, terminal: CPL });
      expect(st).toMatchObject({ found: true, valid: true, flags: { tooManyItemsCharged: true, chargePrivilegesDenied: true, renewalPrivilegesDenied: false } });
      const info = await engine.patronInformation({ patronBarcode: 'KID', at, terminal: CPL });
      expect(info.limits.charged).toBe(2);
    });

    it('a rule’s maxItems limits the item type it names', async () => {
      await makePatron(lib, { barcode: 'CINEPHILE' });
      await makeItem(lib, { barcode: 'D1', itype: 'DVD' });
      await makeItem(lib, { barcode: 'D2', itype: 'DVD' });
      await makeItem(lib, { barcode: 'B1' });
      expect((await engine.checkout({ patronBarcode: 'CINEPHILE', itemBarcode: 'D1', at, terminal: CPL })).dueDate?.toISOString()).toBe('2027-01-12T05:59:59.000Z');
      expect((await engine.checkout({ patronBarcode: 'CINEPHILE', itemBarcode: 'D2', at, terminal: CPL })).screenMessage).toMatch(/limit of 1/);
      expect((await engine.checkout({ patronBarcode: 'CINEPHILE', itemBarcode: 'B1', at, terminal: CPL })).ok).toBe(true);
    });

    it.each([
      ['expired', { expiryDate: new Date('2027-01-03T00:00:00Z') }, /expired/],
      ['manually blocked', { blocked: true, blockReason: 'Damaged books' }, /blocked: Damaged books/],
      ['debarred', { debarredUntil: new Date('2027-01-04T00:00:00Z') }, /restricted until 2027-01-04/],
      ['lost card', { lostCard: true }, /reported lost/],
    ] as const)('a patron who is %s is invalid and may not borrow', async (name, extra, reason) => {
      const barcode = `BLK-${name.replace(/\W/g, '')}`;
      await makePatron(lib, { barcode, ...extra });
      await makeItem(lib, { barcode: `I-${barcode}` });
      const st = await engine.patronStatus({ patronBarcode: barcode, at, terminal: CPL });
      expect(st).toMatchObject({ found: true, valid: false, flags: { chargePrivilegesDenied: true, renewalPrivilegesDenied: true, holdPrivilegesDenied: true } });
      expect(st.blockReasons.join(' ')).toMatch(reason);
      const out = await engine.checkout({ patronBarcode: barcode, itemBarcode: `I-${barcode}`, at, terminal: CPL });
      expect(out).toMatchObject({ ok: false, desensitize: false });
      expect(out.screenMessage).toMatch(reason);
      // the kiosk's "no block" (an offline loan) is recorded whatever the rules say
      const offline = await engine.checkout({ patronBarcode: barcode, itemBarcode: `I-${barcode}`, at, terminal: CPL, noBlock: true, transactionDate: chicago('2027-01-03T16:00:00') });
      expect(offline.ok).toBe(true);
      expect((await db().prisma.loan.findFirstOrThrow({ where: { item: { barcode: `I-${barcode}` } } })).checkedOutAt.toISOString()).toBe(chicago('2027-01-03T16:00:00').toISOString());
    });

    it('a card valid through today and a debarment that ended yesterday do not block', async () => {
      await makePatron(lib, { barcode: 'EDGE', expiryDate: new Date('2027-01-04T00:00:00Z'), debarredUntil: new Date('2027-01-03T00:00:00Z') });
      expect(await engine.patronStatus({ patronBarcode: 'EDGE', at, terminal: CPL })).toMatchObject({ valid: true, blockReasons: [] });
    });

    it('fines over the category limit deny charging but leave the patron valid', async () => {
      const id = await makePatron(lib, { barcode: 'OWES' });
      await makeItem(lib, { barcode: 'F1' });
      await db().prisma.fee.create({ data: { patronId: id, type: 'manual', amount: '5.01', outstanding: '5.01' } });
      const st = await engine.patronStatus({ patronBarcode: 'OWES', at, terminal: CPL });
      expect(st).toMatchObject({ valid: true, feeAmount: '5.01', feeLimit: '5.00', currency: 'USD', flags: { excessiveOutstandingFines: true, chargePrivilegesDenied: true } });
      expect((await engine.checkout({ patronBarcode: 'OWES', itemBarcode: 'F1', at, terminal: CPL })).screenMessage).toMatch(/You owe 5.01 USD/);
      await engine.feePaid({ patronBarcode: 'OWES', amount: '0.01', paymentType: '00', at, terminal: CPL });
      expect((await engine.checkout({ patronBarcode: 'OWES', itemBarcode: 'F1', at, terminal: CPL })).ok).toBe(true);
    });

    it('checks PINs against the stored hash: right, wrong, absent, none on file', async () => {
      await makePatron(lib, { barcode: 'PIN' });
      await makePatron(lib, { barcode: 'NOPIN', pin: false });
      expect((await engine.patronStatus({ patronBarcode: 'PIN', pin: '1234', at, terminal: CPL })).pinValid).toBe(true);
      expect((await engine.patronStatus({ patronBarcode: 'PIN', pin: '9999', at, terminal: CPL })).pinValid).toBe(false);
      expect((await engine.patronStatus({ patronBarcode: 'PIN', at, terminal: CPL })).pinValid).toBeNull();
      expect((await engine.patronStatus({ patronBarcode: 'NOPIN', pin: '1234', at, terminal: CPL })).pinValid).toBe(false);
      await makeItem(lib, { barcode: 'PIN-I' });
      expect((await engine.checkout({ patronBarcode: 'PIN', pin: '9999', itemBarcode: 'PIN-I', at, terminal: CPL })).screenMessage).toMatch(/Wrong PIN/);
      expect(await engine.patronStatus({ patronBarcode: 'GHOST', at, terminal: CPL })).toMatchObject({ found: false, valid: false, name: null, blockReasons: ['Patron not found.'] });
    });

    it('refuses unavailable items and items on loan to someone else', async () => {
      await makePatron(lib, { barcode: 'U1' });
      await makePatron(lib, { barcode: 'U2' });
      for (const s of ['lost', 'missing', 'withdrawn', 'not_for_loan']) {
        await makeItem(lib, { barcode: `U-${s}`, status: s });
        const r = await engine.checkout({ patronBarcode: 'U1', itemBarcode: `U-${s}`, at, terminal: CPL });
        expect(r.ok).toBe(false);
        expect(r.screenMessage).toMatch(new RegExp(s === 'not_for_loan' ? 'not for loan' : s));
      }
      await makeItem(lib, { barcode: 'U-DMG', status: 'damaged' });
      expect((await engine.checkout({ patronBarcode: 'U1', itemBarcode: 'U-DMG', at, terminal: CPL })).ok).toBe(true);
      await makeItem(lib, { barcode: 'U-OUT' });
      await engine.checkout({ patronBarcode: 'U1', itemBarcode: 'U-OUT', at, terminal: CPL });
      expect((await engine.checkout({ patronBarcode: 'U2', itemBarcode: 'U-OUT', at, terminal: CPL })).screenMessage).toMatch(/someone else/);
      expect((await engine.checkout({ patronBarcode: 'U2', itemBarcode: 'NOPE', at, terminal: CPL })).screenMessage).toBe('Item not found.');
      expect((await engine.checkout({ patronBarcode: 'GHOST', itemBarcode: 'U-OUT', at, terminal: CPL })).screenMessage).toBe('Patron not found.');
    });

    it('block patron (01) blocks; patron enable (25) lifts only that block', async () => {
      await makePatron(lib, { barcode: 'KIOSKBLOCK' });
      await engine.blockPatron({ patronBarcode: 'KIOSKBLOCK', cardRetained: true, message: 'card swallowed', at, terminal: CPL });
      const p = await db().prisma.patron.findUniqueOrThrow({ where: { barcode: 'KIOSKBLOCK' } });
      expect(p.blocked).toBe(true);
      expect(p.blockReason).toMatch(/card swallowed \(card retained\)/);
      expect((await engine.patronStatus({ patronBarcode: 'KIOSKBLOCK', at, terminal: CPL })).valid).toBe(false);
      expect(await engine.enablePatron({ patronBarcode: 'KIOSKBLOCK', at, terminal: CPL })).toMatchObject({ valid: true });
      expect((await db().prisma.patron.findUniqueOrThrow({ where: { barcode: 'KIOSKBLOCK' } })).blocked).toBe(false);

      await makePatron(lib, { barcode: 'STAFFBLOCK', blocked: true, blockReason: 'Owes books' });
      await engine.blockPatron({ patronBarcode: 'STAFFBLOCK', cardRetained: false, message: 'kiosk says so', at, terminal: CPL });
      expect(await engine.enablePatron({ patronBarcode: 'STAFFBLOCK', at, terminal: CPL })).toMatchObject({ valid: false });
      expect(await db().prisma.patron.findUniqueOrThrow({ where: { barcode: 'STAFFBLOCK' } })).toMatchObject({ blocked: true, blockReason: 'Owes books' });
      expect(await db().prisma.auditEntry.count({ where: { entity: 'Patron', action: { in: ['block', 'unblock'] } } })).toBe(3);
      await expect(engine.blockPatron({ patronBarcode: 'GHOST', cardRetained: false, message: '', at, terminal: CPL })).resolves.toBeUndefined();
      expect(await engine.endPatronSession({ patronBarcode: 'KIOSKBLOCK', at, terminal: CPL })).toEqual({ ok: true, screenMessage: null });
    });
  });

  describe('calendars', () => {
    it('moves due dates past closed weekdays and closed days (after invalidate)', async () => {
      await makePatron(lib, { barcode: 'CAL' });
      await makeItem(lib, { barcode: 'C1' });
      await makeItem(lib, { barcode: 'C2' });
      // 14 days from Sunday Jan 3 is Sunday Jan 17; FPL is closed on Sundays and on Monday Jan 18
      await db().prisma.closedWeekday.create({ data: { branchCode: 'FPL', weekday: 0 } });
      await db().prisma.closedDay.create({ data: { branchCode: 'FPL', date: new Date('2027-01-18T00:00:00Z'), reason: 'MLK day' } });
      engine.invalidate();
      const r = await engine.checkout({ patronBarcode: 'CAL', itemBarcode: 'C1', at: chicago('2027-01-03T14:00:00'), terminal: FPL });
      expect(r.dueDate?.toISOString()).toBe('2027-01-20T05:59:59.000Z'); // Tuesday Jan 19, 23:59:59 Chicago
      // CPL keeps its own (open) calendar
      const c = await engine.checkout({ patronBarcode: 'CAL', itemBarcode: 'C2', at: chicago('2027-01-03T14:00:00'), terminal: CPL });
      expect(c.dueDate?.toISOString()).toBe('2027-01-18T05:59:59.000Z');
    });

    it('answers from the tables in hand while stale ones reload, then from the reloaded ones', async () => {
      const fresh = await circulationApp(db(), { cacheTtlMs: 1 });
      try {
        await makeItem(lib, { barcode: 'STALE1' });
        expect(await fresh.engine.itemInformation({ itemBarcode: 'STALE1', at, terminal: CPL })).toMatchObject({ found: true, owner: 'CPL' });
        // a branch added after the tables were loaded: the next answer does not wait for the reload
        const branch = await db().prisma.branch.create({ data: { code: 'NEWB', name: 'New branch', institutionId: (await db().prisma.institution.findFirstOrThrow()).id } });
        await db().prisma.item.update({ where: { barcode: 'STALE1' }, data: { homeBranchId: branch.id } });
        await new Promise((r) => setTimeout(r, 5));
        const stale = await fresh.engine.itemInformation({ itemBarcode: 'STALE1', at, terminal: CPL });
        expect(stale).toMatchObject({ found: true, owner: null });
        // the reload started by that call lands; later calls see the new branch
        let owner: string | null = null;
        for (let i = 0; i < 50 && owner !== 'NEWB'; i++) {
          await new Promise((r) => setTimeout(r, 10));
          owner = (await fresh.engine.itemInformation({ itemBarcode: 'STALE1', at, terminal: CPL })).owner;
        }
        expect(owner).toBe('NEWB');
      } finally {
        await fresh.mod.close();
      }
    });

    it('hourly loans are due to the hour', async () => {
      await makePatron(lib, { barcode: 'HOURLY' });
      await makeItem(lib, { barcode: 'H1' });
      const r = await engine.checkout({ patronBarcode: 'HOURLY', itemBarcode: 'H1', at: chicago('2027-01-04T10:00:00'), terminal: { branchCode: 'MPL' } });
      expect(r.dueDate?.toISOString()).toBe(chicago('2027-01-04T14:00:00').toISOString());
    });
  });
});
