/** One deterministic PRNG for every fuzz and hostile-input test: the demo generator's mulberry32. */
export { mulberry32 as prng } from '../../libs/demo/src/prng.js';
