import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { StaffTokenService } from '@carrel/auth';
import { MarcImportService } from '@carrel/catalog';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, searchFold } from '@carrel/db';
import { KOHA_952_MAPPING, writeIso2709 } from '@carrel/marc';
import { hashPin } from '@carrel/patrons';
import { generateDemoLibrary, type DemoLibrary } from './generate.js';

export interface DemoSeedResult {
  branches: number;
  patrons: number;
  records: number;
  items: number;
  token: string;
  pinRule: string;
}

/** A small, ordinary rules matrix: books three weeks, DVDs a week, reference not for loan, children fewer items. */
const DEMO_CIRCULATION_RULES = [
  { branchCode: '*', patronCategoryCode: '*', itemTypeCode: '*', loanPeriod: 21, loanPeriodUnit: 'days', renewalsAllowed: 2, finePerPeriod: '0.10', fineCap: '5.00', maxItems: 30 },
  { branchCode: '*', patronCategoryCode: '*', itemTypeCode: 'DVD', loanPeriod: 7, loanPeriodUnit: 'days', renewalsAllowed: 1, finePerPeriod: '1.00', fineCap: '10.00', maxItems: 30 },
  { branchCode: '*', patronCategoryCode: '*', itemTypeCode: 'REF', loanPeriod: 4, loanPeriodUnit: 'hours', renewalsAllowed: 0, finePerPeriod: '0.50', fineCap: '5.00', maxItems: 2 },
  { branchCode: '*', patronCategoryCode: 'CHILD', itemTypeCode: '*', loanPeriod: 21, loanPeriodUnit: 'days', renewalsAllowed: 2, finePerPeriod: '0.00', fineCap: null, maxItems: 15 },
];

const day = (s: string | null) => (s ? new Date(`${s}T00:00:00.000Z`) : null);

/** Writes the generated demo library through the same paths real data takes (the MARC import included). */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly marc: MarcImportService,
    private readonly tokens: StaffTokenService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  async isEmpty(): Promise<boolean> {
    const p = this.db.prisma;
    const [b, pa, r] = await Promise.all([p.branch.count(), p.patron.count(), p.bibRecord.count()]);
    return b + pa + r === 0;
  }

  seedIfEmpty(): Promise<DemoSeedResult | null> {
    return this.seed({});
  }

  async seed(opts: { seed?: number; force?: boolean }): Promise<DemoSeedResult | null> {
    if (!opts.force && !(await this.isEmpty())) return null;
    const demo = generateDemoLibrary({ seed: opts.seed ?? 1, today: new Date().toISOString().slice(0, 10) });
    await this.seedCodes(demo);
    await this.seedPatrons(demo);
    const file = Buffer.concat(demo.records.map((r) => writeIso2709(r.marc)));
    const report = await this.marc.importFile(file, { itemMapping: KOHA_952_MAPPING, source: 'carrel demo' });
    if (report.rejected.length) throw new Error(`demo records rejected: ${report.rejected.map((r) => `${r.record}: ${r.reason}`).join('; ')}`);
    if (!(await this.tokens.verify(demo.staffToken))) await this.tokens.create('demo', demo.staffToken);
    await this.audit.record({ action: 'seed', entity: 'Demo', context: { seed: opts.seed ?? 1 } });
    return {
      branches: demo.branches.length,
      patrons: demo.patrons.length,
      records: demo.records.length,
      items: demo.records.reduce((n, r) => n + r.items.length, 0),
      token: demo.staffToken,
      pinRule: demo.pinRule,
    };
  }

  private async seedCodes(demo: DemoLibrary): Promise<void> {
    const p = this.db.prisma;
    const inst = await p.institution.upsert({ where: { code: demo.institution.code }, update: {}, create: demo.institution });
    for (const b of demo.branches) {
      const branch = await p.branch.upsert({ where: { code: b.code }, update: { name: b.name }, create: { code: b.code, name: b.name, institutionId: inst.id } });
      for (const l of b.locations) {
        await p.shelvingLocation.upsert({ where: { branchId_code: { branchId: branch.id, code: l.code } }, update: { name: l.name }, create: { branchId: branch.id, ...l } });
      }
    }
    for (const c of demo.patronCategories) {
      await p.patronCategory.upsert({ where: { code: c.code }, update: { name: c.name }, create: c });
    }
    for (const t of demo.itemTypes) await p.itemType.upsert({ where: { code: t.code }, update: { name: t.name }, create: t });
    for (const r of DEMO_CIRCULATION_RULES) {
      const key = { branchCode: r.branchCode, patronCategoryCode: r.patronCategoryCode, itemTypeCode: r.itemTypeCode };
      await p.circulationRule.upsert({ where: { branchCode_patronCategoryCode_itemTypeCode: key }, update: r, create: r });
    }
    // one vendor, so the acquisitions examples in the README run against the demo (`?vendor=BLS`)
    const vendor = { name: 'Demo Book Supplier', san: '1234567', ean: '5012345678900', currency: 'USD', email: 'orders@supplier.example', claimsEmail: 'claims@supplier.example', priceTolerancePercent: '2', marcMapping: 'evergreen-970' };
    await p.vendor.upsert({ where: { code: 'BLS' }, update: {}, create: { code: 'BLS', ...vendor } });
    // the whole library is closed on Sundays; the Annex on Saturdays too
    for (const [branchCode, weekday] of [...demo.branches.map((b) => [b.code, 0] as const), ['ANNEX', 6] as const]) {
      await p.closedWeekday.upsert({ where: { branchCode_weekday: { branchCode, weekday } }, update: {}, create: { branchCode, weekday } });
    }
  }

  private async seedPatrons(demo: DemoLibrary): Promise<void> {
    const p = this.db.prisma;
    const categories = new Map((await p.patronCategory.findMany()).map((c) => [c.code, c.id]));
    const branches = new Map((await p.branch.findMany()).map((b) => [b.code, b.id]));
    const cost = this.settings['security.pinHashCost'];
    const hashes = await Promise.all(demo.patrons.map((pa) => hashPin(pa.pin, cost)));
    for (const [i, pa] of demo.patrons.entries()) {
      const data = {
        surname: pa.surname,
        firstname: pa.firstname,
        email: pa.email,
        phone: pa.phone,
        dateOfBirth: day(pa.dateOfBirth),
        expiryDate: day(pa.expiryDate),
        categoryId: categories.get(pa.categoryCode)!,
        homeBranchId: branches.get(pa.branchCode)!,
        pinHash: hashes[i],
        blocked: pa.blocked,
        blockReason: pa.blockReason,
        searchText: searchFold(pa.barcode, pa.surname, pa.firstname, pa.email),
      };
      await p.patron.upsert({ where: { barcode: pa.barcode }, update: data, create: { ...data, barcode: pa.barcode } });
    }
  }
}
