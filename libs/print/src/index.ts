export * from './pdf/document.js';
export * from './labels/index.js';
export * from './notices/index.js';
