import { createHash } from 'node:crypto';
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService, currentActor } from '@carrel/audit';
import { callNumberSortKey, detectScheme } from '@carrel/callnumber';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, insertRows, Prisma, searchFold, type CarrelPrisma } from '@carrel/db';
import { CodeResolver } from '@carrel/library';
import { extractItems, isDataField, normalizeIsbn, normalizeIssn, readMarc, readMarcXml, summarizeBib, type ItemFieldMapping, type MarcReadOk, type MarcSourceFormat } from '@carrel/marc';
import { resolveItemMapping } from './item-mapping.js';
import { kohaItemStatus, normalizeItemStatus } from './item-status.js';

export interface MarcImportOptions {
  createMissing?: boolean;
  format?: MarcSourceFormat | 'auto';
  itemMapping?: ItemFieldMapping;
  /** where the file came from, for the audit log */
  source?: string;
  onProgress?: (done: number) => void;
}

export interface MarcImportReport {
  records: { seen: number; created: number; updated: number; unchanged: number };
  items: { created: number; updated: number; unchanged: number };
  rejected: { record: number; offset: number; reason: string }[];
  warnings: { record: number; warning: string }[];
  createdCodes: { kind: string; code: string }[];
}

interface PreparedItem {
  barcode: string;
  data: {
    callNumber: string | null;
    callNumberSortKey: string | null;
    callNumberScheme: string | null;
    homeBranchId: number;
    branchId: number;
    locationId: number | null;
    itemTypeId: number | null;
    collectionCode: string | null;
    copyNumber: string | null;
    price: string | null;
    notes: string | null;
  };
  status: string | null;
}

interface PreparedRecord {
  index: number;
  offset: number;
  data: {
    title: string | null;
    author: string | null;
    publisher: string | null;
    publicationYear: string | null;
    isbn: string | null;
    issn: string | null;
    controlNumber: string | null;
    controlNumberIdentifier: string | null;
    marcFormat: string;
    marcEncoding: string;
    marcRaw: Uint8Array<ArrayBuffer>;
    contentHash: string;
    searchText: string;
  };
  identifiers: { type: string; value: string }[];
  items: PreparedItem[];
}

const CHUNK = 250;

/**
 * Loads bibliographic records with their items from an ILS export. Each record is checked whole
 * (decoding, items, codes) before anything is written, so a bad record is rejected with its reason and
 * the rest load. Records are matched by content hash, then 001/003, then 035, and items by barcode, so
 * loading the same file twice changes nothing.
 */
/**
 * The catalogue columns of a record kept whole: the bytes as received, their SHA-256, and what is
 * extracted for display, matching and search. Every path that writes a `BibRecord` builds it here.
 */
export function bibRecordColumns(r: MarcReadOk, summary = summarizeBib(r.record), contentHash = createHash('sha256').update(r.raw).digest('hex')) {
  return {
    title: summary.title,
    author: summary.author,
    publisher: summary.publisher,
    publicationYear: summary.publicationYear,
    isbn: summary.isbns[0] ?? null,
    issn: summary.issns[0] ?? null,
    controlNumber: summary.controlNumber,
    controlNumberIdentifier: summary.controlNumberIdentifier,
    marcFormat: r.format,
    marcEncoding: r.sourceEncoding,
    marcRaw: new Uint8Array(r.raw),
    contentHash,
    searchText: searchFold(summary.title, summary.author, ...summary.isbns, ...summary.issns, summary.controlNumber),
  };
}

@Injectable()
export class MarcImportService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  async importFile(data: Buffer, opts: MarcImportOptions = {}): Promise<MarcImportReport> {
    const mapping = opts.itemMapping ?? resolveItemMapping(this.settings['import.itemMapping']);
    const defaultBranch = this.settings['import.defaultBranch'] || null;
    const report: MarcImportReport = {
      records: { seen: 0, created: 0, updated: 0, unchanged: 0 },
      items: { created: 0, updated: 0, unchanged: 0 },
      rejected: [],
      warnings: [],
      createdCodes: [],
    };
    const codes = new CodeResolver(this.db.prisma, this.audit, opts.createMissing ?? false);
    const barcodesSeen = new Map<string, number>();
    let chunk: PreparedRecord[] = [];

