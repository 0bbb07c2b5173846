import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CARREL_SETTINGS, projectRoot, type CarrelSettings } from '@carrel/config';
import { createPrismaClient } from './client.js';
import { parseDatabaseUrl } from './database-target.js';
import { DB_CONNECTION, DbService, type DbConnection } from './db.service.js';
import { applyMigrations } from './migrations.js';

@Global()
@Module({})
export class DbModule {
  /** Connects to the configured database and, when configured, brings its schema up to date first. */
  static forRoot(opts: { migrate?: boolean } = {}): DynamicModule {
    return {
      module: DbModule,
      providers: [
        {
          provide: DB_CONNECTION,
          inject: [CARREL_SETTINGS],
          useFactory: async (settings: CarrelSettings): Promise<DbConnection> => {
            const target = parseDatabaseUrl(settings['database.url'], projectRoot());
            if (opts.migrate ?? settings['database.migrateOnStart']) await applyMigrations(projectRoot(), target);
            return { prisma: await createPrismaClient(target), target };
          },
        },
        DbService,
      ],
      exports: [DbService],
    };
  }
}
