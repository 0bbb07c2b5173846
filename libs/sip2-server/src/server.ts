import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Buffer } from 'node:buffer';
import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import iconv from 'iconv-lite';
import { CIRCULATION_BACKEND, type CirculationBackend, type Terminal } from '../../circulation/src/backend.js';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { createLogger, type CarrelLogger } from '@carrel/logging';
import { verifyPin } from '@carrel/patrons';
import {
  SipFrameReader, adviseReply, buildTyped, readMessage, toTyped,
  type SipMessageId, type SipTypedMessage, type SipTypedWriteOptions,
} from '@carrel/sip2';
import { maskFrame, SIP2_CIRCULATION_LOG, type CirculationLogSink } from './circulation-log.js';
import { acsStatus, allowed, handle, negative, type Reply } from './handlers.js';
import { resolveOptions, SIP2_SERVER_OPTIONS, type ResolvedSip2ServerOptions, type Sip2Account, type Sip2Listener, type Sip2ServerOptions } from './options.js';

/** Optional pino logger for the server's own events (never frames, passwords or PINs). */
export const SIP2_LOGGER = Symbol('SIP2_LOGGER');

export interface Sip2ListenerAddress {
  host: string;
  port: number;
  tls: boolean;
}

const OVERSIZED = 'frame-too-large';
/** Frames queued on one connection before its socket stops being read (pipelining kiosks, floods). */
const QUEUE_HIGH = 32;
const PAUSE_QUEUE = 1;
const PAUSE_WRITE = 2;

function hasChecksumSuffix(frame: Buffer): boolean {
  const n = frame.length;
  return n >= 6 && frame[n - 6] === 0x41 && frame[n - 5] === 0x5a;
}

