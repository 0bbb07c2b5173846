import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ShelfRangeError, shelfRangeKeys, splitCallNumber, type CallNumberScheme } from '@carrel/callnumber';
import { DbService, Prisma } from '@carrel/db';

export interface ShelfListQuery {
  /** holding branch code */
  branch: string;
  /** shelving location code at that branch */
  location?: string;
  /** first call number (inclusive) */
  from?: string;
  /** last call number: everything filed under it is included (to=QA77 takes QA77.5 and QA77 .B2 v.3) */
  to?: string;
  /** how to read from and to when the collection's scheme is known; detected otherwise */
  scheme?: CallNumberScheme;
  skip?: number;
  take?: number;
}

export interface ShelfListEntry {
  barcode: string;
  callNumber: string | null;
  callNumberSortKey: string | null;
  /** the call number as its spine label prints it, top to bottom */
  spine: string[];
  title: string | null;
  author: string | null;
  status: string;
  locationCode: string | null;
  copyNumber: string | null;
}

export interface ShelfList {
  branch: string;
  location: string | null;
  from: string | null;
  to: string | null;
  total: number;
  skip: number;
  take: number;
  items: ShelfListEntry[];
}

interface Filter {
  branchId: number;
  locationId?: number;
  gte?: string;
  lt?: string;
}

function prismaWhere(f: Filter): Prisma.ItemWhereInput {
  const keys = f.gte !== undefined || f.lt !== undefined ? { callNumberSortKey: { gte: f.gte, lt: f.lt } } : {};
  return { branchId: f.branchId, ...(f.locationId !== undefined ? { locationId: f.locationId } : {}), ...keys };
}

function sqlWhere(f: Filter): Prisma.Sql {
  const parts = [Prisma.sql`"branchId" = ${f.branchId}`];
  if (f.locationId !== undefined) parts.push(Prisma.sql`"locationId" = ${f.locationId}`);
  if (f.gte !== undefined) parts.push(Prisma.sql`"callNumberSortKey" COLLATE "C" >= ${f.gte}`);
  if (f.lt !== undefined) parts.push(Prisma.sql`"callNumberSortKey" COLLATE "C" < ${f.lt}`);
  return Prisma.join(parts, ' AND ');
}

/** Rows read per query when a whole range is wanted (the PDF). */
const BATCH = 500;

/**
 * Shelf lists: the items of a branch (and shelving location) between two call numbers, in the order
 * they stand on the shelf. The order is the Item's callNumberSortKey, written by the catalog with
 * @carrel/callnumber, under byte order: SQLite compares BINARY, and on PostgreSQL the queries say
 * COLLATE "C" whatever the database was created with. Items without a call number come last: they
 * are not shelved by call number, and a shelf read has to find them.
 */
@Injectable()
export class ShelfListService {
  constructor(private readonly db: DbService) {}

  async list(q: ShelfListQuery): Promise<ShelfList> {
    const filter = await this.filter(q);
    const skip = q.skip ?? 0;
    const take = Math.min(Math.max(q.take ?? 50, 1), 500);
    const [total, rows] = await Promise.all([this.count(filter), this.page(filter, skip, take)]);
    return { branch: q.branch, location: q.location ?? null, from: q.from ?? null, to: q.to ?? null, total, skip, take, items: rows };
  }

  /**
   * The whole range, for a printed list. Refuses more than `max` items rather than making a PDF
   * nobody can print: narrow the range instead.
   */
  async all(q: ShelfListQuery, max: number): Promise<{ total: number; items: ShelfListEntry[] }> {
    const filter = await this.filter(q);
    const total = await this.count(filter);
    if (total > max) {
      throw new BadRequestException(`the shelf list holds ${total} items, more than ${max} for one document: narrow it with from, to or location`);
    }
    const items: ShelfListEntry[] = [];
    for (let skip = 0; skip < total; skip += BATCH) items.push(...(await this.page(filter, skip, BATCH)));
    return { total, items };
  }

  private async filter(q: ShelfListQuery): Promise<Filter> {
    if (typeof q.branch !== 'string' || q.branch === '') throw new BadRequestException('branch is required: the code of the branch whose shelves are listed');
    const branch = await this.db.prisma.branch.findUnique({ where: { code: q.branch }, select: { id: true } });
    if (!branch) throw new NotFoundException(`branch "${q.branch}" not found`);
    let locationId: number | undefined;
    if (q.location) {
      const loc = await this.db.prisma.shelvingLocation.findUnique({ where: { branchId_code: { branchId: branch.id, code: q.location } }, select: { id: true } });
      if (!loc) throw new NotFoundException(`shelving location "${q.location}" not found at branch "${q.branch}"`);
      locationId = loc.id;
    }
    let range;
    try {
      range = shelfRangeKeys(q.from, q.to, q.scheme);
    } catch (e) {
      if (e instanceof ShelfRangeError) throw new BadRequestException(e.message);
      throw e;
    }
    return { branchId: branch.id, locationId, gte: range.gte, lt: range.lt };
  }

  private count(f: Filter): Promise<number> {
    if (this.db.target.provider !== 'postgresql') return this.db.prisma.item.count({ where: prismaWhere(f) });
    return this.db.prisma.$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS "n" FROM "Item" WHERE ${sqlWhere(f)}`).then((r) => Number(r[0]!.n));
  }

  private async page(f: Filter, skip: number, take: number): Promise<ShelfListEntry[]> {
    let where = prismaWhere(f);
    let ids: number[] | null = null;
    if (this.db.target.provider === 'postgresql') {
      // Byte order whatever the database's collation: a database created with en_US.UTF-8 (glibc or
      // ICU) orders ':'..'@' before digits and weighs punctuation apart, which the keys rely on.
      const rows = await this.db.prisma.$queryRaw<{ id: number }[]>(Prisma.sql`
        SELECT "id" FROM "Item" WHERE ${sqlWhere(f)}
        ORDER BY "callNumberSortKey" COLLATE "C" ASC NULLS LAST, "barcode" COLLATE "C" ASC
        LIMIT ${take} OFFSET ${skip}`);
      ids = rows.map((r) => Number(r.id));
      where = { id: { in: ids } };
    }
    const rows = await this.db.prisma.item.findMany({
      where,
      ...(ids === null ? { skip, take } : {}),
      // copies with the same call number by barcode, so pages never overlap or skip
      orderBy: [{ callNumberSortKey: { sort: 'asc', nulls: 'last' } }, { barcode: 'asc' }],
      select: {
        id: true,
        barcode: true,
        callNumber: true,
        callNumberSortKey: true,
        callNumberScheme: true,
        status: true,
        copyNumber: true,
        location: { select: { code: true } },
        record: { select: { title: true, author: true } },
      },
    });
    if (ids !== null) {
      const at = new Map(ids.map((id, i) => [id, i]));
      rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
    }
    return rows.map((r) => ({
      barcode: r.barcode,
      callNumber: r.callNumber,
      callNumberSortKey: r.callNumberSortKey,
      spine: r.callNumber ? splitCallNumber(r.callNumber, (r.callNumberScheme as CallNumberScheme | null) ?? undefined) : [],
      title: r.record.title,
      author: r.record.author,
      status: r.status,
      locationCode: r.location?.code ?? null,
      copyNumber: r.copyNumber,
    }));
  }
}
