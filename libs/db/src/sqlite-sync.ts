import Database from 'better-sqlite3';

type Statement = Database.Statement;

/**
 * A value as Prisma writes (and reads back) on SQLite: dates as ISO text with `+00:00`, booleans 0/1,
 * whole numbers as INTEGER, bigints and decimals as text, everything else as it is.
 */
export function sqliteParam(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString().replace('Z', '+00:00');
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'bigint') return v.toString();
  // better-sqlite3 binds every JS number as REAL; whole numbers go as INTEGER, as Prisma binds them
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'object' && !(v instanceof Uint8Array) && typeof (v as { toFixed?: unknown }).toFixed === 'function') return String(v); // Prisma.Decimal
  return v;
}

/** Synchronous statements on the adapter's own better-sqlite3 connection. */
export interface SyncSql {
  all<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): R[];
  get<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): R | undefined;
  run(sql: string, params?: readonly unknown[]): { changes: number; lastInsertRowid: number };
}

/**
 * SQLite only: reads and whole transactions run synchronously on the SAME connection Prisma uses, under
 * the adapter's transaction mutex, so nothing else interleaves and no lock is ever held across an await
 * (a second connection in one process can deadlock: see docs/PERFORMANCE.md).
 */
export interface SqliteSync {
  /** synchronous reads; `fn` must not write */
  read<T>(fn: (sql: SyncSql) => T): T;
  /** BEGIN … `fn` (synchronous: it must not await) … COMMIT, or ROLLBACK when it throws (grouped with others asked for at once: see SqliteSyncImpl) */
  transaction<T>(fn: (sql: SyncSql) => T): Promise<T>;
}

/** The parts of Prisma's better-sqlite3 adapter used here. */
export interface SqliteAdapterLike {
  client: Database.Database;
  startTransaction(): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
}

const MAX_STATEMENTS = 500;

class Sql implements SyncSql {
  private readonly cache = new Map<string, Statement>();
  /** statements run so far (tests count them) */
  count = 0;
  onStatement: ((sql: string) => void) | null = null;

  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Statement {
    let st = this.cache.get(sql);
    if (!st) {
      // the connection's own prepare (statement-cache.ts replaces db.prepare for the adapter)
      st = (Database.prototype.prepare as (this: Database.Database, s: string) => Statement).call(this.db, sql);
      st.safeIntegers(false);
      if (this.cache.size >= MAX_STATEMENTS) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(sql, st);
    }
    this.count++;
    this.onStatement?.(sql);
    return st;
  }

  all<R>(sql: string, params: readonly unknown[] = []): R[] {
    return this.statement(sql).all(...params.map(sqliteParam)) as R[];
  }

  get<R>(sql: string, params: readonly unknown[] = []): R | undefined {
    return this.statement(sql).get(...params.map(sqliteParam)) as R | undefined;
  }

  run(sql: string, params: readonly unknown[] = []): { changes: number; lastInsertRowid: number } {
    const r = this.statement(sql).run(...params.map(sqliteParam));
    return { changes: r.changes, lastInsertRowid: Number(r.lastInsertRowid) };
  }
}

export class SqliteSyncImpl implements SqliteSync {
  readonly sql: Sql;

  constructor(private readonly adapter: SqliteAdapterLike) {
    this.sql = new Sql(adapter.client);
  }

  /** called with every statement's SQL (tests count statements with it) */
  set onStatement(fn: ((sql: string) => void) | null) {
    this.sql.onStatement = fn;
  }

  read<T>(fn: (sql: SyncSql) => T): T {
    return fn(this.sql);
  }

  /** most transactions in one COMMIT */
  static readonly MAX_GROUP = 32;
  /** least time between two COMMITs when transactions keep coming (ms) */
  static readonly MIN_COMMIT_INTERVAL_MS = 2;
  private lastCommit = -Infinity;
  private pending: { fn: (sql: SyncSql) => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] | null = null;
  /** transactions committed together, for tests and benchmarks */
  readonly groups = { commits: 0, transactions: 0 };

