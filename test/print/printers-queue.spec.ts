import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import request from 'supertest';
import { StaffTokenService } from '@carrel/auth';
import { ConfigError } from '@carrel/config';
import { createLogger } from '@carrel/logging';
import { parsePrinters, PrintersService, PrintModule, PrintQueueService, retryDelayMs } from '@carrel/print';
import { createHub } from '../../apps/hub/src/bootstrap.js';
import { domainModule, testSettings } from '../support/app.js';
import { describeEachDatabase, ROOT } from '../support/databases.js';
import { freePort } from '../support/ports.js';
import { startRawPrinter, type RawPrinter } from '../support/raw-printer.js';
import { IDLE_PRINTER, startSnmpAgent, type SnmpAgent } from '../support/snmp-agent.js';

/**
 * The print queue against real peers on loopback: a port-9100 listener that keeps what arrives, and
 * net-snmp's agent playing the printer's SNMP side. Jobs are rows, PDFs are files by SHA-256; a printer
 * out of paper or jammed holds its jobs until it is fixed, low toner only warns, a dead printer is tried
 * again with back-off until print.maxAttempts, and a hub killed while sending loses nothing.
 */

/** a small PDF-shaped document with a marker, different per call */
function pdf(marker: string, size = 2000): Buffer {
  const head = Buffer.from(`%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n% ${marker}\n`, 'latin1');
  const body = createHash('sha256').update(marker).digest();
  const out = Buffer.alloc(Math.max(size, head.length + 8));
  head.copy(out);
  for (let i = head.length; i < out.length - 6; i++) out[i] = body[i % body.length]!;
  Buffer.from('%%EOF\n').copy(out, out.length - 6);
  return out;
}

