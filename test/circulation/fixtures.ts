import type { TestingModule } from '@nestjs/testing';
import type { CarrelPrisma } from '@carrel/db';
import { CirculationModule, LocalCirculationEngine, type CirculationOptionsInput, type Terminal } from '@carrel/circulation';
import { hashPin } from '@carrel/patrons';
import { domainModule } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';

/** Small hand-made libraries for the circulation tests: two branches, two categories, two item types. */
export const TZ = 'America/Chicago';
export const CPL: Terminal = { branchCode: 'CPL', account: 'kiosk', device: 'kiosk-1' };
export const FPL: Terminal = { branchCode: 'FPL', account: 'sorter', device: 'sorter-1' };

export interface Lib {
  prisma: CarrelPrisma;
  branch: Record<string, number>;
  category: Record<string, number>;
  itemType: Record<string, number>;
  location: Record<string, number>;
  pinHash: string;
}

export async function seedLibrary(prisma: CarrelPrisma): Promise<Lib> {
  const inst = await prisma.institution.create({ data: { code: 'MAIN', name: 'Test library' } });
  const branch: Record<string, number> = {};
  for (const code of ['CPL', 'FPL', 'MPL']) branch[code] = (await prisma.branch.create({ data: { code, name: code, institutionId: inst.id } })).id;
  const category: Record<string, number> = {
    ADULT: (await prisma.patronCategory.create({ data: { code: 'ADULT', name: 'Adult', loanLimit: 5, fineLimit: '5.00' } })).id,
    CHILD: (await prisma.patronCategory.create({ data: { code: 'CHILD', name: 'Child', loanLimit: 2 } })).id,
  };
  const itemType: Record<string, number> = {
    BOOK: (await prisma.itemType.create({ data: { code: 'BOOK', name: 'Book' } })).id,
    DVD: (await prisma.itemType.create({ data: { code: 'DVD', name: 'DVD' } })).id,
  };
  const location = { ADULT: (await prisma.shelvingLocation.create({ data: { branchId: branch.CPL, code: 'ADULT', name: 'Adult' } })).id };
  return { prisma, branch, category, itemType, location, pinHash: await hashPin('1234', 1024) };
}

let seq = 0;

export async function makeRecord(lib: Lib, title: string): Promise<number> {
  const n = seq++;
  const r = await lib.prisma.bibRecord.create({ data: { title, marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from(`${title} ${n}`), contentHash: `hash-${n}-${title}` } });
  return r.id;
}

export async function makeItem(lib: Lib, o: { barcode: string; recordId?: number; title?: string; home?: string; holding?: string; itype?: string; status?: string; callNumber?: string; ccode?: string }): Promise<number> {
  const recordId = o.recordId ?? (await makeRecord(lib, o.title ?? `Title of ${o.barcode}`));
  const i = await lib.prisma.item.create({
    data: {
      barcode: o.barcode, recordId, homeBranchId: lib.branch[o.home ?? 'CPL'], branchId: lib.branch[o.holding ?? o.home ?? 'CPL'],
      itemTypeId: lib.itemType[o.itype ?? 'BOOK'], status: o.status ?? 'available', callNumber: o.callNumber ?? '823 SMI',
      collectionCode: o.ccode ?? null, locationId: (o.home ?? 'CPL') === 'CPL' ? lib.location.ADULT : null,
    },
  });
  return i.id;
}

export async function makePatron(
  lib: Lib,
  o: { barcode: string; category?: string; home?: string; expiryDate?: Date | null; blocked?: boolean; blockReason?: string; lostCard?: boolean; debarredUntil?: Date; pin?: boolean; surname?: string },
): Promise<number> {
  const p = await lib.prisma.patron.create({
    data: {
      barcode: o.barcode, surname: o.surname ?? `Surname${o.barcode}`, firstname: 'Pat', categoryId: lib.category[o.category ?? 'ADULT'], homeBranchId: lib.branch[o.home ?? 'CPL'],
      expiryDate: o.expiryDate === undefined ? new Date('2030-12-31T00:00:00Z') : o.expiryDate, blocked: o.blocked ?? false, blockReason: o.blockReason ?? null,
      lostCard: o.lostCard ?? false, debarredUntil: o.debarredUntil ?? null, pinHash: o.pin === false ? null : lib.pinHash, email: `${o.barcode}@example.org`,
    },
  });
  return p.id;
}

export async function circulationApp(db: TestDatabase, options: CirculationOptionsInput = {}): Promise<{ mod: TestingModule; engine: LocalCirculationEngine }> {
  const mod = await domainModule(db, {}, [CirculationModule.forRoot({ timeZone: TZ, cacheTtlMs: 0, ...options })]);
  return { mod, engine: mod.get(LocalCirculationEngine) };
}

/** a local wall-clock time in the test zone (Chicago, UTC-6 in winter) as an instant */
export const chicago = (iso: string): Date => new Date(`${iso}-06:00`);
