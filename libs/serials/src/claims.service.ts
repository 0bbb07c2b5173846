import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CARREL_SETTINGS, ConfigError, projectRoot, type CarrelSettings } from '@carrel/config';
import { DbService, Prisma } from '@carrel/db';
import { MailService } from '@carrel/mail';
import { parseCaption } from './marc-text.js';
import { issuesPerYear } from './prediction/index.js';
import {
  BUILT_IN_CLAIM_TEMPLATE, ClaimTemplateError, claimDecision, claimsCsv, graceDaysFor, isLate, parseClaimTemplate, renderClaimLetter, writeOstenq,
  type ClaimLetter, type ClaimTemplate, type EdiParty,
} from './claims/index.js';

type Tx = Prisma.TransactionClient;

export const CLAIM_CHANNELS = ['email', 'csv', 'edifact'] as const;
export type ClaimChannel = (typeof CLAIM_CHANNELS)[number];
export const BATCH_STATUSES = ['draft', 'sent', 'failed', 'no_contact'] as const;

/** Rows per IN (…) list: well under both databases' bound-parameter limits. */
const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/**
 * A batch's new state, and its pending claims marked sent when it went out (by mail, as a file, or as a
 * printed letter from the notices): the interval to the next claim counts from the day it really went out.
 */
export async function recordClaimBatch(
  tx: Prisma.TransactionClient, batchId: number, data: { status: string; sentAt?: Date; messageId?: string | null; error: string | null }, sentClaimIds: number[], today: string, now: Date,
): Promise<void> {
  await tx.serialClaimBatch.update({ where: { id: batchId }, data });
  for (const part of chunks(sentClaimIds)) {
    await tx.serialClaim.updateMany({ where: { id: { in: part }, status: 'pending' }, data: { status: 'sent', sentAt: now, claimedOn: today } });
  }
}

/** The library's day and minute of an instant, in `circulation.timeZone` (empty: the machine's zone). */
export function libraryClock(now: Date, timeZone: string): { date: string; time: string } {
  const zone = timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

function accountNumbersOf(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  } catch {
    return [];
  }
}

type VendorWith = Prisma.VendorGetPayload<{ include: { contacts: true } }>;

/** Where a vendor's claims go: its claims address, else a contact with the role 'claims'. */
export function claimsContactOf(vendor: VendorWith): string | null {
  const own = vendor.claimsEmail?.trim();
  if (own) return own;
  const contact = vendor.contacts.find((c) => c.role?.trim().toLowerCase() === 'claims' && c.email?.trim());
  return contact?.email?.trim() ?? null;
}

const batchInclude = {
  vendor: { include: { contacts: true } },
  claims: {
    orderBy: [{ id: 'asc' }],
    include: { issue: { include: { subscription: { include: { branch: { include: { institution: true } } } } } } },
  },
} satisfies Prisma.SerialClaimBatchInclude;
type BatchWith = Prisma.SerialClaimBatchGetPayload<{ include: typeof batchInclude }>;

export interface LateReport {
  today: string;
  /** issues marked late by this run */
  marked: { issueId: number; subscriptionId: number; label: string; expectedDate: string; graceDays: number }[];
}

export interface BuildInput {
  /** only this vendor (its code) */
  vendorCode?: string;
  /** default 'email' */
  channel?: ClaimChannel;
  /** only vendors set to send claims without review (the nightly job) */
  autoSendOnly?: boolean;
}

export interface BuildReport {
  today: string;
  late: LateReport;
  batches: ReturnType<typeof presentBatch>[];
  /** vendors with claims due but nowhere to send them: their batches are 'no_contact' */
  noContact: { vendorCode: string; vendorName: string; batchId: number; issues: number }[];
  /** late issues of subscriptions with no vendor: nobody to claim from */
  withoutVendor: { issueId: number; subscriptionId: number; title: string; label: string }[];
  /** late issues claimed as often as the vendor allows: staff must take them up with the vendor */
  exhausted: { issueId: number; title: string; label: string; vendorCode: string; claims: number }[];
  /** late issues not due a claim today: a claim still waiting in a batch, or the interval not yet over */
  waiting: { pending: number; interval: number };
}

