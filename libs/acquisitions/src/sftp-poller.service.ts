import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Injectable, NotFoundException } from '@nestjs/common';
import SftpClient from 'ssh2-sftp-client';
import { AuditService } from '@carrel/audit';
import { DbService } from '@carrel/db';
import { nextRetryAt } from './backoff.js';
import { matchesAny, parseFolders, remoteJoin, renamedAfterDownload, type ConnectorFolder } from './file-kinds.js';
import { fingerprintOf, hostKeyMatches, parseTrustedHostKey } from './host-key.js';
import { FileTooLargeError } from './intake-store.js';
import { IntakeService, type IntakeOutcome } from './intake.service.js';
import type { ConnectorRow } from './vendors.service.js';

export type PollEvent =
  | { type: 'connecting'; connector: string }
  | { type: 'listed'; folder: string; files: number; fresh: number }
  | { type: 'download'; name: string; bytes: number; size: number }
  | { type: 'file'; outcome: IntakeOutcome }
  | { type: 'skipped'; name: string; reason: string };

export interface PollOptions {
  now?: Date;
  onProgress?: (e: PollEvent) => void;
}

export interface PollReport {
  connectorId: number;
  connector: string;
  vendor: string;
  ok: boolean;
  /** 'host-key-mismatch', 'login-refused', 'unreachable', 'connection-lost', 'disk-full', 'error' */
  errorKind?: string;
  error?: string;
  listed: number;
  files: IntakeOutcome[];
  /** remote files fetched in an earlier poll */
  alreadySeen: number;
  /** files left unprocessed by an earlier, interrupted poll and finished now */
  resumed: number;
  skipped: { name: string; reason: string }[];
}

/** A failure that ends the poll of a connector (the connection is gone or unusable). */
class ConnectorFailure extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

/** Leftover temporary downloads older than this are removed at the start of a poll. */
const STALE_INCOMING_MS = 60 * 60_000;

/**
 * Polls vendors' SFTP servers: checks the host key against the trusted one, lists the configured folders,
 * fetches the files it has not fetched before into the intake ledger, then renames or moves them remotely.
 * Errors are recorded on the connector, which is retried with back-off; one vendor's failure never stops
 * another's poll.
 */
@Injectable()
export class SftpPollerService {
  constructor(private readonly db: DbService, private readonly audit: AuditService, private readonly intake: IntakeService) {}

  /** Polls every enabled connector that is not backing off; each on its own, whatever the others do. */
  async pollDue(now = new Date()): Promise<PollReport[]> {
    const due = await this.db.prisma.sftpConnector.findMany({
      where: { enabled: true, vendor: { active: true }, OR: [{ nextRetryAt: null }, { nextRetryAt: { lte: now } }] },
      orderBy: { id: 'asc' },
      select: { id: true },
    });
    const reports: PollReport[] = [];
    for (const c of due) reports.push(await this.pollConnector(c.id, { now }));
    return reports;
  }

  /** `carrel vendor poll`: every enabled connector of a vendor, back-off or not (staff asked). */
  async pollVendor(code: string, opts: PollOptions = {}): Promise<PollReport[]> {
    const vendor = await this.db.prisma.vendor.findUnique({ where: { code }, include: { connectors: { where: { enabled: true }, orderBy: { id: 'asc' } } } });
    if (!vendor) throw new NotFoundException(`vendor "${code}" not found`);
    const reports: PollReport[] = [];
    for (const c of vendor.connectors) reports.push(await this.pollConnector(c.id, opts));
    return reports;
  }

