import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { callNumberSortKey, detectScheme } from '@carrel/callnumber';
import { DbService, Prisma, searchFold, type BibRecord, type Item } from '@carrel/db';
import { CodeResolver, MissingCodeError } from '@carrel/library';
import { normalizeIsbn, normalizeIssn, readMarc, type MarcRecord } from '@carrel/marc';
import { isItemStatus, ITEM_STATUSES } from './item-status.js';

/** A record as staff see it: the decoded MARC instead of the stored bytes. */
export type RecordView = Omit<BibRecord, 'marcRaw' | 'searchText'> & { marc: MarcRecord | null; marcWarnings: string[] };

/**
 * The stored bytes decoded again (the reader is fast and deterministic, so the decoded form is not
 * stored beside them). A record that no longer decodes is shown with the reason instead.
 */
export function decodeStoredRecord(format: string, raw: Uint8Array): { marc: MarcRecord | null; warnings: string[] } {
  const first = readMarc(Buffer.from(raw), format === 'marcxml' ? 'marcxml' : 'iso2709').next();
  if (first.done) return { marc: null, warnings: ['stored record is empty'] };
  return first.value.ok ? { marc: first.value.record, warnings: first.value.warnings } : { marc: null, warnings: [first.value.error] };
}

export function recordView(r: BibRecord): RecordView {
  const { marcRaw, searchText: _s, ...rest } = r;
  const decoded = decodeStoredRecord(r.marcFormat, marcRaw);
  return { ...rest, marc: decoded.marc, marcWarnings: decoded.warnings };
}

export interface ItemInput {
  barcode: string;
  recordId: number;
  callNumber?: string | null;
  branchCode: string;
  homeBranchCode?: string | null;
  locationCode?: string | null;
  itemTypeCode?: string | null;
  collectionCode?: string | null;
  copyNumber?: string | null;
  status?: string;
  price?: string | null;
  notes?: string | null;
}

const itemInclude = { branch: { select: { code: true } }, homeBranch: { select: { code: true } }, location: { select: { code: true } }, itemType: { select: { code: true } } } as const;

type ItemWithCodes = Item & { branch: { code: string }; homeBranch: { code: string }; location: { code: string } | null; itemType: { code: string } | null };

export function itemView(i: ItemWithCodes) {
  const { branch, homeBranch, location, itemType, ...rest } = i;
  return { ...rest, branchCode: branch.code, homeBranchCode: homeBranch.code, locationCode: location?.code ?? null, itemTypeCode: itemType?.code ?? null };
}

