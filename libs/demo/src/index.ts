export type { DemoItem, DemoItemStatus, DemoLibrary, DemoPatron, DemoRecord } from './generate.js';
export {
  DEMO_DEFAULT_SEED, DEMO_DEFAULT_TODAY, DEMO_PATRON_COUNT, DEMO_PATRON_ROLES, DEMO_PIN_RULE, DEMO_RECORD_COUNT,
  DEMO_STAFF_TOKEN, demoPinFor, generateDemoLibrary, lcCutter,
} from './generate.js';
export { isValidIsbn, isValidIssn, isValidLuhn } from './checkdigits.js';
// The Nest side (seeding a database from the generated library) lives beside the pure generator.
export type { DemoSeedResult } from './demo-seeder.service.js';
export { DemoSeeder } from './demo-seeder.service.js';
export { DemoModule } from './demo.module.js';