  /** One poll of one connector. Never throws for the connector's own failures: they are in the report and on the connector. */
  async pollConnector(connectorId: number, opts: PollOptions = {}): Promise<PollReport> {
    const now = opts.now ?? new Date();
    const connector = await this.db.prisma.sftpConnector.findUnique({ where: { id: connectorId }, include: { vendor: true } });
    if (!connector) throw new NotFoundException(`connector ${connectorId} not found`);
    const vendor = connector.vendor;
    const report: PollReport = {
      connectorId, connector: connector.name, vendor: vendor.code, ok: true, listed: 0, files: [], alreadySeen: 0, resumed: 0, skipped: [],
    };
    try {
      await this.intake.store.removeStale(now.getTime(), STALE_INCOMING_MS);
      report.resumed = (await this.intake.resumePending(vendor.id, now)).length;
      await this.fetchAll(connector, vendor, report, now, opts.onProgress);
    } catch (err) {
      report.ok = false;
      report.errorKind = err instanceof ConnectorFailure ? err.kind : classify(err);
      report.error = err instanceof Error ? err.message : String(err);
    }
    await this.finish(connector, report, now);
    return report;
  }

  private async fetchAll(connector: ConnectorRow, vendor: { id: number; code: string }, report: PollReport, now: Date, onProgress?: (e: PollEvent) => void) {
    const folders = parseFolders(connector.folders);
    const trusted = parseTrustedHostKey(connector.hostKey);
    let refusedKey: string | undefined;
    let lost: Error | undefined;
    const dropListeners = new Set<(e: Error) => void>();
    const dropped = (e: Error) => {
      lost ??= e;
      for (const l of dropListeners) l(e);
    };
    // ssh2-sftp-client's default global listeners print to the console; Carrel records instead
    const client = new SftpClient(`carrel-${vendor.code}`, {
      error: (e: unknown) => dropped(e instanceof Error ? e : new Error(String(e))),
      end: () => dropped(new Error('the server ended the connection')),
      close: () => dropped(new Error('the connection closed')),
    });
    onProgress?.({ type: 'connecting', connector: `${connector.username}@${connector.host}:${connector.port}` });
    try {
      try {
        await client.connect({
          host: connector.host,
          port: connector.port,
          username: connector.username,
          ...(connector.privateKeyPath ? { privateKey: await readFile(connector.privateKeyPath) } : {}),
          ...(connector.passphraseEnv ? { passphrase: process.env[connector.passphraseEnv] ?? '' } : {}),
          ...(connector.passwordEnv ? { password: process.env[connector.passwordEnv] ?? '' } : {}),
          hostVerifier: (key: Buffer) => {
            const ok = hostKeyMatches(trusted, key);
            if (!ok) refusedKey = fingerprintOf(key);
            return ok;
          },
          readyTimeout: 20_000,
          keepaliveInterval: 15_000,
        });
      } catch (err) {
        if (refusedKey) {
          throw new ConnectorFailure('host-key-mismatch', `the server's host key is not the trusted one: it presented ${refusedKey}; refusing to connect (update the connector's hostKey only if the vendor confirms the change)`);
        }
        throw new ConnectorFailure(classify(err), `cannot connect to ${connector.host}:${connector.port}: ${(err as Error).message}`);
      }
      lost = undefined;
      for (const folder of folders) {
        await this.fetchFolder(client, connector, vendor, folder, report, now, onProgress, () => lost, dropListeners);
      }
    } finally {
      dropListeners.clear();
      await client.end().catch(() => undefined);
    }
  }

