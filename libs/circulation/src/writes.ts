import type { AuditActor, AuditRecord, AuditService, Tx } from '@carrel/audit';
import { Prisma, type SyncSql } from '@carrel/db';
import { fromCents, toCents } from './money.js';

/** A refusal raised inside a transaction: rolls it back and becomes the screen message. */
export class Refusal extends Error {}

/**
 * The writes of one circulation transaction, decided once by the engine and carried out by either
 * executor: Prisma's interactive transaction (PostgreSQL, and any client without SqliteSync) or plain
 * statements in one synchronous SQLite transaction. `refusal`: the statement must change exactly one
 * row, else the transaction rolls back with that message (optimistic checks).
 */
export type WriteOp =
  | { kind: 'moveItem'; id: number; from: string; status: string; branchId?: number; refusal: string }
  | { kind: 'setItem'; id: number; status: string; branchId?: number }
  | { kind: 'closeLoan'; id: number; returnedAt: Date; returnBranch: string; checkinBy: string | null; refusal?: string }
  | { kind: 'createLoan'; itemId: number; patronId: number; branchCode: string; checkedOutAt: Date; dueAt: Date; checkoutBy: string | null }
  | { kind: 'renewLoan'; id: number; renewals: number; dueAt: Date; refusal: string }
  | { kind: 'updateHold'; id: number; data: HoldChange }
  | { kind: 'expireHolds'; ids: number[]; at: Date }
  | { kind: 'receiveTransits'; itemId: number; at: Date }
  | { kind: 'createTransit'; itemId: number; fromBranch: string; toBranch: string; reason: string; holdId: number | null; sentAt: Date }
  | { kind: 'createFee'; patronId: number; type: string; amount: string; currency: string; description: string; itemId: number; loanId: number }
  /**
   * A lost item is back: the 'lost' fees charged when that loan was declared lost stop being owed;
   * with `refund`, what the patron already paid toward them comes back as a credit (a fee with a
   * negative amount, so the patron's total nets it out).
   */
  | { kind: 'settleLostFees'; itemId: number; loanId: number; at: Date; refund: boolean; description: string };

export interface HoldChange {
  status?: string;
  closedAt?: Date;
  capturedAt?: Date;
  expiresAt?: Date;
  capturedItemId?: number;
}

/** ids of the rows the plan created */
export interface Created {
  loan: number | null;
  fee: number | null;
  transit: number | null;
  /** credits written by settleLostFees */
  credits: number[];
}

export interface WritePlan {
  ops: WriteOp[];
  /** the audit entry, written last in the same transaction */
  audit: (created: Created) => AuditRecord;
}

// ---------------------------------------------------------------- Prisma

export async function applyWithPrisma(tx: Tx, audit: AuditService, plan: WritePlan): Promise<Created> {
  const created: Created = { loan: null, fee: null, transit: null, credits: [] };
  const one = (count: number, refusal: string | undefined) => {
    if (refusal !== undefined && count !== 1) throw new Refusal(refusal);
  };
  for (const op of plan.ops) {
    switch (op.kind) {
      case 'moveItem':
        one((await tx.item.updateMany({ where: { id: op.id, status: op.from }, data: { status: op.status, ...(op.branchId !== undefined ? { branchId: op.branchId } : {}) } })).count, op.refusal);
        break;
      case 'setItem':
        await tx.item.update({ where: { id: op.id }, data: { status: op.status, ...(op.branchId !== undefined ? { branchId: op.branchId } : {}) }, select: { id: true } });
        break;
      case 'closeLoan': {
        const data = { returnedAt: op.returnedAt, returnBranch: op.returnBranch, checkinBy: op.checkinBy };
        if (op.refusal !== undefined) one((await tx.loan.updateMany({ where: { id: op.id, returnedAt: null }, data })).count, op.refusal);
        else await tx.loan.update({ where: { id: op.id }, data, select: { id: true } });
        break;
      }
      case 'createLoan':
        created.loan = (await tx.loan.create({
          data: { itemId: op.itemId, patronId: op.patronId, branchCode: op.branchCode, checkedOutAt: op.checkedOutAt, dueAt: op.dueAt, checkoutBy: op.checkoutBy },
          select: { id: true },
        })).id;
        break;
      case 'renewLoan':
        one((await tx.loan.updateMany({ where: { id: op.id, returnedAt: null, renewals: op.renewals }, data: { dueAt: op.dueAt, renewals: op.renewals + 1 } })).count, op.refusal);
        break;
      case 'updateHold':
        await tx.hold.update({ where: { id: op.id }, data: op.data, select: { id: true } });
        break;
      case 'expireHolds':
        await tx.hold.updateMany({ where: { id: { in: op.ids } }, data: { status: 'expired', closedAt: op.at } });
        break;
      case 'receiveTransits':
        await tx.transit.updateMany({ where: { itemId: op.itemId, receivedAt: null }, data: { receivedAt: op.at } });
        break;
      case 'createTransit':
        created.transit = (await tx.transit.create({ data: { itemId: op.itemId, fromBranch: op.fromBranch, toBranch: op.toBranch, reason: op.reason, holdId: op.holdId, sentAt: op.sentAt }, select: { id: true } })).id;
        break;
      case 'createFee':
        created.fee = (await tx.fee.create({
          data: { patronId: op.patronId, type: op.type, amount: new Prisma.Decimal(op.amount), outstanding: new Prisma.Decimal(op.amount), currency: op.currency, description: op.description, itemId: op.itemId, loanId: op.loanId },
          select: { id: true },
        })).id;
        break;
      case 'settleLostFees': {
        const fees = await tx.fee.findMany({ where: { itemId: op.itemId, loanId: op.loanId, type: 'lost' }, select: { id: true, patronId: true, amount: true, outstanding: true, currency: true, closedAt: true } });
        for (const s of lostSettlement(fees, op.refund)) {
          if (s.writeOff) await tx.fee.update({ where: { id: s.feeId }, data: { outstanding: new Prisma.Decimal(0), closedAt: op.at }, select: { id: true } });
          if (s.credit) {
            const credit = await tx.fee.create({
              data: { patronId: s.patronId, type: 'credit', amount: new Prisma.Decimal(s.credit), outstanding: new Prisma.Decimal(s.credit), currency: s.currency, description: op.description, itemId: op.itemId, loanId: op.loanId },
              select: { id: true },
            });
            created.credits.push(credit.id);
          }
        }
        break;
      }
    }
  }
  await audit.record(plan.audit(created), tx);
  return created;
}

