import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestingModule } from '@nestjs/testing';
import { AcquisitionsModule, IntakeService, SftpPollerService, VendorsService, type ConnectorFolder, type ConnectorInput } from '@carrel/acquisitions';
import { domainModule } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';
import type { SftpServer } from '../support/sftp-server.js';

export const ownFixture = (name: string): Buffer => readFileSync(path.join(process.cwd(), 'test', 'acquisitions', 'fixtures', name));

export interface Acq {
  app: TestingModule;
  vendors: VendorsService;
  intake: IntakeService;
  poller: SftpPollerService;
  storageDir: string;
  close(): Promise<void>;
}

/** The acquisitions services as the hub wires them, on a test database and an intake folder of their own. */
export async function acquisitions(db: TestDatabase, storageDir = mkdtempSync(path.join(os.tmpdir(), 'carrel-intake-'))): Promise<Acq> {
  const app = await domainModule(db, { CARREL_ACQUISITIONS_STORAGE_DIR: storageDir }, [AcquisitionsModule]);
  await app.init();
  return {
    app, storageDir,
    vendors: app.get(VendorsService), intake: app.get(IntakeService), poller: app.get(SftpPollerService),
    close: () => app.close(),
  };
}

let seq = 0;

/** A vendor with one connector to the test server, reading its own remote folder (so tests do not see each other's files). */
export async function vendorOnServer(acq: Acq, server: SftpServer, over: Partial<ConnectorInput> = {}, kinds: ConnectorFolder['kind'][] = ['invoice', 'order-response', 'marc']) {
  const code = `V${process.pid % 1000}${++seq}`;
  const folder = `/out/${code}`;
  server.put(`${folder}/.keep`, '');
  await acq.vendors.create({ code, name: `Vendor ${code}` });
  const patterns: Record<string, string[]> = { invoice: ['*.CEI'], 'order-response': ['*.CEA'], marc: ['*.mrc', '*.xml'] };
  const connector = await acq.vendors.addConnector(code, {
    host: server.host, port: server.port, username: server.username, privateKeyPath: server.clientKeyPath, hostKey: server.hostPublicKey,
    folders: kinds.map((kind) => ({ kind, path: folder, patterns: patterns[kind]! })),
    ...over,
  });
  return { code, folder, connector };
}

/** A client key the server does not know. */
export function strangerKey(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-stranger-'));
  const file = path.join(dir, 'id_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file]);
  return file;
}