export interface NightlyReport {
  build: BuildReport;
  sent: ReturnType<typeof presentBatch>[];
}

export function presentBatch(b: BatchWith) {
  return {
    id: b.id,
    vendorCode: b.vendor.code,
    vendorName: b.vendor.name,
    contact: claimsContactOf(b.vendor),
    status: b.status,
    channel: b.channel,
    sentAt: b.sentAt,
    messageId: b.messageId,
    error: b.error,
    createdAt: b.createdAt,
    claims: b.claims.map((c) => ({
      id: c.id,
      issueId: c.issueId,
      claimNumber: c.claimNumber,
      claimedOn: c.claimedOn,
      status: c.status,
      sentAt: c.sentAt,
      closedAt: c.closedAt,
      subscriptionId: c.issue.subscriptionId,
      title: c.issue.subscription.title,
      issn: c.issue.subscription.issn,
      label: c.issue.label,
      publicationDate: c.issue.publicationDate,
      expectedDate: c.issue.expectedDate,
      issueStatus: c.issue.status,
      vendorReference: c.issue.subscription.vendorReference,
    })),
  };
}

/**
 * Late issues and the claims for them. An issue is late once its expected date plus the subscription's
 * grace is behind today; a late issue is due a claim when it has none, or its last is at least the
 * vendor's claimIntervalDays old, while fewer than maxClaims were made. Claims are gathered in one batch per
 * vendor, reviewed by staff and sent as one email (or downloaded as CSV or EDIFACT OSTENQ); a check-in
 * closes the issue's claims. Every change is in the audit log with its actor.
 */
@Injectable()
export class ClaimsService implements OnModuleInit {
  private template: ClaimTemplate | null = null;
  /** batches being sent by this hub: a double click or the job and staff at once must not mail twice */
  private readonly sending = new Set<number>();

  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly mail: MailService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  /** A template that cannot be read or has a mistake stops the hub at start, not at the first claim. */
  onModuleInit(): void {
    this.letterTemplate();
  }