function frameText(buf: Buffer, charset: string): string {
  for (let i = 0; i < buf.length; i++) {
    if (buf[i]! > 0x7f) {
      if (charset === 'cp850') return iconv.decode(buf, 'cp850');
      return charset === 'iso-8859-1' ? buf.toString('latin1') : buf.toString('utf8');
    }
  }
  return buf.toString('latin1');
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The SIP2 server: TCP (and TLS) listeners, one session per connection, frames handled one at a time in
 * order. The hub calls start() and stop(); stop() lets in-flight transactions finish.
 */
@Injectable()
export class Sip2Server implements BeforeApplicationShutdown {
  readonly options: ResolvedSip2ServerOptions;
  private readonly accounts = new Map<string, Sip2Account>();
  private readonly statusAccount: Sip2Account | null;
  private servers: { server: net.Server; listener: Sip2Listener }[] = [];
  private readonly connections = new Set<Connection>();
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly verified = new Map<string, string>();
  private readonly salt = randomBytes(16).toString('base64');
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private closedWaiters: (() => void)[] = [];
  readonly logger: CarrelLogger;

  constructor(
    @Inject(SIP2_SERVER_OPTIONS) options: Sip2ServerOptions,
    @Inject(CIRCULATION_BACKEND) readonly backend: CirculationBackend,
    @Optional() @Inject(SIP2_CIRCULATION_LOG) readonly log?: CirculationLogSink,
    @Optional() @Inject(SIP2_LOGGER) logger?: CarrelLogger,
    @Optional() @Inject(CARREL_SETTINGS) settings?: CarrelSettings,
  ) {
    // Carrel's settings, when present, fill what the options leave out: the library's time zone (dates on
    // the wire match the engine's due dates), the shutdown grace and the log level.
    this.options = resolveOptions({
      ...options,
      timeZone: options.timeZone ?? (settings?.['circulation.timeZone'] || undefined),
      shutdownGraceMs: options.shutdownGraceMs ?? settings?.['shutdown.graceMs'],
    });
    for (const a of this.options.accounts) this.accounts.set(a.login, a);
    this.statusAccount = this.options.accounts.find((a) => a.allowStatusBeforeLogin) ?? null;
    this.logger = logger ?? createLogger(settings?.['log.level'] ?? process.env.CARREL_LOG_LEVEL ?? 'warn');
  }

  /** Opens every listener; resolves when all are listening. */
  async start(): Promise<void> {
    if (this.servers.length > 0) return;
    this.stopping = false;
    this.stopped = null;
    try {
      for (const listener of this.options.listeners) await this.listen(listener);
    } catch (e) {
      // one listener could not open (port in use, bad PEM): close the others, report
      for (const { server } of this.servers.splice(0)) server.close();
      throw e;
    }
  }

  private async listen(listener: Sip2Listener): Promise<void> {
    const server = listener.tls
      ? tls.createServer({ cert: readFileSync(listener.tls.certFile), key: readFileSync(listener.tls.keyFile) }, (s) => this.accept(s))
      : net.createServer({ noDelay: true, keepAlive: true, keepAliveInitialDelay: this.options.keepAliveSeconds * 1000 }, (s) => this.accept(s));
    server.on('error', (e) => this.logger.error({ err: e.message, port: listener.port }, 'sip2 listener error'));
    if (listener.tls) server.on('tlsClientError', (e: Error) => this.logger.debug({ err: e.message }, 'sip2 tls handshake failed'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listener.port, listener.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.servers.push({ server, listener });
    this.logger.info({ port: (server.address() as net.AddressInfo).port, tls: !!listener.tls }, 'sip2 listening');
  }

  /** Where the listeners are (port 0 resolved). */
  addresses(): Sip2ListenerAddress[] {
    return this.servers.map(({ server, listener }) => {
      const a = server.address() as net.AddressInfo;
      return { host: a.address, port: a.port, tls: !!listener.tls };
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting, lets each connection finish the transaction it is in (queued frames are dropped),
   * closes them, destroys what is left after shutdownGraceMs, and flushes the circulation log.
   */
  stop(): Promise<void> {
    return (this.stopped ??= this.shutdown());
  }

  /** Nest calls this on app.close(): a hub that forgot stop() still finishes in-flight transactions. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.servers.length > 0 || this.connections.size > 0) await this.stop();
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    const closed = this.servers.map(({ server }) => new Promise<void>((r) => server.close(() => r())));
    this.servers = [];
    for (const c of this.connections) c.shutdown();
    if (this.connections.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.closedWaiters.push(r)),
        new Promise<void>((r) => { timer = setTimeout(r, this.options.shutdownGraceMs); }),
      ]);
      clearTimeout(timer);
      for (const c of this.connections) c.socket.destroy();
    }
    await Promise.all(closed);
    await this.log?.flush();
  }

  // ---- internals used by Connection ----

  get isStopping(): boolean {
    return this.stopping;
  }

  account(login: string): Sip2Account | undefined {
    return this.accounts.get(login);
  }

  get preLoginStatusAccount(): Sip2Account | null {
    return this.statusAccount;
  }

  get pinSalt(): string {
    return this.salt;
  }

  /** Checks a login password against the account's scrypt hash; a password verified once is remembered (HMAC). */
  async checkPassword(account: Sip2Account, password: string): Promise<boolean> {
    const digest = createHmac('sha256', this.salt).update(account.passwordHash).update('\0').update(password).digest('base64');
    if (this.verified.get(account.login) === digest) return true;
    const ok = await verifyPin(password, account.passwordHash).catch(() => false);
    if (ok) this.verified.set(account.login, digest);
    return ok;
  }

  /** true when logins from this address are refused for now. */
  throttled(addr: string, now: number): boolean {
    const f = this.failures.get(addr);
    if (!f) return false;
    if (now - f.since > 60_000) {
      this.failures.delete(addr);
      return false;
    }
    return f.count >= this.options.loginThrottle.maxFailuresPerMinute;
  }

  loginFailed(addr: string, now: number): void {
    const f = this.failures.get(addr);
    if (f && now - f.since <= 60_000) f.count++;
    else {
      if (this.failures.size > 10_000) for (const [k, v] of this.failures) if (now - v.since > 60_000) this.failures.delete(k);
      this.failures.set(addr, { count: 1, since: now });
    }
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    if (socket instanceof tls.TLSSocket) {
      socket.setNoDelay(true);
      socket.setKeepAlive(true, this.options.keepAliveSeconds * 1000);
    }
    const c = new Connection(this, socket);
    this.connections.add(c);
    socket.once('close', () => {
      this.connections.delete(c);
      if (this.connections.size === 0 && this.closedWaiters.length) {
        for (const w of this.closedWaiters.splice(0)) w();
      }
    });
  }
}

type Item = Buffer | number;

/** One kiosk connection: its session and its strictly ordered frame queue. */
class Connection {
  account: Sip2Account | null = null;
  device: string | null = null;
  /** PINs verified in this session (see handlers.ts) */
  readonly session: { pins: Map<string, string> | null } = { pins: null };
  private reader: SipFrameReader | null = null;
  private queue: Item[] | null = null;
  private busy = false;
  private last: Buffer | null = null;
  private oversized = 0;
  private paused = 0;
  private closing = false;
  readonly addr: string;

  constructor(private readonly server: Sip2Server, readonly socket: net.Socket) {
    this.addr = socket.remoteAddress ?? 'unknown';
    socket.setTimeout(server.options.loginTimeoutSeconds * 1000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('timeout', () => this.onTimeout());
    socket.on('error', () => { /* reset by peer etc.: 'close' follows */ });
  }

  private onData(chunk: Buffer): void {
    if (this.closing) return;
    try {
      const events = (this.reader ??= new SipFrameReader({ maxFrameBytes: this.server.options.maxFrameBytes })).push(chunk);
      if (events.length === 0) return;
      const q = (this.queue ??= []);
      for (const e of events) q.push(e.ok ? e.frame : e.bytes);
      if (q.length > QUEUE_HIGH) this.pause(PAUSE_QUEUE);
      if (!this.busy) void this.drain();
    } catch (e) {
      this.server.logger.error({ err: (e as Error).message, client: this.addr }, 'sip2 frame reader failed');
      this.socket.destroy();
    }
  }

  private onTimeout(): void {
    if (this.busy) return;
    this.server.logger.debug({ client: this.addr, account: this.account?.login }, 'sip2 idle timeout');
    this.socket.destroy();
  }

  private pause(reason: number): void {
    if (this.paused === 0) this.socket.pause();
    this.paused |= reason;
  }

  private resume(reason: number): void {
    if (!(this.paused & reason)) return;
    this.paused &= ~reason;
    if (this.paused === 0 && !this.socket.destroyed) this.socket.resume();
  }

  /** Stop after the transaction in flight. */
  shutdown(): void {
    this.closing = true;
    this.queue = null;
    if (!this.busy) this.close();
  }

  private close(): void {
    if (this.socket.destroyed) return;
    this.socket.end(() => this.socket.destroy());
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue && this.queue.length > 0 && !this.socket.destroyed) {
        const item = this.queue.shift()!;
        if (this.queue.length <= QUEUE_HIGH / 2) this.resume(PAUSE_QUEUE);
        try {
          await this.process(item);
        } catch (e) {
          // Last resort: a bug in a handler must not take the connection (or the process) down.
          this.server.logger.error({ err: (e as Error).message, client: this.addr }, 'sip2 frame handling failed');
        }
        if (this.closing) break;
        // The kiosk is not reading: hold the next frame until its answers have drained.
        if (this.socket.writableNeedDrain && !this.socket.destroyed) await this.drained();
      }
    } finally {
      this.busy = false;
      if (this.queue && this.queue.length === 0) this.queue = null;
      if (this.closing) this.close();
    }
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.socket.off('drain', done);
        this.socket.off('close', done);
        resolve();
      };
      this.socket.on('drain', done);
      this.socket.on('close', done);
    });
  }

  private writeOptions(account: Sip2Account | null, errorDetection: boolean, sequence: number | null): SipTypedWriteOptions {
    return {
      charset: account?.charset ?? 'utf-8',
      terminator: account?.terminator ?? '\r',
      errorDetection: errorDetection || account?.checksum === 'require',
      sequence,
      hide: account?.hideFields,
      alwaysSend: account?.alwaysSend,
      dueDateFormat: account?.dueDateFormat ?? 'sip',
    };
  }

  private send(buf: Buffer, remember = true): void {
    if (remember) this.last = buf;
    if (this.socket.destroyed || !this.socket.writable) return;
    if (!this.socket.write(buf)) {
      this.pause(PAUSE_WRITE);
      this.socket.once('drain', () => this.resume(PAUSE_WRITE));
    }
  }

  private terminal(): Terminal {
    const a = this.account!;
    return { branchCode: a.branchCode, account: a.login, device: this.device ?? a.login };
  }

  private async process(item: Item): Promise<void> {
    const started = performance.now();
    const now = new Date();
    const srv = this.server;
    const zone = srv.options.timeZone;
    const account = this.account;
    const charset = account?.charset ?? 'utf-8';

    if (typeof item === 'number') {
      this.oversized++;
      const out = buildTyped('96', {}, this.writeOptions(account, false, null));
      this.send(out);
      this.record(now, started, '', `<frame of ${item}+ bytes dropped>`, out, OVERSIZED);
      if (this.oversized >= srv.options.maxOversizedFrames) this.shutdown();
      return;
    }

    const parsed = readMessage(item, { charset, checksum: account?.checksum ?? 'verify' });
    const ed = parsed.sequence !== null || hasChecksumSuffix(item);
    const wo = this.writeOptions(account, ed, parsed.sequence);
    const advice = adviseReply(parsed);
    const id = parsed.message.id;

    if (advice.action === 'resend-last') {
      const out = this.last ?? buildTyped('96', {}, wo);
      this.send(out, false);
      this.record(now, started, '97', item, out, 'resend');
      return;
    }
    if (advice.action === 'request-resend') {
      const out = buildTyped('96', {}, wo);
      this.send(out);
      this.record(now, started, id.length === 2 ? id : '', item, out, parsed.errors[0]?.code ?? 'bad-frame');
      return;
    }
    const typed = toTyped(parsed.message);
    const value = (typed?.typed.value ?? {}) as Record<string, unknown>;
    const mid = id as SipMessageId;

    let reply: Reply;
    let replyAccount = account;
    if (advice.action === 'negative') {
      reply = negative(id, value, 'Malformed request.', { account, now, zone });
      reply.outcome = 'malformed';
    } else if (id === '96') {
      // The client asks us to resend (a role reversal some clients do): nothing to answer; noted in the log.
      this.record(now, started, id, item, null, 'ignored');
      return;
    } else if (id === '93') {
      const r = value as SipTypedMessage<'93'>;
      const result = await this.login(r, Date.now());
      replyAccount = result.account ?? account;
      reply = { id: '94', value: { ok: result.ok }, outcome: result.outcome };
      const out = buildTyped('94', { ok: result.ok }, this.writeOptions(replyAccount, ed, parsed.sequence));
      this.send(out);
      this.record(now, started, id, item, out, reply.outcome, replyAccount);
      return;
    } else if (!account) {
      const sa = srv.preLoginStatusAccount;
      if (id === '99' && sa) {
        replyAccount = sa;
        reply = acsStatus({ backend: srv.backend, account: sa, terminal: { branchCode: sa.branchCode, account: sa.login, device: sa.device ?? sa.login }, now, zone, session: this.session, pinSalt: srv.pinSalt });
      } else {
        reply = negative(id, value, 'Please log in first.', { account: null, now, zone });
        reply.outcome = 'not-logged-in';
      }
    } else if (!allowed(account, id)) {
      reply = negative(id, value, 'This terminal may not do that.', { account, now, zone });
      reply.outcome = 'not-allowed';
    } else {
      try {
        reply = await handle(mid, value, { backend: srv.backend, account, terminal: this.terminal(), now, zone, session: this.session, pinSalt: srv.pinSalt });
      } catch (e) {
        srv.logger.error({ err: (e as Error).message, message: id, account: account.login, client: this.addr }, 'sip2 backend error');
        reply = negative(id, value, 'The library system is not available right now. Please ask staff.', { account, now, zone });
        reply.outcome = 'error';
      }
    }

    let out: Buffer | null = null;
    if (reply.id && reply.value) {
      const opts = replyAccount === account ? wo : this.writeOptions(replyAccount, ed, parsed.sequence);
      try {
        out = buildTyped(reply.id, reply.value as never, opts);
      } catch (e) {
        // A response that cannot be written (a bug, or a backend value the codec refuses): the kiosk still gets an answer.
        srv.logger.error({ err: (e as Error).message, message: id }, 'sip2 response could not be built');
        out = buildTyped('96', {}, opts);
        reply.outcome = 'error';
      }
      if (this.socket.destroyed) reply.outcome += ' (client gone)';
      this.send(out);
    }
    this.record(now, started, id, item, out, reply.outcome, replyAccount);
  }

  private async login(r: SipTypedMessage<'93'>, now: number): Promise<{ ok: boolean; outcome: string; account: Sip2Account | null }> {
    const srv = this.server;
    const account = srv.account(r.loginUserId) ?? null;
    if (srv.throttled(this.addr, now)) {
      await delay(srv.options.loginThrottle.delayMs);
      return { ok: false, outcome: 'login-throttled', account };
    }
    const ok = !!account && (await srv.checkPassword(account, r.loginPassword));
    if (!ok) {
      srv.loginFailed(this.addr, now);
      return { ok: false, outcome: account ? 'login-refused' : 'login-unknown', account };
    }
    this.account = account;
    this.device = account.device ?? (r.locationCode || account.login);
    this.session.pins = null;
    const idle = account.idleTimeoutSeconds ?? srv.options.defaultIdleTimeoutSeconds;
    this.socket.setTimeout(idle * 1000);
    return { ok: true, outcome: 'ok', account };
  }

  private record(at: Date, started: number, messageId: string, request: Buffer | string, response: Buffer | null, outcome: string, account = this.account): void {
    const log = this.server.log;
    if (!log) return;
    try {
      const charset = account?.charset ?? 'utf-8';
      log.record({
        at,
        account: account?.login ?? null,
        device: this.device ?? account?.device ?? null,
        clientAddr: this.addr,
        messageId: messageId || '??',
        request: typeof request === 'string' ? request : maskFrame(frameText(request, charset)),
        response: response ? maskFrame(frameText(response, charset)) : null,
        outcome,
        ms: Math.round(performance.now() - started),
      });
    } catch (e) {
      this.server.logger.error({ err: (e as Error).message }, 'sip2 circulation log failed');
    }
  }
}
