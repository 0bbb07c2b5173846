import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves SQLite's WAL checkpoints off the event loop. By default SQLite checkpoints inside whichever COMMIT
 * pushes the WAL past 1,000 pages: that COMMIT copies pages into the database file and syncs it, and on
 * the hub that COMMIT runs on the event loop every kiosk is waiting on (measured: the SIP2 checkout+checkin
 * p99 at 1,000/s fell from 19 to 9 ms, and closed-loop throughput rose by half, with it gone; see
 * docs/PERFORMANCE.md). So the main connection sets `wal_autocheckpoint = 0` and a worker thread runs a
 * PASSIVE checkpoint every INTERVAL_MS when the WAL has changed, on a connection opened for it and closed
 * straight after (one left open keeps the schema engine out). PASSIVE never waits for readers or writers
 * and takes no lock a writer needs, so the main connection never waits for it; whatever it could not copy
 * now it copies next time. The worker is unref'd (it never keeps a process alive); when the connection
 * closes, SQLite itself checkpoints the rest as the last connection goes.
 */
export const WAL_CHECKPOINT_INTERVAL_MS = 250;

/** the worker's code (CommonJS, evaluated: it must run the same under Jest's TypeScript and in dist/) */
const WORKER = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let lastSeen = 0;
function checkpoint() {
  let db = null;
  try {
    // nothing written since the last checkpoint: leave the database alone
    let wal;
    try { wal = fs.statSync(workerData.file + '-wal'); } catch { return; }
    if (wal.mtimeMs === lastSeen) return;
    lastSeen = wal.mtimeMs;
    // a connection of its own for each checkpoint, closed at once: one left open after a checkpoint keeps
    // SQLite's schema engine (migrations) out of the file
    db = new Database(workerData.file, { fileMustExist: true });
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') return;
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    parentPort.postMessage({ checkpointed: Number(r.checkpointed) });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  } finally {
    try { if (db) db.close(); } catch {}
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  parentPort.postMessage({ stopped: true });
});
`;

export interface WalCheckpointer {
  /** stops the worker and closes its connection */
  stop(): Promise<void>;
  /** checkpoint errors seen so far (the worker keeps trying; a disk error shows up on the main connection too) */
  readonly errors: string[];
  /** checkpoints run so far */
  readonly checkpoints: number;
}

const running = new Map<string, WalCheckpointer>();

/** the checkpointer of a database file opened by this process, if any (tests and benchmarks look) */
export function walCheckpointerOf(file: string): WalCheckpointer | undefined {
  return running.get(file);
}

export function startWalCheckpointer(file: string, intervalMs = WAL_CHECKPOINT_INTERVAL_MS): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  let stopped: Promise<void> | null = null;
  let onStopped = () => {};
  const checkpointer = {
    errors: [] as string[],
    checkpoints: 0,
    stop(): Promise<void> {
      stopped ??= new Promise<void>((resolve) => {
        onStopped = resolve;
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        // a worker that died already answers nothing
        setTimeout(() => void worker.terminate().then(() => resolve(), () => resolve()), 1000).unref();
      }).then(() => {
        if (running.get(file) === checkpointer) running.delete(file);
      });
      return stopped;
    },
  };
  worker.on('message', (m: { error?: string; checkpointed?: number; stopped?: boolean }) => {
    if (m.error !== undefined && checkpointer.errors.length < 100) checkpointer.errors.push(m.error);
    if (m.checkpointed !== undefined) checkpointer.checkpoints++;
    if (m.stopped) void worker.terminate().then(() => onStopped(), () => onStopped());
  });
  worker.on('error', (e) => checkpointer.errors.push(e.message));
  running.set(file, checkpointer);
  return checkpointer;
}
