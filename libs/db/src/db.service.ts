import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { CarrelPrisma } from './client.js';
import { describeTarget, type DatabaseTarget } from './database-target.js';
import { pgSqlOf, type PgSql } from './pg-sql.js';
import { sqliteSyncOf, type SqliteSync } from './sqlite-sync.js';

export const DB_CONNECTION = Symbol('DB_CONNECTION');

export interface DbConnection {
  prisma: CarrelPrisma;
  target: DatabaseTarget;
}

/** The shared data layer: one Prisma client, whichever database is underneath. */
@Injectable()
export class DbService implements OnApplicationShutdown {
  constructor(@Inject(DB_CONNECTION) private readonly conn: DbConnection) {}

  get prisma(): CarrelPrisma {
    return this.conn.prisma;
  }

  get target(): DatabaseTarget {
    return this.conn.target;
  }

  /**
   * SQLite: synchronous reads and transactions on Prisma's own connection (see sqlite-sync.ts); null on
   * PostgreSQL, or before the client has connected.
   */
  sqliteSync(): SqliteSync | null {
    return this.conn.target.provider === 'sqlite' ? sqliteSyncOf(this.conn.prisma) : null;
  }

  /**
   * PostgreSQL: plain statements and transactions on the pool Prisma's adapter uses (see pg-sql.ts);
   * null on SQLite.
   */
  pgSql(): PgSql | null {
    return this.conn.target.provider === 'postgresql' ? pgSqlOf(this.conn.prisma) : null;
  }

  describe(): string {
    return describeTarget(this.conn.target);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.conn.prisma.$disconnect();
  }
}
