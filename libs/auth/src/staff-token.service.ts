import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '@carrel/audit';
import { DbService } from '@carrel/db';

const TOKEN_PREFIX = 'carrel_';

/** Tokens carry 256 random bits, so a plain SHA-256 is enough to store them safely (no slow hash needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface StaffIdentity {
  tokenId: number;
  name: string;
}

@Injectable()
export class StaffTokenService {
  constructor(
    private readonly db: DbService,
    private readonly audit: AuditService,
  ) {}

  /** Creates a token and returns it in clear: the only time it is ever shown. */
  async create(name: string, token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`): Promise<{ id: number; name: string; token: string }> {
    if (!name.trim()) throw new Error('a token needs a name (who or what uses it)');
    const row = await this.db.prisma.staffToken.create({ data: { name: name.trim(), prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(token) } });
    await this.audit.record({ action: 'create', entity: 'StaffToken', entityId: row.id, after: { name: row.name, prefix: row.prefix } });
    return { id: row.id, name: row.name, token };
  }

  async verify(token: string): Promise<StaffIdentity | null> {
    if (!token || token.length > 200) return null;
    const hash = hashToken(token);
    const row = await this.db.prisma.staffToken.findUnique({ where: { tokenHash: hash } });
    if (!row || row.revokedAt) return null;
    // the lookup was by hash; compare again in constant time so a partial match cannot be timed
    if (!timingSafeEqual(Buffer.from(row.tokenHash), Buffer.from(hash))) return null;
    const now = new Date();
    // recording last use at most once a minute keeps every API call from being a write
    if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
      await this.db.prisma.staffToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    }
    return { tokenId: row.id, name: row.name };
  }

  list() {
    return this.db.prisma.staffToken.findMany({ select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true }, orderBy: { id: 'asc' } });
  }

  async revoke(id: number): Promise<void> {
    const row = await this.db.prisma.staffToken.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`token ${id} not found`);
    await this.db.prisma.staffToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await this.audit.record({ action: 'revoke', entity: 'StaffToken', entityId: id, before: { name: row.name, prefix: row.prefix } });
  }
}
