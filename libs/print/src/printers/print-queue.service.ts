import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService } from '@carrel/db';
import { getJobAttributes, getPrinterAttributes, IppNetworkError, IppStatusError, printJob } from './ipp-client.js';
import { PrinterConfigError, type PrinterConfig } from './printer-config.js';
import { PrintersService } from './printers.service.js';
import { RawSendError, sendRaw } from './raw-sender.js';

export const PRINT_JOB_KINDS = ['labels', 'notices', 'shelf-list', 'calibration', 'claim-letters', 'document'] as const;
export type PrintJobKind = (typeof PRINT_JOB_KINDS)[number];
export const PRINT_JOB_STATUSES = ['queued', 'held', 'sending', 'processing', 'completed', 'failed', 'cancelled'] as const;

/** IPP answers that mean "not now": the job is sent again later */
export const RETRYABLE_IPP = new Set(['server-error-busy', 'server-error-service-unavailable', 'server-error-temporary-error', 'server-error-not-accepting-jobs', 'server-error-internal-error']);

/** 30 s after the first failure, doubling, at most 30 minutes: a busy printer is tried soon, a dead one not hammered */
export const FIRST_RETRY_MS = 30_000;
export const MAX_RETRY_MS = 30 * 60_000;
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(Math.max(attempts - 1, 0), 20), MAX_RETRY_MS);
}

export interface EnqueueInput {
  /** a printer's name (default: print.defaultPrinter) */
  printer?: string | null;
  kind: PrintJobKind | string;
  title: string;
  pdf: Buffer;
  branchId?: number | null;
  createdBy?: string | null;
}

export interface QueueStep {
  jobId: number;
  printer: string;
  /** what happened to the job in this pass */
  outcome: 'completed' | 'processing' | 'held' | 'retry' | 'failed' | 'still-processing';
  detail?: string;
}

/** Counts pages of a PDF by its page objects (Carrel's own PDFs keep them outside object streams). */
export function countPdfPages(pdf: Buffer): number | null {
  const n = pdf.toString('latin1').match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
  return n > 0 ? n : null;
}

/**
 * The print queue: jobs are rows (so nothing is lost when the hub stops), their PDFs files named by their
 * SHA-256 under print.storageDir. `processQueue` sends what is due, one job at a time per printer, after
 * asking the printer over SNMP whether it can print; it follows IPP jobs to completion and retries a busy
 * printer or a network fault with back-off, up to print.maxAttempts.
 */
@Injectable()
export class PrintQueueService {
  private readonly log = new Logger('print');
  /** printers a pass is working on in this process */
  private readonly working = new Set<string>();

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly printers: PrintersService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  get storageDir(): string {
    return this.settings['print.storageDir'];
  }

