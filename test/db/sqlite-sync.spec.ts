import { DbService, sqliteParam, sqliteSyncOf, SqliteSyncImpl, type SqliteSync } from '@carrel/db';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * SqliteSync: synchronous reads and transactions on the connection Prisma itself uses (SQLite), under
 * the adapter's transaction mutex.
 */
describe('SqliteSync (SQLite)', () => {
  let db: TestDatabase;
  let sync: SqliteSync;

  const entries = async (action: string) => db.prisma.auditEntry.findMany({ where: { action }, orderBy: { id: 'asc' } });
  const insert = 'INSERT INTO "AuditEntry" ("at", "actor", "action", "entity", "entityId") VALUES (?, ?, ?, ?, ?)';

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    const found = new DbService({ prisma: db.prisma, target: db.target }).sqliteSync();
    if (!found) throw new Error('SqliteSync expected on SQLite');
    sync = found;
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('commits, and Prisma reads back what it wrote (dates, numbers)', async () => {
    const at = new Date('2027-01-04T16:00:00.123Z');
    const r = await sync.transaction((sql) => sql.run(insert, [at, 'test', 'commit', 'Thing', 7]));
    expect(r.changes).toBe(1);
    expect(typeof r.lastInsertRowid).toBe('number');
    const [row] = await entries('commit');
    expect(row).toMatchObject({ id: r.lastInsertRowid, actor: 'test', entityId: '7' });
    expect(row.at.toISOString()).toBe(at.toISOString());
    // reads run on the same connection, with plain numbers
    const got = sync.read((sql) => sql.get<{ id: unknown; at: string }>('SELECT "id", "at" FROM "AuditEntry" WHERE "id" = ?', [r.lastInsertRowid]));
    expect(got).toEqual({ id: r.lastInsertRowid, at: '2027-01-04T16:00:00.123+00:00' });
    // Prisma's own statements keep their safe integers: its raw reads still work
    const raw = await db.prisma.$queryRawUnsafe<{ n: unknown }[]>('SELECT COUNT(*) AS "n" FROM "AuditEntry" WHERE "action" = ?', 'commit');
    expect(Number(raw[0].n)).toBe(1);
  });

  it('converts parameters as Prisma stores them', () => {
    expect(sqliteParam(new Date('2027-01-04T16:00:00Z'))).toBe('2027-01-04T16:00:00.000+00:00');
    expect(sqliteParam(true)).toBe(1);
    expect(sqliteParam(false)).toBe(0);
    expect(sqliteParam(12n)).toBe('12');
    expect(sqliteParam(7)).toBe(7n); // INTEGER, not REAL (a text column would read "7.0")
    expect(sqliteParam(2.5)).toBe(2.5);
    expect(sqliteParam(undefined)).toBeNull();
    expect(sqliteParam('2.50')).toBe('2.50');
  });

  it('rolls back when the callback throws, and releases the lock', async () => {
    await expect(
      sync.transaction((sql) => {
        sql.run(insert, [new Date(), 'test', 'rollback', 'Thing', 1]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await entries('rollback')).toHaveLength(0);
    // a failing statement rolls back as well
    // (the driver's error comes from another realm than Jest's, so compare its message)
    const failed = await sync
      .transaction((sql) => {
        sql.run(insert, [new Date(), 'test', 'rollback', 'Thing', 2]);
        sql.run('INSERT INTO "NoSuchTable" ("x") VALUES (?)', [1]);
      })
      .then(() => null, (e: unknown) => e as { message?: string });
    expect(failed?.message).toMatch(/no such table/);
    expect(await entries('rollback')).toHaveLength(0);
    // the mutex was released: both the next SqliteSync and the next Prisma transaction run
    await sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'after', 'Thing', 3]));
    await db.prisma.$transaction(async (tx) => tx.auditEntry.create({ data: { actor: 'test', action: 'after', entity: 'Thing' } }));
    expect(await entries('after')).toHaveLength(2);
  });

  it('refuses an async callback (and rolls it back)', async () => {
    await expect(
      sync.transaction(((sql: Parameters<Parameters<SqliteSync['transaction']>[0]>[0]) => {
        sql.run(insert, [new Date(), 'test', 'async', 'Thing', 1]);
        return Promise.resolve(1);
      }) as never),
    ).rejects.toThrow(/synchronous/);
    expect(await entries('async')).toHaveLength(0);
  });

  it('two concurrent transactions never interleave', async () => {
    await db.prisma.$executeRawUnsafe('CREATE TABLE "SyncCounter" ("id" INTEGER PRIMARY KEY, "n" INTEGER NOT NULL)');
    await sync.transaction((sql) => sql.run('INSERT INTO "SyncCounter" ("id", "n") VALUES (1, 0)'));
    const log: string[] = [];
    const bump = (name: string) =>
      sync.transaction((sql) => {
        log.push(`${name} begin`);
        const row = sql.get<{ n: number }>('SELECT "n" FROM "SyncCounter" WHERE "id" = ?', [1]);
        sql.run('UPDATE "SyncCounter" SET "n" = ? WHERE "id" = ?', [(row?.n ?? 0) + 1, 1]);
        log.push(`${name} end`);
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(`t${i}`)));
    expect(sync.read((sql) => sql.get<{ n: number }>('SELECT "n" FROM "SyncCounter"'))).toEqual({ n: 20 });
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i].replace('begin', 'end'));
  });

  it('runs alongside a Prisma interactive transaction that awaits between statements: no lock error, no deadlock', async () => {
    const order: string[] = [];
    const prismaTx = db.prisma.$transaction(
      async (tx) => {
        await tx.auditEntry.create({ data: { actor: 'prisma', action: 'mixed', entity: 'Thing', entityId: '1' } });
        order.push('prisma first write');
        await new Promise((resolve) => setTimeout(resolve, 100));
        await tx.auditEntry.create({ data: { actor: 'prisma', action: 'mixed', entity: 'Thing', entityId: '2' } });
        order.push('prisma commit');
      },
      { maxWait: 10_000, timeout: 10_000 },
    );
    // let the Prisma transaction take the lock first
    await new Promise((resolve) => setTimeout(resolve, 20));
    const syncTx = sync.transaction((sql) => {
      order.push('sync');
      sql.run(insert, [new Date(), 'sync', 'mixed', 'Thing', 3]);
    });
    // Prisma reads outside any transaction keep working meanwhile
    expect(await db.prisma.auditEntry.count({ where: { action: 'commit' } })).toBe(1);
    await Promise.all([prismaTx, syncTx]);
    expect(order).toEqual(['prisma first write', 'prisma commit', 'sync']);
    expect((await entries('mixed')).map((e) => e.entityId)).toEqual(['1', '2', '3']);
    // Prisma stores dates in sqliteParam's format, so the two compare as text in SQL
    const stored = sync.read((sql) => sql.all<{ at: string }>('SELECT "at" FROM "AuditEntry" WHERE "action" = ? ORDER BY "id"', ['mixed']));
    for (const r of stored) expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    // and the other way round: a Prisma transaction queued behind SqliteSync ones
    await Promise.all([
      sync.transaction((sql) => sql.run(insert, [new Date(), 'sync', 'mixed2', 'Thing', 1])),
      db.prisma.$transaction(async (tx) => {
        await tx.auditEntry.create({ data: { actor: 'prisma', action: 'mixed2', entity: 'Thing', entityId: '2' } });
        await new Promise((resolve) => setTimeout(resolve, 20));
        await tx.auditEntry.create({ data: { actor: 'prisma', action: 'mixed2', entity: 'Thing', entityId: '3' } });
      }),
      sync.transaction((sql) => sql.run(insert, [new Date(), 'sync', 'mixed2', 'Thing', 4])),
    ]);
    expect(await entries('mixed2')).toHaveLength(4);
  });

  it('commits transactions asked for at once together, each still atomic on its own', async () => {
    const impl = sync as SqliteSyncImpl;
    const before = { ...impl.groups };
    const results = await Promise.allSettled([
      sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'group-a', 'Thing', 1]).changes),
      sync.transaction((sql) => {
        sql.run(insert, [new Date(), 'test', 'group-b', 'Thing', 2]);
        throw new Error('refused');
      }),
      sync.transaction((sql) => {
        // sees the first one's row: the group runs in order
        const seen = sql.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "AuditEntry" WHERE "action" = ?', ['group-a'])!.n;
        sql.run(insert, [new Date(), 'test', 'group-c', 'Thing', seen]);
        return seen;
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused');
    expect((results[2] as PromiseFulfilledResult<number>).value).toBe(1);
    expect(await entries('group-a')).toHaveLength(1);
    expect(await entries('group-b')).toHaveLength(0);
    expect((await entries('group-c'))[0]).toMatchObject({ entityId: '1' });
    // one COMMIT for the three
    expect(impl.groups.commits - before.commits).toBe(1);
    expect(impl.groups.transactions - before.transactions).toBe(3);
  });

  it('bounds a group: many transactions at once go in several COMMITs, all of them written', async () => {
    const impl = sync as SqliteSyncImpl;
    const before = { ...impl.groups };
    const n = SqliteSyncImpl.MAX_GROUP * 2 + 5;
    await Promise.all(Array.from({ length: n }, (_, i) => sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'bounded', 'Thing', i]))));
    expect(await entries('bounded')).toHaveLength(n);
    expect(impl.groups.commits - before.commits).toBe(3);
    expect(impl.groups.transactions - before.transactions).toBe(n);
  });

  it('fails every transaction of a group whose whole transaction fails, and writes none of them', async () => {
    const results = await Promise.allSettled([
      sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'doomed-a', 'Thing', 1])),
      // ends the database transaction under the group's feet: the savepoint and the COMMIT cannot follow
      sync.transaction((sql) => sql.run('ROLLBACK')),
      sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'doomed-c', 'Thing', 3])),
    ]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(await entries('doomed-a')).toHaveLength(0);
    expect(await entries('doomed-c')).toHaveLength(0);
    // and the connection is usable again
    await sync.transaction((sql) => sql.run(insert, [new Date(), 'test', 'recovered', 'Thing', 4]));
    expect(await entries('recovered')).toHaveLength(1);
  });

  it('pauseWrites holds the group commits until released; what was asked for meanwhile goes out after, all of it', async () => {
    const impl = sync as SqliteSyncImpl;
    const release = await impl.pauseWrites();
    let done = 0;
    const asked = [1, 2, 3].map((i) => impl.transaction((sql) => sql.run(insert, [new Date(), 'test', 'held', 'Thing', i])).then(() => done++));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(0);
    expect(await entries('held')).toHaveLength(0);
    release();
    release(); // twice is harmless
    await Promise.all(asked);
    expect(done).toBe(3);
    expect((await entries('held')).map((e) => e.entityId)).toEqual(['1', '2', '3']);
  });

  it('pauseWrites asked while a group commits answers once that COMMIT is done', async () => {
    const impl = sync as SqliteSyncImpl;
    let committed = false;
    // the group starts on the next turn and waits for the adapter's mutex, held here by a Prisma transaction
    let letGo!: () => void;
    const prismaTx = db.prisma.$transaction(async () => new Promise<void>((r) => (letGo = r)));
    await new Promise((r) => setTimeout(r, 10));
    const group = impl.transaction((sql) => sql.run(insert, [new Date(), 'test', 'in-flight', 'Thing', 1])).then(() => (committed = true));
    await new Promise((r) => setImmediate(r));
    let paused = false;
    const hold = impl.pauseWrites().then((release) => {
      paused = true;
      expect(committed).toBe(true);
      return release;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(paused).toBe(false);
    letGo();
    await prismaTx;
    await group;
    (await hold)();
    expect(paused).toBe(true);
  });

  it('is null on PostgreSQL', () => {
    const pg = new DbService({ prisma: db.prisma, target: { provider: 'postgresql', connectionString: 'postgresql://x@127.0.0.1/x', schema: 'public' } as never });
    expect(pg.sqliteSync()).toBeNull();
    expect(sqliteSyncOf({})).toBeNull();
  });
});