/**
 * What settling a lost item's fees writes, decided alike for both executors. Pure. A fee still open is
 * written off; with `refund`, what was paid toward it (in part, or in full and so already closed) comes
 * back as a credit. Callers pass only the fees of the loan that was declared lost, and settle each loss
 * once: the item leaves 'lost' in the same transaction.
 */
export function lostSettlement(
  fees: { id: unknown; patronId: unknown; amount: unknown; outstanding: unknown; currency: string; closedAt: unknown }[],
  refund: boolean,
): { feeId: number; patronId: number; currency: string; writeOff: boolean; credit: string | null }[] {
  const out: { feeId: number; patronId: number; currency: string; writeOff: boolean; credit: string | null }[] = [];
  for (const f of fees) {
    const amount = toCents(String(f.amount)) ?? 0n;
    const owed = toCents(String(f.outstanding)) ?? 0n;
    const open = f.closedAt === null || f.closedAt === undefined;
    const paid = amount - owed;
    const credit = refund && paid > 0n ? fromCents(-paid) : null;
    if (!open && !credit) continue;
    out.push({ feeId: Number(f.id), patronId: Number(f.patronId), currency: f.currency, writeOff: open, credit });
  }
  return out;
}

// ---------------------------------------------------------------- SQLite, synchronous

/** as AuditService writes them: bigints as text, dates as ISO strings */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const HOLD_COLUMNS = ['status', 'closedAt', 'capturedAt', 'expiresAt', 'capturedItemId'] as const;

/**
 * The same plan as plain statements, synchronously: call inside SqliteSync.transaction(). Columns
 * Prisma fills itself (`createdAt`, `@updatedAt`, defaults) are written here; values in Prisma's
 * SQLite formats (sqliteParam). `now` stamps createdAt/updatedAt and the audit entry's `at`.
 */
