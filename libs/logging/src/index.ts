export { NestJsonLogger, createLogger } from './logger.js';
export type { CarrelLogger } from './logger.js';
