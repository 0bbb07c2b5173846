import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CronTime } from 'cron';
import { AuditService } from '@carrel/audit';
import { DbService, Prisma } from '@carrel/db';
import { AFTER_DOWNLOAD_ACTIONS, DEFAULT_FOLDERS, parseFolders, type ConnectorFolder } from './file-kinds.js';
import { fingerprintOf, parseTrustedHostKey } from './host-key.js';

export type VendorRow = Prisma.VendorGetPayload<object>;
export type ConnectorRow = Prisma.SftpConnectorGetPayload<object>;

export interface VendorInput {
  code: string;
  name: string;
  san?: string | null;
  ean?: string | null;
  accountNumbers?: string[];
  email?: string | null;
  claimsEmail?: string | null;
  currency?: string;
  priceTolerancePercent?: string;
  priceToleranceAmount?: string;
  notes?: string | null;
  active?: boolean;
  /** serials claims: days between two claims of one issue, claims per issue at most, sent without review */
  claimIntervalDays?: number;
  maxClaims?: number;
  autoSendClaims?: boolean;
}

export interface ContactInput {
  name: string;
  role?: string | null;
  email?: string | null;
  phone?: string | null;
  notes?: string | null;
}

export interface ConnectorInput {
  name?: string;
  host: string;
  port?: number;
  username: string;
  privateKeyPath?: string | null;
  passphraseEnv?: string | null;
  passwordEnv?: string | null;
  hostKey: string;
  folders?: ConnectorFolder[];
  afterDownload?: string;
  moveTo?: string | null;
  schedule?: string;
  enabled?: boolean;
}

type VendorColumns = {
  san?: string | null; ean?: string | null; accountNumbers?: string; email?: string | null; claimsEmail?: string | null; currency?: string;
  priceTolerancePercent?: string; priceToleranceAmount?: string; notes?: string | null; active?: boolean;
  claimIntervalDays?: number; maxClaims?: number; autoSendClaims?: boolean;
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a connector's settings together; returns the columns to write. Throws BadRequestException. */
export function checkConnector(input: ConnectorInput): Omit<Prisma.SftpConnectorUncheckedCreateInput, 'vendorId'> {
  const bad = (m: string): never => {
    throw new BadRequestException(m);
  };
  try {
    parseTrustedHostKey(input.hostKey);
  } catch (e) {
    bad((e as Error).message);
  }
  let folders: ConnectorFolder[] = [...DEFAULT_FOLDERS];
  if (input.folders !== undefined) {
    try {
      folders = parseFolders(input.folders);
    } catch (e) {
      bad((e as Error).message);
    }
  }
  const afterDownload = input.afterDownload ?? 'leave';
  if (!(AFTER_DOWNLOAD_ACTIONS as readonly string[]).includes(afterDownload)) bad(`afterDownload must be one of ${AFTER_DOWNLOAD_ACTIONS.join(', ')}`);
  if (afterDownload === 'move' && !input.moveTo) bad('moveTo (a remote folder) is required when afterDownload is move');
  if (!input.privateKeyPath && !input.passwordEnv) bad('give privateKeyPath (a key file on this machine) or passwordEnv (the environment variable holding the password)');
  for (const [k, v] of [['passphraseEnv', input.passphraseEnv], ['passwordEnv', input.passwordEnv]] as const) {
    if (v && !ENV_NAME.test(v)) bad(`${k} must be the NAME of an environment variable (Carrel does not store secrets)`);
  }
  const schedule = input.schedule ?? '0 */30 * * * *';
  try {
    new CronTime(schedule);
  } catch (e) {
    bad(`schedule is not a cron expression: ${(e as Error).message}`);
  }
  const port = input.port ?? 22;
  if (!Number.isInteger(port) || port < 1 || port > 65535) bad('port must be between 1 and 65535');
  if (!input.host || /[\s/]/.test(input.host)) bad('host must be a host name or address');
  if (!input.username) bad('username is required');
  return {
    name: input.name ?? 'default', host: input.host, port, username: input.username,
    privateKeyPath: input.privateKeyPath ?? null, passphraseEnv: input.passphraseEnv ?? null, passwordEnv: input.passwordEnv ?? null,
    hostKey: input.hostKey.trim(), folders: JSON.stringify(folders), afterDownload, moveTo: input.moveTo ?? null, schedule, enabled: input.enabled ?? true,
  };
}

function decimalText(v: string | undefined, what: string): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}(\.\d{1,4})?$/.test(v)) throw new BadRequestException(`${what} must be a non-negative decimal such as 5 or 2.50`);
  return v;
}

