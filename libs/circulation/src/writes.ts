import type { AuditActor, AuditRecord } from '@carrel/audit';
import { numberedPlaceholders, type PgQueryable, type SyncSql } from '@carrel/db';
import { fromCents, toCents } from './money.js';

/** A refusal raised inside a transaction: rolls it back and becomes the screen message. */
export class Refusal extends Error {}

/**
 * The writes of one circulation transaction, decided once by the engine and carried out as the same
 * plain statements (planStatements) by either executor: synchronously in one SQLite transaction
 * (applyWithSql, SqliteSync), or in one PostgreSQL transaction (applyWithPg, PgSql). `refusal`: the
 * statement must change exactly one row, else the transaction rolls back with that message (optimistic
 * checks).
 */
export type WriteOp =
  // branchId: the branch the item is now at, given only when that changes
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

/**
 * What settling a lost item's fees writes (planStatements turns it into statements). Pure. A fee still open is
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

// ---------------------------------------------------------------- the plan as plain statements

/** as AuditService writes them: bigints as text, dates as ISO strings */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

const HOLD_COLUMNS = ['status', 'closedAt', 'capturedAt', 'expiresAt', 'capturedItemId'] as const;

/**
 * One statement of a plan, with `?` placeholders (each executor writes them its database's way);
 * `rows`: its rows are wanted (a SELECT, or an INSERT … RETURNING "id").
 */
export interface PlanStatement {
  sql: string;
  params: unknown[];
  rows?: true;
}

/** what a statement did: rows changed, and its rows when asked for */
export interface StatementResult {
  changes: number;
  rows: Record<string, unknown>[];
}

const INSERT_FEE = 'INSERT INTO "Fee" ("patronId", "type", "amount", "outstanding", "currency", "description", "itemId", "loanId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"';

/**
 * The SET list of an item's new status, with its branch only when that changes: an indexed column in SET
 * costs an index update even when its value stays the same.
 */
function itemSet(op: { status: string; branchId?: number }, now: Date): { sql: string; params: unknown[] } {
  return op.branchId === undefined
    ? { sql: '"status" = ?, "updatedAt" = ?', params: [op.status, now] }
    : { sql: '"status" = ?, "branchId" = ?, "updatedAt" = ?', params: [op.status, op.branchId, now] };
}

/**
 * The plan's statements, in order, written ONCE for both executors (applyWithSql, applyWithPg): each
 * `yield` hands one statement to the executor and gets back what it did. Columns Prisma fills itself
 * (`createdAt`, `@updatedAt`, defaults) are written here, and every value is as Prisma stores it (the
 * executors convert: sqliteParam, pgParam). `now` stamps createdAt/updatedAt and the audit entry's
 * `at`. A Refusal thrown here rolls the transaction back.
 */
