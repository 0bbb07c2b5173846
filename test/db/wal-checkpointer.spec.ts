import { mkdtempSync, readdirSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DbService, SqliteSyncImpl, startWalCheckpointer, walCheckpointerOf, WAL_CHECKPOINT_INTERVAL_MS } from '@carrel/db';
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
    // the worker writes the file first and then tells the event loop: wait for both
    const done = () => after > before + 1_000_000 && (walCheckpointerOf(file)?.checkpoints ?? 0) > 0;
    for (let i = 0; i < 40 && !done(); i++) {
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

  it('keeps no connection open between checkpoints (one left open after a checkpoint keeps the schema engine out)', async () => {
    const openFiles = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    }).length;
    const before = openFiles();
    const checkpoints = walCheckpointerOf(file)!.checkpoints;
    await writeRows(10);
    for (let i = 0; i < 40 && walCheckpointerOf(file)!.checkpoints === checkpoints; i++) await sleep(WAL_CHECKPOINT_INTERVAL_MS / 4);
    expect(walCheckpointerOf(file)!.checkpoints).toBeGreaterThan(checkpoints);
    await sleep(WAL_CHECKPOINT_INTERVAL_MS * 2);
    expect(openFiles()).toBe(before);
    // nothing written since: the database is left alone
    const settled = walCheckpointerOf(file)!.checkpoints;
    await sleep(WAL_CHECKPOINT_INTERVAL_MS * 3);
    expect(walCheckpointerOf(file)!.checkpoints).toBe(settled);
  });

  it('under writes that never stop, holds them a moment between two COMMITs to copy the last frames, so the WAL starts over instead of growing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-wal-'));
    const busyFile = path.join(dir, 'busy.db');
    const conn = new Database(busyFile);
    conn.pragma('journal_mode = WAL');
    conn.pragma('synchronous = NORMAL');
    conn.pragma('wal_autocheckpoint = 0');
    conn.exec('CREATE TABLE "Row" ("id" INTEGER PRIMARY KEY, "text" TEXT NOT NULL)');
    // the adapter's part, as the hub's connection has it
    const sync = new SqliteSyncImpl({
      client: conn,
      startTransaction: async () => {
        conn.prepare('BEGIN').run();
        return { commit: async () => undefined, rollback: async () => undefined };
      },
    });
    const held: number[] = [];
    const checkpointer = startWalCheckpointer(busyFile, {
      intervalMs: 20,
      resetFrames: 64,
      pauseWrites: async () => {
        const release = await sync.pauseWrites();
        const since = performance.now();
        return () => {
          held.push(performance.now() - since);
          release();
        };
      },
    });
    try {
      let written = 0;
      let largest = 0;
      // about 12 MB of rows, however long a loaded machine takes to write them
      const until = Date.now() + 60_000;
      while (written < 4000 && Date.now() < until) {
        // a COMMIT every millisecond or so, each a few pages
        await Promise.all([0, 1, 2].map(() => sync.transaction((sql) => sql.run('INSERT INTO "Row" ("text") VALUES (?)', ['x'.repeat(3000)]))));
        written += 3;
        largest = Math.max(largest, statSync(`${busyFile}-wal`).size);
        await sleep(1);
      }
      expect(checkpointer.errors).toEqual([]);
      expect(checkpointer.resets).toBeGreaterThan(0);
      // without the WAL starting over it would hold every page written (over 3 KB a row)
      expect(written).toBeGreaterThanOrEqual(4000);
      expect(written * 3000).toBeGreaterThan(3 * largest);
      // every hold ended: one small checkpoint, or at the latest the limit (WAL_PAUSE_LIMIT_MS, 200 ms; timers on a loaded machine run late)
      expect(held.length).toBeGreaterThan(0);
      expect(Math.max(...held)).toBeLessThan(1000);
      expect(conn.prepare('SELECT COUNT(*) AS n FROM "Row"').get()).toEqual({ n: written });
    } finally {
      await checkpointer.stop();
      conn.close();
    }
  });

  it('reports what it cannot do and stops cleanly', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-wal-'));
    writeFileSync(path.join(dir, 'broken.db'), 'this is not a database, but it has a WAL'.repeat(200));
    writeFileSync(path.join(dir, 'broken.db-wal'), 'x');
    const checkpointer = startWalCheckpointer(path.join(dir, 'broken.db'), { intervalMs: 20 });
    for (let i = 0; i < 50 && checkpointer.errors.length === 0; i++) await sleep(20);
    expect(checkpointer.errors[0]).toMatch(/not a database/i);
    await checkpointer.stop();
    await checkpointer.stop(); // twice is harmless
  });
});
