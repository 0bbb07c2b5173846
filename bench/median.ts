/**
 * Timing for the benchmarks: percentiles of the load benchmarks' latencies (sip2-load,
 * circulation-engine, tcp-echo-ceiling); for the parsing benchmarks (bench:edifact-parse,
 * bench:marc-parse), the median of several rounds of CPU time spent by this process (user + system,
 * all its threads, so garbage collection is counted), not wall time. The machine is shared: wall time
 * measured how busy the others were (figures varied 2× between rounds), CPU time varies far less.
 *
 * `--rounds N` on the command line sets the number of rounds (5 by default); `--wall` measures wall
 * time instead. Run with --expose-gc so that each figure starts from a collected heap and one
 * figure's garbage is not billed to the next.
 */
const argRounds = process.argv.indexOf('--rounds');
export const ROUNDS = argRounds > 0 ? Math.max(1, Number(process.argv[argRounds + 1]) || 5) : 5;

const WALL = process.argv.includes('--wall');

const gc = (globalThis as { gc?: () => void }).gc;

/** Seconds since an arbitrary start: this process's CPU time, or wall time with --wall. */
function clock(): number {
  if (WALL) return Number(process.hrtime.bigint()) / 1e9;
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Says how figures are taken, for the first line of a benchmark's output. */
export const timingNote = (): string =>
  `Node ${process.version}, ${WALL ? 'wall' : 'CPU'} time, median of ${ROUNDS} rounds${gc ? '' : ' (no --expose-gc: heaps not collected between figures)'}`;

/** Median seconds per call over ROUNDS rounds of at least `minSeconds` each, after as long a warm-up (for the JIT). */
export function medianSeconds(fn: () => void, minSeconds = 0.2): number {
  // Collect once, before the warm-up: gc() also throws away compiled code, so collecting before
  // each round timed the JIT compiling everything again (small files measured 3-5× slower).
  gc?.();
  for (const t = clock(); clock() - t < minSeconds;) fn();
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let calls = 0;
    const t = clock();
    let s = 0;
    do { fn(); calls++; s = clock() - t; } while (s < minSeconds);
    perCall.push(s / calls);
  }
  perCall.sort((a, b) => a - b);
  return perCall[perCall.length >> 1]!;
}

/** The p-th percentile of latencies sorted ascending (NaN when there are none). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