  private async fetchFolder(
    client: SftpClient, connector: ConnectorRow, vendor: { id: number; code: string }, folder: ConnectorFolder, report: PollReport, now: Date,
    onProgress: ((e: PollEvent) => void) | undefined, lost: () => Error | undefined, dropListeners: Set<(e: Error) => void>,
  ) {
    let entries: SftpClient.FileInfo[];
    try {
      entries = await client.list(folder.path);
    } catch (err) {
      const gone = lost();
      if (gone) throw new ConnectorFailure('connection-lost', `connection lost while listing ${folder.path}: ${gone.message}`);
      throw new ConnectorFailure('error', `cannot list ${folder.path}: ${(err as Error).message}`);
    }
    const files = entries.filter((e) => e.type === '-' && matchesAny(e.name, folder.patterns)).sort((a, b) => a.name.localeCompare(b.name));
    report.listed += files.length;
    // what this connector fetched before, by path, size and modification time: one query per 500 names
    const earlier = new Map<string, { id: number; remoteAction: string | null }>();
    const paths = files.map((e) => remoteJoin(folder.path, e.name));
    for (let i = 0; i < paths.length; i += 500) {
      const rows = await this.db.prisma.intakeArrival.findMany({
        where: { connectorId: connector.id, remotePath: { in: paths.slice(i, i + 500) } },
        select: { id: true, remotePath: true, size: true, remoteModified: true, remoteAction: true },
        orderBy: { id: 'asc' },
      });
      for (const r of rows) earlier.set(`${r.remotePath}\0${r.size}\0${r.remoteModified?.getTime()}`, { id: r.id, remoteAction: r.remoteAction });
    }
    let fresh = 0;
    const todo: { entry: SftpClient.FileInfo; seen: { id: number; remoteAction: string | null } | null }[] = [];
    for (const entry of files) {
      const seen = earlier.get(`${remoteJoin(folder.path, entry.name)}\0${entry.size}\0${new Date(entry.modifyTime).getTime()}`) ?? null;
      if (!seen) fresh++;
      todo.push({ entry, seen });
    }
    onProgress?.({ type: 'listed', folder: folder.path, files: files.length, fresh });

    for (const { entry, seen } of todo) {
      const remotePath = remoteJoin(folder.path, entry.name);
      if (seen) {
        report.alreadySeen++;
        // fetched before, but the after-download action did not happen (a crash or a dropped connection)
        if (seen.remoteAction === null) await this.afterDownload(client, connector, seen.id, folder.path, entry.name, lost);
        continue;
      }
      const incoming = await this.intake.store.begin((bytes) => onProgress?.({ type: 'download', name: entry.name, bytes, size: entry.size }));
      const reader = client.createReadStream(remotePath);
      const onDrop = (e: Error) => reader.destroy(new ConnectorFailure('connection-lost', `connection lost while downloading ${remotePath}: ${e.message}`));
      dropListeners.add(onDrop);
      try {
        await pipeline(reader, incoming);
      } catch (err) {
        await this.intake.store.discard(incoming);
        if (err instanceof ConnectorFailure) throw err;
        const gone = lost();
        if (gone) throw new ConnectorFailure('connection-lost', `connection lost while downloading ${remotePath}: ${gone.message}`);
        if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new ConnectorFailure('disk-full', `the intake folder is full: ${(err as Error).message}`);
        const reason = err instanceof FileTooLargeError ? err.message : `cannot read it: ${(err as Error).message}`;
        report.skipped.push({ name: remotePath, reason });
        onProgress?.({ type: 'skipped', name: remotePath, reason });
        await this.event(connector.id, now, 'warn', err instanceof FileTooLargeError ? 'file-too-large' : 'download', `${remotePath}: ${reason}`, remotePath);
        continue;
      } finally {
        dropListeners.delete(onDrop);
      }
      if (incoming.bytes !== entry.size) {
        // the vendor is still writing it, or it changed since the listing: taken on a later poll
        await this.intake.store.discard(incoming);
        const reason = `size changed while downloading (listed ${entry.size} bytes, read ${incoming.bytes}); fetched on a later poll`;
        report.skipped.push({ name: remotePath, reason });
        onProgress?.({ type: 'skipped', name: remotePath, reason });
        await this.event(connector.id, now, 'warn', 'download', `${remotePath}: ${reason}`, remotePath);
        continue;
      }
      const stored = await this.intake.store.commit(incoming, vendor.code);
      this.intake.step('stored', { name: entry.name });
      const outcome = await this.intake.intake({
        vendor, connectorId: connector.id, source: 'sftp', name: entry.name, remotePath, remoteModified: new Date(entry.modifyTime),
        kind: folder.kind, stored, now,
      });
      report.files.push(outcome);
      onProgress?.({ type: 'file', outcome });
      await this.event(connector.id, now, 'info', 'download', `${remotePath}: ${outcome.duplicate ? 'duplicate of an earlier file' : outcome.state}${outcome.quarantineReason ? ` (${outcome.quarantineReason})` : ''}`, remotePath);
      await this.afterDownload(client, connector, outcome.arrivalId, folder.path, entry.name, lost);
    }
  }

