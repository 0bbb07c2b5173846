import { createHash, randomBytes, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';

/**
 * Where received files are kept: content-addressed (`<vendor>/<sha256[0..2]>/<sha256>`), so the same bytes
 * are stored once whatever they were called. A file is written under a temporary name in `.incoming/`,
 * fsynced, then renamed into place: a crash leaves either a stray temporary file (removed later) or the
 * whole file, never a partial one under its final name.
 */
export class FileTooLargeError extends Error {
  readonly code = 'EFBIG';
}

export interface StoredFile {
  sha256: string;
  size: number;
  /** relative to the store's root */
  storedPath: string;
}

export class IncomingFile extends Writable {
  private readonly hash: Hash = createHash('sha256');
  private handle: FileHandle | undefined;
  bytes = 0;

  constructor(readonly tmpPath: string, private readonly maxBytes: number, private readonly onBytes?: (n: number) => void) {
    super({ highWaterMark: 1 << 20 });
  }

  override _construct(callback: (error?: Error | null) => void): void {
    open(this.tmpPath, 'wx', 0o640).then((h) => {
      this.handle = h;
      callback();
    }, callback);
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.bytes + chunk.length > this.maxBytes) {
      callback(new FileTooLargeError(`file is larger than the ${this.maxBytes}-byte limit`));
      return;
    }
    this.bytes += chunk.length;
    this.hash.update(chunk);
    writeAll(this.handle!, chunk).then(() => {
      this.onBytes?.(this.bytes);
      callback();
    }, callback);
  }

  /** the data is on disk before the stream reports it finished */
  override _final(callback: (error?: Error | null) => void): void {
    this.handle!.sync().then(() => callback(), callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const h = this.handle;
    this.handle = undefined;
    if (!h) {
      callback(error);
      return;
    }
    h.close().then(() => callback(error), () => callback(error));
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

async function writeAll(h: FileHandle, chunk: Buffer): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await h.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

export class IntakeStore {
  readonly incomingDir: string;

  constructor(readonly root: string, public maxBytes: number) {
    this.incomingDir = path.join(root, '.incoming');
  }

  /** A new temporary file to write a download into. */
  async begin(onBytes?: (n: number) => void): Promise<IncomingFile> {
    await mkdir(this.incomingDir, { recursive: true });
    const name = `${Date.now()}-${process.pid}-${randomBytes(6).toString('hex')}.part`;
    return new IncomingFile(path.join(this.incomingDir, name), this.maxBytes, onBytes);
  }

  /** Puts a finished (ended, fsynced) temporary file in its place; the same content already there wins. */
  async commit(file: IncomingFile, vendorCode: string): Promise<StoredFile> {
    if (!file.writableFinished) throw new Error('the file was not completely written');
    const sha256 = file.digest();
    const storedPath = path.join(safeSegment(vendorCode), sha256.slice(0, 2), sha256);
    const full = path.join(this.root, storedPath);
    await mkdir(path.dirname(full), { recursive: true });
    const existing = await stat(full).catch(() => undefined);
    if (existing && existing.size === file.bytes) {
      await rm(file.tmpPath, { force: true });
    } else {
      await rename(file.tmpPath, full);
      await fsyncDir(path.dirname(full));
    }
    return { sha256, size: file.bytes, storedPath };
  }

  async discard(file: IncomingFile): Promise<void> {
    if (!file.destroyed) file.destroy();
    await new Promise((r) => setImmediate(r));
    await rm(file.tmpPath, { force: true });
  }

  /** Whole-file write for local loads: the same path as a download. */
  async storeBytes(bytes: Uint8Array, vendorCode: string): Promise<StoredFile> {
    const f = await this.begin();
    await new Promise<void>((resolve, reject) => {
      f.on('error', reject);
      f.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), () => resolve());
    }).catch(async (e) => {
      await this.discard(f);
      throw e;
    });
    return this.commit(f, vendorCode);
  }

  fullPath(storedPath: string): string {
    const full = path.resolve(this.root, storedPath);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`stored path ${storedPath} is outside the intake folder`);
    return full;
  }

  read(storedPath: string): Promise<Buffer> {
    return readFile(this.fullPath(storedPath));
  }

  stream(storedPath: string) {
    return createReadStream(this.fullPath(storedPath));
  }

  async exists(storedPath: string, size: number): Promise<boolean> {
    const s = await stat(this.fullPath(storedPath)).catch(() => undefined);
    return !!s && s.size === size;
  }

  /** Removes temporary files left by a crash or a dropped download (older than maxAgeMs, so live ones are kept). */
  async removeStale(now: number, maxAgeMs: number): Promise<number> {
    const names = await readdir(this.incomingDir).catch(() => [] as string[]);
    let removed = 0;
    for (const n of names) {
      if (!n.endsWith('.part')) continue;
      const p = path.join(this.incomingDir, n);
      const s = await stat(p).catch(() => undefined);
      if (s && now - s.mtimeMs >= maxAgeMs) {
        await rm(p, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

function safeSegment(code: string): string {
  const s = code.replace(/[^A-Za-z0-9._-]/g, '_');
  return s === '' || s === '.' || s === '..' ? '_' : s;
}

async function fsyncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
