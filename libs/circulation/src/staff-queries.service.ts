import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DbService } from '@carrel/db';
import { sipFeeType } from './fee-types.js';
import { fromCents, toCents } from './money.js';
import { LocalCirculationEngine } from './engine.js';

const amount = (v: { toString(): string }) => fromCents(toCents(v) ?? 0n);

/**
 * What staff read to answer a kiosk's patron or a question about a kiosk: a patron's loans, holds and
 * fees, and the SIP circulation log. Reads only; changes go through LocalCirculationEngine.
 */
@Injectable()
export class CirculationStaffQueries {
  constructor(
    private readonly db: DbService,
    private readonly engine: LocalCirculationEngine,
  ) {}

  private async patronId(barcode: string): Promise<number> {
    const p = await this.db.prisma.patron.findUnique({ where: { barcode }, select: { id: true } });
    if (!p) throw new NotFoundException(`patron "${barcode}" not found`);
    return p.id;
  }

  /** open loans, soonest due first; `overdue` as of `at` */
  async loans(barcode: string, at: Date) {
    const patronId = await this.patronId(barcode);
    const loans = await this.db.prisma.loan.findMany({
      where: { patronId, returnedAt: null },
      select: { id: true, branchCode: true, checkedOutAt: true, dueAt: true, renewals: true, checkoutBy: true, item: { select: { barcode: true, callNumber: true, record: { select: { id: true, title: true } } } } },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    });
    return loans.map((l) => ({
      id: l.id, itemBarcode: l.item.barcode, title: l.item.record.title, recordId: l.item.record.id, callNumber: l.item.callNumber,
      branchCode: l.branchCode, checkedOutAt: l.checkedOutAt, dueAt: l.dueAt, overdue: l.dueAt.getTime() < at.getTime(), renewals: l.renewals, checkoutBy: l.checkoutBy,
    }));
  }

  /** active holds (waiting, in transit, on the shelf), oldest first, with the queue position of waiting ones */
  async holds(barcode: string, at: Date) {
    const patronId = await this.patronId(barcode);
    const holds = await this.db.prisma.hold.findMany({
      where: { patronId, status: { in: ['waiting', 'in_transit', 'on_shelf'] } },
      select: {
        id: true, status: true, pickupBranch: true, placedAt: true, expiresAt: true, capturedAt: true, recordId: true,
        record: { select: { title: true } }, item: { select: { barcode: true } }, capturedItem: { select: { barcode: true } },
      },
      orderBy: [{ placedAt: 'asc' }, { id: 'asc' }],
    });
    return Promise.all(holds.map(async (h) => ({
      id: h.id, status: h.status, recordId: h.recordId, title: h.record.title, itemBarcode: h.item?.barcode ?? null, capturedItemBarcode: h.capturedItem?.barcode ?? null,
      pickupBranch: h.pickupBranch, placedAt: h.placedAt, expiresAt: h.expiresAt, capturedAt: h.capturedAt,
      queuePosition: h.status !== 'waiting' ? null : 1 + (await this.db.prisma.hold.count({
        where: {
          recordId: h.recordId, status: 'waiting', OR: [{ placedAt: { lt: h.placedAt } }, { placedAt: h.placedAt, id: { lt: h.id } }],
          AND: [{ OR: [{ expiresAt: null }, { expiresAt: { gt: at } }] }],
        },
      })),
    })));
  }

  /** fees still open (or all), oldest first, each with its SIP fee type; `outstanding` is the patron's net total */
  async fees(barcode: string, all: boolean) {
    const patronId = await this.patronId(barcode);
    const fees = await this.db.prisma.fee.findMany({
      where: { patronId, ...(all ? {} : { closedAt: null }) },
      select: { id: true, type: true, amount: true, outstanding: true, currency: true, description: true, createdAt: true, closedAt: true, loanId: true, itemId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    const barcodes = new Map((await this.db.prisma.item.findMany({ where: { id: { in: fees.flatMap((f) => (f.itemId === null ? [] : [f.itemId])) } }, select: { id: true, barcode: true } })).map((i) => [i.id, i.barcode]));
    const open = fees.filter((f) => f.closedAt === null).reduce((s, f) => s + (toCents(f.outstanding) ?? 0n), 0n);
    return {
      outstanding: fromCents(open),
      currency: this.engine.options.currency,
      fees: fees.map((f) => ({
        id: f.id, type: f.type, sipFeeType: sipFeeType(f.type), amount: amount(f.amount), outstanding: amount(f.outstanding), currency: f.currency, description: f.description,
        itemBarcode: f.itemId === null ? null : (barcodes.get(f.itemId) ?? null), loanId: f.loanId, createdAt: f.createdAt, closedAt: f.closedAt,
      })),
    };
  }

  /** the SIP circulation log (frames already masked), oldest first in the range, so "kiosk 3 at 10:42" reads in order */
  async circulationLog(q: { device?: string; account?: string; from?: string; to?: string; messageId?: string; skip?: number; take?: number }) {
    const from = q.from ? new Date(q.from) : undefined;
    const to = q.to ? new Date(q.to) : undefined;
    if (from && to && from.getTime() > to.getTime()) throw new BadRequestException('from must not be after to');
    const where = {
      ...(q.device ? { device: q.device } : {}),
      ...(q.account ? { account: q.account } : {}),
      ...(q.messageId ? { messageId: q.messageId } : {}),
      ...(from || to ? { at: { ...(from ? { gte: from } : {}), ...(to ? { lte: to } : {}) } } : {}),
    };
    const [total, entries] = await Promise.all([
      this.db.prisma.circulationLogEntry.count({ where }),
      this.db.prisma.circulationLogEntry.findMany({ where, orderBy: [{ at: 'asc' }, { id: 'asc' }], skip: q.skip ?? 0, take: q.take ?? 100 }),
    ]);
    return { total, entries };
  }
}
