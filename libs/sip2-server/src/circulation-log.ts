import { Inject, Injectable, Optional } from '@nestjs/common';
import { DbService, insertRows, insertRowsPg, insertRowsSync } from '@carrel/db';
import { messageDef } from '@carrel/sip2';

/** One SIP transaction as written to the circulation log. Frames are already masked. */
export interface CirculationLogRecord {
  at: Date;
  account: string | null;
  device: string | null;
  clientAddr: string | null;
  messageId: string;
  request: string;
  response: string | null;
  outcome: string;
  ms: number | null;
}

/** Where the server sends its transactions; the database writer below, or a test double. */
export interface CirculationLogSink {
  record(entry: CirculationLogRecord): void;
  flush(): Promise<void>;
}

export const SIP2_CIRCULATION_LOG = Symbol('SIP2_CIRCULATION_LOG');

/** Field values never stored: patron PIN (AD), its validity (CQ), login password (CO), terminal password (AC). */
export const MASKED_FIELDS: ReadonlySet<string> = new Set(['AD', 'CQ', 'CO', 'AC']);
export const MASK = '***';

/**
 * The frame text with the values of AD, CQ, CO and AC replaced by "***". Works on damaged and unknown
 * frames too: fields are found after the fixed part of a known message, or anywhere after a delimiter.
 */
export function maskFrame(text: string, delimiter = '|'): string {
  // strip the terminator
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 10)) end--;
  const body = end === text.length ? text : text.slice(0, end);
  if (!/A[CD]|C[OQ]/.test(body)) return body;
  const def = body.length >= 2 ? messageDef(body.slice(0, 2)) : undefined;
  const start = def ? Math.min(body.length, 2 + def.fixedLength) : 0;
  let out = body.slice(0, start);
  const segs = body.slice(start).split(delimiter);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    // an unknown frame's first segment may begin with anything: only mask it when a field code opens it
    if (s.length >= 2 && MASKED_FIELDS.has(s.slice(0, 2)) && (def || i > 0 || start === 0)) segs[i] = s.slice(0, 2) + MASK;
  }
  out += segs.join(delimiter);
  return out;
}

/**
 * Writes every SIP transaction to `circulationLogEntry`, batched: entries are queued and inserted
 * every ~25 ms or every 50 entries, so a checkout does not wait for its log line. The batch is written
 * as plain statements, never through the ORM (there a batch cost more than the checkouts it logged): on
 * SQLite synchronously on the connection's own thread, one prepared INSERT per row (insertRowsSync), on
 * PostgreSQL as one statement with the rows as one JSON parameter on the pool Prisma shares
 * (insertRowsPg). flush() (called by the server's stop()) writes what is queued. A failing insert is
 * reported on stderr once per batch and dropped: the log must never take circulation down.
 */
@Injectable()
export class CirculationLog implements CirculationLogSink {
  private queue: CirculationLogRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  // small and frequent: a batch is written on the event loop, so its size is a pause every kiosk feels
  static readonly BATCH = 50;
  static readonly INTERVAL_MS = 25;

  constructor(@Optional() @Inject(DbService) private readonly db?: DbService) {}

  record(entry: CirculationLogRecord): void {
    if (!this.db) return;
    this.queue.push(entry);
    if (this.queue.length >= CirculationLog.BATCH) this.write();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.write(), CirculationLog.INTERVAL_MS);
      this.timer.unref();
    }
  }

  /** Writes everything queued and waits for all pending writes. */
  async flush(): Promise<void> {
    this.write();
    await this.writing;
  }

  private write(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.queue.length === 0 || !this.db) return;
    const batch = this.queue;
    this.queue = [];
    const db = this.db;
    // One batch at a time, in order.
    this.writing = this.writing.then(async () => {
      try {
        const rows = batch as unknown as Record<string, unknown>[];
        const sync = db.sqliteSync();
        const pg = db.pgSql();
        if (sync) await sync.transaction((sql) => insertRowsSync(sql, 'CirculationLogEntry', rows));
        else if (pg) await insertRowsPg(pg, 'CirculationLogEntry', rows);
        else await insertRows(db.prisma, db.target.provider, 'CirculationLogEntry', rows); // a SQLite client not connected yet
      } catch (e) {
        process.stderr.write(`carrel sip2: circulation log write of ${batch.length} entries failed: ${(e as Error).message}\n`);
      }
    });
  }
}

/** A sink that keeps entries in memory (tests, and servers run without a database). */
export class MemoryCirculationLog implements CirculationLogSink {
  readonly entries: CirculationLogRecord[] = [];
  record(entry: CirculationLogRecord): void {
    this.entries.push(entry);
  }
  async flush(): Promise<void> {}
}
