// Test helpers for the SIP2 server: an in-memory circulation backend, a raw TCP/TLS SIP client, and a
// server factory listening on 127.0.0.1 port 0.
import net from 'node:net';
import tls from 'node:tls';
import { Buffer } from 'node:buffer';
import type {
  CirculationBackend, CheckinResult, CheckoutResult, FeePaidResult, HoldResult, ItemInformation, PatronInformation,
  PatronQuery, PatronStatus, RenewAllResult,
} from '../../libs/circulation/src/backend.js';
import { hashPin } from '@carrel/patrons';
import { createLogger } from '@carrel/logging';
import { MemoryCirculationLog, Sip2Server, type Sip2Account, type Sip2ServerOptions } from '@carrel/sip2-server';

export interface FakePatron { name: string; pin: string; fee: string; blocked?: boolean; email?: string }
export interface FakeItem { title: string; home: string; holdFor?: { barcode: string; name: string; branch: string }; sortBin?: string }

const NO_FLAGS = {
  chargePrivilegesDenied: false, renewalPrivilegesDenied: false, recallPrivilegesDenied: false, holdPrivilegesDenied: false,
  cardReportedLost: false, tooManyItemsCharged: false, tooManyItemsOverdue: false, tooManyRenewals: false,
  tooManyClaimsOfItemsReturned: false, tooManyItemsLost: false, excessiveOutstandingFines: false, excessiveOutstandingFees: false,
  recallOverdue: false, tooManyItemsBilled: false,
};

/** In-memory CirculationBackend: enough of a library to drive whole kiosk and sorter sessions. */
export class FakeBackend implements CirculationBackend {
  patrons = new Map<string, FakePatron>();
  items = new Map<string, FakeItem>();
  loans = new Map<string, { patron: string; due: Date; renewals: number }>();
  payments: { patron: string; amount: string; transactionId?: string }[] = [];
  /** number of PIN checks (the slow hash, in a real backend) */
  pinChecks = 0;
  calls: string[] = [];
  /** when set, the next call of that name waits for release() */
  private gates = new Map<string, { wait: Promise<void>; release: () => void; entered: () => void; enteredP: Promise<void> }>();
  failing = new Set<string>();

  constructor() {
    this.patrons.set('P001', { name: 'Ann Reader', pin: '1234', fee: '2.50', email: 'ann@example.org' });
    this.patrons.set('P002', { name: 'José Núñez', pin: '4321', fee: '0.00' });
    for (let i = 1; i <= 20; i++) this.items.set(`I${String(i).padStart(3, '0')}`, { title: `Book ${i}`, home: 'MAIN' });
    this.items.set('IHOLD', { title: 'Wanted book', home: 'MAIN', holdFor: { barcode: 'P002', name: 'José Núñez', branch: 'EAST' }, sortBin: 'B7' });
    this.items.set('IHERE', { title: 'Held here', home: 'MAIN', holdFor: { barcode: 'P001', name: 'Ann Reader', branch: 'MAIN' }, sortBin: 'H1' });
    this.items.set('IBIG', { title: 'long title '.repeat(400), home: 'MAIN' });
    this.items.set('IDIRTY', { title: 'Pipes | and\r\nnewlines', home: 'MAIN' });
    this.items.set('IAWAY', { title: 'From away', home: 'EAST', sortBin: 'T2' });
  }

  /** Makes the next call to `method` wait until the returned release() is called. */
  gate(method: string): { release: () => void; entered: Promise<void> } {
    let release!: () => void;
    let entered!: () => void;
    const wait = new Promise<void>((r) => { release = r; });
    const enteredP = new Promise<void>((r) => { entered = r; });
    this.gates.set(method, { wait, release, entered, enteredP });
    return { release, entered: enteredP };
  }

  private async enter(method: string): Promise<void> {
    this.calls.push(method);
    const g = this.gates.get(method);
    if (g) {
      this.gates.delete(method);
      g.entered();
      await g.wait;
    }
    if (this.failing.has(method)) throw new Error(`${method} exploded`);
  }

