import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { AuditService, currentActor } from '@carrel/audit';
import { callNumberSortKey, detectScheme } from '@carrel/callnumber';
import { bibRecordColumns } from '@carrel/catalog';
import { DbService, Prisma } from '@carrel/db';
import { readMarc, type MarcReadOk, type MarcRecord } from '@carrel/marc';
import { IntakeService, parseWarnings, type IntakeFileRow } from './intake.service.js';
import {
  decideOverlay, MATCH_POINTS, mapVendorRecords, matchKeys, parseMatchPoints, parseVendorMarcMapping, vendorMarcPreset,
  type MatchKey, type MatchPoint, type OverlayDecision, type OverlayPolicy, type OverlayRule, type VendorCopy, type VendorMarcMapping, type VendorMarcRecord,
} from './vendor-marc/index.js';

type Tx = Prisma.TransactionClient;

/**
 * A vendor's MARC set-up as read from its two columns:
 * - `marcMapping`: a preset name (`evergreen-970`), or JSON `{"preset"?, "order"?, "items"?, "orderNumber"?, "lineReference"?}`
 *   where `order`/`items` are Koha-style mapping texts (they replace the preset's) and `orderNumber` /
 *   `lineReference` name where the record carries our order number and order-line reference (`"970$r|949$o"`).
 *   No mapping: records load with no items.
 * - `marcMatchPoints`: a list (`"isbn, control-number"`) or JSON `{"points", "onMatch", "onNoMatch", "onSeveralMatches"}`.
 *   Default: control-number, system-control-number, isbn; add items only; create; reject several matches.
 */
export interface VendorMarcSettings {
  mapping: VendorMarcMapping;
  orderNumber: Source[];
  lineReference: Source[];
  points: MatchPoint[];
  policy: OverlayPolicy;
}

interface Source {
  tag: string;
  code: string;
}

export interface VendorMarcRejection {
  position: number;
  /** byte offset of the record in the file, -1 for MARCXML */
  offset: number;
  reason: string;
}

export interface VendorMarcOutcome {
  intakeFileId: number;
  records: { seen: number; created: number; replaced: number; matched: number; kept: number; alreadyLoaded: number };
  itemsCreated: string[];
  receivedCopies: number;
  rejected: VendorMarcRejection[];
  warnings: { position: number; message: string }[];
}

const DEFAULT_POINTS: MatchPoint[] = ['control-number', 'system-control-number', 'isbn'];
const DEFAULT_POLICY: OverlayPolicy = { onMatch: 'add-items-only', onNoMatch: 'create', onSeveralMatches: 'reject' };
const OVERLAY_RULES: readonly OverlayRule[] = ['replace-record', 'keep-existing', 'add-items-only'];
const BARCODE = /^[\x21-\x7e]{1,64}$/;
/** Statuses a receipt may move on to 'received'; a cancelled or closed line keeps its status. */
const RECEIVABLE = new Set(['ordered', 'accepted', 'back-ordered']);
// The file's warnings column is shown to staff whole: enough to find every bad record of a big file, not unbounded.
const MAX_STORED_WARNINGS = 1000;
/** Records per transaction: lookups go in bulk, and a rejected record costs its chunk one retry record by record. */
const CHUNK = 500;

function parseSources(text: unknown, what: string): Source[] {
  if (text === undefined || text === null || text === '') return [];
  if (typeof text !== 'string') throw new Error(`marcMapping.${what} must be text such as "970$r|949$o"`);
  return text.split('|').map((alt) => {
    const m = /^([0-9A-Za-z]{3})\$([0-9A-Za-z])$/.exec(alt.trim());
    if (!m || /^00\d$/.test(m[1]!)) throw new Error(`marcMapping.${what}: ${JSON.stringify(alt.slice(0, 40))} is not TAG$code`);
    return { tag: m[1]!.toUpperCase(), code: m[2]! };
  });
}

