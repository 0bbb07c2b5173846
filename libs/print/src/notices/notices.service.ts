import { createHash } from 'node:crypto';
import path from 'node:path';
import { BadRequestException, ConflictException, Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { fromCents, localDayNumber, money, processTimeZone, toCents } from '@carrel/circulation';
import { CARREL_SETTINGS, ConfigError, projectRoot, type CarrelSettings } from '@carrel/config';
import { DbService, Prisma, insertRows } from '@carrel/db';
import { MailService } from '@carrel/mail';
import { libraryClock, recordClaimBatch } from '@carrel/serials';
import { PrintQueueService } from '../printers/print-queue.service.js';
import { PrintersService } from '../printers/printers.service.js';
import {
  claimData, finesData, holdData, letterheadOf, overdueData, type BranchFacts, type ClaimLine, type FeeLine, type Formats, type HoldLine, type OverdueLine, type PatronFacts,
} from './data.js';
import { renderNoticesPdf, type NoticePaper } from './pdf.js';
import { NOTICE_TYPES, NoticeTemplateError, isNoticeType, renderNotice, type NoticeData, type NoticeType } from './template.js';
import { loadNoticeTemplates, type NoticeTemplates } from './templates.js';

export const NOTICE_CHANNELS = ['email', 'print'] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
/** 'sending' only while this hub mails or queues it; one left behind by a stop is retried */
export const NOTICE_STATUSES = ['pending', 'sending', 'sent', 'queued_for_print', 'failed'] as const;

/** Rows per IN (…) list: well under both databases' bound-parameter limits. */
const CHUNK = 500;
/** a notice 'sending' for longer than this was cut off by a stop: send it again */
const STALE_SENDING_MS = 15 * 60_000;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** The notice's own key: the line's key for one item, else the type, patron and items (hashed when long). */
export function noticeKey(type: string, owner: string, lineKeys: string[]): string {
  if (lineKeys.length === 1) return lineKeys[0]!;
  const ids = lineKeys.map((k) => k.slice(k.lastIndexOf(':') + 1)).join('+');
  const plain = `${type}:${owner}:${ids}`;
  return plain.length <= 180 ? plain : `${type}:${owner}:${lineKeys.length}:${createHash('sha256').update(lineKeys.join('\n')).digest('hex').slice(0, 24)}`;
}

/** print.overdueNoticeDays checked: one to three whole numbers of days, rising, the first at least 1. */
export function overdueNoticeDays(value: unknown): number[] {
  const fail = (why: string) => new ConfigError(`Configuration error: print.overdueNoticeDays (CARREL_PRINT_OVERDUE_NOTICE_DAYS) ${why}, got ${JSON.stringify(value)}`);
  if (!Array.isArray(value) || value.length < 1 || value.length > 3) throw fail('must be a list of one to three day counts, e.g. [1, 14, 28]');
  value.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1 || d > 3650) throw fail(`entry ${i + 1} must be a whole number of days from 1 to 3650`);
    if (i > 0 && d <= value[i - 1]) throw fail(`entry ${i + 1} (${d}) must be more than entry ${i} (${value[i - 1]})`);
  });
  return value as number[];
}

export interface GenerateReport {
  created: { id: number; type: NoticeType; onceKey: string; channel: NoticeChannel; patronId: number | null; items: number }[];
  /** groups another run recorded first (the unique key refused them here) */
  alreadyRecorded: number;
  /** notices that could not be written (a template missing a value): named, nothing recorded for them */
  problems: string[];
}

export interface DeliverReport {
  emailed: number[];
  failed: { id: number; error: string }[];
  printed: { branchId: number | null; printJobId: number; notices: number[] }[];
}

type PatronRow = Prisma.PatronGetPayload<{ include: { homeBranch: { include: { institution: true } } } }>;
type BranchRow = Prisma.BranchGetPayload<{ include: { institution: true } }>;

function branchFacts(b: BranchRow): BranchFacts {
  return { code: b.code, name: b.name, address: b.address, phone: b.phone, email: b.email, institution: b.institution.name };
}

