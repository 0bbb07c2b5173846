import { DbService, PgSqlImpl, numberedPlaceholders, pgParam, pgSqlOf, type PgSql } from '@carrel/db';
import { Refusal, applyWithPg } from '../../libs/circulation/src/writes.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * PgSql: plain statements and transactions on the pool Prisma's PostgreSQL adapter uses. What it
 * writes must read back through Prisma exactly as Prisma's own writes do (dates, decimals).
 */
describe('PgSql (PostgreSQL)', () => {
  let db: TestDatabase;
  let pg: PgSql;

  const entries = async (action: string) => db.prisma.auditEntry.findMany({ where: { action }, orderBy: { id: 'asc' } });
  const insert = 'INSERT INTO "AuditEntry" ("at", "actor", "action", "entity", "entityId") VALUES ($1, $2, $3, $4, $5) RETURNING "id"';

  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
    const found = new DbService({ prisma: db.prisma, target: db.target }).pgSql();
    if (!found) throw new Error('PgSql expected on PostgreSQL');
    pg = found;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('commits, and Prisma reads back the same instant it wrote', async () => {
    const at = new Date('2027-01-04T16:00:00.123Z');
    const row = await pg.transaction((sql) => sql.get<{ id: number }>(insert, [at, 'test', 'commit', 'Thing', '7']));
    const [stored] = await entries('commit');
    expect(stored).toMatchObject({ id: row!.id, actor: 'test', entityId: '7' });
    expect(stored.at.toISOString()).toBe(at.toISOString());
    // and the other way round: a date Prisma wrote reads back identically here, and compares in SQL
    const created = await db.prisma.auditEntry.create({ data: { at, actor: 'prisma', action: 'by-prisma', entity: 'Thing' } });
    const got = await pg.get<{ at: Date }>('SELECT "at" FROM "AuditEntry" WHERE "id" = $1 AND "at" = $2', [created.id, at]);
    expect(got?.at.toISOString()).toBe(at.toISOString());
    expect(await pg.all('SELECT "id" FROM "AuditEntry" WHERE "at" > $1', [at])).toEqual([]);
  });

  it('writes decimals as Prisma reads them, and reads Prisma\'s as exact text', async () => {
    const inst = await db.prisma.institution.create({ data: { code: 'MAIN', name: 'Test' } });
    const branch = await db.prisma.branch.create({ data: { code: 'CPL', name: 'CPL', institutionId: inst.id } });
    const category = await db.prisma.patronCategory.create({ data: { code: 'ADULT', name: 'Adult' } });
    const patron = await db.prisma.patron.create({ data: { barcode: 'P1', surname: 'Doe', categoryId: category.id, homeBranchId: branch.id } });
    const now = new Date('2027-01-04T16:00:00Z');
    const fee = await pg.get<{ id: number }>(
      'INSERT INTO "Fee" ("patronId", "type", "amount", "outstanding", "currency", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING "id"',
      [patron.id, 'overdue', '2.50', '-0.10', 'USD', now, now],
    );
    const viaPrisma = await db.prisma.fee.findUniqueOrThrow({ where: { id: fee!.id } });
    expect(viaPrisma.amount.toFixed(2)).toBe('2.50');
    expect(viaPrisma.outstanding.toFixed(2)).toBe('-0.10');
    expect(viaPrisma.createdAt.toISOString()).toBe(now.toISOString());
    const byPrisma = await db.prisma.fee.create({ data: { patronId: patron.id, type: 'lost', amount: '12.34', outstanding: '12.34' } });
    const text = await pg.get<{ amount: string }>('SELECT "amount" FROM "Fee" WHERE "id" = $1', [byPrisma.id]);
    expect(Number(text?.amount)).toBe(12.34);
    expect(text?.amount).toMatch(/^12\.340*$/);
  });

  it('converts parameters as Prisma\'s adapter sends them', () => {
    expect(pgParam(new Date('2027-01-04T16:00:00.5Z'))).toBe('2027-01-04 16:00:00.500');
    expect(pgParam(12n)).toBe('12');
    expect(pgParam(undefined)).toBeNull();
    expect(pgParam({ toFixed: () => '1.00', toString: () => '1' })).toBe('1');
    expect(pgParam([1, 2])).toEqual([1, 2]);
    expect(numberedPlaceholders('UPDATE "T" SET "a" = ?, "b" = ? WHERE "id" IN (?, ?)')).toBe('UPDATE "T" SET "a" = $1, "b" = $2 WHERE "id" IN ($3, $4)');
  });

  it('rolls back when the callback throws, and the connection goes back to the pool', async () => {
    await expect(
      pg.transaction(async (sql) => {
        await sql.run(insert, [new Date(), 'test', 'rollback', 'Thing', '1']);
        throw new Refusal('refused');
      }),
    ).rejects.toBeInstanceOf(Refusal);
    expect(await entries('rollback')).toHaveLength(0);
    // a failing statement rolls back as well
    await expect(
      pg.transaction(async (sql) => {
        await sql.run(insert, [new Date(), 'test', 'rollback', 'Thing', '2']);
        await sql.run('INSERT INTO "NoSuchTable" ("x") VALUES ($1)', [1]);
      }),
    ).rejects.toThrow(/NoSuchTable/);
    expect(await entries('rollback')).toHaveLength(0);
    // more transactions than the pool has connections: none was left checked out
    await Promise.all(Array.from({ length: 25 }, (_, i) => pg.transaction((sql) => sql.run(insert, [new Date(), 'test', 'after', 'Thing', String(i)]))));
    expect(await entries('after')).toHaveLength(25);
  });

  it('a circulation plan refused halfway writes nothing', async () => {
    const [patron] = await db.prisma.patron.findMany({ take: 1 });
    const rec = await db.prisma.bibRecord.create({ data: { title: 'T', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from('T'), contentHash: 'h1' } });
    const item = await db.prisma.item.create({ data: { barcode: 'I1', recordId: rec.id, homeBranchId: patron.homeBranchId, branchId: patron.homeBranchId, status: 'available' } });
    const at = new Date('2027-01-04T16:00:00Z');
    const plan = {
      ops: [
        { kind: 'moveItem' as const, id: item.id, from: 'available', status: 'checked_out', refusal: 'moved' },
        { kind: 'createLoan' as const, itemId: item.id, patronId: patron.id, branchCode: 'CPL', checkedOutAt: at, dueAt: at, checkoutBy: null },
        // renewals do not match: refused after two writes
        { kind: 'renewLoan' as const, id: -1, renewals: 0, dueAt: at, refusal: 'This loan was just changed.' },
      ],
      audit: () => ({ action: 'plan', entity: 'Item', entityId: item.id }),
    };
    await expect(pg.transaction((sql) => applyWithPg(sql, plan, { actor: 'test' }, at))).rejects.toThrow('This loan was just changed.');
    expect((await db.prisma.item.findUniqueOrThrow({ where: { id: item.id } })).status).toBe('available');
    expect(await db.prisma.loan.count({ where: { itemId: item.id } })).toBe(0);
    expect(await entries('plan')).toHaveLength(0);
    // without the refused op the same plan commits, with Prisma's formats throughout
    const created = await pg.transaction((sql) => applyWithPg(sql, { ...plan, ops: plan.ops.slice(0, 2) }, { actor: 'test' }, at));
    const loan = await db.prisma.loan.findUniqueOrThrow({ where: { id: created.loan! } });
    expect(loan).toMatchObject({ itemId: item.id, patronId: patron.id, renewals: 0, returnedAt: null });
    expect([loan.checkedOutAt, loan.dueAt, loan.createdAt, loan.updatedAt].map((d) => d.toISOString())).toEqual(Array(4).fill(at.toISOString()));
    expect((await entries('plan'))[0]).toMatchObject({ actor: 'test', entity: 'Item', entityId: String(item.id), at });
  });

  it('runs a deadlocked transaction again, and both commit once', async () => {
    await pg.run('CREATE TABLE "PgCounter" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL)');
    await pg.run('INSERT INTO "PgCounter" ("id", "n") VALUES (1, 0), (2, 0)');
    const impl = pg as PgSqlImpl;
    const retries = impl.retries;
    // each takes one row, waits until the other has its row too, then asks for the other's: PostgreSQL
    // finds the deadlock and aborts one of them, which runs again once the other has committed
    let arrived = 0;
    let release!: () => void;
    const bothHoldARow = new Promise<void>((resolve) => (release = resolve));
    const attempts = { a: 0, b: 0 };
    const bump = (name: 'a' | 'b', first: number, second: number) =>
      pg.transaction(async (sql) => {
        attempts[name]++;
        await sql.run('UPDATE "PgCounter" SET "n" = "n" + 1 WHERE "id" = $1', [first]);
        if (attempts[name] === 1) {
          if (++arrived === 2) release();
          await bothHoldARow;
        }
        await sql.run('UPDATE "PgCounter" SET "n" = "n" + 1 WHERE "id" = $1', [second]);
      });
    await Promise.all([bump('a', 1, 2), bump('b', 2, 1)]);
    expect(attempts.a + attempts.b).toBe(3);
    expect(impl.retries - retries).toBe(1);
    expect(await pg.all('SELECT "id", "n" FROM "PgCounter" ORDER BY "id"')).toEqual([{ id: 1, n: 2 }, { id: 2, n: 2 }]);
  });

  it('gives up after MAX_ATTEMPTS serialization failures, and other errors are not retried', async () => {
    let tries = 0;
    const serialization = Object.assign(new Error('could not serialize access'), { code: '40001' });
    await expect(
      pg.transaction(async (sql) => {
        tries++;
        await sql.run(insert, [new Date(), 'test', 'serial', 'Thing', String(tries)]);
        throw serialization;
      }),
    ).rejects.toBe(serialization);
    expect(tries).toBe(PgSqlImpl.MAX_ATTEMPTS);
    expect(await entries('serial')).toHaveLength(0);
    tries = 0;
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(
      pg.transaction(async () => {
        tries++;
        throw unique;
      }),
    ).rejects.toBe(unique);
    expect(tries).toBe(1);
  });

  it('is null on SQLite and for a client createPrismaClient did not make', () => {
    const sqlite = new DbService({ prisma: db.prisma, target: { provider: 'sqlite', file: ':memory:', url: 'file::memory:' } });
    expect(sqlite.pgSql()).toBeNull();
    expect(pgSqlOf({})).toBeNull();
  });
});
