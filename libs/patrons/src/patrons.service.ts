import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, searchFold, type Patron } from '@carrel/db';
import { CodeResolver, MissingCodeError } from '@carrel/library';
import { parseKohaPatronCsv, type CsvDateFormat, type PatronRow } from './koha-patron-csv.js';
import { hashPin, verifyPin } from './pin-hash.js';

export interface PatronInput {
  barcode: string;
  surname: string;
  firstname?: string | null;
  title?: string | null;
  otherNames?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: string | null;
  city?: string | null;
  postcode?: string | null;
  country?: string | null;
  dateOfBirth?: string | null;
  expiryDate?: string | null;
  categoryCode: string;
  branchCode: string;
  pin?: string | null;
  blocked?: boolean;
  blockReason?: string | null;
  lostCard?: boolean;
  goneNoAddress?: boolean;
  debarredUntil?: string | null;
  notes?: string | null;
  externalId?: string | null;
}

export interface PatronImportReport {
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: { line: number; barcode: string | null; reason: string }[];
  createdCodes: { kind: string; code: string }[];
  warnings: string[];
}

/** A patron as staff see it: never the PIN hash, only whether a PIN is set. */
export type PatronView = Omit<Patron, 'pinHash' | 'searchText'> & { hasPin: boolean };

export function patronView(p: Patron): PatronView {
  const { pinHash, searchText: _s, ...rest } = p;
  return { ...rest, hasPin: !!pinHash };
}

const day = (s: string | null | undefined): Date | null => (s ? new Date(`${s}T00:00:00.000Z`) : null);

const COMPARED = [
  'surname', 'firstname', 'title', 'otherNames', 'email', 'phone', 'address', 'city', 'postcode', 'country',
  'dateOfBirth', 'expiryDate', 'categoryId', 'homeBranchId', 'lostCard', 'goneNoAddress', 'debarredUntil', 'notes', 'externalId',
] as const;

