import Database from 'better-sqlite3';

type Statement = Database.Statement;

/**
 * A second, direct connection to the embedded SQLite database for bulk work (imports). Going through
 * better-sqlite3 without the Prisma layer halves the cost of each statement on the hot path.
 * Transactions on it are serialised by the writer itself (the connection is shared by callers), begin
 * IMMEDIATE so they never deadlock with Prisma's own connection, and wait for a busy database.
 */
export class SqliteWriter {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Statement>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.db = new Database(file, { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
  }

  all<R = Record<string, unknown>>(sql: string, params: unknown[] = []): R[] {
    return this.prepare(sql).all(...params) as R[];
  }

  run(sql: string, params: unknown[] = []): number {
    return this.prepare(sql).run(...params).changes;
  }

  /** Runs fn in one IMMEDIATE transaction, after any transaction already running on this writer. */
  transaction<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.queue.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const out = await fn();
        this.db.exec('COMMIT');
        return out;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }

  private prepare(sql: string): Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, st);
    }
    return st;
  }
}