const T0 = new Date('2026-11-30T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('print.printers: checked field by field', () => {
  const bad = (printers: unknown) => () => parsePrinters(printers);
  it('reads IPP, IPPS and raw printers with their defaults', () => {
    const [a, b, c] = parsePrinters([
      { name: 'desk', uri: 'ipp://printer.local/ipp/print', snmp: { host: 'printer.local' }, media: 'na_letter_8.5x11in', branch: 'CPL', labelProfile: { offsetY: 1.5, creepY: '0.2pt' } },
      { name: 'cups', uri: 'ipps://cups.example:443/printers/labels', tlsInsecure: true },
      { name: 'raw', uri: 'socket://10.0.0.5' },
    ]);
    expect(a).toMatchObject({ protocol: 'ipp', host: 'printer.local', port: 631, path: '/ipp/print', snmp: { host: 'printer.local', port: 161, community: 'public' }, media: 'na_letter_8.5x11in', branch: 'CPL', labelProfile: { offsetX: 0, offsetY: 1.5, creepX: 0, creepY: 0.2 } });
    expect(b).toMatchObject({ protocol: 'ipps', port: 443, path: '/printers/labels', tlsInsecure: true, snmp: null });
    expect(c).toMatchObject({ protocol: 'socket', host: '10.0.0.5', port: 9100 });
    expect(parsePrinters([])).toEqual([]);
  });

  it.each([
    ['not an array', { name: 'x' }, 'print.printers must be a JSON array of printers'],
    ['an entry that is not an object', ['desk'], 'printer #1: entry must be an object'],
    ['a missing name', [{ uri: 'ipp://h/ipp/print' }], 'printer #1: name must be'],
    ['a name with spaces', [{ name: 'front desk', uri: 'ipp://h/' }], 'printer "front desk": name must be'],
    ['two printers of one name', [{ name: 'a', uri: 'ipp://h/' }, { name: 'a', uri: 'ipp://g/' }], 'printer "a": name is used by two printers'],
    ['a missing uri', [{ name: 'a' }], 'printer "a": uri must be ipp://…'],
    ['an http uri', [{ name: 'a', uri: 'http://h:631/ipp/print' }], 'printer "a": uri must use ipp, ipps or socket'],
    ['a uri that is not one', [{ name: 'a', uri: 'printer at the desk' }], 'printer "a": uri is not a URI'],
    ['a password in the uri', [{ name: 'a', uri: 'ipp://me:secret@h/ipp/print' }], 'printer "a": uri must not carry a user or password'],
    ['a raw uri with a path', [{ name: 'a', uri: 'socket://h:9100/queue' }], 'printer "a": uri of a raw socket printer has no path'],
    ['an unknown field', [{ name: 'a', uri: 'ipp://h/', colour: true }], 'printer "a": colour is not a printer field'],
    ['snmp without host', [{ name: 'a', uri: 'ipp://h/', snmp: { community: 'public' } }], 'printer "a": snmp.host must be a host name'],
    ['an snmp port out of range', [{ name: 'a', uri: 'ipp://h/', snmp: { host: 'h', port: 70000 } }], 'printer "a": snmp.port must be a port number'],
    ['an empty community', [{ name: 'a', uri: 'ipp://h/', snmp: { host: 'h', community: '' } }], 'printer "a": snmp.community must be a non-empty text'],
    ['an unknown snmp field', [{ name: 'a', uri: 'ipp://h/', snmp: { host: 'h', version: 3 } }], 'printer "a": snmp.version is not an SNMP field'],
    ['a media that is not a keyword', [{ name: 'a', uri: 'ipp://h/', media: 'US Letter' }], 'printer "a": media must be an IPP media keyword'],
    ['media for a raw printer', [{ name: 'a', uri: 'socket://h:9100', media: 'iso_a4_210x297mm' }], 'printer "a": media cannot be sent to a raw socket printer'],
    ['an offset of a foot', [{ name: 'a', uri: 'ipp://h/', labelProfile: { offsetX: 864 } }], 'printer "a": labelProfile.offsetX must be within'],
    ['tlsInsecure on plain ipp', [{ name: 'a', uri: 'ipp://h/', tlsInsecure: true }], 'printer "a": tlsInsecure applies to ipps:// printers only'],
    ['caFile on plain ipp', [{ name: 'a', uri: 'ipp://h/', caFile: '/etc/ssl/certs/ca-certificates.crt' }], 'printer "a": caFile applies to ipps:// printers only'],
    ['caFile with tlsInsecure', [{ name: 'a', uri: 'ipps://h/', tlsInsecure: true, caFile: '/etc/ssl/certs/ca-certificates.crt' }], 'printer "a": caFile and tlsInsecure together make no sense'],
    ['a caFile that is not there', [{ name: 'a', uri: 'ipps://h/', caFile: '/nonexistent/printer.pem' }], 'printer "a": caFile cannot be read (ENOENT), got "/nonexistent/printer.pem"'],
    ['a caFile that is no certificate', [{ name: 'a', uri: 'ipps://h/', caFile: '/etc/hostname' }], 'printer "a": caFile holds no PEM certificate'],
    ['an empty branch', [{ name: 'a', uri: 'ipp://h/', branch: ' ' }], 'printer "a": branch must be a branch code'],
  ])('refuses %s, naming the printer and the field', (_what, value, message) => {
    expect(bad(value)).toThrow(message);
  });
});

