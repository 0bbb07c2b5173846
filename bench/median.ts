/**
 * Timing for the parsing benchmarks (bench:edifact-parse, bench:marc-parse): the median of several
 * rounds, because this machine is shared and one round can land beside someone else's build.
 *
 * `--rounds N` on the command line sets the number of rounds (5 by default). Run with --expose-gc
 * so that each round starts from a collected heap and one figure's garbage is not billed to the next.
 */
const argRounds = process.argv.indexOf('--rounds');
export const ROUNDS = argRounds > 0 ? Math.max(1, Number(process.argv[argRounds + 1]) || 5) : 5;

const gc = (globalThis as { gc?: () => void }).gc;

/** Says how figures are taken, for the first line of a benchmark's output. */
export const timingNote = (): string =>
  `Node ${process.version}, median of ${ROUNDS} rounds${gc ? '' : ' (no --expose-gc: heaps not collected between figures)'}`;

/** Median seconds per call over ROUNDS rounds of at least `minSeconds` each, after as long a warm-up (for the JIT). */
export function medianSeconds(fn: () => void, minSeconds = 0.2): number {
  for (const t = Date.now(); Date.now() - t < minSeconds * 1e3;) fn();
  const perCall: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    gc?.();
    let calls = 0;
    const t = process.hrtime.bigint();
    let s = 0;
    do { fn(); calls++; s = Number(process.hrtime.bigint() - t) / 1e9; } while (s < minSeconds);
    perCall.push(s / calls);
  }
  perCall.sort((a, b) => a - b);
  return perCall[perCall.length >> 1]!;
}