/** Vendors, their contacts and SFTP connectors; every change in the audit log. */
@Injectable()
export class VendorsService {
  constructor(private readonly db: DbService, private readonly audit: AuditService) {}

  async list() {
    const rows = await this.db.prisma.vendor.findMany({ orderBy: { code: 'asc' }, include: { connectors: { orderBy: { id: 'asc' } } } });
    return rows.map((v) => presentVendor(v));
  }

  async get(code: string) {
    const v = await this.db.prisma.vendor.findUnique({ where: { code }, include: { contacts: { orderBy: { id: 'asc' } }, connectors: { orderBy: { id: 'asc' } } } });
    if (!v) throw new NotFoundException(`vendor "${code}" not found`);
    return presentVendor(v);
  }

  async require(code: string): Promise<VendorRow> {
    const v = await this.db.prisma.vendor.findUnique({ where: { code } });
    if (!v) throw new NotFoundException(`vendor "${code}" not found`);
    return v;
  }

  async create(input: VendorInput) {
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(input.code ?? '')) throw new BadRequestException('code: 1 to 40 letters, digits, _ . or -');
    if (!input.name?.trim()) throw new BadRequestException('name is required');
    const data = this.vendorData(input);
    return this.db.prisma.$transaction(async (tx) => {
      if (await tx.vendor.findUnique({ where: { code: input.code } })) throw new ConflictException(`vendor "${input.code}" already exists`);
      const v = await tx.vendor.create({ data: { ...data, code: input.code, name: input.name.trim() } });
      await this.audit.record({ action: 'create', entity: 'Vendor', entityId: v.id, after: v }, tx);
      return presentVendor(v);
    });
  }

  async update(code: string, input: Partial<VendorInput>) {
    const data = this.vendorData(input);
    return this.db.prisma.$transaction(async (tx) => {
      const before = await tx.vendor.findUnique({ where: { code } });
      if (!before) throw new NotFoundException(`vendor "${code}" not found`);
      const v = await tx.vendor.update({ where: { id: before.id }, data: { ...data, ...(input.name ? { name: input.name.trim() } : {}) } });
      await this.audit.record({ action: 'update', entity: 'Vendor', entityId: v.id, before, after: v }, tx);
      return presentVendor(v);
    });
  }

  /** The columns a create or update writes: only plain values, so the same object fits both. */
  private vendorData(input: Partial<VendorInput>): VendorColumns {
    if (input.currency !== undefined && !/^[A-Z]{3}$/.test(input.currency)) throw new BadRequestException('currency must be a three-letter ISO 4217 code');
    if (input.accountNumbers !== undefined && (!Array.isArray(input.accountNumbers) || !input.accountNumbers.every((a) => typeof a === 'string' && a.length > 0 && a.length <= 64))) {
      throw new BadRequestException('accountNumbers must be a list of texts');
    }
    const d: VendorColumns = {};
    if (input.san !== undefined) d.san = input.san;
    if (input.ean !== undefined) d.ean = input.ean;
    if (input.accountNumbers !== undefined) d.accountNumbers = JSON.stringify(input.accountNumbers);
    if (input.email !== undefined) d.email = input.email;
    if (input.claimsEmail !== undefined) d.claimsEmail = input.claimsEmail;
    if (input.currency !== undefined) d.currency = input.currency;
    const pct = decimalText(input.priceTolerancePercent, 'priceTolerancePercent');
    if (pct !== undefined) d.priceTolerancePercent = pct;
    const amt = decimalText(input.priceToleranceAmount, 'priceToleranceAmount');
    if (amt !== undefined) d.priceToleranceAmount = amt;
    if (input.notes !== undefined) d.notes = input.notes;
    if (input.active !== undefined) d.active = input.active;
    const whole = (value: number | undefined, name: string, min: number, max: number) => {
      if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) throw new BadRequestException(`${name} must be a whole number from ${min} to ${max}`);
      return value;
    };
    if (input.claimIntervalDays !== undefined) d.claimIntervalDays = whole(input.claimIntervalDays, 'claimIntervalDays', 1, 365);
    if (input.maxClaims !== undefined) d.maxClaims = whole(input.maxClaims, 'maxClaims', 0, 20);
    if (input.autoSendClaims !== undefined) d.autoSendClaims = input.autoSendClaims;
    return d;
  }

  async addContact(code: string, input: ContactInput) {
    if (!input.name?.trim()) throw new BadRequestException('name is required');
    return this.db.prisma.$transaction(async (tx) => {
      const v = await tx.vendor.findUnique({ where: { code } });
      if (!v) throw new NotFoundException(`vendor "${code}" not found`);
      const c = await tx.vendorContact.create({
        data: { vendorId: v.id, name: input.name.trim(), role: input.role ?? null, email: input.email ?? null, phone: input.phone ?? null, notes: input.notes ?? null },
      });
      await this.audit.record({ action: 'create', entity: 'VendorContact', entityId: c.id, after: c }, tx);
      return c;
    });
  }

  async addConnector(code: string, input: ConnectorInput) {
    const data = checkConnector(input);
    return this.db.prisma.$transaction(async (tx) => {
      const v = await tx.vendor.findUnique({ where: { code } });
      if (!v) throw new NotFoundException(`vendor "${code}" not found`);
      if (await tx.sftpConnector.findUnique({ where: { vendorId_name: { vendorId: v.id, name: data.name ?? 'default' } } })) {
        throw new ConflictException(`vendor "${code}" already has a connector named "${data.name}"`);
      }
      const c = await tx.sftpConnector.create({ data: { ...data, vendorId: v.id } });
      await this.audit.record({ action: 'create', entity: 'SftpConnector', entityId: c.id, after: c }, tx);
      return presentConnector(c);
    });
  }

  /** Changes a connector: the whole set of settings is checked again, as for a new one. */
  async updateConnector(id: number, patch: Partial<ConnectorInput>) {
    return this.db.prisma.$transaction(async (tx) => {
      const before = await tx.sftpConnector.findUnique({ where: { id } });
      if (!before) throw new NotFoundException(`connector ${id} not found`);
      // a validated DTO carries its absent fields as undefined: those keep their current value
      const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const merged: ConnectorInput = { ...connectorInputOf(before), ...given };
      const data = checkConnector(merged);
      // a fixed connector is tried at once, not after its back-off
      const c = await tx.sftpConnector.update({ where: { id }, data: { ...data, nextRetryAt: null } });
      await this.audit.record({ action: 'update', entity: 'SftpConnector', entityId: id, before, after: c }, tx);
      return presentConnector(c);
    });
  }

  async connector(id: number) {
    const c = await this.db.prisma.sftpConnector.findUnique({ where: { id } });
    if (!c) throw new NotFoundException(`connector ${id} not found`);
    return presentConnector(c);
  }

  async events(connectorId: number, limit = 100) {
    return this.db.prisma.connectorEvent.findMany({ where: { connectorId }, orderBy: { id: 'desc' }, take: Math.min(limit, 1000) });
  }
}

