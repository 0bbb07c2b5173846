import type { TestingModule } from '@nestjs/testing';
import type { LocalCirculationEngine } from '@carrel/circulation';
import { describeEachDatabase } from '../support/databases.js';
import { CPL, FPL, chicago, circulationApp, makeItem, makePatron, makeRecord, seedLibrary, type Lib } from './fixtures.js';

const DAY = 86_400_000;

describeEachDatabase('circulation: the hold expiry sweep', (db) => {
  let mod: TestingModule;
  let engine: LocalCirculationEngine;
  let lib: Lib;
  const placed = chicago('2027-06-01T10:00:00');
  const trappedAt = chicago('2027-06-02T10:00:00'); // on the shelf until 2027-06-09 10:00
  const sweep = chicago('2027-06-10T01:00:00');

  beforeAll(async () => {
    lib = await seedLibrary(db().prisma);
    ({ mod, engine } = await circulationApp(db()));
  });
  afterAll(() => mod?.close());

  /** a title with one copy on CPL's hold shelf for `first`, and holds by `others` behind it */
  async function shelved(tag: string, others: { barcode: string; pickup: string }[], o: { home?: string } = {}) {
    const recordId = await makeRecord(lib, `Title ${tag}`);
    await makeItem(lib, { barcode: `${tag}-I`, recordId, home: o.home ?? 'CPL', holding: 'CPL' });
    const first = await makePatron(lib, { barcode: `${tag}-P0` });
    expect((await engine.hold({ mode: 'add', patronBarcode: `${tag}-P0`, titleId: String(recordId), pickupBranch: 'CPL', at: placed, terminal: CPL })).ok).toBe(true);
    const ids: number[] = [];
    for (const [i, h] of others.entries()) {
      ids.push(await makePatron(lib, { barcode: h.barcode }));
      const r = await engine.hold({ mode: 'add', patronBarcode: h.barcode, titleId: String(recordId), pickupBranch: h.pickup, at: new Date(placed.getTime() + (i + 1) * 60_000), terminal: CPL });
      expect(r.ok).toBe(true);
    }
    expect(await engine.checkin({ itemBarcode: `${tag}-I`, at: trappedAt, terminal: CPL })).toMatchObject({ alert: 'hold-here', holdPatronBarcode: `${tag}-P0` });
    return { first, others: ids, item: () => db().prisma.item.findUniqueOrThrow({ where: { barcode: `${tag}-I` } }) };
  }
  const holdOf = (patronId: number) => db().prisma.hold.findFirstOrThrow({ where: { patronId }, orderBy: { id: 'desc' } });

  it('expires lapsed waiting holds and passes each item of a lapsed shelf hold on, once', async () => {
    // waiting holds: one lapsed, one not yet, one without expiry
    const rec = await makeRecord(lib, 'Waiting only');
    await makeItem(lib, { barcode: 'W-I', recordId: rec, status: 'checked_out' });
    for (const [b, exp] of [['W1', chicago('2027-06-05T00:00:00')], ['W2', chicago('2027-07-01T00:00:00')], ['W3', undefined]] as const) {
      await makePatron(lib, { barcode: b });
      await engine.hold({ mode: 'add', patronBarcode: b, titleId: String(rec), pickupBranch: 'CPL', expiresAt: exp, at: placed, terminal: CPL });
    }
    const here = await shelved('T', [{ barcode: 'T-P1', pickup: 'CPL' }, { barcode: 'T-P2', pickup: 'FPL' }]);
    const away = await shelved('A', [{ barcode: 'A-P1', pickup: 'FPL' }]);
    const shelf = await shelved('S', []);
    const home = await shelved('H', [], { home: 'FPL' });
    const staffPulled = await shelved('X', [{ barcode: 'X-P1', pickup: 'CPL' }]);
    await db().prisma.item.update({ where: { barcode: 'X-I' }, data: { status: 'missing' } });
    // still within its pickup date: untouched
    const fresh = await shelved('F', []);
    await db().prisma.hold.updateMany({ where: { patronId: fresh.first }, data: { expiresAt: new Date(sweep.getTime() + DAY) } });

    const report = await engine.expireHolds(sweep);
    const w1 = await db().prisma.hold.findFirstOrThrow({ where: { patron: { barcode: 'W1' } } });
    expect(report.waiting).toEqual([w1.id]);
    expect(w1.status).toBe('expired');
    expect(w1.closedAt?.toISOString()).toBe(sweep.toISOString());
    expect(await db().prisma.hold.count({ where: { patron: { barcode: { in: ['W2', 'W3'] } }, status: 'waiting' } })).toBe(2);
    const byItem = Object.fromEntries(report.onShelf.map((r) => [r.itemBarcode, r]));
    expect(Object.keys(byItem).sort()).toEqual(['A-I', 'H-I', 'S-I', 'T-I', 'X-I']);

    // the next patron collects here: trapped on this shelf for a new pickup period
    expect(byItem['T-I']).toMatchObject({ action: 'trapped', destination: 'CPL' });
    expect((await holdOf(here.first)).status).toBe('expired');
    const next = await holdOf(here.others[0]!);
    expect(next).toMatchObject({ status: 'on_shelf', capturedItemId: (await here.item()).id });
    expect(next.expiresAt?.toISOString()).toBe(new Date(sweep.getTime() + 7 * DAY).toISOString());
    expect((await holdOf(here.others[1]!)).status).toBe('waiting');
    expect(await here.item()).toMatchObject({ status: 'on_hold_shelf' });
    // the next patron collects elsewhere: in transit there
    expect(byItem['A-I']).toMatchObject({ action: 'transit-hold', destination: 'FPL' });
    expect(await holdOf(away.others[0]!)).toMatchObject({ status: 'in_transit', capturedItemId: (await away.item()).id });
    expect(await away.item()).toMatchObject({ status: 'in_transit' });
    expect(await db().prisma.transit.findFirstOrThrow({ where: { item: { barcode: 'A-I' }, receivedAt: null } })).toMatchObject({ fromBranch: 'CPL', toBranch: 'FPL', reason: 'hold', holdId: away.others[0] });
    // nobody else: back on the shelf at home, or in transit home
    expect(byItem['S-I']).toMatchObject({ action: 'reshelve', destination: 'CPL', nextHoldId: null });
    expect(await shelf.item()).toMatchObject({ status: 'available' });
    expect(byItem['H-I']).toMatchObject({ action: 'transit-home', destination: 'FPL' });
    expect(await home.item()).toMatchObject({ status: 'in_transit' });
    expect(await db().prisma.transit.findFirstOrThrow({ where: { item: { barcode: 'H-I' }, receivedAt: null } })).toMatchObject({ toBranch: 'FPL', reason: 'home' });
    // staff had taken it off the shelf: the hold lapses, the item and the queue are left alone
    expect(byItem['X-I']).toMatchObject({ action: 'expired', nextHoldId: null });
    expect(await staffPulled.item()).toMatchObject({ status: 'missing' });
    expect((await holdOf(staffPulled.others[0]!)).status).toBe('waiting');
    expect((await holdOf(fresh.first)).status).toBe('on_shelf');

    // audited, one entry per hold, with what happened to the item
    const audits = await db().prisma.auditEntry.findMany({ where: { action: 'expire', entity: 'Hold' } });
    expect(audits).toHaveLength(6);
    const lapsedId = String((await holdOf(here.first)).id);
    expect(JSON.parse(audits.find((a) => a.entityId === lapsedId)!.after!)).toMatchObject({ itemAction: 'trapped', nextHold: here.others[0], item: 'T-I' });

    // the patron whose hold lapsed cannot take it; the next one can
    expect((await engine.checkout({ patronBarcode: 'T-P0', itemBarcode: 'T-I', at: sweep, terminal: CPL })).screenMessage).toMatch(/on hold for another patron/);
    expect((await engine.checkout({ patronBarcode: 'T-P1', itemBarcode: 'T-I', at: sweep, terminal: CPL })).ok).toBe(true);

    // a second run changes nothing
    expect(await engine.expireHolds(sweep)).toEqual({ waiting: [], onShelf: [] });
    expect(await db().prisma.auditEntry.count({ where: { action: 'expire', entity: 'Hold' } })).toBe(6);
  });

  it('two sweeps at once expire each hold once', async () => {
    const h = await shelved('R', [{ barcode: 'R-P1', pickup: 'FPL' }]);
    const [a, b] = await Promise.all([engine.expireHolds(sweep), engine.expireHolds(sweep)]);
    expect([...a.onShelf, ...b.onShelf].filter((r) => r.itemBarcode === 'R-I')).toHaveLength(1);
    expect(await db().prisma.transit.count({ where: { item: { barcode: 'R-I' } } })).toBe(1);
    expect(await h.item()).toMatchObject({ status: 'in_transit' });
    // it arrives at FPL and goes on the shelf there for R-P1
    expect(await engine.checkin({ itemBarcode: 'R-I', at: new Date(sweep.getTime() + DAY), terminal: FPL })).toMatchObject({ alert: 'hold-here', holdPatronBarcode: 'R-P1' });
  });
});
