import type Database from 'better-sqlite3';

type Statement = Database.Statement;

/**
 * Prisma's better-sqlite3 adapter prepares every statement anew (`prepare(sql).bind(args)`), which
 * cost a quarter of a millisecond per query on SIP2's hot path. This keeps prepared statements by
 * their SQL and hands the adapter a fresh binding each time, so the adapter is unchanged. Every use is
 * synchronous (better-sqlite3 runs statements to completion), so one statement object can serve
 * every call.
 */
export function cacheStatements(db: Database.Database, max = 2000): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Statement;
  const cache = new Map<string, Statement>();
  const cached = (sql: string): Statement => {
    let st = cache.get(sql);
    if (!st) {
      st = prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, st);
    }
    return st;
  };
  const bound = (st: Statement, args: unknown[]) => ({
    reader: st.reader,
    run: () => st.run(...args),
    all: () => st.raw(false).all(...args),
    get: () => st.raw(false).get(...args),
    columns: () => st.columns(),
    raw: () => ({ all: () => st.raw(true).all(...args) }),
  });
  (db as unknown as { prepare: (sql: string) => unknown }).prepare = (sql: string) => {
    const st = cached(sql);
    return {
      reader: st.reader,
      run: (...args: unknown[]) => st.run(...args),
      all: (...args: unknown[]) => st.raw(false).all(...args),
      get: (...args: unknown[]) => st.raw(false).get(...args),
      columns: () => st.columns(),
      bind: (args: unknown[]) => bound(st, Array.isArray(args) ? args : [args]),
    };
  };
}
