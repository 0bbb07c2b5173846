import path from 'node:path';

/** Where Carrel's data lives. Derived from DATABASE_URL; everything else only sees a PrismaClient. */
export type DatabaseTarget =
  | { provider: 'sqlite'; file: string; url: string }
  | { provider: 'postgresql'; url: string; connectionString: string; schema: string };

export type DatabaseProvider = DatabaseTarget['provider'];

export const DEFAULT_DATABASE_URL = 'file:./data/carrel.db';

/**
 * `file:PATH` (relative to baseDir) selects the embedded SQLite database; `postgresql://` or
 * `postgres://` selects PostgreSQL. A `schema` query parameter on a PostgreSQL URL chooses the schema
 * (default `public`), which lets several Carrel databases share one PostgreSQL database.
 */
export function parseDatabaseUrl(url: string, baseDir = process.cwd()): DatabaseTarget {
  const trimmed = url.trim();
  if (trimmed.startsWith('file:')) {
    const rest = trimmed.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === '') throw new Error('DATABASE_URL: a file: URL needs a path, e.g. file:./data/carrel.db');
    const file = rest === ':memory:' ? rest : path.resolve(baseDir, rest);
    return { provider: 'sqlite', file, url: `file:${file}` };
  }
  if (/^postgres(ql)?:\/\//.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new Error('DATABASE_URL: not a valid PostgreSQL URL');
    }
    const schema = parsed.searchParams.get('schema') ?? 'public';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new Error(`DATABASE_URL: schema "${schema}" must be a plain SQL identifier`);
    }
    parsed.searchParams.delete('schema');
    return { provider: 'postgresql', url: trimmed, connectionString: parsed.toString(), schema };
  }
  throw new Error('DATABASE_URL: must start with file: (SQLite) or postgresql:// (PostgreSQL)');
}

/** The URL with any password masked, for logs and /health. */
export function describeTarget(target: DatabaseTarget): string {
  if (target.provider === 'sqlite') return `sqlite:${target.file}`;
  const u = new URL(target.connectionString);
  if (u.password) u.password = '***';
  return `postgresql:${u.host}${u.pathname} (schema ${target.schema})`;
}