@Injectable()
export class CatalogService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
  ) {}

  async searchRecords(opts: { q?: string; isbn?: string; issn?: string; controlNumber?: string; skip?: number; take?: number }) {
    const ids: Prisma.BibRecordWhereInput[] = [];
    if (opts.isbn) ids.push({ identifiers: { some: { type: 'isbn', value: normalizeIsbn(opts.isbn) ?? opts.isbn.replace(/[^0-9Xx]/g, '').toUpperCase() } } });
    if (opts.issn) ids.push({ identifiers: { some: { type: 'issn', value: normalizeIssn(opts.issn) ?? opts.issn.toUpperCase() } } });
    if (opts.controlNumber) ids.push({ controlNumber: opts.controlNumber });
    const where: Prisma.BibRecordWhereInput = { AND: [...ids, ...(opts.q ? [{ searchText: { contains: searchFold(opts.q) } }] : [])] };
    const take = Math.min(Math.max(opts.take ?? 50, 1), 500);
    const [total, rows] = await Promise.all([
      this.db.prisma.bibRecord.count({ where }),
      this.db.prisma.bibRecord.findMany({
        where,
        skip: opts.skip ?? 0,
        take,
        orderBy: [{ title: 'asc' }, { id: 'asc' }],
        select: { id: true, title: true, author: true, publisher: true, publicationYear: true, isbn: true, issn: true, controlNumber: true, _count: { select: { items: true } } },
      }),
    ]);
    return { total, records: rows.map(({ _count, ...r }) => ({ ...r, itemCount: _count.items })) };
  }

  async getRecord(id: number) {
    const r = await this.db.prisma.bibRecord.findUnique({ where: { id }, include: { items: { include: itemInclude, orderBy: { barcode: 'asc' } } } });
    if (!r) throw new NotFoundException(`record ${id} not found`);
    const { items, ...rec } = r;
    return { ...recordView(rec), items: items.map(itemView) };
  }

  /** The record exactly as it was received (ISO 2709 or MARCXML bytes). */
  async getRecordRaw(id: number): Promise<{ format: string; bytes: Buffer }> {
    const r = await this.db.prisma.bibRecord.findUnique({ where: { id }, select: { marcFormat: true, marcRaw: true } });
    if (!r) throw new NotFoundException(`record ${id} not found`);
    return { format: r.marcFormat, bytes: Buffer.from(r.marcRaw) };
  }

  async deleteRecord(id: number): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const r = await tx.bibRecord.findUnique({ where: { id }, include: { _count: { select: { items: true } } } });
      if (!r) throw new NotFoundException(`record ${id} not found`);
      if (r._count.items > 0) throw new ConflictException(`record ${id} still has ${r._count.items} items; delete or move them first`);
      await tx.bibRecord.delete({ where: { id } });
      await this.audit.record({ action: 'delete', entity: 'BibRecord', entityId: id, before: { title: r.title, controlNumber: r.controlNumber, contentHash: r.contentHash } }, tx);
    });
  }

  async searchItems(opts: { barcode?: string; recordId?: number; branch?: string; location?: string; status?: string; skip?: number; take?: number }) {
    const where: Prisma.ItemWhereInput = {
      barcode: opts.barcode,
      recordId: opts.recordId,
      branch: opts.branch ? { code: opts.branch } : undefined,
      location: opts.location ? { code: opts.location } : undefined,
      status: opts.status,
    };
    const take = Math.min(Math.max(opts.take ?? 50, 1), 500);
    const [total, rows] = await Promise.all([
      this.db.prisma.item.count({ where }),
      this.db.prisma.item.findMany({ where, include: itemInclude, skip: opts.skip ?? 0, take, orderBy: [{ callNumberSortKey: 'asc' }, { barcode: 'asc' }] }),
    ]);
    return { total, items: rows.map(itemView) };
  }

  async getItem(barcode: string) {
    const i = await this.db.prisma.item.findUnique({ where: { barcode }, include: itemInclude });
    if (!i) throw new NotFoundException(`item "${barcode}" not found`);
    return itemView(i);
  }

  async createItem(input: ItemInput) {
    const data = await this.itemData(input);
    return this.db.prisma.$transaction(async (tx) => {
      if (await tx.item.findUnique({ where: { barcode: input.barcode } })) throw new ConflictException(`item "${input.barcode}" already exists`);
      if (!(await tx.bibRecord.findUnique({ where: { id: input.recordId }, select: { id: true } }))) throw new BadRequestException(`record ${input.recordId} does not exist`);
      const i = await tx.item.create({ data: { ...data, barcode: input.barcode }, include: itemInclude });
      await this.audit.record({ action: 'create', entity: 'Item', entityId: i.id, after: itemView(i) }, tx);
      return itemView(i);
    });
  }

  async updateItem(barcode: string, input: Partial<Omit<ItemInput, 'barcode'>>) {
    const current = await this.getItem(barcode);
    const merged: ItemInput = {
      barcode,
      recordId: current.recordId,
      callNumber: current.callNumber,
      branchCode: current.branchCode,
      homeBranchCode: current.homeBranchCode,
      locationCode: current.locationCode,
      itemTypeCode: current.itemTypeCode,
      collectionCode: current.collectionCode,
      copyNumber: current.copyNumber,
      status: current.status,
      price: current.price === null ? null : String(current.price),
      notes: current.notes,
      ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)),
    };
    const data = await this.itemData(merged);
    return this.db.prisma.$transaction(async (tx) => {
      if (!(await tx.bibRecord.findUnique({ where: { id: merged.recordId }, select: { id: true } }))) throw new BadRequestException(`record ${merged.recordId} does not exist`);
      const i = await tx.item.update({ where: { barcode }, data, include: itemInclude });
      await this.audit.record({ action: 'update', entity: 'Item', entityId: i.id, before: current, after: itemView(i) }, tx);
      return itemView(i);
    });
  }

  async deleteItem(barcode: string): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      const i = await tx.item.findUnique({ where: { barcode }, include: itemInclude });
      if (!i) throw new NotFoundException(`item "${barcode}" not found`);
      await tx.item.delete({ where: { barcode } });
      await this.audit.record({ action: 'delete', entity: 'Item', entityId: i.id, before: itemView(i) }, tx);
    });
  }

  private async itemData(input: ItemInput) {
    if (input.status !== undefined && !isItemStatus(input.status)) throw new BadRequestException(`status must be one of ${ITEM_STATUSES.join(', ')}`);
    if (input.price != null && !/^\d{1,9}(\.\d{1,4})?$/.test(input.price)) throw new BadRequestException(`price "${input.price}" is not an amount like 12.50`);
    const codes = new CodeResolver(this.db.prisma, this.audit, false);
    try {
      const scheme = input.callNumber ? detectScheme(input.callNumber) : null;
      return {
        recordId: input.recordId,
        callNumber: input.callNumber ?? null,
        callNumberScheme: scheme,
        callNumberSortKey: input.callNumber ? callNumberSortKey(input.callNumber, scheme!) : null,
        branchId: await codes.branch(input.branchCode),
        homeBranchId: await codes.branch(input.homeBranchCode ?? input.branchCode),
        locationId: input.locationCode ? await codes.location(input.branchCode, input.locationCode) : null,
        itemTypeId: input.itemTypeCode ? await codes.itemType(input.itemTypeCode) : null,
        collectionCode: input.collectionCode ?? null,
        copyNumber: input.copyNumber ?? null,
        status: input.status ?? 'available',
        price: input.price ?? null,
        notes: input.notes ?? null,
      };
    } catch (e) {
      if (e instanceof MissingCodeError) throw new BadRequestException(e.message.replace(/ \(use --create-missing.*\)$/, ''));
      throw e;
    }
  }
}
