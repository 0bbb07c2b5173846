import pg from 'pg';

/**
 * A value as Prisma's pg adapter sends it. Prisma keeps DateTime on PostgreSQL in `timestamp(3)`
 * WITHOUT time zone, holding UTC: a date goes as UTC text (pg's own conversion would send local time
 * with an offset, which such a column ignores). Bigints and decimals go as text.
 */
export function pgParam(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v) && typeof (v as { toFixed?: unknown }).toFixed === 'function') return String(v); // Prisma.Decimal
  return v;
}

const TIMESTAMP = 1114;

/**
 * What plain reads give back: `timestamp` columns as the UTC instants Prisma wrote (pg's own parser
 * would read them as local time); everything else as pg reads it (numeric and bigint as text).
 * Given per query, so the pool Prisma shares keeps its own parsers.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP && format !== 'binary' ? (v: string) => new Date(`${v.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** `?` placeholders (SQLite's) as `$1`, `$2` … (PostgreSQL's). Statement texts are Carrel's own, with no `?` in a literal. */
export function numberedPlaceholders(sql: string): string {
  let out = numbered.get(sql);
  if (out === undefined) {
    let n = 0;
    out = sql.replace(/\?/g, () => `$${++n}`);
    if (numbered.size < MAX_PREPARED) numbered.set(sql, out);
  }
  return out;
}
const numbered = new Map<string, string>();

/** Plain statements on a PostgreSQL connection, `$1` … placeholders, values as pgParam converts them. */
export interface PgQueryable {
  all<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  get<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R | undefined>;
  run(sql: string, params?: readonly unknown[]): Promise<{ changes: number }>;
}

/**
 * PostgreSQL only: plain statements on the pool Prisma's adapter uses, without the ORM (SIP2's hot
 * path: through Prisma's client a checkout cost several milliseconds of CPU). See createPrismaClient.
 */
export interface PgSql extends PgQueryable {
  /**
   * BEGIN … `fn` … COMMIT on one connection, or ROLLBACK when `fn` throws (the error goes to the caller).
   * A deadlock or serialization failure reruns `fn` from the start (at most MAX_ATTEMPTS times), so
   * `fn` must not act outside the database before it returns.
   */
  transaction<T>(fn: (sql: PgQueryable) => Promise<T>): Promise<T>;
}

/** SQLSTATEs after which the whole transaction can simply be tried again */
const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/** most distinct statement texts kept prepared (per connection, by name) */
const MAX_PREPARED = 500;

/** what every Queryable of one PgSql shares */
interface Shared {
  /** statement text → its prepared statement's name */
  names: Map<string, string>;
  /** called with every statement's SQL (tests count statements with it) */
  onStatement: ((sql: string) => void) | null;
}

class Queryable implements PgQueryable {
  constructor(
    private readonly client: pg.Pool | pg.PoolClient,
    protected readonly shared: Shared,
  ) {}

  /**
   * Named, so each connection parses and plans a statement once (pg keeps it prepared by its name);
   * past MAX_PREPARED texts, unnamed.
   */
  private async query(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    const { names } = this.shared;
    let name = names.get(sql);
    if (name === undefined && names.size < MAX_PREPARED) names.set(sql, (name = `carrel_${names.size}`));
    this.shared.onStatement?.(sql);
    return this.client.query({ name, text: sql, values: params.map(pgParam), types });
  }

  async all<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    return (await this.query(sql, params)).rows as R[];
  }

  async get<R>(sql: string, params: readonly unknown[] = []): Promise<R | undefined> {
    return (await this.query(sql, params)).rows[0] as R | undefined;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }
}

export class PgSqlImpl extends Queryable implements PgSql {
  static readonly MAX_ATTEMPTS = 3;
  /** transactions tried again after a deadlock or serialization failure (tests, benchmarks) */
  retries = 0;

  constructor(private readonly pool: pg.Pool) {
    super(pool, { names: new Map(), onStatement: null });
  }

  /** called with every statement's SQL, BEGIN/COMMIT/ROLLBACK included (tests count statements with it) */
  set onStatement(fn: ((sql: string) => void) | null) {
    this.shared.onStatement = fn;
  }

  private async control(client: pg.PoolClient, sql: 'BEGIN' | 'COMMIT' | 'ROLLBACK'): Promise<void> {
    this.shared.onStatement?.(sql);
    await client.query(sql);
  }

  async transaction<T>(fn: (sql: PgQueryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await this.control(client, 'BEGIN');
        const value = await fn(new Queryable(client, this.shared));
        await this.control(client, 'COMMIT');
        return value;
      } catch (e) {
        try {
          await this.control(client, 'ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError as Error; // the connection is gone: release(broken) drops it from the pool
        }
        const code = (e as { code?: unknown }).code;
        if (broken || attempt >= PgSqlImpl.MAX_ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
        this.retries++;
      } finally {
        client.release(broken);
      }
    }
  }
}

/** the PgSql of each client createPrismaClient made for PostgreSQL */
const pgSqls = new WeakMap<object, PgSqlImpl>();

export function attachPgSql(client: object, pool: pg.Pool): void {
  pgSqls.set(client, new PgSqlImpl(pool));
}

/** The client's PgSql, or null (SQLite, or a client not made by createPrismaClient). */
export function pgSqlOf(client: object): PgSqlImpl | null {
  return pgSqls.get(client) ?? null;
}
