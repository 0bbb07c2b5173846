import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import { DbService, type Prisma } from '@carrel/db';

export type Tx = Prisma.TransactionClient;

export interface AuditActor {
  /** 'staff-token:<name>', 'cli:<user>', 'system:<job>', 'sip2:<account>' */
  actor: string;
  /** free-form facts about where the change came from: request id, file, device */
  context?: Record<string, unknown>;
}

const actorStore = new AsyncLocalStorage<AuditActor>();

/** Runs fn with everything it writes to the audit log attributed to actor. */
export function runAs<T>(actor: AuditActor, fn: () => T): T {
  return actorStore.run(actor, fn);
}

export function currentActor(): AuditActor {
  return actorStore.getStore() ?? { actor: 'system' };
}

export interface AuditRecord {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  context?: Record<string, unknown>;
}

/** BigInt and Decimal values made JSON-safe, dates as ISO strings. */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * The append-only audit log every module writes to. Pass the transaction that makes the change so the
 * entry and the change commit or roll back together.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: DbService) {}

  async record(entry: AuditRecord, tx?: Tx): Promise<void> {
    const who = currentActor();
    const context = who.context || entry.context ? { ...who.context, ...entry.context } : undefined;
    await (tx ?? this.db.prisma).auditEntry.create({
      data: {
        actor: who.actor,
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId == null ? null : String(entry.entityId),
        before: toJson(entry.before),
        after: toJson(entry.after),
        context: toJson(context),
      },
    });
  }

  async list(filter: { entity?: string; entityId?: string; limit?: number } = {}) {
    return this.db.prisma.auditEntry.findMany({
      where: { entity: filter.entity, entityId: filter.entityId },
      orderBy: { id: 'desc' },
      take: Math.min(filter.limit ?? 100, 1000),
    });
  }
}
