/**
 * Preloaded into the hub by bench/sip2-load for its idle-connection run (`node --expose-gc --import …`):
 * on SIGUSR2 the hub collects its garbage and prints its memory on one stdout line. Two readings taken
 * this way compare what is live, not how much garbage the collector happened to have left: read
 * without it, the hub's start-up garbage was freed while the connections were opened, and 10,000
 * connections once "cost" 0.0 KB.
 */
import { MEMORY_LINE, type HubMemory } from './hub-memory.js';

process.on('SIGUSR2', () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  // twice: the first pass may only schedule the freeing of objects with finalizers
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  const reading: HubMemory = { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
  process.stdout.write(`${MEMORY_LINE}${JSON.stringify(reading)}\n`);
});
