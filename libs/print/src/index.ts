export * from './pdf/document.js';
export * from './labels/index.js';
export * from './notices/index.js';
export * from './printers/index.js';
export { PrintModule } from './print.module.js';