  /** Leave, rename (.CEI -> .EEI) or move the remote file, once its bytes are safely in the ledger. */
  private async afterDownload(client: SftpClient, connector: ConnectorRow, arrivalId: number, folder: string, name: string, lost: () => Error | undefined) {
    const from = remoteJoin(folder, name);
    const action = { leave: 'left', rename: 'renamed', move: 'moved' }[connector.afterDownload] ?? 'left';
    const to = connector.afterDownload === 'rename' ? remoteJoin(folder, renamedAfterDownload(name))
      : connector.afterDownload === 'move' ? remoteJoin(connector.moveTo ?? '.', name) : null;
    if (to) {
      try {
        await client.posixRename(from, to);
      } catch (err) {
        const gone = lost();
        if (gone) throw new ConnectorFailure('connection-lost', `connection lost before ${from} was ${action}: ${gone.message}`);
        // another poll of the same connector (the hub's and a `carrel vendor poll`) did it first
        const doneElsewhere = (await client.exists(from).catch(() => true)) === false && (await client.exists(to).catch(() => false)) !== false;
        if (!doneElsewhere) throw new ConnectorFailure('error', `cannot ${connector.afterDownload} ${from} to ${to}: ${(err as Error).message}`);
      }
    }
    await this.db.prisma.intakeArrival.update({ where: { id: arrivalId }, data: { remoteAction: action, remoteActionAt: new Date() } });
    if (action !== 'left') await this.audit.record({ action: `remote-${connector.afterDownload}`, entity: 'SftpConnector', entityId: connector.id, after: { from, arrivalId } });
    this.intake.step('remote-action', { name });
  }

  private async finish(connector: ConnectorRow, report: PollReport, now: Date) {
    const failures = report.ok ? 0 : connector.consecutiveFailures + 1;
    await this.db.prisma.$transaction(async (tx) => {
      await tx.sftpConnector.update({
        where: { id: connector.id },
        data: report.ok
          ? { lastPollAt: now, lastSuccessAt: now, consecutiveFailures: 0, nextRetryAt: null }
          : { lastPollAt: now, lastErrorAt: now, lastError: `${report.errorKind}: ${report.error}`.slice(0, 2000), consecutiveFailures: failures, nextRetryAt: nextRetryAt(now, failures) },
      });
      await tx.connectorEvent.create({
        data: {
          connectorId: connector.id, at: now, level: report.ok ? 'info' : 'error', kind: report.ok ? 'poll' : report.errorKind ?? 'error',
          message: report.ok
            ? `poll: ${report.listed} listed, ${report.files.length} fetched, ${report.alreadySeen} seen before, ${report.skipped.length} skipped, ${report.resumed} resumed`
            : (report.error ?? 'failed').slice(0, 2000),
        },
      });
      await this.audit.record({
        action: 'poll', entity: 'SftpConnector', entityId: connector.id,
        after: { ok: report.ok, error: report.error, listed: report.listed, fetched: report.files.map((f) => ({ name: f.name, fileId: f.fileId, state: f.state, duplicate: f.duplicate })) },
      }, tx);
    });
  }

  private async event(connectorId: number, at: Date, level: string, kind: string, message: string, remotePath?: string) {
    await this.db.prisma.connectorEvent.create({ data: { connectorId, at, level, kind, message: message.slice(0, 2000), remotePath: remotePath ?? null } });
  }
}

function classify(err: unknown): string {
  const e = err as { code?: string; level?: string; message?: string };
  const msg = e?.message ?? '';
  if (e?.code === 'ENOSPC') return 'disk-full';
  if (e?.level === 'client-authentication' || /authentication methods failed|auth/i.test(msg)) return 'login-refused';
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH'].includes(e?.code ?? '') || /refused connection|timed out/i.test(msg)) return 'unreachable';
  if (e?.code === 'ECONNRESET' || /reset|closed|ended/i.test(msg)) return 'connection-lost';
  return 'error';
}
