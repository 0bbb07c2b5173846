import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { getJobAttributes, getPrinterAttributes, IppNetworkError, IppStatusError, parsePrinters, PrintersService, printJob, PrintModule, PrintQueueService, retryDelayMs } from '@carrel/print';
import { newPdf, pdfBytes } from '@carrel/print';
import { domainModule } from '../support/app.js';
import { describeEachDatabase } from '../support/databases.js';
import { haveIppEvePrinter, startIppPrinter, type IppPrinter } from '../support/ipp-printer.js';
import { freePort } from '../support/ports.js';

/**
 * Real IPP: CUPS' ippeveprinter on 127.0.0.1 (started by the test with its private dbus and avahi) takes
 * Carrel's jobs. What it spools must be the PDF Carrel sent, byte for byte; a job sent while it prints
 * another meets server-error-busy and goes out on a later pass.
 */
if (!haveIppEvePrinter()) throw new Error('ippeveprinter, avahi-daemon and dbus-daemon are needed (Debian cups-ipp-utils, avahi-daemon, dbus; .ci/run installs them)');

async function labelsPdf(title: string): Promise<Buffer> {
  const doc = newPdf({ size: [612, 792], title });
  doc.fontSize(12).text(`${title}: QA76.73 .J38 2024`, 72, 72);
  return pdfBytes(doc);
}

const T0 = new Date('2026-11-30T09:00:00Z');

