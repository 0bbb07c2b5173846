// the one freePort, kept with the benchmarks (which are compiled; the tests read it from source)
export { freePort } from '../../bench/support/ports.js';
