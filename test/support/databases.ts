import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations, createPrismaClient, parseDatabaseUrl, type CarrelPrisma, type DatabaseTarget } from '@carrel/db';

/**
 * Every data-layer test runs on both databases: a fresh SQLite file, and a fresh schema in the
 * PostgreSQL server on 127.0.0.1:5432 (database `test`; CARREL_TEST_PG_URL to point elsewhere).
 */
export const TEST_PG_URL = process.env.CARREL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const ROOT = process.cwd();

export interface TestDatabase {
  provider: DatabaseTarget['provider'];
  url: string;
  target: DatabaseTarget;
  prisma: CarrelPrisma;
  drop(): Promise<void>;
}

let counter = 0;

/** A new, empty, migrated database of the given kind. */
export async function createTestDatabase(provider: DatabaseTarget['provider'], migrate = true): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (provider === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-test-'));
    url = `file:${path.join(dir, 'carrel.db')}`;
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const schema = `carrel_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
    await pgAdmin(`CREATE SCHEMA "${schema}"`);
    const u = new URL(TEST_PG_URL);
    u.searchParams.set('schema', schema);
    url = u.toString();
    cleanup = () => pgAdmin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  const target = parseDatabaseUrl(url, ROOT);
  if (migrate) await applyMigrations(ROOT, target);
  const prisma = await createPrismaClient(target);
  return {
    provider,
    url,
    target,
    prisma,
    drop: async () => {
      await prisma.$disconnect();
      await cleanup();
    },
  };
}

export async function pgAdmin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const PROVIDERS: DatabaseTarget['provider'][] = ['sqlite', 'postgresql'];

/** describe() once per database, with a fresh migrated database for the block. */
export function describeEachDatabase(name: string, body: (db: () => TestDatabase) => void): void {
  describe.each(PROVIDERS)(`${name} [%s]`, (provider) => {
    let current: TestDatabase | undefined;
    beforeAll(async () => {
      current = await createTestDatabase(provider);
    });
    afterAll(async () => {
      await current?.drop();
    });
    body(() => {
      if (!current) throw new Error('test database not ready');
      return current;
    });
  });
}
