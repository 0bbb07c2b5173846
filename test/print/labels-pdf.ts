import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';

/** What poppler reads back from a PDF: page sizes and every word's box (points, origin top-left). */
export interface PdfWord {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}
export interface PdfPage {
  width: number;
  height: number;
  words: PdfWord[];
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** `pdftotext -bbox` (Debian poppler-utils) on the bytes. */
export function pdfWords(pdf: Buffer): PdfPage[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-labels-'));
  try {
    const file = path.join(dir, 'labels.pdf');
    writeFileSync(file, pdf);
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const pages: PdfPage[] = [];
    const re = /<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g;
    for (const m of html.matchAll(re)) {
      if (m[1] !== undefined) pages.push({ width: Number(m[1]), height: Number(m[2]), words: [] });
      else pages[pages.length - 1].words.push({ xMin: Number(m[3]), yMin: Number(m[4]), xMax: Number(m[5]), yMax: Number(m[6]), text: unescape(m[7]) });
    }
    return pages;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Filled rectangles (`re` operators) in each page's content stream, in order: the barcode bars. */
export function pdfRectangles(pdf: Buffer): { x: number; y: number; w: number; h: number }[][] {
  const text = pdf.toString('latin1');
  const pages: { x: number; y: number; w: number; h: number }[][] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = text.indexOf('endstream', start);
    let body: string;
    try {
      body = inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    if (!/\bBT\b|\bre\b/.test(body) || !/ cm\b/.test(body)) continue;
    pages.push([...body.matchAll(/(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re\b/g)].map((r) => ({ x: Number(r[1]), y: Number(r[2]), w: Number(r[3]), h: Number(r[4]) })));
  }
  return pages;
}