  /**
   * Group commit: transactions asked for close together (the same turn of the event loop, or within
   * MIN_COMMIT_INTERVAL_MS of the last COMMIT under load; at most MAX_GROUP) run one after another in
   * ONE database transaction, each inside its own savepoint, with one COMMIT for them all. A COMMIT (writing
   * the WAL, now and then a checkpoint) costs more than a checkout's statements, so with many kiosks at
   * once this is most of the difference. Each callback is still atomic: one that throws is rolled back to
   * its savepoint and only its caller sees the error. Every promise settles after the COMMIT, so no
   * caller answers a kiosk before its writes are durable; when the COMMIT itself fails, they all fail.
   */
  transaction<T>(fn: (sql: SyncSql) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.pending) {
        this.pending = [];
        // Under load, wait until MIN_COMMIT_INTERVAL_MS after the last COMMIT, gathering what arrives
        // meanwhile into the same group (as PostgreSQL's commit_delay); when idle, commit at once.
        const wait = this.lastCommit + SqliteSyncImpl.MIN_COMMIT_INTERVAL_MS - performance.now();
        if (wait >= 1) setTimeout(() => void this.flush(), wait);
        else setImmediate(() => void this.flush());
      }
      this.pending.push({ fn, resolve: resolve as (v: unknown) => void, reject });
    });
  }

  /** holds of the writes in force (pauseWrites) */
  private holds = 0;
  /** group commits started and not yet finished */
  private inFlight = 0;
  private idle: (() => void)[] = [];

  /**
   * Holds the group commits: resolves once none is running (so between two COMMITs), and until the
   * function it resolves to is called, transactions asked for wait (they are gathered as usual and go
   * out together after). The WAL checkpointer uses it to copy the last frames while nothing writes, so
   * that SQLite can start the WAL file over (wal-checkpointer.ts).
   */
  async pauseWrites(): Promise<() => void> {
    this.holds++;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0 && this.pending) setImmediate(() => void this.flush());
    };
  }

  private async flush(): Promise<void> {
    // held: the hold's release starts it again
    if (this.holds > 0 || !this.pending) return;
    this.inFlight++;
    try {
      await this.commitGroup();
    } finally {
      if (--this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private savepoints: { savepoint: Statement; release: Statement; rollbackTo: Statement } | null = null;

  /** prepared once: db.exec would parse each of them again for every transaction of a group */
  private savepointStatements(): { savepoint: Statement; release: Statement; rollbackTo: Statement } {
    if (!this.savepoints) {
      const prepare = (sql: string) => (Database.prototype.prepare as (this: Database.Database, s: string) => Statement).call(this.adapter.client, sql);
      this.savepoints = { savepoint: prepare('SAVEPOINT carrel_tx'), release: prepare('RELEASE carrel_tx'), rollbackTo: prepare('ROLLBACK TO carrel_tx') };
    }
    return this.savepoints;
  }

  private async commitGroup(): Promise<void> {
    // a bounded group: every caller in it waits for all of it, and the event loop is blocked while it runs
    const batch = this.pending!.splice(0, SqliteSyncImpl.MAX_GROUP);
    if (this.pending!.length === 0) this.pending = null;
    else setImmediate(() => void this.flush());
    let tx: Awaited<ReturnType<SqliteAdapterLike['startTransaction']>>;
    try {
      tx = await this.adapter.startTransaction(); // the adapter's mutex, then BEGIN
    } catch (e) {
      for (const b of batch) b.reject(e);
      return;
    }
    const db = this.adapter.client;
    const { savepoint, release, rollbackTo } = this.savepointStatements();
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      for (const b of batch) {
        savepoint.run();
        try {
          const value = b.fn(this.sql);
          if (value instanceof Promise) throw new Error('SqliteSync.transaction: the callback must be synchronous');
          release.run();
          outcomes.push({ ok: true, value });
        } catch (error) {
          rollbackTo.run();
          release.run();
          outcomes.push({ ok: false, error });
        }
      }
      db.exec('COMMIT');
    } catch (e) {
      try {
        if (db.inTransaction) db.exec('ROLLBACK');
      } finally {
        await tx.rollback(); // releases the mutex
      }
      for (const b of batch) b.reject(e);
      return;
    }
    this.lastCommit = performance.now();
    await tx.commit(); // releases the mutex
    this.groups.commits++;
    this.groups.transactions += batch.length;
    batch.forEach((b, i) => {
      const o = outcomes[i]!;
      if (o.ok) b.resolve(o.value);
      else b.reject(o.error);
    });
  }
}

/** the adapter each factory connected last */
const connected = new WeakMap<object, SqliteAdapterLike>();
/** the factory each client was built with */
const factoryOf = new WeakMap<object, object>();
const syncs = new WeakMap<SqliteAdapterLike, SqliteSyncImpl>();

/** called by the adapter factory when Prisma connects it */
export function rememberAdapter(factory: object, adapter: SqliteAdapterLike): void {
  connected.set(factory, adapter);
}

/** ties a client to the (caching) adapter factory it was built with */
export function attachSqliteSync(client: object, factory: object): void {
  factoryOf.set(client, factory);
}

/**
 * The client's SqliteSync, or null: PostgreSQL, a client not attached with attachSqliteSync, or one
 * that has not connected yet (run any query first).
 */
export function sqliteSyncOf(client: object): SqliteSyncImpl | null {
  const factory = factoryOf.get(client);
  const adapter = factory && connected.get(factory);
  return adapter ? sqliteSyncOfAdapter(adapter) : null;
}

/** the one SqliteSync of a connected adapter */
export function sqliteSyncOfAdapter(adapter: SqliteAdapterLike): SqliteSyncImpl {
  let sync = syncs.get(adapter);
  if (!sync) syncs.set(adapter, (sync = new SqliteSyncImpl(adapter)));
  return sync;
}
