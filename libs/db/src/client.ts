import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type Database from 'better-sqlite3';
import pg from 'pg';
import { cacheStatements } from './statement-cache.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import { attachSqliteSync, rememberAdapter, sqliteSyncOfAdapter, type SqliteAdapterLike } from './sqlite-sync.js';
import { attachPgSql } from './pg-sql.js';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import type { DatabaseTarget } from './database-target.js';

/**
 * The one client type the rest of Carrel sees. Both generated clients come from the same models, so
 * their APIs are identical; the SQLite one's type stands for both.
 */
export type CarrelPrisma = SqliteClient;
export { Prisma } from './generated/sqlite/client.js';
export type { AuditEntry, BibIdentifier, BibRecord, Branch, Institution, Item, ItemType, Patron, PatronCategory, ShelvingLocation, StaffToken } from './generated/sqlite/client.js';

/** The adapter with prepared statements kept between queries (see statement-cache.ts). */
class CachingBetterSqlite3 extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    const db = (adapter as unknown as { client: Database.Database }).client;
    cacheStatements(db);
    // kept for SqliteSync (sqlite-sync.ts): synchronous statements on this same connection
    rememberAdapter(this, adapter as unknown as SqliteAdapterLike);
    if (!db.memory) {
      // checkpoints in a worker thread, never inside a COMMIT on the event loop (wal-checkpointer.ts)
      db.pragma('wal_autocheckpoint = 0');
      const checkpointer = startWalCheckpointer(db.name, { pauseWrites: () => sqliteSyncOfAdapter(adapter as unknown as SqliteAdapterLike).pauseWrites() });
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await checkpointer.stop();
        return dispose();
      };
    }
    return adapter;
  }
}

export function sqliteAdapter(target: Extract<DatabaseTarget, { provider: 'sqlite' }>, cache = true): PrismaBetterSqlite3 {
  if (target.file !== ':memory:') mkdirSync(path.dirname(target.file), { recursive: true });
  const Factory = cache ? CachingBetterSqlite3 : PrismaBetterSqlite3;
  return new Factory({ url: target.file === ':memory:' ? ':memory:' : `file:${target.file}`, timeout: 10_000 });
}

/** at most this many connections to PostgreSQL, shared by Prisma and the plain statements (pg-sql.ts) */
const PG_POOL_SIZE = 10;

/**
 * The adapter on `pool` when given (it ends the pool when the client disconnects), else on a pool of
 * its own.
 */
export function postgresAdapter(target: Extract<DatabaseTarget, { provider: 'postgresql' }>, pool?: pg.Pool): PrismaPg {
  if (pool) return new PrismaPg(pool, { schema: target.schema, disposeExternalPool: true });
  return new PrismaPg(postgresPoolConfig(target), { schema: target.schema });
}

function postgresPoolConfig(target: Extract<DatabaseTarget, { provider: 'postgresql' }>): pg.PoolConfig {
  return { connectionString: target.connectionString, options: `-c search_path=${target.schema}`, max: PG_POOL_SIZE };
}

export async function createPrismaClient(target: DatabaseTarget): Promise<CarrelPrisma> {
  if (target.provider === 'sqlite') {
    const adapter = sqliteAdapter(target);
    const client = new SqliteClient({ adapter });
    attachSqliteSync(client, adapter);
    // WAL lets the hub serve reads while an import writes; NORMAL sync is safe under WAL.
    await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await client.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    await client.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    return client;
  }
  // ONE pool for Prisma and for the plain statements of the hot path (DbService.pgSql())
  const pool = new pg.Pool(postgresPoolConfig(target));
  const client = new PostgresClient({ adapter: postgresAdapter(target, pool) });
  attachPgSql(client, pool);
  await client.$connect();
  return client as unknown as CarrelPrisma;
}
