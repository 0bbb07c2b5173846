import type { CarrelPrisma } from '@carrel/db';
import type { AuditService } from '@carrel/audit';

export type CodeKind = 'branch' | 'location' | 'item type' | 'patron category';

export class MissingCodeError extends Error {
  constructor(
    readonly kind: CodeKind,
    readonly code: string,
  ) {
    super(`unknown ${kind} "${code}" (use --create-missing to create it)`);
  }
}

/**
 * Turns the codes an import file names (branch, shelving location, item type, patron category) into
 * ids, once per code per run. Unknown codes fail their row, or with createMissing are created, named
 * after their code, and listed so staff can give them proper names afterwards.
 */
export class CodeResolver {
  private readonly cache = new Map<string, number>();
  readonly created: { kind: CodeKind; code: string; branch?: string }[] = [];

  constructor(
    private readonly prisma: CarrelPrisma,
    private readonly audit: AuditService,
    private readonly createMissing: boolean,
  ) {}

  async branch(code: string): Promise<number> {
    return this.resolve('branch', code, undefined, async () => {
      const found = await this.prisma.branch.findUnique({ where: { code } });
      if (found) return found.id;
      const institution = await this.prisma.institution.findFirst({ orderBy: { id: 'asc' } });
      const inst = institution ?? (await this.prisma.institution.create({ data: { code: 'MAIN', name: 'Library' } }));
      const b = await this.prisma.branch.create({ data: { code, name: code, institutionId: inst.id } });
      return { id: b.id, created: b };
    });
  }

  async location(branchCode: string, code: string): Promise<number> {
    const branchId = await this.branch(branchCode);
    return this.resolve('location', code, branchCode, async () => {
      const found = await this.prisma.shelvingLocation.findUnique({ where: { branchId_code: { branchId, code } } });
      if (found) return found.id;
      const l = await this.prisma.shelvingLocation.create({ data: { branchId, code, name: code } });
      return { id: l.id, created: l };
    });
  }

  async itemType(code: string): Promise<number> {
    return this.resolve('item type', code, undefined, async () => {
      const found = await this.prisma.itemType.findUnique({ where: { code } });
      if (found) return found.id;
      const t = await this.prisma.itemType.create({ data: { code, name: code } });
      return { id: t.id, created: t };
    });
  }

  async patronCategory(code: string): Promise<number> {
    return this.resolve('patron category', code, undefined, async () => {
      const found = await this.prisma.patronCategory.findUnique({ where: { code } });
      if (found) return found.id;
      const c = await this.prisma.patronCategory.create({ data: { code, name: code } });
      return { id: c.id, created: c };
    });
  }

  private async resolve(
    kind: CodeKind,
    code: string,
    branch: string | undefined,
    lookupOrCreate: () => Promise<number | { id: number; created: unknown }>,
  ): Promise<number> {
    const key = `${kind}\u0000${branch ?? ''}\u0000${code}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    if (!this.createMissing) {
      const id = await this.lookupOnly(kind, code, branch);
      if (id === null) throw new MissingCodeError(kind, branch ? `${branch}/${code}` : code);
      this.cache.set(key, id);
      return id;
    }
    const result = await lookupOrCreate();
    const id = typeof result === 'number' ? result : result.id;
    if (typeof result !== 'number') {
      this.created.push({ kind, code, branch });
      await this.audit.record({ action: 'create', entity: entityName(kind), entityId: id, after: result.created, context: { reason: 'created by import (--create-missing)' } });
    }
    this.cache.set(key, id);
    return id;
  }

  private async lookupOnly(kind: CodeKind, code: string, branch?: string): Promise<number | null> {
    switch (kind) {
      case 'branch':
        return (await this.prisma.branch.findUnique({ where: { code } }))?.id ?? null;
      case 'item type':
        return (await this.prisma.itemType.findUnique({ where: { code } }))?.id ?? null;
      case 'patron category':
        return (await this.prisma.patronCategory.findUnique({ where: { code } }))?.id ?? null;
      case 'location': {
        const b = await this.prisma.branch.findUnique({ where: { code: branch! } });
        if (!b) return null;
        return (await this.prisma.shelvingLocation.findUnique({ where: { branchId_code: { branchId: b.id, code } } }))?.id ?? null;
      }
    }
  }
}

function entityName(kind: CodeKind): string {
  return { branch: 'Branch', location: 'ShelvingLocation', 'item type': 'ItemType', 'patron category': 'PatronCategory' }[kind];
}