  private status(q: PatronQuery): PatronStatus {
    const p = this.patrons.get(q.patronBarcode);
    let pinValid: boolean | null = null;
    if (q.pin !== undefined) {
      this.pinChecks++;
      pinValid = !!p && p.pin === q.pin;
    }
    return {
      found: !!p, valid: !!p && !p.blocked, pinValid, patronBarcode: q.patronBarcode, name: p?.name ?? null,
      flags: { ...NO_FLAGS, chargePrivilegesDenied: !!p?.blocked }, blockReasons: p?.blocked ? ['Your card is blocked.'] : [],
      feeAmount: p?.fee ?? '0.00', feeLimit: '10.00', currency: 'USD', email: p?.email ?? null, phone: '555-0100', address: '1 Main St',
      homeBranchCode: 'MAIN', categoryCode: 'ADULT', expiryDate: new Date(Date.UTC(2030, 0, 31)), language: null,
    };
  }

  async patronStatus(q: PatronQuery): Promise<PatronStatus> {
    await this.enter('patronStatus');
    return this.status(q);
  }

  async patronInformation(q: PatronQuery & { list?: import('../../libs/circulation/src/backend.js').SummaryList | null; start?: number; end?: number }): Promise<PatronInformation> {
    await this.enter('patronInformation');
    const s = this.status(q);
    const charged = [...this.loans].filter(([, l]) => l.patron === q.patronBarcode).map(([b]) => b);
    return {
      ...s,
      counts: { holds: 0, overdue: 0, charged: charged.length, fines: s.feeAmount === '0.00' ? 0 : 1, recalls: 0, unavailableHolds: 0 },
      limits: { holds: 5, overdue: 3, charged: 30 },
      list: q.list === 'charged' ? { kind: 'charged', entries: charged } : null,
    };
  }

  private pinRefused(q: PatronQuery): boolean {
    if (q.pin === undefined) return false;
    this.pinChecks++;
    return this.patrons.get(q.patronBarcode)?.pin !== q.pin;
  }

  async checkout(q: import('../../libs/circulation/src/backend.js').CheckoutRequest): Promise<CheckoutResult> {
    await this.enter('checkout');
    const item = this.items.get(q.itemBarcode);
    const base = { patronBarcode: q.patronBarcode, itemBarcode: q.itemBarcode, title: item?.title ?? null, feeAmount: null, feeType: null, mediaType: '001', callNumber: null };
    if (!this.patrons.has(q.patronBarcode) || this.pinRefused(q)) return { ...base, ok: false, renewal: false, dueDate: null, desensitize: false, screenMessage: 'Invalid patron or PIN.' };
    if (!item) return { ...base, ok: false, renewal: false, dueDate: null, desensitize: false, screenMessage: 'Item not found.' };
    const existing = this.loans.get(q.itemBarcode);
    if (existing && existing.patron !== q.patronBarcode) return { ...base, ok: false, renewal: false, dueDate: null, desensitize: false, screenMessage: 'Item is checked out to someone else.' };
    const due = new Date(q.at.getTime() + 14 * 86400_000);
    this.loans.set(q.itemBarcode, { patron: q.patronBarcode, due, renewals: existing ? existing.renewals + 1 : 0 });
    return { ...base, ok: true, renewal: !!existing, dueDate: due, desensitize: true, screenMessage: null };
  }

  async checkin(q: import('../../libs/circulation/src/backend.js').CheckinRequest): Promise<CheckinResult> {
    await this.enter('checkin');
    const item = this.items.get(q.itemBarcode);
    const loan = this.loans.get(q.itemBarcode);
    this.loans.delete(q.itemBarcode);
    const base = { itemBarcode: q.itemBarcode, title: item?.title ?? null, patronBarcode: loan?.patron ?? null, callNumber: 'FIC ABC', mediaType: '001', fineAmount: null };
    if (!item) return { ...base, ok: false, resensitize: false, alert: 'other', permanentLocation: null, destination: null, holdPatronBarcode: null, holdPatronName: null, sortBin: null, screenMessage: 'Item not found.' };
    const hold = item.holdFor;
    const here = q.terminal.branchCode;
    const alert = hold ? (hold.branch === here ? 'hold-here' : 'hold-elsewhere') : item.home !== here ? 'transit' : null;
    return {
      ...base, ok: true, resensitize: true, alert, permanentLocation: item.home,
      destination: hold ? hold.branch : item.home !== here ? item.home : null,
      holdPatronBarcode: hold?.barcode ?? null, holdPatronName: hold?.name ?? null, sortBin: item.sortBin ?? null, screenMessage: null,
    };
  }

