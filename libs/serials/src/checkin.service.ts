import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { CatalogService } from '@carrel/catalog';
import { DbService, Prisma } from '@carrel/db';
import { SerialsFormatError, parseCaption, type IssueValues } from './marc-text.js';
import { describeIssue } from './prediction/index.js';
import { issueLabel } from './holdings/index.js';
import { OPEN_STATUSES, addDays, isIsoDate, presentIssue, readIssueValues, type IssueStatus } from './subscriptions.service.js';

type Tx = Prisma.TransactionClient;

/** The item made for a received issue, through the catalogue's own item creation. */
export interface CheckinItem {
  barcode: string;
  callNumber?: string | null;
  itemTypeCode?: string | null;
  /** default: the subscription's shelving location */
  locationCode?: string | null;
  copyNumber?: string | null;
}

export interface ReceiveInput {
  /** other expected issues that arrived bound in this one (a combined issue): they become 'combined' */
  combine?: number[];
  item?: CheckinItem;
  note?: string | null;
}

export interface UnpredictedInput {
  /** the issue's 863 values ({ a: '3', b: '13', i: '1991', j: '13' }) or the 863 text */
  values: IssueValues | string;
  /** which of the subscription's patterns labels and dates it: 'issue' (default), 'supplement', 'index' */
  kind?: string;
  /** YYYY-MM-DD; default: from the chronology */
  publicationDate?: string;
  /** default: the Z39.71 label from the pattern */
  label?: string;
  item?: CheckinItem;
  note?: string | null;
}

/** Audit actions of check-in; undo reads the status an issue had before from the last of them. */
export const CHECKIN_ACTIONS = ['receive', 'combine', 'not-published', 'receive-unpredicted'] as const;

const issueInclude = { subscription: { include: { branch: { select: { code: true } }, location: { select: { code: true } } } }, pattern: true } as const;
type IssueWith = Prisma.SerialIssueGetPayload<{ include: typeof issueInclude }>;

function bad(message: string): never {
  throw new BadRequestException(message);
}

function checkNote(note: string | null | undefined): string | null | undefined {
  if (note === undefined || note === null) return note;
  if (typeof note !== 'string' || note.length > 2000) bad('note must be text of at most 2000 characters');
  return note.trim() || null;
}

/**
 * Serials check-in: receiving expected (or late) issues, alone or combined, receiving an issue nobody
 * predicted, marking one not published, and undoing any of these. Each is one transaction with its
 * audit entries; open claims for the issues are closed in the same transaction, so a vendor is never
 * claimed for an issue already on the shelf.
 */
