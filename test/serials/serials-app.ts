import type { TestingModule } from '@nestjs/testing';
import { runAs } from '@carrel/audit';
import type { CarrelPrisma } from '@carrel/db';
import { CheckinService, PredictionJob, SerialsModule, SubscriptionsService } from '@carrel/serials';
import { domainModule } from '../support/app.js';
import type { TestDatabase } from '../support/databases.js';

/** The serials services as the hub wires them, on a test database. */
export async function serialsApp(db: TestDatabase, env: Record<string, string> = {}) {
  const app: TestingModule = await domainModule(db, { CARREL_TIME_ZONE: 'America/Chicago', ...env }, [SerialsModule]);
  await app.init();
  return { app, subscriptions: app.get(SubscriptionsService), checkin: app.get(CheckinService), job: app.get(PredictionJob), close: () => app.close() };
}

export interface SerialsLibrary {
  branchCode: string;
  locationCode: string;
  vendorCode: string;
  itemTypeCode: string;
  recordId: number;
}

/** One branch with a periodicals location, a vendor, an item type and a catalogue record per call (codes made unique by tag). */
export async function seedSerialsLibrary(prisma: CarrelPrisma, tag: string): Promise<SerialsLibrary> {
  const inst = await prisma.institution.create({ data: { code: `I${tag}`, name: `Library ${tag}` } });
  const branch = await prisma.branch.create({ data: { code: `B${tag}`, name: `Branch ${tag}`, institutionId: inst.id } });
  await prisma.shelvingLocation.create({ data: { branchId: branch.id, code: 'PER', name: 'Periodicals' } });
  await prisma.vendor.create({ data: { code: `V${tag}`, name: `Vendor ${tag}`, accountNumbers: '["ACC-1"]' } });
  await prisma.itemType.create({ data: { code: `T${tag}`, name: 'Periodical' } });
  const record = await prisma.bibRecord.create({ data: { title: `Journal ${tag}`, issn: '0028-0836', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: Buffer.from(`journal ${tag}`), contentHash: `journal-${tag}` } });
  return { branchCode: branch.code, locationCode: 'PER', vendorCode: `V${tag}`, itemTypeCode: `T${tag}`, recordId: record.id };
}

export const MONTHLY = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01';
export const WEEKLY = '853 20 $81$av.$bno.$u52$vr$i(year)$j(month)$k(day)$ww$x01';

/** Staff acting through a token, as the API's interceptor attributes them. */
export const asStaff = <T>(fn: () => Promise<T>): Promise<T> => runAs({ actor: 'staff-token:serials-desk' }, fn);

/** An HTTP-style error's message as the API would show it. */
export async function refusal(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as { getStatus?: () => number; getResponse?: () => unknown; message: string };
    const body = err.getResponse?.() as { message?: unknown } | string | undefined;
    const message = typeof body === 'object' && body && 'message' in body ? String(body.message) : err.message;
    return { status: err.getStatus?.() ?? 500, message };
  }
  throw new Error('expected a refusal, but it succeeded');
}
