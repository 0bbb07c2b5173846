import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, NotFoundException, ConflictException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, Prisma } from '@carrel/db';
import { kindOfName, type IntakeKind } from './file-kinds.js';
import { analyseIntake, type IntakeAnalysis } from './intake-analysis.js';
import { IntakeStore, type StoredFile } from './intake-store.js';

export type IntakeFileRow = Prisma.IntakeFileGetPayload<object>;
export type IntakeArrivalRow = Prisma.IntakeArrivalGetPayload<object>;

/**
 * The steps of intake, in order. `IntakeService.crashAt` is called after each: a test throws from it to
 * stop the work there, as a crash would, and checks that the next poll carries on.
 */
export type IntakeStep = 'stored' | 'recorded' | 'claimed' | 'analysed' | 'handled' | 'processed' | 'remote-action';

/** What a later stage (orders, invoices, vendor MARC) does with a readable file; must be idempotent per file id. */
export type IntakeHandler = (ctx: { file: IntakeFileRow; analysis: IntakeAnalysis; bytes: Buffer }) => Promise<void>;

export interface ArrivalInput {
  vendor: { id: number; code: string };
  connectorId?: number | null;
  source: 'sftp' | 'local';
  name: string;
  remotePath?: string | null;
  remoteModified?: Date | null;
  /** kind suggested by where and under which name it came; the content decides in the end */
  kind: IntakeKind;
  stored: StoredFile;
  now: Date;
}

export interface IntakeOutcome {
  fileId: number;
  arrivalId: number;
  name: string;
  duplicate: boolean;
  state: string;
  kind: string;
  quarantineReason: string | null;
  warnings: number;
}

export interface IntakeFileQuery {
  vendor?: string;
  state?: string;
  kind?: string;
  limit?: number;
  offset?: number;
}

export const INTAKE_STATES = ['downloaded', 'processing', 'processed', 'quarantined'] as const;

/** Files the first stages did not finish are taken up again by the next poll once this long has passed. */
const DEFAULT_PROCESSING_LEASE_MS = 10 * 60_000;
/** The largest file Carrel takes from a vendor: far above any real invoice or MARC batch. */
export const MAX_INTAKE_BYTES = 512 * 1024 * 1024;

/**
 * The intake ledger: every file from a vendor is stored (fsynced, renamed into place, hashed) and recorded
 * before anything else happens; the same content is processed once, whatever it was called; a file that
 * cannot be read is quarantined with the reason and stays downloadable.
 */