function patronFacts(p: PatronRow): PatronFacts {
  return { barcode: p.barcode, title: p.title, firstname: p.firstname, surname: p.surname, email: p.email, address: p.address, city: p.city, postcode: p.postcode, country: p.country };
}

/** notices written per statement */
const RECORD_BATCH = 500;

interface Rendered {
  draft: Draft;
  language: string;
  subject: string;
  body: string;
  onceKey: string;
}

interface Draft {
  type: NoticeType;
  lineKeys: string[];
  patron: PatronRow | null;
  vendorId: number | null;
  branch: BranchRow;
  channel: NoticeChannel;
  recipient: string | null;
  build: (f: Formats) => NoticeData;
  wantedLanguage: string | null;
}

/**
 * Patron notices, from the circulation records: overdue (first, second and third, at the days of
 * print.overdueNoticeDays), hold available (a captured hold on the pickup shelf) and fines (more owed than
 * print.finesNoticeThreshold), plus serial claim letters to vendors. Each loan, hold, fee or claim a notice
 * tells of is a NoticeLine with a unique onceKey, so a re-run, or two runs at once, never tell of it twice;
 * a patron's items of one type are gathered into one notice. Notices go by email (MailService) when the
 * patron has an address and does not prefer paper, else they are printed: gathered into one PDF per branch,
 * one notice per page, queued on the branch's printer. A failed email stays 'failed' and is sent again on
 * the next run.
 */
@Injectable()
export class NoticesService implements OnModuleInit {
  private readonly log = new Logger('notices');
  private loaded: NoticeTemplates | null = null;
  readonly overdueDays: number[];

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly queue: PrintQueueService,
    private readonly printers: PrintersService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {
    this.overdueDays = overdueNoticeDays(settings['print.overdueNoticeDays']);
  }

  /** A bad template stops the hub at start, with its file and place, not at the first notice. */
  onModuleInit(): void {
    this.templates();
  }

  templates(): NoticeTemplates {
    if (this.loaded) return this.loaded;
    const override = this.settings['print.noticeTemplatesDir'].trim();
    try {
      this.loaded = loadNoticeTemplates(path.join(projectRoot(), 'config', 'notices'), override ? path.resolve(projectRoot(), override) : null, this.settings['print.defaultLanguage']);
    } catch (e) {
      if (e instanceof NoticeTemplateError) throw new ConfigError(`Configuration error: ${e.message}`);
      throw e;
    }
    return this.loaded;
  }

  private get timeZone(): string {
    return this.settings['circulation.timeZone'] || processTimeZone();
  }

  private formats(language: string): Formats {
    return { language, timeZone: this.timeZone, currency: this.settings['circulation.currency'] };
  }

  private channelOf(p: PatronRow): { channel: NoticeChannel; recipient: string | null } {
    const email = p.email?.trim() || null;
    const wants = p.noticeChannel?.trim().toLowerCase();
    if (wants === 'print' || !email) return { channel: 'print', recipient: null };
    return { channel: 'email', recipient: email };
  }

  /** Generates and delivers: what the scheduled job does. */
  async run(now: Date): Promise<{ generated: GenerateReport; delivered: DeliverReport }> {
    const generated = await this.generate(now);
    const delivered = await this.deliver(now);
    return { generated, delivered };
  }

  // ------------------------------------------------------------------------------------------------ staff