function* planStatements(plan: WritePlan, who: AuditActor, now: Date): Generator<PlanStatement, Created, StatementResult> {
  const created: Created = { loan: null, fee: null, transit: null, credits: [] };
  const one = (changes: number, refusal: string | undefined) => {
    if (refusal !== undefined && changes !== 1) throw new Refusal(refusal);
  };
  const id = (r: StatementResult) => Number(r.rows[0]!.id);
  for (const op of plan.ops) {
    switch (op.kind) {
      case 'moveItem': {
        const set = itemSet(op, now);
        one((yield { sql: `UPDATE "Item" SET ${set.sql} WHERE "id" = ? AND "status" = ?`, params: [...set.params, op.id, op.from] }).changes, op.refusal);
        break;
      }
      case 'setItem': {
        const set = itemSet(op, now);
        yield { sql: `UPDATE "Item" SET ${set.sql} WHERE "id" = ?`, params: [...set.params, op.id] };
        break;
      }
      case 'closeLoan': {
        // with a refusal, only a loan still open is closed (another checkin may have won)
        const guard = op.refusal !== undefined ? ' AND "returnedAt" IS NULL' : '';
        one((yield { sql: `UPDATE "Loan" SET "returnedAt" = ?, "returnBranch" = ?, "checkinBy" = ?, "updatedAt" = ? WHERE "id" = ?${guard}`, params: [op.returnedAt, op.returnBranch, op.checkinBy, now, op.id] }).changes, op.refusal);
        break;
      }
      case 'createLoan':
        created.loan = id(yield {
          sql: 'INSERT INTO "Loan" ("itemId", "patronId", "branchCode", "checkedOutAt", "dueAt", "renewals", "checkoutBy", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?) RETURNING "id"',
          params: [op.itemId, op.patronId, op.branchCode, op.checkedOutAt, op.dueAt, op.checkoutBy, now, now], rows: true,
        });
        break;
      case 'renewLoan':
        one((yield { sql: 'UPDATE "Loan" SET "dueAt" = ?, "renewals" = ?, "updatedAt" = ? WHERE "id" = ? AND "returnedAt" IS NULL AND "renewals" = ?', params: [op.dueAt, op.renewals + 1, now, op.id, op.renewals] }).changes, op.refusal);
        break;
      case 'updateHold': {
        const cols = HOLD_COLUMNS.filter((c) => op.data[c] !== undefined);
        yield { sql: `UPDATE "Hold" SET ${cols.map((c) => `"${c}" = ?, `).join('')}"updatedAt" = ? WHERE "id" = ?`, params: [...cols.map((c) => op.data[c]), now, op.id] };
        break;
      }
      case 'expireHolds':
        if (op.ids.length) yield { sql: `UPDATE "Hold" SET "status" = 'expired', "closedAt" = ?, "updatedAt" = ? WHERE "id" IN (${op.ids.map(() => '?').join(', ')})`, params: [op.at, now, ...op.ids] };
        break;
      case 'receiveTransits':
        yield { sql: 'UPDATE "Transit" SET "receivedAt" = ?, "updatedAt" = ? WHERE "itemId" = ? AND "receivedAt" IS NULL', params: [op.at, now, op.itemId] };
        break;
      case 'createTransit':
        created.transit = id(yield {
          sql: 'INSERT INTO "Transit" ("itemId", "fromBranch", "toBranch", "reason", "holdId", "sentAt", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"',
          params: [op.itemId, op.fromBranch, op.toBranch, op.reason, op.holdId, op.sentAt, now, now], rows: true,
        });
        break;
      case 'createFee':
        created.fee = id(yield { sql: INSERT_FEE, params: [op.patronId, op.type, op.amount, op.amount, op.currency, op.description, op.itemId, op.loanId, now, now], rows: true });
        break;
      case 'settleLostFees': {
        const fees = (yield {
          sql: 'SELECT "id", "patronId", "amount", "outstanding", "currency", "closedAt" FROM "Fee" WHERE "itemId" = ? AND "loanId" = ? AND "type" = \'lost\' ORDER BY "id" ASC',
          params: [op.itemId, op.loanId], rows: true,
        }).rows as { id: unknown; patronId: unknown; amount: unknown; outstanding: unknown; currency: string; closedAt: unknown }[];
        for (const s of lostSettlement(fees, op.refund)) {
          if (s.writeOff) yield { sql: 'UPDATE "Fee" SET "outstanding" = ?, "closedAt" = ?, "updatedAt" = ? WHERE "id" = ?', params: ['0', op.at, now, s.feeId] };
          if (s.credit) created.credits.push(id(yield { sql: INSERT_FEE, params: [s.patronId, 'credit', s.credit, s.credit, s.currency, op.description, op.itemId, op.loanId, now, now], rows: true }));
        }
        break;
      }
    }
  }
  const entry = plan.audit(created);
  const context = who.context || entry.context ? { ...who.context, ...entry.context } : undefined;
  yield {
    sql: 'INSERT INTO "AuditEntry" ("at", "actor", "action", "entity", "entityId", "before", "after", "context") VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    params: [now, who.actor, entry.action, entry.entity, entry.entityId == null ? null : String(entry.entityId), toJson(entry.before), toJson(entry.after), toJson(context)],
  };
  return created;
}

/** SQLite: the plan synchronously; call inside SqliteSync.transaction(). */
export function applyWithSql(sql: SyncSql, plan: WritePlan, who: AuditActor, now = new Date()): Created {
  const steps = planStatements(plan, who, now);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const s = step.value;
    step = steps.next(s.rows ? rowsOf(sql.all(s.sql, s.params)) : { changes: sql.run(s.sql, s.params).changes, rows: [] });
  }
}

/** PostgreSQL: the same plan; call inside PgSql.transaction(). */
export async function applyWithPg(sql: PgQueryable, plan: WritePlan, who: AuditActor, now = new Date()): Promise<Created> {
  const steps = planStatements(plan, who, now);
  for (let step = steps.next(); ; ) {
    if (step.done) return step.value;
    const s = step.value;
    const text = numberedPlaceholders(s.sql);
    step = steps.next(s.rows ? rowsOf(await sql.all(text, s.params)) : { changes: (await sql.run(text, s.params)).changes, rows: [] });
  }
}

function rowsOf(rows: Record<string, unknown>[]): StatementResult {
  return { changes: rows.length, rows };
}