@Injectable()
export class IntakeService {
  readonly store: IntakeStore;
  /** failure injection for crash tests: throw from it to stop intake after a step */
  crashAt: ((step: IntakeStep, detail: { name: string; fileId?: number }) => void) | undefined;
  processingLeaseMs = DEFAULT_PROCESSING_LEASE_MS;
  private readonly handlers = new Map<IntakeKind, IntakeHandler[]>();

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    @Inject(CARREL_SETTINGS) settings: CarrelSettings,
  ) {
    this.store = new IntakeStore(settings['acquisitions.storageDir'], MAX_INTAKE_BYTES);
  }

  /** Registers what happens to readable files of a kind (orders, invoices, vendor MARC) after intake. */
  registerHandler(kind: IntakeKind, handler: IntakeHandler): void {
    this.handlers.set(kind, [...(this.handlers.get(kind) ?? []), handler]);
  }

  step(step: IntakeStep, detail: { name: string; fileId?: number }): void {
    this.crashAt?.(step, detail);
  }

  /**
   * Records a stored file: the first arrival of a content creates its ledger row, any later one (same bytes,
   * any name) is recorded as a duplicate of it and is not processed.
   */
  async record(input: ArrivalInput): Promise<{ file: IntakeFileRow; arrival: IntakeArrivalRow; duplicate: boolean }> {
    const attempt = () => this.db.prisma.$transaction(async (tx) => {
      const existing = await tx.intakeFile.findUnique({ where: { vendorId_sha256: { vendorId: input.vendor.id, sha256: input.stored.sha256 } } });
      const file = existing ?? await tx.intakeFile.create({
        data: {
          vendorId: input.vendor.id, connectorId: input.connectorId ?? null, kind: input.kind, originalName: input.name,
          remotePath: input.remotePath ?? null, size: input.stored.size, sha256: input.stored.sha256, storedPath: input.stored.storedPath,
          state: 'downloaded', receivedAt: input.now,
        },
      });
      const arrival = await tx.intakeArrival.create({
        data: {
          vendorId: input.vendor.id, connectorId: input.connectorId ?? null, intakeFileId: file.id, source: input.source, name: input.name,
          remotePath: input.remotePath ?? null, size: input.stored.size, remoteModified: input.remoteModified ?? null,
          outcome: existing ? 'duplicate' : 'new', at: input.now,
        },
      });
      await this.audit.record({
        action: existing ? 'receive-duplicate' : 'receive', entity: 'IntakeFile', entityId: file.id,
        after: { name: input.name, source: input.source, remotePath: input.remotePath ?? null, sha256: input.stored.sha256, size: input.stored.size, vendor: input.vendor.code },
      }, tx);
      return { file, arrival, duplicate: !!existing };
    });
    try {
      return await attempt();
    } catch (err) {
      // another poller recorded the same content at the same moment: ours is then a duplicate
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') return attempt();
      throw err;
    }
  }

  /**
   * Analyses a recorded file and runs the handlers for its kind. Only one worker gets a file: the claim is a
   * conditional update; a claim older than the lease (its worker died) can be taken over.
   */
  async process(fileId: number, opts: { now?: Date; force?: boolean } = {}): Promise<IntakeFileRow> {
    const now = opts.now ?? new Date();
    const staleBefore = new Date(now.getTime() - this.processingLeaseMs);
    const claimable: Prisma.IntakeFileWhereInput[] = [{ state: 'downloaded' }, { state: 'processing', processingStartedAt: { lte: staleBefore } }];
    // staff asking again also take over a claim that looks stuck, whatever its age
    if (opts.force) claimable.push({ state: 'quarantined' }, { state: 'processing' });
    const claimed = await this.db.prisma.intakeFile.updateMany({
      where: { id: fileId, OR: claimable },
      data: { state: 'processing', processingStartedAt: now, attempts: { increment: 1 } },
    });
    const file = await this.db.prisma.intakeFile.findUnique({ where: { id: fileId } });
    if (!file) throw new NotFoundException(`intake file ${fileId} not found`);
    if (claimed.count === 0) return file;
    this.step('claimed', { name: file.originalName, fileId });

    let bytes: Buffer;
    try {
      bytes = await this.store.read(file.storedPath);
    } catch (err) {
      return this.quarantine(file, `the stored bytes cannot be read: ${(err as Error).message}`, [], null, now);
    }
    if (bytes.length !== file.size) return this.quarantine(file, `the stored file has ${bytes.length} bytes, the ledger says ${file.size}`, [], null, now);
    const analysis = analyseIntake(bytes, file.kind as IntakeKind);
    this.step('analysed', { name: file.originalName, fileId });
    if (analysis.quarantineReason) return this.quarantine(file, analysis.quarantineReason, analysis.warnings, analysis, now);

    const analysed = await this.db.prisma.intakeFile.update({
      where: { id: fileId },
      data: { kind: analysis.kind, messageType: analysis.messageType, documentCount: analysis.documentCount, warnings: JSON.stringify(analysis.warnings) },
    });
    for (const handler of this.handlers.get(analysis.kind) ?? []) {
      try {
        await handler({ file: analysed, analysis, bytes });
      } catch (err) {
        return this.quarantine(analysed, `processing failed: ${(err as Error).message}`, analysis.warnings, analysis, now);
      }
    }
    this.step('handled', { name: file.originalName, fileId });
    const done = await this.db.prisma.$transaction(async (tx) => {
      const row = await tx.intakeFile.update({ where: { id: fileId }, data: { state: 'processed', processedAt: now, quarantineReason: null } });
      await this.audit.record({
        action: 'process', entity: 'IntakeFile', entityId: fileId,
        after: { kind: row.kind, messageType: row.messageType, documents: row.documentCount, warnings: analysis.warnings.length },
      }, tx);
      return row;
    });
    this.step('processed', { name: file.originalName, fileId });
    return done;
  }

  private quarantine(file: IntakeFileRow, reason: string, warnings: unknown[], analysis: IntakeAnalysis | null, now: Date): Promise<IntakeFileRow> {
    return this.db.prisma.$transaction(async (tx) => {
      const row = await tx.intakeFile.update({
        where: { id: file.id },
        data: {
          state: 'quarantined', quarantineReason: reason.slice(0, 2000), processedAt: now, warnings: JSON.stringify(warnings),
          ...(analysis ? { kind: analysis.kind, messageType: analysis.messageType, documentCount: analysis.documentCount } : {}),
        },
      });
      await this.audit.record({ action: 'quarantine', entity: 'IntakeFile', entityId: file.id, after: { reason: row.quarantineReason, name: file.originalName } }, tx);
      return row;
    });
  }

  /** Files a crash or a stopped poll left unprocessed (recorded, or claimed by a worker that died). */
  async resumePending(vendorId: number | undefined, now = new Date()): Promise<IntakeFileRow[]> {
    const staleBefore = new Date(now.getTime() - this.processingLeaseMs);
    const pending = await this.db.prisma.intakeFile.findMany({
      where: { ...(vendorId === undefined ? {} : { vendorId }), OR: [{ state: 'downloaded' }, { state: 'processing', processingStartedAt: { lte: staleBefore } }] },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    const done: IntakeFileRow[] = [];
    for (const p of pending) done.push(await this.process(p.id, { now }));
    return done;
  }

  /** Records and processes a stored file: what a poll and a local load both do for each file. */
  async intake(input: ArrivalInput): Promise<IntakeOutcome> {
    const { file, arrival, duplicate } = await this.record(input);
    this.step('recorded', { name: input.name, fileId: file.id });
    const row = duplicate ? file : await this.process(file.id, { now: input.now });
    return {
      fileId: row.id, arrivalId: arrival.id, name: input.name, duplicate, state: row.state, kind: row.kind,
      quarantineReason: row.quarantineReason, warnings: parseWarnings(row.warnings).length,
    };
  }

  /** `carrel vendor load`: a file that came another way (say, by email) through exactly the same intake. */
  async loadLocalFile(vendorCode: string, filePath: string, now = new Date()): Promise<IntakeOutcome> {
    const vendor = await this.db.prisma.vendor.findUnique({ where: { code: vendorCode } });
    if (!vendor) throw new NotFoundException(`vendor "${vendorCode}" not found`);
    const s = await stat(filePath);
    if (!s.isFile()) throw new Error(`${filePath} is not a file`);
    const incoming = await this.store.begin();
    try {
      await pipeline(createReadStream(filePath), incoming);
    } catch (err) {
      await this.store.discard(incoming);
      throw err;
    }
    const stored = await this.store.commit(incoming, vendor.code);
    this.step('stored', { name: path.basename(filePath) });
    const name = path.basename(filePath);
    return this.intake({ vendor, source: 'local', name, kind: kindOfName(name), stored, now });
  }

  async list(q: IntakeFileQuery = {}) {
    const where: Prisma.IntakeFileWhereInput = {
      ...(q.vendor ? { vendor: { code: q.vendor } } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
    };
    const [total, rows] = await Promise.all([
      this.db.prisma.intakeFile.count({ where }),
      this.db.prisma.intakeFile.findMany({
        where, orderBy: { id: 'desc' }, take: Math.min(q.limit ?? 50, 500), skip: q.offset ?? 0,
        include: { vendor: { select: { code: true } }, _count: { select: { arrivals: true } } },
      }),
    ]);
    return { total, files: rows.map((r) => presentFile(r)) };
  }

  async get(id: number) {
    const row = await this.db.prisma.intakeFile.findUnique({
      where: { id },
      include: { vendor: { select: { code: true } }, arrivals: { orderBy: { id: 'asc' } }, _count: { select: { arrivals: true } } },
    });
    if (!row) throw new NotFoundException(`intake file ${id} not found`);
    return { ...presentFile(row), arrivals: row.arrivals };
  }

  /** The stored bytes as received, for staff to look at a quarantined file. */
  async openStored(id: number) {
    const row = await this.db.prisma.intakeFile.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`intake file ${id} not found`);
    if (!(await this.store.exists(row.storedPath, row.size))) throw new ConflictException(`the bytes of intake file ${id} are missing from the intake folder`);
    await this.audit.record({ action: 'download', entity: 'IntakeFile', entityId: id });
    return { file: row, stream: this.store.stream(row.storedPath) };
  }

  /** Staff: process a quarantined (or stuck) file again, after the vendor mapping or Carrel was fixed. */
  async reprocess(id: number, now = new Date()) {
    const row = await this.db.prisma.intakeFile.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`intake file ${id} not found`);
    if (row.state === 'processed') throw new ConflictException(`intake file ${id} was processed already; it is not processed twice`);
    await this.audit.record({ action: 'reprocess', entity: 'IntakeFile', entityId: id, before: { state: row.state, reason: row.quarantineReason } });
    return presentFile(await this.process(id, { now, force: true }));
  }
}

export function parseWarnings(text: string): unknown[] {
  try {
    const v = JSON.parse(text);
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

function presentFile(r: IntakeFileRow & { vendor?: { code: string } | undefined; _count?: { arrivals: number } }) {
  const { vendor, _count, warnings, ...rest } = r;
  return { ...rest, vendorCode: vendor?.code, arrivals: _count?.arrivals, warnings: parseWarnings(warnings) };
}
