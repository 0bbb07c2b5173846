import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheStatements } from '../../libs/db/src/statement-cache.js';

describe('prepared-statement cache under the SQLite adapter', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-stmt-'));
  const db = new Database(path.join(dir, 'x.db'));
  afterAll(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the same statement for the same SQL, bound afresh each call, as the adapter uses it', () => {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    cacheStatements(db);
    const insert = 'INSERT INTO t (name) VALUES (?)';
    for (const name of ['a', 'b', 'c']) db.prepare(insert).bind([name]).run();
    const select = 'SELECT id, name FROM t WHERE name >= ? ORDER BY id';
    const q1 = db.prepare(select).bind(['b']);
    expect(q1.reader).toBe(true);
    expect(q1.columns().map((c) => c.name)).toEqual(['id', 'name']);
    expect(q1.raw().all()).toEqual([[2, 'b'], [3, 'c']]);
    // a second binding of the cached statement does not see the first one's arguments
    expect(db.prepare(select).bind(['c']).raw().all()).toEqual([[3, 'c']]);
    const d = db.prepare(insert).bind(['d']);
    expect(d.reader).toBe(false);
    d.run();
    db.prepare('BEGIN').run();
    db.prepare(insert).bind(['e']).run();
    db.prepare('ROLLBACK').run();
    expect((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(4);
  });

  it('reports SQL errors as better-sqlite3 does', () => {
    expect(() => db.prepare('SELEC nonsense')).toThrow(/syntax error/);
    expect(() => db.prepare('INSERT INTO t (id, name) VALUES (?, ?)').bind([1, 'dup']).run()).toThrow(/UNIQUE/);
  });
});