  /** Notices, newest first, by status, type or patron card. */
  async list(filter: { status?: string; type?: string; patron?: string; limit?: number } = {}) {
    if (filter.status && !(NOTICE_STATUSES as readonly string[]).includes(filter.status)) throw new BadRequestException(`status "${filter.status}" is not one of ${NOTICE_STATUSES.join(', ')}`);
    if (filter.type && !isNoticeType(filter.type)) throw new BadRequestException(`type "${filter.type}" is not one of ${NOTICE_TYPES.join(', ')}`);
    const limit = filter.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadRequestException(`limit must be a whole number from 1 to 1000, got ${filter.limit}`);
    const rows = await this.db.prisma.notice.findMany({
      where: { status: filter.status || undefined, type: filter.type || undefined, patron: filter.patron ? { barcode: filter.patron } : undefined },
      include: { patron: { select: { barcode: true } }, vendor: { select: { code: true } }, branch: { select: { code: true } }, _count: { select: { lines: true } } },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map((n) => presentNotice(n));
  }

  /** One notice with its text and the items it tells of. */
  async get(id: number) {
    const n = await this.db.prisma.notice.findUnique({
      where: { id },
      include: { patron: { select: { barcode: true } }, vendor: { select: { code: true } }, branch: { select: { code: true } }, _count: { select: { lines: true } }, lines: { orderBy: { id: 'asc' } } },
    });
    if (!n) throw new NotFoundException(`no notice ${id}`);
    return { ...presentNotice(n), body: n.body, lines: n.lines.map((l) => l.onceKey) };
  }

  // ------------------------------------------------------------------------------------------ generation

  /** Records the notices due at `now` (status 'pending'); sends nothing. */
  async generate(now: Date): Promise<GenerateReport> {
    const drafts = [...(await this.overdueDrafts(now)), ...(await this.holdDrafts(now)), ...(await this.finesDrafts(now))];
    const report: GenerateReport = { created: [], alreadyRecorded: 0, problems: [] };
    const ready = drafts.map((d) => this.render(d, report)).filter((r): r is Rendered => r !== null);
    for (let i = 0; i < ready.length; i += RECORD_BATCH) await this.recordBatch(ready.slice(i, i + RECORD_BATCH), now, report);
    if (report.created.length || report.problems.length) {
      await this.audit.record({
        action: 'notices.generate', entity: 'Notice',
        after: { at: now.toISOString(), created: report.created.length, byType: countBy(report.created.map((c) => c.type)), alreadyRecorded: report.alreadyRecorded, problems: report.problems },
      });
    }
    return report;
  }

  /** Leaves out the line keys already told of; the rest, if any, is the draft. */
  private async unsent(keys: string[]): Promise<Set<string>> {
    const seen = new Set<string>();
    for (const part of chunks(keys)) {
      for (const l of await this.db.prisma.noticeLine.findMany({ where: { onceKey: { in: part } }, select: { onceKey: true } })) seen.add(l.onceKey);
    }
    return seen;
  }

  private async overdueDrafts(now: Date): Promise<Draft[]> {
    const today = localDayNumber(now, this.timeZone);
    const loans = await this.db.prisma.loan.findMany({
      where: { returnedAt: null, dueAt: { lt: now } },
      include: { item: { include: { record: { select: { title: true, author: true } } } }, patron: { include: { homeBranch: { include: { institution: true } } } } },
      orderBy: [{ patronId: 'asc' }, { dueAt: 'asc' }, { id: 'asc' }],
    });
    const due: { loan: (typeof loans)[number]; level: number; days: number; key: string }[] = [];
    for (const loan of loans) {
      const days = today - localDayNumber(loan.dueAt, this.timeZone);
      let level = -1;
      this.overdueDays.forEach((d, i) => {
        if (days >= d) level = i;
      });
      if (level < 0) continue;
      due.push({ loan, level, days, key: `overdue${level + 1}:loan:${loan.id}` });
    }
    const seen = await this.unsent(due.map((d) => d.key));
    const fresh = due.filter((d) => !seen.has(d.key));
    if (fresh.length === 0) return [];
    const patronIds = [...new Set(fresh.map((d) => d.loan.patronId))];
    const loanFines = new Map<number, bigint>();
    const owed = new Map<number, bigint>();
    for (const part of chunks(patronIds)) {
      const fees = await this.db.prisma.fee.findMany({ where: { patronId: { in: part }, closedAt: null }, select: { patronId: true, loanId: true, outstanding: true } });
      for (const f of fees) {
        const c = toCents(f.outstanding) ?? 0n;
        owed.set(f.patronId, (owed.get(f.patronId) ?? 0n) + c);
        if (f.loanId != null) loanFines.set(f.loanId, (loanFines.get(f.loanId) ?? 0n) + c);
      }
    }
    const groups = new Map<string, typeof fresh>();
    for (const d of fresh) {
      const k = `${d.level}:${d.loan.patronId}`;
      const g = groups.get(k);
      if (g) g.push(d);
      else groups.set(k, [d]);
    }
    return [...groups.values()].map((g) => {
      const patron = g[0]!.loan.patron;
      const type = `overdue${g[0]!.level + 1}` as NoticeType;
      const total = owed.get(patron.id) ?? 0n;
      const lines: OverdueLine[] = g.map(({ loan, days }) => {
        const fine = loanFines.get(loan.id) ?? 0n;
        return {
          title: loan.item.record.title, author: loan.item.record.author, callNumber: loan.item.callNumber, barcode: loan.item.barcode, dueAt: loan.dueAt, daysOverdue: days,
          fine: fine > 0n ? fromCents(fine) : null, replacementCost: loan.item.price != null ? money(loan.item.price) : null,
        };
      });
      return {
        type, lineKeys: g.map((d) => d.key), patron, vendorId: null, branch: patron.homeBranch, ...this.channelOf(patron), wantedLanguage: patron.language,
        build: (f: Formats) => overdueData(branchFacts(patron.homeBranch), patronFacts(patron), lines, total > 0n ? fromCents(total) : null, now, f),
      };
    });
  }

  private async holdDrafts(now: Date): Promise<Draft[]> {
    const holds = await this.db.prisma.hold.findMany({
      where: { status: 'on_shelf', OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      include: { capturedItem: { include: { record: { select: { title: true, author: true } } } }, record: { select: { title: true, author: true } }, patron: { include: { homeBranch: { include: { institution: true } } } } },
      orderBy: [{ patronId: 'asc' }, { capturedAt: 'asc' }, { id: 'asc' }],
    });
    const seen = await this.unsent(holds.map((h) => `hold_available:hold:${h.id}`));
    const fresh = holds.filter((h) => !seen.has(`hold_available:hold:${h.id}`));
    if (fresh.length === 0) return [];
    const branches = new Map((await this.db.prisma.branch.findMany({ include: { institution: true } })).map((b) => [b.code, b]));
    const groups = new Map<string, typeof fresh>();
    for (const h of fresh) {
      const k = `${h.patronId}:${h.pickupBranch}`;
      const g = groups.get(k);
      if (g) g.push(h);
      else groups.set(k, [h]);
    }
    return [...groups.values()].map((g) => {
      const patron = g[0]!.patron;
      // the letter comes from the branch where the items wait
      const pickup = branches.get(g[0]!.pickupBranch) ?? patron.homeBranch;
      const lines: HoldLine[] = g.map((h) => {
        const record = h.capturedItem?.record ?? h.record;
        return {
          title: record.title, author: record.author, callNumber: h.capturedItem?.callNumber ?? null, barcode: h.capturedItem?.barcode ?? '', capturedAt: h.capturedAt, expiresAt: h.expiresAt,
          pickup: branchFacts(branches.get(h.pickupBranch) ?? patron.homeBranch),
        };
      });
      return {
        type: 'hold_available' as const, lineKeys: g.map((h) => `hold_available:hold:${h.id}`), patron, vendorId: null, branch: pickup, ...this.channelOf(patron), wantedLanguage: patron.language,
        build: (f: Formats) => holdData(branchFacts(pickup), patronFacts(patron), lines, now, f),
      };
    });
  }

  private async finesDrafts(now: Date): Promise<Draft[]> {
    const threshold = toCents(this.settings['print.finesNoticeThreshold']) ?? 0n;
    const sums = await this.db.prisma.fee.groupBy({ by: ['patronId'], where: { closedAt: null, outstanding: { gt: 0 } }, _sum: { outstanding: true } });
    const over = sums.filter((s) => (toCents(s._sum.outstanding) ?? 0n) > threshold).map((s) => s.patronId);
    const drafts: Draft[] = [];
    for (const part of chunks(over)) {
      const fees = await this.db.prisma.fee.findMany({ where: { patronId: { in: part }, closedAt: null, outstanding: { gt: 0 } }, orderBy: [{ patronId: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }] });
      const seen = await this.unsent(fees.map((f) => `fines:fee:${f.id}`));
      const byPatron = new Map<number, typeof fees>();
      for (const f of fees) {
        const list = byPatron.get(f.patronId);
        if (list) list.push(f);
        else byPatron.set(f.patronId, [f]);
      }
      const patrons = new Map((await this.db.prisma.patron.findMany({ where: { id: { in: [...byPatron.keys()] } }, include: { homeBranch: { include: { institution: true } } } })).map((p) => [p.id, p]));
      const itemIds = [...new Set(fees.map((f) => f.itemId).filter((i): i is number => i != null))];
      const items = new Map((await this.db.prisma.item.findMany({ where: { id: { in: itemIds } }, select: { id: true, barcode: true, record: { select: { title: true } } } })).map((i) => [i.id, i]));
      for (const [patronId, list] of byPatron) {
        // a new fee is what makes another fines notice; it lists everything still owed
        const newKeys = list.filter((f) => !seen.has(`fines:fee:${f.id}`)).map((f) => `fines:fee:${f.id}`);
        if (newKeys.length === 0) continue;
        const patron = patrons.get(patronId)!;
        const total = list.reduce((s, f) => s + (toCents(f.outstanding) ?? 0n), 0n);
        const lines: FeeLine[] = list.map((f) => {
          const item = f.itemId != null ? items.get(f.itemId) : undefined;
          return { createdAt: f.createdAt, type: f.type, description: f.description, title: item?.record.title ?? null, barcode: item?.barcode ?? null, amount: money(f.amount), outstanding: money(f.outstanding) };
        });
        drafts.push({
          type: 'fines', lineKeys: newKeys, patron, vendorId: null, branch: patron.homeBranch, ...this.channelOf(patron), wantedLanguage: patron.language,
          build: (f: Formats) => finesData(branchFacts(patron.homeBranch), patronFacts(patron), lines, fromCents(total), money(this.settings['print.finesNoticeThreshold']), now, f),
        });
      }
    }
    return drafts;
  }

  /** The notice's text in the patron's language; a template missing a value is reported, not recorded. */
  private render(d: Draft, report: GenerateReport): Rendered | null {
    const { language, template } = this.templates().resolve(d.type, d.wantedLanguage);
    try {
      const { subject, body } = renderNotice(template, d.build(this.formats(language)));
      const owner = d.patron ? `patron:${d.patron.id}` : `vendor:${d.vendorId}`;
      return { draft: d, language, subject, body, onceKey: noticeKey(d.type, owner, d.lineKeys) };
    } catch (e) {
      if (!(e instanceof NoticeTemplateError)) throw e;
      report.problems.push(`${d.lineKeys.join(', ')}: ${e.message}`);
      this.log.error(`notice ${d.lineKeys[0]}: ${e.message}`);
      return null;
    }
  }

  private row(r: Rendered, now: Date) {
    const d = r.draft;
    return {
      type: d.type, onceKey: r.onceKey, patronId: d.patron?.id ?? null, vendorId: d.vendorId, branchId: d.branch.id, language: r.language, channel: d.channel, recipient: d.recipient,
      subject: r.subject, body: r.body, status: 'pending', createdAt: now,
    };
  }

  /**
   * Writes notices and their lines, many to a statement in one transaction (one statement a notice made
   * 10,000 notices take half a minute). When any key is taken (another run got there first) the batch
   * rolls back and its notices are written one by one, so only the taken ones are left out.
   */
  private async recordBatch(batch: Rendered[], now: Date, report: GenerateReport): Promise<void> {
    const provider = this.db.target.provider;
    let made: { id: number; onceKey: string }[];
    try {
      made = await this.db.prisma.$transaction(async (tx) => {
        const rows = await insertRows<{ id: number; onceKey: string }>(tx, provider, 'Notice', batch.map((r) => this.row(r, now)), ['id', 'onceKey']);
        const idOf = new Map(rows.map((x) => [x.onceKey, Number(x.id)]));
        await insertRows(tx, provider, 'NoticeLine', batch.flatMap((r) => r.draft.lineKeys.map((k) => ({ noticeId: idOf.get(r.onceKey)!, onceKey: k }))));
        return rows.map((x) => ({ id: Number(x.id), onceKey: x.onceKey }));
      }, { timeout: 60_000 });
    } catch {
      for (const r of batch) await this.recordOne(r, now, report);
      return;
    }
    const idOf = new Map(made.map((x) => [x.onceKey, x.id]));
    for (const r of batch) report.created.push({ id: idOf.get(r.onceKey)!, type: r.draft.type, onceKey: r.onceKey, channel: r.draft.channel, patronId: r.draft.patron?.id ?? null, items: r.draft.lineKeys.length });
  }

  /** Writes one notice and its lines in one transaction; a key another run wrote first cancels it. */
  private async recordOne(r: Rendered, now: Date, report: GenerateReport): Promise<void> {
    try {
      const notice = await this.db.prisma.notice.create({ data: { ...this.row(r, now), lines: { create: r.draft.lineKeys.map((k) => ({ onceKey: k })) } }, select: { id: true } });
      report.created.push({ id: notice.id, type: r.draft.type, onceKey: r.onceKey, channel: r.draft.channel, patronId: r.draft.patron?.id ?? null, items: r.draft.lineKeys.length });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
        report.alreadyRecorded++;
        return;
      }
      throw e;
    }
  }

  // -------------------------------------------------------------------------------------------- delivery

  /** Sends what is pending or failed: email one by one, print gathered into one PDF per branch. */
  async deliver(now: Date): Promise<DeliverReport> {
    const report: DeliverReport = { emailed: [], failed: [], printed: [] };
    await this.db.prisma.notice.updateMany({ where: { status: 'sending', OR: [{ sentAt: null }, { sentAt: { lt: new Date(now.getTime() - STALE_SENDING_MS) } }] }, data: { status: 'failed', error: 'cut off while being sent (the hub stopped): sent again' } });
    await this.deliverEmail(now, report);
    await this.deliverPrint(now, report);
    if (report.emailed.length || report.failed.length || report.printed.length) {
      await this.audit.record({
        action: 'notices.deliver', entity: 'Notice',
        after: { at: now.toISOString(), emailed: report.emailed.length, failed: report.failed, printJobs: report.printed.map((p) => ({ printJobId: p.printJobId, branchId: p.branchId, notices: p.notices.length })) },
      });
    }
    return report;
  }

  /** Takes notices for this run: only those still pending or failed become 'sending' (a CAS per batch). */
  private async claim(ids: number[], now: Date): Promise<number[]> {
    const mine: number[] = [];
    for (const part of chunks(ids)) {
      // sentAt holds when the claim was made while 'sending', so a stale claim can be told from a live one
      await this.db.prisma.notice.updateMany({ where: { id: { in: part }, status: { in: ['pending', 'failed'] } }, data: { status: 'sending', sentAt: now } });
      const rows = await this.db.prisma.notice.findMany({ where: { id: { in: part }, status: 'sending', sentAt: now }, select: { id: true } });
      mine.push(...rows.map((r) => r.id));
    }
    return mine;
  }

  private async deliverEmail(now: Date, report: DeliverReport): Promise<void> {
    const waiting = await this.db.prisma.notice.findMany({ where: { channel: 'email', status: { in: ['pending', 'failed'] } }, select: { id: true }, orderBy: { id: 'asc' } });
    const ids = await this.claim(waiting.map((w) => w.id), now);
    for (const part of chunks(ids)) {
      for (const n of await this.db.prisma.notice.findMany({ where: { id: { in: part } }, orderBy: { id: 'asc' } })) {
        try {
          if (!n.recipient) throw new Error('the notice has no email address');
          await this.mail.send({ to: n.recipient, subject: n.subject, text: n.body });
          await this.db.prisma.notice.update({ where: { id: n.id }, data: { status: 'sent', sentAt: now, error: null } });
          report.emailed.push(n.id);
        } catch (e) {
          const error = (e as Error).message;
          await this.db.prisma.notice.update({ where: { id: n.id }, data: { status: 'failed', sentAt: null, error } });
          report.failed.push({ id: n.id, error });
        }
      }
    }
  }

  private async deliverPrint(now: Date, report: DeliverReport): Promise<void> {
    const waiting = await this.db.prisma.notice.findMany({ where: { channel: 'print', status: { in: ['pending', 'failed'] } }, select: { id: true, branchId: true }, orderBy: { id: 'asc' } });
    const byBranch = new Map<number | null, number[]>();
    for (const w of waiting) {
      const list = byBranch.get(w.branchId);
      if (list) list.push(w.id);
      else byBranch.set(w.branchId, [w.id]);
    }
    const branches = [...byBranch.keys()].sort((a, b) => (a ?? Number.MAX_SAFE_INTEGER) - (b ?? Number.MAX_SAFE_INTEGER));
    for (const branchId of branches) {
      const ids = byBranch.get(branchId)!;
      const mine = await this.claim(ids, now);
      if (mine.length) await this.printBatch(branchId, mine, now, report, 'notices');
    }
  }

  /** One PDF of the given notices (one per page, each under its branch's letterhead), queued on the branch's printer. */
  private async printBatch(branchId: number | null, ids: number[], now: Date, report: DeliverReport, kind: 'notices' | 'claim-letters'): Promise<number | null> {
    const notices: { id: number; subject: string; body: string; type: string }[] = [];
    for (const part of chunks(ids)) notices.push(...(await this.db.prisma.notice.findMany({ where: { id: { in: part } }, select: { id: true, subject: true, body: true, type: true }, orderBy: { id: 'asc' } })));
    const branch = branchId == null ? null : await this.db.prisma.branch.findUnique({ where: { id: branchId }, include: { institution: true } });
    const letterhead = branch ? letterheadOf(branchFacts(branch)) : null;
    try {
      const pdf = await renderNoticesPdf(notices, { paper: this.settings['print.noticePaper'] as NoticePaper, letterhead, title: `${kind === 'notices' ? 'Notices' : 'Claim letters'}${branch ? ` ${branch.code}` : ''}` });
      const printer = branch ? this.printers.printers.find((p) => p.branch === branch.code)?.name ?? null : null;
      const day = now.toISOString().slice(0, 10);
      const job = await this.queue.enqueue({ printer, kind, title: `${kind === 'notices' ? 'Notices' : 'Claim letter'}${branch ? ` ${branch.code}` : ''} ${day} (${notices.length})`, pdf, branchId, createdBy: 'system:notices' });
      for (const part of chunks(ids)) {
        await this.db.prisma.notice.updateMany({ where: { id: { in: part }, status: 'sending' }, data: { status: 'queued_for_print', printJobId: job.id, sentAt: now, error: null } });
      }
      report.printed.push({ branchId, printJobId: job.id, notices: ids });
      return job.id;
    } catch (e) {
      const error = `not printed: ${(e as Error).message}`;
      for (const part of chunks(ids)) await this.db.prisma.notice.updateMany({ where: { id: { in: part }, status: 'sending' }, data: { status: 'failed', sentAt: null, error } });
      for (const id of ids) report.failed.push({ id, error });
      this.log.error(`notices of branch ${branch?.code ?? 'none'}: ${error}`);
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------- claim letters

  /**
   * A serial claim batch as a printed letter to the vendor: a serial_claim notice (once per batch; each
   * claim a line) queued at once on the printer of the subscriptions' branch. The batch itself is left as
   * it is: the claims service records it sent.
   */
  async claimLetter(batchId: number, now: Date): Promise<{ noticeId: number; printJobId: number | null; status: string; error: string | null }> {
    const batch = await this.db.prisma.serialClaimBatch.findUnique({
      where: { id: batchId },
      include: { vendor: true, claims: { orderBy: { id: 'asc' }, include: { issue: { include: { subscription: { include: { branch: { include: { institution: true } } } } } } } } },
    });
    if (!batch) throw new NotFoundException(`no claim batch ${batchId}`);
    const open = batch.claims.filter((c) => c.status !== 'closed');
    if (open.length === 0) throw new ConflictException(`claim batch ${batchId} has no open claim left: every issue in it has arrived`);
    const existing = await this.db.prisma.notice.findUnique({ where: { onceKey: `serial_claim:batch:${batchId}` } });
    if (existing) throw new ConflictException(`claim batch ${batchId} was made into a letter already (notice ${existing.id}, ${existing.status})`);
    const branch = open[0]!.issue.subscription.branch;
    let accounts: string[] = [];
    try {
      const v: unknown = JSON.parse(batch.vendor.accountNumbers);
      if (Array.isArray(v)) accounts = v.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
    } catch {
      accounts = [];
    }
    const titleAccounts = [...new Set(open.map((c) => c.issue.subscription.vendorAccount?.trim()).filter((a): a is string => !!a))];
    const account = titleAccounts.length === 1 ? titleAccounts[0]! : (accounts[0] ?? titleAccounts[0] ?? null);
    const lines: ClaimLine[] = open.map((c) => ({
      title: c.issue.subscription.title, issn: c.issue.subscription.issn, label: c.issue.label, publicationDate: c.issue.publicationDate, expectedDate: c.issue.expectedDate,
      vendorReference: c.issue.subscription.vendorReference, accountNumber: c.issue.subscription.vendorAccount ?? accounts[0] ?? null, claimNumber: c.claimNumber,
    }));
    const keys = open.map((c) => `serial_claim:claim:${c.id}`);
    const { language, template } = this.templates().resolve('serial_claim', null);
    const rendered = renderNotice(template, claimData(branchFacts(branch), { name: batch.vendor.name, code: batch.vendor.code }, account, batch.id, lines, now, this.formats(language)));
    let noticeId: number;
    try {
      noticeId = (await this.db.prisma.notice.create({
        data: {
          type: 'serial_claim', onceKey: `serial_claim:batch:${batchId}`, vendorId: batch.vendorId, branchId: branch.id, language, channel: 'print', recipient: batch.vendor.name,
          subject: rendered.subject, body: rendered.body, status: 'pending', createdAt: now, lines: { create: keys.map((k) => ({ onceKey: k })) },
        },
        select: { id: true },
      })).id;
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictException(`claim batch ${batchId}: a letter for it, or for one of its claims, was made already`);
      throw e;
    }
    await this.audit.record({ action: 'notices.claim-letter', entity: 'Notice', entityId: noticeId, after: { batchId, vendor: batch.vendor.code, claims: open.length } });
    const deliver: DeliverReport = { emailed: [], failed: [], printed: [] };
    const mine = await this.claim([noticeId], now);
    const jobId = mine.length ? await this.printBatch(branch.id, mine, now, deliver, 'claim-letters') : null;
    if (jobId !== null) {
      // the letter is the claim: the batch counts as sent, so the nightly job does not mail it as well
      const pending = open.filter((c) => c.status === 'pending').map((c) => c.id);
      const data = { status: 'sent', sentAt: now, messageId: null, error: null };
      await this.db.prisma.$transaction(async (tx) => {
        await recordClaimBatch(tx, batch.id, data, pending, libraryClock(now, this.timeZone).date, now);
        await this.audit.record({ action: 'send-letter', entity: 'SerialClaimBatch', entityId: batch.id, before: { status: batch.status }, after: { ...data, claims: pending, printJob: jobId } }, tx);
      });
    }
    const n = await this.db.prisma.notice.findUniqueOrThrow({ where: { id: noticeId } });
    return { noticeId, printJobId: jobId, status: n.status, error: n.error };
  }
}

function countBy(list: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of list) out[k] = (out[k] ?? 0) + 1;
  return out;
}

type NoticeListRow = Prisma.NoticeGetPayload<{ include: { patron: { select: { barcode: true } }; vendor: { select: { code: true } }; branch: { select: { code: true } }; _count: { select: { lines: true } } } }>;

export function presentNotice(n: NoticeListRow) {
  return {
    id: n.id, type: n.type, onceKey: n.onceKey, patron: n.patron?.barcode ?? null, vendor: n.vendor?.code ?? null, branch: n.branch?.code ?? null, language: n.language,
    channel: n.channel, recipient: n.recipient, subject: n.subject, status: n.status, error: n.error, printJobId: n.printJobId, items: n._count.lines, createdAt: n.createdAt, sentAt: n.sentAt,
  };
}
