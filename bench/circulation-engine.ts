/**
 * The circulation engine alone, in this process, without sockets: where a checkout's and a checkin's
 * time goes. Runs checkout+checkin pairs and item information on the benchmark library and prints, per
 * operation, the time per call, and, per SQL statement (SQLite's synchronous path), how often it ran and
 * its share of the time. This is the "find the hot path" half of bench/sip2-load.
 *
 *   npm run bench:circulation-engine -- [--db sqlite|postgresql] [--pairs 5000] [--callers 1]
 *
 * With --callers N, N callers run their pairs at once (on their own items), as N kiosks would.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@carrel/audit';
import { CIRCULATION_BACKEND, CirculationModule, type CirculationBackend, type Terminal } from '@carrel/circulation';
import { ConfigModule, loadSettings } from '@carrel/config';
import { DbModule, DbService, SqliteSyncImpl, type SyncSql } from '@carrel/db';
import { percentile } from './median.js';
import { loadItem, loadPatron, prepareBenchLibrary, root } from './support/library.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const DB = args.get('db') ?? 'sqlite';
const PAIRS = Number(args.get('pairs') ?? 5000);
const CALLERS = Number(args.get('callers') ?? 1);
const terminal: Terminal = { branchCode: 'MAIN', account: 'bench', device: 'bench-1' };

const library = await prepareBenchLibrary(DB);
try {
  const settings = loadSettings({ baseDir: root, file: null, env: { ...process.env, ...library.env, CARREL_LOG_LEVEL: 'warn', CARREL_SEED_DEMO: 'false', CARREL_MIGRATE_ON_START: 'false' } });
  @Module({ imports: [ConfigModule.forRoot(settings), DbModule.forRoot({ migrate: false }), AuditModule, CirculationModule] })
  class BenchModule {}
  const app = await NestFactory.createApplicationContext(BenchModule, { logger: false });
  const engine = app.get<CirculationBackend>(CIRCULATION_BACKEND);
  const sync = app.get(DbService).sqliteSync();

  // per-statement timing on SQLite's synchronous path
  const stats = new Map<string, { n: number; ms: number }>();
  if (sync) {
    const sql = (sync as unknown as { sql: SyncSql }).sql;
    for (const m of ['all', 'get', 'run'] as const) {
      const orig = sql[m].bind(sql) as (s: string, p?: readonly unknown[]) => unknown;
      (sql as unknown as Record<string, unknown>)[m] = (s: string, p?: readonly unknown[]) => {
        const t = performance.now();
        try {
          return orig(s, p);
        } finally {
          const e = stats.get(s) ?? { n: 0, ms: 0 };
          e.n++;
          e.ms += performance.now() - t;
          stats.set(s, e);
        }
      };
    }
  }

  const at = () => new Date();
  // warm up: reference data, statement cache, JIT
  for (let i = 0; i < 200; i++) {
    await engine.checkout({ patronBarcode: loadPatron(i), itemBarcode: loadItem(i), at: at(), terminal });
    await engine.checkin({ itemBarcode: loadItem(i), at: at(), terminal });
  }
  stats.clear();
  const lat = { checkout: [] as number[], checkin: [] as number[], info: [] as number[] };
  const started = performance.now();
  const groupsBefore = sync ? { ...(sync as SqliteSyncImpl).groups } : null;
  await Promise.all(
    Array.from({ length: CALLERS }, async (_, c) => {
      for (let i = c; i < PAIRS; i += CALLERS) {
        let t = performance.now();
        const out = await engine.checkout({ patronBarcode: loadPatron(i * 7), itemBarcode: loadItem(i), at: at(), terminal });
        lat.checkout.push(performance.now() - t);
        if (!out.ok) throw new Error(`checkout refused: ${out.screenMessage}`);
        t = performance.now();
        await engine.checkin({ itemBarcode: loadItem(i), at: at(), terminal });
        lat.checkin.push(performance.now() - t);
      }
    }),
  );
  const pairSeconds = (performance.now() - started) / 1000;
  const infoStarted = performance.now();
  for (let i = 0; i < PAIRS * 2; i++) {
    const t = performance.now();
    await engine.itemInformation({ itemBarcode: loadItem(i * 13), at: at(), terminal });
    lat.info.push(performance.now() - t);
  }
  const infoSeconds = (performance.now() - infoStarted) / 1000;
  for (const l of Object.values(lat)) l.sort((a, b) => a - b);
  const line = (name: string, l: number[]) => `${name.padEnd(17)} mean ${(l.reduce((a, b) => a + b, 0) / l.length).toFixed(3)} ms, p50 ${percentile(l, 50).toFixed(3)} ms, p99 ${percentile(l, 99).toFixed(3)} ms`;
  console.log(`database: ${DB}; ${CALLERS} caller(s) at once, in process, no sockets`);
  console.log(`checkout+checkin: ${Math.round((PAIRS * 2) / pairSeconds)} transactions/s`);
  console.log(line('  checkout', lat.checkout));
  console.log(line('  checkin', lat.checkin));
  if (sync && groupsBefore) {
    const g = (sync as SqliteSyncImpl).groups;
    console.log(`  ${g.transactions - groupsBefore.transactions} write transactions in ${g.commits - groupsBefore.commits} commits`);
  }
  console.log(`item information: ${Math.round((PAIRS * 2) / infoSeconds)} requests/s`);
  console.log(line('  item info', lat.info));
  if (sync) {
    const total = [...stats.values()].reduce((a, b) => a + b.ms, 0);
    const wall = (pairSeconds + infoSeconds) * 1000;
    console.log(`SQL statements on the synchronous path: ${total.toFixed(0)} ms of ${wall.toFixed(0)} ms`);
    for (const [s, e] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
      console.log(`${((100 * e.ms) / wall).toFixed(1).padStart(5)}%  ${String(e.n).padStart(6)}×  ${((e.ms / e.n) * 1000).toFixed(0).padStart(5)} µs  ${s.replace(/\s+/g, ' ').slice(0, 150)}`);
    }
  }
  await app.close();
} finally {
  await library.cleanup();
}
process.exit(0);