@Injectable()
export class CheckinService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
    private readonly catalog: CatalogService,
  ) {}

  async get(id: number) {
    const i = await this.db.prisma.serialIssue.findUnique({ where: { id }, include: { claims: { orderBy: { claimNumber: 'asc' } }, combinedIssues: { select: { id: true, label: true } } } });
    if (!i) throw new NotFoundException(`serial issue ${id} not found`);
    return presentIssue(i);
  }

  /** Receives an expected or late issue; with `combine`, the issues named arrived as part of it. */
  async receive(issueId: number, input: ReceiveInput, now: Date) {
    const combine = input.combine ?? [];
    const note = checkNote(input.note);
    if (new Set([issueId, ...combine]).size !== combine.length + 1) bad('combine: each issue may be named once, and not the issue received itself');
    const issue = await this.load(issueId);
    this.mustBeOpen(issue);
    const others: IssueWith[] = [];
    for (const id of combine) {
      const o = await this.load(id);
      if (o.subscriptionId !== issue.subscriptionId) bad(`combine: issue ${id} belongs to subscription ${o.subscriptionId}, not ${issue.subscriptionId}`);
      this.mustBeOpen(o);
      others.push(o);
    }
    const item = input.item ? await this.createItem(issue, input.item) : null;
    try {
      return await this.db.prisma.$transaction(async (tx) => {
        await this.settle(tx, issue, { status: 'received', receivedAt: now, itemId: item?.id ?? null, ...(note !== undefined ? { note } : {}) });
        await this.audit.record({ action: 'receive', entity: 'SerialIssue', entityId: issue.id, before: { status: issue.status }, after: { status: 'received', label: issue.label, itemId: item?.id ?? null, itemCreated: !!item, combined: combine } }, tx);
        for (const o of others) {
          await this.settle(tx, o, { status: 'combined', combinedIntoId: issue.id, receivedAt: now });
          await this.audit.record({ action: 'combine', entity: 'SerialIssue', entityId: o.id, before: { status: o.status }, after: { status: 'combined', label: o.label, combinedIntoId: issue.id } }, tx);
        }
        const closedClaims = await this.closeClaims(tx, [issue.id, ...combine], now);
        return { issue: presentIssue(await tx.serialIssue.findUniqueOrThrow({ where: { id: issue.id } })), combined: combine, item, closedClaims };
      });
    } catch (e) {
      // the item was made by the catalogue's own transaction: a check-in that did not happen takes it back
      if (item) await this.catalog.deleteItem(item.barcode).catch(() => undefined);
      throw e;
    }
  }

  /** An issue that arrived without being predicted (an extra, a special issue): recorded as received. */
  async receiveUnpredicted(subscriptionId: number, input: UnpredictedInput, now: Date) {
    const sub = await this.db.prisma.subscription.findUnique({ where: { id: subscriptionId }, include: { branch: { select: { code: true } }, location: { select: { code: true } }, patterns: { orderBy: { id: 'asc' } } } });
    if (!sub) throw new NotFoundException(`subscription ${subscriptionId} not found`);
    const note = checkNote(input.note);
    const kind = input.kind ?? 'issue';
    if (!['issue', 'supplement', 'index'].includes(kind)) bad('kind must be one of issue, supplement, index');
    const pattern = sub.patterns.find((p) => p.kind === kind && p.active) ?? sub.patterns.find((p) => p.kind === kind);
    const caption = pattern ? parseCaption(pattern.caption) : null;
    const values = readIssueValues(input.values, caption, 'values');
    let label = input.label?.trim();
    let publicationDate = input.publicationDate;
    if (publicationDate !== undefined && !isIsoDate(publicationDate)) bad('publicationDate must be a date YYYY-MM-DD');
    if (caption) {
      try {
        label ||= issueLabel(caption, values);
        publicationDate ??= describeIssue(caption, values).publicationDate;
      } catch (e) {
        if (e instanceof SerialsFormatError) bad(`values: ${e.message}`);
        throw e;
      }
    }
    if (!label) bad(`label is required: subscription ${subscriptionId} has no ${kind} pattern to label the issue from`);
    if (!publicationDate || !isIsoDate(publicationDate)) bad(`publicationDate is required: subscription ${subscriptionId} has no ${kind} pattern to date the issue from`);
    if (label.length > 500) bad('label must be at most 500 characters');
    const awaited = await this.db.prisma.serialIssue.findFirst({ where: { subscriptionId, label, status: { in: [...OPEN_STATUSES] } }, select: { id: true } });
    if (awaited) throw new ConflictException(`issue ${label} is expected already (serial issue ${awaited.id}): receive that one`);
    const placeholder = { subscription: sub, label } as unknown as IssueWith;
    const item = input.item ? await this.createItem(placeholder, input.item) : null;
    try {
      return await this.db.prisma.$transaction(async (tx) => {
        const row = await tx.serialIssue.create({
          data: {
            subscriptionId, patternId: null, sequence: null, values: JSON.stringify(values), label, publicationDate,
            expectedDate: addDays(publicationDate, sub.expectedOffsetDays), status: 'received', receivedAt: now, itemId: item?.id ?? null, note: note ?? null,
          },
        });
        await this.audit.record({ action: 'receive-unpredicted', entity: 'SerialIssue', entityId: row.id, after: { ...presentIssue(row), itemCreated: !!item } }, tx);
        return { issue: presentIssue(row), combined: [], item, closedClaims: 0 };
      });
    } catch (e) {
      if (item) await this.catalog.deleteItem(item.barcode).catch(() => undefined);
      throw e;
    }
  }

  /** The publisher did not publish this issue: no longer awaited, never claimed. */
  async markNotPublished(issueId: number, input: { note?: string | null }, now: Date) {
    const note = checkNote(input.note);
    const issue = await this.load(issueId);
    this.mustBeOpen(issue);
    return this.db.prisma.$transaction(async (tx) => {
      await this.settle(tx, issue, { status: 'not_published', ...(note !== undefined ? { note } : {}) });
      await this.audit.record({ action: 'not-published', entity: 'SerialIssue', entityId: issue.id, before: { status: issue.status }, after: { status: 'not_published', label: issue.label, note } }, tx);
      const closedClaims = await this.closeClaims(tx, [issue.id], now);
      return { issue: presentIssue(await tx.serialIssue.findUniqueOrThrow({ where: { id: issue.id } })), closedClaims };
    });
  }

  /**
   * Undoes a check-in (or a not-published mark): the issue, and the issues combined into it, are awaited
   * again with the status they had. The item the check-in made is removed if nothing ever happened to it
   * in circulation; otherwise it stays in the catalogue, unlinked, and the answer says why. An issue that
   * was never predicted is removed altogether. Claims closed by the check-in stay closed.
   */
  async undo(issueId: number, _now: Date) {
    const issue = await this.load(issueId);
    if (issue.status === 'combined') throw new ConflictException(`issue ${issue.label} was received as part of serial issue ${issue.combinedIntoId}: undo that one`);
    if (issue.status !== 'received' && issue.status !== 'not_published') throw new ConflictException(`issue ${issue.label} is ${issue.status}: there is no check-in to undo`);
    return this.db.prisma.$transaction(async (tx) => {
      const itemOutcome = issue.itemId ? await this.releaseItem(tx, issue) : null;
      const combined = await tx.serialIssue.findMany({ where: { combinedIntoId: issue.id }, orderBy: { id: 'asc' } });
      for (const c of combined) {
        const back = await this.statusBefore(tx, c.id);
        await this.settle(tx, c, { status: back, combinedIntoId: null, receivedAt: null }, ['combined']);
        await this.audit.record({ action: 'undo-checkin', entity: 'SerialIssue', entityId: c.id, before: { status: c.status, combinedIntoId: c.combinedIntoId }, after: { status: back } }, tx);
      }
      if (issue.patternId === null) {
        await tx.serialIssue.delete({ where: { id: issue.id } });
        await this.audit.record({ action: 'undo-checkin', entity: 'SerialIssue', entityId: issue.id, before: presentIssue(issue), after: { removed: true } }, tx);
        return { issue: null, removed: true, restored: combined.map((c) => c.id), item: itemOutcome };
      }
      const back = await this.statusBefore(tx, issue.id);
      await this.settle(tx, issue, { status: back, receivedAt: null, itemId: null }, [issue.status as IssueStatus]);
      await this.audit.record({ action: 'undo-checkin', entity: 'SerialIssue', entityId: issue.id, before: { status: issue.status, itemId: issue.itemId }, after: { status: back, item: itemOutcome } }, tx);
      return { issue: presentIssue(await tx.serialIssue.findUniqueOrThrow({ where: { id: issue.id } })), removed: false, restored: combined.map((c) => c.id), item: itemOutcome };
    });
  }

  private async load(id: number): Promise<IssueWith> {
    if (!Number.isInteger(id)) bad(`serial issue id must be a whole number (got ${JSON.stringify(id)})`);
    const i = await this.db.prisma.serialIssue.findUnique({ where: { id }, include: issueInclude });
    if (!i) throw new NotFoundException(`serial issue ${id} not found`);
    return i;
  }

  private mustBeOpen(issue: IssueWith): void {
    if (!(OPEN_STATUSES as readonly string[]).includes(issue.status)) {
      const more = issue.status === 'combined' ? ` (part of serial issue ${issue.combinedIntoId})` : '';
      throw new ConflictException(`issue ${issue.label} (serial issue ${issue.id}) is ${issue.status}${more}, not expected or late`);
    }
  }

  /** Moves an issue on only if it is still in the status it was read in: two check-ins of one issue cannot both win. */
  private async settle(tx: Tx, issue: { id: number; status: string; label: string }, data: Prisma.SerialIssueUncheckedUpdateManyInput, from: readonly string[] = OPEN_STATUSES): Promise<void> {
    const r = await tx.serialIssue.updateMany({ where: { id: issue.id, status: { in: [...from] } }, data });
    if (r.count !== 1) throw new ConflictException(`issue ${issue.label} (serial issue ${issue.id}) was changed by someone else meanwhile; look at it again`);
  }

  /** Open claims of the issues are settled: the issue came (or will never come). */
  private async closeClaims(tx: Tx, issueIds: number[], now: Date): Promise<number> {
    const r = await tx.serialClaim.updateMany({ where: { issueId: { in: issueIds }, status: { not: 'closed' } }, data: { status: 'closed', closedAt: now } });
    return r.count;
  }

  /** The status the issue had before its last check-in action, from the audit log ('expected' if none says). */
  private async statusBefore(tx: Tx, issueId: number): Promise<IssueStatus> {
    const entry = await tx.auditEntry.findFirst({ where: { entity: 'SerialIssue', entityId: String(issueId), action: { in: [...CHECKIN_ACTIONS] } }, orderBy: { id: 'desc' } });
    const before = entry?.before ? (JSON.parse(entry.before) as { status?: string }).status : undefined;
    return before === 'late' ? 'late' : 'expected';
  }

  private async createItem(issue: IssueWith, spec: CheckinItem) {
    const sub = issue.subscription;
    if (!spec || typeof spec.barcode !== 'string' || !spec.barcode.trim()) bad('item.barcode is required to create an item');
    if (sub.bibRecordId === null) bad(`item: subscription ${sub.id} (${sub.title}) has no bibliographic record to attach an item to (set bibRecordId)`);
    return this.catalog.createItem({
      barcode: spec.barcode.trim(), recordId: sub.bibRecordId, branchCode: sub.branch.code,
      locationCode: spec.locationCode !== undefined ? spec.locationCode : (sub.location?.code ?? null),
      itemTypeCode: spec.itemTypeCode ?? null, callNumber: spec.callNumber ?? null, copyNumber: spec.copyNumber ?? null,
      // the issue's label goes with the copy: staff and patrons tell issues of one title apart by it
      notes: issue.label,
    });
  }

  /**
   * The item linked to an issue being un-received: removed if this check-in made it and it never
   * circulated (no loan, hold, transit or fee, and still available), else kept.
   */
  private async releaseItem(tx: Tx, issue: IssueWith): Promise<{ id: number; barcode: string; removed: boolean; reason?: string }> {
    const itemId = issue.itemId!;
    const item = await tx.item.findUnique({ where: { id: itemId } });
    if (!item) return { id: itemId, barcode: '', removed: false, reason: 'the item no longer exists' };
    await tx.serialIssue.update({ where: { id: issue.id }, data: { itemId: null } });
    const made = await tx.auditEntry.findFirst({ where: { entity: 'SerialIssue', entityId: String(issue.id), action: { in: ['receive', 'receive-unpredicted'] } }, orderBy: { id: 'desc' } });
    const madeByCheckin = !!made?.after && (JSON.parse(made.after) as { itemCreated?: boolean; itemId?: number | null }).itemCreated === true;
    if (!madeByCheckin) return { id: item.id, barcode: item.barcode, removed: false, reason: 'the item was not created by this check-in' };
    const [loans, holds, transits, fees] = await Promise.all([
      tx.loan.count({ where: { itemId } }),
      tx.hold.count({ where: { OR: [{ itemId }, { capturedItemId: itemId }] } }),
      tx.transit.count({ where: { itemId } }),
      tx.fee.count({ where: { itemId } }),
    ]);
    if (loans + holds + transits + fees > 0 || item.status !== 'available') {
      return { id: item.id, barcode: item.barcode, removed: false, reason: 'the item has circulated (loans, holds, transits or fees) or is no longer available' };
    }
    await tx.item.delete({ where: { id: itemId } });
    await this.audit.record({ action: 'delete', entity: 'Item', entityId: itemId, before: item, context: { reason: `check-in of serial issue ${issue.id} undone` } }, tx);
    return { id: item.id, barcode: item.barcode, removed: true };
  }
}