  letterTemplate(): ClaimTemplate {
    if (this.template) return this.template;
    const setting = this.settings['serials.claimTemplate'].trim();
    if (!setting) return (this.template = parseClaimTemplate(BUILT_IN_CLAIM_TEMPLATE, 'built-in claim template'));
    const file = path.resolve(projectRoot(), setting);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`Configuration error: serials.claimTemplate (CARREL_SERIALS_CLAIM_TEMPLATE) cannot be read: ${(e as Error).message}`);
    }
    try {
      return (this.template = parseClaimTemplate(text, file));
    } catch (e) {
      if (e instanceof ClaimTemplateError) throw new ConfigError(`Configuration error: serials.claimTemplate (CARREL_SERIALS_CLAIM_TEMPLATE): ${e.message}`);
      throw e;
    }
  }

  /** The library's date of an instant. */
  today(now: Date): string {
    return libraryClock(now, this.settings['circulation.timeZone']).date;
  }

  /**
   * Marks late every expected issue of an active subscription whose expected date plus grace is behind
   * today. Only 'expected' issues change, so a second run the same day marks nothing.
   */
  async markLate(today: string): Promise<LateReport> {
    const candidates = await this.db.prisma.serialIssue.findMany({
      where: { status: 'expected', expectedDate: { lt: today }, subscription: { active: true } },
      select: { id: true, subscriptionId: true, patternId: true, label: true, expectedDate: true },
      orderBy: [{ subscriptionId: 'asc' }, { expectedDate: 'asc' }, { id: 'asc' }],
    });
    if (candidates.length === 0) return { today, marked: [] };
    const subscriptions = await this.db.prisma.subscription.findMany({
      where: { id: { in: [...new Set(candidates.map((c) => c.subscriptionId))] } },
      select: { id: true, title: true, graceDays: true, patterns: { select: { id: true, kind: true, caption: true, active: true }, orderBy: { id: 'asc' } } },
    });
    const perYear = new Map<number, number | undefined>();
    const frequencyOf = (caption: string, patternId: number) => {
      if (!perYear.has(patternId)) {
        let n: number | undefined;
        try {
          n = issuesPerYear(parseCaption(caption));
        } catch {
          // a caption that no longer reads still has issues to watch: they get the default grace
          n = undefined;
        }
        perYear.set(patternId, n);
      }
      return perYear.get(patternId);
    };
    const byId = new Map(subscriptions.map((s) => [s.id, s]));
    const marked: LateReport['marked'] = [];
    for (const c of candidates) {
      const s = byId.get(c.subscriptionId)!;
      const pattern = s.patterns.find((p) => p.id === c.patternId) ?? s.patterns.find((p) => p.kind === 'issue' && p.active) ?? s.patterns[0];
      const grace = graceDaysFor(s.graceDays, pattern ? frequencyOf(pattern.caption, pattern.id) : undefined);
      if (isLate(c.expectedDate, grace, today)) marked.push({ issueId: c.id, subscriptionId: c.subscriptionId, label: c.label, expectedDate: c.expectedDate, graceDays: grace });
    }
    if (marked.length === 0) return { today, marked };
    const done = new Set<number>();
    await this.db.prisma.$transaction(async (tx) => {
      for (const part of chunks(marked)) {
        await tx.serialIssue.updateMany({ where: { id: { in: part.map((m) => m.issueId) }, status: 'expected' }, data: { status: 'late' } });
      }
      // one entry per subscription and run: a first run after an import can mark hundreds of issues
      const perSubscription = new Map<number, LateReport['marked']>();
      for (const m of marked) perSubscription.set(m.subscriptionId, [...(perSubscription.get(m.subscriptionId) ?? []), m]);
      for (const [subscriptionId, issues] of perSubscription) {
        done.add(subscriptionId);
        await this.audit.record({
          action: 'mark-late', entity: 'Subscription', entityId: subscriptionId,
          after: { today, issues: issues.map((i) => ({ id: i.issueId, label: i.label, expectedDate: i.expectedDate, graceDays: i.graceDays })) },
        }, tx);
      }
    }, { timeout: 60_000 });
    return { today, marked };
  }

  /**
   * Marks late issues, then gathers the claims due today into one draft batch per vendor (a vendor with no
   * claims address gets a 'no_contact' batch, reported). Claims in a batch are 'pending' until it is sent.
   */
  async buildBatches(input: BuildInput, today: string): Promise<BuildReport> {
    const channel = input.channel ?? 'email';
    if (!CLAIM_CHANNELS.includes(channel)) throw new BadRequestException(`channel must be one of ${CLAIM_CHANNELS.join(', ')}, got ${JSON.stringify(channel)}`);
    let vendorId: number | undefined;
    if (input.vendorCode !== undefined) {
      const v = await this.db.prisma.vendor.findUnique({ where: { code: input.vendorCode } });
      if (!v) throw new NotFoundException(`no vendor with code ${JSON.stringify(input.vendorCode)}`);
      vendorId = v.id;
    }
    const late = await this.markLate(today);
    const issues = await this.db.prisma.serialIssue.findMany({
      where: {
        status: 'late',
        subscription: { active: true, ...(vendorId !== undefined ? { vendorId } : {}), ...(input.autoSendOnly ? { vendor: { autoSendClaims: true } } : {}) },
      },
      include: { claims: { select: { claimNumber: true, claimedOn: true, status: true } }, subscription: { include: { vendor: { include: { contacts: true } } } } },
      orderBy: [{ subscriptionId: 'asc' }, { expectedDate: 'asc' }, { id: 'asc' }],
    });
    const report: BuildReport = { today, late, batches: [], noContact: [], withoutVendor: [], exhausted: [], waiting: { pending: 0, interval: 0 } };
    const due = new Map<number, { vendor: VendorWith; claims: { issueId: number; claimNumber: number; label: string; title: string }[] }>();
    for (const issue of issues) {
      const vendor = issue.subscription.vendor;
      if (!vendor) {
        report.withoutVendor.push({ issueId: issue.id, subscriptionId: issue.subscriptionId, title: issue.subscription.title, label: issue.label });
        continue;
      }
      const decision = claimDecision(issue.claims, vendor, today);
      if (!decision.due) {
        if (decision.reason === 'max-claims') report.exhausted.push({ issueId: issue.id, title: issue.subscription.title, label: issue.label, vendorCode: vendor.code, claims: issue.claims.length });
        else if (decision.reason === 'pending') report.waiting.pending++;
        else report.waiting.interval++;
        continue;
      }
      const group = due.get(vendor.id) ?? { vendor, claims: [] };
      group.claims.push({ issueId: issue.id, claimNumber: decision.claimNumber, label: issue.label, title: issue.subscription.title });
      due.set(vendor.id, group);
    }
    for (const { vendor, claims } of due.values()) {
      const contact = claimsContactOf(vendor);
      const status = channel === 'email' && !contact ? 'no_contact' : 'draft';
      const error = status === 'no_contact' ? noContactMessage(vendor) : null;
      const batchId = await this.db.prisma.$transaction(async (tx) => {
        const batch = await tx.serialClaimBatch.create({ data: { vendorId: vendor.id, status, channel, error } });
        for (const part of chunks(claims)) {
          await tx.serialClaim.createMany({ data: part.map((c) => ({ issueId: c.issueId, vendorId: vendor.id, batchId: batch.id, claimNumber: c.claimNumber, claimedOn: today, status: 'pending' })) });
        }
        await this.audit.record({
          action: 'create', entity: 'SerialClaimBatch', entityId: batch.id,
          after: { vendor: vendor.code, status, channel, error, claims: claims.map((c) => ({ issueId: c.issueId, claimNumber: c.claimNumber, title: c.title, label: c.label })) },
        }, tx);
        return batch.id;
      });
      const view = presentBatch(await this.load(batchId));
      report.batches.push(view);
      if (status === 'no_contact') report.noContact.push({ vendorCode: vendor.code, vendorName: vendor.name, batchId, issues: claims.length });
    }
    return report;
  }

  async list(filter: { status?: string; vendorCode?: string; take?: number; skip?: number } = {}) {
    if (filter.status !== undefined && !(BATCH_STATUSES as readonly string[]).includes(filter.status)) {
      throw new BadRequestException(`status must be one of ${BATCH_STATUSES.join(', ')}, got ${JSON.stringify(filter.status)}`);
    }
    const rows = await this.db.prisma.serialClaimBatch.findMany({
      where: { status: filter.status, vendor: filter.vendorCode ? { code: filter.vendorCode } : undefined },
      include: batchInclude,
      orderBy: { id: 'desc' },
      take: Math.min(filter.take ?? 100, 500),
      skip: filter.skip ?? 0,
    });
    return rows.map(presentBatch);
  }

  async get(id: number) {
    return presentBatch(await this.load(id));
  }

  private async load(id: number, tx?: Tx): Promise<BatchWith> {
    const b = await (tx ?? this.db.prisma).serialClaimBatch.findUnique({ where: { id }, include: batchInclude });
    if (!b) throw new NotFoundException(`no claim batch ${id}`);
    return b;
  }

  /** The letter, CSV and OSTENQ content of a batch: its claims still open (an issue that came is left out). */
  private letterOf(b: BatchWith, claimDate: string): ClaimLetter {
    const open = b.claims.filter((c) => c.status !== 'closed');
    const vendorAccounts = accountNumbersOf(b.vendor.accountNumbers);
    const titleAccounts = [...new Set(open.map((c) => c.issue.subscription.vendorAccount?.trim()).filter((a): a is string => !!a))];
    const institutions = [...new Set(open.map((c) => c.issue.subscription.branch.institution.name))];
    return {
      library: { name: institutions.join(' / '), accountNumber: titleAccounts.length === 1 ? titleAccounts[0] : (vendorAccounts[0] ?? titleAccounts[0] ?? null) },
      vendor: { name: b.vendor.name, code: b.vendor.code },
      claimDate,
      batchId: b.id,
      issues: open.map((c) => ({
        title: c.issue.subscription.title,
        issn: c.issue.subscription.issn,
        label: c.issue.label,
        publicationDate: c.issue.publicationDate,
        expectedDate: c.issue.expectedDate,
        vendorReference: c.issue.subscription.vendorReference,
        accountNumber: c.issue.subscription.vendorAccount ?? vendorAccounts[0] ?? null,
        claimNumber: c.claimNumber,
      })),
    };
  }

  /** The letter as it would go (or went) to the vendor. */
  async preview(id: number, now: Date) {
    const b = await this.load(id);
    const letter = this.letterOf(b, b.sentAt ? this.today(b.sentAt) : this.today(now));
    if (letter.issues.length === 0) throw new ConflictException(`claim batch ${id} has no open claim left: every issue in it has arrived`);
    return { to: claimsContactOf(b.vendor), ...renderClaimLetter(this.letterTemplate(), letter) };
  }

  /**
   * Sends a batch: an email batch as one mail to the vendor's claims address (the claims as CSV attached);
   * a CSV or EDIFACT batch is marked sent (staff transmitted the download). A batch that failed or had no
   * contact may be sent again; a sent one may not.
   */
  async send(id: number, now: Date) {
    if (this.sending.has(id)) throw new ConflictException(`claim batch ${id} is being sent right now`);
    this.sending.add(id);
    try {
      return await this.sendOnce(id, now);
    } finally {
      this.sending.delete(id);
    }
  }

  private async sendOnce(id: number, now: Date) {
    const b = await this.load(id);
    if (b.status === 'sent') throw new ConflictException(`claim batch ${id} was sent already${b.sentAt ? ` on ${b.sentAt.toISOString()}` : ''}`);
    const today = this.today(now);
    const letter = this.letterOf(b, today);
    if (letter.issues.length === 0) throw new ConflictException(`claim batch ${id} has no open claim left: every issue in it has arrived`);
    const pendingIds = b.claims.filter((c) => c.status === 'pending').map((c) => c.id);
    const before = { status: b.status, error: b.error };
    if (b.channel !== 'email') {
      await this.settle(b, { status: 'sent', sentAt: now, messageId: null, error: null }, pendingIds, today, now, before, 'send');
      return this.get(id);
    }
    const to = claimsContactOf(b.vendor);
    if (!to) {
      await this.settle(b, { status: 'no_contact', error: noContactMessage(b.vendor) }, [], today, now, before, 'send-failed');
      return this.get(id);
    }
    const rendered = renderClaimLetter(this.letterTemplate(), letter);
    try {
      const sent = await this.mail.send({
        to,
        subject: rendered.subject,
        text: rendered.text,
        attachments: [{ filename: `claims-${b.vendor.code}-${b.id}.csv`, content: claimsCsv(letter), contentType: 'text/csv; charset=utf-8' }],
      });
      await this.settle(b, { status: 'sent', sentAt: now, messageId: sent.messageId, error: null }, pendingIds, today, now, { ...before, to }, 'send');
    } catch (e) {
      await this.settle(b, { status: 'failed', error: (e as Error).message }, [], today, now, { ...before, to }, 'send-failed');
    }
    return this.get(id);
  }

  private async settle(
    b: BatchWith, data: { status: string; sentAt?: Date; messageId?: string | null; error: string | null }, sentClaimIds: number[], today: string, now: Date,
    before: Record<string, unknown>, action: string,
  ): Promise<void> {
    await this.db.prisma.$transaction(async (tx) => {
      await recordClaimBatch(tx, b.id, data, sentClaimIds, today, now);
      await this.audit.record({ action, entity: 'SerialClaimBatch', entityId: b.id, before, after: { ...data, claims: sentClaimIds } }, tx);
    });
  }

  /** The batch's open claims as CSV. */
  async csv(id: number, now: Date): Promise<{ filename: string; content: string }> {
    const b = await this.load(id);
    const letter = this.letterOf(b, b.sentAt ? this.today(b.sentAt) : this.today(now));
    await this.audit.record({ action: 'download-csv', entity: 'SerialClaimBatch', entityId: id });
    return { filename: `claims-${b.vendor.code}-${b.id}.csv`, content: claimsCsv(letter) };
  }

  /**
   * The batch's open claims as an EDIFACT OSTENQ (ISO 8859-1 bytes). The library is named by its account
   * number with the vendor (qualifier 91, assigned by the supplier); the vendor by its EAN, else its SAN,
   * else its code in Carrel (92).
   */
  async ostenq(id: number, now: Date): Promise<{ filename: string; content: Buffer }> {
    const b = await this.load(id);
    const clock = libraryClock(b.sentAt ?? now, this.settings['circulation.timeZone']);
    const letter = this.letterOf(b, clock.date);
    if (letter.issues.length === 0) throw new ConflictException(`claim batch ${id} has no open claim left: every issue in it has arrived`);
    const account = letter.library.accountNumber;
    if (!account) throw new BadRequestException(`vendor ${b.vendor.code} has no account number for the library: set the vendor's accountNumbers or the subscriptions' vendorAccount (EDIFACT names the library by it)`);
    const supplier: EdiParty = b.vendor.ean ? { id: b.vendor.ean, qualifier: '14' } : b.vendor.san ? { id: b.vendor.san, qualifier: '31B' } : { id: b.vendor.code, qualifier: '92' };
    const buyer: EdiParty = { id: account, qualifier: '91' };
    const open = b.claims.filter((c) => c.status !== 'closed');
    let text: string;
    try {
      text = writeOstenq({
        sender: buyer, recipient: supplier, buyer, supplier, accountNumber: account,
        interchangeReference: `CLM${b.id}`, documentNumber: `CLAIM${b.id}`, date: clock.date, time: clock.time,
        issues: letter.issues.map((issue, i) => ({ ...issue, lineReference: String(open[i].id) })),
      });
    } catch (e) {
      throw new BadRequestException(`claim batch ${id}: ${(e as Error).message}`);
    }
    await this.audit.record({ action: 'download-ostenq', entity: 'SerialClaimBatch', entityId: id });
    return { filename: `claims-${b.vendor.code}-${b.id}.edi`, content: Buffer.from(text, 'latin1') };
  }

  /**
   * The nightly run: late issues marked, then for vendors set to autoSendClaims the claims due are batched
   * and sent, with their batches that failed before (or had no contact and have one now) tried again.
   */
  async nightly(now: Date): Promise<NightlyReport> {
    const today = this.today(now);
    const build = await this.buildBatches({ autoSendOnly: true, channel: 'email' }, today);
    const retry = await this.db.prisma.serialClaimBatch.findMany({
      where: { channel: 'email', status: { in: ['draft', 'failed', 'no_contact'] }, vendor: { autoSendClaims: true } },
      include: { vendor: { include: { contacts: true } } },
      orderBy: { id: 'asc' },
    });
    const sent: NightlyReport['sent'] = [];
    for (const b of retry) {
      if (b.status === 'no_contact' && !claimsContactOf(b.vendor)) continue;
      try {
        sent.push(await this.send(b.id, now));
      } catch (e) {
        // a batch whose issues all arrived meanwhile has nothing to send: leave it for staff to see
        if (!(e instanceof ConflictException)) throw e;
      }
    }
    return { build, sent };
  }
}

function noContactMessage(vendor: { code: string; name: string }): string {
  return `vendor ${vendor.code} (${vendor.name}) has no claims email and no contact with the role 'claims': add one, then send the batch again`;
}
