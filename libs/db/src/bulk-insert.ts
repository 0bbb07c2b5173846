import type { CarrelPrisma } from './client.js';
import type { DatabaseProvider } from './database-target.js';

type Client = Pick<CarrelPrisma, '$executeRawUnsafe' | '$queryRawUnsafe'>;

/**
 * Inserts many rows with multi-row INSERT statements. Prisma 7's createMany costs about a
 * quarter of a millisecond per row through the driver adapters, which made bulk imports crawl;
 * this writes the same values in the same formats Prisma reads back (SQLite: ISO timestamps with
 * `+00:00`, booleans as 0/1; PostgreSQL: native types) at a small fraction of the cost.
 * Table and column names are Carrel's own model names, never user input.
 */
export async function insertRows<R extends Record<string, unknown> = Record<string, unknown>>(
  client: Client,
  provider: DatabaseProvider,
  table: string,
  rows: Record<string, unknown>[],
  returning: string[] = [],
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  for (const name of [table, ...columns, ...returning]) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`insertRows: "${name}" is not a plain identifier`);
  }
  // Prisma's raw-query path slows down with very long parameter lists; a few thousand per statement is the sweet spot.
  const perStatement = Math.max(1, Math.floor(4_000 / columns.length));
  const head = `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES `;
  const tail = returning.length ? ` RETURNING ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  const out: R[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of batch) {
      const marks: string[] = [];
      for (const c of columns) {
        params.push(toParam(row[c], provider));
        marks.push(provider === 'sqlite' ? '?' : `$${params.length}`);
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    const sql = head + tuples.join(', ') + tail;
    if (returning.length) out.push(...((await client.$queryRawUnsafe(sql, ...params)) as R[]));
    else await client.$executeRawUnsafe(sql, ...params);
  }
  return out;
}

function toParam(v: unknown, provider: DatabaseProvider): unknown {
  if (v === undefined) return null;
  if (v instanceof Date) return provider === 'sqlite' ? v.toISOString().replace('Z', '+00:00') : v;
  if (typeof v === 'boolean') return provider === 'sqlite' ? (v ? 1 : 0) : v;
  if (v instanceof Uint8Array && !Buffer.isBuffer(v)) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return v;
}
