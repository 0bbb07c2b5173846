import { fstatSync, openSync, statSync } from 'node:fs';
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
 *
 * Under steady load that alone lets the WAL grow without end: SQLite starts the WAL file over only when a
 * write begins after a checkpoint has copied every frame, and with a COMMIT every few milliseconds no
 * checkpoint ever finishes between two of them (measured: 400 MB of WAL after 10 s at 2,000 checkouts and
 * checkins a second). So once the WAL holds RESET_FRAMES frames, the worker first copies until little is
 * left, then asks the main thread to hold its group commits (`pauseWrites`, answered between two COMMITs),
 * copies the last frames, and lets the writes go on: the next write starts the WAL over. The hold lasts one
 * small checkpoint (a few milliseconds) and never more than PAUSE_LIMIT_MS.
 */
export const WAL_CHECKPOINT_INTERVAL_MS = 250;
/**
 * WAL frames (pages) after which the worker makes SQLite start the WAL over: 65,536 are 256 MB of 4 KB pages.
 * Each reset holds the writes for one last checkpoint with its two fsyncs (8–14 ms on a virtual disk before
 * flushAhead, 3–11 ms after), and the requests due meanwhile were 40 % of the slowest 1 % at 16,384 frames
 * (a reset every 1.5 s at 2,000 transactions/s); at 65,536 one every 6 s. Disk is cheaper than a kiosk's wait.
 */
export const WAL_RESET_FRAMES = 65536;
/** frames still to copy below which the worker holds the writes for its last pass */
const CATCH_UP_FRAMES = 128;
/** the longest the main thread holds its writes for a checkpoint (ms) */
export const WAL_PAUSE_LIMIT_MS = 200;

/** the worker's code (CommonJS, evaluated: it must run the same under Jest's TypeScript and in dist/) */
const WORKER = `
const fs = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
/**
 * Writes the database file's and the WAL's dirty pages out ahead of a hold, so the syncs of the held last
 * pass have only that pass's pages left to write (the partial passes before it never sync the database
 * file: SQLite does that only in a pass that copies every frame). The database file through the
 * descriptor kept for it (flushDescriptorOf); the WAL, which SQLite never locks, through one of its own.
 * Best effort: where it fails, the hold is only longer.
 */
function flushAhead() {
  try { if (workerData.flushFd !== null) fs.fsyncSync(workerData.flushFd); } catch {}
  let wal;
  try {
    wal = fs.openSync(workerData.file + '-wal', 'r');
    fs.fsyncSync(wal);
  } catch {
  } finally {
    if (wal !== undefined) try { fs.closeSync(wal); } catch {}
  }
}
const Database = require(workerData.driver);
let lastSeen = 0;
let asked = 0;
let answer = null;
let busy = false;
/** the main thread's answer to a hold request, or null when it did not answer in time */
function holdWrites() {
  const id = ++asked;
  return new Promise((resolve) => {
    // no answer in time: the hold is called off (the main thread lets go as soon as it hears)
    const timer = setTimeout(() => { answer = null; parentPort.postMessage({ resume: id, reset: 0 }); resolve(false); }, workerData.pauseLimitMs);
    answer = (m) => { if (m.paused === id) { clearTimeout(timer); answer = null; resolve(true); } };
    parentPort.postMessage({ pause: id });
  });
}
async function checkpoint() {
  if (busy) return;
  busy = true;
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
    let r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    if (Number(r.log) >= workerData.resetFrames && workerData.canPause) {
      for (let pass = 0; pass < 4 && Number(r.log) - Number(r.checkpointed) > workerData.catchUpFrames; pass++) r = db.pragma('wal_checkpoint(PASSIVE)')[0];
      const caughtUp = () => Number(r.log) - Number(r.checkpointed) <= workerData.catchUpFrames;
      // not caught up (the writes outran four passes): no hold now, the next round tries again, so a hold
      // never has more to copy and sync than a few milliseconds of writes
      if (caughtUp()) {
        flushAhead();
        r = db.pragma('wal_checkpoint(PASSIVE)')[0]; // what came in meanwhile
      }
      if (caughtUp() && (await holdWrites())) {
        let reset = 0;
        try {
          r = db.pragma('wal_checkpoint(PASSIVE)')[0];
          if (Number(r.log) === Number(r.checkpointed)) reset = Number(r.log);
        } finally {
          parentPort.postMessage({ resume: asked, reset });
        }
      }
    }
    parentPort.postMessage({ checkpointed: Number(r.checkpointed) });
  } catch (e) {
    parentPort.postMessage({ error: String(e && e.message || e) });
  } finally {
    try { if (db) db.close(); } catch {}
    busy = false;
  }
}
const timer = setInterval(() => void checkpoint(), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m && m.paused !== undefined) { if (answer) answer(m); return; }
  if (m !== 'stop') return;
  clearInterval(timer);
  parentPort.postMessage({ stopped: true });
});
`;

