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
import { LABEL_TEMPLATES, renderLabels, type LabelContent } from '@carrel/print';
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
// NOTICES (notices engineer): "10,000 notices" goes here, the same way: build the batch above the
// timing, `const n = await median(async () => { … renderNoticesPdf(notices) … })`, then print
// "Notices, one per page", the count, seconds and notices/s in the lines' format above.
// ---------------------------------------------------------------------------------------------