    for (const result of readMarc(data, opts.format ?? 'auto')) {
      report.records.seen++;
      if (!result.ok) {
        report.rejected.push({ record: result.index + 1, offset: result.offset, reason: result.error });
      } else {
        for (const w of result.warnings) report.warnings.push({ record: result.index + 1, warning: w });
        try {
          chunk.push(await this.prepare(result, mapping, defaultBranch, codes, barcodesSeen));
        } catch (e) {
          report.rejected.push({ record: result.index + 1, offset: result.offset, reason: (e as Error).message });
        }
      }
      if (chunk.length >= CHUNK) {
        await this.writeChunk(chunk, report, opts.source);
        chunk = [];
      }
      opts.onProgress?.(report.records.seen);
    }
    if (chunk.length) await this.writeChunk(chunk, report, opts.source);
    report.createdCodes = codes.created.map((c) => ({ kind: c.kind, code: c.branch ? `${c.branch}/${c.code}` : c.code }));
    report.rejected.sort((a, b) => a.record - b.record);
    return report;
  }

  /**
   * Creates a record from one MARCXML <record>, or replaces record `recordId` with it (staff API).
   * Item fields in it are ignored: items are managed on their own.
   */
  async saveRecordXml(xml: string, recordId?: number): Promise<number> {
    const results = [...readMarcXml(xml)];
    if (results.length !== 1) throw new BadRequestException(`send exactly one MARCXML <record> (found ${results.length})`);
    const r = results[0];
    if (!r.ok) throw new BadRequestException(r.error);
    const codes = new CodeResolver(this.db.prisma, this.audit, false);
    const rec = await this.prepare(r, null, null, codes, new Map());
    return this.db.prisma.$transaction(async (tx) => {
      if (recordId === undefined) {
        const created = await tx.bibRecord.create({ data: { ...rec.data, identifiers: { createMany: { data: rec.identifiers } } } });
        await this.audit.record({ action: 'create', entity: 'BibRecord', entityId: created.id, after: { title: rec.data.title, contentHash: rec.data.contentHash } }, tx);
        return created.id;
      }
      const before = await tx.bibRecord.findUnique({ where: { id: recordId }, select: { title: true, contentHash: true } });
      if (!before) throw new NotFoundException(`record ${recordId} not found`);
      await tx.bibRecord.update({ where: { id: recordId }, data: rec.data });
      await tx.bibIdentifier.deleteMany({ where: { recordId } });
      await tx.bibIdentifier.createMany({ data: rec.identifiers.map((i) => ({ ...i, recordId })) });
      await this.audit.record({ action: 'update', entity: 'BibRecord', entityId: recordId, before, after: { title: rec.data.title, contentHash: rec.data.contentHash } }, tx);
      return recordId;
    });
  }

  private async prepare(
    r: MarcReadOk,
    mapping: ItemFieldMapping | null,
    defaultBranch: string | null,
    codes: CodeResolver,
    barcodesSeen: Map<string, number>,
  ): Promise<PreparedRecord> {
    const n = r.index + 1;
    const summary = summarizeBib(r.record);
    const items: PreparedItem[] = [];
    const inRecord = new Set<string>();
    for (const [i, it] of (mapping ? extractItems(r.record, mapping) : []).entries()) {
      if (!mapping) break;
      const where = `item ${i + 1} (${mapping.tag})`;
      if (!it.barcode) throw new Error(`${where} has no barcode ($${mapping.barcode})`);
      if (/[\s\x00-\x1f|]/.test(it.barcode) || it.barcode.length > 64) throw new Error(`${where}: barcode "${it.barcode}" contains spaces or control characters, or is too long`);
      if (inRecord.has(it.barcode)) throw new Error(`${where}: barcode ${it.barcode} appears twice in this record`);
      const earlier = barcodesSeen.get(it.barcode);
      if (earlier !== undefined) throw new Error(`${where}: barcode ${it.barcode} already belongs to record ${earlier} of this file`);
      inRecord.add(it.barcode);
      const branchCode = it.branch ?? defaultBranch;
      if (!branchCode) throw new Error(`${where}: barcode ${it.barcode} names no branch${mapping.branch ? ` ($${mapping.branch})` : ''}`);
      const homeCode = it.homeBranch ?? branchCode;
      let price: string | null = null;
      if (it.price !== null) {
        if (!/^\d{1,9}(\.\d{1,4})?$/.test(it.price)) throw new Error(`${where}: price "${it.price}" is not an amount`);
        price = it.price;
      }
      let status: string | null = null;
      if (it.status !== null) {
        status = normalizeItemStatus(it.status);
        if (!status) throw new Error(`${where}: status "${it.status}" is not one Carrel knows`);
      } else if (mapping.tag === '952') {
        const field = r.record.fields[it.fieldIndex];
        status = field && isDataField(field) ? kohaItemStatus(field.subfields) : null;
      }
      const scheme = it.callNumber ? detectScheme(it.callNumber) : null;
      items.push({
        barcode: it.barcode,
        status,
        data: {
          callNumber: it.callNumber,
          callNumberSortKey: it.callNumber ? callNumberSortKey(it.callNumber, scheme!) : null,
          callNumberScheme: scheme,
          homeBranchId: await codes.branch(homeCode),
          branchId: await codes.branch(branchCode),
          locationId: it.location ? await codes.location(branchCode, it.location) : null,
          itemTypeId: it.itemType ? await codes.itemType(it.itemType) : null,
          collectionCode: it.collectionCode,
          copyNumber: it.copyNumber,
          price,
          notes: it.notes,
        },
      });
    }
    for (const it of items) barcodesSeen.set(it.barcode, n);

    const identifiers = new Map<string, { type: string; value: string }>();
    const add = (type: string, value: string | null) => {
      if (value) identifiers.set(`${type}\u0000${value}`, { type, value });
    };
    // identifiers are matched in canonical form: ISBN-13 for any valid ISBN, NNNN-NNNX for ISSNs
    summary.isbns.forEach((v) => add('isbn', normalizeIsbn(v) ?? v));
    summary.issns.forEach((v) => add('issn', normalizeIssn(v) ?? v));
    add('control-number', summary.controlNumber && `${summary.controlNumberIdentifier ?? ''}:${summary.controlNumber}`);
    summary.systemControlNumbers.forEach((v) => add('system-control-number', v));
    add('lccn', summary.lccn);

    return {
      index: r.index,
      offset: r.offset,
      identifiers: [...identifiers.values()],
      items,
      data: bibRecordColumns(r, summary),
    };
  }

  /** One transaction per chunk; if it fails, each record is retried alone so only the culprit is rejected. */
  private async writeChunk(chunk: PreparedRecord[], report: MarcImportReport, source?: string): Promise<void> {
    const scratch = cloneCounts(report);
    try {
      await this.db.prisma.$transaction((tx) => this.writeRecords(tx as CarrelPrisma, chunk, scratch, source), { timeout: 120_000, maxWait: 30_000 });
      Object.assign(report.records, scratch.records);
      Object.assign(report.items, scratch.items);
      return;
    } catch {
      // fall through to record-by-record
    }
    for (const rec of chunk) {
      const one = cloneCounts(report);
      try {
        await this.db.prisma.$transaction((tx) => this.writeRecords(tx as CarrelPrisma, [rec], one, source), { timeout: 60_000, maxWait: 30_000 });
        Object.assign(report.records, one.records);
        Object.assign(report.items, one.items);
      } catch (e) {
        report.rejected.push({ record: rec.index + 1, offset: rec.offset, reason: `could not be stored: ${firstLine((e as Error).message)}` });
      }
    }
  }

  /**
   * Writes a chunk with a handful of statements whatever its size: lookups by hash, identifier and
   * barcode in bulk, new records, identifiers, items and audit entries inserted in bulk. Only records
   * and items that really changed are updated one by one.
   */
  private async writeRecords(tx: CarrelPrisma, chunk: PreparedRecord[], counts: Pick<MarcImportReport, 'records' | 'items'>, source?: string): Promise<void> {
    const actor = currentActor().actor;
    const context = JSON.stringify({ source: source ?? 'marc import' });
    const auditRows: Prisma.AuditEntryCreateManyInput[] = [];

    const hashes = [...new Set(chunk.map((c) => c.data.contentHash))];
    const byHash = new Map((await tx.bibRecord.findMany({ where: { contentHash: { in: hashes } }, select: { id: true, contentHash: true } })).map((r) => [r.contentHash, r.id]));
    const matches = await this.findMatches(tx, chunk.filter((c) => !byHash.has(c.data.contentHash)));

    // records: unchanged (same bytes), updated (same 001/003 or 035, new bytes) or new
    const fresh: PreparedRecord[] = [];
    const freshHashes = new Set<string>();
    for (const rec of chunk) {
      if (byHash.has(rec.data.contentHash) || freshHashes.has(rec.data.contentHash)) {
        counts.records.unchanged++;
        continue;
      }
      const match = matchFor(rec, matches);
      if (match === null) {
        fresh.push(rec);
        freshHashes.add(rec.data.contentHash);
        continue;
      }
      const before = await tx.bibRecord.findUnique({ where: { id: match }, select: { title: true, contentHash: true } });
      await tx.bibRecord.update({ where: { id: match }, data: rec.data });
      await tx.bibIdentifier.deleteMany({ where: { recordId: match } });
      await tx.bibIdentifier.createMany({ data: rec.identifiers.map((i) => ({ ...i, recordId: match })) });
      byHash.set(rec.data.contentHash, match);
      counts.records.updated++;
      auditRows.push({ actor, action: 'import', entity: 'BibRecord', entityId: String(match), before: JSON.stringify(before), after: JSON.stringify({ title: rec.data.title, contentHash: rec.data.contentHash }), context });
    }
    const provider = this.db.target.provider;
    const now = new Date();
    if (fresh.length) {
      const created = await insertRows<{ id: number; contentHash: string }>(
        tx, provider, 'BibRecord', fresh.map((r) => ({ ...r.data, createdAt: now, updatedAt: now })), ['id', 'contentHash'],
      );
      for (const c of created) byHash.set(c.contentHash, Number(c.id));
      await insertRows(tx, provider, 'BibIdentifier', fresh.flatMap((r) => r.identifiers.map((i) => ({ recordId: byHash.get(r.data.contentHash)!, type: i.type, value: i.value }))));
      counts.records.created += created.length;
      for (const r of fresh) {
        auditRows.push({ actor, action: 'import', entity: 'BibRecord', entityId: String(byHash.get(r.data.contentHash)), after: JSON.stringify({ title: r.data.title, contentHash: r.data.contentHash }), context });
      }
    }

    // items: by barcode, new ones in bulk, changed ones one by one, unchanged ones not written
    const barcodes = chunk.flatMap((c) => c.items.map((i) => i.barcode));
    const existingItems = new Map((await tx.item.findMany({ where: { barcode: { in: barcodes } } })).map((i) => [i.barcode, i]));
    const newItems: (Prisma.ItemCreateManyInput & { barcode: string })[] = [];
    for (const rec of chunk) {
      const recordId = byHash.get(rec.data.contentHash)!;
      for (const item of rec.items) {
        const existing = existingItems.get(item.barcode);
        const data = { ...item.data, recordId };
        if (!existing) {
          newItems.push({ ...data, barcode: item.barcode, status: item.status ?? 'available', createdAt: now, updatedAt: now });
          continue;
        }
        const changed: string[] = (Object.keys(data) as (keyof typeof data)[]).filter((k) => !sameValue(existing[k], data[k]));
        if (item.status && item.status !== existing.status) changed.push('status');
        if (changed.length === 0) {
          counts.items.unchanged++;
          continue;
        }
        await tx.item.update({ where: { id: existing.id }, data: { ...data, ...(item.status ? { status: item.status } : {}) } });
        counts.items.updated++;
        const before = Object.fromEntries(changed.map((k) => [k, existing[k as keyof typeof existing]]));
        const after = Object.fromEntries(changed.map((k) => [k, k === 'status' ? item.status : data[k as keyof typeof data]]));
        auditRows.push({ actor, action: 'import', entity: 'Item', entityId: String(existing.id), before: JSON.stringify(before), after: JSON.stringify(after), context });
      }
    }
    if (newItems.length) {
      const created = await insertRows<{ id: number; barcode: string }>(tx, provider, 'Item', newItems, ['id', 'barcode']);
      const ids = new Map(created.map((c) => [c.barcode, Number(c.id)]));
      counts.items.created += created.length;
      for (const { createdAt: _c, updatedAt: _u, ...it } of newItems) auditRows.push({ actor, action: 'import', entity: 'Item', entityId: String(ids.get(it.barcode)), after: JSON.stringify(it), context });
    }
    await insertRows(tx, provider, 'AuditEntry', auditRows.map((a) => ({ at: now, before: null, ...a })));
  }

  /** Existing records sharing a 001/003 control number or a 035 with records of the chunk, by identifier. */
  private async findMatches(tx: CarrelPrisma, recs: PreparedRecord[]): Promise<Map<string, number>> {
    const wanted = (type: string) => [...new Set(recs.flatMap((r) => r.identifiers.filter((i) => i.type === type).map((i) => i.value)))];
    const controls = wanted('control-number');
    const scns = wanted('system-control-number');
    if (controls.length + scns.length === 0) return new Map();
    const rows = await tx.bibIdentifier.findMany({
      where: { OR: [{ type: 'control-number', value: { in: controls } }, { type: 'system-control-number', value: { in: scns } }] },
      orderBy: { recordId: 'asc' },
      select: { type: true, value: true, recordId: true },
    });
    const out = new Map<string, number>();
    for (const r of rows) if (!out.has(`${r.type}\u0000${r.value}`)) out.set(`${r.type}\u0000${r.value}`, r.recordId);
    return out;
  }
}

/** 001/003 first, then any 035 the record carries. */
function matchFor(rec: PreparedRecord, matches: Map<string, number>): number | null {
  const control = rec.identifiers.find((i) => i.type === 'control-number');
  if (control) {
    const id = matches.get(`control-number\u0000${control.value}`);
    if (id !== undefined) return id;
  }
  for (const i of rec.identifiers) {
    if (i.type !== 'system-control-number') continue;
    const id = matches.get(`system-control-number\u0000${i.value}`);
    if (id !== undefined) return id;
  }
  return null;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'object' && a !== null && 'toFixed' in a) return new Prisma.Decimal(a as Prisma.Decimal).equals(new Prisma.Decimal(String(b)));
  return a === b;
}

function cloneCounts(r: MarcImportReport): Pick<MarcImportReport, 'records' | 'items'> {
  return { records: { ...r.records }, items: { ...r.items } };
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? s;
}