/** passes of the queue until the job is done (the printer needs real time to print) */
async function untilDone(queue: PrintQueueService, id: number, now: () => Date, db: () => { prisma: { printJob: { findUniqueOrThrow(a: { where: { id: number } }): Promise<{ status: string }> } } }) {
  for (let i = 0; i < 300; i++) {
    await queue.processQueue(now());
    const { status } = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
    if (status === 'completed' || status === 'failed') return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

describeEachDatabase('printing to an IPP printer (ippeveprinter)', (db) => {
  let printer: IppPrinter;
  let rasterOnly: IppPrinter;
  let mod: TestingModule;
  let queue: PrintQueueService;
  let storageDir: string;

  beforeAll(async () => {
    printer = await startIppPrinter({ name: `Carrel ${db().provider}`, tls: true });
    rasterOnly = await startIppPrinter({ name: `Raster ${db().provider}`, formats: 'image/pwg-raster' });
    storageDir = mkdtempSync(path.join(os.tmpdir(), 'carrel-print-ipp-'));
    mod = await domainModule(
      db(),
      {
        CARREL_PRINT_PRINTERS: JSON.stringify([
          { name: 'workroom', uri: printer.uri, media: 'na_letter_8.5x11in' },
          { name: 'raster', uri: rasterOnly.uri },
        ]),
        CARREL_PRINT_DEFAULT_PRINTER: 'workroom',
        CARREL_PRINT_STORAGE_DIR: storageDir,
        CARREL_PRINT_SEND_TIMEOUT_MS: '10000',
      },
      [PrintModule],
    );
    queue = mod.get(PrintQueueService);
  });
  afterAll(async () => {
    await mod?.close();
    await printer?.stop();
    await rasterOnly?.stop();
    rmSync(storageDir, { recursive: true, force: true });
  });

  it('answers Get-Printer-Attributes: idle, accepting jobs, PDF among its formats', async () => {
    const [p] = parsePrinters([{ name: 'x', uri: printer.uri }]);
    const info = await getPrinterAttributes(p!, { timeoutMs: 5000 });
    expect(info).toMatchObject({ state: 'idle', acceptingJobs: true });
    expect(info.formats).toContain('application/pdf');
    const list = await mod.get(PrintersService).list();
    expect(list[0]).toEqual(expect.objectContaining({ name: 'workroom', protocol: 'ipp', reachable: true, ippState: 'idle', acceptingJobs: true, snmp: null, ready: true, media: 'na_letter_8.5x11in', default: true }));
  });

  it('sends a queued job with Print-Job, follows it to completed; the spooled file is the PDF sent', async () => {
    const doc = await labelsPdf('Spine labels CPL');
    const { id } = await queue.enqueue({ kind: 'labels', title: 'Spine labels CPL', pdf: doc });
    const spooledBefore = printer.spooled().length;
    const [step] = await queue.processQueue(T0);
    expect(step).toMatchObject({ jobId: id, printer: 'workroom', outcome: 'processing', detail: expect.stringMatching(/^IPP job \d+$/) });
    expect(await untilDone(queue, id, () => T0, db)).toBe('completed');
    const row = await db().prisma.printJob.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'completed', attempts: 1, sentAt: T0, completedAt: T0, lastError: null, pages: 1 });
    expect(row.ippJobId).toBeGreaterThan(0);
    const spooled = printer.spooled();
    expect(spooled.length).toBe(spooledBefore + 1);
    expect(spooled.at(-1)!.equals(doc)).toBe(true);
  });

  it('a job sent while the printer prints another meets server-error-busy, is retried with back-off and then printed', async () => {
    printer.setProcessingSeconds(3);
    const [p] = parsePrinters([{ name: 'other-sender', uri: printer.uri }]);
    // another sender's job keeps the printer busy
    const other = await printJob(p!, { title: 'someone else', pdf: await labelsPdf('someone else') }, { timeoutMs: 5000, requestingUser: 'circdesk' });
    const doc = await labelsPdf('Hold notices');
    const { id } = await queue.enqueue({ kind: 'notices', title: 'Hold notices', pdf: doc });
    expect(await queue.processQueue(T0)).toEqual([{ jobId: id, printer: 'workroom', outcome: 'retry', detail: expect.stringContaining('server-error-busy') }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'queued', attempts: 1, nextAttemptAt: new Date(T0.getTime() + retryDelayMs(1)), lastError: expect.stringContaining('Print-Job: server-error-busy') });

    // the other job finishes
    for (let i = 0; i < 100 && (await getJobAttributes(p!, other.jobId, { timeoutMs: 5000 })).state !== 'completed'; i++) await new Promise((r) => setTimeout(r, 200));
    printer.setProcessingSeconds(0);
    // not before its time
    expect(await queue.processQueue(T0)).toEqual([]);
    const later = new Date(T0.getTime() + retryDelayMs(1));
    expect(await untilDone(queue, id, () => later, db)).toBe('completed');
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'completed', attempts: 2, lastError: null });
    expect(printer.spooled().at(-1)!.equals(doc)).toBe(true);
  });

  it('a job the printer has not finished within print.processingTimeoutMinutes fails with the reason, so the jobs behind it go out', async () => {
    printer.setProcessingSeconds(4);
    const { id } = await queue.enqueue({ kind: 'labels', title: 'Stuck at the printer', pdf: await labelsPdf('Stuck at the printer') });
    expect(await queue.processQueue(T0)).toEqual([expect.objectContaining({ jobId: id, outcome: 'processing' })]);
    // still printing a minute later: left alone
    expect(await queue.processQueue(new Date(T0.getTime() + 60_000))).toEqual([expect.objectContaining({ jobId: id, outcome: 'still-processing' })]);
    const behind = await queue.enqueue({ kind: 'notices', title: 'Behind the stuck job', pdf: await labelsPdf('Behind the stuck job') });
    expect(await queue.processQueue(new Date(T0.getTime() + 120_000))).toEqual([expect.objectContaining({ jobId: id, outcome: 'still-processing' })]);
    // past the default 240 minutes: it fails, and the job behind it is tried in the same pass
    const late = new Date(T0.getTime() + 241 * 60_000);
    const steps = await queue.processQueue(late);
    expect(steps[0]).toEqual({ jobId: id, printer: 'workroom', outcome: 'failed', detail: expect.stringMatching(/^the printer has not finished IPP job \d+ within 240 minutes \(processing.*\); check the printer before retrying it$/) });
    expect(steps[1]).toEqual(expect.objectContaining({ jobId: behind.id }));
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', lastError: expect.stringContaining('within 240 minutes') });
    // the printer finishes what it had; the job behind goes out
    const [p] = parsePrinters([{ name: 'x', uri: printer.uri }]);
    for (let i = 0; i < 100 && (await getPrinterAttributes(p!, { timeoutMs: 5000 })).state !== 'idle'; i++) await new Promise((r) => setTimeout(r, 200));
    printer.setProcessingSeconds(0);
    expect(await untilDone(queue, behind.id, () => new Date(late.getTime() + 3_600_000), db)).toBe('completed');
  });

  it('a printer that does not take PDF fails the job for good, with the formats it takes named; nothing is spooled', async () => {
    const { id } = await queue.enqueue({ printer: 'raster', kind: 'labels', title: 'to a raster printer', pdf: await labelsPdf('raster') });
    expect(await queue.processQueue(T0)).toEqual([{ jobId: id, printer: 'raster', outcome: 'failed', detail: expect.stringMatching(/^ipp:\/\/127\.0\.0\.1:\d+\/ipp\/print does not take PDF \(document-format-supported: .*image\/pwg-raster/) }]);
    expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rasterOnly.spooled()).toEqual([]);
  });

  describe('IPPS', () => {
    /** the printer makes its certificate on its first TLS connection */
    const certificate = async () => {
      if (!printer.certificateFile()) await getPrinterAttributes(parsePrinters([{ name: 'x', uri: printer.ippsUri, tlsInsecure: true }])[0]!, { timeoutMs: 5000 });
      return printer.certificateFile();
    };

    it('a printer with its own self-signed certificate: refused with the reason unless trusted by caFile or tlsInsecure', async () => {
      const [strict] = parsePrinters([{ name: 'strict', uri: printer.ippsUri }]);
      await expect(getPrinterAttributes(strict!, { timeoutMs: 5000 })).rejects.toThrow(IppNetworkError);
      await expect(getPrinterAttributes(strict!, { timeoutMs: 5000 })).rejects.toThrow(/ipps:\/\/localhost:\d+\/ipp\/print: .*(SELF_SIGNED|self[- ]signed)/i);
      const [insecure] = parsePrinters([{ name: 'insecure', uri: printer.ippsUri, tlsInsecure: true }]);
      expect(await getPrinterAttributes(insecure!, { timeoutMs: 5000 })).toMatchObject({ state: expect.any(String), acceptingJobs: true });
      // trusting exactly the printer's own certificate
      const cert = await certificate();
      expect(cert).not.toBeNull();
      const [trusted] = parsePrinters([{ name: 'trusted', uri: printer.ippsUri, caFile: cert }]);
      expect(trusted!.ca).toContain('-----BEGIN CERTIFICATE-----');
      expect(await getPrinterAttributes(trusted!, { timeoutMs: 5000 })).toMatchObject({ acceptingJobs: true });
    });

    it('a job queued for an IPPS printer trusted by caFile is printed over TLS, byte for byte', async () => {
      const cert = await certificate();
      const tlsMod = await domainModule(
        db(),
        { CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'secure', uri: printer.ippsUri, caFile: cert }]), CARREL_PRINT_STORAGE_DIR: storageDir, CARREL_PRINT_SEND_TIMEOUT_MS: '10000' },
        [PrintModule],
      );
      try {
        const tlsQueue = tlsMod.get(PrintQueueService);
        const doc = await labelsPdf('Over TLS');
        const { id } = await tlsQueue.enqueue({ printer: 'secure', kind: 'labels', title: 'Over TLS', pdf: doc });
        expect(await untilDone(tlsQueue, id, () => T0, db)).toBe('completed');
        expect(await db().prisma.printJob.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'completed', attempts: 1, lastError: null });
        expect(printer.spooled().at(-1)!.equals(doc)).toBe(true);
      } finally {
        await tlsMod.close();
      }
    });
  });

  it('the IPP client tells a refusal from a network fault', async () => {
    const [p] = parsePrinters([{ name: 'x', uri: printer.uri }]);
    await expect(getJobAttributes(p!, 999_999, { timeoutMs: 5000 })).rejects.toThrow(IppStatusError);
    await expect(getJobAttributes(p!, 999_999, { timeoutMs: 5000 })).rejects.toMatchObject({ status: 'client-error-not-found' });
    const [gone] = parsePrinters([{ name: 'gone', uri: `ipp://127.0.0.1:${await freePort()}/ipp/print` }]);
    await expect(getPrinterAttributes(gone!, { timeoutMs: 2000 })).rejects.toThrow(IppNetworkError);
    await expect(getPrinterAttributes(gone!, { timeoutMs: 2000 })).rejects.toThrow(/ECONNREFUSED/);
  });
});
