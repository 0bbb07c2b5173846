import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { DbService, startWalCheckpointer, walCheckpointerOf, WAL_CHECKPOINT_INTERVAL_MS } from '@carrel/db';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const insert = 'INSERT INTO "AuditEntry" ("at", "actor", "action", "entity", "entityId") VALUES (?, ?, ?, ?, ?)';

/** Checkpoints of SQLite's WAL run in a worker thread, never inside a COMMIT on the event loop. */
describe('WAL checkpoints off the event loop (SQLite)', () => {
  let db: TestDatabase;
  let file: string;

  beforeAll(async () => {
    db = await createTestDatabase('sqlite');
    file = (db.target as { file: string }).file;
  });
  afterAll(async () => {
    await db?.drop();
  });

  const writeRows = async (n: number) => {
    const sync = new DbService({ prisma: db.prisma, target: db.target }).sqliteSync()!;
    await sync.transaction((sql) => {
      for (let i = 0; i < n; i++) sql.run(insert, [new Date(), 'test', 'wal', 'Thing'.padEnd(400, '.'), i]);
    });
  };

  it('the hub\'s connection never checkpoints by itself', async () => {
    const rows = await db.prisma.$queryRawUnsafe<{ wal_autocheckpoint: unknown }[]>('PRAGMA wal_autocheckpoint');
    expect(Number(rows[0]!.wal_autocheckpoint)).toBe(0);
  });

  it('the worker copies committed pages into the database file within a few intervals', async () => {
    const before = statSync(file).size;
    await writeRows(3000); // ~1.3 MB of WAL
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
    let after = before;
    for (let i = 0; i < 40 && after <= before + 1_000_000; i++) {
      await sleep(WAL_CHECKPOINT_INTERVAL_MS);
      after = statSync(file).size;
    }
    expect(walCheckpointerOf(file)?.errors).toEqual([]);
    expect(walCheckpointerOf(file)?.checkpoints).toBeGreaterThan(0);
    expect(after).toBeGreaterThan(before + 1_000_000);
    // and the rows are all there, read by another connection from the database file
    const other = new Database(file, { readonly: true });
    try {
      expect(other.prepare('SELECT COUNT(*) AS n FROM "AuditEntry" WHERE "action" = \'wal\'').get()).toEqual({ n: 3000 });
    } finally {
      other.close();
    }
  });

  it('reports what it cannot do and stops cleanly', async () => {
    const checkpointer = startWalCheckpointer('/nonexistent/carrel.db', 20);
    for (let i = 0; i < 50 && checkpointer.errors.length === 0; i++) await sleep(20);
    expect(checkpointer.errors[0]).toMatch(/unable to open|does not exist|directory/i);
    await checkpointer.stop();
    await checkpointer.stop(); // twice is harmless
  });
});