  async renew(q: import('../../libs/circulation/src/backend.js').RenewRequest): Promise<CheckoutResult> {
    await this.enter('renew');
    const loan = this.loans.get(q.itemBarcode);
    const base = { patronBarcode: q.patronBarcode, itemBarcode: q.itemBarcode, title: this.items.get(q.itemBarcode)?.title ?? null, feeAmount: null, feeType: null, mediaType: '001', callNumber: null, desensitize: false };
    if (this.pinRefused(q) || !loan || loan.patron !== q.patronBarcode) return { ...base, ok: false, renewal: false, dueDate: null, screenMessage: 'Cannot renew.' };
    loan.renewals++;
    loan.due = new Date(loan.due.getTime() + 14 * 86400_000);
    return { ...base, ok: true, renewal: true, dueDate: loan.due, screenMessage: null };
  }

  async renewAll(q: PatronQuery): Promise<RenewAllResult> {
    await this.enter('renewAll');
    const mine = [...this.loans].filter(([, l]) => l.patron === q.patronBarcode).map(([b]) => b);
    return { ok: true, renewed: mine, unrenewed: [], screenMessage: null };
  }

  async itemInformation(q: { itemBarcode: string; at: Date }): Promise<ItemInformation> {
    await this.enter('itemInformation');
    const item = this.items.get(q.itemBarcode);
    const loan = this.loans.get(q.itemBarcode);
    return {
      found: !!item, itemBarcode: q.itemBarcode, circulationStatus: !item ? '01' : loan ? '04' : '03', title: item?.title ?? null,
      dueDate: loan?.due ?? null, holdQueueLength: item?.holdFor ? 1 : 0, holdPickupDate: null, owner: 'MAIN', permanentLocation: item?.home ?? null,
      currentLocation: item?.home ?? null, callNumber: 'FIC ABC', mediaType: '001', feeAmount: null, currency: 'USD', screenMessage: null,
    };
  }

  async itemStatusUpdate(): Promise<{ ok: boolean; screenMessage: string | null }> {
    await this.enter('itemStatusUpdate');
    return { ok: true, screenMessage: null };
  }

  async feePaid(q: import('../../libs/circulation/src/backend.js').FeePaidRequest): Promise<FeePaidResult> {
    await this.enter('feePaid');
    const p = this.patrons.get(q.patronBarcode);
    if (!p || this.pinRefused(q)) return { ok: false, transactionId: q.transactionId ?? null, feeAmount: '0.00', screenMessage: 'Unknown patron.' };
    this.payments.push({ patron: q.patronBarcode, amount: q.amount, transactionId: q.transactionId });
    p.fee = (Number(p.fee) - Number(q.amount)).toFixed(2);
    return { ok: true, transactionId: q.transactionId ?? 'T1', feeAmount: p.fee, screenMessage: 'Thank you.' };
  }

  async hold(q: import('../../libs/circulation/src/backend.js').HoldRequest): Promise<HoldResult> {
    await this.enter('hold');
    return { ok: true, available: false, queuePosition: 2, expiresAt: null, pickupBranch: q.pickupBranch ?? 'MAIN', itemBarcode: q.itemBarcode ?? null, title: null, screenMessage: null };
  }

  async enablePatron(q: PatronQuery): Promise<PatronStatus> {
    await this.enter('enablePatron');
    const p = this.patrons.get(q.patronBarcode);
    if (p) p.blocked = false;
    return this.status(q);
  }

  async blockPatron(q: PatronQuery & { cardRetained: boolean; message: string }): Promise<void> {
    await this.enter('blockPatron');
    const p = this.patrons.get(q.patronBarcode);
    if (p) p.blocked = true;
  }