/**
 * Holds the process's own writes to the file (between two COMMITs) until the returned function is called.
 * SqliteSyncImpl.pauseWrites.
 */
export type PauseWrites = () => Promise<() => void>;

export interface WalCheckpointer {
  /** stops the worker and closes its connection */
  stop(): Promise<void>;
  /** checkpoint errors seen so far (the worker keeps trying; a disk error shows up on the main connection too) */
  readonly errors: string[];
  /** checkpoints run so far */
  readonly checkpoints: number;
  /** times the WAL was copied whole while the writes were held, so that SQLite starts it over */
  readonly resets: number;
}

const running = new Map<string, WalCheckpointer>();

/**
 * One read-only descriptor of each database file, opened the first time and kept for the life of the
 * process: the worker syncs the file through it ahead of a hold (flushAhead). Never closed on purpose:
 * closing ANY descriptor of a file drops every POSIX lock the process holds on that file, SQLite's own
 * included (SQLite itself keeps such descriptors open for the same reason). A file replaced under the
 * same name gets a new one. A child process syncing the file instead was tried: forking the hub stalled
 * its event loop for tens of milliseconds.
 */
const flushDescriptors = new Map<string, number>();
function flushDescriptorOf(file: string): number | null {
  try {
    const kept = flushDescriptors.get(file);
    if (kept !== undefined && fstatSync(kept).ino === statSync(file).ino) return kept;
    const fd = openSync(file, 'r');
    flushDescriptors.set(file, fd);
    return fd;
  } catch {
    return null;
  }
}

/** the checkpointer of a database file opened by this process, if any (tests and benchmarks look) */
export function walCheckpointerOf(file: string): WalCheckpointer | undefined {
  return running.get(file);
}

export function startWalCheckpointer(
  file: string,
  opts: { intervalMs?: number; resetFrames?: number; pauseWrites?: PauseWrites } = {},
): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    file, driver, intervalMs: opts.intervalMs ?? WAL_CHECKPOINT_INTERVAL_MS, resetFrames: opts.resetFrames ?? WAL_RESET_FRAMES,
    catchUpFrames: CATCH_UP_FRAMES, canPause: !!opts.pauseWrites, pauseLimitMs: WAL_PAUSE_LIMIT_MS,
    flushFd: opts.pauseWrites ? flushDescriptorOf(file) : null,
  };
  const worker = new Worker(WORKER, { eval: true, workerData });
  worker.unref();
  let stopped: Promise<void> | null = null;
  let onStopped = () => {};
  const checkpointer = {
    errors: [] as string[],
    checkpoints: 0,
    resets: 0,
    stop(): Promise<void> {
      stopped ??= new Promise<void>((resolve) => {
        onStopped = resolve;
        resume();
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
  // the hold of the writes asked for last: let go when the worker says so, or after WAL_PAUSE_LIMIT_MS
  let hold: { id: number; release: (() => void) | null; over: boolean } | null = null;
  const resume = (id?: number) => {
    if (!hold || (id !== undefined && hold.id !== id)) return;
    hold.over = true;
    hold.release?.();
    hold = null;
  };
  worker.on('message', (m: { error?: string; checkpointed?: number; stopped?: boolean; pause?: number; resume?: number; reset?: number }) => {
    if (m.error !== undefined && checkpointer.errors.length < 100) checkpointer.errors.push(m.error);
    if (m.checkpointed !== undefined) checkpointer.checkpoints++;
    if (m.pause !== undefined && opts.pauseWrites) {
      resume();
      const mine: NonNullable<typeof hold> = { id: m.pause, release: null, over: false };
      hold = mine;
      void opts.pauseWrites().then((done) => {
        if (mine.over) return done();
        const limit = setTimeout(() => resume(mine.id), WAL_PAUSE_LIMIT_MS);
        mine.release = () => {
          clearTimeout(limit);
          done();
        };
        worker.postMessage({ paused: mine.id });
      }, (e: Error) => checkpointer.errors.push(e.message));
    }
    if (m.resume !== undefined) {
      if (m.reset) checkpointer.resets++;
      resume(m.resume);
    }
    if (m.stopped) void worker.terminate().then(() => onStopped(), () => onStopped());
  });
  worker.on('error', (e) => checkpointer.errors.push(e.message));
  running.set(file, checkpointer);
  return checkpointer;
}
