/**
 * What a benchmark's reader needs to know about the machine beyond its core count. On the virtual
 * machines Carrel is measured on, the kernel's DAMON monitor (kdamond) may be sampling physical memory
 * for proactive reclaim. On one machine of this kind each sample held one CPU for several milliseconds,
 * and whatever ran there (the hub's event loop, half the time) waited: with the 500 ms interval that put
 * stalls of 6–30 ms into a latency run about every half second, enough to decide a p99. On another, with
 * the same settings, no such stalls were seen (docs/PERFORMANCE.md). Either way a run should say so.
 */
import { readdirSync, readFileSync } from 'node:fs';

const DAMON = '/sys/kernel/mm/damon/admin/kdamonds';

/** "DAMON sampling memory every 500 ms" when a kdamond is on, else '' (also where sysfs cannot be read) */
export function machineNotes(): string {
  try {
    const on = readdirSync(DAMON)
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => readFileSync(`${DAMON}/${d}/state`, 'utf8').trim() === 'on')
      .map((d) => Number(readFileSync(`${DAMON}/${d}/contexts/0/monitoring_attrs/intervals/sample_us`, 'utf8')) / 1000);
    return on.length ? `DAMON sampling memory every ${on.join(', ')} ms (each sample may hold one CPU: docs/PERFORMANCE.md)` : '';
  } catch {
    return '';
  }
}