function jsonObject(text: string, column: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith('{')) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`vendor ${column} is not valid JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`vendor ${column} must be a JSON object`);
  return v as Record<string, unknown>;
}

/** Reads a vendor's `marcMapping` and `marcMatchPoints` columns; throws naming what is wrong. Pure. */
export function vendorMarcSettings(vendor: { marcMapping: string | null; marcMatchPoints: string | null }): VendorMarcSettings {
  let mapping: VendorMarcMapping = { order: {}, items: {} };
  let orderNumber: Source[] = [];
  let lineReference: Source[] = [];
  const mappingText = vendor.marcMapping?.trim() ?? '';
  if (mappingText !== '') {
    const obj = jsonObject(mappingText, 'marcMapping');
    if (!obj) mapping = vendorMarcPreset(mappingText);
    else {
      const base = typeof obj.preset === 'string' ? vendorMarcPreset(obj.preset) : mapping;
      const texts = { order: obj.order, items: obj.items };
      for (const [k, t] of Object.entries(texts)) if (t !== undefined && typeof t !== 'string') throw new Error(`marcMapping.${k} must be mapping text`);
      const own = parseVendorMarcMapping({ order: (texts.order as string | undefined) ?? '', items: (texts.items as string | undefined) ?? '' });
      mapping = { order: texts.order === undefined ? base.order : own.order, items: texts.items === undefined ? base.items : own.items };
      orderNumber = parseSources(obj.orderNumber, 'orderNumber');
      lineReference = parseSources(obj.lineReference, 'lineReference');
    }
  }
  let points = DEFAULT_POINTS;
  const policy = { ...DEFAULT_POLICY };
  const pointsText = vendor.marcMatchPoints?.trim() ?? '';
  if (pointsText !== '') {
    const obj = jsonObject(pointsText, 'marcMatchPoints');
    if (!obj) points = parseMatchPoints(pointsText);
    else {
      if (obj.points !== undefined) points = parseMatchPoints(Array.isArray(obj.points) ? obj.points.join(',') : String(obj.points));
      const pick = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
        const v = obj[name];
        if (v === undefined) return fallback;
        if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new Error(`marcMatchPoints.${name} must be one of ${allowed.join(', ')}`);
        return v as T;
      };
      policy.onMatch = pick('onMatch', OVERLAY_RULES, policy.onMatch);
      policy.onNoMatch = pick('onNoMatch', ['create', 'reject'] as const, policy.onNoMatch);
      policy.onSeveralMatches = pick('onSeveralMatches', ['reject', 'first'] as const, policy.onSeveralMatches);
    }
  }
  return { mapping, orderNumber, lineReference, points, policy };
}

function firstValue(record: MarcRecord, sources: Source[]): string | null {
  for (const s of sources) {
    for (const f of record.fields) {
      if ('value' in f || f.tag.toUpperCase() !== s.tag) continue;
      const v = f.subfields.find((x) => x.code === s.code && x.value.trim() !== '')?.value.trim();
      if (v) return v.slice(0, 200);
    }
  }
  return null;
}

interface Pending {
  r: MarcReadOk;
  mapped: VendorMarcRecord;
}

interface Run {
  file: IntakeFileRow;
  vendorId: number;
  settings: VendorMarcSettings;
  now: Date;
  out: VendorMarcOutcome;
}

/** What a chunk's transaction has looked up or written so far, so each record sees those before it. */
interface Chunk {
  /** "type NUL value" -> catalogue record ids */
  identifiers: Map<string, Set<number>>;
  hashes: Map<string, number>;
  items: Map<string, { id: number; barcode: string; recordId: number }>;
  /** branch, item type and location codes -> id, null when unknown */
  codes: Map<string, number | null>;
  markers: { key: string; after: unknown }[];
}

function addIdentifier(ctx: Chunk, type: string, value: string, recordId: number): void {
  const k = `${type}\u0000${value}`;
  ctx.identifiers.set(k, (ctx.identifiers.get(k) ?? new Set()).add(recordId));
}

/** Thrown inside a record's transaction: the record is rejected with this reason and nothing of it is written. */
class RecordRejected extends Error {}

/** The catalogue columns of a record kept whole, as the catalogue's MARC import stores them (only for records written). */
function bibData(r: MarcReadOk, contentHash: string) {
  // Identifiers as the match points read them, so the vendor's next record finds this one the way it was looked for.
  const identifiers = matchKeys(r.record, MATCH_POINTS);
  return {
    identifiers: identifiers.map((k) => ({ type: k.type, value: k.value })),
    data: bibRecordColumns(r, undefined, contentHash),
  };
}

/**
 * Shelf-ready vendor MARC through the intake into the catalogue: each record is mapped with the vendor's
 * mapping, matched by its match points and applied per the overlay rule, its barcoded copies become
 * items and, when it names one of the vendor's order lines, received copies. One transaction per
 * record, remembered by file and position, so a record is applied once however often the file is
 * processed; a bad record is rejected with its position and reason and the rest load.
 */
@Injectable()
export class VendorMarcIntakeService implements OnModuleInit {
  /** told of every MARC file the intake loaded (tests and monitoring read it) */
  onLoaded: ((outcome: VendorMarcOutcome) => void) | null = null;

  constructor(private readonly db: DbService, private readonly audit: AuditService, private readonly intake: IntakeService) {}

  onModuleInit(): void {
    this.intake.registerHandler('marc', async ({ file, bytes }) => {
      const outcome = await this.loadFile(file, bytes);
      this.onLoaded?.(outcome);
    });
  }

  /**
   * Loads a stored vendor MARC file. Rejections and mapping warnings go to the file's warnings with
   * their positions; throws (the intake then quarantines the file) when the vendor's set-up cannot be
   * read or when no record of the file could be loaded.
   */
  async loadFile(file: IntakeFileRow, bytes: Buffer, now = new Date()): Promise<VendorMarcOutcome> {
    const vendor = await this.db.prisma.vendor.findUniqueOrThrow({ where: { id: file.vendorId } });
    const settings = vendorMarcSettings(vendor);
    const out: VendorMarcOutcome = {
      intakeFileId: file.id, records: { seen: 0, created: 0, replaced: 0, matched: 0, kept: 0, alreadyLoaded: 0 },
      itemsCreated: [], receivedCopies: 0, rejected: [], warnings: [],
    };
    const run: Run = { file, vendorId: vendor.id, settings, now, out };
    let chunk: Pending[] = [];
    for (const r of readMarc(bytes)) {
      out.records.seen++;
      const mapped = [...mapVendorRecords([r], settings.mapping)][0]!;
      for (const p of mapped.problems) if (p.severity === 'warning') out.warnings.push({ position: mapped.position, message: p.message });
      if (!r.ok || !mapped.ok) {
        const errors = mapped.problems.filter((p) => p.severity === 'error').map((p) => p.message);
        out.rejected.push({ position: mapped.position, offset: r.offset, reason: errors.join('; ') || `record ${mapped.position}: rejected` });
        continue;
      }
      chunk.push({ r, mapped });
      if (chunk.length >= CHUNK) {
        await this.writeChunk(run, chunk);
        chunk = [];
      }
    }
    if (chunk.length) await this.writeChunk(run, chunk);
    out.rejected.sort((a, b) => a.position - b.position);
    await this.report(file, out);
    const loaded = out.records.seen - out.rejected.length;
    if (loaded === 0) {
      const reasons = out.rejected.slice(0, 3).map((x) => x.reason).join('; ');
      throw new Error(`no record of the vendor MARC file could be loaded (${out.rejected.length} rejected): ${reasons}`);
    }
    return out;
  }

  /** One transaction per chunk; if it fails, each record is tried alone so only the culprit is rejected. */
  private async writeChunk(run: Run, chunk: Pending[]): Promise<void> {
    const attempt = async (recs: Pending[]): Promise<void> => {
      // counts move only with a committed transaction: a rejected record rolls back its counts with its rows
      const scratch: VendorMarcOutcome = { ...run.out, records: { ...run.out.records }, itemsCreated: [] };
      await this.db.prisma.$transaction((tx) => this.applyChunk(tx, { ...run, out: scratch }, recs), { timeout: 120_000, maxWait: 30_000 });
      run.out.records = scratch.records;
      run.out.receivedCopies = scratch.receivedCopies;
      run.out.itemsCreated.push(...scratch.itemsCreated);
    };
    try {
      return await attempt(chunk);
    } catch {
      // fall through to record by record
    }
    for (const rec of chunk) {
      try {
        await attempt([rec]);
      } catch (err) {
        const position = rec.mapped.position;
        const reason = (err as Error).message.split('\n').map((l) => l.trim()).filter(Boolean).slice(-1)[0] ?? 'could not be stored';
        run.out.rejected.push({ position, offset: rec.r.offset, reason: err instanceof RecordRejected ? reason : `record ${position}: could not be stored: ${reason}` });
      }
    }
  }

  /**
   * Applies records in one transaction with their lookups in bulk (markers, identifiers, content
   * hashes, barcodes); what a record creates is seen by the records after it.
   */
  private async applyChunk(tx: Tx, run: Run, recs: Pending[]): Promise<void> {
    const markerKey = (p: Pending): string => `${run.file.id}:${p.mapped.position}`;
    const done = new Set((await tx.auditEntry.findMany({ where: { entity: 'VendorMarcRecord', entityId: { in: recs.map(markerKey) } }, select: { entityId: true } })).map((a) => a.entityId));
    const todo = recs.filter((p) => !done.has(markerKey(p))).map((p) => ({ ...p, contentHash: createHash('sha256').update(p.r.raw).digest('hex'), keys: matchKeys(p.r.record, run.settings.points) }));
    run.out.records.alreadyLoaded += recs.length - todo.length;
    if (todo.length === 0) return;

    const wanted = new Map<string, Set<string>>();
    for (const k of todo.flatMap((p) => p.keys)) wanted.set(k.type, (wanted.get(k.type) ?? new Set()).add(k.value));
    const rows = wanted.size
      ? await tx.bibIdentifier.findMany({ where: { OR: [...wanted].map(([type, values]) => ({ type, value: { in: [...values] } })) }, select: { type: true, value: true, recordId: true } })
      : [];
    const ctx: Chunk = {
      identifiers: new Map(), hashes: new Map(), items: new Map(), codes: new Map(), markers: [],
    };
    for (const x of rows) addIdentifier(ctx, x.type, x.value, x.recordId);
    const byHash = await tx.bibRecord.findMany({ where: { contentHash: { in: [...new Set(todo.map((p) => p.contentHash))] } }, select: { id: true, contentHash: true }, orderBy: { id: 'asc' } });
    for (const b of byHash) if (!ctx.hashes.has(b.contentHash)) ctx.hashes.set(b.contentHash, b.id);
    const barcodes = [...new Set(todo.flatMap((p) => p.mapped.copies.map((c) => c.barcode).filter((b): b is string => b !== null)))];
    if (barcodes.length) for (const i of await tx.item.findMany({ where: { barcode: { in: barcodes } }, select: { id: true, barcode: true, recordId: true } })) ctx.items.set(i.barcode, i);

    for (const p of todo) await this.applyRecord(tx, run, ctx, p, markerKey(p));
    const who = currentActor();
    await tx.auditEntry.createMany({
      data: ctx.markers.map((m) => ({ actor: who.actor, action: 'apply', entity: 'VendorMarcRecord', entityId: m.key, after: JSON.stringify(m.after), context: JSON.stringify({ ...who.context, intakeFileId: run.file.id }) })),
    });
  }

  private async applyRecord(tx: Tx, run: Run, ctx: Chunk, p: Pending & { contentHash: string; keys: MatchKey[] }, key: string): Promise<void> {
    const { file, out, settings } = run;
    const { mapped, contentHash } = p;
    const position = mapped.position;
    const reject = (reason: string): never => {
      throw new RecordRejected(`record ${position}: ${reason}`);
    };
    const lookups = p.keys.map((k) => ({ key: k, recordIds: [...(ctx.identifiers.get(`${k.type}\u0000${k.value}`) ?? [])] }));
    let decision = decideOverlay(lookups, settings.policy);
    // a record already in the catalogue byte for byte is that record, whatever the match points say
    const same = ctx.hashes.get(contentHash);
    if (decision.action === 'create' && same !== undefined) {
      decision = { action: 'add-items', recordId: same, matchedOn: { type: 'control-number', value: `content ${contentHash.slice(0, 12)}` }, reason: `the same record is in the catalogue as record ${same}` };
    }
    if (decision.action === 'reject') reject(decision.reason);
    // Copies are checked before anything is written: a copy naming an unknown branch rejects its record whole.
    const copies = [];
    for (const [i, c] of mapped.copies.entries()) copies.push(await this.prepareCopy(tx, ctx, c, i + 1, reject));

    let recordId: number;
    const bib = decision.action === 'create' || decision.action === 'replace' ? bibData(p.r, contentHash) : null;
    if (decision.action === 'create' && bib) {
      recordId = (await tx.bibRecord.create({ data: { ...bib.data, identifiers: { createMany: { data: bib.identifiers } } } })).id;
      await this.audit.record({ action: 'create', entity: 'BibRecord', entityId: recordId, after: { title: bib.data.title, contentHash: bib.data.contentHash }, context: { intakeFileId: file.id, position } }, tx);
      for (const i of bib.identifiers) addIdentifier(ctx, i.type, i.value, recordId);
      ctx.hashes.set(bib.data.contentHash, recordId);
      out.records.created++;
    } else {
      recordId = (decision as Exclude<OverlayDecision, { action: 'create' | 'reject' }>).recordId;
      const before = decision.action === 'replace' ? await tx.bibRecord.findUniqueOrThrow({ where: { id: recordId }, select: { title: true, contentHash: true } }) : null;
      if (before && bib && before.contentHash !== contentHash) {
        await tx.bibRecord.update({ where: { id: recordId }, data: bib.data });
        await tx.bibIdentifier.deleteMany({ where: { recordId } });
        await tx.bibIdentifier.createMany({ data: bib.identifiers.map((i) => ({ ...i, recordId })) });
        await this.audit.record({ action: 'update', entity: 'BibRecord', entityId: recordId, before, after: { title: bib.data.title, contentHash: bib.data.contentHash }, context: { intakeFileId: file.id, position } }, tx);
        for (const ids of ctx.identifiers.values()) ids.delete(recordId);
        for (const i of bib.identifiers) addIdentifier(ctx, i.type, i.value, recordId);
        ctx.hashes.set(bib.data.contentHash, recordId);
        out.records.replaced++;
      } else if (decision.action === 'keep') out.records.kept++;
      else out.records.matched++;
    }

    // keep-existing: the catalogue is left exactly as it is, items included; what arrived is still received below.
    const itemIds: (number | null)[] = [];
    for (const c of copies) itemIds.push(decision.action === 'keep' || !c ? null : await this.itemFor(tx, ctx, c, recordId, file.id, position, out, reject));

    const line = await this.orderLineFor(tx, run.vendorId, settings, p.r.record, p.keys);
    // A copy whose barcode was received on the line already (the vendor sent the record again in another file) is not received twice.
    const arrived: { copy: VendorCopy; i: number }[] = [];
    if (line) {
      for (const [i, c] of mapped.copies.entries()) {
        const seen = c.barcode ? await tx.receivedCopy.findFirst({ where: { orderLineId: line.id, barcode: c.barcode }, select: { id: true } }) : null;
        if (!seen) arrived.push({ copy: c, i });
      }
    }
    if (line && arrived.length) {
      const received = line.receivedQuantity + arrived.length;
      const status = received >= line.quantity && RECEIVABLE.has(line.status) ? 'received' : line.status;
      await tx.orderLine.update({ where: { id: line.id }, data: { receivedQuantity: received, status, ...(line.recordId === null ? { recordId } : {}) } });
      for (const { copy: c, i } of arrived) {
        await tx.receivedCopy.create({
          data: {
            vendorId: run.vendorId, orderLineId: line.id, intakeFileId: file.id, quantity: 1, barcode: c.barcode && BARCODE.test(c.barcode) ? c.barcode : null,
            itemId: itemIds[i] ?? null, copyData: JSON.stringify({ position, copy: i + 1, ...c }), source: 'marc', receivedAt: run.now,
          },
        });
      }
      out.receivedCopies += arrived.length;
      await this.audit.record({
        action: 'receive', entity: 'OrderLine', entityId: line.id,
        before: { receivedQuantity: line.receivedQuantity, status: line.status }, after: { receivedQuantity: received, status },
        context: { intakeFileId: file.id, position },
      }, tx);
    }
    ctx.markers.push({ key, after: { decision: decision.action, reason: decision.reason, recordId, orderLineId: line?.id ?? null, items: itemIds.filter((x) => x !== null) } });
  }

  /** Rejections and warnings onto the file, replacing the reader's own (ours carry the same with the mapping's). */
  private async report(file: IntakeFileRow, out: VendorMarcOutcome): Promise<void> {
    const kept = parseWarnings(file.warnings).filter((w) => !['marc', 'marc-rejected'].includes((w as { code?: string })?.code ?? ''));
    const ours = [
      ...out.rejected.map((x) => ({ code: 'marc-record-rejected', position: x.position, message: x.reason })),
      ...out.warnings.map((x) => ({ code: 'marc-record-warning', position: x.position, message: x.message })),
    ].sort((a, b) => a.position - b.position);
    const all = [...kept, ...ours].slice(0, MAX_STORED_WARNINGS);
    await this.db.prisma.$transaction(async (tx) => {
      await tx.intakeFile.update({ where: { id: file.id }, data: { warnings: JSON.stringify(all) } });
      await this.audit.record({
        action: 'load-marc', entity: 'IntakeFile', entityId: file.id,
        after: { records: out.records, itemsCreated: out.itemsCreated.length, receivedCopies: out.receivedCopies, rejected: out.rejected.map((x) => [x.position, x.reason]) },
      }, tx);
    });
  }

  /** Codes of a barcoded copy resolved to ids (nothing created, looked up once a chunk); a copy without barcode gets no item. */
  private async prepareCopy(tx: Tx, ctx: Chunk, c: VendorCopy, n: number, reject: (reason: string) => never) {
    if (c.barcode === null) return null;
    const where = `copy ${n}`;
    if (!BARCODE.test(c.barcode)) reject(`${where}: barcode ${JSON.stringify(c.barcode.slice(0, 40))} contains spaces or control characters, or is too long`);
    const branchCode = c.holdingBranch ?? c.homeBranch;
    const homeCode = c.homeBranch ?? c.holdingBranch;
    if (!branchCode || !homeCode) return reject(`${where}: barcode ${c.barcode} names no branch`);
    const cached = async (k: string, find: () => Promise<{ id: number } | null>): Promise<number | null> => {
      if (!ctx.codes.has(k)) ctx.codes.set(k, (await find())?.id ?? null);
      return ctx.codes.get(k)!;
    };
    const branchId = async (code: string): Promise<number> =>
      (await cached(`branch\u0000${code}`, () => tx.branch.findUnique({ where: { code } }))) ?? reject(`${where}: branch ${JSON.stringify(code)} does not exist`);
    const branch = await branchId(branchCode);
    const home = await branchId(homeCode);
    const type = c.itemType;
    const itemTypeId = type
      ? (await cached(`type\u0000${type}`, () => tx.itemType.findUnique({ where: { code: type } }))) ?? reject(`${where}: item type ${JSON.stringify(type)} does not exist`)
      : null;
    const loc = c.location;
    const locationId = loc
      ? (await cached(`location\u0000${branch}\u0000${loc}`, () => tx.shelvingLocation.findUnique({ where: { branchId_code: { branchId: branch, code: loc } } })))
        ?? reject(`${where}: location ${JSON.stringify(loc)} does not exist at ${branchCode}`)
      : null;
    return { copy: c, n, barcode: c.barcode, branchId: branch, homeBranchId: home, itemTypeId, locationId };
  }

  /** The item with the copy's barcode: created on the record, or the one already there; another record's item rejects the record. */
  private async itemFor(
    tx: Tx, ctx: Chunk, p: NonNullable<Awaited<ReturnType<VendorMarcIntakeService['prepareCopy']>>>, recordId: number, intakeFileId: number, position: number,
    out: VendorMarcOutcome, reject: (reason: string) => never,
  ): Promise<number> {
    const existing = ctx.items.get(p.barcode);
    if (existing) {
      if (existing.recordId !== recordId) reject(`copy ${p.n}: barcode ${p.barcode} belongs to an item of record ${existing.recordId}`);
      return existing.id;
    }
    const c = p.copy;
    const scheme = c.callNumber ? detectScheme(c.callNumber) : null;
    const item = await tx.item.create({
      data: {
        barcode: p.barcode, recordId, branchId: p.branchId, homeBranchId: p.homeBranchId, itemTypeId: p.itemTypeId, locationId: p.locationId,
        callNumber: c.callNumber, callNumberScheme: scheme, callNumberSortKey: c.callNumber ? callNumberSortKey(c.callNumber, scheme!) : null,
        collectionCode: c.collectionCode, copyNumber: c.copyNumber, price: c.price, notes: c.publicNote, status: 'available',
      },
    });
    await this.audit.record({ action: 'create', entity: 'Item', entityId: item.id, after: { barcode: item.barcode, recordId }, context: { intakeFileId, position } }, tx);
    ctx.items.set(item.barcode, { id: item.id, barcode: item.barcode, recordId });
    out.itemsCreated.push(item.barcode);
    return item.id;
  }

  /**
   * The vendor's order line the record answers: by the line reference it carries (within its order
   * number when it carries one too), else within the order it names by an ISBN of the record.
   */
  private async orderLineFor(tx: Tx, vendorId: number, settings: VendorMarcSettings, record: MarcRecord, keys: MatchKey[]) {
    const orderNumber = firstValue(record, settings.orderNumber);
    const lineReference = firstValue(record, settings.lineReference);
    const order = { vendorId, ...(orderNumber ? { orderNumber } : {}) };
    if (lineReference) return tx.orderLine.findFirst({ where: { lineReference, order }, orderBy: { id: 'asc' } });
    if (!orderNumber) return null;
    const isbns = (keys.some((k) => k.type === 'isbn') ? keys : matchKeys(record, ['isbn'])).filter((k) => k.type === 'isbn').map((k) => k.value);
    if (isbns.length === 0) return null;
    return tx.orderLine.findFirst({ where: { order, isbn: { in: isbns } }, orderBy: { id: 'asc' } });
  }
}
