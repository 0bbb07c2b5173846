import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, Prisma } from '@carrel/db';
import { HOLDING_TAG_OF, SerialsFormatError, parseCaption, parseHolding, issueValuesOf, type CaptionField, type IssueValues } from './marc-text.js';
import { describeIssue, predictIssues, type PredictedIssue } from './prediction/index.js';
import { issueLabel } from './holdings/index.js';

type Tx = Prisma.TransactionClient;

export const PATTERN_KINDS = ['issue', 'supplement', 'index'] as const;
export type PatternKind = (typeof PATTERN_KINDS)[number];
const TAG_OF_KIND: Record<PatternKind, string> = { issue: '853', supplement: '854', index: '855' };
const KIND_OF_TAG: Record<string, PatternKind> = { '853': 'issue', '854': 'supplement', '855': 'index' };

export const ISSUE_STATUSES = ['expected', 'late', 'received', 'not_published', 'combined'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
/** issues still awaited: a check-in may receive them, a pattern edit may predict them again */
export const OPEN_STATUSES: readonly IssueStatus[] = ['expected', 'late'];

/** More issues than this in one run for one pattern means the horizon or the pattern is wrong, not a real title. */
export const MAX_ISSUES_PER_RUN = 4000;

export interface PatternInput {
  /** on update: the pattern to change (without it, a pattern is added) */
  id?: number;
  /** 'issue' (853), 'supplement' (854) or 'index' (855); taken from the caption's tag when left out */
  kind?: string;
  /** the caption field as staff type it: `853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01` */
  caption?: string;
  /** the first issue predictions start from: 863 values ({ a: '1', b: '1', i: '1990', j: '01' }) or the 863 text */
  firstIssue?: IssueValues | string;
  active?: boolean;
}

export interface SubscriptionInput {
  title: string;
  issn?: string | null;
  bibRecordId?: number | null;
  vendorCode?: string | null;
  vendorReference?: string | null;
  vendorAccount?: string | null;
  branchCode: string;
  locationCode?: string | null;
  startDate: string;
  endDate?: string | null;
  expectedOffsetDays?: number;
  graceDays?: number | null;
  routingNotes?: string | null;
  active?: boolean;
  patterns?: PatternInput[];
}

export interface SubscriptionQuery {
  active?: boolean;
  vendorCode?: string;
  branchCode?: string;
  q?: string;
  skip?: number;
  take?: number;
}

export interface IssueQuery {
  status?: string;
  from?: string;
  to?: string;
}

/** What one prediction run did to a subscription. */
export interface PredictionReport {
  subscriptionId: number;
  created: number;
  /** unreceived issues removed because their pattern changed */
  removed: number;
  /** issues are generated while their expected date is on or before this day */
  horizon: string;
}

/** A pattern that was read and tried: safe to store and predict from. */
export interface CheckedPattern {
  kind: PatternKind;
  caption: string;
  field: CaptionField;
  firstIssue: IssueValues;
  first: PredictedIssue;
  label: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** True for a real calendar day written YYYY-MM-DD. */
export function isIsoDate(text: unknown): text is string {
  if (typeof text !== 'string' || !DATE.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The library's date of an instant: serials dates are days in `circulation.timeZone` (empty: the machine's zone). */
export function libraryDate(now: Date, timeZone: string): string {
  const zone = timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function bad(message: string): never {
  throw new BadRequestException(message);
}

/** Issue values typed as an object: 863 value subfields a–m only, each a short non-empty text. */
function checkValues(values: unknown, where: string): IssueValues {
  if (values === null || typeof values !== 'object' || Array.isArray(values)) bad(`${where}: give the 863 values as an object ({"a":"1","b":"7","i":"1990","j":"07"}) or the 863 text`);
  const out: Record<string, string> = {};
  for (const [code, value] of Object.entries(values as Record<string, unknown>)) {
    if (!/^[a-m]$/.test(code)) bad(`${where}: "${code}" is not an enumeration or chronology subfield (a–m)`);
    if (typeof value !== 'string' || value.trim() === '' || value.length > 50) bad(`${where} $${code}: must be a value of 1 to 50 characters`);
    out[code] = value.trim();
  }
  if (Object.keys(out).length === 0) bad(`${where}: has no values`);
  return out;
}

/** The values of an issue typed either as an object or as the 863/864/865 text that goes with the caption. */
export function readIssueValues(input: unknown, caption: CaptionField | null, where: string): IssueValues {
  if (typeof input !== 'string') return checkValues(input, where);
  let holding;
  try {
    holding = parseHolding(input);
  } catch (e) {
    if (e instanceof SerialsFormatError) bad(`${where}: ${e.message}`);
    throw e;
  }
  if (caption && holding.tag !== HOLDING_TAG_OF[caption.tag]) bad(`${where}: a ${caption.tag} pattern takes ${HOLDING_TAG_OF[caption.tag]} values, not ${holding.tag}`);
  return checkValues(issueValuesOf(holding), where);
}

/**
 * Reads a pattern and tries it: the caption parses, the first issue has values it can describe and label,
 * and the issue after it can be predicted. Anything wrong is a 400 naming the pattern and the subfield.
 */
export function checkPattern(input: PatternInput, where: string, valuesWhere = `${where}.firstIssue`): CheckedPattern {
  if (typeof input.caption !== 'string' || !input.caption.trim()) bad(`${where}.caption: is required (e.g. 853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01)`);
  let field: CaptionField;
  try {
    field = parseCaption(input.caption);
  } catch (e) {
    if (e instanceof SerialsFormatError) bad(`${where}.${e.message}`);
    throw e;
  }
  const tagKind = KIND_OF_TAG[field.tag]!;
  if (input.kind !== undefined && input.kind !== tagKind) {
    if (!(PATTERN_KINDS as readonly string[]).includes(input.kind)) bad(`${where}.kind: must be one of ${PATTERN_KINDS.join(', ')}`);
    bad(`${where}.kind: "${input.kind}" patterns are ${TAG_OF_KIND[input.kind as PatternKind]} fields, this caption is ${field.tag}`);
  }
  if (input.firstIssue === undefined || input.firstIssue === null) bad(`${valuesWhere}: is required (the values of the first issue to expect)`);
  const firstIssue = readIssueValues(input.firstIssue, field, valuesWhere);
  try {
    const first = describeIssue(field, firstIssue);
    const label = issueLabel(field, firstIssue);
    // a trial run: a pattern that cannot predict its second issue is refused now, not at the nightly job
    predictIssues(field, firstIssue, { count: 2 });
    if (!isIsoDate(first.publicationDate)) bad(`${valuesWhere}: gives no publication date (${first.publicationDate})`);
    return { kind: tagKind, caption: input.caption.trim(), field, firstIssue, first, label };
  } catch (e) {
    // a fault in the issue's values is named by the values' field, not the caption's
    if (e instanceof SerialsFormatError) bad(`${/^(86[345]|holding|values)/.test(e.where) ? valuesWhere : where}: ${e.message}`);
    if (e instanceof BadRequestException) throw e;
    bad(`${where}: cannot predict from this pattern (${(e as Error).message})`);
  }
}

export interface PreviewIssue {
  label: string;
  publicationDate: string;
  values: IssueValues;
  combined: boolean;
}

export const MAX_PREVIEW = 1000;

/**
 * The issues after `last` under a pattern, for staff trying a pattern out (`carrel serials predict`,
 * POST /api/v1/serials/predict). Pure; bad input is a 400 naming the field and subfield.
 */
export function previewIssues(pattern: string, last: IssueValues | string, limit: { count?: number; until?: string }): PreviewIssue[] {
  if (limit.count !== undefined && limit.until !== undefined) bad('give count or until, not both');
  if (limit.count !== undefined && (!Number.isInteger(limit.count) || limit.count < 1 || limit.count > MAX_PREVIEW)) bad(`count must be a whole number from 1 to ${MAX_PREVIEW}`);
  if (limit.until !== undefined && !isIsoDate(limit.until)) bad('until must be a date YYYY-MM-DD');
  const checked = checkPattern({ caption: pattern, firstIssue: last }, 'pattern', 'last');
  const count = limit.count ?? (limit.until ? MAX_PREVIEW : 12);
  try {
    return predictIssues(checked.field, checked.firstIssue, { count, ...(limit.until ? { until: limit.until } : {}) }).map((i) => ({
      label: issueLabel(checked.field, i.values), publicationDate: i.publicationDate, values: i.values, combined: i.combined,
    }));
  } catch (e) {
    if (e instanceof SerialsFormatError) bad(`pattern: ${e.message}`);
    throw e;
  }
}

const subscriptionInclude = {
  vendor: { select: { code: true } },
  branch: { select: { code: true } },
  location: { select: { code: true } },
  patterns: { orderBy: { id: 'asc' } },
} as const;

type SubscriptionWith = Prisma.SubscriptionGetPayload<{ include: typeof subscriptionInclude }>;
type PatternRow = Prisma.SubscriptionPatternGetPayload<object>;
type IssueRow = Prisma.SerialIssueGetPayload<object>;

export function presentPattern(p: PatternRow) {
  return { ...p, firstIssue: JSON.parse(p.firstIssue) as IssueValues };
}

export function presentIssue<T extends IssueRow>(i: T): Omit<T, 'values'> & { values: IssueValues } {
  return { ...i, values: JSON.parse(i.values) as IssueValues };
}

export function presentSubscription(s: SubscriptionWith) {
  const { vendor, branch, location, patterns, ...rest } = s;
  return { ...rest, vendorCode: vendor?.code ?? null, branchCode: branch.code, locationCode: location?.code ?? null, patterns: patterns.map(presentPattern) };
}

/**
 * Subscriptions and their publication patterns, and the expected issues predicted from them. Issues are
 * generated ahead to `serials.predictionHorizonDays`; a run continues after the last issue each pattern
 * has, so running twice creates nothing twice.
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  /** Today in the library's zone. */
  today(now: Date = new Date()): string {
    return libraryDate(now, this.settings['circulation.timeZone']);
  }

  horizon(today: string): string {
    return addDays(today, this.settings['serials.predictionHorizonDays']);
  }

  async list(query: SubscriptionQuery = {}) {
    const where: Prisma.SubscriptionWhereInput = {
      active: query.active,
      vendor: query.vendorCode ? { code: query.vendorCode } : undefined,
      branch: query.branchCode ? { code: query.branchCode } : undefined,
      ...(query.q ? { OR: [{ title: { contains: query.q } }, { issn: query.q }] } : {}),
    };
    const take = Math.min(Math.max(query.take ?? 50, 1), 500);
    const [total, rows] = await Promise.all([
      this.db.prisma.subscription.count({ where }),
      this.db.prisma.subscription.findMany({ where, include: subscriptionInclude, orderBy: [{ title: 'asc' }, { id: 'asc' }], skip: query.skip ?? 0, take }),
    ]);
    return { total, subscriptions: rows.map(presentSubscription) };
  }

  async get(id: number) {
    const s = await this.db.prisma.subscription.findUnique({ where: { id }, include: subscriptionInclude });
    if (!s) throw new NotFoundException(`subscription ${id} not found`);
    const counts = await this.db.prisma.serialIssue.groupBy({ by: ['status'], where: { subscriptionId: id }, _count: { _all: true } });
    return { ...presentSubscription(s), issueCounts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) };
  }

  async issues(subscriptionId: number, query: IssueQuery = {}) {
    if (!(await this.db.prisma.subscription.findUnique({ where: { id: subscriptionId }, select: { id: true } }))) throw new NotFoundException(`subscription ${subscriptionId} not found`);
    if (query.status !== undefined && !(ISSUE_STATUSES as readonly string[]).includes(query.status)) bad(`status must be one of ${ISSUE_STATUSES.join(', ')}`);
    for (const [k, v] of [['from', query.from], ['to', query.to]] as const) if (v !== undefined && !isIsoDate(v)) bad(`${k} must be a date YYYY-MM-DD`);
    const rows = await this.db.prisma.serialIssue.findMany({
      where: { subscriptionId, status: query.status, publicationDate: { gte: query.from, lte: query.to } },
      orderBy: [{ publicationDate: 'asc' }, { patternId: 'asc' }, { sequence: 'asc' }, { id: 'asc' }],
    });
    return rows.map(presentIssue);
  }

  /** Creates a subscription with its patterns and predicts its issues to the horizon from `today`. */
  async create(input: SubscriptionInput, today: string) {
    if (!input.title?.trim()) bad('title is required');
    const patterns = (input.patterns ?? []).map((p, i) => {
      if (p.id !== undefined) bad(`patterns[${i}].id: a new subscription has no patterns to change`);
      return checkPattern(p, `patterns[${i}]`);
    });
    const columns = await this.columns(input, null);
    return this.db.prisma.$transaction(async (tx) => {
      const sub = await tx.subscription.create({ data: { ...columns, title: input.title.trim(), branchId: columns.branchId!, startDate: columns.startDate! } });
      await this.audit.record({ action: 'create', entity: 'Subscription', entityId: sub.id, after: sub }, tx);
      for (const p of patterns) {
        const row = await tx.subscriptionPattern.create({ data: { subscriptionId: sub.id, kind: p.kind, caption: p.caption, firstIssue: JSON.stringify(p.firstIssue), active: true } });
        await this.audit.record({ action: 'create', entity: 'SubscriptionPattern', entityId: row.id, after: presentPattern(row) }, tx);
      }
      await this.extend(tx, sub.id, today, 0);
      return this.present(tx, sub.id);
    });
  }

  /**
   * Changes a subscription. A pattern whose caption or first issue changes has its unreceived issues after
   * the last one received (or marked not published, or combined) predicted again from there; received
   * issues stay as they are.
   */
  async update(id: number, input: Partial<SubscriptionInput>, today: string) {
    if (input.title !== undefined && !input.title.trim()) bad('title must not be empty');
    const existing = await this.db.prisma.subscription.findUnique({ where: { id }, include: { patterns: true } });
    if (!existing) throw new NotFoundException(`subscription ${id} not found`);
    const columns = await this.columns(input, existing);
    const changes = (input.patterns ?? []).map((p, i) => {
      const where = `patterns[${i}]`;
      if (p.id === undefined) return { id: undefined, checked: checkPattern(p, where), active: p.active ?? true };
      const current = existing.patterns.find((x) => x.id === p.id);
      if (!current) bad(`${where}.id: pattern ${p.id} is not a pattern of subscription ${id}`);
      const touchesPattern = p.caption !== undefined || p.firstIssue !== undefined || p.kind !== undefined;
      const checked = touchesPattern
        ? checkPattern({ kind: p.kind ?? current.kind, caption: p.caption ?? current.caption, firstIssue: p.firstIssue ?? (JSON.parse(current.firstIssue) as IssueValues) }, where)
        : null;
      return { id: p.id, checked, active: p.active ?? current.active };
    });
    return this.db.prisma.$transaction(async (tx) => {
      const sub = await tx.subscription.update({ where: { id }, data: { ...columns, ...(input.title !== undefined ? { title: input.title.trim() } : {}) } });
      await this.audit.record({ action: 'update', entity: 'Subscription', entityId: id, before: { ...existing, patterns: undefined }, after: sub }, tx);
      let removed = 0;
      for (const change of changes) {
        if (change.id === undefined) {
          const c = change.checked!;
          const row = await tx.subscriptionPattern.create({ data: { subscriptionId: id, kind: c.kind, caption: c.caption, firstIssue: JSON.stringify(c.firstIssue), active: change.active } });
          await this.audit.record({ action: 'create', entity: 'SubscriptionPattern', entityId: row.id, after: presentPattern(row) }, tx);
          continue;
        }
        const before = existing.patterns.find((x) => x.id === change.id)!;
        const c = change.checked;
        const row = await tx.subscriptionPattern.update({
          where: { id: change.id },
          data: { active: change.active, ...(c ? { kind: c.kind, caption: c.caption, firstIssue: JSON.stringify(c.firstIssue) } : {}) },
        });
        const repredict = (c && (c.caption !== before.caption || row.firstIssue !== before.firstIssue || c.kind !== before.kind)) || (before.active && !change.active);
        if (repredict) removed += await this.removeUnreceivedAfterKept(tx, change.id);
        await this.audit.record({ action: 'update', entity: 'SubscriptionPattern', entityId: row.id, before: presentPattern(before), after: presentPattern(row) }, tx);
      }
      // issues still awaited follow the subscription's dates
      if (columns.expectedOffsetDays !== undefined && columns.expectedOffsetDays !== existing.expectedOffsetDays) {
        const open = await tx.serialIssue.findMany({ where: { subscriptionId: id, status: { in: [...OPEN_STATUSES] } }, select: { id: true, publicationDate: true } });
        for (const o of open) await tx.serialIssue.update({ where: { id: o.id }, data: { expectedDate: addDays(o.publicationDate, sub.expectedOffsetDays) } });
      }
      if (sub.endDate && sub.endDate !== existing.endDate) {
        const beyond = await tx.serialIssue.findMany({ where: { subscriptionId: id, status: 'expected', publicationDate: { gt: sub.endDate } }, select: { id: true } });
        removed += await this.removeIssues(tx, beyond.map((b) => b.id));
      }
      if (!sub.active && existing.active) {
        const waiting = await tx.serialIssue.findMany({ where: { subscriptionId: id, status: 'expected' }, select: { id: true } });
        removed += await this.removeIssues(tx, waiting.map((b) => b.id));
      }
      await this.extend(tx, id, today, removed);
      return this.present(tx, id);
    });
  }

  /** Predicts one subscription's issues to the horizon now (what the nightly job does for all). */
  async predict(id: number, today: string): Promise<PredictionReport> {
    if (!(await this.db.prisma.subscription.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundException(`subscription ${id} not found`);
    return this.withRetry(() => this.db.prisma.$transaction((tx) => this.extend(tx, id, today, 0)));
  }

  /** Every active subscription's issues predicted to the horizon; one subscription's failure does not stop the rest. */
  async predictAll(today: string): Promise<{ reports: PredictionReport[]; failed: { subscriptionId: number; error: string }[] }> {
    const subs = await this.db.prisma.subscription.findMany({ where: { active: true }, select: { id: true }, orderBy: { id: 'asc' } });
    const reports: PredictionReport[] = [];
    const failed: { subscriptionId: number; error: string }[] = [];
    for (const { id } of subs) {
      try {
        reports.push(await this.predict(id, today));
      } catch (e) {
        failed.push({ subscriptionId: id, error: (e as Error).message });
      }
    }
    return { reports, failed };
  }

  /** A second run at the same moment (the job and a staff request) loses on the unique sequence; it then finds the work done. */
  private async withRetry<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') return fn();
      throw e;
    }
  }

  private async present(tx: Tx, id: number) {
    const s = await tx.subscription.findUniqueOrThrow({ where: { id }, include: subscriptionInclude });
    return presentSubscription(s);
  }

  /**
   * Issues of a pattern not yet received that come after its last kept issue. Kept: received, not
   * published, combined, or claimed from the vendor already (a claim sent says the issue exists; it stays
   * until staff settle it, and the new prediction continues after it).
   */
  private async removeUnreceivedAfterKept(tx: Tx, patternId: number): Promise<number> {
    const kept = await tx.serialIssue.findFirst({
      where: { patternId, OR: [{ status: { notIn: [...OPEN_STATUSES] } }, { claims: { some: { status: { not: 'pending' } } } }] },
      orderBy: { sequence: 'desc' }, select: { sequence: true },
    });
    const open = await tx.serialIssue.findMany({ where: { patternId, status: { in: [...OPEN_STATUSES] }, ...(kept ? { sequence: { gt: kept.sequence! } } : {}) }, select: { id: true } });
    return this.removeIssues(tx, open.map((o) => o.id));
  }

  /**
   * Awaited issues withdrawn, with their claims not yet sent (a draft claim for an issue that will not come
   * is void). An issue already claimed from the vendor is never withdrawn: the claim sent is history.
   */
  private async removeIssues(tx: Tx, ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const removable = await tx.serialIssue.findMany({
      where: { id: { in: ids }, status: { in: [...OPEN_STATUSES] }, claims: { none: { status: { not: 'pending' } } } }, select: { id: true },
    });
    const gone = removable.map((r) => r.id);
    if (gone.length === 0) return 0;
    await tx.serialClaim.deleteMany({ where: { issueId: { in: gone } } });
    const r = await tx.serialIssue.deleteMany({ where: { id: { in: gone } } });
    return r.count;
  }

  /** Generates each active pattern's issues whose expected date falls on or before the horizon. */
  private async extend(tx: Tx, subscriptionId: number, today: string, removed: number): Promise<PredictionReport> {
    if (!isIsoDate(today)) throw new Error(`today must be a date YYYY-MM-DD (got ${JSON.stringify(today)})`);
    const sub = await tx.subscription.findUniqueOrThrow({ where: { id: subscriptionId }, include: { patterns: { where: { active: true }, orderBy: { id: 'asc' } } } });
    const horizon = this.horizon(today);
    const report: PredictionReport = { subscriptionId, created: 0, removed, horizon };
    if (sub.active) {
      let until = addDays(horizon, -sub.expectedOffsetDays);
      if (sub.endDate && sub.endDate < until) until = sub.endDate;
      for (const pattern of sub.patterns) report.created += await this.extendPattern(tx, sub.expectedOffsetDays, pattern, until);
    }
    if (report.created > 0 || report.removed > 0) {
      await this.audit.record({ action: 'predict', entity: 'Subscription', entityId: subscriptionId, after: report }, tx);
    }
    return report;
  }

  private async extendPattern(tx: Tx, offsetDays: number, pattern: PatternRow, until: string): Promise<number> {
    const field = parseCaption(pattern.caption);
    const firstIssue = JSON.parse(pattern.firstIssue) as IssueValues;
    const first = describeIssue(field, firstIssue);
    const last = await tx.serialIssue.findFirst({ where: { patternId: pattern.id }, orderBy: { sequence: 'desc' } });
    const rows: Prisma.SerialIssueCreateManyInput[] = [];
    const add = (issue: PredictedIssue, sequence: number) => {
      rows.push({
        subscriptionId: pattern.subscriptionId, patternId: pattern.id, sequence, values: JSON.stringify(issue.values), label: issueLabel(field, issue.values),
        publicationDate: issue.publicationDate, expectedDate: addDays(issue.publicationDate, offsetDays), status: 'expected',
      });
    };
    let from: IssueValues;
    let next: number;
    // a first issue later than what the pattern has (a pattern edited to start again) starts a new run after it
    if (!last || first.publicationDate > last.publicationDate) {
      if (first.publicationDate > until) return 0;
      add(first, last ? last.sequence! + 1 : 0);
      from = firstIssue;
      next = (last ? last.sequence! + 1 : 0) + 1;
    } else {
      from = JSON.parse(last.values) as IssueValues;
      next = last.sequence! + 1;
    }
    for (const issue of predictIssues(field, from, { until, count: MAX_ISSUES_PER_RUN })) add(issue, next++);
    if (rows.length > 0) await tx.serialIssue.createMany({ data: rows });
    return rows.length;
  }

  /** The subscription columns an input sets, checked, with codes resolved to ids. */
  private async columns(input: Partial<SubscriptionInput>, existing: { startDate: string; endDate: string | null; branchId: number } | null) {
    const data: {
      issn?: string | null; bibRecordId?: number | null; vendorId?: number | null; vendorReference?: string | null; vendorAccount?: string | null;
      branchId?: number; locationId?: number | null; startDate?: string; endDate?: string | null; expectedOffsetDays?: number; graceDays?: number | null;
      routingNotes?: string | null; active?: boolean;
    } = {};
    const db = this.db.prisma;
    if (existing === null) {
      if (!input.branchCode) bad('branchCode is required');
      if (!input.startDate) bad('startDate is required (YYYY-MM-DD)');
    }
    if (input.startDate !== undefined) {
      if (!isIsoDate(input.startDate)) bad('startDate must be a date YYYY-MM-DD');
      data.startDate = input.startDate;
    }
    if (input.endDate !== undefined) {
      if (input.endDate !== null && !isIsoDate(input.endDate)) bad('endDate must be a date YYYY-MM-DD');
      data.endDate = input.endDate;
    }
    const start = data.startDate ?? existing?.startDate;
    const end = data.endDate !== undefined ? data.endDate : existing?.endDate;
    if (start && end && end < start) bad(`endDate ${end} is before startDate ${start}`);
    if (input.issn !== undefined) {
      if (input.issn !== null && !/^\d{4}-?\d{3}[\dXx]$/.test(input.issn)) bad(`issn "${input.issn}" is not an ISSN like 0028-0836`);
      data.issn = input.issn === null ? null : `${input.issn.replace('-', '').slice(0, 4)}-${input.issn.replace('-', '').slice(4).toUpperCase()}`;
    }
    if (input.bibRecordId !== undefined) {
      if (input.bibRecordId !== null && !(await db.bibRecord.findUnique({ where: { id: input.bibRecordId }, select: { id: true } }))) bad(`bibRecordId: record ${input.bibRecordId} does not exist`);
      data.bibRecordId = input.bibRecordId;
    }
    if (input.vendorCode !== undefined) {
      if (input.vendorCode === null) data.vendorId = null;
      else {
        const v = await db.vendor.findUnique({ where: { code: input.vendorCode }, select: { id: true } });
        if (!v) bad(`vendorCode: vendor "${input.vendorCode}" does not exist`);
        data.vendorId = v.id;
      }
    }
    let branchId = existing?.branchId;
    if (input.branchCode !== undefined) {
      const b = await db.branch.findUnique({ where: { code: input.branchCode }, select: { id: true } });
      if (!b) bad(`branchCode: branch "${input.branchCode}" does not exist`);
      data.branchId = branchId = b.id;
    }
    if (input.locationCode !== undefined) {
      if (input.locationCode === null) data.locationId = null;
      else {
        const l = await db.shelvingLocation.findUnique({ where: { branchId_code: { branchId: branchId!, code: input.locationCode } }, select: { id: true } });
        if (!l) bad(`locationCode: shelving location "${input.locationCode}" does not exist at this branch`);
        data.locationId = l.id;
      }
    }
    if (input.expectedOffsetDays !== undefined) {
      if (!Number.isInteger(input.expectedOffsetDays) || input.expectedOffsetDays < -366 || input.expectedOffsetDays > 366) bad('expectedOffsetDays must be a whole number of days between -366 and 366');
      data.expectedOffsetDays = input.expectedOffsetDays;
    }
    if (input.graceDays !== undefined) {
      if (input.graceDays !== null && (!Number.isInteger(input.graceDays) || input.graceDays < 0 || input.graceDays > 3660)) bad('graceDays must be a whole number of days between 0 and 3660, or null (from the frequency)');
      data.graceDays = input.graceDays;
    }
    for (const k of ['vendorReference', 'vendorAccount', 'routingNotes'] as const) if (input[k] !== undefined) data[k] = input[k] === null ? null : String(input[k]).trim();
    if (input.active !== undefined) data.active = input.active;
    return data;
  }
}