export function applyWithSql(sql: SyncSql, plan: WritePlan, who: AuditActor, now = new Date()): Created {
  const created: Created = { loan: null, fee: null, transit: null, credits: [] };
  const one = (changes: number, refusal: string | undefined) => {
    if (refusal !== undefined && changes !== 1) throw new Refusal(refusal);
  };
  for (const op of plan.ops) {
    switch (op.kind) {
      case 'moveItem':
        one(sql.run('UPDATE "Item" SET "status" = ?, "branchId" = COALESCE(?, "branchId"), "updatedAt" = ? WHERE "id" = ? AND "status" = ?', [op.status, op.branchId ?? null, now, op.id, op.from]).changes, op.refusal);
        break;
      case 'setItem':
        sql.run('UPDATE "Item" SET "status" = ?, "branchId" = COALESCE(?, "branchId"), "updatedAt" = ? WHERE "id" = ?', [op.status, op.branchId ?? null, now, op.id]);
        break;
      case 'closeLoan': {
        // with a refusal, only a loan still open is closed (another checkin may have won)
        const guard = op.refusal !== undefined ? ' AND "returnedAt" IS NULL' : '';
        const changes = sql.run(`UPDATE "Loan" SET "returnedAt" = ?, "returnBranch" = ?, "checkinBy" = ?, "updatedAt" = ? WHERE "id" = ?${guard}`, [op.returnedAt, op.returnBranch, op.checkinBy, now, op.id]).changes;
        if (op.refusal !== undefined) one(changes, op.refusal);
        break;
      }
      case 'createLoan':
        created.loan = sql.run(
          'INSERT INTO "Loan" ("itemId", "patronId", "branchCode", "checkedOutAt", "dueAt", "renewals", "checkoutBy", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)',
          [op.itemId, op.patronId, op.branchCode, op.checkedOutAt, op.dueAt, op.checkoutBy, now, now],
        ).lastInsertRowid;
        break;
      case 'renewLoan':
        one(sql.run('UPDATE "Loan" SET "dueAt" = ?, "renewals" = ?, "updatedAt" = ? WHERE "id" = ? AND "returnedAt" IS NULL AND "renewals" = ?', [op.dueAt, op.renewals + 1, now, op.id, op.renewals]).changes, op.refusal);
        break;
      case 'updateHold': {
        const cols = HOLD_COLUMNS.filter((c) => op.data[c] !== undefined);
        sql.run(`UPDATE "Hold" SET ${cols.map((c) => `"${c}" = ?, `).join('')}"updatedAt" = ? WHERE "id" = ?`, [...cols.map((c) => op.data[c]), now, op.id]);
        break;
      }
      case 'expireHolds':
        if (op.ids.length) sql.run(`UPDATE "Hold" SET "status" = 'expired', "closedAt" = ?, "updatedAt" = ? WHERE "id" IN (${op.ids.map(() => '?').join(', ')})`, [op.at, now, ...op.ids]);
        break;
      case 'receiveTransits':
        sql.run('UPDATE "Transit" SET "receivedAt" = ?, "updatedAt" = ? WHERE "itemId" = ? AND "receivedAt" IS NULL', [op.at, now, op.itemId]);
        break;
      case 'createTransit':
        created.transit = sql.run(
          'INSERT INTO "Transit" ("itemId", "fromBranch", "toBranch", "reason", "holdId", "sentAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          [op.itemId, op.fromBranch, op.toBranch, op.reason, op.holdId, op.sentAt, now, now],
        ).lastInsertRowid;
        break;
      case 'createFee':
        created.fee = sql.run(
          'INSERT INTO "Fee" ("patronId", "type", "amount", "outstanding", "currency", "description", "itemId", "loanId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [op.patronId, op.type, op.amount, op.amount, op.currency, op.description, op.itemId, op.loanId, now, now],
        ).lastInsertRowid;
        break;
      case 'settleLostFees': {
        const fees = sql.all<{ id: unknown; patronId: unknown; amount: unknown; outstanding: unknown; currency: string; closedAt: unknown }>(
          'SELECT "id", "patronId", "amount", "outstanding", "currency", "closedAt" FROM "Fee" WHERE "itemId" = ? AND "loanId" = ? AND "type" = \'lost\'',
          [op.itemId, op.loanId],
        );
        for (const s of lostSettlement(fees, op.refund)) {
          if (s.writeOff) sql.run('UPDATE "Fee" SET "outstanding" = ?, "closedAt" = ?, "updatedAt" = ? WHERE "id" = ?', ['0', op.at, now, s.feeId]);
          if (s.credit) {
            created.credits.push(sql.run(
              'INSERT INTO "Fee" ("patronId", "type", "amount", "outstanding", "currency", "description", "itemId", "loanId", "createdAt", "updatedAt") VALUES (?, \'credit\', ?, ?, ?, ?, ?, ?, ?, ?)',
              [s.patronId, s.credit, s.credit, s.currency, op.description, op.itemId, op.loanId, now, now],
            ).lastInsertRowid);
          }
        }
        break;
      }
    }
  }
  const entry = plan.audit(created);
  const context = who.context || entry.context ? { ...who.context, ...entry.context } : undefined;
  sql.run('INSERT INTO "AuditEntry" ("at", "actor", "action", "entity", "entityId", "before", "after", "context") VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
    now, who.actor, entry.action, entry.entity, entry.entityId == null ? null : String(entry.entityId), toJson(entry.before), toJson(entry.after), toJson(context),
  ]);
  return created;
}
