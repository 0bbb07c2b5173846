/**
 * Print throughput: label batches (and, below, notice batches) rendered to PDF bytes in memory, the way
 * `carrel labels` and the print queue make them; no printer, no disk.
 *
 *   npm run bench:labels                  (= node scripts/build.js && node dist/bench/labels.js)
 *   npm run bench:labels -- --rounds 3    (median of 3 timed rounds instead of 5)
 *
 * Labels: 5,000 spine labels on Avery 5160 sheets (167 sheets), call numbers of a mixed collection
 * (LC with Cutters, dates and volumes; Dewey with prefixes; fiction and generic local numbers), each
 * split by splitCallNumber, with the branch line under it. Figures are the median of several rounds,
 * wall time and this process's CPU time (the machine is shared, CPU time varies less).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from '@carrel/audit';
import { ConfigModule, loadSettings, projectRoot } from '@carrel/config';
import { DbModule, applyMigrations, createPrismaClient, insertRows, parseDatabaseUrl } from '@carrel/db';
import {
  LABEL_TEMPLATES, NoticesService, PrintModule, holdData, loadNoticeTemplates, overdueData, renderLabels, renderNotice, renderNoticesPdf, type LabelContent,
} from '@carrel/print';
import { ROUNDS } from './median.js';

const LABELS = 5_000;

function callNumber(i: number): string {
  const lcClass = ['QA', 'PS', 'HV', 'BF', 'ND', 'KF', 'E', 'PN', 'TK', 'Z'][i % 10];
  switch (i % 5) {
    case 0: return `${lcClass}${1 + (i % 997)}.${i % 89} .${String.fromCharCode(65 + (i % 26))}${10 + (i % 89)} ${1950 + (i % 75)}`;
    case 1: return `${lcClass}${1 + (i % 3997)} .${String.fromCharCode(66 + (i % 24))}${i % 9}${i % 7} ${String.fromCharCode(65 + (i % 23))}${20 + (i % 70)} ${1980 + (i % 45)} v.${1 + (i % 12)}`;
    case 2: return `${['', 'REF ', 'J ', 'YA '][i % 4]}${100 + (i % 899)}.${i % 97} ${['SMI', 'JON', 'GAR', 'LEE', 'NGU'][i % 5]}`;
    case 3: return `FIC ${['TOL', 'AUS', 'MOR', 'ATW', 'ISH'][i % 5]}`;
    default: return `${['DVD', 'CD', 'LP'][i % 3]} ${1000 + (i % 9000)}`;
  }
}

const labels: LabelContent[] = Array.from({ length: LABELS }, (_, i) => ({
  barcode: `3123400${String(i).padStart(7, '0')}`,
  callNumber: callNumber(i),
  branch: ['CPL', 'MPL', 'FPL', 'Westborough'][i % 4],
}));

interface Timing {
  wall: number;
  cpu: number;
}

async function timed(fn: () => Promise<unknown>): Promise<Timing> {
  const w = process.hrtime.bigint();
  const c = process.cpuUsage();
  await fn();
  const cu = process.cpuUsage(c);
  return { wall: Number(process.hrtime.bigint() - w) / 1e9, cpu: (cu.user + cu.system) / 1e6 };
}

async function median(fn: () => Promise<unknown>): Promise<Timing> {
  await fn(); // warm-up: the JIT, the font's glyph tables
  const runs: Timing[] = [];
  for (let r = 0; r < ROUNDS; r++) runs.push(await timed(fn));
  const mid = (k: keyof Timing) => runs.map((t) => t[k]).sort((a, b) => a - b)[runs.length >> 1]!;
  return { wall: mid('wall'), cpu: mid('cpu') };
}

console.log(`Print benchmarks, Node ${process.version}, median of ${ROUNDS} rounds (wall and CPU time)`);

let bytes = 0;
let flagged = 0;
let sheets = 0;
const spine = await median(async () => {
  const r = await renderLabels({ template: LABEL_TEMPLATES['avery-5160'], layout: 'spine', labels });
  bytes = r.pdf.length;
  flagged = r.report.length;
  sheets = r.sheets;
});
console.log('Spine labels, Avery 5160');
console.log(`  labels               ${LABELS.toLocaleString('en-US')} (${sheets} sheets, ${(bytes / 1024).toFixed(0)} KiB PDF, ${flagged} lines flagged)`);
console.log(`  seconds              ${spine.wall.toFixed(2)} wall, ${spine.cpu.toFixed(2)} CPU`);
console.log(`  labels/s             ${Math.round(LABELS / spine.wall).toLocaleString('en-US')} (wall), ${Math.round(LABELS / spine.cpu).toLocaleString('en-US')} per CPU second`);

// ---------------------------------------------------------------------------------------------
// Notices: 10,000 notices as one print batch, one per page, the way the notices job prints a branch's
// batch: each notice's text rendered from the built-in templates (three in four English, one in four
// French; overdue notices of one to four items, hold-available notices of one or two), then the PDF.

const NOTICES = 10_000;
const noticeTemplates = loadNoticeTemplates(path.join(projectRoot(), 'config', 'notices'), null, 'en');
const letterhead = { name: 'Centerville Public Library', institution: 'Centerville Libraries', address: '12 Main St\nCenterville, IL 60000', phone: '555-0100', email: 'circ@cpl.example.org' };
const surnames = ['Lovelace', 'Zola', 'Čapek', 'Nguyễn', 'Dostoevsky', 'García Márquez', 'Okonkwo', 'Smith'];

function noticeText(i: number): { subject: string; body: string } {
  const language = i % 4 === 3 ? 'fr' : 'en';
  const f = { language, timeZone: 'America/Chicago', currency: 'USD' };
  const patron = { barcode: `2123400${String(i).padStart(7, '0')}`, title: null, firstname: 'Pat', surname: `${surnames[i % surnames.length]} ${i}`, email: null, address: `${1 + (i % 300)} Elm Rd`, city: 'Centerville', postcode: '60001', country: null };
  const library = { code: 'CPL', ...letterhead };
  const now = new Date(Date.UTC(2027, 2, 2, 13));
  const items = Array.from({ length: 1 + (i % 4) }, (_, k) => ({
    title: `${['The Difference Engine', 'Germinal', 'R.U.R.', 'Things Fall Apart', 'One Hundred Years of Solitude'][(i + k) % 5]}, vol. ${k + 1}`,
    author: k % 2 ? null : 'Author, An', callNumber: callNumber(i + k), barcode: `3900${String(i * 4 + k).padStart(8, '0')}`,
    dueAt: new Date(Date.UTC(2027, 1, 28, 6)), daysOverdue: 2, fine: k === 0 ? '0.50' : null, replacementCost: '24.95',
  }));
  if (i % 5 === 4) {
    const holds = items.slice(0, 2).map((it) => ({ ...it, capturedAt: now, expiresAt: new Date(now.getTime() + 7 * 86_400_000), pickup: library }));
    return renderNotice(noticeTemplates.resolve('hold_available', language).template, holdData(library, patron, holds, now, f));
  }
  return renderNotice(noticeTemplates.resolve('overdue1', language).template, overdueData(library, patron, items, '0.50', now, f));
}

let noticeBytes = 0;
const noticesRun = await median(async () => {
  const batch = Array.from({ length: NOTICES }, (_, i) => noticeText(i));
  noticeBytes = (await renderNoticesPdf(batch, { letterhead, paper: 'Letter', title: 'Notices CPL' })).length;
});
const textOnly = await median(async () => {
  for (let i = 0; i < NOTICES; i++) noticeText(i);
});
console.log('Notices, one per page (text from the templates, then the PDF)');
console.log(`  notices              ${NOTICES.toLocaleString('en-US')} (${(noticeBytes / 1024 / 1024).toFixed(1)} MiB PDF)`);
console.log(`  seconds              ${noticesRun.wall.toFixed(2)} wall, ${noticesRun.cpu.toFixed(2)} CPU (of which the texts ${textOnly.wall.toFixed(2)} wall)`);
console.log(`  notices/s            ${Math.round(NOTICES / noticesRun.wall).toLocaleString('en-US')} (wall), ${Math.round(NOTICES / noticesRun.cpu).toLocaleString('en-US')} per CPU second`);

// ---------------------------------------------------------------------------------------------
// Notices from the database: 10,000 patrons without email, each with one or two loans two days overdue,
// on a fresh SQLite database; NoticesService.generate (read the loans, gather, render, record each
// notice and its lines) and deliver (one PDF for the branch, queued). One timed round: the rows it makes
// are the point of the second run, which must find nothing.

const work = mkdtempSync(path.join(os.tmpdir(), 'carrel-bench-notices-'));
try {
  const url = `file:${path.join(work, 'carrel.db')}`;
  const target = parseDatabaseUrl(url, projectRoot());
  await applyMigrations(projectRoot(), target);
  const prisma = await createPrismaClient(target);
  const inst = await prisma.institution.create({ data: { code: 'CEN', name: 'Centerville Libraries' } });
  const branch = await prisma.branch.create({ data: { code: 'CPL', name: letterhead.name, institutionId: inst.id, address: letterhead.address } });
  const category = await prisma.patronCategory.create({ data: { code: 'ADULT', name: 'Adult' } });
  const stamp = new Date(Date.UTC(2027, 1, 1));
  const iso = (d: Date) => d.toISOString();
  const due = new Date(Date.UTC(2027, 2, 1, 5, 59));
  await prisma.$transaction(async (tx) => {
    await insertRows(tx, 'sqlite', 'Patron', Array.from({ length: NOTICES }, (_, i) => ({
      id: i + 1, barcode: `2123400${String(i).padStart(7, '0')}`, surname: `${surnames[i % surnames.length]} ${i}`, firstname: 'Pat', address: `${1 + (i % 300)} Elm Rd`, city: 'Centerville',
      categoryId: category.id, homeBranchId: branch.id, blocked: false, lostCard: false, goneNoAddress: false, searchText: '', createdAt: iso(stamp), updatedAt: iso(stamp),
    })));
    const loans = Array.from({ length: NOTICES }, (_, i) => 1 + (i % 2)).flatMap((n, i) => Array.from({ length: n }, () => i + 1));
    await insertRows(tx, 'sqlite', 'BibRecord', loans.map((_, k) => ({ id: k + 1, title: `Title ${k}`, author: 'Author, An', marcFormat: 'iso2709', marcEncoding: 'utf-8', marcRaw: '00', contentHash: `h${k}`, searchText: '', createdAt: iso(stamp), updatedAt: iso(stamp) })));
    await insertRows(tx, 'sqlite', 'Item', loans.map((_, k) => ({ id: k + 1, barcode: `3900${String(k).padStart(8, '0')}`, recordId: k + 1, callNumber: callNumber(k), homeBranchId: branch.id, branchId: branch.id, status: 'checked_out', createdAt: iso(stamp), updatedAt: iso(stamp) })));
    await insertRows(tx, 'sqlite', 'Loan', loans.map((patronId, k) => ({ id: k + 1, itemId: k + 1, patronId, branchCode: 'CPL', checkedOutAt: iso(stamp), dueAt: iso(due), renewals: 0, createdAt: iso(stamp), updatedAt: iso(stamp) })));
  }, { timeout: 120_000 });
  const settings = loadSettings({ baseDir: projectRoot(), file: null, env: {
    DATABASE_URL: url, CARREL_LOG_LEVEL: 'warn', CARREL_TIME_ZONE: 'America/Chicago', CARREL_PRINT_STORAGE_DIR: path.join(work, 'print'),
    CARREL_PRINT_PRINTERS: JSON.stringify([{ name: 'cpl-desk', uri: 'socket://127.0.0.1:9100', branch: 'CPL' }]),
  } });
  @Module({ imports: [ConfigModule.forRoot(settings), DbModule.forRoot({ migrate: false }), AuditModule, PrintModule] })
  class BenchNotices {}
  const app = await NestFactory.createApplicationContext(BenchNotices, { logger: false });
  try {
    const service = app.get(NoticesService);
    const now = new Date(Date.UTC(2027, 2, 2, 13));
    let made = 0;
    const gen = await timed(async () => {
      made = (await service.generate(now)).created.length;
    });
    let pages = 0;
    const del = await timed(async () => {
      const r = await service.deliver(now);
      pages = r.printed.reduce((n, p) => n + p.notices.length, 0);
    });
    const again = await timed(async () => {
      const r = await service.run(now);
      if (r.generated.created.length || r.delivered.printed.length) throw new Error('a second run made notices again');
    });
    console.log('Notices from the database (SQLite, one round)');
    console.log(`  generate             ${made.toLocaleString('en-US')} notices of ${(NOTICES * 1.5).toLocaleString('en-US')} overdue loans in ${gen.wall.toFixed(2)} s wall, ${gen.cpu.toFixed(2)} CPU (${Math.round(made / gen.wall).toLocaleString('en-US')}/s)`);
    console.log(`  deliver              ${pages.toLocaleString('en-US')} printed, one PDF queued, in ${del.wall.toFixed(2)} s wall, ${del.cpu.toFixed(2)} CPU`);
    console.log(`  run again            nothing new, ${again.wall.toFixed(2)} s wall`);
  } finally {
    await app.close();
    await prisma.$disconnect();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
