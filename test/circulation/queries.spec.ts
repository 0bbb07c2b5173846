import { AuditService } from '@carrel/audit';
import pg from 'pg';
import { DbService, attachPgSql, attachSqliteSync, pgSqlOf, sqliteSyncOf, type CarrelPrisma } from '@carrel/db';
import { LocalCirculationEngine } from '@carrel/circulation';
import { PrismaClient as SqliteClient } from '../../libs/db/src/generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../../libs/db/src/generated/postgresql/client.js';
import { postgresAdapter, sqliteAdapter } from '../../libs/db/src/client.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { CPL, FPL, TZ, chicago, makeItem, makePatron, seedLibrary } from './fixtures.js';

/**
 * Speed budget: the SQL statements a checkout and a checkin cost, counted on a query-logging client
 * AND on its plain-SQL access (the statements the engine runs without the ORM: SqliteSync on SQLite's
 * own connection, PgSql on the pool Prisma's PostgreSQL adapter shares): the hot path is expected to
 * run entirely on plain SQL. Reference data (rules, calendars, codes) is cached, so only the patron's
 * and the item's own rows are read, and the writes go in one transaction.
 */
describe.each(['sqlite', 'postgresql'] as const)('circulation: statements per transaction [%s]', (provider) => {
  let db: TestDatabase;
  let logged: CarrelPrisma;
  let statements: string[] = [];
  /** of those, the ones that went through Prisma (the query log) */
  let viaPrisma: string[] = [];
  const log = { emit: 'event', level: 'query' } as const;

  /** a client of the test database that logs its queries, with its plain-SQL access counting its own */
  async function loggingClient(): Promise<CarrelPrisma> {
    const count = (sql: string) => statements.push(sql);
    if (db.target.provider === 'sqlite') {
      const adapter = sqliteAdapter(db.target);
      const client = new SqliteClient({ adapter, log: [log] });
      client.$on('query', (e) => {
        count(e.query);
        viaPrisma.push(e.query);
      });
      attachSqliteSync(client, adapter);
      await client.$queryRawUnsafe('SELECT 1'); // connects the adapter
      const sync = sqliteSyncOf(client);
      if (!sync) throw new Error('SqliteSync expected on SQLite');
      sync.onStatement = count;
      return client;
    }
    const pool = new pg.Pool({ connectionString: db.target.connectionString, options: `-c search_path=${db.target.schema}`, max: 4 });
    const client = new PostgresClient({ adapter: postgresAdapter(db.target, pool), log: [log] });
    client.$on('query', (e) => {
        count(e.query);
        viaPrisma.push(e.query);
      });
    attachPgSql(client, pool);
    pgSqlOf(client)!.onStatement = count;
    return client as unknown as CarrelPrisma;
  }

  beforeAll(async () => {
    db = await createTestDatabase(provider);
    logged = await loggingClient();
  });
  afterAll(async () => {
    await logged?.$disconnect();
    await db?.drop();
  });

  it('a checkout and a checkin stay within a small, fixed number of statements', async () => {
    const lib = await seedLibrary(db.prisma);
    await db.prisma.circulationRule.create({ data: { loanPeriod: 14, finePerPeriod: '0.10' } });
    for (let i = 0; i < 3; i++) await makeItem(lib, { barcode: `Q${i}` });
    await makePatron(lib, { barcode: 'QP' });
    const dbService = new DbService({ prisma: logged, target: db.target });
    const engine = new LocalCirculationEngine(dbService, new AuditService(dbService), { timeZone: TZ });
    const at = chicago('2027-01-04T10:00:00');
    // warm the reference cache
    await engine.checkout({ patronBarcode: 'QP', itemBarcode: 'Q0', at, terminal: CPL });

    statements = [];
    viaPrisma = [];
    expect((await engine.checkout({ patronBarcode: 'QP', itemBarcode: 'Q1', at, terminal: CPL })).ok).toBe(true);
    expect(viaPrisma).toEqual([]);
    const checkout = statements.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(s.trim()));
    statements = [];
    expect((await engine.checkin({ itemBarcode: 'Q1', at: chicago('2027-02-04T10:00:00'), terminal: CPL })).fineAmount).toBe('1.70');
    expect(viaPrisma).toEqual([]);
    const checkin = statements.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(s.trim()));
    process.stdout.write(`\n[${provider}] checkout: ${checkout.length} statements\n${checkout.join('\n')}\n\ncheckin (with fine): ${checkin.length} statements\n${checkin.join('\n')}\n`);
    // reads: patron + open-loan count + fees + own hold; item + title + open loan. writes: item, loan, audit
    expect(checkout.length).toBe(5);
    // lent where it is: the item's branch (an indexed column) is not written at all
    expect(checkout.find((s) => s.startsWith('UPDATE "Item"'))).not.toMatch(/branchId/);
    // read: item + title + open loan + borrower + next hold and its patron. writes: loan, fee, item, audit
    expect(checkin.length).toBe(5);

    // a plain on-time return: one write fewer
    await engine.checkout({ patronBarcode: 'QP', itemBarcode: 'Q2', at, terminal: CPL });
    statements = [];
    expect((await engine.checkin({ itemBarcode: 'Q2', at, terminal: CPL })).ok).toBe(true);
    expect(viaPrisma).toEqual([]);
    expect(statements.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK)/i.test(s.trim()))).toHaveLength(4);
    // item information: item + title + open loan + hold queue + captured hold + transit, in one
    statements = [];
    expect((await engine.itemInformation({ itemBarcode: 'Q2', at, terminal: CPL })).found).toBe(true);
    expect(viaPrisma).toEqual([]);
    expect(statements).toHaveLength(1);

    // lent at another branch the item moves there, and checked in at home it comes back
    const item = () => db.prisma.item.findUniqueOrThrow({ where: { barcode: 'Q2' } });
    statements = [];
    expect((await engine.checkout({ patronBarcode: 'QP', itemBarcode: 'Q2', at, terminal: FPL })).ok).toBe(true);
    expect(statements.find((s) => s.startsWith('UPDATE "Item"'))).toMatch(/branchId/);
    expect(await item()).toMatchObject({ status: 'checked_out', branchId: lib.branch.FPL });
    expect((await engine.checkin({ itemBarcode: 'Q2', at, terminal: CPL })).ok).toBe(true);
    expect(await item()).toMatchObject({ status: 'available', branchId: lib.branch.CPL });
  });
});