export function connectorInputOf(c: ConnectorRow): ConnectorInput {
  return {
    name: c.name, host: c.host, port: c.port, username: c.username, privateKeyPath: c.privateKeyPath, passphraseEnv: c.passphraseEnv,
    passwordEnv: c.passwordEnv, hostKey: c.hostKey, folders: parseFolders(c.folders), afterDownload: c.afterDownload, moveTo: c.moveTo,
    schedule: c.schedule, enabled: c.enabled,
  };
}

export function presentConnector(c: ConnectorRow) {
  let hostKeyFingerprint: string | null = null;
  try {
    const k = parseTrustedHostKey(c.hostKey);
    hostKeyFingerprint = k.form === 'fingerprint' ? `SHA256:${k.sha256}` : fingerprintOf(k.blob);
  } catch {
    hostKeyFingerprint = null;
  }
  return { ...c, folders: JSON.parse(c.folders) as ConnectorFolder[], hostKeyFingerprint };
}

function presentVendor(v: VendorRow & { connectors?: ConnectorRow[]; contacts?: unknown[] }) {
  const { connectors, ...rest } = v;
  return {
    ...rest,
    accountNumbers: JSON.parse(v.accountNumbers) as string[],
    priceTolerancePercent: v.priceTolerancePercent.toString(),
    priceToleranceAmount: v.priceToleranceAmount.toString(),
    ...(connectors ? { connectors: connectors.map(presentConnector) } : {}),
  };
}
