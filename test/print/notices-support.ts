import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The text of each page of a PDF, as poppler's pdftotext reads it (pages split at its form feeds). */
export function pdfPages(pdf: Buffer): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-notices-'));
  try {
    const file = path.join(dir, 'n.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr || r.error?.message}`);
    const pages = r.stdout.split('\f');
    if (pages[pages.length - 1].trim() === '') pages.pop();
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** pdfinfo's "Page size" line, e.g. "595.276 x 841.89 pts (A4)". */
export function pdfPageSize(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-notices-'));
  try {
    const file = path.join(dir, 'n.pdf');
    writeFileSync(file, pdf);
    const r = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pdfinfo failed: ${r.stderr}`);
    return /Page size:\s*(.*)/.exec(r.stdout)?.[1]?.trim() ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
