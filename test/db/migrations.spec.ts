import { readFileSync } from 'node:fs';
import path from 'node:path';
import { migrationStatus, parseDatabaseUrl, readSchema, schemaCreationSql, applyMigrations, type CarrelPrisma } from '@carrel/db';
import { PROVIDERS, ROOT, createTestDatabase, type TestDatabase } from '../support/databases.js';

/** The database's own description of its tables, columns, indexes and keys, in a comparable form. */
async function describeSchema(db: TestDatabase): Promise<string[]> {
  const p: CarrelPrisma = db.prisma;
  if (db.provider === 'sqlite') {
    const rows: { type: string; name: string; sql: string | null }[] = await p.$queryRawUnsafe(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_prisma_migrations%' AND type IN ('table','index') ORDER BY type, name`,
    );
    // whitespace only: a column added by ALTER TABLE is written into the stored CREATE TABLE as ' , "c" T)'
    const spacing = (sql: string) => sql.replace(/\s+/g, ' ').replace(/ ?, ?/g, ', ').replace(/\( ?/g, '( ').replace(/ ?\)/g, ' )');
    return rows.map((r) => `${r.type} ${r.name}: ${spacing(r.sql ?? '')}`);
  }
  const schema = db.target.provider === 'postgresql' ? db.target.schema : '';
  const cols: { table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }[] = await p.$queryRawUnsafe(
    `SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name <> '_prisma_migrations' ORDER BY table_name, column_name`,
    schema,
  );
  const idx: { indexname: string; indexdef: string }[] = await p.$queryRawUnsafe(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename <> '_prisma_migrations' ORDER BY indexname`,
    schema,
  );
  const fks: { conname: string; def: string }[] = await p.$queryRawUnsafe(
    `SELECT c.conname, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1 AND c.contype IN ('f','u','c') ORDER BY c.conname`,
    schema,
  );
  const strip = (s: string) => s.split(`${schema}.`).join('');
  return [
    ...cols.map((c) => `column ${c.table_name}.${c.column_name} ${c.data_type} ${c.is_nullable} ${strip(c.column_default ?? '')}`),
    ...idx.map((i) => `index ${i.indexname}: ${strip(i.indexdef)}`),
    ...fks.map((f) => `constraint ${f.conname}: ${strip(f.def)}`),
  ];
}

describe.each(PROVIDERS)('migrations [%s]', (provider) => {
  let fromMigrations: TestDatabase;
  let fromSchema: TestDatabase;

  beforeAll(async () => {
    fromMigrations = await createTestDatabase(provider, true);
    fromSchema = await createTestDatabase(provider, false);
  });
  afterAll(async () => {
    await fromMigrations?.drop();
    await fromSchema?.drop();
  });

  it('the committed migrations produce exactly the current schema (no drift)', async () => {
    const sql = await schemaCreationSql(provider, readSchema(ROOT, provider));
    expect(sql).toContain('CREATE TABLE');
    await fromSchema.prisma.$executeRawUnsafe('SELECT 1');
    for (const statement of splitSql(sql)) await fromSchema.prisma.$executeRawUnsafe(statement);
    const expected = await describeSchema(fromSchema);
    const actual = await describeSchema(fromMigrations);
    expect(expected.length).toBeGreaterThanOrEqual(25);
    expect(actual).toEqual(expected);
  });

  it('records every migration as applied and applies nothing on a second run', async () => {
    const status = await migrationStatus(ROOT, provider, fromMigrations.prisma);
    expect(status.pending).toEqual([]);
    expect(status.upToDate).toBe(true);
    expect(status.applied.length).toBeGreaterThanOrEqual(2);
    // SQLite migrations take the database exclusively, as `carrel db migrate` does with the hub stopped
    await fromMigrations.prisma.$disconnect();
    expect(await applyMigrations(ROOT, fromMigrations.target)).toEqual([]);
  });

  it('reports every migration pending on an empty database', async () => {
    const empty = await createTestDatabase(provider, false);
    try {
      const status = await migrationStatus(ROOT, provider, empty.prisma);
      expect(status.applied).toEqual([]);
      expect(status.pending.length).toBeGreaterThanOrEqual(2);
      expect(status.upToDate).toBe(false);
    } finally {
      await empty.drop();
    }
  });

  it('keeps the audit log append-only at the database level', async () => {
    const p = fromMigrations.prisma;
    const entry = await p.auditEntry.create({ data: { actor: 'test', action: 'create', entity: 'Thing', entityId: '1' } });
    await expect(p.auditEntry.update({ where: { id: entry.id }, data: { actor: 'someone else' } })).rejects.toThrow(/append-only/);
    await expect(p.auditEntry.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    expect(await p.auditEntry.count()).toBe(1);
  });
});

describe('database URL', () => {
  it('selects SQLite for file: URLs relative to the checkout and PostgreSQL for postgresql:// URLs', () => {
    expect(parseDatabaseUrl('file:./data/x.db', '/srv/carrel')).toMatchObject({ provider: 'sqlite', file: '/srv/carrel/data/x.db' });
    expect(parseDatabaseUrl('postgresql://u:p@h:5432/db?schema=lib1')).toMatchObject({ provider: 'postgresql', schema: 'lib1', connectionString: 'postgresql://u:p@h:5432/db' });
    expect(parseDatabaseUrl('postgres://h/db')).toMatchObject({ provider: 'postgresql', schema: 'public' });
  });
  it('rejects anything else with a message naming the setting', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/DATABASE_URL/);
    expect(() => parseDatabaseUrl('postgresql://h/db?schema=a;drop')).toThrow(/schema/);
    expect(() => parseDatabaseUrl('file:')).toThrow(/DATABASE_URL/);
  });
  it('creates the SQLite file and its folder on first use, in WAL mode', async () => {
    const db = await createTestDatabase('sqlite', false);
    try {
      const mode: { journal_mode: string }[] = await db.prisma.$queryRawUnsafe('PRAGMA journal_mode');
      expect(mode[0].journal_mode).toBe('wal');
    } finally {
      await db.drop();
    }
  });
});

function splitSql(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}


describe('per-provider schemas', () => {
  it.each(PROVIDERS)('prisma/%s/schema.prisma is prisma/models.prisma with its provider (run `npm run prisma:generate`)', (provider) => {
    const models = readFileSync(path.join(ROOT, 'prisma', 'models.prisma'), 'utf8');
    const schema = readSchema(ROOT, provider);
    expect(schema.endsWith(models)).toBe(true);
    expect(schema).toContain(`provider = "${provider}"`);
  });
});

describe('migrations [postgresql]: the call-number sort key compares bytewise', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('postgresql');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('whatever the database collation, so ORDER BY the key is shelf order', async () => {
    const schema = db.target.provider === 'postgresql' ? db.target.schema : '';
    const rows = await db.prisma.$queryRawUnsafe<{ collation_name: string | null }[]>(
      `SELECT collation_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'Item' AND column_name = 'callNumberSortKey'`,
      schema,
    );
    expect(rows).toEqual([{ collation_name: 'C' }]);
  });
});
