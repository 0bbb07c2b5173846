import { Test, type TestingModule } from '@nestjs/testing';
import type { DynamicModule, Type } from '@nestjs/common';
import { AuditModule } from '@carrel/audit';
import { AuthModule } from '@carrel/auth';
import { CatalogModule } from '@carrel/catalog';
import { ConfigModule, loadSettings, type CarrelSettings } from '@carrel/config';
import { DbModule } from '@carrel/db';
import { LibraryModule } from '@carrel/library';
import { PatronsModule } from '@carrel/patrons';
import { ROOT, type TestDatabase } from './databases.js';

/** Settings for a test: defaults, pointed at the test database, cheap PIN hashing, quiet logs. */
export function testSettings(db: TestDatabase, env: Record<string, string> = {}): CarrelSettings {
  return loadSettings({
    baseDir: ROOT,
    file: null,
    env: { DATABASE_URL: db.url, CARREL_MIGRATE_ON_START: 'false', CARREL_PIN_HASH_COST: '1024', CARREL_LOG_LEVEL: 'silent', CARREL_SEED_DEMO: 'false', ...env },
  });
}

/** The domain modules on a test database, as the hub and CLI wire them (without HTTP). */
export async function domainModule(db: TestDatabase, env: Record<string, string> = {}, extra: (Type | DynamicModule)[] = []): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [ConfigModule.forRoot(testSettings(db, env)), DbModule.forRoot({ migrate: false }), AuditModule, LibraryModule, PatronsModule, CatalogModule, AuthModule, ...extra],
  }).compile();
}
