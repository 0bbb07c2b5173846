/**
 * MARC import throughput: generates a 10,000-record ISO 2709 file (one to three Koha 952 items per
 * record), then loads it with the real import into a fresh SQLite database and a fresh PostgreSQL
 * schema, and prints records per second for each. A second load of the same file (nothing changes)
 * is timed too.
 *
 *   npm run bench:import-marc [-- RECORDS]     (PostgreSQL: CARREL_BENCH_PG_URL, default 127.0.0.1:5432/test)
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { AuditModule } from '@carrel/audit';
import { CatalogModule, MarcImportService } from '@carrel/catalog';
import { ConfigModule, loadSettings, projectRoot } from '@carrel/config';
import { applyMigrations, DbModule, parseDatabaseUrl } from '@carrel/db';
import { LibraryModule } from '@carrel/library';
import { writeIso2709, type MarcRecord } from '@carrel/marc';

const N = Number(process.argv[2] ?? 10_000);
const PG = process.env.CARREL_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function makeFile(n: number): Buffer {
  const parts: Buffer[] = [];
  let barcode = 31_000_000_000_000;
  const sf = (pairs: [string, string][]) => pairs.map(([code, value]) => ({ code, value }));
  for (let i = 1; i <= n; i++) {
    const items = 1 + (i % 3);
    const rec: MarcRecord = {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `bench${i}` },
        { tag: '003', value: 'CaRL' },
        { tag: '008', value: '240101s2024    xxu           000 0 eng d' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: sf([['a', `978030640${String(i % 10_000).padStart(4, '0')}`]]) },
        { tag: '100', ind1: '1', ind2: ' ', subfields: sf([['a', `Author ${i % 997}, Test.`]]) },
        { tag: '245', ind1: '1', ind2: '0', subfields: sf([['a', `Benchmark title number ${i} :`], ['b', 'a study of throughput /'], ['c', 'by Test Author.']]) },
        { tag: '264', ind1: ' ', ind2: '1', subfields: sf([['a', 'Centerville :'], ['b', 'Carrel Press,'], ['c', '2024.']]) },
        { tag: '650', ind1: ' ', ind2: '0', subfields: sf([['a', 'Libraries'], ['x', 'Automation.']]) },
        ...Array.from({ length: items }, () => ({
          tag: '952',
          ind1: ' ',
          ind2: ' ',
          subfields: sf([['a', 'MAIN'], ['b', 'MAIN'], ['c', 'STACKS'], ['o', `QA${76 + (i % 20)}.${i % 97} .B${i % 89} 2024`], ['p', String(barcode++)], ['y', 'BOOK'], ['g', '24.95']]),
        })),
      ],
    };
    parts.push(writeIso2709(rec));
  }
  return Buffer.concat(parts);
}

async function run(url: string, file: Buffer): Promise<{ first: number; second: number }> {
  const root = projectRoot();
  await applyMigrations(root, parseDatabaseUrl(url, root));
  const settings = loadSettings({ baseDir: root, file: null, env: { DATABASE_URL: url, CARREL_MIGRATE_ON_START: 'false' } });
  const app = await NestFactory.createApplicationContext(
    { module: class BenchModule {}, imports: [ConfigModule.forRoot(settings), DbModule.forRoot({ migrate: false }), AuditModule, LibraryModule, CatalogModule] },
    { logger: false },
  );
  try {
    const importer = app.get(MarcImportService);
    let t = process.hrtime.bigint();
    const r1 = await importer.importFile(file, { createMissing: true });
    const first = Number(process.hrtime.bigint() - t) / 1e9;
    if (r1.records.created !== N || r1.rejected.length) throw new Error(`unexpected report: ${JSON.stringify(r1.records)} ${JSON.stringify(r1.rejected.slice(0, 3))}`);
    t = process.hrtime.bigint();
    const r2 = await importer.importFile(file);
    const second = Number(process.hrtime.bigint() - t) / 1e9;
    if (r2.records.unchanged !== N) throw new Error(`second run changed something: ${JSON.stringify(r2.records)}`);
    return { first, second };
  } finally {
    await app.close();
  }
}

const file = makeFile(N);
console.log(`file: ${N} records, ${(file.length / 1e6).toFixed(1)} MB, ${Math.round(N * 2)} items`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-bench-'));
const sqlite = await run(`file:${path.join(dir, 'bench.db')}`, file);
console.log(`sqlite:     first load ${Math.round(N / sqlite.first)} records/s (${sqlite.first.toFixed(2)} s); unchanged reload ${Math.round(N / sqlite.second)} records/s`);
rmSync(dir, { recursive: true, force: true });

const schema = `carrel_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: PG });
try {
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const u = new URL(PG);
  u.searchParams.set('schema', schema);
  const postgres = await run(u.toString(), file);
  console.log(`postgresql: first load ${Math.round(N / postgres.first)} records/s (${postgres.first.toFixed(2)} s); unchanged reload ${Math.round(N / postgres.second)} records/s`);
} catch (e) {
  console.log(`postgresql: not measured (${(e as Error).message})`);
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await admin.end().catch(() => undefined);
}
process.exit(0);
