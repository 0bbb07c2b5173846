/**
 * The library the circulation benchmarks run on: a fresh database (SQLite file in a temporary folder, or
 * a schema in CARREL_BENCH_PG_URL) with the demo library plus BENCH_ITEMS load items (barcodes
 * LOAD000000…) and BENCH_PATRONS load patrons (LP000000…), made with the `carrel` command itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '@carrel/config';
import { writeIso2709, type MarcRecord } from '@carrel/marc';

export const BENCH_ITEMS = 4000;
export const BENCH_PATRONS = 1000;
export const PG = process.env.CARREL_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const root = projectRoot();

export interface BenchLibrary {
  url: string;
  /** environment for `carrel` and the hub */
  env: Record<string, string>;
  /** a temporary folder, removed by cleanup() */
  work: string;
  cleanup(): Promise<void>;
}

export async function prepareBenchLibrary(db: string): Promise<BenchLibrary> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'carrel-bench-'));
  let url: string;
  let schema: string | undefined;
  if (db === 'postgresql') {
    schema = `carrel_bench_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.end();
    const u = new URL(PG);
    u.searchParams.set('schema', schema);
    url = u.toString();
  } else {
    url = `file:${path.join(work, 'carrel.db')}`;
  }
  const env = { DATABASE_URL: url, CARREL_PIN_HASH_COST: '1024', CARREL_CONFIG: '' };
  const data = benchData(work);
  carrel(['db', 'migrate'], env);
  carrel(['demo'], env);
  carrel(['import', 'marc', data.marc], env);
  carrel(['import', 'patrons', data.patrons], env);
  return {
    url,
    env,
    work,
    cleanup: async () => {
      if (schema) {
        const admin = new pg.Client({ connectionString: PG });
        await admin.connect().then(() => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)).catch(() => undefined);
        await admin.end().catch(() => undefined);
      }
      rmSync(work, { recursive: true, force: true });
    },
  };
}

export function loadItem(n: number): string {
  return `LOAD${String(n % BENCH_ITEMS).padStart(6, '0')}`;
}

export function loadPatron(n: number): string {
  return `LP${String(n % BENCH_PATRONS).padStart(6, '0')}`;
}

function carrel(cmd: string[], env: Record<string, string>): void {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/carrel.js'), ...cmd], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 3) throw new Error(`carrel ${cmd.join(' ')} failed: ${r.stderr || r.stdout}`);
}

function benchData(work: string): { marc: string; patrons: string } {
  const sf = (pairs: [string, string][]) => pairs.map(([code, value]) => ({ code, value }));
  const parts: Buffer[] = [];
  for (let i = 0; i < BENCH_ITEMS / 2; i++) {
    const rec: MarcRecord = {
      leader: '00000nam a2200000 a 4500',
      fields: [
        { tag: '001', value: `load${i}` },
        { tag: '245', ind1: '1', ind2: '0', subfields: sf([['a', `Load test title ${i}`]]) },
        ...[0, 1].map((k) => ({ tag: '952', ind1: ' ', ind2: ' ', subfields: sf([['a', 'MAIN'], ['b', 'MAIN'], ['c', 'STACKS'], ['o', `QA76.${i} .L${k}`], ['p', `LOAD${String(i * 2 + k).padStart(6, '0')}`], ['y', 'BOOK']]) })),
      ],
    };
    parts.push(writeIso2709(rec));
  }
  const marc = path.join(work, 'items.mrc');
  writeFileSync(marc, Buffer.concat(parts));
  const rows = ['cardnumber,surname,firstname,categorycode,branchcode,dateexpiry'];
  for (let i = 0; i < BENCH_PATRONS; i++) rows.push(`LP${String(i).padStart(6, '0')},Loadtest,Patron${i},ADULT,MAIN,2099-12-31`);
  const patrons = path.join(work, 'patrons.csv');
  writeFileSync(patrons, rows.join('\n') + '\n');
  return { marc, patrons };
}

