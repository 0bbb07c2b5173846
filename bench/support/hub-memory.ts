/** What the hub prints of its memory when bench/sip2-load asks (support/hub-memory-probe.ts). */
export const MEMORY_LINE = 'carrel-bench-memory ';

export interface HubMemory {
  /** resident set (bytes) */
  rss: number;
  /** JavaScript heap in use after collection (bytes) */
  heapUsed: number;
  /** memory of C++ objects bound to JavaScript ones, buffers included (bytes) */
  external: number;
}
