import { Buffer } from 'node:buffer';

export type SipFrameEvent =
  | {
    ok: true;
    /** The frame's bytes without its terminator (a view into the input when it arrived in one chunk). */
    frame: Buffer;
    /** The terminator seen: '\r\n' only when the LF arrived with the CR; a split CRLF reports '\r'. */
    terminator: '\r' | '\n' | '\r\n';
  }
  | {
    ok: false;
    error: 'frame-too-large';
    /** Bytes received for this frame before it was given up (at least maxFrameBytes + 1). */
    bytes: number;
    message: string;
  };

export interface SipFrameReaderOptions {
  /** Frames longer than this (terminator excluded) are dropped with one error event. Default 64 KiB. */
  maxFrameBytes?: number;
}

const CR = 0x0d, LF = 0x0a;

/**
 * Splits a byte stream into SIP frames: feed chunks as they arrive, get the complete frames back. Accepts
 * CR, LF and CRLF terminators; skips empty lines (the LF of a CRLF split across chunks, keep-alive newlines).
 * An oversized frame gives one error event, then its bytes are discarded up to the next terminator, so the
 * stream re-synchronises instead of buffering without bound. Pure: no I/O, no timers.
 */
export class SipFrameReader {
  private readonly max: number;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Discarding an oversized frame until its terminator; counts the bytes dropped. */
  private discarding = -1;

  constructor(options: SipFrameReaderOptions = {}) {
    this.max = options.maxFrameBytes ?? 65536;
  }

  /** Bytes held for an incomplete frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): SipFrameEvent[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const events: SipFrameEvent[] = [];
    let pos = 0;
    const n = buf.length;
    while (pos < n) {
      let t = pos;
      while (t < n && buf[t] !== CR && buf[t] !== LF) t++;
      if (t === n) {
        this.hold(buf, pos, n, events);
        break;
      }
      const term: '\r' | '\n' | '\r\n' = buf[t] === LF ? '\n' : t + 1 < n && buf[t + 1] === LF ? '\r\n' : '\r';
      const next = t + term.length;
      if (this.discarding >= 0) {
        this.discarding = -1;
      } else if (this.pendingBytes > 0) {
        const total = this.pendingBytes + (t - pos);
        if (total > this.max) {
          events.push(tooLarge(total));
        } else {
          this.pending.push(buf.subarray(pos, t));
          events.push({ ok: true, frame: Buffer.concat(this.pending, total), terminator: term });
        }
        this.pending = [];
        this.pendingBytes = 0;
      } else if (t > pos) {
        events.push(t - pos > this.max ? tooLarge(t - pos) : { ok: true, frame: buf.subarray(pos, t), terminator: term });
      }
      pos = next;
    }
    return events;
  }

  /** Drops any partial frame (e.g. after the connection state is reset). */
  reset(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.discarding = -1;
  }

  private hold(buf: Buffer, from: number, to: number, events: SipFrameEvent[]): void {
    const len = to - from;
    if (this.discarding >= 0) {
      this.discarding += len;
      return;
    }
    if (this.pendingBytes + len > this.max) {
      events.push(tooLarge(this.pendingBytes + len));
      this.discarding = this.pendingBytes + len;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory after push() returns.
    this.pending.push(Buffer.from(buf.subarray(from, to)));
    this.pendingBytes += len;
  }
}

function tooLarge(bytes: number): SipFrameEvent {
  return { ok: false, error: 'frame-too-large', bytes, message: `frame of at least ${bytes} bytes exceeds the limit; dropped up to its terminator` };
}