describeEachDatabase('print queue with a raw 9100 printer and SNMP', (db) => {
  let raw: RawPrinter;
  let agent: SnmpAgent;
  let deadPort: number;
  let mod: TestingModule;
  let queue: PrintQueueService;
  let printers: PrintersService;
  let storageDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    raw = await startRawPrinter();
    agent = await startSnmpAgent(IDLE_PRINTER);
    deadPort = await freePort();
    storageDir = mkdtempSync(path.join(os.tmpdir(), 'carrel-print-'));
    env = {
      CARREL_PRINT_PRINTERS: JSON.stringify([
        { name: 'desk', uri: raw.uri, snmp: { host: '127.0.0.1', port: agent.port }, branch: 'CPL' },
        { name: 'basement', uri: `socket://127.0.0.1:${deadPort}` },
      ]),
      CARREL_PRINT_DEFAULT_PRINTER: 'desk',
      CARREL_PRINT_STORAGE_DIR: storageDir,
      CARREL_PRINT_MAX_ATTEMPTS: '3',
      CARREL_PRINT_SEND_TIMEOUT_MS: '3000',
      CARREL_PRINT_SNMP_TIMEOUT_MS: '500',
    };
    mod = await domainModule(db(), env, [PrintModule]);
    queue = mod.get(PrintQueueService);
    printers = mod.get(PrintersService);
  });
  afterAll(async () => {
    await mod?.close();
    await raw?.close();
    await agent?.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    agent.setState(IDLE_PRINTER);
    raw.stall(false);
  });

  it('enqueue keeps the PDF under print.storageDir by its SHA-256 and queues a row; the same PDF is stored once', async () => {
    const doc = pdf('enqueue');
    const sha = createHash('sha256').update(doc).digest('hex');
    const a = await queue.enqueue({ kind: 'labels', title: 'Spine labels, new books', pdf: doc, createdBy: 'staff-token:tech' });
    const b = await queue.enqueue({ printer: 'desk', kind: 'labels', title: 'Spine labels, again', pdf: doc });
    expect(a.status).toBe('queued');
    const row = await db().prisma.printJob.findUniqueOrThrow({ where: { id: a.id } });
    expect(row).toMatchObject({ printer: 'desk', kind: 'labels', status: 'queued', documentSha256: sha, documentPath: path.join(storageDir, `${sha}.pdf`), pages: 1, attempts: 0, createdBy: 'staff-token:tech' });
    expect(readFileSync(row.documentPath).equals(doc)).toBe(true);
    expect((await db().prisma.printJob.findUniqueOrThrow({ where: { id: b.id } })).documentPath).toBe(row.documentPath);
    expect(await db().prisma.auditEntry.count({ where: { entity: 'PrintJob', entityId: String(a.id), action: 'print.enqueue' } })).toBe(1);
    // both go out, in order, byte for byte
    const before = raw.jobs.length;
    await queue.processQueue(T0);
    await queue.processQueue(T0);
    expect(raw.jobs.slice(before).map((j) => j.equals(doc))).toEqual([true, true]);
  });

  it('refuses a job for an unknown printer, of an unknown kind, without title, or not a PDF', async () => {
    await expect(queue.enqueue({ printer: 'attic', kind: 'labels', title: 't', pdf: pdf('x') })).rejects.toThrow('printer "attic" is not configured (printers: desk, basement)');
    await expect(queue.enqueue({ kind: 'poster', title: 't', pdf: pdf('x') })).rejects.toThrow('kind "poster" is not one of labels, notices');
    await expect(queue.enqueue({ kind: 'labels', title: '  ', pdf: pdf('x') })).rejects.toThrow('title is empty');
    await expect(queue.enqueue({ kind: 'labels', title: 't', pdf: Buffer.alloc(0) })).rejects.toThrow('the document is empty');
    await expect(queue.enqueue({ kind: 'labels', title: 'PostScript', pdf: Buffer.from('%!PS-Adobe-3.0\n') })).rejects.toThrow('print job "PostScript": the document is not a PDF (it starts "%!PS-Ado")');
  });

  it('sends a raw job byte for byte and completes it when the connection closes cleanly', async () => {
    const doc = pdf('raw job', 300_000);
    const { id } = await queue.enqueue({ kind: 'notices', title: 'Overdue notices CPL', pdf: doc });
    const before = raw.jobs.length;
    const steps = await queue.processQueue(T0);
    expect(steps).toEqual([{ jobId: id, printer: 'desk', outcome: 'completed', detail: `${doc.length} bytes to ${raw.uri}` }]);
    expect(raw.jobs.length).toBe(before + 1);
    expect(raw.jobs.at(-1)!.equals(doc)).toBe(true);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'completed', attempts: 1, sentAt: T0, completedAt: T0, lastError: null });
    expect(await queue.processQueue(T0)).toEqual([]);
  });

  it.each([
    ['out of paper', { errors: ['noPaper'], trays: [{ mediaName: 'Letter', maxCapacity: 250, level: 0 }] }, 'noPaper'],
    ['jammed', { errors: ['jammed'], alerts: [{ severity: 3, group: 13, code: 8, description: 'Paper jam' }] }, 'jammed'],
    ['with its door open', { errors: ['doorOpen'] }, 'doorOpen'],
    ['offline', { printerStatus: 1, errors: ['offline'] }, 'offline'],
  ] as const)('a printer %s holds the job with the reason; it goes out once the printer is fine', async (_what, state, reason) => {
    agent.setState({ ...IDLE_PRINTER, ...(state as object) });
    const doc = pdf(`held ${reason}`);
    const { id } = await queue.enqueue({ kind: 'labels', title: `held ${reason}`, pdf: doc });
    const before = raw.jobs.length;
    expect(await queue.processQueue(T0)).toEqual([{ jobId: id, printer: 'desk', outcome: 'held', detail: reason }]);
    expect(await queue.processQueue(at(60_000))).toEqual([{ jobId: id, printer: 'desk', outcome: 'held', detail: reason }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'held', heldReason: reason, attempts: 0 });
    expect(raw.jobs.length).toBe(before);
    const [desk] = await printers.list();
    expect(desk).toMatchObject({ name: 'desk', reachable: true, ready: false, jobs: { held: 1, queued: 0 }, snmp: { reachable: true, blocking: [reason] } });

    agent.setState(IDLE_PRINTER);
    expect(await queue.processQueue(at(120_000))).toMatchObject([{ jobId: id, outcome: 'completed' }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'completed', heldReason: null, attempts: 1 });
    expect(raw.jobs.at(-1)!.equals(doc)).toBe(true);
  });

  it('low toner and low paper are reported and printing goes on', async () => {
    agent.setState({
      ...IDLE_PRINTER,
      deviceStatus: 3,
      errors: ['lowToner', 'lowPaper'],
      supplies: [{ description: 'Black Toner', supplyClass: 3, type: 21, unit: 19, maxCapacity: 100, level: 3 }, { description: 'Cyan', supplyClass: 3, type: 3, unit: 19, maxCapacity: 100, level: -3 }],
      trays: [{ mediaName: 'Letter', maxCapacity: 250, level: 12 }],
    });
    const { id } = await queue.enqueue({ kind: 'labels', title: 'low toner', pdf: pdf('low toner') });
    expect(await queue.processQueue(T0)).toMatchObject([{ jobId: id, outcome: 'completed' }]);
    const [desk] = await printers.list();
    expect(desk!.ready).toBe(true);
    expect(desk!.snmp).toMatchObject({ reachable: true, status: 'idle', deviceStatus: 'warning', errors: ['lowPaper', 'lowToner'], blocking: [] });
    expect(desk!.snmp!.warnings).toEqual(['lowPaper', 'lowToner', 'low Black Toner (3%)', 'tray 1 (Letter) low']);
    expect(desk!.snmp!.supplies!.map((s) => [s.description, s.level, s.percent, s.state])).toEqual([
      ['Black Toner', 3, 3, 'low'],
      ['Cyan', -3, null, 'someRemaining'],
    ]);
    expect(desk!.snmp!.trays).toEqual([{ index: 1, mediaName: 'Letter', level: 12, maxCapacity: 250, state: 'low', available: true, critical: false }]);
  });

  it('a printer that refuses connections: retried with back-off, then failed for good with the reason; staff can send it again or cancel it', async () => {
    const { id } = await queue.enqueue({ printer: 'basement', kind: 'document', title: 'to the basement', pdf: pdf('dead') });
    const first = await queue.processQueue(T0);
    expect(first).toEqual([{ jobId: id, printer: 'basement', outcome: 'retry', detail: expect.stringContaining('ECONNREFUSED') }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: at(retryDelayMs(1)), lastError: expect.stringContaining(`socket://127.0.0.1:${deadPort}`) });
    // not due yet: nothing happens
    expect(await queue.processQueue(at(retryDelayMs(1) - 1))).toEqual([]);
    expect(await queue.processQueue(at(retryDelayMs(1)))).toMatchObject([{ jobId: id, outcome: 'retry' }]);
    const second = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
    expect(second).toMatchObject({ attempts: 2, nextAttemptAt: at(retryDelayMs(1) + retryDelayMs(2)) });
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));
    const last = await queue.processQueue(second.nextAttemptAt!);
    expect(last).toEqual([{ jobId: id, printer: 'basement', outcome: 'failed', detail: expect.stringMatching(/ECONNREFUSED.*\(gave up after 3 attempts\)$/) }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
    expect(await queue.processQueue(at(86_400_000))).toEqual([]);

    await expect(queue.cancel(id).then((j) => j.status)).resolves.toBe('cancelled');
    await expect(queue.retry(id)).rejects.toThrow(`print job ${id} is cancelled: only a failed job can be sent again`);
    const other = await queue.enqueue({ printer: 'basement', kind: 'document', title: 'again', pdf: pdf('dead 2') });
    await db().prisma.printJob.update({ where: { id: other.id }, data: { status: 'failed', attempts: 3 } });
    expect(await queue.retry(other.id)).toMatchObject({ status: 'queued', attempts: 0 });
    await queue.cancel(other.id);
    await expect(queue.cancel(999_999)).rejects.toThrow('print job 999999 does not exist');
  });

  it('a listener that stops reading: the job fails its attempt after the send timeout and is retried', async () => {
    raw.stall(true);
    const { id } = await queue.enqueue({ kind: 'labels', title: 'stalled', pdf: pdf('stalled', 64 * 1024 * 1024) });
    const steps = await queue.processQueue(T0);
    expect(steps).toEqual([{ jobId: id, printer: 'desk', outcome: 'retry', detail: expect.stringContaining('no progress within 3000 ms') }]);
    raw.stall(false);
    await queue.cancel(id);
    // the cut-off connection drains and closes before the next test counts what arrived
    for (let i = 0; i < 300 && raw.connections() > 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(raw.connections()).toBe(0);
  });

  it('a document removed from storage fails the job with the path named', async () => {
    const { id } = await queue.enqueue({ kind: 'labels', title: 'lost file', pdf: pdf('lost file') });
    const row = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
    rmSync(row.documentPath);
    expect(await queue.processQueue(T0)).toEqual([{ jobId: id, printer: 'desk', outcome: 'failed', detail: `the document ${row.documentPath} cannot be read (ENOENT)` }]);
  });

  it('a bad print.printers or print.defaultPrinter stops the module at start with the printer named', async () => {
    await expect(domainModule(db(), { ...env, CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'desk', uri: 'lpd://h/q' }]) }, [PrintModule])).rejects.toThrow(ConfigError);
    await expect(domainModule(db(), { ...env, CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'desk', uri: 'lpd://h/q' }]) }, [PrintModule])).rejects.toThrow('print.printers: printer "desk": uri must use ipp, ipps or socket');
    await expect(domainModule(db(), { ...env, CARREL_PRINT_DEFAULT_PRINTER: 'attic' }, [PrintModule])).rejects.toThrow('print.defaultPrinter "attic" is not one of the printers in print.printers (desk, basement)');
  });

  describe('GET /api/v1/printers', () => {
    let app: INestApplication;
    let auth: Record<string, string>;
    beforeAll(async () => {
      app = await createHub(testSettings(db(), { ...env, CARREL_SCHEDULER_ENABLED: 'false' }), createLogger('silent'));
      await app.listen(0, '127.0.0.1');
      auth = { Authorization: `Bearer ${(await app.get(StaffTokenService).create('print')).token}` };
    });
    afterAll(() => app?.close());

    it('shows each printer: reachable, status, errors, supplies, trays, alerts, queued and held counts', async () => {
      agent.setState({ ...IDLE_PRINTER, errors: ['noPaper'], alerts: [{ severity: 3, group: 8, code: 808, description: 'Load Letter in tray 1' }] });
      const held = await queue.enqueue({ kind: 'labels', title: 'held for the API', pdf: pdf('api held') });
      await queue.processQueue(T0);
      await queue.enqueue({ printer: 'basement', kind: 'labels', title: 'queued for the API', pdf: pdf('api queued') });
      const http = request(app.getHttpServer());
      await http.get('/api/v1/printers').expect(401);
      const body = (await http.get('/api/v1/printers').set(auth).expect(200)).body as Record<string, any>[];
      expect(body.map((p) => p.name)).toEqual(['desk', 'basement']);
      expect(body[0]).toMatchObject({
        name: 'desk', uri: raw.uri, protocol: 'socket', branch: 'CPL', default: true, reachable: true, ready: false,
        snmp: { reachable: true, status: 'idle', deviceStatus: 'running', errors: ['noPaper'], blocking: ['noPaper'], alerts: [{ severity: 'critical', group: 'input', code: 'inputMediaSupplyEmpty', description: 'Load Letter in tray 1' }] },
        jobs: { held: 1 },
      });
      expect(body[0].snmp.supplies.map((s: { description: string; percent: number }) => [s.description, s.percent])).toEqual([['Black Toner Cartridge', 80], ['Waste Toner Box', 90]]);
      expect(body[0].snmp.trays).toHaveLength(1);
      expect(body[1]).toMatchObject({ name: 'basement', reachable: false, reachError: expect.stringContaining('ECONNREFUSED'), snmp: null, ready: false, default: false, jobs: { queued: 1 } });
      const jobs = (await http.get('/api/v1/print-jobs?status=held').set(auth).expect(200)).body as { id: number; heldReason: string }[];
      expect(jobs).toContainEqual(expect.objectContaining({ id: held.id, heldReason: 'noPaper' }));
      await http.get('/api/v1/print-jobs?status=lost').set(auth).expect(400);
      expect((await http.post(`/api/v1/print-jobs/${held.id}/cancel`).set(auth).expect(200)).body).toMatchObject({ status: 'cancelled' });
      await http.post(`/api/v1/print-jobs/${held.id}/cancel`).set(auth).expect(409);
      await db().prisma.printJob.updateMany({ where: { printer: 'basement', status: 'queued' }, data: { status: 'cancelled' } });
    });
  });

  describe('a hub killed while sending', () => {
    const hubs: ChildProcess[] = [];
    const hubMain = path.join(ROOT, 'dist/apps/hub/src/main.js');
    const startHub = () => {
      const hub = spawn(process.execPath, [hubMain], {
        cwd: ROOT,
        env: {
          ...process.env,
          ...env,
          CARREL_CONFIG: '',
          DATABASE_URL: db().url,
          CARREL_MIGRATE_ON_START: 'false',
          CARREL_SEED_DEMO: 'false',
          CARREL_HTTP_ENABLED: 'false',
          CARREL_SIP2_ENABLED: 'false',
          CARREL_SCHEDULER_ENABLED: 'true',
          CARREL_PRINT_QUEUE_INTERVAL_SECONDS: '1',
          CARREL_PRINT_SEND_TIMEOUT_MS: '120000',
          CARREL_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      hub.stdout!.on('data', (d) => (log += d));
      hub.stderr!.on('data', (d) => (log += d));
      hubs.push(hub);
      return { hub, log: () => log, exited: new Promise<void>((resolve) => hub.once('exit', () => resolve())) };
    };
    const until = async (what: string, check: () => Promise<boolean> | boolean, log: () => string, ms = 60_000) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (await check()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${what} did not happen within ${ms} ms; hub log:\n${log()}`);
    };
    afterAll(() => {
      for (const h of hubs) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
    });

    it('the job left "sending" is sent whole by the next hub; nothing is lost', async () => {
      expect(existsSync(hubMain)).toBe(true);
      await db().prisma.printJob.updateMany({ where: { status: { in: ['queued', 'held', 'processing'] } }, data: { status: 'cancelled' } });
      raw.stall(true);
      // larger than the socket buffers on both sides, so the send stays in progress while the printer reads nothing
      const doc = pdf('killed mid-send', 48 * 1024 * 1024);
      const { id } = await queue.enqueue({ kind: 'notices', title: 'Hold notices', pdf: doc });
      const jobsBefore = raw.jobs.length;
      const partialBefore = raw.partial.length;

      const first = startHub();
      await until('the first hub sending the job', async () => (await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).status === 'sending' && raw.receiving() > 0, first.log);
      first.hub.kill('SIGKILL');
      await first.exited;
      expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'sending', attempts: 1 });

      raw.stall(false);
      const second = startHub();
      await until('the second hub completing the job', async () => (await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).status === 'completed', second.log);
      second.hub.kill('SIGTERM');
      await second.exited;

      const row = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({ status: 'completed', attempts: 2, lastError: null });
      // the killed hub's connection delivered a cut-off start; the job itself arrived whole afterwards
      const arrived = [...raw.jobs.slice(jobsBefore), ...raw.partial.slice(partialBefore)];
      expect(arrived.filter((j) => j.equals(doc))).toHaveLength(1);
      for (const cut of arrived.filter((j) => !j.equals(doc))) {
        expect(cut.length).toBeLessThan(doc.length);
        expect(doc.subarray(0, cut.length).equals(cut)).toBe(true);
      }
    });
  });
});