  async enqueue(input: EnqueueInput): Promise<{ id: number; status: string }> {
    let printer: PrinterConfig;
    try {
      printer = this.printers.printer(input.printer);
    } catch (e) {
      if (e instanceof PrinterConfigError) throw new BadRequestException(`print job: ${e.message}`);
      throw e;
    }
    if (!PRINT_JOB_KINDS.includes(input.kind as PrintJobKind)) throw new BadRequestException(`print job: kind "${input.kind}" is not one of ${PRINT_JOB_KINDS.join(', ')}`);
    if (typeof input.title !== 'string' || !input.title.trim()) throw new BadRequestException('print job: title is empty');
    if (!Buffer.isBuffer(input.pdf) || input.pdf.length === 0) throw new BadRequestException('print job: the document is empty');
    if (input.pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new BadRequestException(`print job "${input.title}": the document is not a PDF (it starts ${JSON.stringify(input.pdf.subarray(0, 8).toString('latin1'))})`);
    const sha = createHash('sha256').update(input.pdf).digest('hex');
    const file = path.join(this.storageDir, `${sha}.pdf`);
    if (!existsSync(file)) {
      mkdirSync(this.storageDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, input.pdf);
      renameSync(tmp, file);
    }
    const job = await this.db.prisma.$transaction(async (tx) => {
      const created = await tx.printJob.create({
        data: {
          printer: printer.name,
          kind: input.kind,
          title: input.title.trim().slice(0, 500),
          documentPath: file,
          documentSha256: sha,
          pages: countPdfPages(input.pdf),
          status: 'queued',
          branchId: input.branchId ?? null,
          createdBy: input.createdBy ?? null,
        },
      });
      await this.audit.record({ action: 'print.enqueue', entity: 'PrintJob', entityId: created.id, after: { printer: created.printer, kind: created.kind, title: created.title, documentSha256: sha, pages: created.pages } }, tx);
      return created;
    });
    return { id: job.id, status: job.status };
  }

  async get(id: number) {
    const job = await this.db.prisma.printJob.findUnique({ where: { id } });
    if (!job) throw new NotFoundException(`print job ${id} does not exist`);
    return job;
  }

  async list(filter: { printer?: string; status?: string; limit?: number } = {}) {
    if (filter.status && !PRINT_JOB_STATUSES.includes(filter.status as never)) throw new BadRequestException(`status "${filter.status}" is not one of ${PRINT_JOB_STATUSES.join(', ')}`);
    return this.db.prisma.printJob.findMany({ where: { printer: filter.printer, status: filter.status }, orderBy: { id: 'desc' }, take: Math.min(filter.limit ?? 100, 1000) });
  }

  /** Staff withdraw a job not yet at the printer. */
  async cancel(id: number) {
    const job = await this.get(id);
    const r = await this.db.prisma.printJob.updateMany({ where: { id, status: { in: ['queued', 'held', 'failed'] } }, data: { status: 'cancelled', nextAttemptAt: null } });
    if (r.count === 0) throw new ConflictException(`print job ${id} is ${job.status}: only a queued, held or failed job can be cancelled`);
    await this.audit.record({ action: 'print.cancel', entity: 'PrintJob', entityId: id, before: { status: job.status } });
    return this.get(id);
  }

  /** Staff send a failed job again (after loading paper, fixing the printer's address …). */
  async retry(id: number) {
    const job = await this.get(id);
    const r = await this.db.prisma.printJob.updateMany({ where: { id, status: 'failed' }, data: { status: 'queued', attempts: 0, nextAttemptAt: null, heldReason: null } });
    if (r.count === 0) throw new ConflictException(`print job ${id} is ${job.status}: only a failed job can be sent again`);
    await this.audit.record({ action: 'print.retry', entity: 'PrintJob', entityId: id, before: { status: job.status, lastError: job.lastError } });
    return this.get(id);
  }

  /**
   * Jobs left 'sending' by a process that stopped mid-send go back to the queue (run when the scheduler
   * starts, before its first pass). A raw printer may have printed part of such a job, an IPP printer all
   * of it: sending again risks a second copy, never a lost one.
   */
  async recoverInterrupted(): Promise<number> {
    const r = await this.db.prisma.printJob.updateMany({ where: { status: 'sending' }, data: { status: 'queued', nextAttemptAt: null, lastError: 'the hub stopped while the job was being sent; it is sent again' } });
    if (r.count) this.log.warn(`print: ${r.count} job(s) interrupted while being sent are queued again`);
    return r.count;
  }

  /** One pass over every printer with work: follows jobs at the printer, sends the next due one. */
  async processQueue(now: Date = new Date()): Promise<QueueStep[]> {
    const active = await this.db.prisma.printJob.findMany({
      where: { OR: [{ status: 'processing' }, { status: { in: ['queued', 'held'] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }] },
      select: { printer: true },
      distinct: ['printer'],
    });
    const steps: QueueStep[] = [];
    await Promise.all(
      active.map(async ({ printer }) => {
        if (this.working.has(printer)) return;
        this.working.add(printer);
        try {
          steps.push(...(await this.processPrinter(printer, now)));
        } catch (e) {
          this.log.error(`print: printer ${printer}: ${(e as Error).message}`);
        } finally {
          this.working.delete(printer);
        }
      }),
    );
    return steps.sort((a, b) => a.jobId - b.jobId);
  }

  private async processPrinter(name: string, now: Date): Promise<QueueStep[]> {
    const steps: QueueStep[] = [];
    const printer = this.printers.printers.find((p) => p.name === name);
    if (!printer) {
      // the printer was removed from the configuration: its waiting jobs cannot go anywhere
      const waiting = await this.db.prisma.printJob.findMany({ where: { printer: name, status: { in: ['queued', 'held', 'processing'] } }, select: { id: true } });
      const reason = `printer "${name}" is no longer configured (print.printers)`;
      await this.db.prisma.printJob.updateMany({ where: { id: { in: waiting.map((j) => j.id) } }, data: { status: 'failed', lastError: reason, nextAttemptAt: null } });
      return waiting.map((j) => ({ jobId: j.id, printer: name, outcome: 'failed', detail: reason }));
    }
    const opts = { timeoutMs: this.settings['print.sendTimeoutMs'], requestingUser: 'carrel' };

    // 1. the job the printer has now, if any: one at a time per printer
    const atPrinter = await this.db.prisma.printJob.findFirst({ where: { printer: name, status: 'processing' }, orderBy: { id: 'asc' } });
    if (atPrinter) {
      const step = await this.follow(printer, atPrinter, now, opts);
      steps.push(step);
      if (step.outcome === 'still-processing') return steps;
    }

    // 2. the next due job
    const next = await this.db.prisma.printJob.findFirst({
      where: { printer: name, status: { in: ['queued', 'held'] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
      orderBy: { id: 'asc' },
    });
    if (!next) return steps;

    const snmp = await this.printers.snmpState(printer);
    if (snmp?.reachable && snmp.blocking && snmp.blocking.length > 0) {
      const reason = snmp.blocking.join(', ');
      const due = await this.db.prisma.printJob.findMany({ where: { printer: name, status: { in: ['queued', 'held'] }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] }, select: { id: true, status: true, heldReason: true } });
      await this.db.prisma.printJob.updateMany({ where: { id: { in: due.map((j) => j.id) }, status: { in: ['queued', 'held'] } }, data: { status: 'held', heldReason: reason } });
      for (const j of due) if (j.status !== 'held' || j.heldReason !== reason) this.log.warn(`print: job ${j.id} held: printer ${name} reports ${reason}`);
      return [...steps, ...due.map((j): QueueStep => ({ jobId: j.id, printer: name, outcome: 'held', detail: reason }))];
    }
    const warnings = snmp?.reachable ? (snmp.warnings ?? []) : [];
    if (warnings.length) this.log.warn(`print: printer ${name}: ${warnings.join('; ')}`);

    // claimed by a conditional update: a second process passing at the same time sends nothing
    const claimed = await this.db.prisma.printJob.updateMany({ where: { id: next.id, status: next.status }, data: { status: 'sending', attempts: { increment: 1 }, heldReason: null, nextAttemptAt: null } });
    if (claimed.count === 0) return steps;
    const attempts = next.attempts + 1;
    steps.push(await this.send(printer, { ...next, attempts }, now, opts));
    return steps;
  }

  private async send(printer: PrinterConfig, job: { id: number; title: string; documentPath: string; documentSha256: string; attempts: number }, now: Date, opts: { timeoutMs: number; requestingUser: string }): Promise<QueueStep> {
    const base = { jobId: job.id, printer: printer.name };
    let pdf: Buffer;
    try {
      pdf = readFileSync(job.documentPath);
    } catch (e) {
      return this.fail(base, `the document ${job.documentPath} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (createHash('sha256').update(pdf).digest('hex') !== job.documentSha256) return this.fail(base, `the document ${job.documentPath} changed since it was queued (SHA-256 differs)`);
    try {
      if (printer.protocol === 'socket') {
        await sendRaw(printer.host, printer.port, pdf, opts.timeoutMs);
        await this.db.prisma.printJob.update({ where: { id: job.id }, data: { status: 'completed', sentAt: now, completedAt: now, lastError: null } });
        return { ...base, outcome: 'completed', detail: `${pdf.length} bytes to ${printer.uri}` };
      }
      const info = await getPrinterAttributes(printer, opts);
      if (info.formats.length > 0 && !info.formats.includes('application/pdf')) {
        return this.fail(base, `${printer.uri} does not take PDF (document-format-supported: ${info.formats.join(', ')})`);
      }
      const sent = await printJob(printer, { title: job.title, pdf }, opts);
      await this.db.prisma.printJob.update({ where: { id: job.id }, data: { status: 'processing', ippJobId: sent.jobId, sentAt: now, lastError: null } });
      return { ...base, outcome: 'processing', detail: `IPP job ${sent.jobId}` };
    } catch (e) {
      return this.failedAttempt(base, job.attempts, e as Error, now);
    }
  }

  /** A job at the printer: asks how it is going. */
  private async follow(printer: PrinterConfig, job: { id: number; ippJobId: number | null; attempts: number; sentAt: Date | null }, now: Date, opts: { timeoutMs: number; requestingUser: string }): Promise<QueueStep> {
    const base = { jobId: job.id, printer: printer.name };
    if (printer.protocol === 'socket' || job.ippJobId === null) {
      await this.db.prisma.printJob.update({ where: { id: job.id }, data: { status: 'completed', completedAt: now } });
      return { ...base, outcome: 'completed' };
    }
    try {
      const info = await getJobAttributes(printer, job.ippJobId, opts);
      if (info.state === 'completed') {
        await this.db.prisma.printJob.update({ where: { id: job.id }, data: { status: 'completed', completedAt: now, lastError: null } });
        return { ...base, outcome: 'completed' };
      }
      if (info.state === 'canceled' || info.state === 'aborted') {
        return this.fail(base, `the printer ${info.state === 'canceled' ? 'cancelled' : 'aborted'} IPP job ${job.ippJobId}${info.reasons.length ? ` (${info.reasons.join(', ')})` : ''}${info.message ? `: ${info.message}` : ''}`);
      }
      const state = [info.state, ...info.reasons].filter(Boolean).join(' ');
      const minutes = this.settings['print.processingTimeoutMinutes'];
      if (job.sentAt && now.getTime() - job.sentAt.getTime() > minutes * 60_000) {
        // a job stuck at the printer (paused, out of paper for hours) must not hold every job behind it
        return this.fail(base, `the printer has not finished IPP job ${job.ippJobId} within ${minutes} minutes (${state || 'no state given'}); check the printer before retrying it`);
      }
      return { ...base, outcome: 'still-processing', detail: state };
    } catch (e) {
      if (e instanceof IppStatusError && e.status === 'client-error-not-found') {
        // the printer forgot the job (restarted, or keeps no history): it left the queue, most likely printed
        await this.db.prisma.printJob.update({ where: { id: job.id }, data: { status: 'completed', completedAt: now, lastError: `IPP job ${job.ippJobId} no longer known to the printer; taken as printed` } });
        return { ...base, outcome: 'completed', detail: 'job no longer known to the printer' };
      }
      // cannot ask now: ask again on the next pass
      await this.db.prisma.printJob.update({ where: { id: job.id }, data: { lastError: `following IPP job ${job.ippJobId}: ${(e as Error).message}` } });
      return { ...base, outcome: 'still-processing', detail: (e as Error).message };
    }
  }

  private async failedAttempt(base: { jobId: number; printer: string }, attempts: number, e: Error, now: Date): Promise<QueueStep> {
    const retryable = e instanceof IppNetworkError || e instanceof RawSendError || (e instanceof IppStatusError && RETRYABLE_IPP.has(e.status));
    const max = this.settings['print.maxAttempts'];
    if (!retryable) return this.fail(base, e.message);
    if (attempts >= max) return this.fail(base, `${e.message} (gave up after ${attempts} attempts)`);
    const at = new Date(now.getTime() + retryDelayMs(attempts));
    await this.db.prisma.printJob.update({ where: { id: base.jobId }, data: { status: 'queued', nextAttemptAt: at, lastError: e.message } });
    this.log.warn(`print: job ${base.jobId} on ${base.printer}: ${e.message}; attempt ${attempts} of ${max}, next at ${at.toISOString()}`);
    return { ...base, outcome: 'retry', detail: e.message };
  }

  private async fail(base: { jobId: number; printer: string }, reason: string): Promise<QueueStep> {
    await this.db.prisma.printJob.update({ where: { id: base.jobId }, data: { status: 'failed', lastError: reason, nextAttemptAt: null } });
    this.log.error(`print: job ${base.jobId} on ${base.printer} failed: ${reason}`);
    return { ...base, outcome: 'failed', detail: reason };
  }
}
