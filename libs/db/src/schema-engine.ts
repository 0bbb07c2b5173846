import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { postgresAdapter, sqliteAdapter } from './client.js';
import type { DatabaseProvider, DatabaseTarget } from './database-target.js';

/**
 * Prisma's schema engine, run from its WebAssembly build: the native binary that `prisma migrate`
 * downloads cannot be fetched on Carrel's machines, and the wasm engine applies the same migrations
 * through the same driver adapters, recording them in the standard `_prisma_migrations` table.
 */
let wasmReady: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = path.join(path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
    // The WebAssembly global is not in the es2023 lib typings Carrel compiles against.
    const wasm = (globalThis as unknown as { WebAssembly: { instantiate(b: Uint8Array, i: object): Promise<{ instance: { exports: unknown } }> } }).WebAssembly;
    const { instance } = await wasm.instantiate(await readFile(wasmFile), { './schema_engine_bg.js': bg });
    const exports = instance.exports as unknown as { __wbindgen_start(): void };
    (bg as unknown as { __wbg_set_wasm(e: unknown): void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

/**
 * The wasm engine connects its adapter even for a diff between two datamodels, so PostgreSQL diffs need
 * a server to talk to; nothing is written to it.
 */
function scratchPostgres(): DatabaseTarget {
  const url = process.env.CARREL_SCRATCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
  return { provider: 'postgresql', url, connectionString: url, schema: 'public' };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

export interface OpenEngine {
  engine: SchemaEngine;
  /** closes every connection the engine opened: it keeps them otherwise, and SQLite stays locked */
  close(): Promise<void>;
}

type AdapterFactory = ReturnType<typeof sqliteAdapter> | ReturnType<typeof postgresAdapter>;
type Disposable = { dispose(): Promise<void> };

export async function openSchemaEngine(target: DatabaseTarget, schemaText: string, log: (msg: string) => void = () => {}): Promise<OpenEngine> {
  await loadWasm();
  const Engine = (bg as unknown as { SchemaEngine: typeof SchemaEngine }).SchemaEngine;
  // the migration engine gets the adapter as shipped: it runs each statement once
  const factory: AdapterFactory = target.provider === 'sqlite' ? sqliteAdapter(target, false) : postgresAdapter(target);
  const opened: Disposable[] = [];
  const tracking = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  } as unknown as AdapterFactory;
  const engine = await Engine.new({ datamodels: [['schema.prisma', schemaText]] }, log, bindMigrationAwareSqlAdapterFactory(tracking));
  return {
    engine,
    close: async () => {
      await Promise.all(opened.splice(0).map((a) => a.dispose().catch(() => undefined)));
      engine.free();
    },
  };
}

async function withEngine<T>(target: DatabaseTarget, schemaText: string, fn: (engine: SchemaEngine) => Promise<T>, log?: (msg: string) => void): Promise<T> {
  const open = await openSchemaEngine(target, schemaText, log);
  try {
    return await fn(open.engine);
  } finally {
    await open.close();
  }
}
export { withEngine };

/** The SQL that creates the whole current schema from nothing: no database is touched. */
export async function schemaCreationSql(provider: DatabaseProvider, schemaText: string): Promise<string> {
  const target: DatabaseTarget =
    provider === 'sqlite'
      ? { provider, file: ':memory:', url: 'file::memory:' }
      : scratchPostgres();
  const result = await withEngine(target, schemaText, (engine) => engine.diff({
    from: { tag: 'empty' },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schemaText }] },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  }));
  return result.stdout ?? '';
}

/** SQL that takes a database from one version of the models to another (for new migrations). */
export async function schemaChangeSql(provider: DatabaseProvider, fromSchema: string, toSchema: string): Promise<string> {
  const target: DatabaseTarget =
    provider === 'sqlite'
      ? { provider, file: ':memory:', url: 'file::memory:' }
      : scratchPostgres();
  const result = await withEngine(target, toSchema, (engine) => engine.diff({
    from: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: fromSchema }] },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: toSchema }] },
    script: true,
    exitCode: null,
    filters: NO_FILTERS,
  }));
  return result.stdout ?? '';
}
