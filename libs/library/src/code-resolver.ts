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
    return this.resolve(
      'branch',
      code,
      undefined,
      async () => (await this.prisma.branch.findUnique({ where: { code } }))?.id ?? null,
      async () => {
        const institution = await this.prisma.institution.findFirst({ orderBy: { id: 'asc' } });
        const inst = institution ?? (await this.prisma.institution.create({ data: { code: 'MAIN', name: 'Library' } }));
        return this.prisma.branch.create({ data: { code, name: code, institutionId: inst.id } });
      },
    );
  }

  async location(branchCode: string, code: string): Promise<number> {
    const branchId = await this.branch(branchCode);
    return this.resolve(
      'location',
      code,
      branchCode,
      async () => (await this.prisma.shelvingLocation.findUnique({ where: { branchId_code: { branchId, code } } }))?.id ?? null,
      () => this.prisma.shelvingLocation.create({ data: { branchId, code, name: code } }),
    );
  }

  async itemType(code: string): Promise<number> {
    return this.resolve(
      'item type',
      code,
      undefined,
      async () => (await this.prisma.itemType.findUnique({ where: { code } }))?.id ?? null,
      () => this.prisma.itemType.create({ data: { code, name: code } }),
    );
  }

  async patronCategory(code: string): Promise<number> {
    return this.resolve(
      'patron category',
      code,
      undefined,
      async () => (await this.prisma.patronCategory.findUnique({ where: { code } }))?.id ?? null,
      () => this.prisma.patronCategory.create({ data: { code, name: code } }),
    );
  }

  /** Once per code per run: look it up; if it is not there, create it (when allowed) or refuse. */
  private async resolve(
    kind: CodeKind,
    code: string,
    branch: string | undefined,
    lookup: () => Promise<number | null>,
    create: () => Promise<{ id: number }>,
  ): Promise<number> {
    const key = `${kind}\u0000${branch ?? ''}\u0000${code}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let id = await lookup();
    if (id === null) {
      if (!this.createMissing) throw new MissingCodeError(kind, branch ? `${branch}/${code}` : code);
      const row = await create();
      id = row.id;
      this.created.push({ kind, code, branch });
      await this.audit.record({ action: 'create', entity: entityName(kind), entityId: id, after: row, context: { reason: 'created by import (--create-missing)' } });
    }
    this.cache.set(key, id);
    return id;
  }
}

function entityName(kind: CodeKind): string {
  return { branch: 'Branch', location: 'ShelvingLocation', 'item type': 'ItemType', 'patron category': 'PatronCategory' }[kind];
}