  async endPatronSession(): Promise<{ ok: boolean; screenMessage: string | null }> {
    await this.enter('endPatronSession');
    return { ok: true, screenMessage: 'Goodbye.' };
  }
}

export const PASSWORD = 'kiosk-secret';
let hashCache: Promise<string> | null = null;
export function passwordHash(): Promise<string> {
  return (hashCache ??= hashPin(PASSWORD, 1024));
}

export async function account(over: Partial<Sip2Account> = {}): Promise<Sip2Account> {
  return { login: 'kiosk', passwordHash: await passwordHash(), institution: 'CPL', branchCode: 'MAIN', charset: 'utf-8', terminator: '\r', checksum: 'verify', ...over };
}

export interface Harness {
  server: Sip2Server;
  backend: FakeBackend;
  log: MemoryCirculationLog;
  port: number;
  connect(opts?: { tls?: boolean }): Promise<SipClient>;
  /** connect and log in as `login` */
  login(login?: string, opts?: { tls?: boolean }): Promise<SipClient>;
  close(): Promise<void>;
}

export async function startServer(options: Partial<Sip2ServerOptions> = {}, backend = new FakeBackend()): Promise<Harness> {
  const log = new MemoryCirculationLog();
  const accounts = options.accounts ?? [await account()];
  const server = new Sip2Server({ listeners: [{ host: '127.0.0.1', port: 0 }], ...options, accounts }, backend, log, createLogger('silent'));
  await server.start();
  const clients: SipClient[] = [];
  const h: Harness = {
    server, backend, log,
    port: server.addresses()[0]!.port,
    async connect(opts = {}) {
      const addr = server.addresses().find((a) => a.tls === !!opts.tls)!;
      const c = await SipClient.connect(addr.port, !!opts.tls);
      clients.push(c);
      return c;
    },
    async login(login = 'kiosk', opts = {}) {
      const c = await h.connect(opts);
      const r = await c.request(`9300CN${login}|CO${PASSWORD}|CPkiosk-3|`);
      if (r.toString('latin1').slice(0, 3) !== '941') throw new Error(`login failed: ${r.toString('latin1')}`);
      return c;
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.stop();
    },
  };
  return h;
}

/** A raw SIP client: sends bytes, receives whole frames (terminator included, bytes as sent by the server). */
export class SipClient {
  private buf = Buffer.alloc(0);
  private waiters: ((b: Buffer) => void)[] = [];
  private frames: Buffer[] = [];
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const i = this.buf.indexOf(0x0d);
        if (i < 0) break;
        const end = this.buf[i + 1] === 0x0a ? i + 2 : i + 1;
        if (end > this.buf.length || (i + 1 === this.buf.length && false)) break;
        const frame = this.buf.subarray(0, end);
        this.buf = this.buf.subarray(end);
        const w = this.waiters.shift();
        if (w) w(Buffer.from(frame));
        else this.frames.push(Buffer.from(frame));
      }
    });
    socket.on('error', () => {});
    this.closed = new Promise((r) => socket.once('close', () => r()));
  }

  static connect(port: number, useTls = false): Promise<SipClient> {
    return new Promise((resolve, reject) => {
      const s: net.Socket = useTls
        ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => resolve(new SipClient(s)))
        : net.connect({ host: '127.0.0.1', port }, () => resolve(new SipClient(s)));
      s.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** The next frame from the server (rejects after `ms`). */
  receive(ms = 5000): Promise<Buffer> {
    const f = this.frames.shift();
    if (f) return Promise.resolve(f);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no response')), ms);
      this.waiters.push((b) => {
        clearTimeout(t);
        resolve(b);
      });
    });
  }

  /** Sends text + CR and waits for the answer. */
  async request(text: string | Buffer, ms = 5000): Promise<Buffer> {
    this.send(typeof text === 'string' ? text + '\r' : text);
    return this.receive(ms);
  }

  async text(t: string): Promise<string> {
    return (await this.request(t)).toString('utf8');
  }

  get pendingFrames(): number {
    return this.frames.length;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export const D = '20261128    120000';