@Injectable()
export class PatronsService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  async search(opts: { q?: string; branch?: string; category?: string; skip?: number; take?: number }) {
    const where = {
      searchText: opts.q ? { contains: searchFold(opts.q) } : undefined,
      homeBranch: opts.branch ? { code: opts.branch } : undefined,
      category: opts.category ? { code: opts.category } : undefined,
    };
    const take = Math.min(Math.max(opts.take ?? 50, 1), 500);
    const [total, rows] = await Promise.all([
      this.db.prisma.patron.count({ where }),
      this.db.prisma.patron.findMany({ where, skip: opts.skip ?? 0, take, orderBy: [{ surname: 'asc' }, { firstname: 'asc' }, { id: 'asc' }] }),
    ]);
    return { total, patrons: rows.map(patronView) };
  }

  async get(barcode: string): Promise<PatronView> {
    const p = await this.db.prisma.patron.findUnique({ where: { barcode } });
    if (!p) throw new NotFoundException(`patron "${barcode}" not found`);
    return patronView(p);
  }

  /** True when the patron exists and the PIN matches; the PIN itself is never stored or logged. */
  async checkPin(barcode: string, pin: string): Promise<boolean> {
    const p = await this.db.prisma.patron.findUnique({ where: { barcode }, select: { pinHash: true } });
    return verifyPin(pin, p?.pinHash);
  }

  async create(input: PatronInput): Promise<PatronView> {
    const codes = new CodeResolver(this.db.prisma, this.audit, false);
    const data = await this.toData(input, codes).catch(badRequest);
    const pinHash = input.pin ? await hashPin(input.pin, this.settings['security.pinHashCost']) : null;
    return this.db.prisma.$transaction(async (tx) => {
      if (await tx.patron.findUnique({ where: { barcode: input.barcode } })) throw new ConflictException(`patron "${input.barcode}" already exists`);
      const p = await tx.patron.create({ data: { ...data, barcode: input.barcode, pinHash, blocked: input.blocked ?? false, blockReason: input.blockReason ?? null } });
      await this.audit.record({ action: 'create', entity: 'Patron', entityId: p.id, after: patronView(p) }, tx);
      return patronView(p);
    });
  }

  async update(barcode: string, input: Partial<PatronInput>): Promise<PatronView> {
    const before = await this.db.prisma.patron.findUnique({ where: { barcode }, include: { category: true, homeBranch: true } });
    if (!before) throw new NotFoundException(`patron "${barcode}" not found`);
    const { category: _c, homeBranch: _h, ...current } = patronView(before) as PatronView & { category: unknown; homeBranch: unknown };
    const merged: PatronInput = {
      ...current,
      dateOfBirth: isoDay(before.dateOfBirth),
      expiryDate: isoDay(before.expiryDate),
      debarredUntil: isoDay(before.debarredUntil),
      categoryCode: before.category.code,
      branchCode: before.homeBranch.code,
      ...definedOnly(input),
      barcode,
    };
    const codes = new CodeResolver(this.db.prisma, this.audit, false);
    const data = await this.toData(merged, codes).catch(badRequest);
    const pinHash = input.pin ? await hashPin(input.pin, this.settings['security.pinHashCost']) : undefined;
    return this.db.prisma.$transaction(async (tx) => {
      const after = await tx.patron.update({
        where: { barcode },
        data: { ...data, pinHash, blocked: merged.blocked ?? before.blocked, blockReason: merged.blockReason ?? null },
      });
      await this.audit.record({ action: 'update', entity: 'Patron', entityId: after.id, before: patronView(before), after: { ...patronView(after), pinChanged: !!pinHash } }, tx);
      return patronView(after);
    });
  }

  async remove(barcode: string): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const before = await tx.patron.findUnique({ where: { barcode } });
      if (!before) throw new NotFoundException(`patron "${barcode}" not found`);
      await tx.patron.delete({ where: { barcode } });
      await this.audit.record({ action: 'delete', entity: 'Patron', entityId: before.id, before: patronView(before) }, tx);
    });
  }

  /**
   * Loads a Koha patron-import CSV: upsert by barcode (cardnumber). Every rejected row is reported
   * with its line and reason; the others load. A second run of the same file changes nothing.
   */
  async importKohaCsv(
    file: Buffer,
    opts: { createMissing?: boolean; dateFormat?: CsvDateFormat; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<PatronImportReport> {
    const parsed = parseKohaPatronCsv(file, { dateFormat: opts.dateFormat });
    const report: PatronImportReport = { total: parsed.rows.length, created: 0, updated: 0, unchanged: 0, rejected: [], createdCodes: [], warnings: parsed.warnings };
    const codes = new CodeResolver(this.db.prisma, this.audit, opts.createMissing ?? false);
    const seen = new Map<string, number>();
    let done = 0;
    for (const r of parsed.rows) {
      opts.onProgress?.(done++, parsed.rows.length);
      if (!r.ok) {
        report.rejected.push({ line: r.line, barcode: r.barcode, reason: r.error });
        continue;
      }
      const first = seen.get(r.row.barcode);
      if (first !== undefined) {
        report.rejected.push({ line: r.line, barcode: r.row.barcode, reason: `cardnumber also on line ${first}; only the first is loaded` });
        continue;
      }
      seen.set(r.row.barcode, r.line);
      try {
        const outcome = await this.upsertRow(r.row, codes, r.line);
        report[outcome]++;
      } catch (e) {
        report.rejected.push({ line: r.line, barcode: r.row.barcode, reason: (e as Error).message });
      }
    }
    opts.onProgress?.(parsed.rows.length, parsed.rows.length);
    report.createdCodes = codes.created.map((c) => ({ kind: c.kind, code: c.branch ? `${c.branch}/${c.code}` : c.code }));
    return report;
  }

  private async upsertRow(row: PatronRow, codes: CodeResolver, line: number): Promise<'created' | 'updated' | 'unchanged'> {
    const data = await this.toData({ ...row, blocked: undefined }, codes);
    const existing = await this.db.prisma.patron.findUnique({ where: { barcode: row.barcode } });
    let pinHash: string | undefined;
    if (row.pin && !(existing && (await verifyPin(row.pin, existing.pinHash)))) {
      pinHash = await hashPin(row.pin, this.settings['security.pinHashCost']);
    }
    if (existing && !pinHash && COMPARED.every((k) => same(existing[k], data[k])) && existing.searchText === data.searchText) return 'unchanged';
    return this.db.prisma.$transaction(async (tx) => {
      const context = { source: 'koha patron CSV', line };
      if (!existing) {
        const p = await tx.patron.create({ data: { ...data, barcode: row.barcode, pinHash: pinHash ?? null } });
        await this.audit.record({ action: 'import', entity: 'Patron', entityId: p.id, after: patronView(p), context }, tx);
        return 'created' as const;
      }
      const p = await tx.patron.update({ where: { id: existing.id }, data: { ...data, pinHash } });
      await this.audit.record({ action: 'import', entity: 'Patron', entityId: p.id, before: patronView(existing), after: { ...patronView(p), pinChanged: !!pinHash }, context }, tx);
      return 'updated' as const;
    });
  }

  private async toData(input: Omit<PatronInput, 'barcode'> & { barcode: string }, codes: CodeResolver) {
    let categoryId: number, homeBranchId: number;
    try {
      categoryId = await codes.patronCategory(input.categoryCode);
      homeBranchId = await codes.branch(input.branchCode);
    } catch (e) {
      if (e instanceof MissingCodeError) throw new Error(e.message);
      throw e;
    }
    return {
      surname: input.surname,
      firstname: input.firstname ?? null,
      title: input.title ?? null,
      otherNames: input.otherNames ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      address: input.address ?? null,
      city: input.city ?? null,
      postcode: input.postcode ?? null,
      country: input.country ?? null,
      dateOfBirth: day(input.dateOfBirth),
      expiryDate: day(input.expiryDate),
      categoryId,
      homeBranchId,
      lostCard: input.lostCard ?? false,
      goneNoAddress: input.goneNoAddress ?? false,
      debarredUntil: day(input.debarredUntil),
      notes: input.notes ?? null,
      externalId: input.externalId ?? null,
      searchText: searchFold(input.barcode, input.surname, input.firstname, input.otherNames, input.email),
    };
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return (a as Date | null)?.getTime() === (b as Date | null)?.getTime();
  return (a ?? null) === (b ?? null);
}

function isoDay(d: Date | null): string | null {
  return d ? d.toISOString().slice(0, 10) : null;
}

function badRequest(e: Error): never {
  throw new BadRequestException(e.message);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
