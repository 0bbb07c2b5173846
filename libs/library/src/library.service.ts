import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { DbService, searchFold } from '@carrel/db';

export interface BranchInput {
  code: string;
  name: string;
  address?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** The library itself: institution, branches with their shelving locations, and its code lists. */
@Injectable()
export class LibraryService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
  ) {}

  async institution() {
    const p = this.db.prisma;
    return (await p.institution.findFirst({ orderBy: { id: 'asc' } })) ?? p.institution.create({ data: { code: 'MAIN', name: 'Library' } });
  }

  async listBranches(q?: string) {
    const all = await this.db.prisma.branch.findMany({ include: { locations: { orderBy: { code: 'asc' } } }, orderBy: { code: 'asc' } });
    if (!q) return all;
    const needle = searchFold(q);
    return all.filter((b) => searchFold(b.code, b.name).includes(needle));
  }

  async getBranch(code: string) {
    const b = await this.db.prisma.branch.findUnique({ where: { code }, include: { locations: { orderBy: { code: 'asc' } } } });
    if (!b) throw new NotFoundException(`branch "${code}" not found`);
    return b;
  }

  async createBranch(input: BranchInput) {
    const inst = await this.institution();
    return this.db.prisma.$transaction(async (tx) => {
      if (await tx.branch.findUnique({ where: { code: input.code } })) throw new ConflictException(`branch "${input.code}" already exists`);
      const b = await tx.branch.create({ data: { ...input, institutionId: inst.id } });
      await this.audit.record({ action: 'create', entity: 'Branch', entityId: b.id, after: b }, tx);
      return b;
    });
  }

  async updateBranch(code: string, input: Partial<Omit<BranchInput, 'code'>>) {
    return this.db.prisma.$transaction(async (tx) => {
      const before = await tx.branch.findUnique({ where: { code } });
      if (!before) throw new NotFoundException(`branch "${code}" not found`);
      const after = await tx.branch.update({ where: { code }, data: input });
      await this.audit.record({ action: 'update', entity: 'Branch', entityId: after.id, before, after }, tx);
      return after;
    });
  }

  async deleteBranch(code: string) {
    return this.db.prisma.$transaction(async (tx) => {
      const before = await tx.branch.findUnique({ where: { code }, include: { _count: { select: { patrons: true, homeItems: true, heldItems: true } } } });
      if (!before) throw new NotFoundException(`branch "${code}" not found`);
      const inUse = before._count.patrons + before._count.homeItems + before._count.heldItems;
      if (inUse > 0) throw new ConflictException(`branch "${code}" still has ${before._count.patrons} patrons and ${before._count.homeItems + before._count.heldItems} items`);
      await tx.shelvingLocation.deleteMany({ where: { branchId: before.id } });
      await tx.branch.delete({ where: { code } });
      await this.audit.record({ action: 'delete', entity: 'Branch', entityId: before.id, before }, tx);
    });
  }

  async addLocation(branchCode: string, input: { code: string; name: string }) {
    const branch = await this.getBranch(branchCode);
    return this.db.prisma.$transaction(async (tx) => {
      if (await tx.shelvingLocation.findUnique({ where: { branchId_code: { branchId: branch.id, code: input.code } } })) {
        throw new ConflictException(`location "${input.code}" already exists at branch "${branchCode}"`);
      }
      const l = await tx.shelvingLocation.create({ data: { branchId: branch.id, ...input } });
      await this.audit.record({ action: 'create', entity: 'ShelvingLocation', entityId: l.id, after: l }, tx);
      return l;
    });
  }

  listItemTypes() {
    return this.db.prisma.itemType.findMany({ orderBy: { code: 'asc' } });
  }

  listPatronCategories() {
    return this.db.prisma.patronCategory.findMany({ orderBy: { code: 'asc' } });
  }
}
