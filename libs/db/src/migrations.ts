import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CarrelPrisma } from './client.js';
import type { DatabaseProvider, DatabaseTarget } from './database-target.js';
import { NO_FILTERS, withEngine } from './schema-engine.js';

/** Prisma's standard layout, one folder per provider: prisma/<provider>/migrations/<name>/migration.sql */
export function prismaDir(root: string, provider: DatabaseProvider): string {
  return path.join(root, 'prisma', provider);
}

export interface MigrationFolder {
  name: string;
  sql: string;
}

export function readMigrationFolders(root: string, provider: DatabaseProvider): MigrationFolder[] {
  const dir = path.join(prismaDir(root, provider), 'migrations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => ({ name: e.name, sql: readFileSync(path.join(dir, e.name, 'migration.sql'), 'utf8') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function readSchema(root: string, provider: DatabaseProvider): string {
  return readFileSync(path.join(prismaDir(root, provider), 'schema.prisma'), 'utf8');
}

/** tries before a locked database is reported */
const MIGRATE_ATTEMPTS = 3;

/** Applies every committed migration not yet applied; returns the names applied now. Safe to run twice. */
export async function applyMigrations(root: string, target: DatabaseTarget, log?: (msg: string) => void): Promise<string[]> {
  const provider = target.provider;
  const migrationsDir = path.join(prismaDir(root, provider), 'migrations');
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const folders = readMigrationFolders(root, provider);
  const apply = () => withEngine(target, readSchema(root, provider), (engine) => engine.applyMigrations({
    migrationsList: {
      baseDir: migrationsDir,
      lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
      shadowDbInitScript: '',
      migrationDirectories: folders.map((f) => ({
        path: f.name,
        migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: f.sql } },
      })),
    },
    filters: NO_FILTERS,
  }), log);
  const busy = (err: unknown) => /SocketTimeout|SQLITE_BUSY|database is locked/.test(String((err as Error)?.message));
  let out: Awaited<ReturnType<typeof apply>>;
  for (let attempt = 1; ; attempt++) {
    try {
      out = await apply();
      break;
    } catch (err) {
      if (!busy(err)) throw err;
      // a moment's lock (a WAL checkpoint, another process's short write) passes; a hub holding the file does not
      if (attempt < MIGRATE_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 250 * attempt));
        continue;
      }
      throw new Error(`cannot migrate ${target.provider === 'sqlite' ? target.file : 'the database'}: another process holds it (stop the hub; it migrates itself on start)`);
    }
  }
  return out.appliedMigrationNames;
}

export interface MigrationStatus {
  applied: string[];
  pending: string[];
  /** recorded in the database but not in this checkout: the database is newer than the code */
  unknown: string[];
  failed: string[];
  upToDate: boolean;
}

export async function migrationStatus(root: string, provider: DatabaseProvider, prisma: CarrelPrisma): Promise<MigrationStatus> {
  const folders = readMigrationFolders(root, provider).map((f) => f.name);
  let rows: { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[] = [];
  try {
    rows = await prisma.$queryRawUnsafe('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations');
  } catch {
    rows = []; // no _prisma_migrations table yet: nothing applied
  }
  const live = rows.filter((r) => r.rolled_back_at == null);
  const applied = live.filter((r) => r.finished_at != null).map((r) => r.migration_name);
  const failed = live.filter((r) => r.finished_at == null).map((r) => r.migration_name);
  const pending = folders.filter((f) => !applied.includes(f));
  const unknown = applied.filter((a) => !folders.includes(a));
  return { applied, pending, unknown, failed, upToDate: pending.length === 0 && failed.length === 0 && unknown.length === 0 };
}
